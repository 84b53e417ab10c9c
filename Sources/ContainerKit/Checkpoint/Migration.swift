#if canImport(Glibc)
import Glibc
#endif
import CShims

/// What `vzmigrate` was asked to do.
public struct MigrateOptions: Sendable {
    public var online = false
    public var keepDestination = false
    public var removeArea = true
    public var checkOnly = false
    public var ssh = ""
    public var rsync = ""
    public var verbose = 0
    public var times = false
    /// rsync's progress of the first (long) copy on our stdout: set where
    /// that is a terminal, as the classic tools showed progress there only.
    public var progress = false

    public init() {}
}

/// vzmigrate's exit codes (the classic script's numbers).
public enum MigrateCode: Int32, Sendable {
    case usage = 1
    case liveOfStopped = 2
    case connect = 4
    case copy = 6
    case destinationStart = 7
    case sourceStop = 8
    case existsOnDestination = 9
    case notOnSource = 10
    case noVzctlOnDestination = 14
    case applyConfig = 15
    case remoteConfig = 19
    case locked = 20
}

public struct MigrateError: Error, Sendable {
    public let code: MigrateCode
    public let message: String

    init(_ code: MigrateCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// One migration of a container to another host, the classic script's
/// sequence: check the destination, copy the config and the private area
/// while the container runs, then (stopped) done, (running) stop, copy
/// again and start there, or (online) freeze and dump, copy again with the
/// dump, restore there and kill here. Whatever fails after the first copy
/// leaves the container as it was here (running again where it ran) and
/// removes the destination's copy unless `keepDestination`.
///
/// The destination's paths come from its own vz.conf (VE_PRIVATE, VE_ROOT,
/// DUMPDIR), read over ssh under the `VZ_PREFIX` its ssh sessions have
/// (none on a real host); commands there run as `vzctl ...` from the remote
/// PATH (sshd gives root /usr/sbin).
struct Migration {
    let ct: Container
    var remote: RemoteHost
    let options: MigrateOptions
    let say: (String) -> Void

    /// Filled in by `inspectDestination`.
    private var remoteLayout = Layout(prefix: "")
    private var remotePrivateRaw = "/vz/private/$VEID"
    private var remoteRootRaw = "/vz/root/$VEID"
    private var remoteDumpDir = "/vz/dump"
    /// Whether the destination's criu can restore a dump whose network
    /// lock is an nftables table.
    private var remoteNftablesLock = false
    /// What exists on the destination for this container, to remove on failure.
    private var destinationTouched = false
    private var destinationCleaned = false
    private var frozenAt: Int64 = 0

    init(_ ct: Container, to remote: RemoteHost, _ options: MigrateOptions, say: @escaping (String) -> Void) {
        self.ct = ct
        self.remote = remote
        self.options = options
        self.say = say
    }

    private var ctid: CTID { ct.ctid }
    private var remotePrivate: String { remoteLayout.resolve(CTConfig.expandVEID(remotePrivateRaw, ctid)) }
    private var remoteRoot: String { remoteLayout.resolve(CTConfig.expandVEID(remoteRootRaw, ctid)) }
    private var remoteDump: String { remoteDumpDir + "/Dump.\(ctid)" }
    private var remoteConfDir: String { remoteLayout.confDir }
    private static let actionScripts = ["mount", "umount", "premount", "postumount", "start", "stop"]

    // MARK: the sequence

    mutating func run() throws(MigrateError) {
        let running = ct.isRunning
        if options.online && !running {
            throw MigrateError(.liveOfStopped, "Can't perform online migration of a stopped container")
        }
        let kind = options.online ? "online" : running ? "offline (stop and start)" : "offline"
        say("Starting \(kind) migration of CT \(ctid) to \(remote.target)")
        try inspectDestination()
        if options.checkOnly {
            say("Checks passed")
            return
        }
        let mounted = ct.isMounted
        if !running && mounted {
            // A mounted, stopped container is copied unmounted, and mounted there.
            do { try ct.umount() } catch { throw MigrateError(.sourceStop, "Can't umount CT \(ctid): \(error.message)") }
        }
        do throws(MigrateError) {
            try prepareDestination()
            try copyConfig()
            say("Syncing private area")
            try syncPrivate(frozen: false)
            if ct.isSuspended {
                try copy([ct.dumpFile + "/"], to: remoteDump + "/", "dump")
            }
            if !running {
                if mounted { try remoteVzctl("mount", .destinationStart, "Can't mount CT on destination") }
            } else if options.online {
                try migrateOnline()
            } else {
                try migrateStopped()
            }
        } catch {
            if !running && mounted { try? ct.mount() }
            cleanDestination()
            throw error
        }
        finishSource(wasRunning: running)
        say("Migration of CT \(ctid) to \(remote.target) completed successfully")
    }

    /// Running, not online: stop here, copy what changed, start there.
    private mutating func migrateStopped() throws(MigrateError) {
        say("Stopping container")
        do {
            try ct.stop(fast: false, progress: { _ in })
        } catch {
            throw MigrateError(.sourceStop, "Can't stop CT \(ctid): \(error.message)")
        }
        do throws(MigrateError) {
            say("Syncing private area (2nd pass)")
            try syncPrivate(frozen: false)
            say("Starting container on destination")
            try remoteVzctl("start", .destinationStart, "Can't start CT on destination")
        } catch {
            cleanDestination()
            say("Starting container on source again")
            try? ct.start(StartOptions(), progress: { _ in })
            throw error
        }
    }

    /// Online: freeze and dump here, copy, restore there, kill here.
    private mutating func migrateOnline() throws(MigrateError) {
        let dump = DumpFile("\(ct.config.host.dumpDir)/Dump.\(ctid).migrate")
        defer { try? Files.removeTree(dump.path) }
        // Asked and started before the freeze, not in the frozen time.
        _ = Criu.canLockWithNftables
        let oneGo = try startImageAndDumpThenRestore(dump: dump.path)
        say("Suspending container")
        frozenAt = Self.now()
        do {
            try ct.checkpoint(.suspend, to: nil, progress: { _ in })
        } catch {
            oneGo?.cancel()
            throw MigrateError(.sourceStop, "Can't suspend CT \(ctid): \(error.message)")
        }
        say("Dumping container")
        do {
            try ct.checkpoint(.dump, to: dump, nftablesLock: remoteNftablesLock, progress: { _ in })
        } catch {
            oneGo?.cancel()
            resumeSource()
            throw MigrateError(.sourceStop, "Can't dump CT \(ctid): \(error.message)")
        }
        let dumped = Self.now()
        var stages: [(String, Int64)] = [("suspend+dump", dumped - frozenAt)]
        do throws(MigrateError) {
            if let oneGo {
                say("Syncing private area (2nd pass) and dump file, restoring container on destination")
                try oneGo.go()
                stages.append(("copy+restore", Self.now()))
            } else {
                say("Syncing private area (2nd pass) and dump file")
                try syncPrivate(frozen: true, dump: dump.path)
                stages.append(("copy", Self.now()))
                say("Restoring container on destination")
                try remoteVzctl("restore", .destinationStart, "Can't restore CT on destination")
                stages.append(("restore", Self.now()))
            }
        } catch {
            cleanDestination()
            resumeSource()
            throw error
        }
        let frozen = Self.now() - frozenAt
        if options.times || options.verbose > 0 {
            say("Frozen time: \(Self.seconds(frozen)) s")
        }
        if options.times {
            var last = dumped
            let parts = [stages[0].0 + " " + Self.seconds(stages[0].1)] + stages.dropFirst().map { stage in
                defer { last = stage.1 }
                return stage.0 + " " + Self.seconds(stage.1 - last)
            }
            say("  (" + parts.joined(separator: ", ") + ")")
        }
        say("Killing container on source")
        do {
            try ct.checkpoint(.kill, to: nil, progress: { _ in })
            try ct.umount()
        } catch {
            // It runs there now: here it is frozen, and stays so for the admin.
            print("Warning: can't kill CT \(ctid) on source: \(error.message)")
        }
    }

    /// Thaws the frozen container here and gives its host routes back (a
    /// link down took them).
    private func resumeSource() {
        say("Resuming container on source")
        try? ct.checkpoint(.resume, to: nil, progress: { _ in })
        if let pid = ct.initPID {
            try? Venet.reattach(ctid, pid: pid, publishOn: ProxyNeighbour.devices(ct.config.host))
        }
    }

    /// The source's copy goes (`-r yes`), or its config is renamed
    /// CTID.conf.migrated (`-r no`) so that it is no longer a container here.
    private func finishSource(wasRunning: Bool) {
        if options.removeArea {
            say("Destroying container on source")
            do {
                try ct.destroy(progress: { _ in })
            } catch {
                print("Warning: can't destroy CT \(ctid) on source: \(error.message)")
            }
        } else {
            let conf = ct.layout.ctConfPath(ctid)
            rename(conf, conf + ".migrated")
        }
        if let name = ct.config.name { unlink(ct.layout.namePath(name)) }
    }

    // MARK: the destination

    /// ssh works, vzctl is there, the container is not, and its vz.conf
    /// names where containers live.
    private mutating func inspectDestination() throws(MigrateError) {
        let marker = "--vzmigrate--"
        let script = """
            p="${VZ_PREFIX:-}"; echo "prefix=$p"; command -v vzctl >/dev/null 2>&1 || echo novzctl; \
            [ -e "$p/etc/vz/conf/\(ctid).conf" ] && echo exists; \(options.online ? Criu.nftablesCheckScript + "; " : "")echo \(marker); \
            cat "$p/etc/vz/vz.conf" 2>/dev/null || echo \(marker)unreadable
            """
        let result: (status: WaitStatus, output: String)
        do {
            result = try remote.run(script, timeout: 60)
        } catch {
            throw MigrateError(.connect, "Can't connect to destination address using public key authentication: \(error)")
        }
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard result.status.succeeded, let split = lines.firstIndex(of: marker) else {
            throw MigrateError(.connect, "Can't connect to destination address using public key authentication: \(Self.lastLine(result.output))")
        }
        let head = lines[..<split]
        let conf = lines[(split + 1)...].joined(separator: "\n")
        let prefix = head.first { $0.hasPrefix("prefix=") }.map { String($0.dropFirst(7)) } ?? ""
        if head.contains("novzctl") { throw MigrateError(.noVzctlOnDestination, "vzctl is not found on destination node") }
        if head.contains("exists") { throw MigrateError(.existsOnDestination, "CT \(ctid) already exists on destination node") }
        if conf.contains(marker + "unreadable") {
            throw MigrateError(.remoteConfig, "Failed to read \(prefix)/etc/vz/vz.conf on destination node")
        }
        remoteNftablesLock = head.contains("nftlock")
        remoteLayout = Layout(prefix: prefix)
        let file = ConfigFile(path: "vz.conf", text: conf)
        if let value = file.value("VE_PRIVATE"), !value.isEmpty { remotePrivateRaw = value }
        if let value = file.value("VE_ROOT"), !value.isEmpty { remoteRootRaw = value }
        remoteDumpDir = remoteLayout.resolve(file.value("DUMPDIR") ?? "/vz/dump")
        remote.trace("destination: private \(remotePrivate), root \(remoteRoot), dumps \(remoteDumpDir)")
    }

    /// The directories the copies go into; a private area already there
    /// is someone else's container.
    private mutating func prepareDestination() throws(MigrateError) {
        say("Preparing remote node")
        let q = RemoteHost.quote
        let parent = String(remotePrivate[..<(remotePrivate.lastIndex(of: "/") ?? remotePrivate.startIndex)])
        let script = "if [ -e \(q(remotePrivate)) ]; then echo exists; exit 1; fi; "
            + "mkdir -p \([parent, remoteDumpDir, remoteConfDir].map(q).joined(separator: " "))"
        let result = try remoteRun(script, .copy, "Can't prepare destination")
        if !result.status.succeeded {
            if result.output.hasPrefix("exists") {
                throw MigrateError(.existsOnDestination, "Private area \(remotePrivate) already exists on destination node")
            }
            throw MigrateError(.copy, "Can't prepare destination: \(Self.lastLine(result.output))")
        }
        destinationTouched = true
    }

    /// CTID.conf, its paths made the destination's, and the action scripts.
    private func copyConfig() throws(MigrateError) {
        say("Copying config file")
        guard var file = ct.config.file else { throw MigrateError(.notOnSource, "CT \(ctid) does not exist") }
        file.set([(key: "VE_PRIVATE", value: remotePrivateRaw), (key: "VE_ROOT", value: remoteRootRaw)])
        let dir: String
        do {
            dir = try Files.makeTempDirectory("/tmp/vzmigrate-conf.")
            try Files.write(dir + "/\(ctid).conf", file.text)
        } catch {
            throw MigrateError(.copy, "Can't write config copy: \(error)")
        }
        defer { try? Files.removeTree(dir) }
        var sources = [dir + "/\(ctid).conf"]
        for script in Self.actionScripts {
            let path = "\(ct.layout.confDir)/\(ctid).\(script)"
            if Files.exists(path) { sources.append(path) }
        }
        try copy(sources, to: remoteConfDir + "/", "config")
        if let name = ct.config.name {
            // vzctl's codes 20/21 (bad name) leave the container nameless there.
            let result = try remoteRun("vzctl --quiet set \(ctid) --name \(RemoteHost.quote(name)) --save", .applyConfig, "Can't apply config")
            if !result.status.succeeded && ![20, 21].contains(result.status.shellCode) {
                throw MigrateError(.applyConfig, "Can't set name \(name) on destination: \(Self.lastLine(result.output))")
            }
        }
    }

    /// The private area to the destination. An image file goes apart: as
    /// its data only (tar --sparse) where that is less than half its size,
    /// else as an rsync delta (the biggest blocks and xxh3: 5x faster than
    /// the defaults). While the container is frozen in place (`frozen`)
    /// only the image changes, and is copied from its file system frozen too
    /// (its journal flushed: the copy is clean), side by side with `dump`.
    private func syncPrivate(frozen: Bool, dump: String? = nil) throws(MigrateError) {
        let priv: String
        do { priv = try ct.privatePath() } catch { throw MigrateError(.copy, error.message) }
        let imageFile = ImageLayout.image(inPrivate: priv)
        let image = Files.exists(imageFile)
        var commands: [(what: String, argv: [String])] = []
        if !image || !frozen {
            let exclude = image ? ["--exclude=/" + imageFile.dropFirst(priv.count + 1)] : []
            let progress = !frozen && options.progress ? ["--info=progress2"] : []
            commands.append(("private area", remote.rsyncCommand(["--delete"] + progress + exclude, [priv + "/"], to: remotePrivate + "/")))
        }
        if image {
            let relative = String(imageFile.dropFirst(priv.count + 1))
            let argv = Self.mostlyHoles(imageFile)
                ? remote.sparseCopyCommand(priv, relative, to: remotePrivate, changing: !frozen)
                : remote.rsyncCommand(["--sparse", "--inplace", "--block-size=131072", "--checksum-choice=xxh3"],
                                      [imageFile], to: remotePrivate + "/" + relative)
            commands.append(("image", argv))
        }
        if let dump { commands.append(("dump", remote.rsyncCommand([], [dump + "/"], to: remoteDump + "/"))) }
        guard frozen else {
            // One after the other: the image goes into a directory the first makes.
            for command in commands { try run([command], showing: options.progress && command.what == "private area") }
            return
        }
        guard image else { return try run(commands) }
        let root: String
        do { root = try ct.rootPath() } catch { throw MigrateError(.copy, error.message) }
        var failure: MigrateError?
        do {
            try FsFreeze.whileFrozen(root) { () throws(SysError) in
                do throws(MigrateError) {
                    try run(commands)
                } catch {
                    failure = error
                }
            }
        } catch {
            throw MigrateError(.copy, "Can't freeze the file system of CT \(ctid): \(error)")
        }
        if let failure { throw failure }
    }

    /// For a mostly sparse image (the default layout): its data and the
    /// dump in one tar stream, unpacked there and followed by the restore in
    /// the same ssh session, the image's file system frozen here meanwhile:
    /// one remote session in the frozen time instead of three. Started
    /// before the container is frozen, up to the shell there, which waits
    /// for a line before it reads the stream: what `go` leaves for the
    /// frozen time is the copy and the restore, not starting processes and
    /// an ssh session. `cancel` (the dump failed) lets both ends exit
    /// without a copy. nil where that does not apply (simfs, a full image,
    /// a path sed would misread).
    private func startImageAndDumpThenRestore(dump: String) throws(MigrateError)
        -> (go: () throws(MigrateError) -> Void, cancel: () -> Void)?
    {
        let priv: String
        let root: String
        do {
            priv = try ct.privatePath()
            root = try ct.rootPath()
        } catch {
            throw MigrateError(.copy, error.message)
        }
        let imageFile = ImageLayout.image(inPrivate: priv)
        guard Files.exists(imageFile) && Self.mostlyHoles(imageFile),
              let slash = dump.lastIndex(of: "/"), remotePrivate.hasPrefix("/"), remoteDump.hasPrefix("/")
        else { return nil }
        let relative = String(imageFile.dropFirst(priv.count + 1))
        let dumpName = String(dump[dump.index(after: slash)...])
        let targets = [relative, dumpName, remotePrivate, remoteDump]
        guard !targets.contains(where: { $0.contains { ",&\\".contains($0) } }) else { return nil }
        let q = RemoteHost.quote
        // Members renamed to their places there, below /.
        let tar = ["tar", "--sparse", "-cf", "-",
                   "--transform=s,^\(relative),\(remotePrivate.dropFirst())/\(relative),",
                   "--transform=s,^\(dumpName),\(remoteDump.dropFirst()),",
                   "-C", priv, relative, "-C", String(dump[..<slash]), dumpName].map(q).joined(separator: " ")
        let copied: Int32 = 200
        // Each end goes on at the line "go" only; at end of input it exits.
        let gate = "IFS= read -r go && [ \"$go\" = go ] || exit \(copied)"
        let remoteCommand = "\(gate); tar -C / -xf - || exit \(copied); vzctl restore \(ctid)"
        let ssh = (remote.sshCommand + [remote.target, remoteCommand]).map(q).joined(separator: " ")
        let script = "{ \(gate); echo go; \(tar); } | \(ssh); s=(\"${PIPESTATUS[@]}\"); [ ${s[0]} = 0 ] || exit \(copied); exit ${s[1]}"
        var ends: [Int32] = [-1, -1]
        let children: RemoteHost.Children
        do {
            try check("pipe2") { vz_pipe_cloexec(&ends) }
            defer { close(ends[0]) }
            children = try RemoteHost.Children([["bash", "-c", script]], stdin: ends[0], trace: remote.trace)
        } catch {
            if ends[1] >= 0 { close(ends[1]) }
            throw MigrateError(.copy, "Failed to start the copy of image and dump: \(error)")
        }
        let gateFD = ends[1]
        let cancel = {
            close(gateFD)
            _ = try? children.wait(timeout: 10)
        }
        let go = { () throws(MigrateError) in
            var result: (status: WaitStatus, output: String)?
            var failure: SysError?
            var opened = true
            do {
                try FsFreeze.whileFrozen(root) { () throws(SysError) in
                    do throws(SysError) {
                        // Its end gone (ssh failed) is an EPIPE, and the result says why.
                        let oldPipe = signal(SIGPIPE, SIG_IGN)
                        _ = write(gateFD, "go\n", 3)
                        signal(SIGPIPE, oldPipe)
                        close(gateFD)
                        opened = false
                        result = try children.wait(timeout: 3600)[0]
                    } catch {
                        failure = error
                    }
                }
            } catch {
                if opened { close(gateFD) }
                throw MigrateError(.copy, "Can't freeze the file system of CT \(ctid): \(error)")
            }
            if let failure { throw MigrateError(.copy, "Failed to copy image and dump: \(failure)") }
            guard let result, !result.status.succeeded else { return }
            if result.status.shellCode == copied {
                throw MigrateError(.copy, "Failed to copy image and dump: \(Self.lastLine(result.output))")
            }
            throw MigrateError(.destinationStart, "Can't restore CT on destination: \(Self.lastLine(result.output))")
        }
        return (go, cancel)
    }

    /// Copies side by side; the first that failed is the error.
    /// `showing`: their output goes to our stdout (a terminal), not into the error message.
    private func run(_ commands: [(what: String, argv: [String])], showing: Bool = false) throws(MigrateError) {
        let results: [(status: WaitStatus, output: String)]
        do {
            results = try RemoteHost.runAll(commands.map(\.argv), timeout: 3600, trace: remote.trace, showing: showing)
        } catch {
            throw MigrateError(.copy, "Failed to copy \(commands.map(\.what).joined(separator: ", ")): \(error)")
        }
        for (command, result) in zip(commands, results) where !result.status.succeeded {
            throw MigrateError(.copy, "Failed to copy \(command.what) (exit \(result.status.shellCode)): \(Self.lastLine(result.output))")
        }
    }

    /// Whether less than half of the file's size is allocated.
    static func mostlyHoles(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        return Int64(st.st_blocks) * 512 * 2 < Int64(st.st_size)
    }

    private func copy(_ sources: [String], to remotePath: String, _ what: String, _ extra: [String] = []) throws(MigrateError) {
        let result: (status: WaitStatus, output: String)
        do {
            result = try remote.rsync(extra, sources, to: remotePath)
        } catch {
            throw MigrateError(.copy, "Failed to copy \(what): \(error)")
        }
        if !result.status.succeeded {
            throw MigrateError(.copy, "Failed to copy \(what) (rsync exit \(result.status.shellCode)): \(Self.lastLine(result.output))")
        }
    }

    private func remoteRun(_ command: String, _ code: MigrateCode, _ what: String, timeout: Int32 = 300) throws(MigrateError) -> (status: WaitStatus, output: String) {
        let result: (status: WaitStatus, output: String)
        do {
            result = try remote.run(command, timeout: timeout)
        } catch {
            throw MigrateError(code, "\(what): \(error)")
        }
        if result.status.shellCode == RemoteHost.sshFailure {
            throw MigrateError(code, "\(what): lost connection: \(Self.lastLine(result.output))")
        }
        if options.verbose > 1 && !result.output.isEmpty { print(result.output, terminator: "") }
        return result
    }

    private func remoteVzctl(_ command: String, _ code: MigrateCode, _ what: String) throws(MigrateError) {
        let result = try remoteRun("vzctl \(command) \(ctid)", code, what, timeout: 600)
        if !result.status.succeeded { throw MigrateError(code, "\(what): \(Self.lastLine(result.output))") }
    }

    /// The destination's copy goes, unless the admin keeps it (`--keep-dst`);
    /// either way it is not left running.
    private mutating func cleanDestination() {
        guard destinationTouched && !destinationCleaned else { return }
        destinationCleaned = true
        let q = RemoteHost.quote
        var script = "vzctl --quiet stop \(ctid) --fast >/dev/null 2>&1; vzctl --quiet umount \(ctid) >/dev/null 2>&1"
        if !options.keepDestination {
            say("Removing the copy on destination")
            let files = [remotePrivate, remoteDump, remoteConfDir + "/\(ctid).conf"]
                + Self.actionScripts.map { remoteConfDir + "/\(ctid).\($0)" }
            script += "; rm -rf \(files.map(q).joined(separator: " ")); rmdir \(q(remoteRoot)) 2>/dev/null"
            if let name = ct.config.name { script += "; rm -f \(q(remoteLayout.namePath(name)))" }
            script += "; true"
        }
        _ = try? remote.run(script, timeout: 120)
    }

    // MARK: helpers

    static func now() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Int64(t.tv_sec) * 1_000_000 + Int64(t.tv_nsec) / 1000
    }

    /// Microseconds as seconds with three decimals.
    static func seconds(_ us: Int64) -> String {
        let ms = (us + 500) / 1000
        let frac = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    static func lastLine(_ output: String) -> String {
        output.split(separator: "\n").last.map(String.init) ?? "no output"
    }
}
