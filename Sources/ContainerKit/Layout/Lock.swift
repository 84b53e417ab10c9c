#if canImport(Glibc)
import Glibc
#endif

/// vzctl's per-container lock: `LOCKDIR/CTID.lck` holding the holder's pid,
/// made atomically with link(2); a lock left by a dead process is taken over.
public final class CTLock {
    public let path: String
    private var held = false

    public enum Failure: Error, Sendable {
        /// Held by a live process.
        case locked(pid: pid_t, cmdline: String)
        case io(SysError)
    }

    public init(dir: String, ctid: CTID) throws(Failure) {
        path = "\(dir)/\(ctid).lck"
        do {
            try Files.makeDirectories(dir)
        } catch {
            throw .io(error)
        }
        let tmp = try Self.writeTemp(dir: dir, ctid: ctid)
        defer { unlink(tmp) }
        for _ in 0..<3 {
            if link(tmp, path) == 0 {
                held = true
                return
            }
            if Glibc.errno != EEXIST { throw .io(SysError("link", path)) }
            switch Self.holder(path) {
            case .alive(let pid):
                throw .locked(pid: pid, cmdline: Self.cmdline(pid))
            case .unreadable:
                usleep(500_000)
            case .stale:
                unlink(path)
            }
        }
        throw .io(SysError("link", path, errno: EEXIST))
    }

    private static func writeTemp(dir: String, ctid: CTID) throws(Failure) -> String {
        let fd: Int32
        let tmp: String
        do {
            (fd, tmp) = try Files.makeTempFile("\(dir)/\(ctid).lck")
        } catch {
            throw .io(error)
        }
        defer { close(fd) }
        do {
            try Files.writeAll(fd: fd, "\(getpid())\n\n", path: tmp)
        } catch {
            unlink(tmp)
            throw .io(error)
        }
        return tmp
    }

    enum Holder {
        case alive(pid_t)
        case stale
        case unreadable
    }

    static func holder(_ path: String) -> Holder {
        guard let text = try? Files.read(path) else { return .unreadable }
        guard let first = text.split(separator: "\n").first, let pid = pid_t(first), pid > 0 else {
            return .stale
        }
        return Files.exists("/proc/\(pid)") ? .alive(pid) : .stale
    }

    static func cmdline(_ pid: pid_t) -> String {
        let raw = (try? Files.read("/proc/\(pid)/cmdline")) ?? ""
        return raw.split(separator: "\0").joined(separator: " ")
    }

    /// Removes the lock file; called once the command is done (and on deinit).
    public func release() {
        if held { unlink(path) }
        held = false
    }

    deinit { release() }
}
