#if canImport(Glibc)
import Glibc
#endif
import CMnl

/// A route-netlink socket through libmnl: one request, one acknowledgement.
struct NetlinkSession: ~Copyable {
    private let socket: OpaquePointer
    private let portID: UInt32
    private var sequence: UInt32 = 1

    init() throws(SysError) {
        guard let s = mnl_socket_open(NETLINK_ROUTE) else { throw SysError("mnl_socket_open") }
        if mnl_socket_bind(s, 0, pid_t(MNL_SOCKET_AUTOPID)) < 0 {
            let error = SysError("mnl_socket_bind")
            mnl_socket_close(s)
            throw error
        }
        socket = s
        portID = mnl_socket_get_portid(s)
    }

    deinit { mnl_socket_close(socket) }

    /// Builds a message with `fill` (given the header and the buffer end),
    /// sends it with NLM_F_ACK and waits for the kernel's answer.
    mutating func request(
        type: UInt16, flags: Int32 = 0, what: String,
        _ fill: (UnsafeMutablePointer<nlmsghdr>) -> Void
    ) throws(SysError) {
        sequence &+= 1
        let seq = sequence
        var buffer = [UInt8](repeating: 0, count: 8192)
        let result: Int32 = buffer.withUnsafeMutableBytes { raw in
            // SAFETY: mnl_nlmsg_put_header zeroes and returns a header at the
            // start of `raw`, which outlives every use of `header` below.
            let header = mnl_nlmsg_put_header(raw.baseAddress)!
            header.pointee.nlmsg_type = type
            header.pointee.nlmsg_flags = UInt16(NLM_F_REQUEST | NLM_F_ACK | flags)
            header.pointee.nlmsg_seq = seq
            fill(header)
            if mnl_socket_sendto(socket, header, Int(header.pointee.nlmsg_len)) < 0 { return -1 }
            let n = mnl_socket_recvfrom(socket, raw.baseAddress, raw.count)
            if n < 0 { return -1 }
            return mnl_cb_run(raw.baseAddress, n, seq, portID, nil, nil)
        }
        if result < 0 { throw SysError("netlink", what) }
    }
}

public enum Link {
    /// Sets IFF_UP on the interface `index` of the caller's network namespace
    /// (index 1 is always `lo` in a new one).
    public static func up(index: Int32, name: String) throws(SysError) {
        var session = try NetlinkSession()
        try session.request(type: UInt16(RTM_NEWLINK), what: "RTM_NEWLINK \(name) up") { header in
            let size = MemoryLayout<ifinfomsg>.size
            // SAFETY: put_extra_header reserves `size` zeroed bytes after the header.
            let info = mnl_nlmsg_put_extra_header(header, size).assumingMemoryBound(to: ifinfomsg.self)
            info.pointee.ifi_family = UInt8(AF_UNSPEC)
            info.pointee.ifi_index = index
            info.pointee.ifi_flags = 1  // IFF_UP
            info.pointee.ifi_change = 1
        }
    }
}
