import Testing
@testable import ContainerKit

@Suite struct ListFormatterTests {
    let host = HostConfig(file: ConfigFile(path: "vz.conf", text: DefaultConfig.vzConf), layout: Layout(prefix: ""))

    func row(_ ctid: UInt32, _ conf: String, _ status: ListRow.Status = .running, tasks: Int? = 17, uptime: Double? = nil) -> ListRow {
        ListRow(config: CTConfig(ctid: CTID(ctid), host: host, file: ConfigFile(path: "\(ctid).conf", text: conf)),
                status: status, usage: status == .running ? tasks.map(Self.usage) : nil, uptime: uptime)
    }

    static func usage(_ tasks: Int) -> Usage {
        var u = Usage()
        u.counters["numproc"] = .init(held: Int64(tasks), maxheld: Int64(tasks) + 3, failcnt: 2)
        return u
    }

    func fields(_ names: String) -> [ListField] {
        names.split(separator: ",").map { ListField.named(String($0))! }
    }

    @Test func classicDefaultTable() {
        let f = fields("ctid,numproc,status,ip,hostname")
        #expect(ListFormatter.headerLine(f, trim: true) == "      CTID      NPROC STATUS    IP_ADDR         HOSTNAME")
        let running = row(101, "IP_ADDRESS=\"192.0.2.1 192.0.2.5\"\nHOSTNAME=\"ct101.example.com\"\n")
        #expect(ListFormatter.rowLine(running, f, trim: true) == "       101         17 running   192.0.2.1       ct101.example.com")
        let stopped = row(102, "IP_ADDRESS=\"192.0.2.2\"\nHOSTNAME=\"ct102\"\n", .stopped)
        #expect(ListFormatter.rowLine(stopped, f, trim: true) == "       102          - stopped   192.0.2.2       ct102")
    }

    @Test func lastColumnIsNeitherCutNorPadded() {
        let r = row(7, "IP_ADDRESS=\"10.0.0.1 10.0.0.2\"\nHOSTNAME=\"\(String(repeating: "h", count: 40))\"\n")
        #expect(ListFormatter.rowLine(r, fields("hostname,ctid"), trim: true) == String(repeating: "h", count: 32) + "          7")
        #expect(ListFormatter.rowLine(r, fields("ctid,hostname"), trim: true) == "         7 " + String(repeating: "h", count: 40))
        #expect(ListFormatter.rowLine(r, fields("ctid,ip"), trim: true) == "         7 10.0.0.1 10.0.0.2")
        #expect(ListFormatter.rowLine(r, fields("hostname,ctid"), trim: false).hasPrefix(String(repeating: "h", count: 40) + "          7"))
    }

    @Test func specialColumns() {
        let r = row(9, "NAME=\"averyveryverylongname\"\nONBOOT=\"yes\"\nLAYOUT_X=\"\"\nPHYSPAGES=\"0:65536\"\nCAPABILITY=\"CHOWN:off SYS_TIME:on\"\n", uptime: 93784.5)
        #expect(ListFormatter.rowLine(r, fields("smart_name,onboot,layout,vswap,uptime,capability"), trim: true)
            == "averyveryv    yes ploop    yes 001d02h:03m:04s chown:off,sys_time:on")
        #expect(ListFormatter.headerLine(fields("smart_name,layout,origin_sample,laverage"), trim: true)
            == " SMARTNAME LAYOUT                    ORIGIN_SAMPLE       LAVERAGE")
        let stopped = row(10, "NUMPROC=\"240:260\"\n", .stopped)
        #expect(ListFormatter.rowLine(stopped, fields("numproc,numproc.b,numproc.l,numproc.f,kmemsize.b,name,smart_name"), trim: true)
            == "         -        240        260          -          0 -                                        10")
    }

    @Test func jsonIsValidAndEscaped() {
        let r = row(5, "HOSTNAME=\"a\\\"b\"\nDESCRIPTION=\"tab\there\"\nIP_ADDRESS=\"1.2.3.4 5.6.7.8\"\nONBOOT=\"no\"\n", uptime: 1.25)
        let out = ListFormatter.json([r], fields("ctid,hostname,description,ip,onboot,uptime,name,numproc"))
        #expect(out == """
            [
              {
                "ctid": 5,
                "hostname": "a\\"b",
                "description": "tab\\there",
                "ip": ["1.2.3.4", "5.6.7.8"],
                "onboot": false,
                "uptime": 1.250,
                "name": null,
                "numproc": {
                  "held": 17,
                  "maxheld": 20,
                  "barrier": 9223372036854775807,
                  "limit": 9223372036854775807,
                  "failcnt": 2
                }
              }
            ]

            """)
        #expect(ListFormatter.json([], fields("ctid")) == "[]\n")
        #expect(ListFormatter.quote("\u{1}") == "\"\\u0001\"")
    }

    @Test func sortOrders() {
        let rows = [
            row(3, "HOSTNAME=\"b\"\n", .stopped), row(1, "HOSTNAME=\"c\"\n", .running),
            row(2, "", .mounted), row(4, "HOSTNAME=\"a\"\n", .running),
        ]
        func ids(_ sorted: [ListRow]) -> [UInt32] { sorted.map(\.ctid.value) }
        #expect(ids(ListFormatter.sort(rows, by: ListField.named("ctid")!, reverse: false)) == [1, 2, 3, 4])
        #expect(ids(ListFormatter.sort(rows, by: ListField.named("ctid")!, reverse: true)) == [4, 3, 2, 1])
        #expect(ids(ListFormatter.sort(rows, by: ListField.named("status")!, reverse: false)) == [1, 4, 3, 2])
        #expect(ids(ListFormatter.sort(rows, by: ListField.named("hostname")!, reverse: false)) == [2, 4, 3, 1])
        #expect(ids(ListFormatter.sort(rows, by: ListField.named("onboot")!, reverse: false)) == [1, 2, 3, 4])
    }

    @Test func fieldTableMatchesTheClassicOne() {
        #expect(ListField.all.count == 16 + 21 * 5 + 6 + 17)
        #expect(ListField.all.prefix(3).map(\.name) == ["ctid", "veid", "vpsid"])
        #expect(ListField.named("numproc.f")?.header == "NPROC.F")
        #expect(ListField.named("swappages")?.header == "SWAPP")
        #expect(Set(ListField.all.map(\.name)).count == ListField.all.count)
    }
}

@Suite struct ListPaddingTests {
    let host = HostConfig(file: ConfigFile(path: "vz.conf", text: DefaultConfig.vzConf), layout: Layout(prefix: ""))

    @Test func padsAndCutsByBytesLikePrintf() {
        let row = ListRow(
            config: CTConfig(ctid: CTID(1), host: host, file: ConfigFile(path: "1.conf", text: "HOSTNAME=\"hé\"\nIP_ADDRESS=\"2001:db8:aaaa:bbbb::1 10.0.0.1\"\nDESCRIPTION=\"\(String(repeating: "é", count: 20))\"\n")),
            status: .stopped, usage: nil, uptime: nil)
        let fields = ["hostname", "ip", "description", "ctid"].map { ListField.named($0)! }
        let line = ListFormatter.rowLine(row, fields, trim: true)
        // "hé" is 3 bytes: 29 spaces pad it to 32 bytes; the IPv6 address is cut to 15 bytes;
        // 40 bytes of "é" are cut to 32 bytes (16 characters).
        #expect(line == "hé" + String(repeating: " ", count: 29) + " 2001:db8:aaaa:b " + String(repeating: "é", count: 16) + "          1")
    }
}
