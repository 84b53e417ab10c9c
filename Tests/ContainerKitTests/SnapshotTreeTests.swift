import Testing
@testable import ContainerKit

@Suite struct SnapshotTreeTests {
    static let a = "{11111111-1111-1111-1111-111111111111}"
    static let b = "{22222222-2222-2222-2222-222222222222}"
    static let c = "{33333333-3333-3333-3333-333333333333}"

    func chain() -> SnapshotTree {
        var tree = SnapshotTree()
        tree.add(uuid: Self.a, date: "2026-01-01 00:00:00", name: "a", description: "")
        tree.add(uuid: Self.b, date: "2026-01-01 00:00:01", name: "b\twith tab", description: "two\nlines \\ here")
        tree.add(uuid: Self.c, date: "2026-01-01 00:00:02", name: "c", description: "")
        return tree
    }

    @Test func newSnapshotsAreChildrenOfTheCurrentOne() {
        let tree = chain()
        #expect(tree.snapshots.map(\.parent) == ["", Self.a, Self.b])
        #expect(tree.current?.uuid == Self.c)
        #expect(tree.chain(from: Self.c)?.map(\.uuid) == [Self.c, Self.b, Self.a])
    }

    @Test func textRoundTripKeepsTabsNewlinesAndBackslashes() throws {
        let tree = chain()
        let parsed = try SnapshotTree.parse(tree.text).get()
        #expect(parsed == tree)
        #expect(SnapshotTree.parse("# c\nnot a snapshot\n") == .failure(.init(line: 2)))
    }

    @Test func deletingHandsChildrenToTheParentAndCurrentToIt() {
        var tree = chain()
        tree.remove(Self.b)
        #expect(tree.find(Self.c)?.parent == Self.a)
        #expect(tree.current?.uuid == Self.c)
        tree.remove(Self.c)
        #expect(tree.current?.uuid == Self.a)
        var switched = chain()
        switched.setCurrent(Self.a)
        #expect(switched.current?.uuid == Self.a && switched.snapshots.filter(\.current).count == 1)
    }

    @Test(arguments: [
        ("11111111-aaaa-BBBB-1111-111111111111", "{11111111-aaaa-BBBB-1111-111111111111}"),
        ("{11111111-1111-1111-1111-111111111111}", "{11111111-1111-1111-1111-111111111111}"),
        ("11111111-1111-1111-1111-11111111111", nil),
        ("11111111-1111-1111-1111-1111111111111", nil),
        ("1111111g-1111-1111-1111-111111111111", nil),
        ("11111111_1111-1111-1111-111111111111", nil),
        ("", nil),
    ] as [(String, String?)])
    func uuidsAreNormalizedLikeVzctl(given: String, expected: String?) {
        #expect(SnapshotTree.normalize(given) == expected)
    }
}
