#if canImport(Glibc)
import Glibc
#endif

public enum NetworkNamespace {
    /// Runs `body` in the network namespace of `pid`: sockets made inside
    /// stay bound to the container's namespace; names and indexes are its own.
    public static func within<T>(_ pid: pid_t, _ body: () throws(SysError) -> T) throws(SysError) -> T {
        try NamespaceCalls.within(pid, .net, body)
    }

    /// The index of interface `name` in the caller's network namespace.
    static func index(of name: String) throws(SysError) -> Int32 {
        let index = if_nametoindex(name)
        if index == 0 { throw SysError("if_nametoindex", name) }
        return Int32(index)
    }
}
