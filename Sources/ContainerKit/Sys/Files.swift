#if canImport(Glibc)
import Glibc
#endif

/// Whole-file and directory helpers over raw descriptors (no Foundation).
public enum Files {
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func read(_ path: String) throws(SysError) -> String {
        let fd = try check("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        return try readAll(fd: fd, path: path)
    }

    /// A file that one read returns whole when it is short: a regular file
    /// (a short read is its end) or a kernel file of one record, such as
    /// pids.current or /proc/PID/status. Not for multi-record seq files
    /// (cgroup.procs, mountinfo), which end each read at a page.
    /// Saves the read that only finds EOF, which vzlist pays per container.
    public static func readSmall(_ path: String) throws(SysError) -> String {
        let fd = try check("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        let capacity = 16384
        var failure: Int32 = 0
        // Read straight into uninitialized storage: zeroing 16 KiB per file
        // cost vzlist more than parsing.
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var n: Int
            repeat { n = Glibc.read(fd, buffer.baseAddress, capacity) } while n < 0 && errno == EINTR
            if n < 0 { failure = errno }
            count = max(n, 0)
        }
        if failure != 0 { throw SysError("read", path, errno: failure) }
        if bytes.count < capacity { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes, as: UTF8.self) + (try readAll(fd: fd, path: path))
    }

    /// Like `readSmall`, but nil when the file does not exist.
    public static func readIfExists(_ path: String) throws(SysError) -> String? {
        do {
            return try readSmall(path)
        } catch where error.errno == ENOENT {
            return nil
        }
    }

    /// Reads to EOF (a pipe's end, or the end of any file).
    public static func readAll(fd: Int32, path: String) throws(SysError) -> String {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var used = 0
        while true {
            if used == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let n = try check("read", path) {
                bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + used, $0.count - used) }
            }
            if n == 0 { break }
            used += n
        }
        return String(decoding: bytes[0..<used], as: UTF8.self)
    }

    public static func write(_ path: String, _ text: String, mode: mode_t = 0o644) throws(SysError) {
        let fd = try check("open", path) {
            open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        }
        defer { close(fd) }
        try writeAll(fd: fd, text, path: path)
    }

    /// Writes `value` into a file that must exist: cgroup and /proc/sys
    /// files, which are never created by writing.
    public static func writeExisting(_ path: String, _ value: String) throws(SysError) {
        let fd = try check("open", path) { open(path, O_WRONLY | O_TRUNC | O_CLOEXEC) }
        defer { close(fd) }
        try writeAll(fd: fd, value, path: path)
    }

    public static func writeAll(fd: Int32, _ text: String, path: String) throws(SysError) {
        try writeAll(fd: fd, bytes: Array(text.utf8)[...], path: path)
    }

    public static func writeAll(fd: Int32, bytes: ArraySlice<UInt8>, path: String) throws(SysError) {
        var done = 0
        while done < bytes.count {
            let n = try check("write", path) {
                bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            }
            done += n
        }
    }

    /// Writes through a temporary file in the same directory and renames it over
    /// `path`, so a reader sees the old or the new file, never half of one.
    public static func writeAtomically(_ path: String, _ text: String, mode: mode_t = 0o644) throws(SysError) {
        let target = resolvedTarget(path)
        let tmp = target + ".tmp"
        try write(tmp, text, mode: mode)
        do {
            try check("rename", tmp) { rename(tmp, target) }
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// A symlinked config is rewritten at its target, as vzctl does.
    static func resolvedTarget(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// A symlink's target, or nil if `path` is not a link.
    public static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// mkdtemp(3) on `pathPrefix` + "XXXXXX".
    public static func makeTempDirectory(_ pathPrefix: String) throws(SysError) -> String {
        var template = Array((pathPrefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        if !made { throw SysError("mkdtemp", pathPrefix) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// mkstemp(3) on `pathPrefix` + "XXXXXX": the open descriptor and the path.
    public static func makeTempFile(_ pathPrefix: String) throws(SysError) -> (fd: Int32, path: String) {
        var template = Array((pathPrefix + "XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw SysError("mkstemp", pathPrefix) }
        return (fd, String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    public static func list(_ dir: String) throws(SysError) -> [String] {
        guard let d = opendir(dir) else { throw SysError("opendir", dir) }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SysError) {
        if isDirectory(path) { return }
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, mode) != 0 && Glibc.errno != EEXIST {
                throw SysError("mkdir", prefix)
            }
        }
    }

    /// Removes a tree without following symlinks: a container's root may have
    /// planted links that point into the host.
    public static func removeTree(_ path: String) throws(SysError) {
        var st = stat()
        if lstat(path, &st) != 0 {
            if Glibc.errno == ENOENT { return }
            throw SysError("lstat", path)
        }
        if (st.st_mode & S_IFMT) != S_IFDIR {
            try check("unlink", path) { unlink(path) }
            return
        }
        let fd = try check("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        try removeContents(dirfd: fd, path: path, device: st.st_dev)
        try check("rmdir", path) { rmdir(path) }
    }

    /// Empties the directory open at `dirfd` (which it closes). Stays on one
    /// file system, so a mount inside the tree is an error, not a host wipe.
    private static func removeContents(dirfd: Int32, path: String, device: dev_t) throws(SysError) {
        guard let dir = fdopendir(dirfd) else {
            close(dirfd)
            throw SysError("fdopendir", path)
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            var st = stat()
            try check("fstatat", child) { fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                if st.st_dev != device { throw SysError("rmdir", child, errno: EBUSY) }
                let sub = try check("openat", child) {
                    openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
                try removeContents(dirfd: sub, path: child, device: device)
                try check("unlinkat", child) { unlinkat(dirfd, name, AT_REMOVEDIR) }
            } else {
                try check("unlinkat", child) { unlinkat(dirfd, name, 0) }
            }
        }
    }
}
