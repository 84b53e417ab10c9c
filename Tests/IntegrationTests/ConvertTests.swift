import Foundation
import Testing

/// `vzctl convert`: a stopped simfs container moves into an image of DISKSPACE.
@Suite("convert to the image layout", .enabled(if: isRoot, "needs root"))
struct ConvertTests {
    func sh(_ command: String) -> TestHost.Result {
        let r = TestHost.run(["sh", "-c", command], env: [:])
        #expect(r.code == 0, "\(command): \(r)")
        return r
    }

    @Test func convertKeepsACLsXattrsHardLinksAndHolesAndLimitsBySize() throws {
        let host = try TestHost()
        try host.create("810", "--layout", "simfs")
        let conf = host.confPath("810")
        // No DISKSPACE, no image size.
        let without = try #require(host.read(conf)).split(separator: "\n").filter { !$0.hasPrefix("DISKSPACE=") }.joined(separator: "\n")
        try without.write(toFile: conf, atomically: true, encoding: .utf8)
        let nospace = host.run("vzctl", "convert", "810")
        #expect(nospace.code == 63 && nospace.stderr == "Error: diskspace not set\n", "\(nospace)")
        try (without + "\nDISKSPACE=\"65536:65536\"\n").write(toFile: conf, atomically: true, encoding: .utf8)

        let priv = host.privatePath("810")
        _ = sh("""
            set -e; cd '\(priv)'; mkdir keep; echo acl > keep/f; setfacl -m u:1234:rw keep/f
            setfattr -n user.vzkit -v hello keep/f; ln keep/f keep/g; chown 5:6 keep/f
            dd if=/dev/zero of=keep/sparse bs=1 count=1 seek=20M 2>/dev/null
            """)
        let bad = host.run("vzctl", "convert", "810", "--layout", "simfs")
        #expect(bad.code == 21 && bad.stderr == "Only conversion to ploop is supported\n", "\(bad)")
        let worse = host.run("vzctl", "convert", "810", "--layout", "qcow2")
        #expect(worse.code == 21 && worse.stderr == "Bad parameter for --layout: qcow2\n", "\(worse)")

        // What a convert killed before its swap left: a half-filled image.
        try FileManager.default.createDirectory(atPath: priv + ".convert/root.hdd", withIntermediateDirectories: true)
        let convert = host.run("vzctl", "convert", "810", "--layout", "ploop:expanded")
        #expect(convert.code == 0 && convert.stderr.isEmpty, "\(convert)")
        #expect(convert.stdout == "Copying content to ploop...\nContainer was successfully converted to the ploop layout\n")
        #expect(host.read(conf)?.contains("VE_LAYOUT=\"ploop\"") == true)
        #expect(FileManager.default.fileExists(atPath: priv + "/root.hdd/root.hdd"))
        #expect(!FileManager.default.fileExists(atPath: priv + "/keep"))
        #expect(!FileManager.default.fileExists(atPath: priv + ".convert"))
        #expect(host.run("vzctl", "convert", "810").stdout == "CT is already on ploop\n")

        try host.start("810")
        #expect(host.run("vzlist", "-H", "-o", "layout", "810").stdout == "ploop\n")
        let root = host.rootPath("810")
        #expect(sh("getfacl -cp '\(root)/keep/f'").stdout.contains("user:1234:rw-"))
        #expect(sh("getfattr --only-values -n user.vzkit '\(root)/keep/f'").stdout == "hello")
        #expect(sh("stat -c '%h %u:%g %i' '\(root)/keep/f' '\(root)/keep/g' | uniq").stdout == sh("stat -c '%h %u:%g %i' '\(root)/keep/f'").stdout)
        #expect(sh("stat -c '%h %u:%g' '\(root)/keep/f'").stdout == "2 5:6\n")
        let allocatedKB = Int(sh("du -k '\(root)/keep/sparse' | cut -f1").stdout.dropLast()) ?? .max
        #expect(allocatedKB < 1024, "the 20M hole was filled: \(allocatedKB) KB")
        // DISKSPACE is the image's size now.
        let fill = host.run("vzctl", "exec2", "810", "dd if=/dev/zero of=/fill bs=1M count=100")
        #expect(fill.code != 0 && fill.stderr.contains("No space left"), "\(fill)")
    }

    @Test func convertOfARunningOrMountedContainerIsRefused() throws {
        let host = try TestHost()
        try host.create("811", "--layout", "simfs")
        try host.start("811")
        let running = host.run("vzctl", "convert", "811")
        #expect(running.code == 32 && running.stderr == "CT is running (stop it first)\n", "\(running)")
        #expect(host.run("vzctl", "stop", "811", "--fast", "--skip-umount").code == 0)
        let mounted = host.run("vzctl", "convert", "811")
        #expect(mounted.code == 41 && mounted.stderr == "CT is mounted (umount it first)\n", "\(mounted)")
        #expect(host.run("vzctl", "umount", "811").code == 0)

        // A tree that does not fit: code 3, and the container stays as it was.
        let conf = try #require(host.read(host.confPath("811")))
        let small = conf.split(separator: "\n").filter { !$0.hasPrefix("DISK") }.joined(separator: "\n")
        try (small + "\nDISKSPACE=\"16384:16384\"\nDISKINODES=\"2000:2000\"\n").write(toFile: host.confPath("811"), atomically: true, encoding: .utf8)
        _ = TestHost.run(["dd", "if=/dev/zero", "of=\(host.privatePath("811"))/blob", "bs=1M", "count=30"], env: [:])
        let full = host.run("vzctl", "convert", "811")
        #expect(full.code == 3 && full.stderr.contains("No space left on device"), "\(full)")
        #expect(FileManager.default.fileExists(atPath: host.privatePath("811") + "/bin/busybox"))
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("811") + ".convert"))
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("811") + ".convert.mnt"))
        try host.start("811")
    }
}
