import ContainerKit
import Foundation
import Testing

/// vzmigrate between two test hosts on this machine: the destination is a
/// TestHost of its own whose sshd (scripts/test-sshd.sh) runs in a network
/// namespace of its own, reached over a veth pair. CTIDs 3000-3099,
/// addresses 198.18.30.0/24 (veth pairs in .0-.63, containers .100 up).
@Suite("vzmigrate", .serialized, .timeLimit(.minutes(5)), .enabled(if: isRoot, "needs root"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd"), "no sshd (scripts/deps.sh openssh-server)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync"), "no rsync (scripts/deps.sh rsync)"))
struct MigrateTests {
    let checkpoint = CheckpointTests()

    /// An echo server on port 7000 of the container `ctid` (address `ip`),
    /// and a client connected to it that had one answer.
    func echoServer(_ host: TestHost, _ ctid: String, _ ip: String) throws -> TCPClient {
        let serve = host.run("vzctl", "exec", ctid, "nc -l -p 7000 -e cat </dev/null >/dev/null 2>&1 &")
        try #require(serve.code == 0, "\(serve)")
        let client = try TCPClient(connectTo: ip, port: 7000)
        #expect(client.roundTrip("one\n") == "one\n")
        return client
    }

    /// The network learns where the address `ip` is now, as a router would.
    func route(_ ip: String, to dest: MigrationPeer) {
        let route = TestHost.run(["ip", "route", "replace", "\(ip)/32", "via", dest.address], env: [:])
        #expect(route.code == 0, "\(route)")
    }

    @Test func offlineMigrationOfAStoppedContainer() throws {
        let source = try TestHost()
        let dest = try MigrationPeer(0)
        try source.create("3001", "--ipadd", "198.18.30.101", "--name", "mig3001", "--diskspace", "256M")
        #expect(source.run("vzctl", "mount", "3001").code == 0)
        try "kept\n".write(toFile: source.rootPath("3001") + "/root/marker", atomically: false, encoding: .utf8)
        #expect(source.run("vzctl", "umount", "3001").code == 0)
        try "#!/bin/sh\nexit 0\n".write(toFile: source.prefix + "/etc/vz/conf/3001.mount", atomically: false, encoding: .utf8)
        chmod(source.prefix + "/etc/vz/conf/3001.mount", 0o755)

        let r = dest.migrate(from: source, "mig3001")
        #expect(r.code == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(r.stdout.hasPrefix("Starting offline migration of CT 3001 to root@\(dest.address)\n"), "\(r)")
        #expect(r.stdout.hasSuffix("Migration of CT 3001 to root@\(dest.address) completed successfully\n"), "\(r)")
        // There: config (its paths the destination's own), action script, data, name.
        let conf = dest.host.read(dest.host.confPath("3001")) ?? ""
        #expect(conf.contains("VE_PRIVATE=/vz/private/$VEID") || conf.contains("VE_PRIVATE=\"/vz/private/$VEID\""), "\(conf)")
        #expect(conf.contains("198.18.30.101"))
        #expect(FileManager.default.fileExists(atPath: dest.host.prefix + "/etc/vz/conf/3001.mount"))
        #expect(dest.host.run("vzctl", "mount", "mig3001").code == 0)
        #expect(dest.host.read(dest.host.rootPath("3001") + "/root/marker") == "kept\n")
        #expect(dest.host.run("vzctl", "umount", "3001").code == 0)
        #expect(dest.host.run("vzlist", "-H", "-a", "-o", "ctid,status,name").stdout == "      3001 stopped   mig3001\n")
        // Gone here.
        #expect(!FileManager.default.fileExists(atPath: source.confPath("3001")))
        #expect(!FileManager.default.fileExists(atPath: source.privatePath("3001")))
        #expect(source.run("vzlist", "-H", "-a", "-o", "ctid").stdout.isEmpty)

        // -r no: the source keeps its private area, its config renamed.
        try source.create("3002", "--layout", "simfs")
        try "simfs\n".write(toFile: source.privatePath("3002") + "/root/marker", atomically: false, encoding: .utf8)
        // On a terminal (script(1) gives it one) the copy shows rsync's progress.
        let keep = dest.migrate(from: source, onTerminal: true, "-r", "no", "3002")
        #expect(keep.code == 0, "\(keep)")
        #expect(keep.stdout.contains("to-chk="), "no progress on a terminal: \(keep)")
        #expect(!r.stdout.contains("to-chk="), "progress without a terminal: \(r)")
        #expect(FileManager.default.fileExists(atPath: source.confPath("3002") + ".migrated"))
        #expect(!FileManager.default.fileExists(atPath: source.confPath("3002")))
        #expect(FileManager.default.fileExists(atPath: source.privatePath("3002") + "/root/marker"))
        #expect(dest.host.read(dest.host.privatePath("3002") + "/root/marker") == "simfs\n")
    }

    @Test func aRunningContainerIsStoppedAndStartedThere() throws {
        let source = try TestHost()
        let dest = try MigrationPeer(1)
        try source.create("3004", "--ipadd", "198.18.30.104", "--diskspace", "256M")
        try source.start("3004")
        #expect(source.run("vzctl", "exec", "3004", "echo late > /root/marker").code == 0)
        let r = dest.migrate(from: source, "3004")
        #expect(r.code == 0, "\(r)")
        #expect(r.stdout.contains("Stopping container\n") && r.stdout.contains("Starting container on destination\n"), "\(r)")
        #expect(dest.host.run("vzctl", "status", "3004").stdout == "CTID 3004 exist mounted running\n")
        #expect(dest.host.run("vzctl", "exec", "3004", "cat /root/marker").stdout == "late\n")
        #expect(dest.ssh("ip route").stdout.contains("198.18.30.104 dev venet3004"))
        #expect(source.initPID("3004") == nil)
        #expect(!FileManager.default.fileExists(atPath: source.confPath("3004")))
    }

    @Test func onlineMigrationKeepsTheProcessItsPIDLimitsAndAddress() throws {
        let source = try TestHost()
        let dest = try MigrationPeer(2)
        try source.create("3005", "--ipadd", "198.18.30.105", "--diskspace", "256M", "--local_uid", "0")
        #expect(source.run("vzctl", "set", "3005", "--ram", "512M", "--numproc", "150", "--save").code == 0)
        try source.start("3005")
        try checkpoint.startCounter(source, "3005")
        let limitsBefore = checkpoint.limits(source, "3005")
        #expect(limitsBefore.contains("pids.max=150\n"))
        let before = checkpoint.counter(source, "3005")

        let r = dest.migrate(from: source, "--online", "-t", "3005")
        #expect(r.code == 0, "\(r)")
        #expect(r.stderr.isEmpty, "\(r)")
        #expect(r.stdout.contains("Frozen time: "), "\(r)")
        let after = checkpoint.counter(dest.host, "3005")
        #expect(after.pid == before.pid && !after.pid.isEmpty)
        #expect(after.value >= before.value, "from \(before.value) to \(after.value)")
        #expect(checkpoint.counterMoves(dest.host, "3005", past: after.value), "the counter goes on there")
        #expect(checkpoint.limits(dest.host, "3005") == limitsBefore)
        #expect(existing(dest.host.cgroupDirs("3005")).count > 1, "in the destination's cgroups")
        // In every hierarchy once: none (name=systemd) nested below another container's cgroup.
        let membership = dest.host.initPID("3005").flatMap { dest.host.read("/proc/\($0)/cgroup") } ?? ""
        #expect(membership.split(separator: "\n").allSatisfy { $0.components(separatedBy: "/vz-").count <= 2 } && !membership.isEmpty, "\(membership)")
        #expect(dest.host.run("vzctl", "exec2", "3005", "ip -o addr show dev venet0").stdout.contains("inet 198.18.30.105/32"))
        #expect(dest.ssh("ip route").stdout.contains("198.18.30.105 dev venet3005"))
        #expect(dest.host.run("vzctl", "status", "3005").stdout == "CTID 3005 exist mounted running\n")
        #expect(!FileManager.default.fileExists(atPath: dest.host.prefix + "/vz/dump/Dump.3005"), "the dump is removed there")
        // Nothing left here.
        #expect(source.initPID("3005") == nil)
        #expect(existing(source.cgroupDirs("3005")).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: source.confPath("3005")))
        #expect(!FileManager.default.fileExists(atPath: source.prefix + "/vz/dump/Dump.3005.migrate"))
        #expect(!TestHost.run(["ip", "route"], env: [:]).stdout.contains("198.18.30.105 dev venet3005"))
    }

    @Test func anEstablishedConnectionSurvivesOnlineMigration() throws {
        let source = try TestHost()
        let dest = try MigrationPeer(3)
        try source.create("3006", "--ipadd", "198.18.30.106", "--diskspace", "256M", "--local_uid", "0")
        try source.start("3006")
        let client = try echoServer(source, "3006", "198.18.30.106")
        let r = dest.migrate(from: source, "--online", "3006")
        #expect(r.code == 0, "\(r)")
        route("198.18.30.106", to: dest)
        defer { _ = TestHost.run(["ip", "route", "del", "198.18.30.106/32"], env: [:]) }
        let began = Date()
        #expect(client.roundTrip("two\n") == "two\n", "the connection is gone")
        #expect(Date().timeIntervalSince(began) < 5)
        #expect(client.roundTrip("three\n") == "three\n")
    }

    /// The same with a user namespace (LOCAL_UID, the default): the process
    /// and its PID, and an established connection, survive. CTID 4110,
    /// address 198.19.241.10.
    @Test func onlineMigrationOfAContainerWithAUserNamespace() throws {
        let source = try TestHost()
        let dest = try MigrationPeer(10)
        // The restored tasks are in the container's user namespace: they
        // must reach the dump there (the test hosts' prefixes are made 0700).
        chmod(source.prefix, 0o755)
        chmod(dest.host.prefix, 0o755)
        try source.create("4110", "--ipadd", "198.19.241.10", "--diskspace", "256M")
        #expect(source.read(source.confPath("4110"))?.contains("LOCAL_UID=\"0\"") == false)
        try source.start("4110")
        try checkpoint.startCounter(source, "4110")
        let before = checkpoint.counter(source, "4110")
        let client = try echoServer(source, "4110", "198.19.241.10")

        let r = dest.migrate(from: source, "--online", "4110")
        #expect(r.code == 0, "\(r)")
        #expect(dest.host.run("vzctl", "status", "4110").stdout == "CTID 4110 exist mounted running\n")
        let after = checkpoint.counter(dest.host, "4110")
        #expect(after.pid == before.pid && !after.pid.isEmpty)
        #expect(checkpoint.counterMoves(dest.host, "4110", past: after.value), "the counter goes on there")
        let map = dest.host.initPID("4110").flatMap { dest.host.read("/proc/\($0)/uid_map") } ?? ""
        let fields = map.split(whereSeparator: \.isWhitespace)
        #expect(fields.count == 3 && fields[0] == "0" && fields[1] != "0", "in a user namespace: \(map)")
        route("198.19.241.10", to: dest)
        defer { _ = TestHost.run(["ip", "route", "del", "198.19.241.10/32"], env: [:]) }
        let began = Date()
        #expect(client.roundTrip("two\n") == "two\n", "the connection is gone")
        #expect(Date().timeIntervalSince(began) < 5)
        #expect(source.initPID("4110") == nil)
    }

    @Test func aFailedRestoreThereLeavesItRunningHere() throws {
        let source = try TestHost()
        let dest = try MigrationPeer(4)
        try source.create("3007", "--ipadd", "198.18.30.107", "--diskspace", "256M")
        try source.start("3007")
        try checkpoint.startCounter(source, "3007")
        let serve = source.run("vzctl", "exec", "3007", "nc -l -p 7000 -e cat </dev/null >/dev/null 2>&1 &")
        try #require(serve.code == 0, "\(serve)")
        let client = try TCPClient(connectTo: "198.18.30.107", port: 7000)
        #expect(client.roundTrip("one\n") == "one\n")
        // The destination cannot make the mount point: its restore fails.
        try FileManager.default.createDirectory(atPath: dest.host.prefix + "/vz/root", withIntermediateDirectories: true)
        try "".write(toFile: dest.host.rootPath("3007"), atomically: false, encoding: .utf8)
        let before = checkpoint.counter(source, "3007")

        let r = dest.migrate(from: source, "--online", "3007")
        #expect(r.code == 7, "\(r)")
        #expect(r.stderr.hasPrefix("Can't restore CT on destination") && r.stderr.split(separator: "\n").count == 1, "\(r)")
        #expect(r.stdout.contains("Resuming container on source\n"), "\(r)")
        // Running here as before, the same process, reachable.
        #expect(source.run("vzctl", "status", "3007").stdout == "CTID 3007 exist mounted running\n")
        let after = checkpoint.counter(source, "3007")
        #expect(after.pid == before.pid && !after.pid.isEmpty)
        #expect(checkpoint.counterMoves(source, "3007", past: after.value), "the counter goes on here")
        #expect(TestHost.run(["ip", "route"], env: [:]).stdout.contains("198.18.30.107 dev venet3007"))
        #expect(client.roundTrip("two\n") == "two\n", "its connection goes on")
        // Nothing there.
        try? FileManager.default.removeItem(atPath: dest.host.rootPath("3007"))
        #expect(!FileManager.default.fileExists(atPath: dest.host.confPath("3007")))
        #expect(!FileManager.default.fileExists(atPath: dest.host.privatePath("3007")))
        #expect(!FileManager.default.fileExists(atPath: dest.host.prefix + "/vz/dump/Dump.3007"))
        #expect(dest.host.initPID("3007") == nil)
        #expect(existing(dest.host.cgroupDirs("3007")).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: source.prefix + "/vz/dump/Dump.3007.migrate"))

        // --keep-dst keeps the copy (not running) there.
        let kept = dest.migrate(from: source, "--online", "--keep-dst", "3007")
        #expect(kept.code == 0 || kept.code == 7, "\(kept)")
    }

    @Test func classicExitCodes() throws {
        let source = try TestHost()
        let dest = try MigrationPeer(5)
        try source.create("3010", "--diskspace", "256M")
        func expect(_ args: [String], code: Int32, _ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let r = dest.migrate(from: source, args)
            #expect(r.code == code, "\(r)", sourceLocation: sourceLocation)
            #expect(r.stderr.hasPrefix(stderr) && r.stderr.split(separator: "\n").count == 1, "\(r)", sourceLocation: sourceLocation)
        }
        expect(["3011"], code: 10, "CT 3011 does not exist")
        expect(["--online", "3010"], code: 2, "Can't perform online migration of a stopped container")
        expect(["--bogus", "3010"], code: 1, "vzmigrate: invalid option --bogus")
        let usage = TestHost.run(["vzmigrate"], env: ["VZ_PREFIX": source.prefix])
        #expect(usage.code == 1 && usage.stderr.hasPrefix("vzmigrate: destination and CTID are required"), "\(usage)")
        // Nothing listens on port 1 there.
        let refused = TestHost.run(["vzmigrate", "--ssh=\(dest.sshOptions) -p 1", dest.address, "3010"], env: ["VZ_PREFIX": source.prefix])
        #expect(refused.code == 4, "\(refused)")
        #expect(refused.stderr.hasPrefix("Can't connect to destination address"), "\(refused)")
        // Locked by a live process (this one).
        try FileManager.default.createDirectory(atPath: source.prefix + "/vz/lock", withIntermediateDirectories: true)
        try "\(getpid())\n\n".write(toFile: source.prefix + "/vz/lock/3010.lck", atomically: false, encoding: .utf8)
        expect(["3010"], code: 20, "CT 3010 is locked by pid \(getpid())")
        try FileManager.default.removeItem(atPath: source.prefix + "/vz/lock/3010.lck")
        // Already there.
        try "VE_LAYOUT=ploop\n".write(toFile: dest.host.confPath("3010"), atomically: false, encoding: .utf8)
        expect(["3010"], code: 9, "CT 3010 already exists on destination node")
        try FileManager.default.removeItem(atPath: dest.host.confPath("3010"))
        // No harm done by any of these.
        #expect(FileManager.default.fileExists(atPath: source.confPath("3010")))
        #expect(!FileManager.default.fileExists(atPath: dest.host.privatePath("3010")))
    }
}

/// The paths of `dirs` that exist.
func existing(_ dirs: [String]) -> [String] { dirs.filter { FileManager.default.fileExists(atPath: $0) } }

/// A destination host: a TestHost with vz.conf and an sshd of its own in
/// its own network namespace (`index` picks its veth pair, 198.18.30.4i+1
/// on this side and 4i+2 there).
final class MigrationPeer {
    let host: TestHost
    let netns: String
    let address: String
    let sshOptions: String
    private let sshdDir: String
    static let script = TestHost.packageRoot + "/scripts/test-sshd.sh"

    init(_ index: Int, _ name: String = #function) throws {
        host = try TestHost(name + "dst")
        try FileManager.default.copyItem(atPath: TestHost.packageRoot + "/conf/vz.conf", toPath: host.prefix + "/etc/vz/vz.conf")
        netns = "vzm\(index)-\(getpid() % 100_000)"
        address = "198.18.30.\(4 * index + 2)"
        sshdDir = host.prefix + "/sshd"
        let r = TestHost.run(["bash", Self.script, "start", sshdDir, netns, host.prefix, TestHost.binDir,
                              "198.18.30.\(4 * index + 1)", address], env: [:])
        try #require(r.code == 0, "test-sshd.sh: \(r)")
        sshOptions = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        // Its containers run in its network namespace: stopped from there.
        _ = ssh("""
            for c in "$VZ_PREFIX"/etc/vz/conf/*.conf; do [ -e "$c" ] || continue; id=${c##*/}; id=${id%.conf}; \
            vzctl stop $id --fast; vzctl destroy $id; done
            """)
        _ = TestHost.run(["bash", Self.script, "stop", sshdDir, netns], env: [:])
    }

    /// A command there, over ssh (inside its network namespace).
    func ssh(_ command: String) -> TestHost.Result {
        TestHost.run(["timeout", "-k", "5", "60", "ssh", "-o", "BatchMode=yes"] + sshOptions.split(separator: " ").map(String.init)
                     + ["root@" + address, command], env: [:])
    }

    /// `vzmigrate --ssh=... ADDRESS args...` run on `source`.
    func migrate(from source: TestHost, onTerminal: Bool = false, _ args: String...) -> TestHost.Result {
        migrate(from: source, args, onTerminal: onTerminal)
    }

    func migrate(from source: TestHost, _ args: [String], onTerminal: Bool = false) -> TestHost.Result {
        let argv = ["timeout", "-k", "5", "120", "vzmigrate", "--ssh=\(sshOptions)"] + args.dropLast() + [address] + args.suffix(1)
        guard onTerminal else { return TestHost.run(argv, env: ["VZ_PREFIX": source.prefix]) }
        let line = argv.map { "'" + $0.replacing("'", with: "'\\''") + "'" }.joined(separator: " ")
        return TestHost.run(["script", "-qec", line, "/dev/null"], env: ["VZ_PREFIX": source.prefix])
    }
}
