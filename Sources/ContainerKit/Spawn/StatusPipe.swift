#if canImport(Glibc)
import Glibc
#endif
import CShims

/// The parent/child protocol of a container's first process: the child
/// waits for a "go" byte while the parent sets up what needs the child's
/// namespaces (its network), then reports a failure before exec as
/// "stage\terrno" on a close-on-exec pipe, so EOF without a report means
/// the exec succeeded.
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

    /// Blocks until the parent says go. EOF instead means the parent gave up
    /// (or died): there is nothing to start.
    func childSide() {
        close(fds[0])
        close(go[1])
        var byte: UInt8 = 0
        if read(go[0], &byte, 1) != 1 { _exit(1) }
        close(go[0])
    }

    func childFail(_ stage: String, _ err: Int32) -> Never {
        _ = try? Files.writeAll(fd: fds[1], "\(stage)\t\(err)", path: "status pipe")
        _exit(127)
    }

    func childFail(_ error: SysError) -> Never {
        childFail(error.call + (error.object.isEmpty ? "" : " " + error.object), error.errno)
    }

    // MARK: parent side

    /// Runs `prepare`, lets `pid` go and waits until it has exec'd, or
    /// throws why it could not (after reaping it).
    func release(_ pid: pid_t, after prepare: (pid_t) throws(SysError) -> Void) throws(SysError) {
        close(fds[1])
        close(go[0])
        defer { close(fds[0]) }
        do {
            try prepare(pid)
        } catch {
            close(go[1])
            _ = try? waitFor(pid)
            throw error
        }
        var byte: UInt8 = 1
        _ = write(go[1], &byte, 1)
        close(go[1])
        let report = try Files.readAll(fd: fds[0], path: "status pipe")
        if report.isEmpty { return }
        _ = try? waitFor(pid)
        let parts = report.split(separator: "\t")
        throw SysError(String(parts.first ?? "exec"), errno: parts.count == 2 ? Int32(parts[1]) ?? EIO : EIO)
    }
}
