#if canImport(Glibc)
import Glibc
#endif

/// NETDEV: host interfaces lent to a container, moved into its network
/// namespace at start and given back before it stops (the kernel would
/// return a physical device to the initial namespace on its own, but it
/// destroys a virtual one with the container's namespace).
public enum HostDevice {
    /// Names vzctl refuses to lend.
    public static func isLendable(_ name: String) -> Bool {
        NetIf.isValidName(name) && !["venet", "tun", "tap", "lo"].contains { name.hasPrefix($0) }
    }

    public static func lend(_ names: [String], to pid: pid_t) throws(SysError) {
        for name in names { try Link.move(name: name, toPID: pid) }
    }

    /// Moves the devices from the container of `pid` back here; one the
    /// container no longer has is skipped.
    public static func reclaim(_ names: [String], from pid: pid_t) throws(SysError) {
        guard !names.isEmpty else { return }
        let home = try check("open", "/proc/self/ns/net") { open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) }
        defer { close(home) }
        try NetworkNamespace.within(pid) { () throws(SysError) in
            for name in names where if_nametoindex(name) != 0 {
                try Link.move(name: name, toNamespaceFD: home)
            }
        }
    }
}
