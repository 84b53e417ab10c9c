#if canImport(Glibc)
import Glibc
#endif
import CShims

extension Container {
    public func requireInit() throws(VZError) -> pid_t {
        guard let pid = initPID else { throw VZError(.notRunning, "Container is not running") }
        return pid
    }

    /// The init of a container that is up, for a command that joins it
    /// (exec, enter, runscript, the guest tools). These take no lock, so they
    /// can meet an init that a start is still setting up (its root may still
    /// be the host's, its bounding set full), a restore's half-made tree, or
    /// a frozen container they would hang in.
    public func joinableInit() throws(VZError) -> pid_t {
        let pid = try requireInit()
        if let (operation, _) = journal.pending() {
            let doing = operation == .restore ? "restored" : "checkpointed"
            throw VZError(.notRunning, "Container is being \(doing) (or a killed vzctl left it so: any vzctl command that locks it finishes the job)")
        }
        guard ProcessStatus(pid)?.hasFilter == true else { throw VZError(.notRunning, "Container is not running") }
        // A freeze for a live change or a dump passes in well under a second.
        for _ in 0..<60 where cgroup.isFrozen { usleep(50_000) }
        if cgroup.isFrozen {
            throw VZError(.notRunning, "Container is frozen (vzctl chkpnt --resume or vzctl restore --resume thaws it)")
        }
        return pid
    }

    /// The shell vzctl runs commands with: bash when the container has it.
    func shell(initPID pid: pid_t) throws(VZError) -> String {
        for candidate in ["/bin/bash", "/bin/sh"] where Self.isExecutable("/proc/\(pid)/root\(candidate)") {
            return candidate
        }
        throw VZError(.badTemplate, "Unable to find a shell in the container")
    }

    /// `vzctl exec`: the words joined with spaces and run by the container's
    /// shell (`-` alone: the shell reads the commands from our stdin).
    public func exec(_ words: [String]) throws(VZError) -> WaitStatus {
        let pid = try joinableInit()
        let sh = try shell(initPID: pid)
        let argv = words == ["-"] ? [sh] : [sh, "-c", Self.joinCommand(words)]
        return try run(Attach.Spec(path: sh, argv: argv, env: InitSpec.defaultEnv), initPID: pid)
    }

    /// `vzctl exec3`: argv as given, no shell, found on the container's
    /// PATH. vzpkg and `--userpasswd` run the container's own tools this way,
    /// with their environment and `input` (small: it must fit in a pipe) on
    /// stdin; `returnAfter` for a caller that goes on to stop the container
    /// (see Attach.spawn).
    public func execDirect(
        _ argv: [String], env: [String] = InitSpec.defaultEnv, input: String? = nil, returnAfter: Bool = false
    ) throws(VZError) -> WaitStatus {
        let pid = try joinableInit()
        var path = argv[0]
        if !path.contains("/") {
            path = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
                .map { "\($0)/\(argv[0])" }
                .first { Self.isExecutable("/proc/\(pid)/root\($0)") } ?? path
        }
        return try run(Attach.Spec(path: path, argv: argv, env: env), initPID: pid, input: input, returnAfter: returnAfter)
    }

    /// `vzctl runscript` on a running container: the script's text on the
    /// shell's stdin.
    public func runScript(fd: Int32) throws(VZError) -> WaitStatus {
        try runScript(fd: fd, initPID: try joinableInit())
    }

    /// The script's text on the stdin of the shell of the container whose
    /// first process is `pid` (set up, not necessarily exec'd yet).
    /// `returnAfter`: vzctl goes back to its own cgroups once the shell runs
    /// (it goes on to stop, or to clean up after, the container).
    func runScript(fd: Int32, initPID pid: pid_t, returnAfter: Bool = false) throws(VZError) -> WaitStatus {
        let sh = try shell(initPID: pid)
        let spec = Attach.Spec(path: sh, argv: [sh], env: InitSpec.defaultEnv, stdio: [fd, 1, 2])
        return try run(spec, initPID: pid, returnAfter: returnAfter)
    }

    private func run(_ spec: Attach.Spec, initPID pid: pid_t, input: String? = nil, returnAfter: Bool = false) throws(VZError) -> WaitStatus {
        // The command inherits numfile from us, as the container's own processes have it from init.
        if let files = ResourceLimits.limit(config, "NUMFILE", .items) { try? Rlimit.setOpenFiles(files) }
        var spec = spec
        var ends: [Int32] = [-1, -1]
        defer { for fd in ends where fd >= 0 { close(fd) } }
        do {
            if let input {
                // Written before the child exists: it cannot block (the text
                // fits in the pipe) nor meet a reader that already left.
                try check("pipe2") { vz_pipe_cloexec(&ends) }
                try Files.writeAll(fd: ends[1], input, path: "pipe")
                close(ends[1])
                ends[1] = -1
                spec.stdio = [ends[0], 1, 2]
            }
            return try Attach.run(spec, initPID: pid, cgroup: cgroup, returnAfter: returnAfter)
        } catch {
            throw VZError(.systemError, "Unable to run \(spec.argv.joined(separator: " ")) in CT \(ctid)", error)
        }
    }

    /// vzctl joins with single spaces and writes an empty word as ''.
    static func joinCommand(_ words: [String]) -> String {
        words.map { $0.isEmpty ? "''" : $0 }.joined(separator: " ")
    }

    /// `vzctl runscript` on a stopped container: a container made just for
    /// the script (no init), torn down after.
    public func runScriptStopped(fd: Int32) throws(VZError) -> WaitStatus {
        let root = try rootPath()
        let wasMounted = isMounted
        try cleanUpAfterDeath()
        try mount()
        defer {
            try? cleanUpAfterDeath()
            if !wasMounted { try? umount() }
        }
        do {
            try cgroup.create()
        } catch {
            throw VZError(.envCreateError, "Unable to create the cgroups of CT \(ctid)", error)
        }
        let sh = ["/bin/bash", "/bin/sh"].first { Self.isExecutable(root + $0) }
        guard let sh else { throw VZError(.badTemplate, "Unable to find a shell in the container") }
        var spec = InitSpec(root: root, hostname: config.hostname ?? "localhost", argv: [sh])
        spec.stdio = .inherit(stdin: fd)
        do {
            let pid = try Spawner.start(spec, cgroup: cgroup)
            return try waitFor(pid)
        } catch {
            throw VZError(.envCreateError, "Unable to run the script in CT \(ctid)", error)
        }
    }
}
