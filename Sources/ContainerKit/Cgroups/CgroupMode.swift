#if canImport(Glibc)
import Glibc
#endif
import CShims

/// How the host mounts cgroups, as crun's libcrun_get_cgroup_mode tells it.
public enum CgroupMode: Sendable, Equatable {
    /// Only cgroup2 at the mount root.
    case unified
    /// v1 controller hierarchies (a cgroup2 mount beside them, if any, is not used:
    /// on hybrid hosts it typically has no controllers).
    case legacy(hierarchies: [String: String])

    static let cgroup2Magic = 0x6367_7270
    static let cgroup1Magic = 0x0027_e0eb

    /// cgroup2 mounted at `root` means unified; otherwise each v1 controller
    /// mounted at `root/NAME` (a link such as cpu -> cpu,cpuacct is followed,
    /// so co-mounted controllers share one path). statfs, not mountinfo:
    /// this runs on every command.
    public static func detect(root: String = "/sys/fs/cgroup") throws(SysError) -> CgroupMode {
        let rootType = vz_fs_type(root)
        if rootType < 0 { throw SysError("statfs", root) }
        if rootType == cgroup2Magic { return .unified }
        var hierarchies: [String: String] = [:]
        for controller in CgroupV1.controllers {
            let path = "\(root)/\(controller)"
            guard vz_fs_type(path) == cgroup1Magic else { continue }
            // A link such as cpu -> cpu,cpuacct: co-mounted controllers share one path.
            hierarchies[controller] = Files.readLink(path).map { "\(root)/\($0)" } ?? path
        }
        if vz_fs_type("\(root)/\(CgroupV1.unified)") == cgroup2Magic {
            hierarchies[CgroupV1.unified] = "\(root)/\(CgroupV1.unified)"
        }
        return .legacy(hierarchies: hierarchies)
    }
}
