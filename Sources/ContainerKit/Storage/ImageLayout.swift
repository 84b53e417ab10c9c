#if canImport(Glibc)
import Glibc
#endif
import CShims

/// The image layout (VE_LAYOUT=ploop): an ext4 file system in a sparse file
/// `VE_PRIVATE/root.hdd/root.hdd`, attached to a loop device and mounted
/// at VE_ROOT. Its size and inode count are the container's disk limits.
public enum ImageLayout {
    public static func image(inPrivate path: String) -> String { path + "/root.hdd/root.hdd" }

    public static func isImage(_ privatePath: String) -> Bool { Files.exists(image(inPrivate: privatePath)) }

    /// Makes the image: `sizeKB` of sparse file, `inodes` inodes if given,
    /// no blocks reserved for root (the container's root is its only user).
    public static func create(inPrivate path: String, sizeKB: Int64, inodes: Int64?) throws(SysError) {
        try Files.makeDirectories(path + "/root.hdd")
        let file = image(inPrivate: path)
        let fd = try check("open", file) { open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        defer { close(fd) }
        try check("ftruncate", file) { ftruncate(fd, off_t(sizeKB * 1024)) }
        var argv = ["mkfs.ext4", "-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1"]
        if let inodes { argv += ["-N", String(inodes)] }
        let status = try Subprocess.run(argv + [file], stdoutPath: "/dev/null")
        if !status.succeeded { throw SysError("mkfs.ext4", file, errno: EIO) }
    }

    /// Attaches the image to a loop device and mounts it at `target`; the
    /// loop device goes with the mount. With `userQuota`, user and group
    /// quota are enforced (the image keeps its accounting in hidden inodes:
    /// the ext4 quota feature, added here on first use; not at mkfs, as a
    /// kernel without quota format v2 mounts no image that has it).
    public static func mount(inPrivate path: String, at target: String, userQuota: Bool = false) throws(SysError) {
        try mount(file: image(inPrivate: path), at: target, readOnly: false, userQuota: userQuota)
    }

    /// Mounts any image file (a snapshot's too), read-only on a read-only
    /// loop device when asked, so not even a journal replay writes to it.
    public static func mount(file: String, at target: String, readOnly: Bool, userQuota: Bool = false) throws(SysError) {
        if !readOnly {
            // Two loop devices on one image would be two ext4 instances
            // writing one disk: wait for a lazily detached one to go.
            var busy = BlockDevice.loopDevices(backedBy: file)
            for _ in 0..<100 where !busy.isEmpty {
                usleep(50_000)
                busy = BlockDevice.loopDevices(backedBy: file)
            }
            if !busy.isEmpty { throw SysError("mount", "\(file) (still in use by \(busy.joined(separator: " ")))", errno: EBUSY) }
        }
        let addedQuota = userQuota ? try enableQuotaFeature(file) : false
        var device = [CChar](repeating: 0, count: 64)
        let loop = try check("loop attach", file) { vz_loop_attach(file, readOnly ? 1 : 0, &device, Int32(device.count)) }
        // Closing the device detaches it unless it is mounted by then.
        defer { close(loop) }
        let name = String(decoding: device.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let flags = UInt(MS_NOATIME) | (readOnly ? UInt(MS_RDONLY) : 0)
        do {
            try Mounts.mount(name, target, type: "ext4", flags: flags, data: userQuota ? "usrquota,grpquota" : nil)
        } catch where userQuota && error.errno == EINVAL {
            // ext4 says why only in the kernel log: quota needs CONFIG_QFMT_V2,
            // and such a kernel mounts no image with the feature at all.
            if addedQuota { _ = try? Subprocess.runCapturing(["tune2fs", "-O", "^quota", file]) }
            throw SysError("mount", "\(target) with user/group quota (does the kernel have quota format v2, CONFIG_QFMT_V2 / quota_v2?)", errno: EINVAL)
        }
    }

    /// Returns whether the feature was added now.
    static func enableQuotaFeature(_ file: String) throws(SysError) -> Bool {
        let sb = try Superblock(image: file)
        guard !sb.hasQuotaFeature else { return false }
        let (status, output) = try Subprocess.runCapturing(["tune2fs", "-O", "quota", file])
        guard status.succeeded else { throw SysError(program: "tune2fs", file, output: output) }
        return true
    }

    /// Where `file` is mounted through a loop device, and the device.
    public static func mounts(of file: String) -> [(point: String, device: String)] {
        let devices = Set(BlockDevice.loopDevices(backedBy: file))
        if devices.isEmpty { return [] }
        let entries = (try? Mounts.entries()) ?? []
        return entries.filter { devices.contains($0.source) }.map { ($0.point, $0.source) }
    }
}
