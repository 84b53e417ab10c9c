import Foundation
import Testing

/// The image layout: an ext4 image on a loop device whose size and inode
/// count are the container's disk limits.
@Suite("image layout", .enabled(if: isRoot, "needs root"))
struct StorageTests {
    @Test func diskspaceAndInodesAreTheImagesLimits() throws {
        let host = try TestHost()
        try host.create("601", "--layout", "ploop", "--diskspace", "64M", "--diskinodes", "3000")
        let conf = try #require(host.read(host.confPath("601")))
        #expect(conf.contains("DISKSPACE=\"65536:65536\"") && conf.contains("DISKINODES=\"3000:3000\"") && conf.contains("VE_LAYOUT=\"ploop\""))
        #expect(FileManager.default.fileExists(atPath: host.privatePath("601") + "/root.hdd/root.hdd"))
        try host.start("601")
        #expect(host.run("vzlist", "-H", "-o", "layout", "601").stdout == "ploop\n")
        // Filling the disk stops at its size with ENOSPC inside; the host goes on.
        let fill = host.run("vzctl", "exec2", "601", "dd if=/dev/zero of=/fill bs=1M count=100")
        #expect(fill.code != 0 && fill.stderr.contains("No space left"), "\(fill)")
        #expect(host.run("vzctl", "exec2", "601", "rm /fill && echo ok").stdout == "ok\n")
        let files = host.run("vzctl", "exec2", "601", "i=0; while [ $i -lt 5000 ]; do touch /f$i 2>/dev/null || break; i=$((i+1)); done; echo $i")
        let made = Int(files.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(made > 2000 && made < 3000, "inodes: \(made) files")
        #expect(host.run("vzctl", "stop", "601", "--fast").code == 0)
        #expect(!TestHost.run(["losetup", "-a"], env: [:]).stdout.contains(host.privatePath("601")), "loop device left attached")
        // The image persists: a restart finds the files.
        try host.start("601")
        #expect(host.run("vzctl", "exec2", "601", "ls /f0").code == 0)
        #expect(host.run("vzctl", "stop", "601", "--fast").code == 0)
        #expect(host.run("vzctl", "destroy", "601").code == 0)
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("601")))

        let missing = host.run("vzctl", "create", "602", "--ostemplate", "busybox", "--layout", "ploop")
        #expect(missing.code == 0 || missing.code == 63, "\(missing)")
        let bad = host.run("vzctl", "create", "603", "--ostemplate", "busybox", "--diskspace", "10Q")
        #expect(bad.code == 21 && bad.stderr == "Bad parameter for --diskspace: 10Q\n")
    }
}
