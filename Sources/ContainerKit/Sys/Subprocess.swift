#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Host helper programs (tar, cp). The child is killed with us (PDEATHSIG),
/// so a vzctl killed with -9 leaves no orphan writing into a private area
/// that the next command is about to clean up.
public enum Subprocess {
    /// Runs `argv` and waits. `stdoutPath` redirects the output, when given.
    public static func run(_ argv: [String], stdoutPath: String? = nil) throws(SysError) -> WaitStatus {
        let pid = try spawn(argv, stdoutPath: stdoutPath)
        return try waitFor(pid)
    }

    /// Runs `argv` with its stdout and stderr kept, for the message when it
    /// fails (e2fsck, resize2fs: their chatter is no business of our stdout).
    public static func runCapturing(_ argv: [String]) throws(SysError) -> (status: WaitStatus, output: String) {
        let (fd, path) = try Files.makeTempFile("/tmp/vzkit-out.")
        defer {
            close(fd)
            unlink(path)
        }
        let pid = try spawn(argv, stdoutPath: path, mergeStderr: true)
        let status = try waitFor(pid)
        return (status, (try? Files.read(path)) ?? "")
    }

    /// `env` replaces our environment and `nullStdin` closes the child's
    /// input, for the admin's action scripts.
    public static func spawn(
        _ argv: [String], stdoutPath: String? = nil, mergeStderr: Bool = false, env: [String]? = nil, nullStdin: Bool = false
    ) throws(SysError) -> pid_t {
        guard let path = which(argv[0]) else { throw SysError("exec", argv[0], errno: ENOENT) }
        let parent = getpid()
        fflush(nil)
        let pid = fork()
        if pid < 0 { throw SysError("fork", argv[0]) }
        if pid == 0 {
            // Single-threaded parent: the calls below are safe after fork.
            _ = vz_set_pdeathsig(SIGKILL)
            if getppid() != parent { _exit(127) }
            if let stdoutPath {
                let fd = open(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                if fd < 0 || dup2(fd, 1) < 0 || (mergeStderr && dup2(fd, 2) < 0) { _exit(127) }
            }
            if nullStdin {
                let fd = open("/dev/null", O_RDONLY)
                if fd < 0 || dup2(fd, 0) < 0 { _exit(127) }
            }
            let env = env ?? currentEnvironment()
            _ = withCStrings(argv) { cargv in withCStrings(env) { execve(path, cargv, $0) } }
            _exit(127)
        }
        return pid
    }

    /// `name` itself if it has a slash, else its first executable on PATH.
    static func which(_ name: String) -> String? {
        if name.contains("/") { return name }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    public static func currentEnvironment() -> [String] {
        var result: [String] = []
        var p = environ
        while let entry = p.pointee {
            result.append(String(cString: entry))
            p += 1
        }
        return result
    }
}

/// Passes a NULL-terminated C string array to `body`; the strings live only
/// for the duration of the call.
public func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
