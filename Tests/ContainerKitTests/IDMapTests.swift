import Testing
@testable import ContainerKit

@Suite struct IDMapTests {
    let host = HostConfig(file: ConfigFile(path: "vz.conf", text: DefaultConfig.vzConf), layout: Layout(prefix: ""))

    func config(_ text: String?) -> CTConfig {
        CTConfig(ctid: CTID("101")!, host: host, file: text.map { ConfigFile(path: "101.conf", text: $0) })
    }

    @Test func theShippedDefaultsGiveABase() {
        #expect(host.value("LOCAL_UID") == "100000" && host.value("LOCAL_GID") == "100000")
    }

    /// Only CTID.conf counts: vz.conf's base does not reach an existing
    /// container's config without the keys.
    @Test(arguments: [
        (nil, nil), ("", nil), ("LOCAL_UID=0\nLOCAL_GID=0\n", nil), ("LOCAL_UID=0\n", nil),
        ("LOCAL_UID=100000\nLOCAL_GID=100000\n", IDMap(uid: 100000, gid: 100000)),
        ("LOCAL_UID=\"165536\"\nLOCAL_GID=\"200000\"\n", IDMap(uid: 165536, gid: 200000)),
        ("LOCAL_UID=300000\n", IDMap(uid: 300000, gid: 300000)),
        ("LOCAL_UID=300000\nLOCAL_GID=0\n", nil), ("LOCAL_UID=x\n", nil),
    ] as [(String?, IDMap?)])
    func mapOfAContainer(_ text: String?, _ expected: IDMap?) {
        #expect(config(text).idMap == expected)
    }

    @Test func mapLines() {
        let map = IDMap(uid: 165536, gid: 200000)
        #expect(map.uidMapLine == "0 165536 65536\n" && map.gidMapLine == "0 200000 65536\n")
    }

    @Test func freeSlots() {
        let base = IDMap(uid: 100000, gid: 100000)
        #expect(IDMap.free(base: base, used: []) == base)
        #expect(IDMap.free(base: base, used: [base]) == IDMap(uid: 165536, gid: 165536))
        // A hole is used again; an overlap (even a partial one, or of gids only) is not.
        let second = IDMap(uid: 165536, gid: 165536)
        #expect(IDMap.free(base: base, used: [second]) == base)
        #expect(IDMap.free(base: base, used: [IDMap(uid: 150000, gid: 900000)]) == IDMap(uid: 231072, gid: 231072))
        #expect(IDMap.free(base: base, used: [IDMap(uid: 900000, gid: 99999)]) == IDMap(uid: 165536, gid: 165536))
        #expect(IDMap.free(base: base, used: [base, second]) == IDMap(uid: 231072, gid: 231072))
    }
}
