#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address as `--ipadd` takes it: `ADDR` or `ADDR/PREFIX`.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable { case v4, v6 }

    public let family: Family
    public let bytes: [UInt8]
    /// The prefix length given after `/`, if any.
    public let prefix: UInt8?

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let host = String(parts[0])
        var buffer = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, host, &buffer) == 1 {
            family = .v4
            bytes = Array(buffer[0..<4])
        } else if inet_pton(AF_INET6, host, &buffer) == 1 {
            family = .v6
            bytes = buffer
        } else {
            return nil
        }
        if parts.count == 2 {
            guard let p = UInt8(parts[1]), p <= (family == .v4 ? 32 : 128) else { return nil }
            prefix = p
        } else {
            prefix = nil
        }
    }

    /// The whole-host prefix: 32 or 128.
    public var hostPrefix: UInt8 { family == .v4 ? 32 : 128 }

    /// `0.0.0.0` and `::`, which vzctl ignores silently.
    public var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    /// The address alone, in canonical form.
    public var address: String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = inet_ntop(family == .v4 ? AF_INET : AF_INET6, bytes, &buffer, socklen_t(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// As written to IP_ADDRESS: the address, and `/prefix` if one was given.
    public var description: String { prefix.map { "\(address)/\($0)" } ?? address }

    /// Same address whatever the prefix: one container cannot have it twice.
    public func sameHost(_ other: IPAddress) -> Bool { bytes == other.bytes }
}
