#if canImport(Glibc)
import Glibc
#endif
import CMnl

/// Addresses and routes of the caller's network namespace.
enum AddressRoute {
    static func family(_ ip: IPAddress) -> UInt8 { UInt8(ip.family == .v4 ? AF_INET : AF_INET6) }

    static func address(_ add: Bool, _ ip: IPAddress, prefix: UInt8, index: Int32, name: String) throws(SysError) {
        var session = try NetlinkSession()
        let type = Int32(add ? RTM_NEWADDR : RTM_DELADDR)
        try session.request(type: type, flags: add ? NLM_F_CREATE | NLM_F_REPLACE : 0,
                            what: "\(add ? "RTM_NEWADDR" : "RTM_DELADDR") \(ip) \(name)") { message in
            let info = message.extra(ifaddrmsg.self)
            info.pointee.ifa_family = family(ip)
            info.pointee.ifa_prefixlen = prefix
            info.pointee.ifa_index = UInt32(index)
            // No duplicate address detection: the address is usable at once.
            info.pointee.ifa_flags = UInt8(IFA_F_NODAD)
            message.put(Int32(IFA_LOCAL), bytes: ip.bytes)
            message.put(Int32(IFA_ADDRESS), bytes: ip.bytes)
        }
    }

    /// A route to `destination`/`prefix` (prefix 0: the default route) out of
    /// interface `index`, without a gateway: venet is point to point.
    static func route(_ add: Bool, to destination: IPAddress, prefix: UInt8, index: Int32, name: String) throws(SysError) {
        var session = try NetlinkSession()
        let type = Int32(add ? RTM_NEWROUTE : RTM_DELROUTE)
        try session.request(type: type, flags: add ? NLM_F_CREATE | NLM_F_REPLACE : 0,
                            what: "\(add ? "RTM_NEWROUTE" : "RTM_DELROUTE") \(prefix == 0 ? "default" : destination.address) dev \(name)") { message in
            let info = message.extra(rtmsg.self)
            info.pointee.rtm_family = family(destination)
            info.pointee.rtm_dst_len = prefix
            info.pointee.rtm_table = UInt8(RT_TABLE_MAIN.rawValue)
            info.pointee.rtm_protocol = UInt8(RTPROT_STATIC)
            info.pointee.rtm_scope = UInt8(RT_SCOPE_LINK.rawValue)
            info.pointee.rtm_type = UInt8(RTN_UNICAST)
            if prefix > 0 { message.put(Int32(RTA_DST.rawValue), bytes: destination.bytes) }
            message.put(Int32(RTA_OIF.rawValue), u32: UInt32(index))
        }
    }
}
