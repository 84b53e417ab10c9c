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
        guard let map = spec.idMap else {
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
        // LOCAL_UID: see UserNamespace for who makes the mount namespace.
        let socket: [Int32]
        do {
            socket = try UserNamespace.socketPair()
        } catch {
            status.abandon()
            throw error
        }
        defer { close(socket[0]) }
        let pid: pid_t
        do {
            pid = try NamespaceCalls.cloneFork(namespaces.subtracting(.mount).union(.user))
        } catch {
            close(socket[1])
            status.abandon()
            throw error
        }
        if pid == 0 {
            close(socket[0])
            Child.run(spec, cgroup: cgroup, status, socket: socket[1])
        }
        close(socket[1])
        try status.setUp(pid) { pid throws(SysError) in
            try UserNamespace.writeMaps(pid, map)
            // Raised from here: inside, a hard limit only goes down.
            if let files = spec.openFiles { try Rlimit.setOpenFiles(files, pid: pid) }
            try prepare(pid)
            try UserNamespace.prepareRoot(spec, pid: pid, map: map, socket: socket[0])
        }
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
