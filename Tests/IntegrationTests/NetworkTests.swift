import Foundation
import Testing

/// venet-style routed addresses: CT<->CT and host<->CT TCP, live changes,
/// nothing left on the host afterwards. Addresses from 198.18.0.0/15 and
/// fd00::/8 only.
@Suite("venet networking", .enabled(if: isRoot, "needs root"))
struct NetworkTests {
    /// The host's links, routes and proxy entries that concern this test's
    /// containers (other tests change the host's tables at the same time).
    func hostTables() -> String {
        ["link", "-4 route", "-6 route", "-4 neigh show proxy", "-6 neigh show proxy"].map { args in
            TestHost.run(["ip"] + args.split(separator: " ").map(String.init), env: [:]).stdout
                .split(separator: "\n").filter { line in
                    // This test's devices by their whole names: other tests' CTIDs begin with 40 too.
                    let words = line.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
                    return words.contains { $0 == "venet401" || $0 == "venet402" } || line.contains("198.18.41.") || line.contains("fd00::41:")
                }
                .joined(separator: "\n")
        }.joined(separator: "\n---\n")
    }

    @Test func routedContainersTalkTCP() throws {
        let host = try TestHost()
        let before = hostTables()
        #expect(before == "\n---\n\n---\n\n---\n\n---\n")
        try host.create("401", "--ipadd", "198.18.41.1")
        try host.create("402", "--ipadd", "198.18.41.2 fd00::41:2")
        try host.start("401")
        try host.start("402")
        #expect(hostTables().contains("198.18.41.2 dev venet402"), "the test sees the host's routes")
        #expect(host.run("vzlist", "-H", "-o", "ctid,ip").stdout == "       401 198.18.41.1\n       402 198.18.41.2 fd00::41:2\n")

        // Inside: venet0 with the address and a default route, no other link.
        #expect(host.run("vzctl", "exec2", "402", "ls /sys/class/net | sort").stdout == "lo\nvenet0\n")
        let addr = host.run("vzctl", "exec2", "402", "ip -o addr show dev venet0").stdout
        #expect(addr.contains("inet 198.18.41.2/32"))
        #expect(addr.contains("inet6 fd00::41:2/128"))
        #expect(host.run("vzctl", "exec2", "402", "ip route").stdout.contains("default dev venet0"))

        // A web server in 402, fetched from 401 and from the host (v4 and v6).
        let serve = host.run("vzctl", "exec", "402", "mkdir -p /www && echo hello-402 > /www/index.html && httpd -p 80 -h /www")
        #expect(serve.code == 0, "\(serve)")
        // httpd puts itself in the background: give it a moment to listen.
        let fromCT = host.run("vzctl", "exec2", "401", "for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 wget -q -O - http://198.18.41.2/ && exit; sleep 0.2; done; exit 1")
        #expect(fromCT.stdout == "hello-402\n", "\(fromCT)")
        #expect(httpGet("198.18.41.2") == "hello-402\n")
        #expect(httpGet("fd00::41:2") == "hello-402\n")

        // Live: a new address works at once, a removed one is gone from both sides.
        #expect(host.run("vzctl", "set", "402", "--ipadd", "198.18.41.22", "--save").code == 0)
        #expect(httpGet("198.18.41.22") == "hello-402\n")
        #expect(host.run("vzctl", "set", "402", "--ipdel", "198.18.41.2", "--save").code == 0)
        #expect(!host.run("vzctl", "exec2", "402", "ip -o addr").stdout.contains("198.18.41.2/"))
        #expect(!TestHost.run(["ip", "route"], env: [:]).stdout.contains("198.18.41.2 "))
        // (No connection attempt: without the host route it would head for the uplink.)
        #expect(host.read(host.confPath("402"))?.contains("IP_ADDRESS=\"fd00::41:2 198.18.41.22\"") == true)

        #expect(host.run("vzctl", "stop", "401", "--fast").code == 0)
        #expect(host.run("vzctl", "stop", "402", "--fast").code == 0)
        // The pairs go with the containers' network namespaces (asynchronously).
        var after = hostTables()
        for _ in 0..<50 where after != before {
            usleep(100_000)
            after = hostTables()
        }
        #expect(after == before, "host tables changed:\n\(after)")

        // A restart brings the saved addresses back.
        try host.start("402")
        #expect(httpGet("198.18.41.22") == nil, "no server yet, but the address answers")
        #expect(host.run("vzctl", "exec2", "402", "ip -o addr").stdout.contains("198.18.41.22/32"))
    }

    @Test func addressesAreCheckedAndUnique() throws {
        let host = try TestHost()
        let before = host.read(host.confPath("411"))
        try host.create("411", "--ipadd", "198.18.42.1")
        try host.create("412")
        var r = host.run("vzctl", "create", "413", "--ostemplate", "busybox", "--ipadd", "198.18.42.1")
        #expect(r.code == 78 && r.stderr == "IP address 198.18.42.1 is already used by CT 411\n", "\(r)")
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("413")))
        r = host.run("vzctl", "set", "412", "--ipadd", "198.18.42.1", "--save")
        #expect(r.code == 78, "\(r)")
        r = host.run("vzctl", "set", "412", "--ipadd", "198.18.42.300", "--save")
        #expect(r.code == 21 && r.stderr == "Bad parameter for --ipadd: 198.18.42.300\n", "\(r)")
        #expect(before == nil)
        #expect(host.read(host.confPath("412"))?.contains("IP_ADDRESS") == false)
        // Several in one option, 0.0.0.0 ignored, a new mask replaces the old entry.
        #expect(host.run("vzctl", "set", "412", "--ipadd", "198.18.42.2 0.0.0.0 198.18.42.3", "--save").code == 0)
        #expect(host.run("vzctl", "set", "412", "--ip", "198.18.42.2/24", "--save").code == 0)
        #expect(host.run("vzlist", "-H", "-o", "ip", "412").stdout == "198.18.42.3 198.18.42.2/24\n")
        #expect(host.run("vzctl", "set", "412", "--ipdel", "all", "--save").code == 0)
        #expect(host.run("vzlist", "-H", "-o", "ip", "412").stdout == "-\n")
    }

    /// GET / over TCP from the host, or nil if nothing answers within 3 s.
    func httpGet(_ address: String) -> String? {
        let r = TestHost.run(["python3", "-c", """
            import socket, sys
            a = sys.argv[1]
            fam = socket.AF_INET6 if ':' in a else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.settimeout(3)
            try:
                s.connect((a, 80))
            except OSError:
                sys.exit(1)
            s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')
            data = b''
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            sys.stdout.write(data.split(b'\\r\\n\\r\\n', 1)[1].decode())
            """, address], env: [:])
        return r.code == 0 ? r.stdout : nil
    }
}

/// The guest's own network files, written from inside the container.
@Suite("guest network files", .enabled(if: isRoot, "needs root"))
struct GuestFileTests {
    @Test func hostnameHostsAndResolvConf() throws {
        let host = try TestHost()
        try host.create("421", "--hostname", "web.example.test", "--ipadd", "198.18.43.1")
        #expect(host.run("vzctl", "set", "421", "--nameserver", "198.18.43.53", "--searchdomain", "example.test", "--save").code == 0)
        try host.start("421")
        #expect(host.run("vzctl", "exec2", "421", "cat /etc/hostname").stdout == "web.example.test\n")
        #expect(host.run("vzctl", "exec2", "421", "grep vzctl /etc/hosts").stdout == "198.18.43.1 web.example.test web # vzctl: host name\n")
        #expect(host.run("vzctl", "exec2", "421", "cat /etc/resolv.conf").stdout == "search example.test\nnameserver 198.18.43.53\n")
        // Live, without a restart.
        let r = host.run("vzctl", "set", "421", "--hostname", "app", "--nameserver", "198.18.43.54", "--nameserver", "fd00::53")
        #expect(r.code == 0, "\(r)")
        #expect(host.run("vzctl", "exec2", "421", "hostname; cat /etc/hostname").stdout == "app\napp\n")
        #expect(host.run("vzctl", "exec2", "421", "cat /etc/resolv.conf").stdout == "search example.test\nnameserver 198.18.43.54\nnameserver fd00::53\n")
        let bad = host.run("vzctl", "set", "421", "--nameserver", "dns.example", "--save")
        #expect(bad.code == 21 && bad.stderr == "Bad parameter for --nameserver: dns.example\n")
    }

    @Test func aPlantedSymlinkCannotReachTheHost() throws {
        let host = try TestHost()
        try host.create("422", "--hostname", "victim")
        try host.start("422")
        // A file of the host's, and the container's root pointing its
        // resolv.conf and hostname at that host path.
        let secret = host.prefix + "/host-secret"
        try "untouched\n".write(toFile: secret, atomically: true, encoding: .utf8)
        #expect(host.run("vzctl", "exec", "422", "ln -sf \(secret) /etc/resolv.conf && ln -sf \(secret) /etc/hostname").code == 0)
        _ = host.run("vzctl", "set", "422", "--hostname", "evil", "--nameserver", "198.18.44.53")
        #expect(host.read(secret) == "untouched\n", "vzctl wrote through the container's link into the host")
        let restart = host.run("vzctl", "restart", "422", "--fast")
        #expect(restart.code == 0, "a container that broke its own /etc still starts: \(restart)")
        #expect(host.read(secret) == "untouched\n", "vzctl wrote through the container's link at start")
    }
}

/// Bridge mode: veth pairs whose host ends join a bridge.
@Suite("bridged veth", .enabled(if: isRoot, "needs root"))
struct BridgeTests {
    @Test func bridgedContainersReachEachOther() throws {
        let host = try TestHost()
        let bridge = "vzt\(getpid() % 100000)"
        #expect(TestHost.run(["ip", "link", "add", bridge, "type", "bridge"], env: [:]).code == 0)
        defer { _ = TestHost.run(["ip", "link", "del", bridge], env: [:]) }
        #expect(TestHost.run(["ip", "link", "set", bridge, "up"], env: [:]).code == 0)
        try host.create("431")
        try host.create("432")
        #expect(host.run("vzctl", "set", "431", "--netif_add", "eth0,00:18:51:AA:BB:31,,,\(bridge)", "--save").code == 0)
        #expect(host.run("vzctl", "set", "432", "--netif_add", "eth1,,,,\(bridge)", "--save").code == 0)
        let netif = try #require(host.read(host.confPath("431")))
        #expect(netif.contains("NETIF=\"ifname=eth0,bridge=\(bridge),mac=00:18:51:AA:BB:31,host_ifname=veth431.0,host_mac=00:18:51:"))
        try host.start("431")
        try host.start("432")
        let ports = TestHost.run(["ip", "-o", "link", "show", "master", bridge], env: [:]).stdout
        #expect(ports.contains("veth431.0") && ports.contains("veth432.1"), "\(ports)")
        #expect(host.run("vzctl", "exec2", "431", "cat /sys/class/net/eth0/address").stdout == "00:18:51:aa:bb:31\n")
        #expect(host.run("vzctl", "exec", "431", "ip addr add 198.18.47.1/24 dev eth0 && ip link set eth0 up").code == 0)
        #expect(host.run("vzctl", "exec", "432", "ip addr add 198.18.47.2/24 dev eth1 && ip link set eth1 up").code == 0)
        #expect(host.run("vzctl", "exec", "432", "mkdir -p /www && echo bridged > /www/index.html && httpd -p 80 -h /www").code == 0)
        let get = host.run("vzctl", "exec2", "431", "for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 wget -q -O - http://198.18.47.2/ && exit; sleep 0.2; done; exit 1")
        #expect(get.stdout == "bridged\n", "\(get)")
        // --ifname selects a device; the options after it change it, live.
        let bridge2 = bridge + "b"
        #expect(TestHost.run(["ip", "link", "add", bridge2, "type", "bridge"], env: [:]).code == 0)
        defer { _ = TestHost.run(["ip", "link", "del", bridge2], env: [:]) }
        let moved = host.run("vzctl", "set", "431", "--ifname", "eth0", "--bridge", bridge2, "--mac", "00:18:51:AA:BB:99", "--save")
        #expect(moved.code == 0, "\(moved)")
        #expect(TestHost.run(["ip", "-o", "link", "show", "master", bridge2], env: [:]).stdout.contains("veth431.0"))
        #expect(host.run("vzctl", "exec2", "431", "cat /sys/class/net/eth0/address").stdout == "00:18:51:aa:bb:99\n")
        #expect(host.read(host.confPath("431"))?.contains("bridge=\(bridge2),mac=00:18:51:AA:BB:99") == true)
        #expect(host.run("vzctl", "set", "431", "--mac", "00:18:51:AA:BB:98", "--save").code == 20)
        #expect(host.run("vzctl", "set", "431", "--ifname", "nosuch", "--mac", "00:18:51:AA:BB:98", "--save").code == 21)
        // Live removal, then stop: nothing of theirs stays on the host.
        #expect(host.run("vzctl", "set", "432", "--netif_del", "eth1", "--save").code == 0)
        #expect(!TestHost.run(["ip", "link"], env: [:]).stdout.contains("veth432.1"))
        #expect(host.read(host.confPath("432"))?.contains("NETIF=\"\"") == true)
        #expect(host.run("vzctl", "stop", "431", "--fast").code == 0)
        #expect(host.run("vzctl", "stop", "432", "--fast").code == 0)
        var links = ""
        for _ in 0..<50 {
            links = TestHost.run(["ip", "link"], env: [:]).stdout
            if !links.contains("veth43") { break }
            usleep(100_000)
        }
        #expect(!links.contains("veth43"), "\(links)")
        let bad = host.run("vzctl", "set", "431", "--netif_add", "eth0,zz:zz", "--save")
        #expect(bad.code == 21 && bad.stderr == "Bad parameter for --netif_add: eth0,zz:zz\n", "\(bad)")
    }
}

/// NETDEV: a host interface lent to a container and given back.
@Suite("lent host devices", .enabled(if: isRoot, "needs root"))
struct HostDeviceTests {
    @Test func aDeviceMovesInAndComesBack() throws {
        let host = try TestHost()
        // A veth end stands in for a NIC (this kernel has no dummy driver);
        // like a dummy device it dies with a network namespace.
        let dev = "vztd\(getpid() % 100000)"
        #expect(TestHost.run(["ip", "link", "add", dev, "type", "veth", "peer", "name", dev + "p"], env: [:]).code == 0)
        defer { _ = TestHost.run(["ip", "link", "del", dev], env: [:]) }
        func onHost() -> Bool { TestHost.run(["ip", "link", "show", dev], env: [:]).code == 0 }
        try host.create("441")
        #expect(host.run("vzctl", "set", "441", "--netdev_add", dev, "--save").code == 0)
        try host.start("441")
        #expect(!onHost(), "the device stayed on the host")
        #expect(host.run("vzctl", "exec2", "441", "ls /sys/class/net").stdout.contains(dev))
        // Live: given back, then lent again.
        #expect(host.run("vzctl", "set", "441", "--netdev_del", dev).code == 0)
        #expect(onHost())
        #expect(host.run("vzctl", "set", "441", "--netdev_add", dev).code == 0)
        #expect(!onHost())
        // A virtual device dies with a network namespace: stop must give it back first.
        #expect(host.run("vzctl", "stop", "441", "--fast").code == 0)
        #expect(onHost(), "the device was lost when the container stopped")
        let refused = host.run("vzctl", "set", "441", "--netdev_add", "venet0", "--save")
        #expect(refused.code == 21 && refused.stderr == "Bad parameter for --netdev_add: venet0\n", "\(refused)")
    }
}

/// Proxy ARP/NDP on the host interfaces NEIGHBOUR_DEVS lists.
@Suite("proxy neighbours", .enabled(if: isRoot, "needs root"))
struct ProxyNeighbourTests {
    @Test func publishedWhileRunningAndWithdrawnAfter() throws {
        let host = try TestHost()
        let lan = "vztp\(getpid() % 100000)"
        #expect(TestHost.run(["ip", "link", "add", lan, "type", "veth", "peer", "name", lan + "p"], env: [:]).code == 0)
        defer { _ = TestHost.run(["ip", "link", "del", lan], env: [:]) }
        let vzconf = try String(contentsOfFile: TestHost.packageRoot + "/conf/vz.conf", encoding: .utf8)
        try (vzconf + "NEIGHBOUR_DEVS=\"list:\(lan)\"\n").write(toFile: host.prefix + "/etc/vz/vz.conf", atomically: true, encoding: .utf8)
        func proxies() -> String {
            ["-4", "-6"].map { TestHost.run(["ip", $0, "neigh", "show", "proxy", "dev", lan], env: [:]).stdout }.joined()
                .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) + "\n" }.sorted().joined()
        }
        try host.create("451", "--ipadd", "198.18.48.1 fd00::48:1")
        try host.start("451")
        #expect(proxies() == "198.18.48.1 proxy\nfd00::48:1 proxy\n")
        #expect(host.run("vzctl", "set", "451", "--ipadd", "198.18.48.2", "--ipdel", "fd00::48:1").code == 0)
        #expect(proxies() == "198.18.48.1 proxy\n198.18.48.2 proxy\n")
        #expect(host.run("vzctl", "stop", "451", "--fast").code == 0)
        #expect(proxies().isEmpty, "stop withdraws the live addresses too: \(proxies())")
        // A container that dies leaves its entries; the next command clears them.
        try host.start("451")
        let pid = try #require(host.initPID("451"))
        kill(pid, SIGKILL)
        while host.initPID("451") != nil { usleep(20_000) }
        #expect(proxies() == "198.18.48.1 proxy\nfd00::48:1 proxy\n")
        #expect(host.run("vzctl", "stop", "451").code == 0)
        #expect(proxies().isEmpty, "\(proxies())")
    }
}
