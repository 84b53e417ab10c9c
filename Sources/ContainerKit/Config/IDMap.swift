import CShims

/// LOCAL_UID/LOCAL_GID: the host ids that ids 0...65535 of a container's
/// user namespace stand for. A container without them (or with 0) has no
/// user namespace: its root is the host's uid 0 with fewer capabilities.
public struct IDMap: Sendable, Equatable {
    public static let count: UInt32 = 65536
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }

    /// `/proc/PID/uid_map` (and gid_map) lines: inside, outside, count.
    public var uidMapLine: String { "0 \(uid) \(Self.count)\n" }
    public var gidMapLine: String { "0 \(gid) \(Self.count)\n" }

    /// The first slot of 65536 ids from `base` on that no container in
    /// `used` shares (uid and gid ranges alike).
    public static func free(base: IDMap, used: [IDMap]) -> IDMap {
        func overlaps(_ a: UInt32, _ b: UInt32) -> Bool { a < b + count && b < a + count }
        var slot: UInt32 = 0
        while true {
            let candidate = IDMap(uid: base.uid + slot * count, gid: base.gid + slot * count)
            if !used.contains(where: { overlaps($0.uid, candidate.uid) || overlaps($0.gid, candidate.gid) }) {
                return candidate
            }
            slot += 1
        }
    }
}

extension CTConfig {
    /// The container's own LOCAL_UID/LOCAL_GID. Only CTID.conf counts: in
    /// vz.conf they are the base for containers created from now on, and a
    /// container created before they existed keeps running as it did.
    public var idMap: IDMap? {
        guard let uid = file?.value("LOCAL_UID").flatMap({ UInt32($0) }), uid != 0 else { return nil }
        let gid = file?.value("LOCAL_GID").flatMap { UInt32($0) } ?? uid
        return gid == 0 ? nil : IDMap(uid: uid, gid: gid)
    }
}

extension Container {
    /// Runs `body` in the mount namespace of the container's init `pid`,
    /// making files as the container's root: with LOCAL_UID its root is
    /// id-mapped and refuses to make files owned by the host's uid 0.
    func withinMountNamespace<T>(of pid: pid_t, _ body: () throws(SysError) -> T) throws(SysError) -> T {
        try NamespaceCalls.within(pid, .mount) { () throws(SysError) -> T in
            guard let map = config.idMap else { return try body() }
            vz_set_fs_ids(map.uid, map.gid)
            defer { vz_set_fs_ids(0, 0) }
            return try body()
        }
    }
}
