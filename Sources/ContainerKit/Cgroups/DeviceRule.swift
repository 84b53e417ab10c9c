#if canImport(Glibc)
import Glibc
#endif
import CShims

/// One device a container may use, as the devices cgroup (v1) or the BPF
/// device program (v2) states it. Every device not granted is denied.
public struct DeviceRule: Sendable, Equatable {
    /// "b", "c" or "a" (either).
    public var type: Character
    /// nil: any.
    public var major: Int?
    public var minor: Int?
    public var read = true
    public var write = true
    public var mknod = true

    public init(_ type: Character, _ major: Int?, _ minor: Int?, read: Bool = true, write: Bool = true, mknod: Bool = true) {
        self.type = type
        self.major = major
        self.minor = minor
        self.read = read
        self.write = write
        self.mknod = mknod
    }

    /// What every container gets: the nodes its /dev is made of (null,
    /// zero, full, random, urandom, tty, ptmx) and its own pseudo-terminals.
    public static let standard: [DeviceRule] = [
        DeviceRule("c", 1, 3), DeviceRule("c", 1, 5), DeviceRule("c", 1, 7), DeviceRule("c", 1, 8),
        DeviceRule("c", 1, 9), DeviceRule("c", 5, 0), DeviceRule("c", 5, 2), DeviceRule("c", 136, nil),
    ]

    /// The line devices.allow takes: `c 1:3 rwm`, `c 136:* rwm`.
    var cgroupV1Line: String {
        let access = (read ? "r" : "") + (write ? "w" : "") + (mknod ? "m" : "")
        return "\(type) \(major.map(String.init) ?? "*"):\(minor.map(String.init) ?? "*") \(access)"
    }

    var cRule: vz_device_rule {
        let access = (read ? Int32(VZ_DEV_READ) : 0) | (write ? Int32(VZ_DEV_WRITE) : 0) | (mknod ? Int32(VZ_DEV_MKNOD) : 0)
        return vz_device_rule(type: CChar(type.asciiValue ?? 0), major: Int32(major ?? -1), minor: Int32(minor ?? -1), access: access)
    }
}

extension DeviceRule {
    /// A DEVICES item, `b|c:MAJOR:MINOR|all:[r][w][q]` (q, quota, grants
    /// nothing here); nil when malformed or `none`.
    public init?(devicesItem item: String) {
        let parts = item.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "b" || parts[0] == "c", let major = Int(parts[1]),
              let perms = Self.perms(parts[3])
        else { return nil }
        let minor = parts[2] == "all" ? nil : Int(parts[2])
        guard parts[2] == "all" || minor != nil else { return nil }
        self.init(Character(String(parts[0])), major, minor, read: perms.read, write: perms.write)
    }

    /// `[r][w][q]`; nil for `none`, an empty or a bad value. The container
    /// may create the node of a device it may use (mknod).
    static func perms(_ text: Substring) -> (read: Bool, write: Bool)? {
        guard !text.isEmpty, text != "none", text.allSatisfy({ "rwq".contains($0) }) else { return nil }
        let read = text.contains("r"), write = text.contains("w")
        return read || write ? (read, write) : nil
    }
}

extension DeviceRule {
    /// A DEVNODES item, `name:[r][w][q]` with `name` under the host's /dev:
    /// the rule and the node to make, or nil when malformed, `none`, not a
    /// device, or a loop device (it would reach files of the host's).
    public static func devnode(_ item: String) -> (rule: DeviceRule, node: InitSpec.DeviceNode)? {
        guard let colon = item.lastIndex(of: ":"), let perms = perms(item[item.index(after: colon)...]) else { return nil }
        let name = item[..<colon]
        guard !name.isEmpty, !name.split(separator: "/").contains("..") else { return nil }
        let path = "/dev/" + name
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let kind = st.st_mode & S_IFMT
        guard kind == S_IFCHR || kind == S_IFBLK, vz_major(st.st_rdev) != 7 else { return nil }
        let rule = DeviceRule(kind == S_IFBLK ? "b" : "c", Int(vz_major(st.st_rdev)), Int(vz_minor(st.st_rdev)),
                              read: perms.read, write: perms.write)
        return (rule, InitSpec.DeviceNode(path: path, mode: kind | 0o600, device: st.st_rdev))
    }
}
