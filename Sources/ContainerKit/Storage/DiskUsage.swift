#if canImport(Glibc)
import Glibc
#endif

/// What vzlist shows as diskspace/diskinodes: usage, soft and hard limit
/// (KB for space, counts for inodes).
public struct DiskUsage: Sendable, Equatable {
    public struct Counter: Sendable, Equatable {
        public var usage: Int64 = 0
        public var soft: Int64 = 0
        public var hard: Int64 = 0
    }

    public var space = Counter()
    public var inodes = Counter()

    /// The limits of the config, overridden by the mounted file system of
    /// the image layout: its size and inode count are the limits that hold
    /// (a grow waiting for the next start shows as not yet there); usage of
    /// a simfs container from its project quota. nil when there is none of
    /// it, as the classic tool printed `-` then.
    public static func of(_ config: CTConfig, mounted: Bool) -> DiskUsage? {
        var result = DiskUsage()
        let space = config.diskspace
        let inodes = config.diskinodes
        if let space { (result.space.soft, result.space.hard) = space }
        if let inodes { (result.inodes.soft, result.inodes.hard) = inodes }
        var found = space != nil || inodes != nil
        guard let priv = config.privatePath else { return found ? result : nil }
        if ImageLayout.isImage(priv) {
            if mounted, let root = config.rootPath, let fs = FileSystemStats(root) {
                result.space = Counter(usage: fs.usedKB, soft: fs.sizeKB, hard: fs.sizeKB)
                result.inodes = Counter(usage: fs.usedInodes, soft: fs.inodes, hard: fs.inodes)
                found = true
            }
        } else if let id = ProjectQuota.project(of: priv), let used = ProjectQuota.usage(at: priv, id: id) {
            // simfs under project quota: counted whether it runs or not.
            result.space.usage = used.kb
            result.inodes.usage = used.inodes
            found = true
        }
        return found ? result : nil
    }
}

/// statvfs(3) of a mounted file system, in the units vzlist prints.
public struct FileSystemStats: Sendable {
    public let sizeKB: Int64
    public let usedKB: Int64
    public let inodes: Int64
    public let usedInodes: Int64

    public init?(_ path: String) {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        let unit = Int64(s.f_frsize)
        sizeKB = Int64(s.f_blocks) * unit / 1024
        usedKB = (Int64(s.f_blocks) - Int64(s.f_bfree)) * unit / 1024
        inodes = Int64(s.f_files)
        usedInodes = Int64(s.f_files) - Int64(s.f_ffree)
    }
}
