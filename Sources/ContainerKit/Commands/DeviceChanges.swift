/// `set --devices` and `--devnodes`: each item replaces the config's item
/// for the same device (or node), `none` removes it; stored as classic
/// vzctl did, `"c:10:200:rw "` with a space after every item.
struct DeviceChanges {
    private(set) var changes: [(key: String, value: String)] = []
    var isEmpty: Bool { changes.isEmpty }

    init(_ args: ParsedArguments, current config: CTConfig) throws(VZError) {
        for (option, key) in [("devices", "DEVICES"), ("devnodes", "DEVNODES")] where args.has(option) {
            var list = config.list(key)
            for item in args.values(option).flatMap({ $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }) {
                guard let colon = item.lastIndex(of: ":") else { throw VZError(.invalidValue, "Bad parameter for --\(option): \(item)") }
                let target = item[...colon]
                let removes = item[item.index(after: colon)...] == "none"
                let valid = option == "devices" ? DeviceRule(devicesItem: item) != nil : DeviceRule.devnode(item) != nil
                guard removes || valid else { throw VZError(.invalidValue, "Bad parameter for --\(option): \(item)") }
                list.removeAll { $0.hasPrefix(target) && !$0[target.endIndex...].contains(":") }
                if !removes { list.append(item) }
            }
            changes.append((key, list.map { $0 + " " }.joined()))
        }
    }
}
