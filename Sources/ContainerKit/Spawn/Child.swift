#if canImport(Glibc)
import Glibc
#endif
import CShims

// The child side of a container start, between clone and exec.
//
// Rules (the parent is single-threaded when it clones, so Swift code is safe
// here, but only as long as these hold):
// - never return: every path ends in execve or _exit;
// - failures go to the parent through the StatusPipe;
// - no stdio: the parent's buffers were flushed before clone.

enum Child {
    /// `socket`: with LOCAL_UID, where the mount namespace comes from (UserNamespace).
    static func run(_ spec: InitSpec, cgroup: any Cgroup, _ status: StatusPipe, socket: Int32? = nil) -> Never {
        status.childSide()
        do {
            // Still the host's uid 0 here, so the cgroup files let us in.
            try cgroup.join()
            try setUp(spec, socket: socket)
        } catch {
            status.childFail(error)
        }
        status.childReady()
        let path = spec.argv[0]
        _ = withCStrings(spec.argv) { argv in
            withCStrings(spec.env) { env in execve(path, argv, env) }
        }
        status.childFail("execve \(path)", errno)
    }

    private static func setUp(_ spec: InitSpec, socket: Int32?) throws(SysError) {
        if let socket {
            try UserNamespace.enter(socket: socket)
        }
        // After joining the container's cgroups, so the namespace's root is
        // the container's own cgroup.
        try NamespaceCalls.unshare(.cgroup)
        if case .devNull = spec.stdio { _ = setsid() }
        if socket == nil {
            try Mounts.mount("none", "/", flags: UInt(MS_REC | MS_PRIVATE))
            try enterRoot(spec.root)
            try mountSpecialFilesystems(extraNodes: spec.deviceNodes, ptys: spec.ptys)
        }
        try check("sethostname", spec.hostname) { sethostname(spec.hostname, spec.hostname.utf8.count) }
        // Best effort, as the dist scripts were: a container that broke its
        // own /etc still starts (`vzctl set` reports such a failure).
        try? GuestFiles.apply(spec.guest)
        try Link.up(index: 1, name: "lo")
        if spec.waitFifo {
            unlink(InitSpec.fifoPath)
            try check("mkfifo", InitSpec.fifoPath) { mkfifo(InitSpec.fifoPath, 0o600) }
        }
        if let files = spec.openFiles { try Rlimit.setOpenFiles(files) }
        try setUpStdio(spec.stdio)
        try check("close_range") { vz_cloexec_from(3) }
        // sysvinit blocks nothing itself: with SIGCHLD blocked by vzctl's
        // caller (a test runner's thread, say) it never reaps its children.
        try check("sigprocmask") { vz_reset_signals() }
        try check("prctl PR_CAPBSET_DROP") { vz_drop_container_caps() }
        try check("prctl PR_SET_SECCOMP") { vz_install_container_seccomp() }
    }

    /// pivot_root, not chroot: CRIU cannot dump a chrooted tree, and chroot
    /// leaves the host's root reachable.
    static func enterRoot(_ root: String) throws(SysError) {
        try check("chdir", root) { chdir(root) }
        try check("pivot_root", root) { vz_pivot_root(".", ".") }
        try Mounts.unmount(".", flags: Int32(MNT_DETACH))
        try check("chdir", "/") { chdir("/") }
    }

    /// Mounted from inside, after pivot_root, so a symlink planted in the
    /// container resolves inside the container.
    /// `owner`: with LOCAL_UID, the host ids of the container's root, who
    /// gets /dev (mounted by the host's root, so its ids would show as
    /// nobody inside). `ptys`: numpty, the size of its devpts.
    static func mountSpecialFilesystems(extraNodes: [InitSpec.DeviceNode], ptys: Int64?, owner: IDMap? = nil) throws(SysError) {
        let noexec = UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC)
        let ids = owner.map { ",uid=\($0.uid),gid=\($0.gid)" } ?? ""
        let ttyGroup = owner.map { $0.gid + 5 } ?? 5
        try ensureDirectory("/proc")
        try Mounts.mount("proc", "/proc", type: "proc", flags: noexec)
        try ensureDirectory("/sys")
        try Mounts.mount("sysfs", "/sys", type: "sysfs", flags: noexec | UInt(MS_RDONLY))
        try ensureDirectory("/dev")
        try mountDev(at: "/dev", extraNodes: extraNodes, owner: owner)
        try Mounts.mount("devpts", "/dev/pts", type: "devpts", flags: UInt(MS_NOSUID | MS_NOEXEC),
                         data: "newinstance,ptmxmode=0666,mode=0620,gid=\(ttyGroup)" + (ptys.map { ",max=\($0)" } ?? ""))
        try Mounts.mount("shm", "/dev/shm", type: "tmpfs", flags: UInt(MS_NOSUID | MS_NODEV), data: "mode=1777" + ids)
        try KernelMasks.apply()
    }

    /// The container's /dev: a tmpfs on `dev` (its path, "/dev" inside; a
    /// directory of the host for a restore, see CriuUserNamespace) with the
    /// basic nodes, `extraNodes` (paths under /dev), the links, and the
    /// directories where devpts and shm are mounted.
    static func mountDev(at dev: String, extraNodes: [InitSpec.DeviceNode], owner: IDMap?) throws(SysError) {
        let ids = owner.map { ",uid=\($0.uid),gid=\($0.gid)" } ?? ""
        func own(_ path: String) throws(SysError) {
            if let owner { try check("lchown", path) { lchown(path, owner.uid, owner.gid) } }
        }
        try Mounts.mount("tmpfs", dev, type: "tmpfs", flags: UInt(MS_NOSUID | MS_NOEXEC), data: "mode=755,size=65536k" + ids)
        for (name, major, minor) in [
            ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
        ] as [(String, UInt32, UInt32)] {
            let path = dev + "/" + name
            try check("mknod", path) { mknod(path, S_IFCHR | 0o666, vz_makedev(major, minor)) }
            try check("chmod", path) { chmod(path, 0o666) }  // umask narrowed mknod's mode
            try own(path)
        }
        for var node in extraNodes {
            if dev != "/dev" && node.path.hasPrefix("/dev/") { node.path = dev + node.path.dropFirst(4) }
            try node.make()
            try own(node.path)
        }
        try ensureDirectory(dev + "/pts")
        try ensureDirectory(dev + "/shm")
        for (link, target) in [
            ("ptmx", "pts/ptmx"), ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
            ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
        ] {
            let path = dev + "/" + link
            try check("symlink", path) { symlink(target, path) }
            try own(path)
        }
    }

    private static func ensureDirectory(_ path: String) throws(SysError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw SysError("mkdir", path) }
    }

    private static func setUpStdio(_ stdio: InitSpec.Stdio) throws(SysError) {
        switch stdio {
        case .devNull:
            let null = try check("open", "/dev/null") { open("/dev/null", O_RDWR) }
            for fd in Int32(0)...2 { try check("dup2") { dup2(null, fd) } }
            if null > 2 { close(null) }
        case .inherit(let stdin):
            try check("dup2") { dup2(stdin, 0) }
        }
    }
}
