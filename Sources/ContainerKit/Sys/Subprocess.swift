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

    /// Runs `argv` with its stdout and stderr on one pipe, handing each line
    /// of it to `line` as it comes, and waits.
    public static func run(_ argv: [String], eachLine line: (String) -> Void) throws(SysError) -> WaitStatus {
        var ends: [Int32] = [-1, -1]
        try check("pipe2") { vz_pipe_cloexec(&ends) }
        let pid: pid_t
        do {
            pid = try spawn(argv, outputFD: ends[1])
        } catch {
            close(ends[0])
            close(ends[1])
            throw error
        }
        close(ends[1])
        defer { close(ends[0]) }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(ends[0], &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending += chunk[0..<n]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                line(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
        return try waitFor(pid)
    }

    /// Runs `argv` with its stdout and stderr kept, for the message when it
    /// fails (e2fsck, resize2fs: their chatter is no business of our stdout).
    public static func runCapturing(_ argv: [String]) throws(SysError) -> (status: WaitStatus, output: String) {
        var lines: [String] = []
        let status = try run(argv) { lines.append($0) }
        return (status, lines.joined(separator: "\n"))
    }

    /// Like runCapturing, with the file at `input` fed to the child's stdin
    /// from here, so that `meter` learns how much of it was read (percent).
    public static func runCapturing(_ argv: [String], feeding input: String, meter: (Int) -> Void) throws(SysError) -> (status: WaitStatus, output: String) {
        let file = try check("open", input) { open(input, O_RDONLY | O_CLOEXEC) }
        defer { close(file) }
        var st = stat()
        try check("fstat", input) { fstat(file, &st) }
        var fds: [Int32] = [-1, -1]
        try check("pipe2") { vz_pipe_cloexec(&fds) }
        let (out, path) = try Files.makeTempFile("/tmp/vzkit-out.")
        defer {
            close(out)
            unlink(path)
        }
        let pid: pid_t
        do {
            pid = try spawn(argv, outputFD: out, stdin: fds[0])
        } catch {
            close(fds[0])
            close(fds[1])
            throw error
        }
        close(fds[0])
        // A child that stops reading makes write fail with EPIPE, not kill us.
        let oldPipe = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, oldPipe) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var done: Int64 = 0
        var shown = -1
        while true {
            let n = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            if (try? Files.writeAll(fd: fds[1], bytes: buffer[..<n], path: "pipe")) == nil { break }
            done += Int64(n)
            let percent = st.st_size > 0 ? Int(done * 100 / Int64(st.st_size)) : 100
            if percent != shown {
                meter(percent)
                shown = percent
            }
        }
        close(fds[1])
        let status = try waitFor(pid)
        return (status, (try? Files.read(path)) ?? "")
    }

    /// `outputFD` becomes the child's stdout and stderr, `env` replaces our
    /// environment and `stdin` becomes the child's input (the admin's action
    /// scripts get /dev/null; tar a pipe).
    public static func spawn(
        _ argv: [String], stdoutPath: String? = nil, outputFD: Int32? = nil, env: [String]? = nil, stdin: Int32? = nil
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
                if fd < 0 || dup2(fd, 1) < 0 { _exit(127) }
            }
            if let outputFD, dup2(outputFD, 1) < 0 || dup2(outputFD, 2) < 0 { _exit(127) }
            if let stdin, dup2(stdin, 0) < 0 { _exit(127) }
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
