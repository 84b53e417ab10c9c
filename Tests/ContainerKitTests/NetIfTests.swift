import Testing
@testable import ContainerKit

@Suite struct NetIfTests {
    @Test func defaultsFromTheNames() throws {
        let d = try NetIf.parseOption("eth1", ctid: CTID(101), hostID: "h")
        #expect(d.hostIfname == "veth101.1")
        #expect(NetIf.isValidMAC(d.mac!) && d.mac!.hasPrefix("00:18:51:"))
        #expect(d.hostMAC != d.mac)
        #expect(try NetIf.parseOption("eth1", ctid: CTID(101), hostID: "h") == d, "generated MACs are stable")
        #expect(try NetIf.parseOption("eth1", ctid: CTID(102), hostID: "h").mac != d.mac)
        #expect(try NetIf.parseOption("net", ctid: CTID(7), hostID: "h").hostIfname == "veth7.0")
        let full = try NetIf.parseOption("eth0,00:18:51:AA:BB:CC,vh0,00:18:51:AA:BB:CD,br0", ctid: CTID(7), hostID: "h")
        #expect(full.mac == "00:18:51:AA:BB:CC" && full.hostIfname == "vh0" && full.hostMAC == "00:18:51:AA:BB:CD" && full.bridge == "br0")
    }

    @Test(arguments: ["", ",00:18:51:AA:BB:CC", "eth0,zz", "eth0,00:18:51:AA:BB", "a/b", "averyveryverylongname"])
    func rejects(_ text: String) {
        #expect(throws: NetIf.ParseError.self) { try NetIf.parseOption(text, ctid: CTID(1), hostID: "h") }
    }

    @Test func configRoundTrip() throws {
        let text = "ifname=eth0,bridge=br0,mac=00:18:51:AA:BB:CC,host_ifname=veth1.0,host_mac=00:18:51:AA:BB:CD;ifname=eth1,mac=00:18:51:AA:BB:CE"
        let devices = NetIf.parseConfig(text)
        #expect(devices.count == 2 && devices[1].bridge == nil)
        #expect(NetIf.configValue(devices) == text)
    }
}
