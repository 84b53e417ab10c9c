import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import ContainerKit

@Suite struct CTIDTests {
    @Test(arguments: ["0", "1", "101", "2147483644", "007"])
    func valid(_ text: String) {
        #expect(CTID(text) != nil)
    }

    @Test(arguments: ["", "-1", "2147483645", "99999999999", "1a", "abc", " 1", "+1", "1.0", "٣"])
    func invalid(_ text: String) {
        #expect(CTID(text) == nil)
    }

    @Test func names() {
        #expect(CTName.isValid("web-1.example_a+b c"))
        #expect(!CTName.isValid("a/b"))
        #expect(!CTName.isValid(""))
        #expect(!CTName.isValid("ünï"))
    }
}

@Suite struct UBCValueTests {
    @Test(arguments: [
        ("240:240", UBCUnit.items, Int64(240), Int64(240)),
        ("100", .items, 100, 100),
        ("unlimited", .items, Int64.max, Int64.max),
        ("0:256M", .pages, 0, 65536),
        ("5M", .pages, 1280, 1280),
        ("1.5G:2G", .bytes, 1_610_612_736, 2_147_483_648),
        ("10k:1p", .bytes, 10240, 4096),
        ("0:unlimited", .pages, 0, Int64.max),
    ])
    func parses(text: String, unit: UBCUnit, barrier: Int64, limit: Int64) throws {
        let pair = try #require(UBCValue.parsePair(text, unit: unit))
        #expect(pair.barrier == barrier && pair.limit == limit)
    }

    @Test(arguments: [("10M", UBCUnit.items), ("1:2:3", .items), ("x", .bytes), ("1Q", .bytes), ("", .items)])
    func rejects(text: String, unit: UBCUnit) {
        #expect(UBCValue.parsePair(text, unit: unit) == nil)
    }
}

@Suite struct LayoutTests {
    @Test func prefixMovesEveryPath() {
        let layout = Layout(prefix: "/srv/hostB/")
        #expect(layout.vzConfPath == "/srv/hostB/etc/vz/vz.conf")
        #expect(layout.ctConfPath(CTID(7)) == "/srv/hostB/etc/vz/conf/7.conf")
        #expect(layout.resolve("/vz/private/7") == "/srv/hostB/vz/private/7")
        #expect(layout.cgroupParent.hasPrefix("vz-") && layout.cgroupParent.count == 19)
        #expect(Layout(prefix: "").cgroupParent == "vz")
        #expect(Layout(prefix: "").resolve("/vz/root/1") == "/vz/root/1")
        #expect(Layout(prefix: "/a").cgroupParent != Layout(prefix: "/b").cgroupParent)
    }
}

@Suite struct LockTests {
    @Test func secondLockIsRefusedAndReleaseFreesIt() throws {
        let dir = makeTempDirectory("vzlock-test")
        defer { try? Files.removeTree(dir) }
        let first = try CTLock(dir: dir, ctid: CTID(5))
        #expect(try Files.read(dir + "/5.lck") == "\(getpid())\n\n")
        #expect(throws: CTLock.Failure.self) { _ = try CTLock(dir: dir, ctid: CTID(5)) }
        _ = try CTLock(dir: dir, ctid: CTID(6)) // other containers are independent
        first.release()
        #expect(!Files.exists(dir + "/5.lck"))
        let again = try CTLock(dir: dir, ctid: CTID(5))
        again.release()
        #expect(try Files.list(dir).isEmpty, "temporary files left behind")
    }

    @Test func staleLocksAreTakenOver() throws {
        let dir = makeTempDirectory("vzlock-test")
        defer { try? Files.removeTree(dir) }
        try Files.write(dir + "/9.lck", "2147483000\n\n")  // no such pid
        let lock = try CTLock(dir: dir, ctid: CTID(9))
        #expect(try Files.read(dir + "/9.lck") == "\(getpid())\n\n")
        lock.release()
        try Files.write(dir + "/9.lck", "garbage\n")
        _ = try CTLock(dir: dir, ctid: CTID(9))
    }
}
