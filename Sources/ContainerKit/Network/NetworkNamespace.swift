#if canImport(Glibc)
import Glibc
#endif

public enum NetworkNamespace {
    /// Runs `body` with this (single-threaded) process in the network
    /// namespace of `pid`, then returns to its own. Sockets made inside stay
    /// bound to the container's namespace; names and indexes are its own.
    public static func within<T>(_ pid: pid_t, _ body: () throws(SysError) -> T) throws(SysError) -> T {
        let home = try check("open", "/proc/self/ns/net") { open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) }
        defer { close(home) }
        let path = "/proc/\(pid)/ns/net"
        let target = try check("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(target) }
        try NamespaceCalls.setns(target, .net)
        defer {
            // Failing to return would leave vzctl configuring the wrong host.
            if (try? NamespaceCalls.setns(home, .net)) == nil { abort() }
        }
        return try body()
    }

    /// The index of interface `name` in the caller's network namespace.
    static func index(of name: String) throws(SysError) -> Int32 {
        let index = if_nametoindex(name)
        if index == 0 { throw SysError("if_nametoindex", name) }
        return Int32(index)
    }
}
