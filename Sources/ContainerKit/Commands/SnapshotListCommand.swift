/// `vzctl snapshot-list CTID [-H] [-o FIELD,...] [--id UUID] | -L | -h`:
/// vzctl's columns and widths; every column but the last is padded and
/// followed by a space, the header pads the last one too. Like vzctl it
/// parses its own options: a bad one gets the usage and code 20.
enum SnapshotListCommand {
    static let options = [
        OptionSpec("no-header", short: "H"), OptionSpec("output", short: "o", value: true),
        OptionSpec("help", short: "h"), OptionSpec("uuid", short: "u", value: true),
        OptionSpec("id", value: true), OptionSpec("list", short: "L"),
    ]

    struct Field: Sendable {
        let name: String
        let header: String
        let width: Int
        let value: @Sendable (Snapshot, SnapshotStore) -> String
    }

    static let fields: [Field] = [
        Field(name: "uuid", header: "UUID", width: 38) { s, _ in s.uuid },
        Field(name: "parent_uuid", header: "PARENT_UUID", width: 38) { s, _ in s.parent },
        Field(name: "current", header: "C", width: 1) { s, _ in s.current ? "*" : "" },
        Field(name: "date", header: "DATE", width: 19) { s, _ in s.date },
        Field(name: "name", header: "NAME", width: 32) { s, _ in s.name },
        Field(name: "desc", header: "DESC", width: 32) { s, _ in s.description },
        Field(name: "device", header: "DEVICE", width: 16) { s, store in store.mounts(s.uuid).first?.device ?? "" },
        Field(name: "target", header: "TARGET", width: 32) { s, store in store.mounts(s.uuid).first?.point ?? "" },
    ]

    static let defaultFields = "parent_uuid,current,uuid,date,name"

    static let usage = """
        vzctl snapshot-list <ctid|name> [-H] [-o field[,field...]] [--id <uuid>]
        vzctl snapshot-list <ctid|name> -L | --list

        """

    static func run(_ ct: Container, _ words: [String]) throws(VZError) -> Int32 {
        let args: ParsedArguments
        do {
            args = try Getopt.parse(words, options)
        } catch {
            throw VZError(.invalidSyntax, "vzctl: \(error)\n" + usage)
        }
        if !args.positionals.isEmpty {
            throw VZError(.invalidSyntax, "non-option ARGV-elements: " + args.positionals.map { $0 + " " }.joined())
        }
        if args.has("help") {
            print(usage, terminator: "")
            return 0
        }
        if args.has("list") {
            for field in fields { print(Text.pad(field.name, 15, right: false) + " " + Text.pad(field.header, 15, right: false)) }
            return 0
        }
        var uuid: String?
        if let given = args.options.last(where: { $0.name == "uuid" || $0.name == "id" })?.value {
            guard let normalized = SnapshotTree.normalize(given) else {
                throw VZError(.invalidValue, "Invalid guid is specified: \(given)")
            }
            uuid = normalized
        }
        var columns: [Field] = []
        var names = (args.value("output") ?? defaultFields).split(separator: ",", omittingEmptySubsequences: false)
        if names.count > 1 && names.last == "" { names.removeLast() }  // vzctl's loop ends at a trailing comma
        for name in names {
            guard let field = fields.first(where: { $0.name == name.lowercased() }) else {
                throw VZError(.invalidValue, "Unknown field: \(name)")
            }
            columns.append(field)
        }
        let tree = try ct.snapshotTree()
        let store = try ct.snapshotStore(failing: .listSnapshot)
        var rows = tree.snapshots
        if let uuid {
            guard tree.find(uuid) != nil else { throw VZError(.invalidValue, "Can't find snapshot by uuid \(uuid)") }
            guard let chain = tree.chain(from: uuid) else {
                throw VZError(.listSnapshot, "Inconsistency detected, base image not found")
            }
            rows = chain
        }
        var out = ""
        if !args.has("no-header") {
            out += columns.map { Text.pad($0.header, $0.width, right: false) }.joined(separator: " ") + "\n"
        }
        for row in rows {
            for (i, column) in columns.enumerated() {
                let value = column.value(row, store)
                out += i == columns.count - 1 ? value + "\n" : Text.pad(value, column.width, right: false) + " "
            }
        }
        print(out, terminator: "")
        return 0
    }
}
