#if canImport(Glibc)
import Glibc
#endif

/// CRIU, run as a program (no RPC service: one dump or restore per
/// command). Its images and its log go into one directory, which is the
/// container's dump (see Checkpoint.swift).
public enum Criu {
    /// Where scripts/criu.sh installs a criu that works on new kernels,
    /// before the distribution's (which may be too old for them).
    static let candidates = ["/usr/local/sbin/criu", "/usr/sbin/criu", "/sbin/criu"]

    public static var binary: String? {
        Subprocess.which("criu") ?? candidates.first { access($0, X_OK) == 0 }
    }

    /// Options for both directions: the dump holds what they enable.
    /// Established TCP connections, file locks, open files whose name is
    /// gone (link-remap), devices such as /dev/null by number.
    static let common = ["--tcp-established", "--file-locks", "--link-remap", "--evasive-devices", "--manage-cgroups=soft"]

    /// Dumps the process tree of `initPID` (a container's init, with its
    /// namespaces) into `images`, frozen through `freezer`. With
    /// `leaveRunning` it stays frozen and alive afterwards; else CRIU
    /// kills it while its network is still locked, so that its peers see
    /// no FIN or RST of the connections that the restore brings back.
    ///
    /// A tree left running answers its peers again once CRIU lifts its
    /// network lock, and what its kernel acknowledged then would be lost
    /// to the dump: `linksDown` (host ends of its links) are taken down
    /// just before that, by an action script CRIU runs at `network-unlock`.
    /// `externalMounts` (mount point inside, key) are left out of the dump.
    static func dump(
        initPID: pid_t, root: String, freezer: String, controllers: [String], into images: String, leaveRunning: Bool,
        linksDown: [String] = [], externalMounts: [(String, String)] = [], nftablesLock: Bool
    ) throws(SysError) {
        var args = ["-t", "\(initPID)", "--root", root, "--freeze-cgroup", freezer]
        for (mountpoint, key) in externalMounts { args += ["--external", "mnt[\(mountpoint)]:\(key)"] }
        for name in controllers { args += ["--cgroup-dump-controller", name] }
        if leaveRunning { args.append("--leave-running") }
        if nftablesLock { args += ["--network-lock", "nftables"] }
        let script = images + "/network-unlock.sh"
        if !linksDown.isEmpty {
            try writeLinksDownScript(script, linksDown)
            args += ["--action-script", script]
        }
        defer { unlink(script) }
        try run("dump", images, args)
    }

    /// Whether CRIU can lock the container's network with nftables while
    /// it dumps (and, as the dump says, while it restores): one
    /// libnftables call in criu itself, where its default, iptables, runs
    /// iptables-restore some ten times, about 0.15 s of the frozen time of
    /// a small container here. Asked once (`criu check`, some 50 ms): ask
    /// before the freeze.
    static let canLockWithNftables: Bool = {
        guard let criu = binary,
              let (status, _) = try? Subprocess.runCapturing([criu, "check", "--feature", "network_lock_nftables"])
        else { return false }
        return status.succeeded
    }()

    /// The same question for a criu elsewhere, as a shell command that
    /// prints `nftlock` where it can: the criu that vzctl there runs (on
    /// its PATH, else the first of `candidates`).
    static let nftablesCheckScript = "for c in $(command -v criu) \(candidates.joined(separator: " ")); do "
        + "[ -x \"$c\" ] || continue; \"$c\" check --feature network_lock_nftables >/dev/null 2>&1 && echo nftlock; break; done"

    private static func writeLinksDownScript(_ path: String, _ links: [String]) throws(SysError) {
        // Interface names have no quotes or slashes (the kernel refuses them);
        // a name with a quote would break out of the quoting, so it is refused here too.
        if let bad = links.first(where: { $0.contains("'") }) { throw SysError("criu action script", bad, errno: EINVAL) }
        let downs = links.map { "ip link set dev '\($0)' down" }.joined(separator: "\n")
        try Files.write(path, "#!/bin/sh\n[ \"$CRTOOLS_SCRIPT_ACTION\" = network-unlock ] || exit 0\n\(downs)\n", mode: 0o700)
    }

    /// Whether the dump in `images` was written whole: CRIU logs the switch
    /// of the tree to its final state (killed, or left running) only after
    /// every image is.
    static func dumpFinished(_ images: String) -> Bool {
        ((try? Files.read(images + "/dump.log")) ?? "").contains("Unfreezing tasks into")
    }

    /// Restores the tree dumped in `images` with `root` as the root of its
    /// mount namespace; `vethPairs` name the host ends of its veth devices
    /// (inside name, host name); `cgroupRoots` (CRIU's controller name, path)
    /// place it in the container's cgroup of this host in the hierarchies
    /// vzkit manages, which differs from the dumped one after a migration
    /// between hosts with other cgroup parents (VZ_PREFIX). Only those: in
    /// the others (name=systemd) the container is where its starter was,
    /// and a new root there would nest a level deeper at every restore.
    /// Returns the host pid of the restored init, which is left detached
    /// (not our child).
    /// `externalDevices` (inside name, host name) are devices made
    /// beforehand on the host that CRIU moves in and renames, instead of
    /// making them, and `externalMounts` (key, host path) the mounts dumped
    /// as external (a container with a user namespace, see CriuUserNamespace).
    static func restore(
        from images: String, root: String, vethPairs: [(String, String)], externalDevices: [(String, String)] = [],
        externalMounts: [(String, String)] = [], cgroupRoots: [(String, String)]
    ) throws(SysError) -> pid_t {
        let pidfile = images + "/restore.pid"
        unlink(pidfile)
        var args = ["--root", root, "--restore-detached", "--pidfile", pidfile]
        for (controller, path) in cgroupRoots { args += ["--cgroup-root", "\(controller):\(path)"] }
        for (inside, outside) in vethPairs { args += ["--veth-pair", "\(inside)=\(outside)"] }
        for (inside, outside) in externalDevices { args += ["--external", "netdev[\(inside)]:\(outside)"] }
        for (key, path) in externalMounts { args += ["--external", "mnt[\(key)]:\(path)"] }
        try run("restore", images, args)
        guard let text = try? Files.read(pidfile), let pid = pid_t(text.trimmingBlanks().replacingNewlines()) else {
            throw SysError("criu restore", pidfile, errno: ENOENT)
        }
        return pid
    }

    /// Kills what is left of a criu run on `images` whose vzctl was killed,
    /// and unmounts what it left mounted there: the criu we started dies
    /// with us (PDEATHSIG), but a helper it forked may not, and one left
    /// stopped holds the container's tasks.
    static func killLeftovers(workingOn images: [String]) {
        let pids = ((try? Files.list("/proc")) ?? []).compactMap { pid_t($0) }
        for pid in pids {
            guard let raw = try? Files.readSmall("/proc/\(pid)/cmdline") else { continue }
            let argv = raw.split(separator: "\0").map(String.init)
            guard argv.first?.hasSuffix("criu") == true,
                  let d = argv.firstIndex(of: "-D"), d + 1 < argv.count, images.contains(argv[d + 1])
            else { continue }
            kill(pid, SIGKILL)
            for _ in 0..<200 where Files.exists("/proc/\(pid)/cmdline") && !(isZombie(pid)) { usleep(5_000) }
        }
        // A killed restore leaves its cgroup yard (.criu.cgyard.*) mounted
        // in the images directory, which could then not be removed.
        for dir in images { try? Mounts.unmountTree(dir) }
    }

    private static func isZombie(_ pid: pid_t) -> Bool {
        ProcessStatus(pid)?.isZombie ?? true
    }

    private static func run(_ action: String, _ images: String, _ args: [String]) throws(SysError) {
        guard let criu = binary else {
            throw SysError("criu \(action)", "(criu is not installed: run scripts/criu.sh)", errno: ENOENT)
        }
        let log = "\(action).log"
        // -v3: the info lines that dumpFinished looks for.
        let (status, output) = try Subprocess.runCapturing([criu, action, "-D", images, "-o", log, "-v3"] + common + args)
        if status.succeeded { return }
        // The log's first error says why (later ones follow from it);
        // criu's own output only points at the log. Not the complaint that
        // it cannot raise its own RLIMIT_NOFILE: without CAP_SYS_RESOURCE it
        // makes it every time, and goes on.
        let text = (try? Files.read("\(images)/\(log)")) ?? output
        let cause = Text.lines(text).first { $0.contains("Error") && !$0.contains("RLIMIT_NOFILE") }
        throw SysError(program: "criu \(action)", "", output: cause.map(String.init) ?? output)
    }
}
