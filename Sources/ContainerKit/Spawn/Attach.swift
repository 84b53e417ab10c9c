#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Runs a process inside a running container: it joins the container's
/// cgroups and every namespace of its init, as a child of this process.
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
    public static func spawn(_ spec: Spec, initPID: pid_t, cgroup: any Cgroup) throws(SysError) -> pid_t {
        let fds = try NamespaceCalls.open(of: initPID, [.ipc, .uts, .net, .pid, .cgroup, .mount])
        defer { for (fd, _) in fds { close(fd) } }
        // Joining the PID namespace moves only our future children, so the
        // fork below lands inside while this process stays on the host.
        if let pidNS = fds.first(where: { $0.flag == .pid }) {
            try NamespaceCalls.setns(pidNS.fd, .pid)
        }
        let handshake = try Handshake()
        fflush(nil)
        let pid = fork()
        if pid < 0 {
            handshake.abandon()
            throw SysError("fork")
        }
        if pid == 0 { childSide(spec, fds: fds.filter { $0.flag != .pid }, handshake) }
        try handshake.release(pid, into: cgroup)
        return pid
    }

    /// Runs `spec` and waits for it.
    public static func run(_ spec: Spec, initPID: pid_t, cgroup: any Cgroup) throws(SysError) -> WaitStatus {
        let pid = try spawn(spec, initPID: initPID, cgroup: cgroup)
        return try waitFor(pid)
    }

    // Same rules as Child.swift: single-threaded parent, no return, errors
    // through the Handshake.
    private static func childSide(_ spec: Spec, fds: [(fd: Int32, flag: Namespaces)], _ handshake: Handshake) -> Never {
        handshake.childWaitForGo()
        for (fd, flag) in fds {
            do {
                try NamespaceCalls.setns(fd, flag)
            } catch {
                handshake.childFail(error)
            }
        }
        if chdir("/") != 0 { handshake.childFail("chdir /", errno) }
        if let stdio = spec.stdio {
            if spec.controllingTTY {
                _ = setsid()
                if vz_set_ctty(stdio[0]) != 0 { handshake.childFail("ioctl TIOCSCTTY", errno) }
            }
            for (target, source) in stdio.enumerated() where source != Int32(target) {
                if dup2(source, Int32(target)) < 0 { handshake.childFail("dup2", errno) }
            }
        }
        // Nothing of ours but 0..2 may follow into the container: a leaked
        // pipe would let its processes hold the caller's output open (and
        // reach host objects).
        if vz_cloexec_from(3) != 0 { handshake.childFail("close_range", errno) }
        _ = withCStrings(spec.argv) { argv in
            withCStrings(spec.env) { env in execve(spec.path, argv, env) }
        }
        handshake.childFail("execve \(spec.path)", errno)
    }
}
