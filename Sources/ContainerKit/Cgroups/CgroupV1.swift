#if canImport(Glibc)
import Glibc
#endif

/// cgroup v1: one directory per controller hierarchy,
/// `<hierarchy>/<parent>/<CTID>`.
public struct CgroupV1: Cgroup {
    /// Controllers a container joins when the host has them mounted.
    public static let controllers = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"]
    /// The key of the cgroup2 tree of a hybrid host in `hierarchies`; it
    /// has no controllers, only the BPF programs.
    public static let unified = "unified"

    public let ctid: CTID
    /// controller -> mount point
    public let hierarchies: [String: String]
    public let parent: String

    public init(ctid: CTID, hierarchies: [String: String], parent: String) {
        self.ctid = ctid
        self.hierarchies = hierarchies
        self.parent = parent
    }

    /// Each distinct mount once (cpu and cpuacct are often co-mounted).
    var mountPoints: [String] {
        Array(Set(hierarchies.values)).sorted()
    }

    func path(_ mount: String) -> String { "\(mount)/\(parent)/\(ctid)" }

    var primaryMount: String { hierarchies["pids"] ?? hierarchies["memory"] ?? mountPoints.first ?? "/sys/fs/cgroup" }
    public var primaryPath: String { path(primaryMount) }
    public var parentPath: String { "\(primaryMount)/\(parent)" }

    public func create() throws(SysError) {
        for mount in mountPoints {
            try Cgroups.makeDirectory("\(mount)/\(parent)")
            try Cgroups.makeDirectory(path(mount))
        }
        if let cpuset = hierarchies["cpuset"] {
            // A new cpuset starts empty and refuses tasks until it has CPUs and nodes.
            for file in ["cpuset.cpus", "cpuset.mems"] {
                try inherit(file, from: cpuset, into: "\(cpuset)/\(parent)")
                try inherit(file, from: "\(cpuset)/\(parent)", into: path(cpuset))
            }
        }
    }

    private func inherit(_ file: String, from: String, into: String) throws(SysError) {
        let current = (try? Files.read("\(into)/\(file)"))?.trimmingBlanks() ?? ""
        guard current.replacingNewlines().isEmpty else { return }
        let value = try Files.read("\(from)/\(file)")
        try Files.writeExisting("\(into)/\(file)", value)
    }

    public func join() throws(SysError) {
        for mount in mountPoints {
            // cgroup2 has no tasks file: whole processes only.
            try Files.writeExisting(path(mount) + (mount == hierarchies[Self.unified] ? "/cgroup.procs" : "/tasks"), "0")
        }
    }

    public func restrict(devices: [DeviceRule]) throws(SysError) {
        if let dir = hierarchies["devices"].map(path) {
            try Files.writeExisting(dir + "/devices.deny", "a")
            for rule in devices { try Files.writeExisting(dir + "/devices.allow", rule.cgroupV1Line) }
        }
        // BPF programs attach to cgroup2 only: the tree beside the v1 ones
        // (systemd's hybrid layout) carries the sysctl policy.
        if let unified = hierarchies[Self.unified].map(path) {
            try Cgroups.attachPolicies(unified, devices: nil)
        }
    }

    public func apply(_ limits: ResourceLimits) throws(SysError) {
        if let cpu = hierarchies["cpu"].map(path) {
            try Files.writeExisting(cpu + "/cpu.shares", "\(limits.cpuShares)")
            try Files.writeExisting(cpu + "/cpu.cfs_period_us", "\(ResourceLimits.cpuPeriod)")
            try Files.writeExisting(cpu + "/cpu.cfs_quota_us", "\(limits.cpuQuota ?? -1)")
        }
        if let cpuset = hierarchies["cpuset"].map(path) {
            let all = try Files.read("\(hierarchies["cpuset"]!)/\(parent)/cpuset.cpus").trimmingBlanks().replacingNewlines()
            try Files.writeExisting(cpuset + "/cpuset.cpus", limits.cpuset ?? all)
            let mems = try Files.read("\(hierarchies["cpuset"]!)/\(parent)/cpuset.mems").trimmingBlanks().replacingNewlines()
            try Files.writeExisting(cpuset + "/cpuset.mems", limits.mems ?? mems)
        }
        if let memory = hierarchies["memory"].map(path) {
            let ram = limits.memoryBytes ?? -1
            let memsw = limits.memoryBytes.map { $0 + (limits.swapBytes ?? 0) } ?? -1
            let swapFile = memory + "/memory.memsw.limit_in_bytes"
            // memory.limit <= memsw.limit at every step: raise memsw first,
            // lower it last.
            if Files.exists(swapFile) {
                try? Files.writeExisting(swapFile, "-1")
                try Files.writeExisting(memory + "/memory.limit_in_bytes", "\(ram)")
                try Files.writeExisting(swapFile, "\(memsw)")
            } else {
                try Files.writeExisting(memory + "/memory.limit_in_bytes", "\(ram)")
            }
        }
        if let pids = hierarchies["pids"].map(path) {
            try Files.writeExisting(pids + "/pids.max", limits.pids.map { "\($0)" } ?? "max")
        }
        if let blkio = hierarchies["blkio"].map(path) {
            // The weight exists only under a scheduler that has one (BFQ).
            for file in ["blkio.weight", "blkio.bfq.weight"] where Files.exists(blkio + "/" + file) {
                try Files.writeExisting(blkio + "/" + file, "\(limits.blkioWeight)")
            }
            if let device = limits.ioDevice {
                for (file, value) in [("read_bps_device", limits.ioBytes), ("write_bps_device", limits.ioBytes),
                                      ("read_iops_device", limits.ioOps), ("write_iops_device", limits.ioOps)] {
                    try Files.writeExisting(blkio + "/blkio.throttle." + file, "\(device) \(value ?? 0)")
                }
            }
        }
    }

    public func currentPlacement() -> [String] {
        var files = Set<String>()
        for (controllers, path) in Cgroups.membership() {
            for controller in controllers {
                if let mount = hierarchies[String(controller)] { files.insert("\(mount)\(path)/tasks") }
            }
            if controllers.isEmpty, let mount = hierarchies[Self.unified] { files.insert("\(mount)\(path)/cgroup.procs") }
        }
        return files.sorted()
    }

    public func processes() -> [pid_t] {
        Cgroups.processes(in: primaryPath)
    }


    public var freezerPath: String? { hierarchies["freezer"].map(path) }

    public var criuControllers: [String] {
        let names = hierarchies.map { controller, mount in
            controller == Self.unified ? "" : Files.resolvedTarget(mount).split(separator: "/").last.map(String.init) ?? controller
        }
        return Set(names).sorted()
    }

    private func freezerState() throws(SysError) -> String {
        guard let dir = freezerPath else { throw SysError("freeze", "(no freezer hierarchy)", errno: ENOTSUP) }
        return dir + "/freezer.state"
    }

    public func freeze() throws(SysError) { try setState("FROZEN") }
    public func thaw() throws(SysError) { try setState("THAWED") }

    /// FREEZING while tasks are still on their way; FROZEN once all are.
    private func setState(_ wanted: String) throws(SysError) {
        let state = try freezerState()
        try Cgroups.writeAndWait(state, wanted, state: state) { $0.hasPrefix(wanted) }
    }

    public var isFrozen: Bool {
        (try? freezerState()).flatMap { try? Files.read($0) }?.hasPrefix("FROZEN") ?? false
    }

    public func killAll() throws(SysError) {
        let freezer = hierarchies["freezer"].map { path($0) + "/freezer.state" }
        // Every hierarchy: a process that a killed start left half-way
        // through joining them may be missing from the primary one.
        try Cgroups.killLoop(
            mountPoints.map(path),
            freeze: { if let freezer { try? Files.writeExisting(freezer, "FROZEN") } },
            thaw: { if let freezer { try? Files.writeExisting(freezer, "THAWED") } })
    }

    public func destroy() throws(SysError) {
        for mount in mountPoints {
            try Cgroups.removeDirectory(path(mount))
        }
    }
}

extension String {
    func replacingNewlines() -> String {
        String(filter { $0 != "\n" })
    }
}
