#if canImport(Glibc)
import Glibc
#endif
import CShims

/// The disk limits of a simfs container: project quota of the host file
/// system (ext4 mounted with prjquota, XFS with pquota), the container's
/// private area being project CTID, inherited by everything made in it.
/// What vzquota did on OpenVZ kernels, with the upstream kernel's own quota.
public enum ProjectQuota {
    public struct Usage: Sendable {
        public let kb: Int64
        public let inodes: Int64
    }

    /// What create and set say where a simfs container's limits cannot hold.
    public static let notEnforced = "WARNING: Disk limits of a simfs container are not enforced here: the host file system keeps no project quota (or use --layout ploop)"

    /// Whether the file system holding `path` enforces project quota.
    public static func isAvailable(at path: String) -> Bool { usage(at: path, id: 0) != nil }

    /// The project `dir` passes on to what is made in it, if any.
    public static func project(of dir: String) -> UInt32? {
        var id: UInt32 = 0
        guard vz_project_of(dir, &id) == 0, id != 0 else { return nil }
        return id
    }

    /// Makes `dir` project `id` and gives the project its limits (KB and
    /// inodes, soft:hard; nil or 0 = none). Files already in `dir` are not
    /// moved into the project: this is done before a create unpacks.
    public static func apply(_ dir: String, id: UInt32, space: (soft: Int64, hard: Int64)?, inodes: (soft: Int64, hard: Int64)?) throws(SysError) {
        if project(of: dir) != id {
            try check("set project of", dir) { vz_project_assign(dir, id) }
        }
        try check("quotactl Q_SETQUOTA project \(id)", dir) {
            vz_project_limit(dir, id, UInt64(space?.soft ?? 0), UInt64(space?.hard ?? 0),
                             UInt64(inodes?.soft ?? 0), UInt64(inodes?.hard ?? 0))
        }
    }

    public static func usage(at path: String, id: UInt32) -> Usage? {
        var bytes: UInt64 = 0, inodes: UInt64 = 0
        guard vz_project_usage(path, id, &bytes, &inodes) == 0 else { return nil }
        return Usage(kb: Int64((bytes + 1023) / 1024), inodes: Int64(inodes))
    }
}
