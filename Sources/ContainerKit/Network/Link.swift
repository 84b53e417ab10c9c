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
        try change(index: index, what: "\(name) flags") { message, info in
            info.pointee.ifi_flags = flags
            info.pointee.ifi_change = mask
        }
    }

    static func setAddress(index: Int32, name: String, mac: [UInt8]) throws(SysError) {
        try change(index: index, what: "\(name) address") { message, _ in
            message.put(Int32(IFLA_ADDRESS), bytes: mac)
        }
    }

    /// One RTM_NEWLINK on the existing interface `index`: `fill` sets its
    /// header fields and attributes.
    private static func change(
        index: Int32, what: String, _ fill: (NetlinkMessage, UnsafeMutablePointer<ifinfomsg>) -> Void
    ) throws(SysError) {
        var session = try NetlinkSession()
        try session.request(type: Int32(RTM_NEWLINK), what: "RTM_NEWLINK \(what)") { message in
            let info = message.extra(ifinfomsg.self)
            info.pointee.ifi_family = UInt8(AF_UNSPEC)
            info.pointee.ifi_index = index
            fill(message, info)
        }
    }

    /// A veth pair: `name` here with `mac`, `peer` with `peerMAC` created
    /// directly in the network namespace of `peerPID`.
    static func createVeth(name: String, mac: [UInt8], peer: String, peerMAC: [UInt8], peerPID: pid_t) throws(SysError) {
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
                        message.put(Int32(IFLA_ADDRESS), bytes: peerMAC)
                        message.put(Int32(IFLA_NET_NS_PID), u32: UInt32(peerPID))
                    }
                }
            }
        }
    }

    /// Moves interface `name` of the caller's network namespace into the one
    /// of process `pid`, or the one open at `fd`.
    static func move(name: String, toPID pid: pid_t? = nil, toNamespaceFD fd: Int32? = nil) throws(SysError) {
        try change(index: try NetworkNamespace.index(of: name), what: "\(name) netns") { message, _ in
            if let pid { message.put(Int32(IFLA_NET_NS_PID), u32: UInt32(pid)) }
            if let fd { message.put(Int32(IFLA_NET_NS_FD), u32: UInt32(fd)) }
        }
    }

    /// Makes interface `index` a port of the bridge `bridge`.
    static func setMaster(index: Int32, name: String, bridge: String) throws(SysError) {
        let master = try NetworkNamespace.index(of: bridge)
        try change(index: index, what: "\(name) master \(bridge)") { message, _ in
            message.put(Int32(IFLA_MASTER), u32: UInt32(master))
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
