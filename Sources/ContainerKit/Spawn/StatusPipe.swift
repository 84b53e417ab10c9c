#if canImport(Glibc)
import Glibc
#endif
import CShims

/// How a child started between clone and exec tells its parent why it
/// failed: "stage\terrno" on a close-on-exec pipe, so EOF without a report
/// means the exec succeeded.
struct StatusPipe {
    private var fds: [Int32] = [-1, -1]

    init() throws(SysError) {
        try check("pipe2") { vz_pipe_cloexec(&fds) }
    }

    func abandon() {
        close(fds[0])
        close(fds[1])
    }

    // MARK: child side (after clone: see Child.swift for the rules)

    func childSide() {
        close(fds[0])
    }

    func childFail(_ stage: String, _ err: Int32) -> Never {
        _ = try? Files.writeAll(fd: fds[1], "\(stage)\t\(err)", path: "status pipe")
        _exit(127)
    }

    func childFail(_ error: SysError) -> Never {
        childFail(error.call + (error.object.isEmpty ? "" : " " + error.object), error.errno)
    }

    // MARK: parent side

    /// Waits until `pid` has exec'd, or throws why it could not (after reaping it).
    func wait(for pid: pid_t) throws(SysError) {
        close(fds[1])
        defer { close(fds[0]) }
        let report = try Files.readAll(fd: fds[0], path: "status pipe")
        if report.isEmpty { return }
        _ = try? waitFor(pid)
        let parts = report.split(separator: "\t")
        throw SysError(String(parts.first ?? "exec"), errno: parts.count == 2 ? Int32(parts[1]) ?? EIO : EIO)
    }
}
