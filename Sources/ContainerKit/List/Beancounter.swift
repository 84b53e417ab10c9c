/// A container's user beancounters: the kernel's counters from its cgroups
/// and the barriers and limits from its config.
public struct Beancounter: Sendable, Equatable {
    public let name: String
    /// nil for a container that is not running.
    public let held: Int64?
    public let maxheld: Int64?
    public let barrier: Int64
    public let limit: Int64
    public let failcnt: Int64?

    /// Resources in /proc/bc/resources order (no dummies, swappages last).
    public static let order = [
        "kmemsize", "lockedpages", "privvmpages", "shmpages", "numproc", "physpages", "vmguarpages",
        "oomguarpages", "numtcpsock", "numflock", "numpty", "numsiginfo", "tcpsndbuf", "tcprcvbuf",
        "othersockbuf", "dgramrcvbuf", "numothersock", "dcachesize", "numfile", "numiptent", "swappages",
    ]

    /// Running: every column, unlimited where the config sets nothing (as
    /// the kernel held it). Stopped: barrier and limit from the config, 0
    /// where it has none, as vzlist showed them.
    public static func of(_ name: String, config: CTConfig, usage: Usage?) -> Beancounter {
        let pair = config.value(name.uppercased()).flatMap { UBCValue.parsePair($0, unit: UBCValue.unit(of: name)) }
        guard let usage else {
            return Beancounter(name: name, held: nil, maxheld: nil, barrier: pair?.barrier ?? 0, limit: pair?.limit ?? 0, failcnt: nil)
        }
        let counter = usage[name] ?? Usage.Counter(held: 0, maxheld: 0, failcnt: 0)
        return Beancounter(name: name, held: counter.held, maxheld: counter.maxheld,
                           barrier: pair?.barrier ?? UBCValue.unlimited, limit: pair?.limit ?? UBCValue.unlimited,
                           failcnt: counter.failcnt)
    }

    public static func all(config: CTConfig, usage: Usage?) -> [Beancounter] {
        order.map { of($0, config: config, usage: usage) }
    }
}
