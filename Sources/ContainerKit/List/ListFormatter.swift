/// Renders vzlist rows as the classic table or as JSON.
public enum ListFormatter {
    // MARK: table

    public static func headerLine(_ fields: [ListField], trim: Bool) -> String {
        line(fields.enumerated().map { index, field in
            pad(field.header, field, align: field.headerAlign, isLast: index == fields.count - 1, trim: trim)
        })
    }

    public static func rowLine(_ row: ListRow, _ fields: [ListField], trim: Bool) -> String {
        line(fields.enumerated().map { index, field in
            let isLast = index == fields.count - 1
            return pad(text(field, row, isLast: isLast, trim: trim), field, align: field.align, isLast: isLast, trim: trim)
        })
    }

    /// Columns joined by one space, trailing blanks of the line removed.
    static func line(_ columns: [String]) -> String {
        var s = columns.joined(separator: " ")
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Pads and cuts by bytes, as printf's `%-32s` and `%.32s` did; a cut
    /// never splits a UTF-8 character.
    static func pad(_ value: String, _ field: ListField, align: ListField.Align, isLast: Bool, trim: Bool) -> String {
        var v = value
        if field.cut && trim && !isLast && v.utf8.count > field.width {
            var end = v.utf8.index(v.utf8.startIndex, offsetBy: field.width)
            while !v.unicodeScalars.indices.contains(end) { end = v.utf8.index(before: end) }
            v = String(v[..<end])
        }
        return Text.pad(v, field.width, right: align == .right)
    }

    /// A column's text before padding; `-` where there is no value.
    static func text(_ field: ListField, _ row: ListRow, isLast: Bool, trim: Bool) -> String {
        let config = row.config
        switch field.kind {
        case .ctid: return row.ctid.description
        case .text(let key): return nonEmpty(config.value(key)) ?? "-"
        case .path(let key): return (key == "VE_ROOT" ? config.rootPath : config.privatePath) ?? "-"
        case .list(let key):
            let items = config.list(key)
            guard let first = items.first else { return "-" }
            return trim && !isLast ? first : items.joined(separator: " ")
        case .status: return row.status.rawValue
        case .smartName: return config.name ?? row.ctid.description
        case .ubc(let base, let part):
            return (ubc(base, row)[part] ?? nil).map { String($0) } ?? "-"
        case .quota(let base, let part):
            // A usage of 0 is shown as no data, as the classic tool did.
            guard let n = quota(base, part, row), part != .usage || n != 0 else { return "-" }
            return String(n)
        case .laverage: return "-"
        case .uptime: return row.uptime.map(formatUptime) ?? "-"
        case .number(let key): return number(key, config).map { String($0) } ?? "-"
        case .yesNo(let key): return config.yesNo(key).map { $0 ? "yes" : "no" } ?? "-"
        case .layout: return layout(config)
        case .vswap: return vswap(config) ? "yes" : "no"
        case .vmOvercommit: return vmOvercommit(config).map(formatG) ?? "-"
        case .flags(let key):
            let items = flags(key, config)
            return items.isEmpty ? "-" : items.map { "\($0.name):\($0.on ? "on" : "off")" }.joined(separator: ",")
        }
    }

    static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    /// held, maxheld, barrier, limit, failcnt (nil: `-`).
    static func ubc(_ base: String, _ row: ListRow) -> [ListField.UBCPart: Int64?] {
        let b = Beancounter.of(base, config: row.config, usage: row.isRunning ? row.usage ?? Usage() : nil)
        return [.held: b.held, .maxheld: b.maxheld, .barrier: b.barrier, .limit: b.limit, .failcnt: b.failcnt]
    }

    static func quota(_ base: String, _ part: ListField.QuotaPart, _ row: ListRow) -> Int64? {
        guard let disk = row.disk else { return nil }
        let counter = base == "diskspace" ? disk.space : disk.inodes
        switch part {
        case .usage: return counter.usage
        case .soft: return counter.soft
        case .hard: return counter.hard
        }
    }

    static func number(_ key: String, _ config: CTConfig) -> Int64? {
        guard let v = nonEmpty(config.value(key)), let n = Int64(v) else { return nil }
        if ["IOLIMIT", "IOPSLIMIT", "CPUS"].contains(key) && n < 1 { return nil }
        return n
    }

    static func layout(_ config: CTConfig) -> String {
        let raw = nonEmpty(config.value("VE_LAYOUT")) ?? "simfs"
        return String(raw.split(separator: ":").first ?? "simfs")
    }

    static func vswap(_ config: CTConfig) -> Bool {
        guard let raw = config.value("PHYSPAGES"), let pair = UBCValue.parsePair(raw, unit: .pages) else { return false }
        return pair.limit != Int64.max && pair.limit != Int64(Int32.max)
    }

    static func vmOvercommit(_ config: CTConfig) -> Double? {
        guard let v = nonEmpty(config.value("VM_OVERCOMMIT")).flatMap(Double.init), v != 0 else { return nil }
        return v
    }

    static func flags(_ key: String, _ config: CTConfig) -> [(name: String, on: Bool)] {
        config.list(key).compactMap { item in
            let parts = item.split(separator: ":")
            guard parts.count == 2 else { return nil }
            return (parts[0].lowercased(), parts[1] == "on")
        }
    }

    /// `%g` for the values VM_OVERCOMMIT takes.
    static func formatG(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// `%.3dd%.2dh:%.2dm:%.2ds`, e.g. `001d02h:03m:04s`.
    static func formatUptime(_ seconds: Double) -> String {
        let s = Int(seconds)
        func z(_ n: Int, _ w: Int) -> String {
            let t = String(n)
            return t.count >= w ? t : String(repeating: "0", count: w - t.count) + t
        }
        return "\(z(s / 86400, 3))d\(z(s / 3600 % 24, 2))h:\(z(s / 60 % 60, 2))m:\(z(s % 60, 2))s"
    }
}
