#if canImport(Glibc)
import Glibc
#endif

/// How the host mounts cgroups, as crun's libcrun_get_cgroup_mode tells it.
public enum CgroupMode: Sendable, Equatable {
    /// Only cgroup2 at the mount root.
    case unified
    /// v1 controller hierarchies (a cgroup2 mount beside them, if any, is not used:
    /// on hybrid hosts it typically has no controllers).
    case legacy(hierarchies: [String: String])

    /// Reads the mounts of the calling process: fstype `cgroup2` mounted at
    /// `root` means unified; otherwise each `cgroup` (v1) mount's controllers.
    public static func detect(root: String = "/sys/fs/cgroup", mountinfo: String? = nil) throws(SysError) -> CgroupMode {
        let text: String
        if let mountinfo { text = mountinfo } else { text = try Files.read("/proc/self/mountinfo") }
        var hierarchies: [String: String] = [:]
        for line in text.split(separator: "\n") {
            // id parent major:minor root mountpoint options [optional...] - fstype source superopts
            let parts = line.split(separator: " - ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let left = parts[0].split(separator: " ")
            let right = parts[1].split(separator: " ")
            guard left.count > 4, right.count > 2 else { continue }
            let point = Mounts.unescape(String(left[4]))
            if right[0] == "cgroup2" && point == root { return .unified }
            guard right[0] == "cgroup", point.hasPrefix(root + "/") else { continue }
            for option in right[2].split(separator: ",") where CgroupV1.controllers.contains(String(option)) {
                hierarchies[String(option)] = point
            }
        }
        return .legacy(hierarchies: hierarchies)
    }
}
