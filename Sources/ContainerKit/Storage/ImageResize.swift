#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Changing the size of the image layout's file system. Offline (not
/// mounted) it grows and shrinks with e2fsck + resize2fs on the file; online
/// it only grows, by the kernel's ext4 online resize, which needs
/// CAP_SYS_RESOURCE: without it the file is grown now and the file system
/// follows at the next mount (`finishGrow`).
extension ImageLayout {
    public enum Resized: Sendable, Equatable {
        case done
        /// Online grow refused by the kernel (the reason); applied at the next mount.
        case atNextMount(String)
    }

    /// The size of the image's ext4 file system as its superblock records it.
    public struct Superblock: Sendable {
        public let blockSize: Int64
        public let blocks: Int64
        public let inodes: Int64
        /// RO_COMPAT_QUOTA: usage accounting kept in hidden inodes.
        public let hasQuotaFeature: Bool
        public var bytes: Int64 { blockSize * blocks }

        public init(image: String) throws(SysError) {
            let fd = try check("open", image) { open(image, O_RDONLY | O_CLOEXEC) }
            defer { close(fd) }
            var raw = [UInt8](repeating: 0, count: 1024)
            let n = try check("pread", image) { raw.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 1024, 1024) } }
            func le32(_ at: Int) -> Int64 { (0..<4).reduce(0) { $0 | Int64(raw[at + $1]) << (8 * $1) } }
            // s_magic 0xEF53 at 0x38; 64-bit block counts when INCOMPAT_64BIT (0x80) is set.
            guard n == 1024, raw[0x38] == 0x53, raw[0x39] == 0xEF else { throw SysError("ext4 superblock", image, errno: EINVAL) }
            blockSize = 1024 << le32(0x18)
            let high = le32(0x60) & 0x80 != 0 ? le32(0x150) : 0
            blocks = le32(0x04) | high << 32
            inodes = le32(0x00)
            hasQuotaFeature = le32(0x64) & 0x100 != 0
        }
    }

    /// Resizes the image of a container whose root is not mounted.
    public static func resizeOffline(inPrivate path: String, sizeKB: Int64) throws(SysError) {
        let file = image(inPrivate: path)
        let current = try Superblock(image: file)
        let bytes = sizeKB * 1024
        if bytes / current.blockSize == current.blocks { return }
        try fsck(file)
        if bytes > current.bytes {
            try truncate(file, bytes)
            try resize2fs(file)
        } else {
            // resize2fs refuses when the data does not fit; the file stays as it was.
            try resize2fs(file, "\(sizeKB)K")
            try truncate(file, bytes)
        }
    }

    /// Grows the image of a mounted container (its file system now
    /// `current`) to `sizeKB`, live where the kernel lets us.
    public static func growOnline(inPrivate path: String, from current: Superblock, toKB sizeKB: Int64, mountedAt root: String) throws(SysError) -> Resized {
        let file = image(inPrivate: path)
        let bytes = sizeKB * 1024
        guard bytes > current.bytes else { throw SysError("resize", file, errno: EBUSY) }
        try truncate(file, bytes)
        guard let device = Mounts.entry(at: root)?.source, device.hasPrefix("/dev/loop") else {
            return .atNextMount("no loop device found at \(root)")
        }
        if vz_ext4_grow(device, root, UInt64(bytes / current.blockSize)) == 0 { return .done }
        let err = SysError("online resize", root)
        guard err.errno == EPERM || err.errno == EOPNOTSUPP else { throw err }
        return .atNextMount(err.description)
    }

    /// Before a mount: a file system smaller than its image file was grown
    /// while mounted without the kernel following; it follows now.
    public static func finishGrow(inPrivate path: String) throws(SysError) {
        let file = image(inPrivate: path)
        let current = try Superblock(image: file)
        var st = stat()
        try check("stat", file) { stat(file, &st) }
        guard Int64(st.st_size) / current.blockSize > current.blocks else { return }
        try fsck(file)
        try resize2fs(file)
    }

    static func truncate(_ file: String, _ bytes: Int64) throws(SysError) {
        try check("truncate", file) { Glibc.truncate(file, off_t(bytes)) }
    }

    /// resize2fs wants a freshly checked file system; -p repairs only what is safe.
    static func fsck(_ file: String) throws(SysError) {
        let (status, output) = try Subprocess.runCapturing(["e2fsck", "-f", "-p", file])
        // 1: errors corrected, still fine to go on.
        guard status == .exited(0) || status == .exited(1) else { throw SysError(program: "e2fsck", file, output: output) }
    }

    static func resize2fs(_ file: String, _ size: String? = nil) throws(SysError) {
        let (status, output) = try Subprocess.runCapturing(["resize2fs", file] + (size.map { [$0] } ?? []))
        guard status.succeeded else { throw SysError(program: "resize2fs", file, output: output) }
    }
}
