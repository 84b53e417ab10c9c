/// One container's settings: its CTID.conf over the host's vz.conf defaults.
public struct CTConfig: Sendable {
    public let ctid: CTID
    public let host: HostConfig
    /// nil when CTID.conf does not exist.
    public var file: ConfigFile?

    public init(ctid: CTID, host: HostConfig, file: ConfigFile?) {
        self.ctid = ctid
        self.host = host
        self.file = file
    }

    public static func load(_ ctid: CTID, host: HostConfig) throws(SysError) -> CTConfig {
        let path = host.layout.ctConfPath(ctid)
        let file = try Files.readIfExists(path).map { ConfigFile(path: path, text: $0) }
        return CTConfig(ctid: ctid, host: host, file: file)
    }

    public var exists: Bool { file != nil }
    public var layout: Layout { host.layout }

    /// This config with `changes` made, not saved (what a running container
    /// is to get from `set`).
    public func applying(_ changes: [(key: String, value: String)]) -> CTConfig {
        var file = self.file ?? ConfigFile(path: layout.ctConfPath(ctid), text: "")
        file.set(changes)
        return CTConfig(ctid: ctid, host: host, file: file)
    }

    /// DISKSPACE (KB) and DISKINODES, `soft:hard`.
    public var diskspace: (soft: Int64, hard: Int64)? { value("DISKSPACE").flatMap { DiskValue.parse($0, sizes: true) } }
    public var diskinodes: (soft: Int64, hard: Int64)? { value("DISKINODES").flatMap { DiskValue.parse($0, sizes: false) } }

    public func value(_ key: String) -> String? {
        file?.value(key) ?? host.value(key)
    }

    /// List keys accumulate, with duplicates dropped; the CT's list replaces the host's.
    public func list(_ key: String) -> [String] {
        let raw = file?.values(key) ?? []
        let source = raw.isEmpty ? host.file.values(key) : raw
        var seen = Set<String>()
        var result: [String] = []
        for item in source.flatMap({ $0.split(whereSeparator: { $0 == " " || $0 == "\t" }) }) {
            if seen.insert(String(item)).inserted { result.append(String(item)) }
        }
        return result
    }

    /// IP_ADDRESS, parsed; `0.0.0.0` and `::` are dropped as vzctl does.
    public var ipAddresses: [IPAddress] {
        list("IP_ADDRESS").compactMap(IPAddress.init).filter { !$0.isUnspecified }
    }

    /// NETDEV, host interfaces lent to the container.
    public var netdevs: [String] { list("NETDEV") }

    /// NETIF, the bridged veth devices.
    public var netifs: [NetIf] { value("NETIF").map(NetIf.parseConfig) ?? [] }

    public var hostname: String? { value("HOSTNAME").flatMap { $0.isEmpty ? nil : $0 } }
    public var name: String? { value("NAME").flatMap { $0.isEmpty ? nil : $0 } }

    /// VE_PRIVATE with `$VEID` expanded, under the layout's prefix.
    /// QUOTAUGIDLIMIT: user/group quota inside the container when above 0.
    public var quotaUGIDLimit: Int64? { value("QUOTAUGIDLIMIT").flatMap { Int64($0) } }

    public var privatePath: String? { expandedPath("VE_PRIVATE") }
    public var rootPath: String? { expandedPath("VE_ROOT") }

    private func expandedPath(_ key: String) -> String? {
        guard let raw = value(key), !raw.isEmpty else { return nil }
        return layout.resolve(Self.expandVEID(raw, ctid))
    }

    /// Replaces the first `$VEID` or `${VEID}` and strips trailing slashes.
    public static func expandVEID(_ raw: String, _ ctid: CTID) -> String {
        var bytes = Array(raw.utf8)
        for token in [Array("${VEID}".utf8), Array("$VEID".utf8)] {
            if let at = firstIndex(of: token, in: bytes) {
                bytes.replaceSubrange(at..<(at + token.count), with: Array(ctid.description.utf8))
                break
            }
        }
        while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// Seconds to wait for a clean stop: CT, then vz.conf, then 120; 0 means the default.
    public var stopTimeout: Int {
        let t = Int(value("STOP_TIMEOUT") ?? "") ?? 0
        return t > 0 ? t : 120
    }

    public var disabled: Bool { yesNo("DISABLED") ?? false }

    func yesNo(_ key: String) -> Bool? {
        switch value(key) {
        case "yes": return true
        case "no": return false
        default: return nil
        }
    }
}
