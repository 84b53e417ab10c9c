/// `--netif_add ifname[,mac,host_ifname,host_mac,bridge]` and
/// `--netif_del ifname|all` against a container's NETIF.
struct NetifChanges {
    var result: [NetIf]
    var added: [NetIf] = []
    var removed: [NetIf] = []

    var isEmpty: Bool { added.isEmpty && removed.isEmpty }

    init(_ options: [(name: String, value: String?)], current: [NetIf], ctid: CTID, hostID: String) throws(VZError) {
        result = current
        for (name, value) in options {
            guard let value, name == "netif_add" || name == "netif_del" else { continue }
            for word in value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
                if name == "netif_del" {
                    let gone = word == "all" ? result : result.filter { $0.ifname == word }
                    if gone.isEmpty { throw VZError(.invalidValue, "Bad parameter for --netif_del: \(word)") }
                    removed += gone
                    result.removeAll { d in gone.contains { $0.ifname == d.ifname } }
                    continue
                }
                let device: NetIf
                do {
                    device = try NetIf.parseOption(word, ctid: ctid, hostID: hostID)
                } catch {
                    throw VZError(.invalidValue, "Bad parameter for --netif_add: \(word)")
                }
                if result.contains(where: { $0.ifname == device.ifname }) {
                    throw VZError(.invalidValue, "Bad parameter for --netif_add: \(device.ifname) already exists")
                }
                result.append(device)
                added.append(device)
            }
        }
    }

    var value: String { NetIf.configValue(result) }
}
