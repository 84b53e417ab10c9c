#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Block devices as the I/O controllers name them.
public enum BlockDevice {
    /// `MAJOR:MINOR` of the whole disk that holds `path` (the throttle
    /// refuses partitions), or nil for a file system on no block device.
    public static func disk(of path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let id = "\(vz_major(st.st_dev)):\(vz_minor(st.st_dev))"
        let sys = "/sys/dev/block/\(id)"
        guard Files.exists(sys) else { return nil }
        if Files.exists(sys + "/partition"), let parent = try? Files.read(sys + "/../dev") {
            return parent.trimmingBlanks().replacingNewlines()
        }
        return id
    }

    /// The file behind a loop device (`/dev/loopN`), as the kernel names it.
    public static func loopBackingFile(_ device: String) -> String? {
        guard device.hasPrefix("/dev/loop") else { return nil }
        let name = device.dropFirst("/dev/".count)
        return (try? Files.readSmall("/sys/block/\(name)/loop/backing_file"))?.replacingNewlines()
    }

    /// The loop devices that have `file` behind them, mounted or not (a
    /// lazily detached mount keeps its device until its last user is gone).
    public static func loopDevices(backedBy file: String) -> [String] {
        guard let real = realpath(file, nil) else { return [] }
        let path = String(cString: real)
        free(real)
        let names = ((try? Files.list("/sys/block")) ?? []).filter { $0.hasPrefix("loop") }
        return names.map { "/dev/" + $0 }.filter { loopBackingFile($0) == path }
    }
}
