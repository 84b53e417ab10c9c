/// A vz.conf-style file: `KEY="value"` lines among comments and blank lines.
/// Keeps every raw line so that saving changes only the lines it must.
public struct ConfigFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let value: String
        public let line: Int
    }

    public let path: String
    public private(set) var lines: [String]
    public private(set) var entries: [Entry]
    public private(set) var problems: [ConfigError]

    public init(path: String, text: String) {
        self.path = path
        self.lines = Text.ownedLines(text)
        self.entries = []
        self.problems = []
        reparse()
    }

    public static func load(_ path: String) throws(SysError) -> ConfigFile {
        ConfigFile(path: path, text: try Files.read(path))
    }

    private mutating func reparse() {
        entries = []
        problems = []
        for (index, raw) in lines.enumerated() {
            switch Self.parse(line: raw) {
            case .skip: continue
            case .entry(let key, let value): entries.append(Entry(key: key, value: value, line: index + 1))
            case .problem(let reason): problems.append(ConfigError(file: path, line: index + 1, reason: reason))
            }
        }
    }

    enum Parsed: Equatable {
        case skip
        case entry(String, String)
        case problem(ConfigError.Reason)
    }

    /// One line as vzctl reads it: backslash escapes first, then trimming,
    /// `#` comments, `KEY=value` or `KEY="value"` up to the last quote.
    static func parse(line raw: String) -> Parsed {
        if raw.utf8.contains(UInt8(ascii: "\\")) { return parse(bytes: Substring(unescape(raw))) }
        return parse(bytes: Substring(raw))
    }

    /// Works on the bytes and makes Strings only of the key and value:
    /// this runs for every line of every config vzlist reads.
    private static func parse(bytes line: Substring) -> Parsed {
        let u = line.utf8
        let isBlank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 13 }
        guard let start = u.firstIndex(where: { !isBlank($0) }) else { return .skip }
        if u[start] == UInt8(ascii: "#") { return .skip }
        let end = u.index(after: u.lastIndex(where: { !isBlank($0) })!)
        guard let eq = u[start..<end].firstIndex(of: UInt8(ascii: "=")) else { return .problem(.noEquals) }
        let key = String(line[start..<eq])
        var valueStart = u.index(after: eq)
        var valueEnd = end
        if valueStart < end && u[valueStart] == UInt8(ascii: "\"") {
            valueStart = u.index(after: valueStart)
            guard let close = u[valueStart..<end].lastIndex(of: UInt8(ascii: "\"")) else { return .problem(.unmatchedQuotes) }
            valueEnd = close
        }
        return .entry(key, String(line[valueStart..<valueEnd]))
    }

    /// Every `\x` becomes `x`, before anything else is looked at.
    private static func unescape(_ raw: String) -> String {
        var out: [UInt8] = []
        var escaping = false
        for byte in raw.utf8 {
            if escaping || byte != UInt8(ascii: "\\") {
                out.append(byte)
                escaping = false
            } else {
                escaping = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first occurrence of a scalar key.
    public func value(_ key: String) -> String? {
        entries.first { $0.key == key }?.value
    }

    /// Every occurrence, for list keys that accumulate.
    public func values(_ key: String) -> [String] {
        entries.filter { $0.key == key }.map(\.value)
    }

    /// Later occurrences of scalar keys, which vzctl ignores with a warning.
    public func duplicates(ignoring listKeys: Set<String>) -> [ConfigError] {
        var seen = Set<String>()
        var result: [ConfigError] = []
        for entry in entries where !listKeys.contains(entry.key) {
            if !seen.insert(entry.key).inserted {
                result.append(ConfigError(file: path, line: entry.line, reason: .duplicate(entry.key)))
            }
        }
        return result
    }

    /// Stores `value` the way `--save` does: the first line that starts with
    /// `KEY=` is replaced; otherwise the line goes to the end.
    public mutating func set(_ key: String, _ value: String) {
        let newLine = "\(key)=\"\(Self.escape(value))\""
        if let index = lines.firstIndex(where: { $0.hasPrefix(key + "=") }) {
            lines[index] = newLine
        } else {
            lines.append(newLine)
        }
        reparse()
    }

    /// Applies several changes; keys new to the file are appended in vzctl's
    /// canonical order rather than in the order they were given.
    public mutating func set(_ changes: [(key: String, value: String)]) {
        let present = changes.filter { change in lines.contains { $0.hasPrefix(change.key + "=") } }
        let absent = changes.filter { change in !lines.contains { $0.hasPrefix(change.key + "=") } }
        for change in present + absent.sorted(by: { ConfigKeys.saveRank($0.key) < ConfigKeys.saveRank($1.key) }) {
            set(change.key, change.value)
        }
    }

    public var text: String {
        lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    public func save() throws(SysError) {
        try Files.writeAtomically(path, text)
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for ch in value {
            if ch == "\\" || ch == "\"" { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

extension StringProtocol {
    func trimmingBlanks() -> String {
        let isBlank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 13 }
        let bytes = Substring(self).utf8
        guard let start = bytes.firstIndex(where: { !isBlank($0) }) else { return "" }
        let end = bytes.lastIndex(where: { !isBlank($0) })!
        return String(Substring(self)[start...end])
    }
}
