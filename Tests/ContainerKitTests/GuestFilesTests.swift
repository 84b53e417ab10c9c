import Testing
@testable import ContainerKit

@Suite struct GuestFilesTests {
    @Test func hostsGetsOneLineForTheHostName() {
        let first = GuestFiles.hosts("127.0.0.1 localhost\n10.0.0.5 db\n", hostname: "web.example.com", address: "198.18.0.1")
        #expect(first == "127.0.0.1 localhost\n10.0.0.5 db\n198.18.0.1 web.example.com web # vzctl: host name\n")
        // Written again: the old line is replaced, the others stay.
        let second = GuestFiles.hosts(first, hostname: "app", address: nil)
        #expect(second == "127.0.0.1 localhost\n10.0.0.5 db\n127.0.1.1 app # vzctl: host name\n")
        #expect(GuestFiles.hosts("", hostname: "x", address: nil) == "127.0.0.1 localhost\n127.0.1.1 x # vzctl: host name\n")
    }

    @Test func resolvConfReplacesOnlyWhatIsGiven() {
        let current = "# generated\nnameserver 10.0.0.1\nsearch old.test\noptions ndots:2\n"
        #expect(GuestFiles.resolvConf(current, nameservers: ["198.18.0.53", "fd00::53"], search: nil)
            == "# generated\nsearch old.test\noptions ndots:2\nnameserver 198.18.0.53\nnameserver fd00::53\n")
        #expect(GuestFiles.resolvConf(current, nameservers: nil, search: ["a.test", "b.test"])
            == "# generated\nnameserver 10.0.0.1\noptions ndots:2\nsearch a.test b.test\n")
        #expect(GuestFiles.resolvConf("", nameservers: [], search: nil) == "")
    }
}
