#if canImport(Glibc)
import Glibc
#endif
import CShims

/// A container with LOCAL_UID: its init is cloned into a user namespace of
/// its own (ids 0...65535 inside are LOCAL_UID... on the host), which owns
/// its PID, network, UTS, IPC and cgroup namespaces. Its mount namespace is
/// made apart, by a helper that is still the host's root:
///
/// 1. the helper joins the init's PID and network namespaces, makes a mount
///    namespace of its own (the host's user namespace owns it), mounts the
///    root id-mapped through the container's user namespace (files keep
///    their owners on the host: 0 on disk is 0 inside), pivots into it and
///    mounts /proc, /sys, /dev and the masks, as Child does without LOCAL_UID;
/// 2. it joins the container's user namespace and unshares its mount
///    namespace: the copy belongs to the container's user namespace, so the
///    kernel locks every mount in it (the masks cannot be unmounted, and no
///    new proc or sysfs can be mounted beside them: mount_too_revealing);
/// 3. it sends that mount namespace to the init over a socket and exits;
///    the init joins it (Child.run).
enum UserNamespace {
    /// uid_map and gid_map of `pid`, from the host.
    static func writeMaps(_ pid: pid_t, _ map: IDMap) throws(SysError) {
        try Files.writeExisting("/proc/\(pid)/uid_map", map.uidMapLine)
        try Files.writeExisting("/proc/\(pid)/gid_map", map.gidMapLine)
    }

    /// Steps 1-3 for the init `pid`, whose socket end gets the namespace.
    static func prepareRoot(_ spec: InitSpec, pid: pid_t, map: IDMap, socket: Int32) throws(SysError) {
        let fds = try NamespaceCalls.open(of: pid, [.net, .pid])
        defer { for (fd, _) in fds { close(fd) } }
        let userPath = "/proc/\(pid)/ns/user"
        let userns = try check("open", userPath) { open(userPath, O_RDONLY | O_CLOEXEC) }
        defer { close(userns) }
        var report: [Int32] = [-1, -1]
        try check("pipe2") { vz_pipe_cloexec(&report) }
        // Our children go into the container's PID namespace (a proc of
        // it can be mounted only from inside); we come back at once.
        let home = try NamespaceCalls.open(of: getpid(), .pid)
        defer { close(home[0].fd) }
        let helper: pid_t
        do {
            try NamespaceCalls.setns(fds[1].fd, .pid)
            helper = try NamespaceCalls.cloneFork([])
        } catch {
            _ = try? NamespaceCalls.setns(home[0].fd, .pid)
            close(report[0]); close(report[1])
            throw error
        }
        // Not in the helper: from inside, the host's PID namespace is out of reach.
        if helper != 0 && (try? NamespaceCalls.setns(home[0].fd, .pid)) == nil { abort() }
        if helper == 0 {
            close(report[0])
            do {
                try NamespaceCalls.setns(fds[0].fd, .net)
                try helperSteps(spec, map: map, userns: userns, socket: socket)
            } catch {
                let what = error.call + (error.object.isEmpty ? "" : " " + error.object)
                _ = try? Files.writeAll(fd: report[1], "\(what)\t\(error.errno)", path: "report pipe")
                _exit(127)
            }
            _exit(0)
        }
        close(report[1])
        let text = (try? Files.readAll(fd: report[0], path: "report pipe")) ?? ""
        close(report[0])
        let status = try waitFor(helper)
        if !text.isEmpty {
            let parts = text.split(separator: "\t")
            throw SysError(String(parts.first ?? "mount helper"), errno: parts.count == 2 ? Int32(parts[1]) ?? EIO : EIO)
        }
        if !status.succeeded { throw SysError("mount helper", spec.root, errno: EIO) }
    }

    /// The helper's side (a fork of a single-threaded vzctl: Child.swift's rules hold).
    private static func helperSteps(_ spec: InitSpec, map: IDMap, userns: Int32, socket: Int32) throws(SysError) {
        try NamespaceCalls.unshare(.mount)
        try Mounts.mount("none", "/", flags: UInt(MS_REC | MS_PRIVATE))
        var stage: UnsafePointer<CChar>?
        if vz_idmapped_tree(spec.root, userns, &stage) != 0 {
            let err = errno
            throw SysError(stage.map { String(cString: $0) } ?? "open_tree", spec.root, errno: err)
        }
        try Child.enterRoot(spec.root)
        try Child.mountSpecialFilesystems(extraNodes: spec.deviceNodes, ptys: spec.ptys, owner: map)
        try NamespaceCalls.setns(userns, .user)
        try check("setresuid") { vz_become_root() }
        try NamespaceCalls.unshare(.mount)
        let mnt = try check("open", "/proc/self/ns/mnt") { open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC) }
        try check("sendmsg", "mount namespace") { vz_send_fd(socket, mnt) }
    }

    /// The init's side, once the helper is done: its root's ids, a cgroup
    /// namespace, and the mount namespace the helper made.
    static func enter(socket: Int32) throws(SysError) {
        try check("setresuid") { vz_become_root() }
        let mnt = try check("recvmsg", "mount namespace") { vz_recv_fd(socket) }
        try NamespaceCalls.setns(mnt, .mount)
        close(mnt)
        close(socket)
        try check("chdir", "/") { chdir("/") }
    }

    /// The socket pair between the helper (index 0, kept by vzctl) and the init (1).
    static func socketPair() throws(SysError) -> [Int32] {
        var fds: [Int32] = [-1, -1]
        try check("socketpair") { vz_socketpair_cloexec(&fds) }
        return fds
    }
}
