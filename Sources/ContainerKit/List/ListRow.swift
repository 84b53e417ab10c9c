#if canImport(Glibc)
import Glibc
#endif

/// What vzlist knows of one container: its config and what the kernel says.
public struct ListRow: Sendable {
    public enum Status: String, Sendable {
        case running, stopped, mounted, suspended

        var sortRank: Int {
            switch self {
            case .running: return 0
            case .stopped: return 1
            case .mounted: return 2
            case .suspended: return 3
            }
        }
    }

    public let config: CTConfig
    public let status: Status
    /// The kernel's counters, for a running container when asked for.
    public let usage: Usage?
    /// Seconds since the container's init started.
    public let uptime: Double?
    /// Disk usage and limits, when asked for.
    public let disk: DiskUsage?

    public init(config: CTConfig, status: Status, usage: Usage?, uptime: Double?, disk: DiskUsage? = nil) {
        self.config = config
        self.status = status
        self.usage = usage
        self.uptime = uptime
        self.disk = disk
    }

    public var ctid: CTID { config.ctid }
    public var isRunning: Bool { status == .running }

    /// What vzlist needs to read besides the config.
    public struct Needs: Sendable {
        /// mounted/suspended are told apart from stopped only for the status column.
        public var status = false
        public var uptime = false
        /// The diskspace/diskinodes columns.
        public var disk = false
        /// The beancounter columns: which counters they need, nil for none.
        public var usage: Usage.Request?
        /// CTIDs that have a cgroup at all (one directory listing), or nil
        /// to look for each; a container without one is not running.
        public var cgroups: Set<CTID>?
        /// Mount points of this namespace, read once for all rows.
        public var mountPoints: Set<String>?
        /// Names in DUMPDIR, likewise.
        public var dumpFiles: Set<String>?

        public init() {}
    }

    /// Reads the kernel's view of a container. Running means its cgroup
    /// holds processes (zombies are not listed there), as /proc/vz/veinfo
    /// listed a container until its last process was gone; `vzctl status`
    /// looks for the PID 1 itself. The kernel kills a PID namespace whose
    /// init dies, so the two differ only for that moment.
    public static func probe(_ ct: Container, _ needs: Needs) -> ListRow {
        let hasCgroup = needs.cgroups.map { $0.contains(ct.ctid) } ?? true
        let running = hasCgroup && !ct.cgroup.processes().isEmpty
        var status: Status = running ? .running : .stopped
        var mounted: Bool {
            needs.mountPoints.map { ct.config.rootPath.map($0.contains) ?? false } ?? ct.isMounted
        }
        if !running && needs.status {
            if needs.dumpFiles.map({ $0.contains("Dump.\(ct.ctid)") }) ?? ct.isSuspended { status = .suspended }
            if mounted { status = .mounted }
        }
        return ListRow(config: ct.config, status: status, usage: running ? needs.usage.map(ct.cgroup.usage) : nil,
                       uptime: running && needs.uptime ? ct.initPID.flatMap(Self.uptime(of:)) : nil,
                       disk: needs.disk ? DiskUsage.of(ct.config, mounted: running || mounted) : nil)
    }

    static func uptime(of pid: pid_t) -> Double? {
        guard let stat = try? Files.readSmall("/proc/\(pid)/stat"),
              let close = stat.lastIndex(of: ")"),
              let boot = try? Files.read("/proc/uptime"),
              let now = Double(boot.split(separator: " ").first ?? "")
        else { return nil }
        // Fields after the command name; starttime is field 22 of the line.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let start = Double(fields[19]) else { return nil }
        return max(0, now - start / Double(sysconf(Int32(_SC_CLK_TCK))))
    }
}
