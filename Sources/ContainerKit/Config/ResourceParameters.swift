/// The resource options of `vzctl set` (and create): how each value is
/// read from the command line and stored (reference/set-parameters.md).
public enum ResourceParameters {
    public enum Kind: Sendable, Equatable {
        case ubc(String)        // beancounter base name, B[:L]
        case ram, swap          // vswap sizes, stored as PHYSPAGES/SWAPPAGES 0:pages
        case cpuunits, cpulimit, cpus, cpumask
        case ioprio, iolimit, iopslimit
        case nodemask, vmOvercommit
    }

    public struct Parameter: Sendable {
        public let option: String
        public let short: Character?
        public let key: String
        public let kind: Kind
    }

    static let shortOptions: [String: Character] = [
        "kmemsize": "k", "lockedpages": "l", "numproc": "p", "numflock": "f", "numpty": "t",
        "numsiginfo": "i", "tcprcvbuf": "b", "numiptent": "e", "numfile": "n", "dcachesize": "x",
    ]

    public static let all: [Parameter] = {
        var list = ListField.ubcNames.map { name, _ in
            Parameter(option: name, short: shortOptions[name], key: name.uppercased(), kind: .ubc(name))
        }
        list += [
            Parameter(option: "ram", short: nil, key: "PHYSPAGES", kind: .ram),
            Parameter(option: "swap", short: nil, key: "SWAPPAGES", kind: .swap),
            Parameter(option: "cpuunits", short: nil, key: "CPUUNITS", kind: .cpuunits),
            Parameter(option: "cpulimit", short: nil, key: "CPULIMIT", kind: .cpulimit),
            Parameter(option: "cpus", short: nil, key: "CPUS", kind: .cpus),
            Parameter(option: "cpumask", short: nil, key: "CPUMASK", kind: .cpumask),
            Parameter(option: "nodemask", short: nil, key: "NODEMASK", kind: .nodemask),
            Parameter(option: "vm_overcommit", short: nil, key: "VM_OVERCOMMIT", kind: .vmOvercommit),
            Parameter(option: "ioprio", short: nil, key: "IOPRIO", kind: .ioprio),
            Parameter(option: "iolimit", short: nil, key: "IOLIMIT", kind: .iolimit),
            Parameter(option: "iopslimit", short: nil, key: "IOPSLIMIT", kind: .iopslimit),
        ]
        return list
    }()

    public static var options: [OptionSpec] { all.map { OptionSpec($0.option, short: $0.short, value: true) } }

    /// The config value for `text` given to `parameter`, or nil if it is bad.
    public static func configValue(_ parameter: Parameter, _ text: String, hostCPUs: Int) -> String? {
        switch parameter.kind {
        case .ubc(let name):
            guard let pair = UBCValue.parsePair(text, unit: UBCValue.unit(of: name)) else { return nil }
            return UBCValue.format(pair)
        case .ram, .swap:
            // Bytes with a suffix, rounded up to pages; the barrier is 0.
            guard let bytes = UBCValue.parseOne(Substring(text), unit: .bytes) else { return nil }
            let pages = bytes == UBCValue.unlimited ? bytes : (bytes + UBCValue.pageSize - 1) / UBCValue.pageSize
            return "0:" + UBCValue.format(pages)
        case .cpuunits:
            guard let n = Int(text), (8...500_000).contains(n) else { return nil }
            return String(n)
        case .cpulimit:
            // N: % of one CPU; N%: share of the whole host, stored as N x CPUs.
            if text.hasSuffix("%") {
                guard let n = Int(text.dropLast()), (0...100).contains(n) else { return nil }
                return String(n * hostCPUs)
            }
            guard let n = Int(text), n >= 0 else { return nil }
            return String(n)
        case .cpus:
            guard let n = Int(text), n >= 0 else { return nil }
            return String(n)
        case .cpumask, .nodemask:
            return CPUMask.parse(text) != nil ? text : nil
        case .vmOvercommit:
            guard let v = Double(text), v >= 0 else { return nil }
            return ListFormatter.formatG(v)
        case .ioprio:
            guard let n = Int(text), (0...7).contains(n) else { return nil }
            return String(n)
        case .iolimit:
            // Bytes/s in the config; a bare number on the command line is MB/s.
            if text == "unlimited" { return "0" }
            let bare = text.last?.isNumber == true
            guard let v = UBCValue.parseOne(Substring(bare ? text + "M" : text), unit: .bytes),
                  v <= 2 * 1_073_741_824 else { return nil }
            return String(v)
        case .iopslimit:
            if text == "unlimited" { return "0" }
            guard let n = Int(text), n >= 0 else { return nil }
            return String(n)
        }
    }
}

/// `0-3,5` or `all`.
public enum CPUMask {
    public static func parse(_ text: String) -> [Int]? {
        if text == "all" { return [] }
        var cpus: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2, let a = Int(ends[0]), a >= 0, let b = ends.count == 2 ? Int(ends[1]) : a, b >= a, b < 4096 else {
                return nil
            }
            cpus += Array(a...b)
        }
        return cpus
    }
}

extension UBCValue {
    public static func format(_ value: Int64) -> String { value == unlimited ? "unlimited" : String(value) }

    /// `B`, or `B:L` when they differ, as vzctl stores beancounters.
    public static func format(_ pair: (barrier: Int64, limit: Int64)) -> String {
        pair.barrier == pair.limit ? format(pair.barrier) : "\(format(pair.barrier)):\(format(pair.limit))"
    }
}
