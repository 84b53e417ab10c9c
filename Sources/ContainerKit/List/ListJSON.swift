/// vzlist -j: the classic shape (2-space objects, 4-space keys), with strings
/// escaped properly (the classic tool did not escape them).
extension ListFormatter {
    public static func json(_ rows: [ListRow], _ fields: [ListField]) -> String {
        if rows.isEmpty { return "[]\n" }
        var out = "[\n"
        for (index, row) in rows.enumerated() {
            out += "  {\n"
            let members = fields.map { "    \(quote($0.name)): \(jsonValue($0, row))" }
            out += members.joined(separator: ",\n") + "\n"
            out += index == rows.count - 1 ? "  }\n" : "  },\n"
        }
        return out + "]\n"
    }

    static func jsonValue(_ field: ListField, _ row: ListRow) -> String {
        let config = row.config
        switch field.kind {
        case .ctid: return row.ctid.description
        case .text(let key): return nonEmpty(config.value(key)).map(quote) ?? "null"
        case .path(let key): return (key == "VE_ROOT" ? config.rootPath : config.privatePath).map(quote) ?? "null"
        case .list(let key): return "[" + config.list(key).map(quote).joined(separator: ", ") + "]"
        case .status: return quote(row.status.rawValue)
        case .smartName: return config.name.map(quote) ?? row.ctid.description
        case .ubc(let base, _):
            let v = ubc(base, row)
            let parts: [(String, ListField.UBCPart)] = [
                ("held", .held), ("maxheld", .maxheld), ("barrier", .barrier), ("limit", .limit), ("failcnt", .failcnt),
            ]
            let body = parts.map { "      \(quote($0.0)): \((v[$0.1] ?? nil) ?? 0)" }.joined(separator: ",\n")
            return "{\n" + body + "\n    }"
        case .quota(let base, _):
            let parts: [(String, ListField.QuotaPart)] = [("usage", .usage), ("softlimit", .soft), ("hardlimit", .hard)]
            guard row.disk != nil else { return "null" }
            let body = parts.map { "      \(quote($0.0)): \(quota(base, $0.1, row) ?? 0)" }.joined(separator: ",\n")
            return "{\n" + body + "\n    }"
        case .laverage: return "null"
        case .uptime:
            let ms = Int64(((row.uptime ?? 0) * 1000).rounded())
            let frac = String(ms % 1000)
            return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
        case .number(let key):
            let n = number(key, config)
            if ["CPUS", "IOPRIO", "IOLIMIT", "IOPSLIMIT"].contains(key) { return String(n ?? 0) }
            return n.map { String($0) } ?? "null"
        case .yesNo(let key):
            let v = config.yesNo(key)
            if key == "DISABLED" { return v == true ? "true" : "false" }
            return v.map { $0 ? "true" : "false" } ?? "null"
        case .layout: return quote(layout(config))
        case .vswap: return vswap(config) ? "true" : "false"
        case .vmOvercommit: return formatG(vmOvercommit(config) ?? 0)
        case .flags(let key):
            let items = flags(key, config)
            if items.isEmpty { return "null" }
            return "{" + items.map { "\(quote($0.name)): \($0.on)" }.joined(separator: ", ") + "}"
        }
    }

    /// A JSON string literal (RFC 8259 escapes).
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
