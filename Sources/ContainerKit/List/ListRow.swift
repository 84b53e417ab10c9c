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
    public let taskCount: Int?
    /// Seconds since the container's init started.
    public let uptime: Double?

    public init(config: CTConfig, status: Status, taskCount: Int?, uptime: Double?) {
        self.config = config
        self.status = status
        self.taskCount = taskCount
        self.uptime = uptime
    }

    public var ctid: CTID { config.ctid }
    public var isRunning: Bool { status == .running }

    /// Reads the kernel's view of a container. `needStatus` adds the
    /// mounted/suspended checks that only the status column needs.
    public static func probe(_ ct: Container, needStatus: Bool) -> ListRow {
        let pid = ct.initPID
        var status: Status = pid == nil ? .stopped : .running
        if pid == nil && needStatus {
            if ct.isSuspended { status = .suspended }
            if ct.isMounted { status = .mounted }
        }
        return ListRow(config: ct.config, status: status, taskCount: pid == nil ? nil : ct.cgroup.taskCount(),
                       uptime: pid.flatMap(Self.uptime(of:)))
    }

    static func uptime(of pid: pid_t) -> Double? {
        guard let stat = try? Files.read("/proc/\(pid)/stat"),
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
