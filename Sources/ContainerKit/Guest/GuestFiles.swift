#if canImport(Glibc)
import Glibc
#endif

/// What the classic dist scripts wrote inside a container for its network:
/// /etc/hostname, the host name's line in /etc/hosts, /etc/resolv.conf.
public struct GuestSettings: Sendable {
    public var hostname: String?
    /// The first address of the container, for its /etc/hosts line.
    public var address: String?
    /// nil: resolv.conf keeps its name servers.
    public var nameservers: [String]?
    public var searchDomains: [String]?

    public init() {}

    public var isEmpty: Bool { hostname == nil && nameservers == nil && searchDomains == nil }

    /// The settings a container gets at start: from its config, with
    /// `inherit` replaced by the host's own resolv.conf entries.
    public static func from(_ config: CTConfig) -> GuestSettings {
        var s = GuestSettings()
        s.hostname = config.hostname
        s.address = config.ipAddresses.first?.address
        let servers = config.list("NAMESERVER")
        if !servers.isEmpty { s.nameservers = GuestFiles.inheriting(servers, key: "nameserver") }
        let search = config.list("SEARCHDOMAIN")
        if !search.isEmpty { s.searchDomains = GuestFiles.inheriting(search, key: "search") }
        return s
    }
}

/// Edits of the files themselves (pure, for tests) and writing them in the
/// caller's mount namespace: only ever called from inside the container's,
/// so a link planted in the container resolves inside the container.
public enum GuestFiles {
    /// `/etc/hosts` with a line for the host name: the container's address
    /// (or 127.0.1.1) then the name and, for a dotted one, its first part.
    /// Lines vzctl did not write stay.
    public static func hosts(_ current: String, hostname: String, address: String?) -> String {
        let marker = "# vzctl: host name"
        var lines = Text.ownedLines(current).filter { !$0.hasSuffix(marker) }
        if !lines.contains(where: { Text.fields(Substring($0)).first == "127.0.0.1" }) {
            lines.insert("127.0.0.1 localhost", at: 0)
        }
        let short = hostname.split(separator: ".").first.map(String.init) ?? hostname
        let names = short == hostname ? hostname : "\(hostname) \(short)"
        lines.append("\(address ?? "127.0.1.1") \(names) \(marker)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `/etc/resolv.conf` with its nameserver (and search) lines replaced.
    public static func resolvConf(_ current: String, nameservers: [String]?, search: [String]?) -> String {
        var lines = Text.ownedLines(current)
        if nameservers != nil { lines.removeAll { Text.fields(Substring($0)).first == "nameserver" } }
        if search != nil { lines.removeAll { ["search", "domain"].contains(Text.fields(Substring($0)).first) } }
        if let search, !search.isEmpty { lines.append("search " + search.joined(separator: " ")) }
        for server in nameservers ?? [] { lines.append("nameserver " + server) }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// `inherit` in NAMESERVER/SEARCHDOMAIN: the host's own entries.
    static func inheriting(_ values: [String], key: String) -> [String] {
        guard values.contains("inherit") else { return values }
        let host = (try? Files.read("/etc/resolv.conf")) ?? ""
        let inherited = Text.lines(host).flatMap { line -> [String] in
            let f = Text.fields(line)
            return f.first.map(String.init) == key ? f.dropFirst().map(String.init) : []
        }
        return values.flatMap { $0 == "inherit" ? inherited : [$0] }
    }

    /// Writes the files under `/etc` of the caller's mount namespace.
    public static func apply(_ s: GuestSettings) throws(SysError) {
        guard Files.isDirectory("/etc") else { return }
        if let name = s.hostname {
            try Files.write("/etc/hostname", name + "\n")
            try Files.write("/etc/hosts", hosts((try? Files.read("/etc/hosts")) ?? "", hostname: name, address: s.address))
        }
        if s.nameservers != nil || s.searchDomains != nil {
            let current = (try? Files.read("/etc/resolv.conf")) ?? ""
            try Files.write("/etc/resolv.conf", resolvConf(current, nameservers: s.nameservers, search: s.searchDomains))
        }
    }
}
