#if canImport(Glibc)
import Glibc
#endif

public struct StartOptions: Sendable {
    public var wait = false
    public var force = false
    public var skipRemount = false
    /// No network devices, addresses or guest files (`--skip_ve_setup`; the
    /// short-lived start of a stopped container for `--userpasswd`).
    public var skipSetup = false
    /// Seconds `--wait` waits for the container's init to report in.
    public var waitTimeout: Int32 = 3600

    public init() {}
}

extension Container {
    /// Starts the container: mount, cgroups, init. No process of ours stays
    /// behind; the init's parent becomes the host's init.
    public func start(_ options: StartOptions, progress: (String) -> Void) throws(VZError) {
        if config.disabled && !options.force {
            throw VZError(.startDisabled, "Container start disabled")
        }
        let priv = try privatePath()
        let root = try rootPath()
        guard Files.isDirectory(priv) else {
            throw VZError(.noPrivate, "Container private area \(priv) does not exist")
        }
        if isRunning { throw VZError(.running, "Container is already running") }
        progress("Starting container...")
        try cleanUpAfterDeath()
        // Unmounted first (its scripts run; their failure does not stop
        // the start), so the mount starts from a clean state.
        if isMounted && !options.skipRemount { try? umountWithScripts(progress: progress) }
        if !isMounted { try mountWithScripts(progress: progress) }
        do {
            try launch(root: root, options)
        } catch {
            try? cleanUpAfterDeath()
            try? umountWithScripts()
            throw error
        }
        // What it was suspended in is stale now.
        try? DumpFile(dumpFile).remove()
        progress("Container start in progress...")
        if options.wait {
            try waitForInit(timeout: options.waitTimeout)
            progress("Container started successfully")
        }
    }

    private func launch(root: String, _ options: StartOptions) throws(VZError) {
        do {
            try cgroup.create()
        } catch {
            throw VZError(.envCreateError, "Unable to create the cgroups of CT \(ctid)", error)
        }
        let limits = try applyLimits(of: config)
        guard Self.isExecutable(root + "/sbin/init") else {
            throw VZError(.badTemplate, "Unable to start init, probably incorrect template: no /sbin/init")
        }
        // Without a HOSTNAME the host's own name must not show through.
        var spec = InitSpec(root: root, hostname: config.hostname ?? "localhost", argv: ["/sbin/init"])
        spec.waitFifo = options.wait
        if !options.skipSetup { spec.guest = GuestSettings.from(config) }
        spec.openFiles = limits.files
        spec.ptys = limits.ptys
        spec.idMap = config.idMap
        var diskNode: InitSpec.DeviceNode?
        if (config.quotaUGIDLimit ?? 0) > 0, let source = Mounts.entry(at: root)?.source, source.hasPrefix("/dev/") {
            var st = stat()
            if stat(source, &st) == 0 { diskNode = InitSpec.DeviceNode(path: source, mode: S_IFBLK | 0o600, device: st.st_rdev) }
        }
        let devices = Self.devicePolicy(of: config, diskNode: diskNode)
        spec.deviceNodes = devices.nodes
        do {
            try cgroup.restrict(devices: devices.rules)
        } catch {
            throw VZError(.envCreateError, "Unable to set the device and sysctl policy of CT \(ctid)", error)
        }
        let pending: Spawner.Pending
        do {
            let addresses = options.skipSetup ? [] : config.ipAddresses
            let devices = options.skipSetup ? [] : config.netifs
            let lent = options.skipSetup ? [] : config.netdevs
            let publish = ProxyNeighbour.devices(config.host)
            pending = try Spawner.prepare(spec, cgroup: cgroup) { pid throws(SysError) in
                try Venet.add(ctid, pid: pid, addresses, publishOn: publish)
                for device in devices { try BridgedVeth.create(device, pid: pid) }
                try HostDevice.lend(lent, to: pid)
            }
        } catch where error.call.hasPrefix("mount_setattr") && error.errno == EINVAL {
            throw VZError(.envCreateError, "Unable to start the container: the \(fileSystemName(of: root)) file system of \(root) cannot do id-mapped mounts (use a container with LOCAL_UID=0 there)")
        } catch {
            throw VZError(.envCreateError, "Unable to start the container", error)
        }
        // Inside the set-up container, before its init runs.
        do {
            try runContainerScript(.start, initPID: pending.pid)
        } catch {
            pending.cancel()
            throw error
        }
        do {
            try pending.exec()
        } catch {
            throw VZError(.envCreateError, "Unable to start the container", error)
        }
    }

    /// A container whose init died by itself leaves a cgroup and a mount
    /// behind; whatever command comes next clears them.
    public func cleanUpAfterDeath() throws(VZError) {
        try recoverInterruptedCheckpoint()
        guard !isRunning else { return }
        // Routes and links went with the network namespace; proxy entries
        // on host interfaces did not.
        ProxyNeighbour.withdraw(config.ipAddresses, on: ProxyNeighbour.devices(config.host))
        do {
            try cgroup.killAll()
            try cgroup.destroy()
        } catch {
            throw VZError(.systemError, "Unable to remove the cgroups of CT \(ctid)", error)
        }
    }

    /// `--wait`: the template's init opens /.vzfifo for writing when it reaches
    /// its default runlevel (the busybox template's inittab does it).
    private func waitForInit(timeout: Int32) throws(VZError) {
        guard let pid = initPID else { throw VZError(.waitFailed, "Container init exited during start") }
        let fifo = "/proc/\(pid)/root\(InitSpec.fifoPath)"
        let fd = open(fifo, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let err = SysError("open", fifo)
            // An init that is gone took its /proc/PID/root with it; one on its
            // way out has lost its root already but is still listed for a moment.
            for _ in 0..<50 where initPID != nil { usleep(20_000) }
            if initPID == nil { throw VZError(.waitFailed, "Container init exited during start") }
            throw VZError(.waitFailed, "Unable to open \(InitSpec.fifoPath): \(err)")
        }
        defer {
            close(fd)
            unlink(fifo)
        }
        var waited: Int32 = 0
        while waited < timeout * 1000 {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let n = poll(&entry, 1, 200)
            if n > 0 { return }  // a writer came (POLLIN) or came and went (POLLHUP)
            if initPID == nil { throw VZError(.waitFailed, "Container init exited during start") }
            waited += 200
        }
        throw VZError(.waitFailed, "Timeout waiting for the container to start")
    }

    /// The type of the file system mounted at (or holding) `path`, as mountinfo names it.
    func fileSystemName(of path: String) -> String {
        Mounts.entry(at: path)?.type ?? "its"
    }

    static func isExecutable(_ path: String) -> Bool {
        access(path, X_OK) == 0
    }
}
