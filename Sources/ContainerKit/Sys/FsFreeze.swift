#if canImport(Glibc)
import Glibc
#endif
import CShims

/// FIFREEZE/FITHAW: a frozen file system has its journal flushed and its
/// image consistent on disk; writers inside it wait until the thaw.
public enum FsFreeze {
    /// Runs `body` with the file system mounted at `mountPoint` frozen and
    /// thaws it afterwards, whatever happens: if this process is killed, a
    /// guard process thaws it when the kernel closes our end of its pipe.
    public static func whileFrozen(_ mountPoint: String, _ body: () throws(SysError) -> Void) throws(SysError) {
        let dir = try check("open", mountPoint) { open(mountPoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(dir) }
        var guardFD: Int32 = -1
        let guardPID = try check("fork (thaw guard)", mountPoint) { vz_thaw_guard(dir, &guardFD) }
        defer {
            close(guardFD)
            _ = try? waitFor(guardPID)
        }
        try check("FIFREEZE", mountPoint) { vz_fsfreeze(dir) }
        var failure: SysError?
        do {
            try body()
        } catch {
            failure = error
        }
        try check("FITHAW", mountPoint) { vz_fsthaw(dir) }
        if let failure { throw failure }
    }

    /// Thawing a file system that is not frozen (EINVAL) is no error: the
    /// thaw after an interrupted snapshot does not know how far it got.
    public static func thaw(_ mountPoint: String) throws(SysError) {
        let fd = try check("open", mountPoint) { open(mountPoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        do {
            try check("FITHAW", mountPoint) { vz_fsthaw(fd) }
        } catch where error.errno == EINVAL {
        }
    }
}
