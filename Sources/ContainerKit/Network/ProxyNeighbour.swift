#if canImport(Glibc)
import Glibc
#endif
import CMnl

/// Proxy ARP/NDP for venet addresses, on request: with NEIGHBOUR_DEVS set to
/// `list:DEV...` in vz.conf the host answers ARP (and NDP) for its
/// containers' addresses on those interfaces, so machines on their networks
/// reach the containers as if on the wire.
public enum ProxyNeighbour {
    /// The interfaces NEIGHBOUR_DEVS names; `detect`, `all` and unset name none
    /// (vzkit publishes nothing unless asked).
    public static func devices(_ host: HostConfig) -> [String] {
        guard let value = host.value("NEIGHBOUR_DEVS"), value.hasPrefix("list:") else { return [] }
        return value.dropFirst(5).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    public static func publish(_ addresses: [IPAddress], on devices: [String]) throws(SysError) {
        for device in devices {
            if addresses.contains(where: { $0.family == .v6 }) {
                try Sysctl.write("net/ipv6/conf/\(device)/proxy_ndp", "1")
            }
            for ip in addresses { try entry(true, ip, device: device) }
        }
    }

    /// Removes the entries; ones already gone are fine.
    public static func withdraw(_ addresses: [IPAddress], on devices: [String]) {
        for device in devices {
            for ip in addresses { try? entry(false, ip, device: device) }
        }
    }

    static func entry(_ add: Bool, _ ip: IPAddress, device: String) throws(SysError) {
        let index = try NetworkNamespace.index(of: device)
        var session = try NetlinkSession()
        try session.request(type: Int32(add ? RTM_NEWNEIGH : RTM_DELNEIGH), flags: add ? NLM_F_CREATE | NLM_F_REPLACE : 0,
                            what: "\(add ? "RTM_NEWNEIGH" : "RTM_DELNEIGH") proxy \(ip.address) dev \(device)") { message in
            let nd = message.extra(ndmsg.self)
            nd.pointee.ndm_family = AddressRoute.family(ip)
            nd.pointee.ndm_ifindex = index
            nd.pointee.ndm_flags = UInt8(NTF_PROXY)
            nd.pointee.ndm_state = UInt16(NUD_PERMANENT)
            message.put(Int32(NDA_DST), bytes: ip.bytes)
        }
    }
}
