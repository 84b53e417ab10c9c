/// Beancounter values: `B` or `B:L`, numbers with an optional fraction and a
/// one-letter suffix, or `unlimited` (reference/set-parameters.md §1).
public enum UBCUnit: Sendable {
    case bytes, pages, items
}

public enum UBCValue {
    public static let unlimited = Int64.max
    public static let pageSize: Int64 = 4096

    static let units: [String: UBCUnit] = {
        var table: [String: UBCUnit] = [:]
        for name in ["kmemsize", "tcpsndbuf", "tcprcvbuf", "othersockbuf", "dgramrcvbuf", "dcachesize"] { table[name] = .bytes }
        for name in ["lockedpages", "privvmpages", "shmpages", "physpages", "vmguarpages", "oomguarpages", "swappages"] {
            table[name] = .pages
        }
        return table
    }()

    public static func unit(of name: String) -> UBCUnit { units[name] ?? .items }

    /// One number in the parameter's native unit; nil if malformed.
    public static func parseOne(_ text: Substring, unit: UBCUnit) -> Int64? {
        if text == "unlimited" { return unlimited }
        var number = text
        var multiplier: Double = 1
        if let last = number.last, last.isLetter {
            guard unit != .items else { return nil }
            switch last.lowercased() {
            case "t": multiplier = 1_099_511_627_776
            case "g": multiplier = 1_073_741_824
            case "m": multiplier = 1_048_576
            case "k": multiplier = 1024
            case "p": multiplier = Double(pageSize)
            case "b": multiplier = 1
            default: return nil
            }
            number = number.dropLast()
            if unit == .pages { multiplier /= Double(pageSize) }
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number) else { return nil }
        let scaled = (value * multiplier).rounded(.down)
        return scaled >= Double(Int64.max) ? unlimited : Int64(scaled)
    }

    /// `B[:L]` as (barrier, limit); one value means both.
    public static func parsePair(_ text: String, unit: UBCUnit) -> (barrier: Int64, limit: Int64)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let barrier = parseOne(parts[0], unit: unit),
              let limit = parts.count == 2 ? parseOne(parts[1], unit: unit) : barrier
        else { return nil }
        return (barrier, limit)
    }
}
