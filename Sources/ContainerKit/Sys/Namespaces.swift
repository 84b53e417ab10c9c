#if canImport(Glibc)
import Glibc
#endif
import CShims

/// The namespaces a container gets, as clone/unshare/setns flags.
public struct Namespaces: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let mount = Namespaces(rawValue: Int32(VZ_CLONE_NEWNS))
    public static let uts = Namespaces(rawValue: Int32(VZ_CLONE_NEWUTS))
    public static let ipc = Namespaces(rawValue: Int32(VZ_CLONE_NEWIPC))
    public static let net = Namespaces(rawValue: Int32(VZ_CLONE_NEWNET))
    public static let pid = Namespaces(rawValue: Int32(VZ_CLONE_NEWPID))
    public static let cgroup = Namespaces(rawValue: Int32(VZ_CLONE_NEWCGROUP))
    /// Not made by vzctl; a restored container has one (CRIU keeps its
    /// clocks going on from where they were dumped).
    public static let time = Namespaces(rawValue: Int32(VZ_CLONE_NEWTIME))
    /// Made for a container with LOCAL_UID; joined before any other.
    public static let user = Namespaces(rawValue: Int32(VZ_CLONE_NEWUSER))

    /// Name under /proc/PID/ns/ and the flag setns checks it against.
    static let files: [(name: String, flag: Namespaces)] = [
        ("ipc", .ipc), ("uts", .uts), ("net", .net), ("pid", .pid), ("cgroup", .cgroup), ("time", .time), ("mnt", .mount),
    ]
}

public enum NamespaceCalls {
    public static func unshare(_ ns: Namespaces) throws(SysError) {
        try check("unshare") { vz_unshare(ns.rawValue) }
    }

    /// Opens the namespace files of `pid`, in the order setns should join them
    /// (mount last: after it, /proc paths of the host may be gone).
    public static func open(of pid: pid_t, _ which: Namespaces) throws(SysError) -> [(fd: Int32, flag: Namespaces)] {
        var fds: [(Int32, Namespaces)] = []
        for (name, flag) in Namespaces.files where which.contains(flag) {
            let path = "/proc/\(pid)/ns/\(name)"
            do {
                let fd = try check("open", path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
                fds.append((fd, flag))
            } catch {
                for (fd, _) in fds { close(fd) }
                throw error
            }
        }
        return fds
    }

    /// The user namespace of `pid` when it is not ours (a container with
    /// LOCAL_UID), open; nil when it is ours.
    public static func foreignUserNamespace(of pid: pid_t) throws(SysError) -> Int32? {
        let path = "/proc/\(pid)/ns/user"
        var mine = stat()
        var theirs = stat()
        try check("stat", "/proc/self/ns/user") { stat("/proc/self/ns/user", &mine) }
        let fd = try check("open", path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        if fstat(fd, &theirs) == 0 && theirs.st_ino == mine.st_ino && theirs.st_dev == mine.st_dev {
            close(fd)
            return nil
        }
        return fd
    }

    public static func setns(_ fd: Int32, _ flag: Namespaces) throws(SysError) {
        try check("setns", "\(flag.rawValue)") { vz_setns(fd, flag.rawValue) }
    }

    /// Runs `body` with this (single-threaded) process in namespace `flag`
    /// of `pid`, then returns to its own.
    public static func within<T>(_ pid: pid_t, _ flag: Namespaces, _ body: () throws(SysError) -> T) throws(SysError) -> T {
        guard let name = Namespaces.files.first(where: { $0.flag == flag })?.name else {
            throw SysError("setns", "\(flag.rawValue)", errno: EINVAL)
        }
        let home = try check("open", "/proc/self/ns/\(name)") { Glibc.open("/proc/self/ns/\(name)", O_RDONLY | O_CLOEXEC) }
        defer { close(home) }
        let path = "/proc/\(pid)/ns/\(name)"
        let target = try check("open", path) { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(target) }
        try setns(target, flag)
        defer {
            // Failing to return would leave vzctl working on the wrong host.
            if (try? setns(home, flag)) == nil { abort() }
        }
        return try body()
    }

    /// clone(2) into new namespaces, with fork semantics.
    public static func cloneFork(_ ns: Namespaces) throws(SysError) -> pid_t {
        fflush(nil)  // or the child would write the parent's buffered output again
        return try check("clone") { vz_clone_fork(ns.rawValue) }
    }
}
