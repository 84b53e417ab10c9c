#if canImport(Glibc)
import Glibc
#endif
import CShims

/// A container's cgroup(s), named after its CTID, whatever the host's cgroup
/// version: one protocol, a backend per version.
public protocol Cgroup: Sendable {
    var ctid: CTID { get }
    /// Creates the directories (and enables controllers on v2).
    func create() throws(SysError)
    /// The kernel's counters, as beancounters.
    func usage(_ request: Usage.Request) -> Usage
    /// Writes the limits into the controllers' files: at start and live.
    func apply(_ limits: ResourceLimits) throws(SysError)
    /// Denies every device but `devices`, and writes to the host's sysctls
    /// (on v1 through the cgroup2 tree mounted beside, where there is one).
    /// At start before the first process joins, and live.
    func restrict(devices: [DeviceRule]) throws(SysError)
    /// Moves the calling process, which must be single-threaded, into every
    /// hierarchy. On v1 it writes 0 to `tasks`: moving the caller's own
    /// thread skips the global threadgroup lock whose RCU sync made every
    /// start and exec wait a grace period (milliseconds) on cgroup.procs.
    func join() throws(SysError)
    /// Processes in the container's cgroup; empty if it does not exist.
    func processes() -> [pid_t]
    /// SIGKILLs everything inside until it is empty or `tries` run out.
    func killAll() throws(SysError)
    /// Removes the directories; a missing one is not an error.
    func destroy() throws(SysError)
    /// Stops every process inside (the freezer) and returns once all are
    /// stopped; `thaw` lets them go on. Checkpoints dump a frozen tree.
    func freeze() throws(SysError)
    func thaw() throws(SysError)
    var isFrozen: Bool { get }
    /// The directory CRIU is told to freeze through (`--freeze-cgroup`).
    var freezerPath: String? { get }
    /// The hierarchies vzctl manages, as CRIU names them: their controllers
    /// as mounted (`cpu,cpuacct` co-mounted), "" for cgroup2 (`unified`
    /// does not match).
    /// Only these are dumped: CRIU takes every cgroup below a task's, and a
    /// hierarchy nobody manages (a name=systemd one made by some container)
    /// keeps containers at its root, so a dump would take all of it and a
    /// restore copy it below itself, growing the tree with every round.
    var criuControllers: [String] { get }
    /// The path of the hierarchy used for process membership.
    var primaryPath: String { get }
    /// The directory holding this host's containers in that hierarchy.
    var parentPath: String { get }
    /// The files that `join` writes, for the cgroups the caller is in now
    /// (to move it back there later by writing 0 to each).
    func currentPlacement() -> [String]
}

extension Cgroup {
    public func usage() -> Usage { usage(.all) }

    /// Every process of the container, also in the cgroups it made below
    /// its own.
    public func allProcesses() -> [pid_t] {
        Cgroups.subtree(primaryPath).flatMap { Cgroups.readPids($0 + "/cgroup.procs") }
    }
}

public enum Cgroups {
    /// The backend for this host, rooted at `root` (a fake tree in unit tests).
    public static func forContainer(
        _ ctid: CTID, layout: Layout, root: String = "/sys/fs/cgroup", mode: CgroupMode? = nil
    ) throws(SysError) -> any Cgroup {
        let detected: CgroupMode
        if let mode { detected = mode } else { detected = try CgroupMode.detect(root: root) }
        switch detected {
        case .unified:
            return CgroupV2(ctid: ctid, root: root, parent: layout.cgroupParent)
        case .legacy(let hierarchies):
            return CgroupV1(ctid: ctid, hierarchies: hierarchies, parent: layout.cgroupParent)
        }
    }

    /// The CTIDs that have a cgroup under this host's parent, from one
    /// directory listing (nil if it cannot be read).
    public static func containers(layout: Layout, root: String = "/sys/fs/cgroup", mode: CgroupMode) -> Set<CTID>? {
        guard let parent = try? forContainer(CTID(0), layout: layout, root: root, mode: mode).parentPath else { return nil }
        guard let names = try? Files.list(parent) else { return Files.exists(parent) ? nil : [] }
        return Set(names.compactMap { CTID($0) })
    }

    /// `/proc/PID/cgroup` as (controllers, path) pairs; v2's line has no controllers.
    static func membership(of pid: String = "self") -> [(controllers: [Substring], path: Substring)] {
        guard let text = try? Files.read("/proc/\(pid)/cgroup") else { return [] }
        return Text.lines(text).compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            return (parts[1].split(separator: ","), parts[2])
        }
    }

    /// The container whose cgroup (or a cgroup below it) holds `pid`; CTID 0
    /// for the host's own processes.
    public static func container(of pid: String, layout: Layout) -> CTID {
        let parent = "/" + layout.cgroupParent + "/"
        for (_, path) in membership(of: pid) where path.hasPrefix(parent) {
            if let ctid = CTID(path.dropFirst(parent.count).prefix { $0 != "/" }) { return ctid }
        }
        return CTID(0)
    }

    static func readPids(_ file: String) -> [pid_t] {
        guard let text = try? Files.read(file) else { return [] }
        return Text.lines(text).compactMap { pid_t($0) }
    }

    /// rmdir, retried briefly: a cgroup whose last task is exiting can still be busy.
    /// Removes `path` and the cgroups the container made below it (systemd
    /// inside makes its own), deepest first.
    static func removeDirectory(_ path: String) throws(SysError) {
        for dir in subtree(path).reversed() {
            for attempt in 0..<50 {
                if rmdir(dir) == 0 || Glibc.errno == ENOENT { break }
                if Glibc.errno != EBUSY || attempt == 49 { throw SysError("rmdir", dir) }
                usleep(10_000)
            }
        }
    }

    /// The processes of cgroup `dir`, or, when it has none, of the cgroups
    /// below it: systemd inside a container moves everything, itself too,
    /// into cgroups of its own (on v2 it must: only leaves hold processes).
    static func processes(in dir: String) -> [pid_t] {
        let own = readPids(dir + "/cgroup.procs")
        return own.isEmpty ? subtree(dir).dropFirst().flatMap { readPids($0 + "/cgroup.procs") } : own
    }

    /// `path` and every cgroup below it, parents before children.
    static func subtree(_ path: String) -> [String] {
        var result = [path]
        var index = 0
        while index < result.count {
            let dir = result[index]
            for name in (try? Files.list(dir)) ?? [] where Files.isDirectory(dir + "/" + name) {
                result.append(dir + "/" + name)
            }
            index += 1
        }
        return result
    }

    /// The BPF policies of a cgroup2 directory: devices (when `devices` is
    /// given) and sysctls.
    static func attachPolicies(_ dir: String, devices: [DeviceRule]?) throws(SysError) {
        let fd = try check("open", dir) { open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        if let devices {
            let rules = devices.map(\.cRule)
            try check("bpf BPF_CGROUP_DEVICE", dir) { vz_bpf_device_policy(fd, rules, Int32(rules.count)) }
        }
        try check("bpf BPF_CGROUP_SYSCTL", dir) { vz_bpf_sysctl_policy(fd) }
    }

    static func makeDirectory(_ path: String) throws(SysError) {
        if mkdir(path, 0o755) != 0 && Glibc.errno != EEXIST { throw SysError("mkdir", path) }
    }


    /// Writes `value` to `file` and polls `state` until `done` says the
    /// kernel has finished (freezing takes until every task reaches the
    /// refrigerator).
    static func writeAndWait(_ file: String, _ value: String, state: String, done: (String) -> Bool) throws(SysError) {
        try Files.writeExisting(file, value)
        for _ in 0..<1000 {
            if done(try Files.read(state)) { return }
            usleep(1_000)
        }
        throw SysError("freeze", state, errno: ETIMEDOUT)
    }

    /// Sends SIGKILL to the processes of cgroup `dir` and of those below it
    /// until none is left.
    static func killLoop(_ dirs: [String], freeze: () -> Void = {}, thaw: () -> Void = {}) throws(SysError) {
        for _ in 0..<200 {
            freeze()
            // Never vzctl itself, which passes through a container's cgroups.
            let pids = dirs.flatMap { subtree($0).flatMap { readPids($0 + "/cgroup.procs") } }.filter { $0 != getpid() }
            for pid in pids { kill(pid, SIGKILL) }
            thaw()
            if pids.isEmpty { return }
            usleep(5_000)
        }
        throw SysError("kill", (dirs.first ?? "") + "/cgroup.procs", errno: EBUSY)
    }
}
