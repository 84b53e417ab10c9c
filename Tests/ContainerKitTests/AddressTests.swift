import Testing
@testable import ContainerKit

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("198.18.0.1", "198.18.0.1", IPAddress.Family.v4, nil as UInt8?),
        ("198.18.0.1/24", "198.18.0.1/24", .v4, 24),
        ("fd00:0:0::1", "fd00::1", .v6, nil),
        ("FD00::1/64", "fd00::1/64", .v6, 64),
    ])
    func parses(text: String, canonical: String, family: IPAddress.Family, prefix: UInt8?) throws {
        let ip = try #require(IPAddress(text))
        #expect(ip.description == canonical)
        #expect(ip.family == family)
        #expect(ip.prefix == prefix)
    }

    @Test(arguments: ["", "198.18.0", "198.18.0.256", "1.2.3.4/33", "fd00::/129", "1.2.3.4/", "host.example", "1.2.3.4/x"])
    func rejects(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func unspecifiedAndHostPrefix() throws {
        #expect(try #require(IPAddress("0.0.0.0")).isUnspecified)
        #expect(try #require(IPAddress("::")).isUnspecified)
        #expect(try #require(IPAddress("fd00::1")).hostPrefix == 128)
        #expect(try #require(IPAddress("10.0.0.1/8")).sameHost(try #require(IPAddress("10.0.0.1"))))
    }
}

@Suite struct AddressChangesTests {
    func ips(_ s: String) -> [IPAddress] { s.split(separator: " ").compactMap { IPAddress(String($0)) } }

    @Test func addDeleteAndReplace() throws {
        let current = ips("198.18.0.1 198.18.0.2")
        let c = try AddressChanges([("ipadd", "198.18.0.3 0.0.0.0"), ("ip", "198.18.0.1/24"), ("ipdel", "198.18.0.2")], current: current)
        #expect(c.value == "198.18.0.3 198.18.0.1/24")
        #expect(c.added.map(\.description) == ["198.18.0.3", "198.18.0.1/24"])
        #expect(c.removed.map(\.description) == ["198.18.0.1", "198.18.0.2"])
        let all = try AddressChanges([("ipdel", "all")], current: current)
        #expect(all.value == "" && all.removed.count == 2 && all.added.isEmpty)
        let none = try AddressChanges([("hostname", "x")], current: current)
        #expect(none.isEmpty)
    }

    @Test func badAddressIsAClassicError() {
        #expect(throws: VZError.self) { try AddressChanges([("ipadd", "300.1.1.1")], current: []) }
        let error = #expect(throws: VZError.self) { try AddressChanges([("ipdel", "nope")], current: []) }
        #expect(error?.code == .invalidValue && error?.message == "Bad parameter for --ipdel: nope")
    }
}
