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
        #expect(!host.loopDeviceLeft("601"), "loop device left attached")
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

/// Resizing the image layout and what vzlist reports of it.
@Suite("disk size", .enabled(if: isRoot, "needs root"))
struct DiskSizeTests {
    /// DSPACE.H of one container, in KB.
    func hardLimit(_ host: TestHost, _ ctid: String) -> Int {
        Int(host.run("vzlist", "-a", "-H", "-o", "diskspace.h", ctid).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test func diskspaceGrowsLiveOrAtNextStartAndShrinksOffline() throws {
        let host = try TestHost()
        try host.create("611", "--layout", "ploop", "--diskspace", "64M", "--diskinodes", "20000")
        try host.start("611")
        let small = hardLimit(host, "611")
        #expect(small > 50_000 && small <= 65_536, "fs of a 64M image: \(small) KB")

        // The image's size is the disk: no change for one run only.
        let unsaved = host.run("vzctl", "set", "611", "--diskspace", "128M")
        #expect(unsaved.code == 20 && unsaved.stderr == "Error: unable to use --diskspace option without --save\n", "\(unsaved)")
        let grow = host.run("vzctl", "set", "611", "--diskspace", "128M", "--save")
        #expect(grow.code == 0 && grow.stderr.isEmpty, "\(grow)")
        #expect(host.read(host.confPath("611"))?.contains("DISKSPACE=\"131072:131072\"") == true)
        if grow.stdout.contains("applies at its next start") {
            // No CAP_SYS_RESOURCE: the kernel refused the online grow.
            #expect(hardLimit(host, "611") == small)
            #expect(host.run("vzctl", "restart", "611").code == 0)
        }
        let grown = hardLimit(host, "611")
        #expect(grown > 2 * small - 8192, "after the grow: \(grown) KB, before \(small) KB")
        let df = host.run("vzctl", "exec2", "611", "df -k / | tail -1")
        #expect(df.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) } == grown, "\(df)")
        // A file larger than the old disk fits now.
        #expect(host.run("vzctl", "exec2", "611", "dd if=/dev/zero of=/big bs=1M count=80 2>/dev/null && rm /big").code == 0)

        // Shrinking is offline only.
        let live = host.run("vzctl", "set", "611", "--diskspace", "48M", "--save")
        #expect(live.code == 154 && live.stderr.contains("stop it first"), "\(live)")
        #expect(host.run("vzctl", "stop", "611").code == 0)
        let offline = host.run("vzctl", "set", "611", "--diskspace", "48M", "--save", "--offline-resize")
        #expect(offline.code == 0, "\(offline)")
        let shrunk = hardLimit(host, "611")
        #expect(shrunk == 49_152, "a stopped container shows the config's limit: \(shrunk)")
        // Smaller than its data: refused, and nothing changes.
        let tooSmall = host.run("vzctl", "set", "611", "--diskspace", "1M", "--save")
        #expect(tooSmall.code == 154 && tooSmall.stderr.contains("resize2fs"), "\(tooSmall)")
        #expect(host.read(host.confPath("611"))?.contains("DISKSPACE=\"49152:49152\"") == true)
        try host.start("611")
        let mounted = hardLimit(host, "611")
        #expect(mounted > 30_000 && mounted <= 49_152, "after the shrink: \(mounted) KB")
        #expect(host.run("vzctl", "exec2", "611", "ls /bin/busybox").code == 0)
    }

    @Test func vzlistShowsUsageOfTheMountedImageAndLimitsOfTheConfig() throws {
        let host = try TestHost()
        try host.create("612", "--layout", "ploop", "--diskspace", "100M:120M", "--diskinodes", "5000")
        try host.create("613", "--layout", "simfs", "--diskspace", "1G:2G", "--diskinodes", "100:200")
        let fields = "ctid,diskspace,diskspace.s,diskspace.h,diskinodes,diskinodes.s,diskinodes.h"
        let stopped = host.run("vzlist", "-a", "-H", "-o", fields)
        #expect(stopped.stdout == """
                   612          -     102400     122880          -       5000       5000
                   613          -    1048576    2097152          -        100        200

            """, "\(stopped)")
        try host.start("612")
        #expect(host.run("vzctl", "exec2", "612", "dd if=/dev/zero of=/f bs=1M count=10 2>/dev/null; touch /a /b /c").code == 0)
        let row = host.run("vzlist", "-H", "-o", fields, "612").stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(row.count == 7, "\(row)")
        #expect(row[1] > 10_240 && row[1] < 20_000, "usage in KB: \(row[1])")
        #expect(row[2] == row[3] && row[3] > 100_000 && row[3] <= 122_880, "the file system's size: \(row)")
        #expect(row[4] > 10 && row[4] < 1000 && row[5] == row[6] && row[6] >= 5000, "inodes: \(row)")
        let json = host.run("vzlist", "-j", "-o", "diskspace,diskinodes", "612").stdout
        #expect(json.contains("\"diskspace\": {\n      \"usage\": \(row[1]),\n      \"softlimit\": \(row[2]),\n      \"hardlimit\": \(row[3])\n    }"), "\(json)")
        let sorted = host.run("vzlist", "-a", "-H", "-o", "ctid", "-s", "diskspace.h").stdout
        #expect(sorted.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } == ["612", "613"])
    }
}

/// Whether this kernel can keep user/group quota on ext4 (quota format v2):
/// the host here cannot; the cgroup-v2 VM's Debian kernel can.
let kernelHasQuotaV2: Bool = {
    if FileManager.default.fileExists(atPath: "/sys/module/quota_v2") { return true }
    guard let data = FileManager.default.contents(atPath: "/proc/config.gz") else { return false }
    let gunzip = TestHost.run(["sh", "-c", "zcat /proc/config.gz | grep -E '^CONFIG_QFMT_V2=(y|m)'"], env: [:])
    return !data.isEmpty && gunzip.code == 0
}()

/// Quota: the host's project quota as a simfs container's disk limits, and
/// second-level quota, where the container's root sets user quota on its
/// own disk with the standard quota tools; the kernel enforces both.
@Suite("user quota inside", .enabled(if: isRoot, "needs root"))
struct QuotaTests {
    @Test(.enabled(if: kernelHasQuotaV2, "the kernel has no quota format v2 (the v2 VM runs this)"))
    func userQuotaInsideIsEnforcedForANonRootUser() throws {
        let host = try TestHost()
        // setquota is quotactl(2), for the host's root only: no user namespace.
        try host.create("621", "--layout", "ploop", "--diskspace", "100M", "--local_uid", "0")
        #expect(host.run("vzctl", "set", "621", "--quotaugidlimit", "100", "--save").code == 0)
        try host.start("621")
        #expect(host.run("vzctl", "exec2", "621", "grep ' / ' /proc/mounts").stdout.contains("usrquota"))
        // The busybox template has no quota tools: the host's, with their libraries.
        let tools = ["/usr/sbin/setquota", "/usr/bin/quota"]
        let libs = TestHost.run(["sh", "-c", "ldd \(tools.joined(separator: " ")) | grep -o '/[^ ]*' | sort -u"], env: [:])
        for file in tools + libs.stdout.split(separator: "\n").map(String.init) where !file.hasSuffix(":") {
            let target = host.rootPath("621") + file
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(TestHost.run(["cp", "-L", file, target], env: [:]).code == 0)
        }
        let script = """
            echo u1:x:1000:1000::/home/u1:/bin/sh >> /etc/passwd; echo u1:x:1000: >> /etc/group
            mkdir -p /home/u1 && chown 1000:1000 /home/u1
            setquota -u u1 1024 1024 0 0 / && quota -u u1
            """
        let set = host.run("vzctl", "exec2", "621", script)
        #expect(set.code == 0 && set.stdout.contains("1024"), "\(set)")
        let fill = host.run("vzctl", "exec2", "621", "su u1 -s /bin/sh -c 'dd if=/dev/zero of=/home/u1/x bs=1K count=2000'")
        #expect(fill.code != 0 && fill.stderr.contains("Disk quota exceeded"), "\(fill)")
        // Root is not limited by u1's quota.
        #expect(host.run("vzctl", "exec2", "621", "dd if=/dev/zero of=/root/y bs=1K count=2000 2>/dev/null").code == 0)
    }

    @Test(.enabled(if: kernelHasQuotaV2, "the kernel has no quota format v2 (the v2 VM runs this)"))
    func simfsDiskLimitsAreTheHostsProjectQuota() throws {
        let host = try TestHost()
        try host.mountProjectQuotaPrivates(sizeMB: 256)

        try host.create("631", "--layout", "simfs", "--diskspace", "20M", "--diskinodes", "3000")
        try host.start("631")
        let df = host.run("vzctl", "exec2", "631", "df -k / | tail -1").stdout.split(whereSeparator: \.isWhitespace)
        #expect(df.count > 1 && df[1] == "20480", "df inside shows the limit: \(df)")
        let fill = host.run("vzctl", "exec2", "631", "dd if=/dev/zero of=/fill bs=1M count=30")
        #expect(fill.code != 0 && fill.stderr.contains("quota exceeded"), "\(fill)")
        let used = Int(host.run("vzlist", "-H", "-o", "diskspace", "631").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(used > 19_000 && used <= 20_480, "vzlist usage: \(used)")
        // Raised live.
        #expect(host.run("vzctl", "set", "631", "--diskspace", "60M", "--save").code == 0)
        #expect(host.run("vzctl", "exec2", "631", "rm /fill; dd if=/dev/zero of=/fill bs=1M count=30 2>/dev/null").code == 0)
        let files = host.run("vzctl", "exec2", "631", "rm /fill; i=0; while [ $i -lt 4000 ]; do touch /f$i 2>/dev/null || break; i=$((i+1)); done; echo $i")
        let made = Int(files.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(made > 2000 && made < 3000, "inode limit 3000: \(made) files made")
        #expect(host.run("vzctl", "stop", "631", "--fast").code == 0)
        #expect(host.run("vzctl", "destroy", "631").code == 0)
    }

    @Test(.enabled(if: !kernelHasQuotaV2, "the kernel has quota format v2"))
    func withoutKernelSupportStartSaysWhyAndTheImageStaysUsable() throws {
        let host = try TestHost()
        try host.create("622", "--layout", "ploop", "--diskspace", "64M")
        #expect(host.run("vzctl", "set", "622", "--quotaugidlimit", "100", "--save").code == 0)
        let start = host.run("vzctl", "start", "622")
        #expect(start.code == 50 && start.stderr.contains("quota format v2"), "\(start)")
        #expect(host.run("vzctl", "set", "622", "--quotaugidlimit", "0", "--save").code == 0)
        try host.start("622")
        // simfs limits cannot hold without project quota: said, not hidden.
        let simfs = host.run("vzctl", "create", "623", "--ostemplate", "busybox", "--layout", "simfs", "--diskspace", "1G")
        #expect(simfs.code == 0 && simfs.stdout.contains("not enforced"), "\(simfs)")
        let set = host.run("vzctl", "set", "623", "--diskspace", "2G", "--save")
        #expect(set.code == 0 && set.stdout.contains("not enforced"), "\(set)")
        #expect(host.run("vzctl", "destroy", "623").code == 0)
    }
}

/// A template's owners, modes, POSIX ACLs and xattrs reach the container.
@Suite("template unpack", .enabled(if: isRoot, "needs root"))
struct TemplateUnpackTests {
    @Test(arguments: [["--layout", "simfs"], ["--layout", "ploop", "--diskspace", "64M", "--diskinodes", "4000"]])
    func aclsXattrsOwnersAndModesSurvive(layout: [String]) throws {
        let host = try TestHost()
        let stage = host.prefix + "/stage"
        try FileManager.default.createDirectory(atPath: stage, withIntermediateDirectories: true)
        let build = """
            set -e
            tar -xzf \(host.prefix)/vz/template/cache/busybox.tar.gz -C \(stage)
            echo data > \(stage)/etc/shared
            chown 1234:2345 \(stage)/etc/shared && chmod 0640 \(stage)/etc/shared
            setfacl -m u:4321:rw \(stage)/etc/shared
            setfattr -n user.vzkit -v kept \(stage)/etc/shared
            ln \(stage)/etc/shared \(stage)/etc/hardlink
            tar --numeric-owner --acls --xattrs --xattrs-include='*' -czf \(host.prefix)/vz/template/cache/acls.tar.gz -C \(stage) .
            """
        let made = TestHost.run(["sh", "-c", build], env: [:])
        try #require(made.code == 0, "\(made)")
        let create = TestHost.run(["vzctl", "create", "641", "--ostemplate", "acls"] + layout, env: ["VZ_PREFIX": host.prefix])
        try #require(create.code == 0, "\(create)")
        #expect(host.run("vzctl", "mount", "641").code == 0)
        defer { _ = host.run("vzctl", "umount", "641"); _ = host.run("vzctl", "destroy", "641") }
        let file = host.rootPath("641") + "/etc/shared"
        let acl = TestHost.run(["getfacl", "-n", "-p", file], env: [:]).stdout
        #expect(acl.contains("user:4321:rw-") && acl.contains("# owner: 1234") && acl.contains("# group: 2345"), "\(acl)")
        #expect(TestHost.run(["getfattr", "--only-values", "-n", "user.vzkit", file], env: [:]).stdout == "kept")
        let st = try FileManager.default.attributesOfItem(atPath: file)
        #expect((st[.referenceCount] as? Int) == 2, "the hard link: \(st)")
    }
}
