#if canImport(Glibc)
import Glibc
#endif
import CMnl

/// A route-netlink socket through libmnl: one request, one acknowledgement.
/// The socket belongs to the network namespace it was made in.
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

    /// Builds a message with `fill`, sends it with NLM_F_ACK and waits for
    /// the kernel's answer; a negative one is thrown with its errno.
    mutating func request(
        type: Int32, flags: Int32 = 0, what: String,
        _ fill: (NetlinkMessage) -> Void
    ) throws(SysError) {
        sequence &+= 1
        let seq = sequence
        var buffer = [UInt8](repeating: 0, count: 8192)
        let result: Int32 = buffer.withUnsafeMutableBytes { raw in
            // SAFETY: mnl_nlmsg_put_header zeroes and returns a header at the
            // start of `raw`, which outlives every use of `header` below.
            let header = mnl_nlmsg_put_header(raw.baseAddress)!
            header.pointee.nlmsg_type = UInt16(type)
            header.pointee.nlmsg_flags = UInt16(NLM_F_REQUEST | NLM_F_ACK | flags)
            header.pointee.nlmsg_seq = seq
            fill(NetlinkMessage(header: header))
            if mnl_socket_sendto(socket, header, Int(header.pointee.nlmsg_len)) < 0 { return -1 }
            let n = mnl_socket_recvfrom(socket, raw.baseAddress, raw.count)
            if n < 0 { return -1 }
            return mnl_cb_run(raw.baseAddress, n, seq, portID, nil, nil)
        }
        if result < 0 { throw SysError("netlink", what) }
    }
}

/// A message being built: fixed headers and attributes, appended in order.
struct NetlinkMessage {
    let header: UnsafeMutablePointer<nlmsghdr>

    /// Appends a zeroed fixed header (ifinfomsg, ifaddrmsg, rtmsg) and returns it.
    func extra<T>(_ type: T.Type) -> UnsafeMutablePointer<T> {
        // SAFETY: put_extra_header reserves MemoryLayout<T>.size zeroed bytes
        // inside the message buffer, aligned to NLMSG_ALIGNTO.
        mnl_nlmsg_put_extra_header(header, MemoryLayout<T>.size).assumingMemoryBound(to: T.self)
    }

    func put(_ type: Int32, string: String) { mnl_attr_put_strz(header, UInt16(type), string) }
    func put(_ type: Int32, u32: UInt32) { mnl_attr_put_u32(header, UInt16(type), u32) }
    func put(_ type: Int32, bytes: [UInt8]) {
        bytes.withUnsafeBytes { mnl_attr_put(header, UInt16(type), $0.count, $0.baseAddress) }
    }

    func nest(_ type: Int32, _ body: () -> Void) {
        let start = mnl_attr_nest_start(header, UInt16(type))
        body()
        mnl_attr_nest_end(header, start)
    }
}
