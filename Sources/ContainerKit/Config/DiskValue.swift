/// DISKSPACE (`soft[:hard]` in KB, with K/M/G/T suffixes) and DISKINODES
/// (`soft[:hard]` counts), always stored as `soft:hard`.
public enum DiskValue {
    public static func parse(_ text: String, sizes: Bool) -> (soft: Int64, hard: Int64)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let soft = one(parts[0], sizes),
              let hard = parts.count == 2 ? one(parts[1], sizes) : soft, hard >= soft
        else { return nil }
        return (soft, hard)
    }

    static func one(_ text: Substring, _ sizes: Bool) -> Int64? {
        guard sizes, let last = text.last, last.isLetter else { return Int64(text).flatMap { $0 >= 0 ? $0 : nil } }
        let factor: Double
        switch last.lowercased() {
        case "k": factor = 1
        case "m": factor = 1024
        case "g": factor = 1_048_576
        case "t": factor = 1_073_741_824
        default: return nil
        }
        guard let v = Double(text.dropLast()), v >= 0 else { return nil }
        return Int64((v * factor).rounded(.down))
    }

    public static func format(_ pair: (soft: Int64, hard: Int64)) -> String { "\(pair.soft):\(pair.hard)" }
}
