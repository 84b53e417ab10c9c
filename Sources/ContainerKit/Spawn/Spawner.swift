#if canImport(Glibc)
import Glibc
#endif

/// Starts the first process of a container: clone into new namespaces; the
/// child joins the container's cgroups, pivots into the root and execs.
public enum Spawner {
    public static let namespaces: Namespaces = [.mount, .uts, .ipc, .net, .pid]

    /// A container's first process, set up inside its root and waiting to
    /// exec: what runs inside now (the CTID.start script) runs before init.
    public struct Pending {
        public let pid: pid_t
        fileprivate let status: StatusPipe

        /// Lets it exec; returns once it has, or throws why it could not.
        public func exec() throws(SysError) {
            try status.go(pid)
        }

        /// It exits without exec'ing anything.
        public func cancel() {
            status.cancel(pid)
        }
    }

    /// Clones the first process and sets it up up to the exec. `prepare`
    /// runs while the child waits in its new namespaces, before its setup.
    public static func prepare(
        _ spec: InitSpec, cgroup: any Cgroup, prepare: (pid_t) throws(SysError) -> Void = { _ in }
    ) throws(SysError) -> Pending {
        let status = try StatusPipe()
        let pid: pid_t
        do {
            pid = try NamespaceCalls.cloneFork(namespaces)
        } catch {
            status.abandon()
            throw error
        }
        if pid == 0 { Child.run(spec, cgroup: cgroup, status) }
        try status.setUp(pid, after: prepare)
        return Pending(pid: pid, status: status)
    }

    /// Returns the host pid of the container's PID 1 once it has exec'd.
    public static func start(
        _ spec: InitSpec, cgroup: any Cgroup, prepare: (pid_t) throws(SysError) -> Void = { _ in }
    ) throws(SysError) -> pid_t {
        let pending = try Self.prepare(spec, cgroup: cgroup, prepare: prepare)
        try pending.exec()
        return pending.pid
    }
}
