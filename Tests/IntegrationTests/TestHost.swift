import CShims
import ContainerKit
import Foundation
import Testing

/// A throw-away vzkit "host": its own VZ_PREFIX, the shipped samples, and the
/// busybox template cache (built once per test run by the real `vzpkg`).
/// Commands run as the real binary, under the names vzctl/vzlist/vzpkg.
final class TestHost: @unchecked Sendable {
    let prefix: String
    private var started: [String] = []

    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The binary under test: VZCTL_BIN, else the debug build of this package.
    static let binary: String = ProcessInfo.processInfo.environment["VZCTL_BIN"] ?? packageRoot + "/.build/debug/vzctl"

    /// A bin directory with the three names linked to the binary.
    static let binDir: String = {
        let dir = NSTemporaryDirectory() + "vzkit-it-bin-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["vzctl", "vzlist", "vzpkg", "vzubc", "vzcpucheck", "vzsplit", "vzmemcheck", "vzcalc", "vzpid", "vz", "vzmigrate"] {
            try? FileManager.default.removeItem(atPath: "\(dir)/\(name)")
            try? FileManager.default.createSymbolicLink(atPath: "\(dir)/\(name)", withDestinationPath: binary)
        }
        return dir
    }()

    /// One template cache for every test host of this run.
    static let templateCache: String = {
        let dir = NSTemporaryDirectory() + "vzkit-it-cache-\(getpid())"
        let result = run(["vzpkg", "create", "cache", "busybox"], env: ["VZ_PREFIX": dir])
        precondition(result.code == 0, "vzpkg create cache busybox failed: \(result.stderr)")
        return dir + "/vz/template/cache/busybox.tar.gz"
    }()

    init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        prefix = NSTemporaryDirectory() + "vzkit-it-\(safe)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fm = FileManager.default
        try fm.createDirectory(atPath: prefix + "/etc/vz/conf", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/vz/template/cache", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/var/log", withIntermediateDirectories: true)
        for sample in try fm.contentsOfDirectory(atPath: Self.packageRoot + "/conf") where sample.hasSuffix(".conf-sample") {
            try fm.copyItem(atPath: Self.packageRoot + "/conf/" + sample, toPath: prefix + "/etc/vz/conf/" + sample)
        }
        try fm.copyItem(atPath: Self.templateCache, toPath: prefix + "/vz/template/cache/busybox.tar.gz")
    }

    /// Stops and destroys every container this host made, then removes it.
    deinit {
        for ctid in started {
            _ = run("vzctl", "stop", ctid, "--fast")
            _ = run("vzctl", "destroy", ctid)
        }
        _ = Self.run(["umount", "-R", prefix + "/vz/root"], env: [:])
        if privatesMounted { _ = Self.run(["umount", "-l", prefix + "/vz/private"], env: [:]) }
        for dir in cgroupDirs("0") { rmdir((dir as NSString).deletingLastPathComponent) }
        try? FileManager.default.removeItem(atPath: prefix)
    }

    struct Result: CustomStringConvertible {
        let code: Int32
        let stdout: String
        let stderr: String
        var description: String { "exit \(code)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    func run(_ args: String..., stdin: String? = nil) -> Result {
        run(args, stdin: stdin)
    }

    func run(_ args: [String], stdin: String? = nil) -> Result {
        Self.run(args, env: ["VZ_PREFIX": prefix], stdin: stdin)
    }

    /// Longer than any command of the suite takes on a loaded machine (a
    /// Debian template build is the slowest, about a minute).
    static let commandTimeout: Double = 900

    /// Runs a command (vzctl, vzlist, vzpkg or any program on PATH) and waits.
    /// posix_spawn and poll rather than Foundation's Process: that one died
    /// of a `try!` on EINTR inside Process.run once, taking every test left
    /// with it.
    static func run(_ args: [String], env: [String: String], stdin: String? = nil) -> Result {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard vz_pipe_cloexec(&outPipe) == 0, vz_pipe_cloexec(&errPipe) == 0 else {
            return Result(code: -1, stdout: "", stderr: "test host: pipe: \(String(cString: strerror(errno)))")
        }
        let input = inputFile(stdin)
        let spawned = spawn(args, env: env, stdio: [input, outPipe[1], errPipe[1]])
        close(input)
        close(outPipe[1])
        close(errPipe[1])
        guard case .success(let pid) = spawned else {
            close(outPipe[0])
            close(errPipe[0])
            return Result(code: -1, stdout: "", stderr: "test host: posix_spawn: \(spawned)")
        }
        // Read both pipes as they fill, so a chatty command cannot block on
        // a full one. A hung command fails its own test rather than the
        // whole run, which CI cuts off with nothing to show for it.
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0),
                   pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var data = [Data(), Data()]
        var buffer = [UInt8](repeating: 0, count: 65536)
        let started = Date()
        var timedOut = false
        while fds.contains(where: { $0.fd >= 0 }) {
            let elapsed = Date().timeIntervalSince(started)
            if elapsed > commandTimeout && !timedOut {
                timedOut = true
                kill(pid, SIGKILL)
            }
            // What the killed command's children still hold open is given up on.
            if elapsed > commandTimeout + 10 { break }
            let ready = poll(&fds, nfds_t(fds.count), 1000)
            if ready < 0 && errno != EINTR { break }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = Glibc.read(fds[i].fd, &buffer, buffer.count)
                if n > 0 {
                    data[i].append(contentsOf: buffer[0..<n])
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(fds[i].fd)
                    fds[i].fd = -1
                }
            }
        }
        for f in fds where f.fd >= 0 { close(f.fd) }
        let code = Launched(pid: pid).wait()
        let note = timedOut ? "\n(test host: \(args.joined(separator: " ")) killed after \(Int(commandTimeout)) s)" : ""
        return Result(code: code,
                      stdout: String(decoding: data[0], as: UTF8.self),
                      stderr: String(decoding: data[1], as: UTF8.self) + note)
    }

    /// The command's stdin: `text` in a pipe (small: it must fit), else /dev/null.
    private static func inputFile(_ text: String?) -> Int32 {
        guard let text else { return open("/dev/null", O_RDONLY | O_CLOEXEC) }
        var ends: [Int32] = [-1, -1]
        precondition(vz_pipe_cloexec(&ends) == 0 && text.utf8.count < 65536, "test host: stdin pipe")
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(ends[1], $0.baseAddress, $0.count) }
        close(ends[1])
        return ends[0]
    }

    struct SpawnError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { String(cString: strerror(code)) }
    }

    /// `/usr/bin/env ARGS` with PATH leading to binDir and `env` added,
    /// its stdin, stdout and stderr from `stdio`.
    static func spawn(_ args: [String], env: [String: String], stdio: [Int32]) -> Swift.Result<pid_t, SpawnError> {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = binDir + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        for (k, v) in env { environment[k] = v }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, fd) in stdio.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, Int32(target)) }
        // Nothing else of ours: a test's file open for writing (a probe being
        // copied in) would make that program "Text file busy" for as long
        // as this child lives.
        vz_spawn_close_from(&actions, 3)
        let argv = ["/usr/bin/env"] + args
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let code = withCStringArray(argv) { cArgv in
            withCStringArray(envp) { cEnv in posix_spawn(&pid, "/usr/bin/env", &actions, nil, cArgv, cEnv) }
        }
        return code == 0 ? .success(pid) : .failure(SpawnError(code: code))
    }

    /// A command started and not waited for.
    struct Launched {
        let pid: pid_t

        /// Reaps it: the exit code, or the signal that killed it (as
        /// Foundation's terminationStatus).
        @discardableResult
        func wait() -> Int32 {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
        }
    }

    /// Starts a command of this host without waiting for it (its output is dropped).
    func launch(_ args: String...) -> Launched { launch(args) }

    func launch(_ args: [String]) -> Launched {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        guard case .success(let pid) = Self.spawn(args, env: ["VZ_PREFIX": prefix], stdio: [null, null, null]) else {
            preconditionFailure("test host: cannot start \(args)")
        }
        return Launched(pid: pid)
    }

    private static func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }

    /// Puts a template cache made elsewhere (DebianCache) into this host's cache directory.
    func addTemplate(_ tarball: String) throws {
        let target = prefix + "/vz/template/cache/" + (tarball as NSString).lastPathComponent
        // A hard link where the file system allows it: the Debian cache is ~50 MB.
        if link(tarball, target) != 0 { try FileManager.default.copyItem(atPath: tarball, toPath: target) }
    }

    /// Creates a container from a template (busybox unless told); it is
    /// cleaned up with the host.
    @discardableResult
    func create(_ ctid: String, template: String = "busybox", _ extra: String...) throws -> Result {
        try create(ctid, template: template, options: extra)
    }

    @discardableResult
    func create(_ ctid: String, template: String = "busybox", options extra: [String]) throws -> Result {
        let result = Self.run(["vzctl", "create", ctid, "--ostemplate", template] + extra, env: ["VZ_PREFIX": prefix])
        try #require(result.code == 0, "\(result)")
        started.append(ctid)
        return result
    }

    func start(_ ctid: String) throws {
        let result = run("vzctl", "start", ctid)
        try #require(result.code == 0, "\(result)")
        #expect(result.stderr.isEmpty, "start wrote to stderr: \(result.stderr)")
    }

    /// Waits (up to 5 s) until init is alone, its boot scripts done, so
    /// process counts are stable.
    func waitUntilIdle(_ ctid: String) {
        for _ in 0..<250 {
            let dir = cgroupDirs(ctid).first { $0.contains("/pids/") } ?? cgroupDirs(ctid).first ?? ""
            if read(dir + "/pids.current") == "1\n" { return }
            usleep(20_000)
        }
    }

    /// Whether a loop device still has a file of this container's private
    /// area behind it, after the kernel's deferred detach had its moment.
    func loopDeviceLeft(_ ctid: String) -> Bool {
        for _ in 0..<40 {
            if !Self.run(["losetup", "-a"], env: [:]).stdout.contains(privatePath(ctid) + "/") { return false }
            usleep(50_000)
        }
        return true
    }

    private var privatesMounted = false

    /// Puts this host's private areas on an ext4 of its own with project
    /// quota (simfs disk limits), unmounted with the host.
    func mountProjectQuotaPrivates(sizeMB: Int = 256) throws {
        let image = prefix + "/private.img"
        let privates = prefix + "/vz/private"
        try FileManager.default.createDirectory(atPath: privates, withIntermediateDirectories: true)
        try #require(Self.run(["truncate", "-s", "\(sizeMB)M", image], env: [:]).code == 0)
        try #require(Self.run(["mkfs.ext4", "-q", "-O", "quota,project", image], env: [:]).code == 0)
        try #require(Self.run(["mount", "-o", "loop,prjquota", image, privates], env: [:]).code == 0)
        privatesMounted = true
    }

    func confPath(_ ctid: String) -> String { "\(prefix)/etc/vz/conf/\(ctid).conf" }
    func privatePath(_ ctid: String) -> String { "\(prefix)/vz/private/\(ctid)" }
    func rootPath(_ ctid: String) -> String { "\(prefix)/vz/root/\(ctid)" }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// The container's cgroup in the pids hierarchy (v1) or the unified tree.
    func cgroupDirs(_ ctid: String) -> [String] {
        let parent = Self.cgroupParent(prefix)
        let base = "/sys/fs/cgroup"
        if FileManager.default.fileExists(atPath: base + "/cgroup.controllers") { return ["\(base)/\(parent)/\(ctid)"] }
        // unified: the cgroup2 tree of a hybrid host, which holds the sysctl policy.
        let hierarchies = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "unified"]
        return hierarchies.map { "\(base)/\($0)/\(parent)/\(ctid)" }.filter { FileManager.default.fileExists(atPath: (($0 as NSString).deletingLastPathComponent)) }
    }

    /// Host pid of the container's init (the one whose NSpid ends in 1).
    func initPID(_ ctid: String) -> Int32? {
        for dir in cgroupDirs(ctid) {
            guard let procs = read(dir + "/cgroup.procs") else { continue }
            for pid in procs.split(separator: "\n") {
                let status = read("/proc/\(pid)/status") ?? ""
                if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }),
                   line.split(whereSeparator: { $0 == "\t" || $0 == " " }).last == "1" {
                    return Int32(pid)
                }
            }
        }
        return nil
    }

    static func cgroupParent(_ prefix: String) -> String {
        Layout(prefix: prefix).cgroupParent
    }
}

let isRoot = getuid() == 0
