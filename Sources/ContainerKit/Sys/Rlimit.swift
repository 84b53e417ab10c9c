#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Per-process resource limits, for beancounters no cgroup counts.
public enum Rlimit {
    /// Lowers (or raises, where allowed) RLIMIT_NOFILE of `pid` (0: the
    /// caller) to `value`, soft and hard. Root without CAP_SYS_RESOURCE
    /// cannot raise a hard limit: then the soft one is set as far as it may.
    public static func setOpenFiles(_ value: Int64, pid: pid_t = 0) throws(SysError) {
        if vz_prlimit_nofile(pid, UInt64(value), UInt64(value)) == 0 { return }
        guard errno == EPERM else { throw SysError("prlimit", "RLIMIT_NOFILE", errno: errno) }
        var hard: UInt64 = 0
        try check("prlimit", "RLIMIT_NOFILE") { vz_prlimit_nofile_get(pid, &hard) }
        try check("prlimit", "RLIMIT_NOFILE") { vz_prlimit_nofile(pid, min(UInt64(value), hard), hard) }
    }
}
