#if canImport(Glibc)
import Glibc
#endif

/// Where everything lives. With `VZ_PREFIX` set, every path (the built-in
/// ones and the absolute paths read from config files alike) is taken
/// relative to that directory, so two "hosts" on one machine never meet.
public struct Layout: Sendable {
    public let prefix: String
    /// The cgroup directory name that holds this host's containers; a prefixed
    /// host gets its own, so its containers are invisible to the real host.
    public let cgroupParent: String

    public init(prefix: String) {
        var p = prefix
        while p.hasSuffix("/") { p.removeLast() }
        self.prefix = p
        cgroupParent = p.isEmpty ? "vz" : "vz-" + Self.hash(p)
    }

    /// The layout named by the environment.
    public static func fromEnvironment() -> Layout {
        Layout(prefix: getenv("VZ_PREFIX").map { String(cString: $0) } ?? "")
    }

    public var etcDir: String { prefix + "/etc/vz" }
    public var vzConfPath: String { etcDir + "/vz.conf" }
    public var confDir: String { etcDir + "/conf" }
    public var namesDir: String { etcDir + "/names" }

    public func ctConfPath(_ ctid: CTID) -> String { "\(confDir)/\(ctid).conf" }
    public func samplePath(_ name: String) -> String { "\(confDir)/ve-\(name).conf-sample" }
    public func namePath(_ name: String) -> String { "\(namesDir)/\(name)" }

    /// A path from a config file or the command line, placed under the prefix.
    public func resolve(_ configured: String) -> String {
        configured.hasPrefix("/") ? prefix + configured : configured
    }

    /// FNV-1a, short and stable across runs (Swift's Hasher is seeded).
    static func hash(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
