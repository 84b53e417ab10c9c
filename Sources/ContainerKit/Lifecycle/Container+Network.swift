#if canImport(Glibc)
import Glibc
#endif

extension Container {
    /// Adds and removes addresses of a running container at once.
    public func applyAddresses(add: [IPAddress], remove: [IPAddress]) throws(VZError) {
        let pid = try requireInit()
        do {
            try Venet.remove(ctid, pid: pid, remove)
            try Venet.add(ctid, pid: pid, add)
        } catch {
            throw VZError(.cantAddIP, "Unable to change the IP addresses of CT \(ctid)", error)
        }
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
