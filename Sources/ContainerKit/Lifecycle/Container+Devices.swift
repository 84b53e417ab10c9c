#if canImport(Glibc)
import Glibc
#endif
import CShims

extension Container {
    /// The devices this container may use: the standard ones, its own disk
    /// node (create only: reading it would read the host's disk under a
    /// directory layout), DEVICES, and DEVNODES with the nodes to make.
    static func devicePolicy(of config: CTConfig, diskNode: InitSpec.DeviceNode?) -> (rules: [DeviceRule], nodes: [InitSpec.DeviceNode]) {
        var rules = DeviceRule.standard
        var nodes: [InitSpec.DeviceNode] = []
        if let disk = diskNode {
            nodes.append(disk)
            rules.append(DeviceRule("b", Int(vz_major(disk.device)), Int(vz_minor(disk.device)), read: false, write: false))
        }
        rules += config.list("DEVICES").compactMap(DeviceRule.init(devicesItem:))
        for grant in config.list("DEVNODES").compactMap(DeviceRule.devnode) {
            rules.append(grant.rule)
            nodes.append(grant.node)
        }
        return (rules, nodes)
    }

    /// `set --devices/--devnodes` on a running container: the new policy,
    /// and the DEVNODES nodes it lacks, made from inside its mount
    /// namespace. A node taken away stays, refused by the policy. (The disk
    /// node was made at start; it needs no rule to be used by path.)
    public func applyDevices(of config: CTConfig) throws(VZError) {
        let pid = try requireInit()
        let policy = Self.devicePolicy(of: config, diskNode: nil)
        do {
            try cgroup.restrict(devices: policy.rules)
            // As the host's root (an fsuid of the container's would drop
            // CAP_MKNOD); /dev is a tmpfs, not id-mapped. Then its root's.
            let owner = self.config.idMap
            try NamespaceCalls.within(pid, .mount) { () throws(SysError) in
                for node in policy.nodes where !Files.exists(node.path) {
                    try node.make()
                    if let owner { try check("lchown", node.path) { lchown(node.path, owner.uid, owner.gid) } }
                }
            }
        } catch {
            throw VZError(.systemError, "Unable to apply the device policy of CT \(ctid)", error)
        }
    }
}
