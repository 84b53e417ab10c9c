#if canImport(Glibc)
import Glibc
#endif
import CShims

/// mount(2)/umount2(2) with errors that name the target, and mountinfo reading.
public enum Mounts {
    public static func mount(
        _ source: String, _ target: String, type: String? = nil,
        flags: UInt = 0, data: String? = nil
    ) throws(SysError) {
        try check("mount", target) { Glibc.mount(source, target, type, flags, data) }
    }

    public static func unmount(_ target: String, flags: Int32 = 0) throws(SysError) {
        try check("umount", target) { umount2(target, flags) }
    }

    /// Every mount point of the caller's mount namespace, in mountinfo order.
    public static func all() throws(SysError) -> [String] {
        try entries().map(\.point)
    }

    /// One line of mountinfo: where, what from, and the file system's options.
    public struct Entry: Sendable {
        public let point: String
        public let source: String
        public let options: [String]
        public var type: String = ""
    }

    /// Every mount of the caller's mount namespace, in mountinfo order.
    public static func entries() throws(SysError) -> [Entry] {
        let text = try Files.read("/proc/self/mountinfo")
        return Text.lines(text).compactMap { line in
            let fields = Text.fields(line)
            // ID PARENT DEV ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER
            guard fields.count > 4, let dash = fields.firstIndex(of: "-"), dash + 3 < fields.count else { return nil }
            return Entry(point: unescape(String(fields[4])), source: unescape(String(fields[dash + 2])),
                         options: fields[dash + 3].split(separator: ",").map(String.init), type: String(fields[dash + 1]))
        }
    }

    /// What is mounted at `path` now (the last mount there).
    public static func entry(at path: String) -> Entry? {
        ((try? entries()) ?? []).last { $0.point == path }
    }

    /// Mount points at or below `path` in the caller's mount namespace, deepest first.
    public static func mountPoints(under path: String) throws(SysError) -> [String] {
        try all().filter { $0 == path || $0.hasPrefix(path + "/") }.sorted { $0.count > $1.count }
    }

    public static func isMountPoint(_ path: String) -> Bool {
        switch vz_is_mount_root(path) {
        case 1: return true
        case 0: return false
        default:
            // statx without STATX_ATTR_MOUNT_ROOT (before 5.8): ask mountinfo.
            guard errno == EOPNOTSUPP else { return false }
            return (try? mountPoints(under: path).contains(path)) ?? false
        }
    }

    /// Unmounts everything at or below `path`, deepest first. A busy mount
    /// (processes of a killed container still on their way out) gets half a
    /// second before it is detached lazily.
    public static func unmountTree(_ path: String) throws(SysError) {
        for point in try mountPoints(under: path) {
            for attempt in 0..<20 {
                do {
                    try unmount(point)
                    break
                } catch where error.errno == EBUSY {
                    if attempt == 19 { try unmount(point, flags: Int32(MNT_DETACH)) }
                    usleep(25_000)
                } catch where error.errno == EINVAL {
                    break  // already gone with its parent
                }
            }
        }
    }

    /// mountinfo escapes space, tab, newline and backslash as octal.
    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 3 < b.count,
               let v = UInt8(String(decoding: b[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                out.append(v)
                i += 4
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
