/// A bridged veth device of a container, as NETIF and `--netif_add` spell it.
public struct NetIf: Sendable, Equatable {
    public var ifname: String
    public var mac: String?
    public var hostIfname: String?
    public var hostMAC: String?
    public var bridge: String?
    public var macFilter: String?

    public init(ifname: String) {
        self.ifname = ifname
    }

    /// NETIF: devices joined by `;`, each `key=value,...`.
    public static func parseConfig(_ value: String) -> [NetIf] {
        value.split(separator: ";").compactMap { device in
            var fields: [String: String] = [:]
            for pair in device.split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
            }
            guard let name = fields["ifname"] else { return nil }
            var netif = NetIf(ifname: name)
            netif.bridge = fields["bridge"]
            netif.mac = fields["mac"]
            netif.hostIfname = fields["host_ifname"]
            netif.hostMAC = fields["host_mac"]
            netif.macFilter = fields["mac_filter"]
            return netif
        }
    }

    /// The stored form, fields in vzctl's order, absent ones left out.
    public static func configValue(_ devices: [NetIf]) -> String {
        devices.map { d in
            [("ifname", d.ifname), ("bridge", d.bridge), ("mac", d.mac), ("host_ifname", d.hostIfname),
             ("host_mac", d.hostMAC), ("mac_filter", d.macFilter)]
                .compactMap { key, value in value.map { "\(key)=\($0)" } }
                .joined(separator: ",")
        }.joined(separator: ";")
    }

    public enum ParseError: Error, Equatable { case badName, badMAC }

    /// `ifname[,mac[,host_ifname[,host_mac[,bridge]]]]`; an empty field takes
    /// its default. The omitted MACs are made from the names, the host end's
    /// name is `veth<CTID>.<N>`, N the first number in ifname (else 0).
    /// vzctl gave the host end the container's MAC when only that was given;
    /// on a Linux bridge a port's own MAC is the bridge's, so frames for the
    /// container would stop at the host. Each end gets its own here.
    public static func parseOption(_ text: String, ctid: CTID, hostID: String) throws(ParseError) -> NetIf {
        let f = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func field(_ i: Int) -> String? { i < f.count && !f[i].isEmpty ? f[i] : nil }
        guard let name = field(0), isValidName(name) else { throw .badName }
        var d = NetIf(ifname: name)
        d.mac = field(1)
        d.hostIfname = field(2) ?? "veth\(ctid).\(firstNumber(name))"
        d.hostMAC = field(3)
        d.bridge = field(4)
        guard isValidName(d.hostIfname!) else { throw .badName }
        if d.mac == nil { d.mac = generatedMAC("\(name)-\(ctid)-\(hostID)") }
        if d.hostMAC == nil { d.hostMAC = generatedMAC("\(d.hostIfname!)-\(ctid)-\(hostID)") }
        guard [d.mac!, d.hostMAC!].allSatisfy(isValidMAC) else { throw .badMAC }
        return d
    }

    static func firstNumber(_ name: String) -> String {
        let digits = name.drop { !$0.isNumber }.prefix { $0.isNumber }
        return digits.isEmpty ? "0" : String(digits)
    }

    /// An interface name the kernel takes: 1-15 characters, no `/`, blank or `:`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 15 && name != "." && name != ".."
            && !name.contains { $0 == "/" || $0 == ":" || $0 == " " || $0 == "," || $0 == ";" || $0 == "=" }
    }

    /// Exactly `XX:XX:XX:XX:XX:XX`.
    public static func isValidMAC(_ mac: String) -> Bool {
        let parts = mac.split(separator: ":", omittingEmptySubsequences: false)
        return mac.count == 17 && parts.count == 6 && parts.allSatisfy { $0.count == 2 && UInt8($0, radix: 16) != nil }
    }

    /// A stable MAC under OpenVZ's 00:18:51 prefix, from `seed`.
    static func generatedMAC(_ seed: String) -> String {
        var h: UInt32 = 0x811c_9dc5
        for byte in seed.utf8 {
            h ^= UInt32(byte)
            h = h &* 0x0100_0193
        }
        let bytes = [0x00, 0x18, 0x51, UInt8(h >> 16 & 0xff), UInt8(h >> 8 & 0xff), UInt8(h & 0xff)]
        return bytes.map { b in
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: ":")
    }

    static func macBytes(_ mac: String) -> [UInt8] {
        mac.split(separator: ":").compactMap { UInt8($0, radix: 16) }
    }
}
