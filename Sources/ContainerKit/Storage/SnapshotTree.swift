/// One snapshot of a container's image, as `snapshot-list` shows it.
public struct Snapshot: Sendable, Equatable {
    /// `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, the form ploop used.
    public var uuid: String
    /// The snapshot this one was taken on top of; "" for a first one.
    public var parent: String
    /// The snapshot the container's image now descends from.
    public var current: Bool
    /// Local time, `YYYY-MM-DD HH:MM:SS`.
    public var date: String
    public var name: String
    public var description: String
}

/// The snapshot tree of a container with ploop's rules (Snapshots.xml): a new
/// snapshot is a child of the current one and becomes current; deleting one
/// hands its children to its parent, and deleting the current one makes its
/// parent current. Stored as text, one tab-separated line per snapshot.
public struct SnapshotTree: Sendable, Equatable {
    public private(set) var snapshots: [Snapshot] = []

    public init() {}

    public var current: Snapshot? { snapshots.first { $0.current } }

    public func find(_ uuid: String) -> Snapshot? { snapshots.first { $0.uuid == uuid } }

    public func children(of uuid: String) -> [Snapshot] { snapshots.filter { $0.parent == uuid } }

    /// Adds a snapshot of the image as it is now: a child of the current one.
    public mutating func add(uuid: String, date: String, name: String, description: String) {
        let parent = current?.uuid ?? ""
        for i in snapshots.indices { snapshots[i].current = false }
        snapshots.append(Snapshot(uuid: uuid, parent: parent, current: true, date: date, name: name, description: description))
    }

    public mutating func setCurrent(_ uuid: String) {
        for i in snapshots.indices { snapshots[i].current = snapshots[i].uuid == uuid }
    }

    public mutating func remove(_ uuid: String) {
        guard let gone = find(uuid) else { return }
        snapshots.removeAll { $0.uuid == uuid }
        for i in snapshots.indices {
            if snapshots[i].parent == uuid { snapshots[i].parent = gone.parent }
            if gone.current && snapshots[i].uuid == gone.parent { snapshots[i].current = true }
        }
    }

    /// `uuid` and its ancestors, nearest first (`snapshot-list --id`); nil
    /// when the chain breaks off before a first snapshot.
    public func chain(from uuid: String) -> [Snapshot]? {
        var result: [Snapshot] = []
        var next = uuid
        while let snapshot = find(next), result.count < snapshots.count {
            result.append(snapshot)
            if snapshot.parent.isEmpty { return result }
            next = snapshot.parent
        }
        return nil
    }

    /// vzctl's form of a uuid given on the command line: 36 characters,
    /// hex digits with dashes at 8, 13, 18 and 23, each brace optional;
    /// returned in braces, letters as given.
    public static func normalize(_ text: String) -> String? {
        var body = Substring(text)
        if body.hasPrefix("{") { body = body.dropFirst() }
        if body.hasSuffix("}") { body = body.dropLast() }
        let chars = Array(body.utf8)
        guard chars.count == 36 else { return nil }
        for (i, c) in chars.enumerated() {
            let ok = [8, 13, 18, 23].contains(i) ? c == UInt8(ascii: "-") : Self.isHexDigit(c)
            if !ok { return nil }
        }
        return "{" + body + "}"
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c | 0x20)
    }

    // MARK: text form

    static let header = "# vzkit snapshots: uuid, parent uuid, current (1/0), date, name, description; tab-separated\n"

    public var text: String {
        var out = Self.header
        for s in snapshots {
            let fields = [s.uuid, s.parent, s.current ? "1" : "0", s.date, s.name, s.description]
            out += fields.map(Self.escape).joined(separator: "\t") + "\n"
        }
        return out
    }

    /// Parses `text`; a failure names the first line that is not a snapshot.
    public static func parse(_ text: String) -> Result<SnapshotTree, ParseError> {
        var tree = SnapshotTree()
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map { unescape($0) }
            guard f.count == 6, normalize(f[0]) == f[0], f[1].isEmpty || normalize(f[1]) == f[1] else {
                return .failure(ParseError(line: n + 1))
            }
            tree.snapshots.append(Snapshot(uuid: f[0], parent: f[1], current: f[2] == "1", date: f[3], name: f[4], description: f[5]))
        }
        return .success(tree)
    }

    public struct ParseError: Error, Sendable, Equatable {
        public let line: Int
    }

    static func escape(_ field: String) -> String {
        var out = ""
        for c in field {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ field: Substring) -> String {
        var out = ""
        var escaped = false
        for c in field {
            if escaped {
                out.append(c == "t" ? "\t" : c == "n" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
