#if canImport(Glibc)
import Glibc
#endif

/// The `/etc/vz/names/NAME -> /etc/vz/conf/CTID.conf` links.
public enum Naming {
    public static func checkFree(_ name: String, for ctid: CTID, layout: Layout) throws(VZError) {
        if let owner = CTName.resolve(name, layout: layout), owner != ctid,
           Files.exists(layout.ctConfPath(owner)) {
            throw VZError(.setName, "Name \(name) is already used by container \(owner)")
        }
    }

    public static func link(_ name: String, to ctid: CTID, layout: Layout) throws(SysError) {
        try Files.makeDirectories(layout.namesDir)
        let path = layout.namePath(name)
        unlink(path)
        try check("symlink", path) { symlink(layout.ctConfPath(ctid), path) }
    }

    public static func removeLinks(to ctid: CTID, layout: Layout) {
        for name in (try? Files.list(layout.namesDir)) ?? [] where CTName.resolve(name, layout: layout) == ctid {
            unlink(layout.namePath(name))
        }
    }
}
