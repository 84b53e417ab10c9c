#if canImport(Glibc)
import Glibc
#endif

/// Starts the first process of a container: clone into new namespaces, place
/// it in the container's cgroups, let it pivot into the root and exec.
public enum Spawner {
    public static let namespaces: Namespaces = [.mount, .uts, .ipc, .net, .pid]

    /// Returns the host pid of the container's PID 1 once it has exec'd.
    public static func start(_ spec: InitSpec, cgroup: any Cgroup) throws(SysError) -> pid_t {
        let handshake = try Handshake()
        let pid: pid_t
        do {
            pid = try NamespaceCalls.cloneFork(namespaces)
        } catch {
            handshake.abandon()
            throw error
        }
        if pid == 0 { Child.run(spec, handshake) }
        try handshake.release(pid, into: cgroup)
        return pid
    }
}
