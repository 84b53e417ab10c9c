#if canImport(Glibc)
import Glibc
#endif
import CShims

/// The parent/child protocol of a container's first process. The child
/// waits for a first "go" byte while the parent sets up what needs the
/// child's namespaces (its network), sets itself up, says it is ready with
/// a NUL byte and waits for a second "go" before it execs (the parent runs
/// CTID.start meanwhile). A failure before exec is reported as
/// "stage\terrno" on a close-on-exec pipe, so EOF without a report means
/// the exec succeeded; EOF on "go" means the parent gave up (or died).
struct StatusPipe {
    private var fds: [Int32] = [-1, -1]
    private var go: [Int32] = [-1, -1]

    init() throws(SysError) {
        try check("pipe2") { vz_pipe_cloexec(&fds) }
        do {
            try check("pipe2") { vz_pipe_cloexec(&go) }
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
    }

    func abandon() {
        for fd in fds + go { close(fd) }
    }

    // MARK: child side (after clone: see Child.swift for the rules)

    /// Blocks until the parent says go: there is nothing to start otherwise.
    func childSide() {
        close(fds[0])
        close(go[1])
        childWaitForGo()
    }

    /// Set up: tells the parent, then waits for the second go.
    func childReady() {
        var ready: UInt8 = 0
        if write(fds[1], &ready, 1) != 1 { _exit(1) }
        childWaitForGo()
    }

    private func childWaitForGo() {
        var byte: UInt8 = 0
        if read(go[0], &byte, 1) != 1 { _exit(1) }
    }

    func childFail(_ stage: String, _ err: Int32) -> Never {
        _ = try? Files.writeAll(fd: fds[1], "\(stage)\t\(err)", path: "status pipe")
        _exit(127)
    }

    func childFail(_ error: SysError) -> Never {
        childFail(error.call + (error.object.isEmpty ? "" : " " + error.object), error.errno)
    }

    // MARK: parent side

    /// Runs `prepare`, lets `pid` set itself up and waits until it is ready
    /// to exec, or throws why it could not (after reaping it).
    func setUp(_ pid: pid_t, after prepare: (pid_t) throws(SysError) -> Void) throws(SysError) {
        close(fds[1])
        close(go[0])
        do throws(SysError) {
            try prepare(pid)
            try sendGo()
            var byte: UInt8 = 1
            let n = read(fds[0], &byte, 1)
            if n == 1 && byte == 0 { return }
            if n < 0 { throw SysError("read", "status pipe") }
            let rest = try Files.readAll(fd: fds[0], path: "status pipe")
            throw Self.report(n == 1 ? String(decoding: [byte], as: UTF8.self) + rest : rest)
        } catch {
            cancel(pid)
            throw error
        }
    }

    /// Lets a ready `pid` exec and waits until it has.
    func go(_ pid: pid_t) throws(SysError) {
        defer { close(fds[0]) }
        try sendGo()
        close(go[1])
        let report = try Files.readAll(fd: fds[0], path: "status pipe")
        if report.isEmpty { return }
        _ = try? waitFor(pid)
        throw Self.report(report)
    }

    /// Closes "go" unsent: the child exits; reaps it.
    func cancel(_ pid: pid_t) {
        close(go[1])
        close(fds[0])
        _ = try? waitFor(pid)
    }

    private func sendGo() throws(SysError) {
        var byte: UInt8 = 1
        if write(go[1], &byte, 1) != 1 { throw SysError("write", "status pipe") }
    }

    private static func report(_ text: String) -> SysError {
        let parts = text.split(separator: "\t")
        return SysError(String(parts.first ?? "exec"), errno: parts.count == 2 ? Int32(parts[1]) ?? EIO : EIO)
    }
}
