#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Runs a process inside a running container: it joins the container's
/// cgroups and every namespace of its init.
public enum Attach {
    public struct Spec: Sendable {
        public var path: String
        public var argv: [String]
        public var env: [String]
        /// Descriptors for 0, 1, 2 in the child; nil keeps ours.
        public var stdio: [Int32]?
        /// Make stdio[0] the controlling terminal of a new session.
        public var controllingTTY = false

        public init(path: String, argv: [String], env: [String], stdio: [Int32]? = nil) {
            self.path = path
            self.argv = argv
            self.env = env
            self.stdio = stdio
        }
    }

    /// Starts `spec` in the container of `initPID`; returns the child's host pid.
    ///
    /// The child is spawned posix_spawn-style (no copy of this process), so
    /// it cannot wait to be placed in the cgroups: this process joins them
    /// first and the child inherits them. With `returnAfter`, this process
    /// goes back to its own cgroups once the child runs (a vzctl that stays
    /// inside would be killed with the container, as vzctl exec always was).
    public static func spawn(_ spec: Spec, initPID: pid_t, cgroup: any Cgroup, returnAfter: Bool = false) throws(SysError) -> pid_t {
        let fds = try NamespaceCalls.open(of: initPID, [.ipc, .uts, .net, .pid, .cgroup, .time, .mount])
        defer { for (fd, _) in fds { close(fd) } }
        // The child joins it first, as its root (LOCAL_UID).
        let userns = try NamespaceCalls.foreignUserNamespace(of: initPID)
        defer { if let userns { close(userns) } }
        // This process joins two of them itself. Joining the PID namespace
        // moves only our future children, so the spawned process lands
        // inside while this one stays on the host. The child shares our
        // memory, which the kernel allows only within our time namespace
        // (a restored container has its own). Both are left again after,
        // so later children of ours are the host's (once the container is
        // gone, a fork into its PID namespace fails with ENOMEM).
        let ours = fds.filter { $0.flag == .pid || $0.flag == .time }
        var homes: [(fd: Int32, flag: Namespaces)] = []
        defer {
            for (fd, flag) in homes {
                _ = try? NamespaceCalls.setns(fd, flag)
                close(fd)
            }
        }
        for (fd, flag) in ours {
            homes += try NamespaceCalls.open(of: getpid(), flag)
            try NamespaceCalls.setns(fd, flag)
        }
        let home = returnAfter ? cgroup.currentPlacement() : []
        try cgroup.join()
        defer { for file in home { try? Files.writeExisting(file, "0") } }
        let joined = fds.filter { $0.flag != .pid && $0.flag != .time }
        // SAFETY: every buffer below is freed only after vz_attach_spawn has
        // returned, and the child (sharing our memory) has exec'd or exited by then.
        let nsFDs = CArray(joined.map(\.fd))
        let nsTypes = CArray(joined.map(\.flag.rawValue))
        let stdio = spec.stdio.map(CArray.init)
        let argv = CStringArray(spec.argv)
        let envp = CStringArray(spec.env)
        let path = CStringArray([spec.path])
        defer {
            nsFDs.free(); nsTypes.free(); stdio?.free(); argv.free(); envp.free(); path.free()
        }
        var attach = vz_attach(
            ns_fds: nsFDs.pointer, ns_types: nsTypes.pointer, ns_count: Int32(joined.count),
            userns_fd: userns ?? -1,
            stdio: stdio?.pointer, controlling_tty: spec.controllingTTY ? 1 : 0, path: path.pointer[0],
            argv: argv.pointer, envp: envp.pointer)
        var stage: UnsafePointer<CChar>?
        fflush(nil)
        let pid = vz_attach_spawn(&attach, &stage)
        if pid < 0 {
            let err = errno
            throw SysError(stage.map { String(cString: $0) } ?? "spawn", spec.path, errno: err)
        }
        return pid
    }

    /// Runs `spec` and waits for it; a Ctrl-C (or kill) meant for us is
    /// passed on.
    public static func run(_ spec: Spec, initPID: pid_t, cgroup: any Cgroup, returnAfter: Bool = false) throws(SysError) -> WaitStatus {
        let pid = try spawn(spec, initPID: initPID, cgroup: cgroup, returnAfter: returnAfter)
        _ = vz_forward_signals(pid)
        defer { _ = vz_forward_signals(0) }
        return try waitFor(pid)
    }

}
