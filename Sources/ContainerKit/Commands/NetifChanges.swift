/// `--netif_add ifname[,mac,host_ifname,host_mac,bridge]` and
/// `--netif_del ifname|all` against a container's NETIF.
struct NetifChanges {
    var result: [NetIf]
    var added: [NetIf] = []
    var removed: [NetIf] = []

    /// Devices changed with `--ifname NAME --mac/--host_mac/--host_ifname/
    /// --bridge/--mac_filter`: before and after.
    var modified: [(old: NetIf, new: NetIf)] = []

    var isEmpty: Bool { added.isEmpty && removed.isEmpty && modified.isEmpty }

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

    /// `--ifname` selects a device of the result; the options after it change it.
    mutating func modify(_ options: [(name: String, value: String?)]) throws(VZError) {
        let fields = ["mac", "host_mac", "host_ifname", "bridge", "mac_filter"]
        let given = options.filter { fields.contains($0.name) }
        guard let name = options.last(where: { $0.name == "ifname" })?.value else {
            if let first = given.first { throw VZError(.invalidSyntax, "Option --\(first.name) requires --ifname") }
            return
        }
        guard let index = result.firstIndex(where: { $0.ifname == name }) else {
            throw VZError(.invalidValue, "Bad parameter for --ifname: \(name)")
        }
        let old = result[index]
        var device = old
        for (option, value) in given {
            guard let value else { continue }
            let bad = VZError(.invalidValue, "Bad parameter for --\(option): \(value)")
            switch option {
            case "mac", "host_mac":
                guard NetIf.isValidMAC(value) else { throw bad }
                if option == "mac" { device.mac = value } else { device.hostMAC = value }
            case "host_ifname":
                guard NetIf.isValidName(value) else { throw bad }
                device.hostIfname = value
            case "bridge":
                guard NetIf.isValidName(value) else { throw bad }
                device.bridge = value
            default:
                guard value == "on" || value == "off" else { throw bad }
                device.macFilter = value
            }
        }
        if device != old {
            result[index] = device
            modified.append((old, device))
        }
    }

    var value: String { NetIf.configValue(result) }
}
