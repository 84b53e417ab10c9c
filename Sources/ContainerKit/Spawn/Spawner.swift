#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Starts the first process of a container: clone into new namespaces, place
/// it in the container's cgroups, let it pivot into the root and exec.
public enum Spawner {
    public static let namespaces: Namespaces = [.mount, .uts, .ipc, .net, .pid]

    /// Returns the host pid of the container's PID 1 once it has exec'd.
    public static func start(_ spec: InitSpec, cgroup: any Cgroup) throws(SysError) -> pid_t {
        var goPipe: [Int32] = [0, 0]
        var statusPipe: [Int32] = [0, 0]
        try check("pipe2") { vz_pipe_cloexec(&goPipe) }
        try check("pipe2") { vz_pipe_cloexec(&statusPipe) }
        let pid: pid_t
        do {
            pid = try NamespaceCalls.cloneFork(namespaces)
        } catch {
            for fd in goPipe + statusPipe { close(fd) }
            throw error
        }
        if pid == 0 {
            close(goPipe[1])
            close(statusPipe[0])
            Child.run(spec, go: goPipe[0], status: statusPipe[1])
        }
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
        if report.isEmpty { return pid }
        _ = try? waitFor(pid)
        let parts = report.split(separator: "\t")
        let err = parts.count == 2 ? Int32(parts[1]) ?? EIO : EIO
        throw SysError(String(parts.first ?? "container init"), errno: err)
    }
}
