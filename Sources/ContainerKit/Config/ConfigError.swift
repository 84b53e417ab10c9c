/// A problem in a config file, with where it is.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case noEquals
        case unmatchedQuotes
        case duplicate(String)
        case badValue(key: String, value: String)
    }

    public let file: String
    public let line: Int
    public let reason: Reason

    public init(file: String, line: Int, reason: Reason) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// vzctl's wording, so log scrapers keep matching.
    public var description: String {
        switch reason {
        case .noEquals: return "Warning: can't parse \(file):\(line) ('=' not found), skipping"
        case .unmatchedQuotes: return "Warning: can't parse \(file):\(line) (unmatched quotes), skipping"
        case .duplicate(let key): return "Warning: \(file):\(line): duplicate \(key) ignored"
        case .badValue(let key, let value):
            return "Warning: \(file):\(line): invalid value for \(key) (\"\(value)\"), skipped"
        }
    }
}
