/// What the kernel counts for a container, as beancounter columns: held,
/// maxheld and failcnt per resource in its native unit (pages for *pages).
/// Only what cgroups count exists here; other resources read as zero.
public struct Usage: Sendable, Equatable {
    /// Which counters to read: vzlist reads one file per container for its
    /// default NPROC column, not a dozen.
    public struct Request: Sendable {
        public var resources: Set<String>?
        public var heldOnly = false

        public init(resources: Set<String>? = nil, heldOnly: Bool = false) {
            self.resources = resources
            self.heldOnly = heldOnly
        }

        public static let all = Request()

        func wants(_ name: String) -> Bool { resources?.contains(name) ?? true }
    }

    public struct Counter: Sendable, Equatable {
        public var held: Int64
        public var maxheld: Int64
        public var failcnt: Int64
    }

    public var counters: [String: Counter] = [:]

    public init() {}

    public subscript(_ name: String) -> Counter? { counters[name] }

    static func number(_ dir: String, _ file: String) -> Int64? {
        (try? Files.readSmall(dir + "/" + file)).flatMap { Int64($0.trimmingBlanks().replacingNewlines()) }
    }

    /// A `key value` line of a flat-keyed file such as pids.events.
    static func keyed(_ dir: String, _ file: String, _ key: String) -> Int64? {
        guard let text = try? Files.readSmall(dir + "/" + file),
              let line = Text.line(startingWith: key + " ", in: text)
        else { return nil }
        return Int64(line.trimmingBlanks())
    }

    static func pages(_ bytes: Int64?) -> Int64? { bytes.map { $0 / UBCValue.pageSize } }
}

extension CgroupV1 {
    public func usage(_ request: Usage.Request) -> Usage {
        var u = Usage()
        if request.wants("numproc"), let dir = hierarchies["pids"].map(path), let held = Usage.number(dir, "pids.current") {
            u.counters["numproc"] = request.heldOnly ? .init(held: held, maxheld: held, failcnt: 0)
                : .init(held: held, maxheld: Usage.number(dir, "pids.peak") ?? held,
                        failcnt: Usage.keyed(dir, "pids.events", "max") ?? 0)
        }
        guard ["physpages", "swappages", "kmemsize"].contains(where: request.wants) else { return u }
        if let dir = hierarchies["memory"].map(path), let used = Usage.number(dir, "memory.usage_in_bytes") {
            let peak = Usage.number(dir, "memory.max_usage_in_bytes") ?? used
            // With swap accounting a charge may fail on memory+swap before
            // memory itself: either is the container running out of RAM.
            // Recent kernels keep no failcnt on v1; their OOM kills count.
            let fails = (Usage.number(dir, "memory.failcnt") ?? 0) + (Usage.number(dir, "memory.memsw.failcnt") ?? 0)
                + (Usage.keyed(dir, "memory.oom_control", "oom_kill") ?? 0)
            u.counters["physpages"] = .init(held: used / UBCValue.pageSize, maxheld: peak / UBCValue.pageSize, failcnt: fails)
            if let both = Usage.number(dir, "memory.memsw.usage_in_bytes") {
                let bothPeak = Usage.number(dir, "memory.memsw.max_usage_in_bytes") ?? both
                u.counters["swappages"] = .init(held: max(both - used, 0) / UBCValue.pageSize,
                                                maxheld: max(bothPeak - peak, 0) / UBCValue.pageSize,
                                                failcnt: Usage.number(dir, "memory.memsw.failcnt") ?? 0)
            }
            if let kmem = Usage.number(dir, "memory.kmem.usage_in_bytes") {
                u.counters["kmemsize"] = .init(held: kmem, maxheld: Usage.number(dir, "memory.kmem.max_usage_in_bytes") ?? kmem,
                                               failcnt: Usage.number(dir, "memory.kmem.failcnt") ?? 0)
            }
        }
        return u
    }
}

extension CgroupV2 {
    public func usage(_ request: Usage.Request) -> Usage {
        var u = Usage()
        let dir = primaryPath
        if request.wants("numproc"), let held = Usage.number(dir, "pids.current") {
            u.counters["numproc"] = request.heldOnly ? .init(held: held, maxheld: held, failcnt: 0)
                : .init(held: held, maxheld: Usage.number(dir, "pids.peak") ?? held,
                        failcnt: Usage.keyed(dir, "pids.events", "max") ?? 0)
        }
        guard ["physpages", "swappages"].contains(where: request.wants) else { return u }
        if let used = Usage.number(dir, "memory.current") {
            u.counters["physpages"] = .init(held: used / UBCValue.pageSize,
                                            maxheld: (Usage.number(dir, "memory.peak") ?? used) / UBCValue.pageSize,
                                            failcnt: (Usage.keyed(dir, "memory.events", "max") ?? 0)
                                                + (Usage.keyed(dir, "memory.events", "oom_kill") ?? 0))
        }
        if let swap = Usage.number(dir, "memory.swap.current") {
            u.counters["swappages"] = .init(held: swap / UBCValue.pageSize,
                                            maxheld: (Usage.number(dir, "memory.swap.peak") ?? swap) / UBCValue.pageSize,
                                            failcnt: Usage.keyed(dir, "memory.swap.events", "max") ?? 0)
        }
        return u
    }
}
