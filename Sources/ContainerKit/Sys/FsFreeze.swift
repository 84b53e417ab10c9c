#if canImport(Glibc)
import Glibc
#endif
import CShims

/// FIFREEZE/FITHAW: a frozen file system has its journal flushed and its
/// image consistent on disk; writers inside it wait until the thaw.
public enum FsFreeze {
    public static func freeze(_ mountPoint: String) throws(SysError) {
        try onMount(mountPoint, "FIFREEZE") { vz_fsfreeze($0) }
    }

    /// Thawing a file system that is not frozen (EINVAL) is no error: the
    /// thaw after an interrupted snapshot does not know how far it got.
    public static func thaw(_ mountPoint: String) throws(SysError) {
        do {
            try onMount(mountPoint, "FITHAW") { vz_fsthaw($0) }
        } catch where error.errno == EINVAL {
        }
    }

    private static func onMount(_ path: String, _ call: String, _ body: (Int32) -> Int32) throws(SysError) {
        let fd = try check("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        try check(call, path) { body(fd) }
    }
}
