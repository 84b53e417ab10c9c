#if canImport(Glibc)
import Glibc
#endif
import CMnl

/// Network interfaces of the caller's network namespace.
public enum Link {
    static let up: UInt32 = 0x1  // IFF_UP
    static let noARP: UInt32 = 0x80  // IFF_NOARP

    /// Sets IFF_UP on interface `index` (index 1 is always `lo` in a new namespace).
    public static func up(index: Int32, name: String) throws(SysError) {
        try setFlags(index: index, name: name, flags: up, mask: up)
    }

    static func setFlags(index: Int32, name: String, flags: UInt32, mask: UInt32) throws(SysError) {
        var session = try NetlinkSession()
        try session.request(type: Int32(RTM_NEWLINK), what: "RTM_NEWLINK \(name) flags") { message in
            let info = message.extra(ifinfomsg.self)
            info.pointee.ifi_family = UInt8(AF_UNSPEC)
            info.pointee.ifi_index = index
            info.pointee.ifi_flags = flags
            info.pointee.ifi_change = mask
        }
    }

    /// A veth pair: `name` here, `peer` created directly in the network
    /// namespace of `peerPID`; both ends carry `mac`.
    static func createVeth(name: String, peer: String, peerPID: pid_t, mac: [UInt8]) throws(SysError) {
        var session = try NetlinkSession()
        try session.request(type: Int32(RTM_NEWLINK), flags: NLM_F_CREATE | NLM_F_EXCL, what: "RTM_NEWLINK veth \(name)") { message in
            let info = message.extra(ifinfomsg.self)
            info.pointee.ifi_family = UInt8(AF_UNSPEC)
            message.put(Int32(IFLA_IFNAME), string: name)
            message.put(Int32(IFLA_ADDRESS), bytes: mac)
            message.nest(Int32(IFLA_LINKINFO)) {
                message.put(Int32(IFLA_INFO_KIND), string: "veth")
                message.nest(Int32(IFLA_INFO_DATA)) {
                    message.nest(Int32(VETH_INFO_PEER)) {
                        _ = message.extra(ifinfomsg.self)
                        message.put(Int32(IFLA_IFNAME), string: peer)
                        message.put(Int32(IFLA_ADDRESS), bytes: mac)
                        message.put(Int32(IFLA_NET_NS_PID), u32: UInt32(peerPID))
                    }
                }
            }
        }
    }

    /// Removes interface `name`; one that is already gone is fine.
    static func delete(name: String) throws(SysError) {
        var session = try NetlinkSession()
        do {
            try session.request(type: Int32(RTM_DELLINK), what: "RTM_DELLINK \(name)") { message in
                let info = message.extra(ifinfomsg.self)
                info.pointee.ifi_family = UInt8(AF_UNSPEC)
                message.put(Int32(IFLA_IFNAME), string: name)
            }
        } catch where error.errno == ENODEV {
            return
        }
    }
}
