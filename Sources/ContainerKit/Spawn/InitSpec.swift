#if canImport(Glibc)
import Glibc
#endif

/// What the first process of a new container is and what it finds around it.
public struct InitSpec: Sendable {
    public enum Stdio: Sendable {
        /// The container's own /dev/null: nothing of the host's terminal.
        case devNull
        /// The caller's stdout/stderr, and `stdin` (a descriptor open in the parent) as input.
        case inherit(stdin: Int32)
    }

    /// The container's root as the host sees it (VE_ROOT, already mounted).
    public var root: String
    public var hostname: String
    public var argv: [String]
    public var env: [String]
    public var stdio: Stdio = .devNull
    /// Create `/.vzfifo` for `start --wait`.
    public var waitFifo = false
    /// RLIMIT_NOFILE (numfile) for init and so for everything it starts.
    public var openFiles: Int64?
    /// numpty: the most ptys its devpts hands out.
    public var ptys: Int64?
    /// /etc/hostname, /etc/hosts, /etc/resolv.conf, written after pivot_root.
    public var guest = GuestSettings()
    /// Nodes made in the container's /dev besides the standard ones: its
    /// own disk under the name its root is mounted from (the quota tools
    /// name the device to quotactl(2)), and DEVNODES.
    public var deviceNodes: [DeviceNode] = []
    /// LOCAL_UID/LOCAL_GID: a user namespace of its own and an id-mapped root.
    public var idMap: IDMap?

    public struct DeviceNode: Sendable, Equatable {
        public var path: String
        /// S_IFBLK or S_IFCHR and the permissions.
        public var mode: mode_t
        public var device: dev_t

        public init(path: String, mode: mode_t, device: dev_t) {
            self.path = path
            self.mode = mode
            self.device = device
        }

        /// Makes the node, and its directory (DEVNODES names such as net/tun).
        func make() throws(SysError) {
            let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            if !dir.isEmpty && mkdir(dir, 0o755) != 0 && errno != EEXIST { throw SysError("mkdir", dir) }
            try check("mknod", path) { mknod(path, mode, device) }
        }
    }

    public init(root: String, hostname: String, argv: [String], env: [String] = InitSpec.defaultEnv) {
        self.root = root
        self.hostname = hostname
        self.argv = argv
        self.env = env
    }

    public static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    public static let defaultEnv = ["HOME=/", "TERM=linux", defaultPath]
    public static let fifoPath = "/.vzfifo"
    /// What a template's init runs once it reaches its default runlevel, so
    /// that `vzctl start --wait` returns.
    public static let reportStarted = "/bin/sh -c '[ -p \(fifoPath) ] && : > \(fifoPath)'"
}
