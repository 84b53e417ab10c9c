#if canImport(Glibc)
import Glibc
#endif

extension Container {
    /// Adds and removes addresses of a running container at once.
    public func applyAddresses(add: [IPAddress], remove: [IPAddress]) throws(VZError) {
        let pid = try requireInit()
        do {
            let devices = ProxyNeighbour.devices(config.host)
            try Venet.remove(ctid, pid: pid, remove, publishedOn: devices)
            try Venet.add(ctid, pid: pid, add, publishOn: devices)
        } catch {
            throw VZError(.cantAddIP, "Unable to change the IP addresses of CT \(ctid)", error)
        }
    }

    /// Adds and removes bridged veth devices of a running container at once.
    public func applyNetifs(add: [NetIf], remove: [NetIf]) throws(VZError) {
        let pid = try requireInit()
        do {
            for device in remove { try BridgedVeth.delete(device) }
            for device in add { try BridgedVeth.create(device, pid: pid) }
        } catch {
            throw VZError(.vethError, "Unable to change the veth devices of CT \(ctid)", error)
        }
    }

    /// Lends and reclaims host devices of a running container at once.
    public func applyNetdevs(add: [String], remove: [String]) throws(VZError) {
        let pid = try requireInit()
        do {
            try HostDevice.reclaim(remove, from: pid)
            try HostDevice.lend(add, to: pid)
        } catch {
            throw VZError(.netdevError, "Unable to move network devices of CT \(ctid)", error)
        }
    }

    /// Takes the host ends of the container's links (venet, bridged veth)
    /// down or up again: down, nothing reaches the container or leaves it,
    /// so the kernel can neither acknowledge nor reset its connections.
    func setHostLinks(up: Bool) throws(SysError) {
        for name in hostLinks {
            try Link.setFlags(index: try NetworkNamespace.index(of: name), name: name, flags: up ? Link.up : 0, mask: Link.up)
        }
    }

    /// The host ends of the container's links that exist now.
    var hostLinks: [String] {
        ([Venet.hostInterface(ctid)] + config.netifs.compactMap(\.hostIfname)).filter { if_nametoindex($0) != 0 }
    }

    /// What NETIF's generated MACs are made from: this host's identity.
    public static var hostID: String {
        if let id = try? Files.read("/etc/machine-id") { return id.trimmingBlanks().replacingNewlines() }
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The container (other than this one) whose config holds `ip`, if any.
    public func ownerOfAddress(_ ip: IPAddress) -> CTID? {
        let files = (try? Files.list(layout.confDir)) ?? []
        for file in files where file.hasSuffix(".conf") {
            guard let other = CTID(file.dropLast(5)), other != ctid,
                  let config = try? CTConfig.load(other, host: config.host)
            else { continue }
            if config.ipAddresses.contains(where: { $0.sameHost(ip) }) { return other }
        }
        return nil
    }
}
