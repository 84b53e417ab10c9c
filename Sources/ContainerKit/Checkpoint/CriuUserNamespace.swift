#if canImport(Glibc)
import Glibc
#endif
import CShims

/// What CRIU needs to restore a container with a user namespace (LOCAL_UID)
/// that it cannot do itself:
///
/// - its root id-mapped: `--root` is a path of the host's mount namespace,
///   where VE_ROOT is not id-mapped (only the start helper's mount namespace
///   had it so); an id-mapped clone of it is mounted apart for the restore;
/// - its veth devices: CRIU cannot create a veth pair from inside a user
///   namespace (EOPNOTSUPP), so each pair is made on the host beforehand, the
///   container's end under a spare name, and CRIU moves it in and renames it
///   (`--external netdev[inside]:spare`);
/// - its /dev: a tmpfs with device nodes, which CRIU would make again
///   from inside the user namespace, where mknod is refused; it is dumped
///   as an external mount, and for the restore one is made on the host as
///   the start makes it (the nodes are the configuration's; what the
///   container wrote into /dev itself is lost, /dev/shm and /dev/pts are
///   mounts of their own and come back);
/// - a dump directory that the container's root can reach: the restored
///   tasks are in its user namespace.
enum CriuUserNamespace {
    /// A user namespace with `map`, open: its only process is a child that
    /// exits once the namespace is open (the descriptor keeps it).
    static func userNamespace(_ map: IDMap) throws(SysError) -> Int32 {
        var wait: [Int32] = [-1, -1]
        try check("pipe2") { vz_pipe_cloexec(&wait) }
        let pid: pid_t
        do {
            pid = try NamespaceCalls.cloneFork(.user)
        } catch {
            close(wait[0]); close(wait[1])
            throw error
        }
        if pid == 0 {
            close(wait[1])
            var byte: UInt8 = 0
            _ = read(wait[0], &byte, 1)
            _exit(0)
        }
        close(wait[0])
        defer {
            close(wait[1])
            _ = try? waitFor(pid)
        }
        try UserNamespace.writeMaps(pid, map)
        let path = "/proc/\(pid)/ns/user"
        return try check("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
    }

    /// Mounts an id-mapped clone of the tree at `root` on `target` (made if
    /// need be): ids 0... on disk are the container's root... as its tasks see them.
    static func mountIDMappedRoot(_ root: String, at target: String, map: IDMap) throws(SysError) {
        try Files.makeDirectories(target, mode: 0o700)
        let userns = try userNamespace(map)
        defer { close(userns) }
        var stage: UnsafePointer<CChar>?
        if vz_idmapped_clone(root, userns, target, &stage) != 0 {
            let err = errno
            throw SysError(stage.map { String(cString: $0) } ?? "open_tree", root, errno: err)
        }
        try Mounts.mount("none", target, flags: UInt(MS_REC | MS_PRIVATE))
    }

    /// The container's mounts that its dump leaves out: (mount point, key).
    static let externalMounts = [("/dev", "vzdev")]

    /// Mounts a /dev for the container on `target`, private, as the start
    /// makes it: what CRIU binds on the restored container's /dev.
    static func mountDev(at target: String, nodes: [InitSpec.DeviceNode], map: IDMap) throws(SysError) {
        try Files.makeDirectories(target, mode: 0o700)
        try Child.mountDev(at: target, extraNodes: nodes, owner: map)
        try Mounts.mount("none", target, flags: UInt(MS_PRIVATE))
    }

    /// Unmounts what `mountIDMappedRoot` or `mountDev` mounted on `target`
    /// and removes it.
    /// The restored container's mount namespace keeps its own copy.
    static func unmount(_ target: String) {
        _ = umount2(target, Int32(MNT_DETACH))
        rmdir(target)
    }

    /// The first directory of `path` (itself included) that the container's
    /// root (host ids `map`) cannot search, or nil.
    static func unreachable(_ path: String, by map: IDMap) -> String? {
        var prefixes: [String] = []
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + part
            prefixes.append(current)
        }
        for dir in ["/"] + prefixes {
            var st = stat()
            guard stat(dir, &st) == 0 else { return dir }
            let mode = UInt32(st.st_mode)
            let shift: UInt32 = st.st_uid == map.uid ? 6 : st.st_gid == map.gid ? 3 : 0
            if (mode >> shift) & 0o1 == 0 { return dir }
        }
        return nil
    }

    /// A veth pair the restore will need: `inside` is the container's name
    /// for its end, `host` the host's end.
    struct Pair {
        var inside: String
        var insideMAC: [UInt8]
        var host: String
        var hostMAC: [UInt8]
    }

    /// The spare name of pair `n`'s container end until CRIU renames it.
    static func spareName(_ ctid: CTID, _ n: Int) -> String {
        "vzr\(String(ctid.value, radix: 16)).\(n)"
    }

    /// Makes `pairs` on the host; returns (inside, spare) for CRIU's
    /// `--external netdev[...]`. On failure none is left.
    static func preparePairs(_ ctid: CTID, _ pairs: [Pair]) throws(SysError) -> [(String, String)] {
        var made: [(String, String)] = []
        do {
            for (n, pair) in pairs.enumerated() {
                let spare = spareName(ctid, n)
                try Link.delete(name: spare)
                try Link.delete(name: pair.host)
                try Link.createVeth(name: pair.host, mac: pair.hostMAC, peer: spare, peerMAC: pair.insideMAC, peerPID: getpid())
                made.append((pair.inside, spare))
            }
        } catch {
            removePairs(ctid, pairs)
            throw error
        }
        return made
    }

    /// Removes what `preparePairs` made (after a failed restore).
    static func removePairs(_ ctid: CTID, _ pairs: [Pair]) {
        for (n, pair) in pairs.enumerated() {
            try? Link.delete(name: spareName(ctid, n))
            try? Link.delete(name: pair.host)
        }
    }
}
