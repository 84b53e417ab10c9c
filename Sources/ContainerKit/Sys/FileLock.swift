#if canImport(Glibc)
import Glibc
#endif

/// An flock(2) lock on a file or directory. The kernel drops it when the
/// holder dies, so "not lockable" means "in use by a live process".
public struct FileLock: Sendable {
    public let fd: Int32
    public let path: String

    /// Opens `path` (creating it as a file when it does not exist and is
    /// not a directory).
    public init(_ path: String) throws(SysError) {
        self.path = path
        let flags = Files.isDirectory(path) ? O_RDONLY | O_DIRECTORY : O_RDWR | O_CREAT
        fd = try check("open", path) { open(path, flags | O_CLOEXEC, 0o600) }
    }

    /// Waits for the exclusive lock.
    public func lock() throws(SysError) {
        try check("flock", path) { flock(fd, LOCK_EX) }
    }

    /// The exclusive lock if nobody holds it; false when someone does.
    public func tryLock() throws(SysError) -> Bool {
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw SysError("flock", path)
    }

    public func release() {
        close(fd)
    }
}
