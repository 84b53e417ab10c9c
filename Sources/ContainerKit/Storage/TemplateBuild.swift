#if canImport(Glibc)
import Glibc
#endif

/// A template cache being made: a directory of its own in the cache
/// directory (so the finished archive is renamed into place on one file
/// system), flock'ed while its run lives. A run that was killed leaves its
/// directory unlocked, and the next run of any template removes it.
struct TemplateBuild {
    static let prefix = ".vzpkg-build."
    let dir: String
    private let lock: FileLock

    /// The tree that becomes the container's root.
    var root: String { dir + "/root" }

    /// Removes what killed runs left, then makes and locks a new directory.
    /// The cache directory's own lock keeps a new directory from being taken
    /// for a stale one before its run has locked it.
    static func begin(cacheDir: String) throws(SysError) -> TemplateBuild {
        try Files.makeDirectories(cacheDir)
        let guardLock = try FileLock(cacheDir)
        defer { guardLock.release() }
        try guardLock.lock()
        for name in try Files.list(cacheDir) where name.hasPrefix(prefix) {
            let stale = "\(cacheDir)/\(name)"
            guard let old = try? FileLock(stale) else { continue }
            defer { old.release() }
            if try old.tryLock() { try Files.removeTree(stale) }
        }
        let dir = try Files.makeTempDirectory("\(cacheDir)/\(prefix)")
        let lock = try FileLock(dir)
        guard try lock.tryLock() else { throw SysError("flock", dir, errno: EWOULDBLOCK) }
        try check("mkdir", dir + "/root") { mkdir(dir + "/root", 0o755) }
        return TemplateBuild(dir: dir, lock: lock)
    }

    /// Packs the root (numeric owners, ACLs, xattrs) and renames the archive
    /// to `output`, replacing an older one only once the new one is whole.
    func pack(into output: String) throws(SysError) {
        let archive = dir + "/archive.tar.gz"
        let status = try Subprocess.run([
            "tar", "--numeric-owner", "--acls", "--xattrs", "--xattrs-include=*", "--one-file-system",
            "-czf", archive, "-C", root, ".",
        ])
        if !status.succeeded { throw SysError("tar -c", output, errno: EIO) }
        try check("rename", output) { rename(archive, output) }
    }

    /// Removes the directory (whether or not the build succeeded).
    func finish() {
        try? Files.removeTree(dir)
        lock.release()
    }
}
