#if canImport(Glibc)
import Glibc
#endif
import CShims

extension Container {
    /// The devices this container may use: the standard ones, its own disk
    /// node (create only: reading it would read the host's disk under a
    /// directory layout), DEVICES, and DEVNODES with the nodes to make.
    func devicePolicy(diskNode: InitSpec.DeviceNode?) -> (rules: [DeviceRule], nodes: [InitSpec.DeviceNode]) {
        var rules = DeviceRule.standard
        var nodes: [InitSpec.DeviceNode] = []
        if let disk = diskNode {
            nodes.append(disk)
            rules.append(DeviceRule("b", Int(vz_major(disk.device)), Int(vz_minor(disk.device)), read: false, write: false))
        }
        rules += config.list("DEVICES").compactMap(DeviceRule.init(devicesItem:))
        for item in config.list("DEVNODES") {
            guard let colon = item.lastIndex(of: ":"), let perms = DeviceRule.perms(item[item.index(after: colon)...])
            else { continue }
            let path = "/dev/" + item[..<colon]
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFCHR || (st.st_mode & S_IFMT) == S_IFBLK else { continue }
            let type: Character = (st.st_mode & S_IFMT) == S_IFBLK ? "b" : "c"
            rules.append(DeviceRule(type, Int(vz_major(st.st_rdev)), Int(vz_minor(st.st_rdev)), read: perms.read, write: perms.write))
            nodes.append(InitSpec.DeviceNode(path: path, mode: (st.st_mode & S_IFMT) | 0o600, device: st.st_rdev))
        }
        return (rules, nodes)
    }
}
