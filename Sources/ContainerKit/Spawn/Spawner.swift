#if canImport(Glibc)
import Glibc
#endif

/// Starts the first process of a container: clone into new namespaces; the
/// child joins the container's cgroups, pivots into the root and execs.
public enum Spawner {
    public static let namespaces: Namespaces = [.mount, .uts, .ipc, .net, .pid]

    /// Returns the host pid of the container's PID 1 once it has exec'd.
    /// `prepare` runs while the child waits in its new namespaces.
    public static func start(
        _ spec: InitSpec, cgroup: any Cgroup, prepare: (pid_t) throws(SysError) -> Void = { _ in }
    ) throws(SysError) -> pid_t {
        let status = try StatusPipe()
        let pid: pid_t
        do {
            pid = try NamespaceCalls.cloneFork(namespaces)
        } catch {
            status.abandon()
            throw error
        }
        if pid == 0 { Child.run(spec, cgroup: cgroup, status) }
        try status.release(pid, after: prepare)
        return pid
    }
}
