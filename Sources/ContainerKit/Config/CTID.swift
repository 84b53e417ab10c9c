#if canImport(Glibc)
import Glibc
#endif

/// A container ID: a decimal integer in 0...2147483644 (vzctl's VEID_MAX).
public struct CTID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public static let max: UInt32 = 2_147_483_644
    public let value: UInt32

    public init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), text.count <= 10,
              let v = UInt64(text), v <= UInt64(Self.max)
        else { return nil }
        value = UInt32(v)
    }

    public init(_ value: UInt32) {
        self.value = value
    }

    public var description: String { String(value) }

    public static func < (a: CTID, b: CTID) -> Bool { a.value < b.value }
}

/// Container names: `/etc/vz/names/NAME` links to `/etc/vz/conf/CTID.conf`.
public enum CTName {
    /// Characters vzctl allows in a name.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { c in
            (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9")
                || c == " " || c == "-" || c == "+" || c == "_" || c == "."
        }
    }

    /// The CTID a name's link points at: the leading integer of its target's basename.
    public static func resolve(_ name: String, layout: Layout) -> CTID? {
        guard isValid(name), name != "." && name != ".." else { return nil }
        guard let target = Files.readLink(layout.namePath(name)) else { return nil }
        let base = target.split(separator: "/").last ?? ""
        return CTID(base.prefix { $0.isNumber })
    }
}
