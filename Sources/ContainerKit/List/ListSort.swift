/// vzlist -s: missing values first, then ascending; `status` by
/// running < stopped < mounted < suspended, `uptime` longest first.
extension ListFormatter {
    enum SortKey: Comparable {
        case missing
        case number(Double)
        case text(String)
    }

    static let unsortable: Set<String> = [
        "onboot", "features", "vswap", "disabled", "vm_overcommit", "netfilter", "capability",
    ]

    public static func sort(_ rows: [ListRow], by field: ListField, reverse: Bool) -> [ListRow] {
        var sorted = rows.sorted { $0.ctid < $1.ctid }
        if !unsortable.contains(field.name) {
            let keyed = sorted.enumerated().map { (index: $0.offset, row: $0.element, key: sortKey(field, $0.element)) }
            sorted = keyed.sorted { a, b in
                if a.key != b.key {
                    return field.kind == .uptime ? a.key > b.key : a.key < b.key
                }
                if field.name == "bootorder" { return a.row.ctid > b.row.ctid }
                return a.index < b.index
            }.map(\.row)
        }
        return reverse ? sorted.reversed() : sorted
    }

    static func sortKey(_ field: ListField, _ row: ListRow) -> SortKey {
        switch field.kind {
        case .ctid: return .number(Double(row.ctid.value))
        case .status: return .number(Double(row.status.sortRank))
        case .smartName: return row.config.name.map(SortKey.text) ?? .missing
        case .uptime: return row.uptime.map(SortKey.number) ?? .missing
        case .ubc(let base, let part):
            // The classic code compares .b by limit and .l by barrier; kept.
            let swapped: ListField.UBCPart = part == .barrier ? .limit : part == .limit ? .barrier : part
            return ((ubc(base, row)[swapped] ?? nil)).map { SortKey.number(Double($0)) } ?? .missing
        case .number(let key): return number(key, row.config).map { SortKey.number(Double($0)) } ?? .missing
        case .quota(let base, let part): return quota(base, part, row).map { SortKey.number(Double($0)) } ?? .missing
        default:
            let t = text(field, row, isLast: true, trim: false)
            return t == "-" ? .missing : .text(t)
        }
    }
}
