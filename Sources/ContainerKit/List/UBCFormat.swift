#if canImport(Glibc)
import Glibc
#endif

/// The number formats of vzubc and /proc/user_beancounters.
public enum UBCFormat {
    static func isUnlimited(_ v: Int64) -> Bool { v == UBCValue.unlimited || v == Int64(Int32.max) }

    /// printf through vsnprintf (no Foundation).
    static func cformat(_ format: String, _ args: CVarArg...) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        _ = withVaList(args) { vsnprintf(&buffer, buffer.count, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// vzubc's human size: `- ` for 0 and unlimited; pages counted as 4 KiB;
    /// then K, M, G...; `%d` from 100 up, else `%.3g`; bytes end in a blank.
    public static func human(_ resource: String, _ value: Int64) -> String {
        if value == 0 || isUnlimited(value) { return "- " }
        var v = Double(value)
        var i = 0
        if resource.hasSuffix("pages") {
            v *= 4
            i += 1
        }
        while v >= 1024 {
            v /= 1024
            i += 1
        }
        let suffix = Array(" KMGTPEZY")[min(i, 8)]
        return (v >= 100 ? cformat("%d", Int(v)) : cformat("%.3g", v)) + String(suffix)
    }

    /// A share of `d` in percent: `- ` when there is no bound or it rounds to 0.
    public static func percent(_ p: Int64, _ d: Int64) -> String {
        if d == 0 || isUnlimited(d) { return "- " }
        let r = Double(p) / Double(d) * 100
        let rounded = (r * 10).rounded() / 10
        if rounded == 0 { return "- " }
        return (rounded >= 10 ? cformat("%d", Int(rounded)) : cformat("%.1g", rounded)) + "%"
    }

    /// One container's block of /proc/user_beancounters.
    public static func procLines(_ ctid: CTID, _ counters: [Beancounter]) -> [String] {
        counters.enumerated().map { index, b in
            let uid = index == 0 ? Text.pad("\(ctid):", 10, right: true) : String(repeating: " ", count: 10)
            return uid + "  " + Text.pad(b.name, 12, right: false)
                + [b.held ?? 0, b.maxheld ?? 0, b.barrier, b.limit, b.failcnt ?? 0].map { " " + Text.pad(String($0), 20, right: true) }.joined()
        }
    }

    public static let procHeader = "Version: 2.5\n" + Text.pad("uid", 10, right: true) + "  " + Text.pad("resource", 12, right: false)
        + ["held", "maxheld", "barrier", "limit", "failcnt"].map { " " + Text.pad($0, 20, right: true) }.joined()
}
