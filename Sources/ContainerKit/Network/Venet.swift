#if canImport(Glibc)
import Glibc
#endif

/// The classic venet, emulated with a veth pair: `venet0` inside carrying
/// the container's addresses and its default route, and on the host a
/// /32 (/128) route per address to the host end. Both ends have the same
/// MAC and no ARP, so neither side resolves neighbours, as on venet.
/// The pair dies with the container's network namespace: a stopped or
/// dead container leaves no link or route behind.
public enum Venet {
    public static let containerInterface = "venet0"

    /// The host end: `venet<CTID>` (at most 15 characters).
    public static func hostInterface(_ ctid: CTID) -> String { "venet\(ctid)" }

    static func mac(_ ctid: CTID) -> [UInt8] {
        // Locally administered, unicast, from the CTID.
        let v = ctid.value
        return [0x02, 0x56, UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
    }

    /// Whether the container of `pid` has its venet0. (Not the host end:
    /// one of a stopped container can outlive it while its network
    /// namespace is torn down.)
    public static func exists(pid: pid_t) -> Bool {
        (try? NetworkNamespace.within(pid) { () throws(SysError) in if_nametoindex(containerInterface) != 0 }) ?? false
    }

    /// Creates the pair for the container whose network namespace `pid`
    /// is in, brings both ends up, and gives the container a default route.
    public static func create(_ ctid: CTID, pid: pid_t) throws(SysError) {
        let host = hostInterface(ctid)
        try Link.delete(name: host)  // left by a namespace still being torn down
        try Link.createVeth(name: host, mac: mac(ctid), peer: containerInterface, peerMAC: mac(ctid), peerPID: pid)
        try setUpHostEnd(ctid)
        try NetworkNamespace.within(pid) { () throws(SysError) in
            let index = try NetworkNamespace.index(of: containerInterface)
            try Link.setFlags(index: index, name: containerInterface, flags: Link.up | Link.noARP, mask: Link.up | Link.noARP)
        }
    }

    /// The host end as venet wants it: up, no ARP, forwarding. Its MAC is
    /// the container end's, or the host's packets would reach the
    /// container addressed to another host and be dropped.
    private static func setUpHostEnd(_ ctid: CTID) throws(SysError) {
        let host = hostInterface(ctid)
        let index = try NetworkNamespace.index(of: host)
        try Link.setAddress(index: index, name: host, mac: mac(ctid))
        try Link.setFlags(index: index, name: host, flags: Link.up | Link.noARP, mask: Link.up | Link.noARP)
        // Packets that come in from the container may be routed on, to the
        // host's other containers: forwarding for this interface only.
        try Sysctl.write("net/ipv4/conf/\(host)/forwarding", "1")
    }

    /// After a restore: CRIU brought back the container's side (venet0,
    /// its addresses and routes) and made the host end by name only; the
    /// host's side of it is set up again here for the addresses the
    /// container has.
    public static func reattach(_ ctid: CTID, pid: pid_t, publishOn: [String] = []) throws(SysError) {
        guard exists(pid: pid) else { return }
        try setUpHostEnd(ctid)
        let addresses = currentAddresses(pid: pid)
        try routeOnHost(ctid, addresses)
        try ProxyNeighbour.publish(addresses, on: publishOn)
    }

    private static func routeOnHost(_ ctid: CTID, _ addresses: [IPAddress]) throws(SysError) {
        let host = hostInterface(ctid)
        let hostIndex = try NetworkNamespace.index(of: host)
        for ip in addresses {
            try AddressRoute.route(true, to: ip, prefix: ip.hostPrefix, index: hostIndex, name: host)
        }
    }

    /// Adds addresses: inside on venet0 (with the default route of their
    /// family, once), outside a host route each, and proxy entries on
    /// `publishOn`.
    public static func add(_ ctid: CTID, pid: pid_t, _ addresses: [IPAddress], publishOn: [String] = []) throws(SysError) {
        guard !addresses.isEmpty else { return }
        if !exists(pid: pid) { try create(ctid, pid: pid) }
        try NetworkNamespace.within(pid) { () throws(SysError) in
            let index = try NetworkNamespace.index(of: containerInterface)
            for ip in addresses {
                try AddressRoute.address(true, ip, prefix: ip.prefix ?? ip.hostPrefix, index: index, name: containerInterface)
            }
            for family in Set(addresses.map(\.family)) {
                let any = addresses.first { $0.family == family }!
                try AddressRoute.route(true, to: any, prefix: 0, index: index, name: containerInterface)
            }
        }
        try routeOnHost(ctid, addresses)
        try ProxyNeighbour.publish(addresses, on: publishOn)
    }

    /// The addresses on venet0 of the container of `pid`, as the kernel has
    /// them (live changes not saved to the config included).
    public static func currentAddresses(pid: pid_t) -> [IPAddress] {
        (try? NetworkNamespace.within(pid) { () throws(SysError) -> [IPAddress] in
            var list: UnsafeMutablePointer<ifaddrs>?
            guard getifaddrs(&list) == 0 else { return [] }
            defer { freeifaddrs(list) }
            var found: [IPAddress] = []
            var p = list
            while let entry = p {
                defer { p = entry.pointee.ifa_next }
                guard String(cString: entry.pointee.ifa_name) == containerInterface, let sa = entry.pointee.ifa_addr else { continue }
                var buffer = [CChar](repeating: 0, count: 64)
                switch Int32(sa.pointee.sa_family) {
                case AF_INET:
                    // SAFETY: sa_family says this sockaddr is a sockaddr_in.
                    sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { var a = $0.pointee.sin_addr; _ = inet_ntop(AF_INET, &a, &buffer, 64) }
                case AF_INET6:
                    // SAFETY: likewise sockaddr_in6.
                    sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { var a = $0.pointee.sin6_addr; _ = inet_ntop(AF_INET6, &a, &buffer, 64) }
                default: continue
                }
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if let ip = IPAddress(text), !text.hasPrefix("fe80") { found.append(ip) }
            }
            return found
        }) ?? []
    }

    /// Removes addresses: proxy entries, the host route and the address inside.
    public static func remove(_ ctid: CTID, pid: pid_t, _ addresses: [IPAddress], publishedOn: [String] = []) throws(SysError) {
        ProxyNeighbour.withdraw(addresses, on: publishedOn)
        guard !addresses.isEmpty, exists(pid: pid) else { return }
        let host = hostInterface(ctid)
        let hostIndex = try NetworkNamespace.index(of: host)
        for ip in addresses {
            do {
                try AddressRoute.route(false, to: ip, prefix: ip.hostPrefix, index: hostIndex, name: host)
            } catch where error.errno == ESRCH {
                // not routed: nothing to undo
            }
        }
        try NetworkNamespace.within(pid) { () throws(SysError) in
            let index = try NetworkNamespace.index(of: containerInterface)
            for ip in addresses {
                do throws(SysError) {
                    try AddressRoute.address(false, ip, prefix: ip.prefix ?? ip.hostPrefix, index: index, name: containerInterface)
                } catch where error.errno == EADDRNOTAVAIL {
                    continue
                }
            }
        }
    }
}

/// /proc/sys, for the few host settings venet needs.
enum Sysctl {
    static func write(_ key: String, _ value: String) throws(SysError) {
        try Files.writeExisting("/proc/sys/" + key, value)
    }
}
