import Testing
@testable import ContainerKit

/// DEVICES and DEVNODES items, and the rules they become.
@Suite struct DeviceRuleTests {
    @Test(arguments: [
        ("c:10:200:rw", "c 10:200 rwm"),
        ("b:8:all:r", "b 8:* rm"),
        ("c:1:1:w", "c 1:1 wm"),
        ("c:4:64:rwq", "c 4:64 rwm"),
    ])
    func devicesItems(_ item: String, _ line: String) {
        #expect(DeviceRule(devicesItem: item)?.cgroupV1Line == line)
    }

    @Test(arguments: ["c:10:200:none", "x:10:200:rw", "c:10:200:z", "c:10:200:q", "c:ten:200:rw", "c:10:one:rw", "c:10:rw", ""])
    func devicesItemsRefused(_ item: String) {
        #expect(DeviceRule(devicesItem: item) == nil)
    }

    @Test func standardRulesAreTheBaseDev() {
        #expect(DeviceRule.standard.map(\.cgroupV1Line) == [
            "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm",
        ])
    }

    @Test func devnodesTakeTheHostsNode() throws {
        let null = try #require(DeviceRule.devnode("null:r"))
        #expect(null.rule.cgroupV1Line == "c 1:3 rm")
        #expect(null.node.path == "/dev/null")
        for refused in ["null:none", "no-such-node:rw", "../etc/passwd:rw", "null", "shm:rw"] {
            #expect(DeviceRule.devnode(refused) == nil, "\(refused)")
        }
    }

    @Test func bpfRuleCarriesTheSameAccess() {
        let rule = DeviceRule("c", 136, nil, read: true, write: false)
        #expect(rule.cRule.major == 136 && rule.cRule.minor == -1)
        #expect(rule.cRule.access == 2 | 1)  // read and mknod
    }
}
