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
        let index = try NetworkNamespace.index(of: host)
        do {
            if let bridge = device.bridge { try Link.setMaster(index: index, name: host, bridge: bridge) }
            try Link.setFlags(index: index, name: host, flags: Link.up, mask: Link.up)
        } catch {
            try? Link.delete(name: host)
            throw error
        }
    }

    /// Deleting the host end takes the container's end with it.
    public static func delete(_ device: NetIf) throws(SysError) {
        guard let host = device.hostIfname else { return }
        try Link.delete(name: host)
    }
}
