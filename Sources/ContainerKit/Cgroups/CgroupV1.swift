#if canImport(Glibc)
import Glibc
#endif

/// cgroup v1: one directory per controller hierarchy,
/// `<hierarchy>/<parent>/<CTID>`.
public struct CgroupV1: Cgroup {
    /// Controllers a container joins when the host has them mounted.
    public static let controllers = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"]

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
            try Files.writeExisting(path(mount) + "/tasks", "0")
        }
    }

    public func currentPlacement() -> [String] {
        var files = Set<String>()
        for (controllers, path) in Cgroups.membership() {
            for controller in controllers {
                if let mount = hierarchies[String(controller)] { files.insert("\(mount)\(path)/tasks") }
            }
        }
        return files.sorted()
    }

    public func processes() -> [pid_t] {
        Cgroups.readPids(primaryPath + "/cgroup.procs")
    }

    public func taskCount() -> Int? {
        if let pids = hierarchies["pids"], let text = try? Files.readSmall(path(pids) + "/pids.current") {
            return Int(text.trimmingBlanks().replacingNewlines())
        }
        return (try? Files.read(primaryPath + "/tasks"))?.split(separator: "\n").count
    }

    public func killAll() throws(SysError) {
        let freezer = hierarchies["freezer"].map { path($0) + "/freezer.state" }
        try Cgroups.killLoop(
            procsFile: primaryPath + "/cgroup.procs",
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
