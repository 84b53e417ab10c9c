#if canImport(Glibc)
import Glibc
#endif

extension Container {
    /// Stops the container. Not running is not an error (vzctl exits 0).
    /// Returns false when it was not running.
    @discardableResult
    public func stop(fast: Bool, skipUmount: Bool = false, progress: (String) -> Void) throws(VZError) -> Bool {
        guard let pid = initPID else {
            try cleanUpAfterDeath()
            if !skipUmount && isMounted { try umountWithScripts() }
            return false
        }
        try runContainerScript(.stop, initPID: pid)
        // What the host publishes for the container: its addresses as the
        // kernel has them, saved or not.
        let published = config.ipAddresses + Venet.currentAddresses(pid: pid)
        // Lent host devices go back first: a virtual one would die with the
        // container's network namespace.
        do {
            try HostDevice.reclaim(config.netdevs, from: pid)
        } catch {
            throw VZError(.netdevError, "Unable to move the network devices of CT \(ctid) back", error)
        }
        if !fast {
            progress("Stopping container ...")
            requestShutdown(initPID: pid)
            waitUntilStopped(seconds: config.stopTimeout)
        }
        if isRunning || !cgroup.processes().isEmpty {
            progress("Killing container ...")
        }
        try killAll(withdrawing: published, else: .stopError, "Unable to stop container")
        progress("Container was stopped")
        if !skipUmount { try umountWithScripts(progress: progress) }
        return true
    }

    /// Kills everything in the container's cgroups, removes them, and
    /// withdraws the host's proxy entries for `published`; a failure is
    /// `code` with `message`.
    func killAll(withdrawing published: [IPAddress], else code: ExitCode, _ message: String) throws(VZError) {
        // A kill cut short (on v1 its loop freezes the container between
        // rounds) is finished by the next command that takes the lock.
        try? Files.write(killMarker, "", mode: 0o600)
        do {
            try cgroup.killAll()
            try cgroup.destroy()
        } catch {
            throw VZError(code, message, error)
        }
        unlink(killMarker)
        // The network namespace goes with its last process, but the kernel
        // takes it apart later: its host ends (and their routes) go now, so
        // that what comes next (a restore, a start) finds them gone.
        for name in [Venet.hostInterface(ctid)] + config.netifs.compactMap(\.hostIfname) { try? Link.delete(name: name) }
        ProxyNeighbour.withdraw(published, on: ProxyNeighbour.devices(config.host))
    }

    /// What a start or a stop killed half-way left running, finished by the
    /// next command that takes the lock (the killed one held it throughout):
    /// an init whose setup its start did not see through (no seccomp filter
    /// yet, its root perhaps still the host's), or a container that a stop's
    /// kill loop froze with SIGKILL pending (it would stay frozen for ever).
    /// Both are killed; the root stays mounted, as after a crash.
    public func finishInterruptedStartOrStop() throws(VZError) {
        let failed = "Unable to stop the half-started or half-stopped CT \(ctid)"
        if Files.exists(killMarker) { return try killAll(withdrawing: config.ipAddresses, else: .stopError, failed) }
        guard let pid = initPID, let status = ProcessStatus(pid) else { return }
        guard !status.hasFilter || (status.hasKillPending && cgroup.isFrozen) else { return }
        try killAll(withdrawing: config.ipAddresses, else: .stopError, failed)
    }

    /// What a command that takes the lock finishes or undoes first: a
    /// chkpnt or restore, then a start or stop, that were killed half-way.
    public func recoverInterruptedCommands() throws(VZError) {
        try recoverInterruptedCheckpoint()
        try finishInterruptedStartOrStop()
    }

    private var killMarker: String { "\(config.host.lockDir)/\(ctid).kill" }

    /// Asks the container's own init to shut down, the way vzctl did: run its
    /// `halt` when it has one, else SIGTERM to init.
    private func requestShutdown(initPID pid: pid_t) {
        let halt = ["/sbin/halt", "/usr/sbin/halt", "/bin/halt"].first {
            Self.isExecutable("/proc/\(pid)/root\($0)")
        }
        if let halt {
            let spec = Attach.Spec(path: halt, argv: ["halt"], env: InitSpec.defaultEnv, stdio: devNullStdio())
            if let status = try? Attach.run(spec, initPID: pid, cgroup: cgroup, returnAfter: true), status.succeeded { return }
        }
        kill(pid, SIGTERM)
    }

    private func devNullStdio() -> [Int32]? {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        return null < 0 ? nil : [null, null, null]
    }

    private func waitUntilStopped(seconds: Int) {
        var left = seconds * 20
        while left > 0 && isRunning {
            usleep(50_000)
            left -= 1
        }
    }
}
