import Foundation
import Testing

/// One test per classic exit code that vzkit returns and that ErrorTests and
/// the feature suites do not already prove: the code and the one line on
/// stderr. With those, every code vzctl(8) lists as returned is tested (62
/// needs project quota, so the v2 VM runs it).
@Suite("exit codes", .enabled(if: isRoot, "needs root"))
struct ExitCodeTests {
    private func expect(_ r: TestHost.Result, _ code: Int32, _ message: String, prefix: Bool = false,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.code == code, "\(r)", sourceLocation: sourceLocation)
        let oneLine = r.stderr.hasSuffix("\n") && r.stderr.dropLast().split(separator: "\n").count == 1
        #expect(oneLine && (prefix ? r.stderr.hasPrefix(message) : r.stderr == message + "\n"), "\(r)", sourceLocation: sourceLocation)
    }

    /// A stopped simfs container, so tests can edit its files from the host.
    private func simfs(_ host: TestHost, _ ctid: String) throws {
        try host.create(ctid, "--layout", "simfs")
    }

    private func editConfig(_ host: TestHost, _ ctid: String, _ lines: String) throws {
        let text = (host.read(host.confPath(ctid)) ?? "") + lines
        try text.write(toFile: host.confPath(ctid), atomically: true, encoding: .utf8)
    }

    private func writeVzConf(_ host: TestHost, _ text: String) throws {
        try text.write(toFile: host.prefix + "/etc/vz/vz.conf", atomically: true, encoding: .utf8)
    }

    @Test func code1LimitRefused() throws {
        let host = try TestHost()
        try host.create("1040")
        try host.start("1040")
        // Below what the container already uses: the kernel refuses it.
        let r = host.run("vzctl", "set", "1040", "--ram", "4K")
        expect(r, 1, "Unable to apply the resource limits of CT 1040: ", prefix: true)
    }

    @Test func code3KilledBySignal() throws {
        let host = try TestHost()
        try host.create("1041")
        try host.start("1041")
        expect(host.run("vzctl", "exec2", "1041", "kill -9 $$"), 3, "Got signal 9")
    }

    @Test func code7SetupFails() throws {
        let host = try TestHost()
        try simfs(host, "1042")
        // /proc cannot be mounted on a file.
        let proc = host.privatePath("1042") + "/proc"
        try? FileManager.default.removeItem(atPath: proc)
        FileManager.default.createFile(atPath: proc, contents: nil)
        expect(host.run("vzctl", "start", "1042"), 7, "Unable to start the container: ", prefix: true)
        #expect(host.run("vzctl", "status", "1042").stdout == "CTID 1042 exist unmounted down\n")
    }

    @Test func code10NoGlobalConfig() throws {
        let host = try TestHost()
        try FileManager.default.createDirectory(atPath: host.prefix + "/etc/vz/vz.conf", withIntermediateDirectories: true)
        expect(host.run("vzctl", "status", "1043"), 10, "Unable to open \(host.prefix)/etc/vz/vz.conf: ", prefix: true)
    }

    @Test func codes22And23RootOrPrivateNotSet() throws {
        let host = try TestHost()
        try simfs(host, "1044")
        let original = host.read(host.confPath("1044")) ?? ""
        try editConfig(host, "1044", "VE_ROOT=\"\"\n")
        expect(host.run("vzctl", "mount", "1044"), 22, "VE_ROOT is not set")
        try original.write(toFile: host.confPath("1044"), atomically: true, encoding: .utf8)
        try editConfig(host, "1044", "VE_PRIVATE=\"\"\n")
        expect(host.run("vzctl", "mount", "1044"), 23, "VE_PRIVATE is not set")
    }

    @Test func codes24And29TemplateNotSet() throws {
        let host = try TestHost()
        let base = "VE_ROOT=/vz/root/$VEID\nVE_PRIVATE=/vz/private/$VEID\nCONFIGFILE=\"basic\"\n"
        try writeVzConf(host, base)
        expect(host.run("vzctl", "create", "1045", "--ostemplate", "busybox"), 24, "TEMPLATE is not set")
        try writeVzConf(host, base + "TEMPLATE=/vz/template\n")
        expect(host.run("vzctl", "create", "1045"), 29, "OS template is not specified")
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("1045")))
    }

    @Test func code33StopFails() throws {
        let host = try TestHost()
        try host.create("1046")
        try host.start("1046")
        // A cgroup below the container's (stop removes those, as systemd
        // inside makes them) held busy by a mount keeps it from going away.
        let child = try #require(host.cgroupDirs("1046").first) + "/held"
        try FileManager.default.createDirectory(atPath: child, withIntermediateDirectories: false)
        try #require(TestHost.run(["mount", "-t", "tmpfs", "none", child], env: [:]).code == 0)
        defer {
            _ = TestHost.run(["umount", child], env: [:])
            rmdir(child)
        }
        expect(host.run("vzctl", "stop", "1046", "--fast"), 33, "Unable to stop container: ", prefix: true)
        _ = TestHost.run(["umount", child], env: [:])
        #expect(host.run("vzctl", "stop", "1046", "--fast").code == 0)
        #expect(!FileManager.default.fileExists(atPath: child))
    }

    @Test func code34AddressRefused() throws {
        let host = try TestHost()
        try host.create("1058")
        try host.start("1058")
        // The container's root turned IPv6 off in its own network namespace.
        let off = "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6"
        #expect(host.run("vzctl", "exec", "1058", off).code == 0)
        expect(host.run("vzctl", "set", "1058", "--ipadd", "fd00::1058"), 34, "Unable to change the IP addresses of CT 1058: ", prefix: true)
    }

    @Test func code43NoPrivateArea() throws {
        let host = try TestHost()
        try simfs(host, "1047")
        let moved = host.privatePath("1047") + ".away"
        try FileManager.default.moveItem(atPath: host.privatePath("1047"), toPath: moved)
        defer { try? FileManager.default.moveItem(atPath: moved, toPath: host.privatePath("1047")) }
        expect(host.run("vzctl", "start", "1047"), 43, "Container private area \(host.privatePath("1047")) does not exist")
    }

    @Test func code47NoInit() throws {
        let host = try TestHost()
        try simfs(host, "1048")
        try FileManager.default.removeItem(atPath: host.privatePath("1048") + "/sbin/init")
        expect(host.run("vzctl", "start", "1048"), 47, "Unable to start init, probably incorrect template: no /sbin/init")
        #expect(host.run("vzctl", "status", "1048").stdout == "CTID 1048 exist unmounted down\n")
    }

    @Test func code48BrokenTemplate() throws {
        let host = try TestHost()
        try "not a tarball".write(toFile: host.prefix + "/vz/template/cache/broken.tar.gz", atomically: true, encoding: .utf8)
        expect(host.run("vzctl", "create", "1049", "--ostemplate", "broken", "--layout", "simfs"), 48,
               "Creation of container private area failed: ", prefix: true)
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("1049")))
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("1049") + ".tmp"))
    }

    @Test func code49MountPointUnderAFile() throws {
        let host = try TestHost()
        try simfs(host, "1050")
        FileManager.default.createFile(atPath: host.prefix + "/afile", contents: nil)
        try editConfig(host, "1050", "VE_ROOT=\"/afile/root\"\n")
        expect(host.run("vzctl", "mount", "1050"), 49, "Unable to create the mount point: ", prefix: true)
    }

    @Test func code51UnmountFails() throws {
        let host = try TestHost()
        try simfs(host, "1071")
        #expect(host.run("vzctl", "mount", "1071").code == 0)
        // A mount below the root, then one stacked over the root itself: the
        // lower one's path no longer leads to it.
        let root = host.rootPath("1071")
        try FileManager.default.createDirectory(atPath: host.privatePath("1071") + "/mnt/x", withIntermediateDirectories: true)
        #expect(TestHost.run(["mount", "-t", "tmpfs", "none", root + "/mnt/x"], env: [:]).code == 0)
        #expect(TestHost.run(["mount", "-t", "tmpfs", "none", root], env: [:]).code == 0)
        expect(host.run("vzctl", "umount", "1071"), 51, "Unable to unmount the container: umount \(root)/mnt/x: ", prefix: true)
        #expect(TestHost.run(["umount", root], env: [:]).code == 0)
        #expect(host.run("vzctl", "umount", "1071").code == 0)
    }

    @Test func code52PrivateAreaStays() throws {
        let host = try TestHost()
        try simfs(host, "1051")
        let pinned = host.privatePath("1051") + "/pinned"
        FileManager.default.createFile(atPath: pinned, contents: nil)
        try #require(TestHost.run(["chattr", "+i", pinned], env: [:]).code == 0)
        defer { _ = TestHost.run(["chattr", "-i", pinned], env: [:]) }
        expect(host.run("vzctl", "destroy", "1051"), 52, "Unable to remove the private area: ", prefix: true)
        #expect(FileManager.default.fileExists(atPath: host.confPath("1051")), "config kept when the private area stays")
    }

    @Test(.enabled(if: kernelHasQuotaV2, "no project quota on this kernel (the v2 VM runs this)"))
    func code62ProjectQuotaRefused() throws {
        let host = try TestHost()
        try host.mountProjectQuotaPrivates(sizeMB: 128)
        try host.create("1070", "--layout", "simfs", "--diskspace", "20M")
        // Another project on an immutable private area: the mount cannot
        // make it project 1070 again.
        let priv = host.privatePath("1070")
        #expect(TestHost.run(["chattr", "-p", "77", priv], env: [:]).code == 0)
        #expect(TestHost.run(["chattr", "+i", priv], env: [:]).code == 0)
        defer { _ = TestHost.run(["chattr", "-i", priv], env: [:]) }
        expect(host.run("vzctl", "mount", "1070"), 62, "Unable to set the disk quota of CT 1070: ", prefix: true)
        #expect(host.run("vzctl", "status", "1070").stdout == "CTID 1070 exist unmounted down\n")
    }

    @Test func code70BadHostname() throws {
        let host = try TestHost()
        try host.create("1052")
        try host.start("1052")
        let long = String(repeating: "h", count: 65)
        expect(host.run("vzctl", "set", "1052", "--hostname", long), 70, "Unable to set the hostname of CT 1052: ", prefix: true)
    }

    @Test func code72NetworkFiles() throws {
        let host = try TestHost()
        try host.create("1053")
        try host.start("1053")
        #expect(host.run("vzctl", "exec", "1053", "rm -f /etc/resolv.conf && mkdir /etc/resolv.conf").code == 0)
        expect(host.run("vzctl", "set", "1053", "--nameserver", "198.19.253.1"), 72,
               "Unable to write the network files of CT 1053: ", prefix: true)
    }

    @Test func code104DeviceCannotMove() throws {
        let host = try TestHost()
        try host.create("1054")
        try host.start("1054")
        // A bridge cannot leave its network namespace (NETIF_F_NETNS_LOCAL).
        #expect(TestHost.run(["ip", "link", "add", "vzkitbr1054", "type", "bridge"], env: [:]).code == 0)
        defer { _ = TestHost.run(["ip", "link", "del", "vzkitbr1054"], env: [:]) }
        expect(host.run("vzctl", "set", "1054", "--netdev_add", "vzkitbr1054"), 104, "Unable to move network devices of CT 1054: ", prefix: true)
    }

    @Test func code130NoSuchBridge() throws {
        let host = try TestHost()
        try host.create("1055")
        try host.start("1055")
        expect(host.run("vzctl", "set", "1055", "--netif_add", "eth0,,veth1055,,vzkitnobr0"), 130,
               "Unable to change the veth devices of CT 1055: ", prefix: true)
    }

    @Test func code133InitExits() throws {
        let host = try TestHost()
        try simfs(host, "1056")
        let initPath = host.privatePath("1056") + "/sbin/init"
        try FileManager.default.removeItem(atPath: initPath)
        try "#!/bin/sh\nexit 0\n".write(toFile: initPath, atomically: true, encoding: .utf8)
        chmod(initPath, 0o755)
        let r = host.run("vzctl", "start", "1056", "--wait")
        expect(r, 133, "Container init exited during start")
    }

    @Test func code139ConfigNotSaved() throws {
        let host = try TestHost()
        try simfs(host, "1057")
        let before = host.read(host.confPath("1057"))
        try FileManager.default.createDirectory(atPath: host.confPath("1057") + ".tmp", withIntermediateDirectories: false)
        expect(host.run("vzctl", "set", "1057", "--hostname", "h1057", "--save"), 139, "Unable to save \(host.confPath("1057")): ", prefix: true)
        #expect(host.read(host.confPath("1057")) == before)
    }
}
