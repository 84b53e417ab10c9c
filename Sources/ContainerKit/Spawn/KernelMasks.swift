#if canImport(Glibc)
import Glibc
#endif

/// What of the host's kernel shows through the container's /proc and /sys,
/// hidden or made read-only after they are mounted (runs in the child,
/// after pivot_root, so the paths are the container's own).
///
/// Without a user namespace these mounts are not locked: the container's
/// root could unmount them. What keeps the kernel safe then is elsewhere
/// (dropped capabilities for /proc/kcore, the seccomp filter for keys and
/// the log, the sysctl policy for /proc/sys); these keep what an ordinary
/// look at /proc or /sys shows to the container's own.
enum KernelMasks {
    /// Files that tell about the host's kernel: /dev/null over them.
    static let hiddenFiles = [
        "/proc/kcore", "/proc/keys", "/proc/key-users", "/proc/timer_list", "/proc/sched_debug",
        "/proc/latency_stats",
    ]
    /// Directories of the host's hardware: an empty read-only tmpfs over them.
    static let hiddenDirectories = ["/proc/acpi", "/proc/scsi", "/proc/asound", "/sys/firmware", "/sys/devices/virtual/powercap"]
    /// Kernel knobs: visible, read-only.
    static let readOnly = ["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs"]
    /// The sysctls of the container's own network namespace stay writable
    /// below the read-only /proc/sys: a mount of their own, made first so
    /// that the recursive bind of /proc/sys carries it.
    static let writable = "/proc/sys/net"

    static func apply() throws(SysError) {
        let locked = UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC)
        for path in hiddenFiles where Files.exists(path) {
            try Mounts.mount("/dev/null", path, flags: UInt(MS_BIND))
        }
        for path in hiddenDirectories where Files.exists(path) {
            try Mounts.mount("tmpfs", path, type: "tmpfs", flags: locked | UInt(MS_RDONLY), data: "mode=555")
        }
        if Files.exists(writable) { try Mounts.mount(writable, writable, flags: UInt(MS_BIND)) }
        for path in readOnly where Files.exists(path) {
            try Mounts.mount(path, path, flags: UInt(MS_BIND | MS_REC))
            try Mounts.mount(path, path, flags: locked | UInt(MS_BIND | MS_REMOUNT | MS_RDONLY))
        }
    }
}
