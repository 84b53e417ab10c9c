#if canImport(Glibc)
import Glibc
#endif

/// Bridge mode: a veth pair per NETIF device, the container's end named as
/// it asked, the host's end up and, when a bridge is named, its port. The
/// container configures its end itself, as on a real server's NIC.
public enum BridgedVeth {
    public static func create(_ device: NetIf, pid: pid_t) throws(SysError) {
        guard let host = device.hostIfname, let mac = device.mac, let hostMAC = device.hostMAC else {
            throw SysError("veth", device.ifname, errno: EINVAL)
        }
        try Link.delete(name: host)  // left by a namespace still being torn down
        try Link.createVeth(name: host, mac: NetIf.macBytes(hostMAC), peer: device.ifname,
                            peerMAC: NetIf.macBytes(mac), peerPID: pid)
        try setUpHostEnd(device, host: host)
    }

    /// The host end: up, and a port of its bridge. After a restore (CRIU
    /// made the pair, the host end by name only) its MAC is set again too.
    static func setUpHostEnd(_ device: NetIf, host: String, mac: [UInt8]? = nil) throws(SysError) {
        let index = try NetworkNamespace.index(of: host)
        do {
            if let mac { try Link.setAddress(index: index, name: host, mac: mac) }
            if let bridge = device.bridge { try Link.setMaster(index: index, name: host, bridge: bridge) }
            try Link.setFlags(index: index, name: host, flags: Link.up, mask: Link.up)
        } catch {
            try? Link.delete(name: host)
            throw error
        }
    }

    /// After a restore: CRIU re-created the pair with `host` named as asked.
    public static func reattach(_ device: NetIf) throws(SysError) {
        guard let host = device.hostIfname, let hostMAC = device.hostMAC else { return }
        try setUpHostEnd(device, host: host, mac: NetIf.macBytes(hostMAC))
    }

    /// Deleting the host end takes the container's end with it.
    public static func delete(_ device: NetIf) throws(SysError) {
        guard let host = device.hostIfname else { return }
        try Link.delete(name: host)
    }
}
