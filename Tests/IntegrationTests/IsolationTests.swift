import Foundation
import Testing

/// The container's root tries every escape of issue 7 from inside a started
/// container, and each must be refused; what root of a real server does must
/// still work. Tests/security/probe.c makes the syscalls busybox cannot.
@Suite("isolation: a container's root is root of its server only", .enabled(if: isRoot, "needs root"))
struct IsolationTests {
    let host: TestHost
    let ctid = "1100"

    init() throws {
        host = try TestHost()
        try host.create(ctid)
    }

    /// The probe, built once per run.
    static let probe: String? = {
        let out = NSTemporaryDirectory() + "vzkit-probe-\(getpid())"
        let source = TestHost.packageRoot + "/Tests/security/probe.c"
        let result = TestHost.run(["gcc", "-static", "-O1", "-o", out, source], env: [:])
        return result.code == 0 ? out : nil
    }()

    func startWithProbe() throws {
        let probe = try #require(Self.probe, "gcc -static could not build Tests/security/probe.c")
        try host.start(ctid)
        let target = host.rootPath(ctid) + "/bin/vzprobe"
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: probe, toPath: target)
    }

    func inside(_ command: String) -> TestHost.Result {
        host.run("vzctl", "exec2", ctid, command)
    }

    /// Tests/security/probes.tsv, shared with compare.sh (the peers run
    /// the same commands): kind, name, command.
    static let probes: [(kind: String, name: String, command: String)] = {
        let text = (try? String(contentsOfFile: TestHost.packageRoot + "/Tests/security/probes.tsv", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return fields.count == 3 ? (fields[0], fields[1], fields[2]) : nil
        }
    }()

    static func probes(_ kind: String) -> [(String, String)] {
        probes.filter { $0.kind == kind }.map { ($0.name, $0.command) }
    }

    @Test func probeListIsRead() {
        #expect(Self.probes("deny").count >= 30 && Self.probes("work").count + Self.probes("work0").count >= 10)
    }

    @Test("refused:", arguments: probes("deny"))
    func escapeIsRefused(_ name: String, _ command: String) throws {
        try startWithProbe()
        let result = inside(command)
        #expect(result.code != 0, "\(name) worked: \(result)")
        if command.hasPrefix("vzprobe") {
            #expect(result.stdout.hasPrefix("refused:"), "\(name): \(result)")
        }
        // The container survives its attempts.
        #expect(inside("echo alive").stdout == "alive\n")
    }

    /// The container's user namespace copies a mount namespace the host's
    /// root made the masks in, so the kernel locks them: they cannot be
    /// unmounted, and no proc can be mounted beside them.
    @Test("refused once a user namespace locks the masks:", arguments: probes("locked"))
    func lockedMaskHolds(_ name: String, _ command: String) throws {
        try startWithProbe()
        let result = inside(command)
        #expect(result.code != 0, "\(name) worked: \(result)")
    }

    @Test("works:", arguments: probes("work"))
    func realServerWorks(_ name: String, _ command: String) throws {
        try startWithProbe()
        let result = inside(command)
        #expect(result.code == 0, "\(name): \(result)")
    }

    /// What a user namespace takes from the container's root (mknod, a proc
    /// of its own, busybox's remount with the ids it reads back) works in a
    /// container created with `--local_uid 0` (no user namespace).
    @Test("works with LOCAL_UID=0 only:", arguments: probes("work0"))
    func worksWithoutUserNamespace(_ name: String, _ command: String) throws {
        try startWithProbe()
        #expect(inside(command).code != 0, "\(name) works in a user namespace now: SECURITY.md says it does not")
        let probe = try #require(Self.probe)
        let plain = "4010"
        try host.create(plain, "--local_uid", "0")
        try host.start(plain)
        try FileManager.default.copyItem(atPath: probe, toPath: host.rootPath(plain) + "/bin/vzprobe")
        let result = host.run("vzctl", "exec2", plain, command)
        #expect(result.code == 0, "\(name): \(result)")
    }

    @Test func busyboxInitIsPidOne() throws {
        try startWithProbe()
        #expect(inside("cat /proc/1/comm").stdout == "init\n")
    }

    /// The busybox template has no iptables: the host's, with the libraries
    /// ldd names and its extensions, is copied into the container.
    @Test func ownIptablesRules() throws {
        try startWithProbe()
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/alternatives/iptables")) ?? ""
        // The host's own call also loads nf_tables where it is a module:
        // the container cannot.
        guard FileManager.default.isExecutableFile(atPath: binary), TestHost.run(["iptables", "-S", "INPUT"], env: [:]).code == 0 else {
            try Test.cancel("the host has no working iptables to copy into the container")
        }
        let ldd = TestHost.run(["ldd", binary], env: [:]).stdout
        let libraries = ldd.split(separator: "\n").compactMap { line in line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first { $0.hasPrefix("/") } }
        let extensions = "/usr/lib/x86_64-linux-gnu/xtables"
        let root = host.rootPath(ctid)
        for path in [binary] + libraries.map(String.init) + [extensions] {
            try FileManager.default.createDirectory(atPath: root + (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // -L: the loader and the libraries are links on the host.
            #expect(TestHost.run(["cp", "-rL", path, root + path], env: [:]).code == 0, "copy \(path)")
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/bin/iptables", withDestinationPath: binary)
        let result = inside("iptables -A INPUT -s 198.19.254.1 -j DROP && iptables -S INPUT")
        #expect(result.code == 0 && result.stdout.contains("198.19.254.1"), "\(result)")
        // Its rules are its own network namespace's.
        #expect(!TestHost.run(["iptables", "-S", "INPUT"], env: [:]).stdout.contains("198.19.254.1"))
    }

    /// reboot(2) in a PID namespace kills the container's init: the
    /// container stops, the host and a neighbour do not notice.
    @Test func rebootEndsOnlyTheContainer() throws {
        let neighbour = "1101"
        try host.create(neighbour)
        try host.start(neighbour)
        try startWithProbe()
        let bootID = host.read("/proc/sys/kernel/random/boot_id")
        _ = inside("reboot -f")
        var status = ""
        for _ in 0..<100 {
            status = host.run("vzctl", "status", ctid).stdout
            if status.contains("down") { break }
            usleep(50_000)
        }
        #expect(status.contains("down"), "\(status)")
        #expect(host.run("vzctl", "status", neighbour).stdout.contains("running"))
        #expect(host.run("vzctl", "exec2", neighbour, "echo alive").stdout == "alive\n")
        #expect(host.read("/proc/sys/kernel/random/boot_id") == bootID)
    }

    /// DEVICES grants a device without a node; DEVNODES makes the node too.
    @Test func grantedDevicesWork() throws {
        let conf = host.confPath(ctid)
        let text = try String(contentsOfFile: conf, encoding: .utf8)
        try (text + "DEVICES=\"c:10:200:rw \"\nDEVNODES=\"net/tun:rw \"\n").write(toFile: conf, atomically: true, encoding: .utf8)
        try startWithProbe()
        let node = inside("ls -l /dev/net/tun && exec 3</dev/net/tun && echo opened")
        #expect(node.code == 0 && node.stdout.contains("opened"), "\(node)")
        // A node of its own: mknod is not for a user namespace's root.
        let own = inside("mknod /tmp/tun c 10 200 && exec 3</tmp/tun && echo opened")
        #expect(own.code != 0, "\(own)")
        // Other devices stay refused.
        #expect(inside("vzprobe mknod-char").code != 0)
    }

    /// `set --devices/--devnodes` on a running container: live, saved in the
    /// classic form, taken back with `none`; bad items are refused with 21.
    @Test func setGrantsAndRevokesDevicesLive() throws {
        try startWithProbe()
        let useTun = "exec 3</dev/net/tun && echo ok"
        #expect(inside(useTun).code != 0)
        let grant = host.run("vzctl", "set", ctid, "--devices", "c:10:200:rw", "--devnodes", "net/tun:rw", "--save")
        #expect(grant.code == 0, "\(grant)")
        #expect(inside(useTun).stdout == "ok\n")
        let conf = host.read(host.confPath(ctid)) ?? ""
        #expect(conf.contains("DEVICES=\"c:10:200:rw \"") && conf.contains("DEVNODES=\"net/tun:rw \""), "\(conf)")
        let revoke = host.run("vzctl", "set", ctid, "--devices", "c:10:200:none", "--devnodes", "net/tun:none", "--save")
        #expect(revoke.code == 0, "\(revoke)")
        #expect(inside(useTun).code != 0)
        for bad in [["--devices", "x:10:200:rw"], ["--devices", "c:10:200:z"], ["--devnodes", "no-such-node:rw"], ["--devnodes", "loop0:rw"]] {
            #expect(TestHost.run(["vzctl", "set", ctid] + bad, env: ["VZ_PREFIX": host.prefix]).code == 21, "\(bad)")
        }
    }

    /// vzctl exec processes get the filter and the bounding set of init.
    @Test func execGetsTheSameFilterAndCapabilities() throws {
        try startWithProbe()
        for field in ["Seccomp", "CapBnd"] {
            let initLine = inside("grep \(field): /proc/1/status").stdout
            let execLine = inside("grep \(field): /proc/self/status").stdout
            #expect(!initLine.isEmpty && initLine == execLine, "\(field): init \(initLine) exec \(execLine)")
        }
        #expect(inside("grep Seccomp: /proc/1/status").stdout.hasSuffix("2\n"))
    }
}
