import ContainerKit
import Foundation
import Testing

/// Every container gets a user namespace of its own by default: its ids
/// 0...65535 are LOCAL_UID... on the host (a free slot of 65536 from vz.conf's
/// 100000 per created container), and its root is mounted id-mapped, so files
/// keep their ordinary owners on the host (uid 0 in the private area is
/// root inside; not shifted).
@Suite("user namespace per container", .enabled(if: isRoot, "needs root"))
struct UserNamespaceTests {
    let host: TestHost

    init() throws {
        host = try TestHost()
        // The test host's prefix is made 0700 under /tmp: the mapped root
        // must not need to pass it (it never does), but keep it reachable.
        chmod(host.prefix, 0o755)
    }

    func localIDs(_ ctid: String) -> (uid: String, gid: String) {
        let conf = host.read(host.confPath(ctid)) ?? ""
        func value(_ key: String) -> String {
            let line = conf.split(separator: "\n").last { $0.hasPrefix(key + "=") } ?? ""
            return line.dropFirst(key.count + 1).replacingOccurrences(of: "\"", with: "")
        }
        return (value("LOCAL_UID"), value("LOCAL_GID"))
    }

    func uidMap(_ ctid: String) -> [String] {
        guard let pid = host.initPID(ctid) else { return [] }
        return (host.read("/proc/\(pid)/uid_map") ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
    }

    @Test func eachContainerGetsItsOwnRangeAndAnIdMappedRoot() throws {
        try host.create("4000", "--layout", "simfs")
        try host.create("4001")
        let (a, b) = (localIDs("4000"), localIDs("4001"))
        #expect(a.uid == "100000" && a.gid == "100000", "\(a)")
        #expect(b.uid == "165536" && b.gid == "165536", "\(b): the next free slot")
        try host.start("4000")
        try host.start("4001")
        #expect(uidMap("4000") == ["0", "100000", "65536"])
        #expect(uidMap("4001") == ["0", "165536", "65536"])
        let pid = try #require(host.initPID("4000"))
        let status = host.read("/proc/\(pid)/status") ?? ""
        #expect(status.contains("Uid:\t100000\t100000\t100000\t100000"), "\(status)")
        // Made by the container's root: owned by 0 (and 1000) in the
        // private area, as inside.
        let made = host.run("vzctl", "exec2", "4000", "touch /by-root /by-user && chown 1000:1000 /by-user && stat -c %u:%g /by-root /by-user")
        #expect(made.code == 0 && made.stdout == "0:0\n1000:1000\n", "\(made)")
        var st = stat()
        #expect(stat(host.privatePath("4000") + "/by-root", &st) == 0 && st.st_uid == 0 && st.st_gid == 0)
        #expect(stat(host.privatePath("4000") + "/by-user", &st) == 0 && st.st_uid == 1000 && st.st_gid == 1000)
        // The image layout too; and exec/enter are in the namespace.
        let inside = host.run("vzctl", "exec2", "4001", "touch /made && cat /proc/self/uid_map && id -u && ls -ln /dev/null")
        #expect(inside.code == 0 && inside.stdout.contains("165536") && inside.stdout.contains("\n0\n"), "\(inside)")
        #expect(inside.stdout.contains(" 0        0 ") || inside.stdout.contains(" 0 0 "), "/dev belongs to the CT's root: \(inside)")
        #expect(stat(host.rootPath("4001") + "/made", &st) == 0 && st.st_uid == 0)
        // Host-side writes into the container (set --hostname's files).
        #expect(host.run("vzctl", "set", "4001", "--hostname", "ns.test", "--save").code == 0)
        #expect(host.run("vzctl", "exec2", "4001", "cat /etc/hostname").stdout == "ns.test\n")
        // The masks over /proc were made by the host's root: locked.
        let umount = host.run("vzctl", "exec2", "4001", "umount /proc/timer_list")
        #expect(umount.code != 0, "\(umount)")
        // The host's root is nobody inside.
        #expect(host.run("vzctl", "exec2", "4001", "stat -c %u /proc/sys/kernel/hostname").stdout == "65534\n")
    }

    @Test func localUIDZeroMeansNoUserNamespace() throws {
        try host.create("4002", "--local_uid", "0")
        #expect(localIDs("4002") == ("0", "0"))
        try host.start("4002")
        #expect(uidMap("4002") == ["0", "0", "4294967295"])
        // A config from before LOCAL_UID existed: no key, no user namespace.
        try host.create("4003")
        let conf = host.confPath("4003")
        let text = (host.read(conf) ?? "").split(separator: "\n").filter { !$0.hasPrefix("LOCAL_") }.joined(separator: "\n") + "\n"
        try text.write(toFile: conf, atomically: true, encoding: .utf8)
        try host.start("4003")
        #expect(uidMap("4003") == ["0", "0", "4294967295"])
        #expect(host.run("vzctl", "exec2", "4003", "mknod /tmp/null c 1 3 && echo x > /tmp/null").code == 0)
        // An explicit --local_uid is taken as given.
        try host.create("4004", "--local_uid", "300000", "--local_gid", "400000")
        #expect(localIDs("4004") == ("300000", "400000"))
        #expect(host.run("vzctl", "create", "4005", "--local_uid", "x").code == 21)
    }

    @Test func aFileSystemWithoutIdMappedMountsIsNamed() throws {
        let privates = host.prefix + "/vz/private"
        try FileManager.default.createDirectory(atPath: privates, withIntermediateDirectories: true)
        try #require(TestHost.run(["mount", "-t", "ramfs", "ramfs", privates], env: [:]).code == 0)
        defer {
            _ = host.run("vzctl", "stop", "4006", "--fast")
            _ = host.run("vzctl", "destroy", "4006")
            _ = TestHost.run(["umount", "-l", privates], env: [:])
        }
        try host.create("4006", "--layout", "simfs")
        let start = host.run("vzctl", "start", "4006")
        #expect(start.code == 7, "\(start)")
        #expect(start.stderr.contains("ramfs") && start.stderr.contains("id-mapped") && start.stderr.contains("LOCAL_UID=0"), "\(start)")
        #expect(start.stderr.split(separator: "\n").count == 1, "one line: \(start.stderr)")
        #expect(host.run("vzctl", "status", "4006").stdout.contains("down"))
    }

    /// chkpnt/restore of a container with a user namespace: it comes back
    /// in a user namespace with the same map, its root id-mapped.
    @Test(.enabled(if: Criu.binary != nil, "criu is not installed"))
    func checkpointAndRestoreKeepTheUserNamespaceAndItsMap() throws {
        try host.create("4007")
        try host.start("4007")
        let map = uidMap("4007")
        #expect(map == [ "0", localIDs("4007").uid, "65536"])
        #expect(host.run("vzctl", "exec", "4007", "echo before > /root/before").code == 0)
        let chkpnt = host.run("vzctl", "chkpnt", "4007")
        #expect(chkpnt.code == 0, "\(chkpnt)")
        let restore = host.run("vzctl", "restore", "4007")
        #expect(restore.code == 0, "\(restore)")
        #expect(host.run("vzctl", "status", "4007").stdout.contains("running"))
        #expect(uidMap("4007") == map)
        let inside = host.run("vzctl", "exec2", "4007", "cat /root/before; stat -c %u /root/before; echo after > /root/after")
        #expect(inside.stdout == "before\n0\n", "\(inside)")
        var st = stat()
        #expect(stat(host.rootPath("4007") + "/root/after", &st) == 0 && st.st_uid == 0, "files keep their owners on the host")
    }

    /// A dump the container's root cannot reach is named, in one line.
    @Test(.enabled(if: Criu.binary != nil, "criu is not installed"))
    func anUnreachableDumpIsNamed() throws {
        try host.create("4008")
        try host.start("4008")
        #expect(host.run("vzctl", "chkpnt", "4008").code == 0)
        chmod(host.prefix + "/vz/dump", 0o700)
        let restore = host.run("vzctl", "restore", "4008")
        #expect(restore.code == 17 && restore.stderr.contains(host.prefix + "/vz/dump ") && restore.stderr.contains("searchable"), "\(restore)")
        #expect(restore.stderr.split(separator: "\n").count == 1, "one line: \(restore.stderr)")
        chmod(host.prefix + "/vz/dump", 0o755)
        let again = host.run("vzctl", "restore", "4008")
        #expect(again.code == 0, "\(again)")
    }
}
