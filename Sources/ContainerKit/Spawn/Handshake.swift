#if canImport(Glibc)
import Glibc
#endif
import CShims

/// The parent/child protocol of every process vzctl starts in a container:
/// the child waits for a "go" byte until the parent has placed it in the
/// container's cgroups, then reports a failure as "stage\terrno" on a
/// close-on-exec status pipe. EOF on that pipe means the exec succeeded.
struct Handshake {
    private var goPipe: [Int32] = [-1, -1]
    private var statusPipe: [Int32] = [-1, -1]

    init() throws(SysError) {
        try check("pipe2") { vz_pipe_cloexec(&goPipe) }
        do {
            try check("pipe2") { vz_pipe_cloexec(&statusPipe) }
        } catch {
            close(goPipe[0])
            close(goPipe[1])
            throw error
        }
    }

    func abandon() {
        for fd in goPipe + statusPipe { close(fd) }
    }

    // MARK: child side (after fork/clone: see Child.swift for the rules)

    /// Blocks until the parent says go. EOF instead means the parent died
    /// before the child was placed: there is nothing to start.
    func childWaitForGo() {
        close(goPipe[1])
        close(statusPipe[0])
        var byte: UInt8 = 0
        if read(goPipe[0], &byte, 1) != 1 { _exit(1) }
        close(goPipe[0])
    }

    func childFail(_ stage: String, _ err: Int32) -> Never {
        _ = try? Files.writeAll(fd: statusPipe[1], "\(stage)\t\(err)", path: "status pipe")
        _exit(127)
    }

    func childFail(_ error: SysError) -> Never {
        childFail(error.call + (error.object.isEmpty ? "" : " " + error.object), error.errno)
    }

    // MARK: parent side

    /// Puts `pid` in `cgroup`, lets it go and waits until it has exec'd (or
    /// failed, which is thrown after reaping it).
    func release(_ pid: pid_t, into cgroup: any Cgroup) throws(SysError) {
        close(goPipe[0])
        close(statusPipe[1])
        defer { close(statusPipe[0]) }
        do {
            try cgroup.add(pid: pid)
        } catch {
            close(goPipe[1])  // the child reads EOF and exits
            _ = try? waitFor(pid)
            throw error
        }
        var go: UInt8 = 1
        _ = write(goPipe[1], &go, 1)
        close(goPipe[1])
        let report = try Files.readAll(fd: statusPipe[0], path: "status pipe")
        if report.isEmpty { return }
        _ = try? waitFor(pid)
        let parts = report.split(separator: "\t")
        throw SysError(String(parts.first ?? "exec"), errno: parts.count == 2 ? Int32(parts[1]) ?? EIO : EIO)
    }
}
