#if canImport(Glibc)
import Glibc
#endif

/// cgroup v2: one unified tree, `<root>/<parent>/<CTID>`. A controller's files
/// appear in a child only once the parent's subtree_control enables it.
public struct CgroupV2: Cgroup {
    static let wanted = ["cpuset", "cpu", "io", "memory", "pids"]

    public let ctid: CTID
    public let root: String
    public let parent: String

    public init(ctid: CTID, root: String, parent: String) {
        self.ctid = ctid
        self.root = root
        self.parent = parent
    }

    public var primaryPath: String { "\(parentPath)/\(ctid)" }
    public var parentPath: String { "\(root)/\(parent)" }

    public func create() throws(SysError) {
        try Cgroups.makeDirectory("\(root)/\(parent)")
        enableControllers(in: root)
        enableControllers(in: "\(root)/\(parent)")
        try Cgroups.makeDirectory(primaryPath)
    }

    private func enableControllers(in dir: String) {
        let available = ((try? Files.read(dir + "/cgroup.controllers")) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" })
        let enabled = ((try? Files.read(dir + "/cgroup.subtree_control")) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" })
        let missing = Self.wanted.filter { available.contains(Substring($0)) && !enabled.contains(Substring($0)) }
        // One at a time: a controller the kernel refuses here is reported when
        // a limit is written to it, and must not keep the others off.
        for controller in missing {
            try? Files.writeExisting(dir + "/cgroup.subtree_control", "+" + controller)
        }
    }

    public func restrict(devices: [DeviceRule]) throws(SysError) {
        try Cgroups.attachPolicies(primaryPath, devices: devices)
    }

    /// v2 moves whole processes only (cgroup.threads needs threaded
    /// cgroups), so this write takes the threadgroup lock.
    public func join() throws(SysError) {
        try Files.writeExisting(primaryPath + "/cgroup.procs", "0")
    }

    public func apply(_ limits: ResourceLimits) throws(SysError) {
        let dir = primaryPath
        // A controller the host could not enable has no files: skipped.
        func write(_ file: String, _ value: String) throws(SysError) {
            if Files.exists(dir + "/" + file) { try Files.writeExisting(dir + "/" + file, value) }
        }
        try write("cpu.weight", "\(limits.cpuWeight)")
        try write("cpu.max", "\(limits.cpuQuota.map { "\($0)" } ?? "max") \(ResourceLimits.cpuPeriod)")
        try write("cpuset.cpus", limits.cpuset ?? "")
        try write("cpuset.mems", limits.mems ?? "")
        try write("memory.max", limits.memoryBytes.map { "\($0)" } ?? "max")
        try write("memory.swap.max", limits.memoryBytes != nil ? "\(limits.swapBytes ?? 0)" : "max")
        try write("pids.max", limits.pids.map { "\($0)" } ?? "max")
        try write("io.weight", "default \(limits.ioWeight)")
        if let device = limits.ioDevice {
            let bps = limits.ioBytes.map { "\($0)" } ?? "max"
            let iops = limits.ioOps.map { "\($0)" } ?? "max"
            try write("io.max", "\(device) rbps=\(bps) wbps=\(bps) riops=\(iops) wiops=\(iops)")
        }
    }

    public func currentPlacement() -> [String] {
        Cgroups.membership().filter { $0.controllers.isEmpty }.map { "\(root)\($0.path)/cgroup.procs" }
    }

    public func processes() -> [pid_t] {
        Cgroups.processes(in: primaryPath)
    }


    public var freezerPath: String? { primaryPath }

    public var criuControllers: [String] { [""] }

    public func freeze() throws(SysError) { try setFrozen(true) }
    public func thaw() throws(SysError) { try setFrozen(false) }

    /// cgroup.events says `frozen 1` once every task is stopped.
    private func setFrozen(_ on: Bool) throws(SysError) {
        try Cgroups.writeAndWait(primaryPath + "/cgroup.freeze", on ? "1" : "0", state: primaryPath + "/cgroup.events") {
            Text.line(startingWith: "frozen ", in: $0) == (on ? "1" : "0")
        }
    }

    public var isFrozen: Bool {
        (try? Files.read(primaryPath + "/cgroup.freeze"))?.hasPrefix("1") ?? false
    }

    public func killAll() throws(SysError) {
        if Files.exists(primaryPath + "/cgroup.kill") {
            try? Files.writeExisting(primaryPath + "/cgroup.kill", "1")
        }
        try Cgroups.killLoop([primaryPath])
    }

    public func destroy() throws(SysError) {
        try Cgroups.removeDirectory(primaryPath)
    }
}
