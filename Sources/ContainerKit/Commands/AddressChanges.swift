/// `--ipadd ADDR[/MASK] ...` and `--ipdel ADDR|all` against the IP_ADDRESS a
/// container has: the new list, and what to add and remove live.
struct AddressChanges {
    var result: [IPAddress]
    var added: [IPAddress] = []
    var removed: [IPAddress] = []

    var isEmpty: Bool { added.isEmpty && removed.isEmpty }

    /// Options in the order given; several addresses may share one value.
    init(_ options: [(name: String, value: String?)], current: [IPAddress]) throws(VZError) {
        result = current
        for (name, value) in options {
            guard let value, name == "ipadd" || name == "ip" || name == "ipdel" else { continue }
            for word in value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
                if name == "ipdel" && word == "all" {
                    removed += result
                    result = []
                    continue
                }
                guard let ip = IPAddress(word) else {
                    throw VZError(.invalidValue, "Bad parameter for --\(name): \(word)")
                }
                if ip.isUnspecified { continue }  // vzctl ignores 0.0.0.0 and :: silently
                // Re-adding an address (with another mask) replaces it.
                if let old = result.firstIndex(where: { $0.sameHost(ip) }) {
                    removed.append(result.remove(at: old))
                }
                if name != "ipdel" {
                    result.append(ip)
                    added.append(ip)
                }
            }
        }
        // An address removed and added again in one call is only re-added.
        removed.removeAll { gone in added.contains { $0 == gone } }
    }

    /// The config value.
    var value: String { result.map(\.description).joined(separator: " ") }

    /// Refuses addresses another container of this host already has (78).
    func checkFree(for ct: Container) throws(VZError) {
        for ip in added {
            if let owner = ct.ownerOfAddress(ip) {
                throw VZError(.ipInUse, "IP address \(ip.address) is already used by CT \(owner)")
            }
        }
    }
}
