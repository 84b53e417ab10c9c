#if canImport(Glibc)
import Glibc
#endif

/// `vzlist [-a|-S] [-n] [-H] [-t] [-j] [-o FIELDS|-1] [-s [-]FIELD]
/// [-h PAT] [-N PAT] [-d PAT] [CTID|NAME...]`, `vzlist -L`.
public enum Vzlist {
    static let options: [OptionSpec] = [
        OptionSpec("all", short: "a"), OptionSpec("stopped", short: "S"), OptionSpec("name", short: "n"),
        OptionSpec("no-header", short: "H"), OptionSpec("no-trim", short: "t"), OptionSpec("json", short: "j"),
        OptionSpec("output", short: "o", value: true), OptionSpec("one", short: "1"),
        OptionSpec("sort", short: "s", value: true), OptionSpec("hostname", short: "h", value: true),
        OptionSpec("name_filter", short: "N", value: true), OptionSpec("description", short: "d", value: true),
        OptionSpec("list", short: "L"), OptionSpec("help"),
    ]

    static let usage = """
        Usage: vzlist [-a | -S] [-n] [-H] [-t] [-j] [-o FIELD[,FIELD...] | -1] [-s [-]FIELD]
                      [-h PATTERN] [-N PATTERN] [-d PATTERN] [CTID|NAME ...]
               vzlist -L | --list
          -a, --all          list all containers, not only running ones
          -S, --stopped      list stopped containers only
          -n, --name         show names (smart_name) instead of CTIDs
          -H, --no-header    do not print the header
          -t, --no-trim      do not truncate columns
          -j, --json         JSON output
          -o, --output LIST  fields to show (vzlist -L lists them)
          -1                 same as -H -o ctid
          -s, --sort [-]F    sort by field F (- reverses)
          -h, --hostname P   only containers whose hostname matches the glob P
          -N, --name_filter P  likewise for the name
          -d, --description P  likewise for the description

        """

    public static func main(_ args: [String]) -> Int32 {
        do {
            return try run(args)
        } catch {
            Console.writeErr(error.message)
            return 1
        }
    }

    static func run(_ args: [String]) throws(VZError) -> Int32 {
        let parsed: ParsedArguments
        do {
            parsed = try Getopt.parse(args, options)
        } catch {
            Console.writeErr("vzlist: \(error)")
            Console.writeErr(usage)
            return 1
        }
        if parsed.has("help") {
            print(usage, terminator: "")
            return 0
        }
        if parsed.has("list") {
            for field in ListField.all { print(Text.pad(field.name, 15, right: false) + " " + Text.pad(field.header, 15, right: false)) }
            return 0
        }
        let json = parsed.has("json")
        var names = json ? ListField.all.filter { !$0.isSuffixed }.map(\.name) : ListField.defaultNames
        var header = !parsed.has("no-header")
        // -o, -n and -1 all set the field list; the last one given wins.
        for (option, value) in parsed.options {
            switch option {
            case "output": names = (value ?? "").split(separator: ",").map(String.init)
            case "name": names = ListField.smartNames
            case "one":
                names = ["ctid"]
                header = false
            default: break
            }
        }
        var fields: [ListField] = []
        for name in names {
            if name.count > 30 { throw VZError(.invalidValue, "Invalid field: \(name)") }
            guard let field = ListField.named(name) else { throw VZError(.invalidValue, "Unknown field: \(name)") }
            if json && field.isSuffixed { throw VZError(.invalidValue, "Field `\(name)' is not available in JSON output") }
            fields.append(field)
        }
        var sortField = ListField.named("ctid")!
        var reverse = false
        if var sort = parsed.value("sort") {
            if sort.hasPrefix("-") {
                reverse = true
                sort.removeFirst()
            }
            guard let field = ListField.named(sort) else { throw VZError(.invalidValue, "Invalid sort field name: \(sort)") }
            sortField = field
        }
        let layout = Layout.fromEnvironment()
        let host: HostConfig
        do {
            host = try HostConfig.load(layout)
        } catch {
            throw VZError(.noConfig, "Unable to open \(layout.vzConfPath): \(error.reason)")
        }
        var requested: [CTID] = []
        for word in parsed.positionals {
            guard let ctid = CTID(word).flatMap({ $0.value == 0 ? nil : $0 }) ?? CTName.resolve(word, layout: layout) else {
                throw VZError(.invalidValue, "CT ID \(word) is invalid.")
            }
            requested.append(ctid)
        }
        if getuid() != 0 { throw VZError(.noAccess, "This program can only be run under root.") }

        let selection: Selection = parsed.has("stopped") ? .stopped : (parsed.has("all") || !requested.isEmpty) ? .all : .running
        let filters = Filters(hostname: parsed.value("hostname"), name: parsed.value("name_filter"), description: parsed.value("description"))
        var needs = ListRow.Needs()
        needs.status = fields.contains { $0.kind == .status } || sortField.kind == .status
        needs.uptime = fields.contains { $0.kind == .uptime } || sortField.kind == .uptime
        needs.disk = (fields + [sortField]).contains { if case .quota = $0.kind { return true } else { return false } }
        var counters: [(String, ListField.UBCPart)] = []
        for field in fields + [sortField] {
            if case .ubc(let name, let part) = field.kind { counters.append((name, part)) }
        }
        if !counters.isEmpty {
            needs.usage = Usage.Request(resources: Set(counters.map(\.0)), heldOnly: !json && counters.allSatisfy { $0.1 == .held })
        }
        var rows = collect(host, requested: requested, selection: selection, filters: filters, needs: needs)
        rows = ListFormatter.sort(rows, by: sortField, reverse: reverse)
        if json {
            print(ListFormatter.json(rows, fields), terminator: "")
            return 0
        }
        if rows.isEmpty {
            Console.writeErr("Container(s) not found")
            return requested.isEmpty ? 0 : 1
        }
        let trim = !parsed.has("no-trim")
        var out = ""
        if header { out += ListFormatter.headerLine(fields, trim: trim) + "\n" }
        for row in rows { out += ListFormatter.rowLine(row, fields, trim: trim) + "\n" }
        print(out, terminator: "")
        return 0
    }

    enum Selection { case running, stopped, all }

    struct Filters {
        var hostname: String?
        var name: String?
        var description: String?

        /// Shell-glob matches; a container without the value never matches.
        func accept(_ config: CTConfig) -> Bool {
            for (pattern, key) in [(hostname, "HOSTNAME"), (name, "NAME"), (description, "DESCRIPTION")] {
                guard let pattern else { continue }
                guard let value = config.value(key), !value.isEmpty, fnmatch(pattern, value, 0) == 0 else { return false }
            }
            return true
        }
    }

    static func collect(_ host: HostConfig, requested: [CTID], selection: Selection, filters: Filters, needs: ListRow.Needs) -> [ListRow] {
        let layout = host.layout
        var ctids: [CTID] = requested.isEmpty
            ? ((try? Files.list(layout.confDir)) ?? []).compactMap { file in
                file.hasSuffix(".conf") ? CTID(file.dropLast(5)) : nil
            }
            : requested
        guard let mode = try? CgroupMode.detect() else { return [] }
        var needs = needs
        needs.cgroups = Cgroups.containers(layout: layout, mode: mode)
        // Only running containers wanted: those without a cgroup need not
        // even have their config read.
        if selection == .running, let running = needs.cgroups, requested.isEmpty {
            ctids = ctids.filter(running.contains)
        }
        if needs.status || needs.disk {
            needs.mountPoints = (try? Mounts.all()).map(Set.init)
            needs.dumpFiles = Set((try? Files.list(host.dumpDir)) ?? [])
        }
        var rows: [ListRow] = []
        for ctid in Set(ctids) {
            guard let config = try? CTConfig.load(ctid, host: host), config.exists, filters.accept(config),
                  let cgroup = try? Cgroups.forContainer(ctid, layout: layout, mode: mode)
            else { continue }
            let row = ListRow.probe(Container(config: config, cgroup: cgroup), needs)
            switch selection {
            case .running where !row.isRunning: continue
            case .stopped where row.isRunning: continue
            default: break
            }
            // A stopped container without its private area is not listed.
            if !row.isRunning && !(config.privatePath.map(Files.isDirectory) ?? false) { continue }
            rows.append(row)
        }
        return rows
    }

}
