#if canImport(Glibc)
import Glibc
#endif

/// Builds the offline `busybox` OS template from the host's static busybox:
/// a root with busybox and its applet links, an inittab that reports the
/// default runlevel to `vzctl start --wait`, and the basic /etc files.
public enum BusyboxTemplate {
    static let inittab = """
        ::sysinit:/etc/init.d/rcS
        ::once:\(InitSpec.reportStarted)

        """

    static let files: [(path: String, mode: mode_t, text: String)] = [
        ("etc/inittab", 0o644, inittab),
        ("etc/init.d/rcS", 0o755, "#!/bin/sh\n[ -r /etc/hostname ] && hostname -F /etc/hostname\nexit 0\n"),
        ("etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"),
        ("etc/group", 0o644, "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n"),
        ("etc/shadow", 0o600, "root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n"),
        ("etc/hosts", 0o644, "127.0.0.1 localhost\n::1 localhost\n"),
        ("etc/os-release", 0o644, "NAME=\"vzkit busybox\"\nID=busybox\n"),
    ]

    static let directories = [
        "bin", "sbin", "usr/bin", "usr/sbin", "etc/init.d", "proc", "sys", "dev", "root", "tmp",
        "var/run", "var/log", "home", "mnt",
    ]

    /// Writes `cacheDir/busybox.tar.gz` from `busybox` (default: the host's).
    public static func create(cacheDir: String, busybox: String = "/bin/busybox", name: String = "busybox") throws(TemplateError) -> String {
        guard Files.exists(busybox) else { throw .unavailable("\(busybox) not found (install busybox-static)") }
        guard isStatic(busybox) else { throw .unavailable("\(busybox) is not statically linked (install busybox-static)") }
        let output = "\(cacheDir)/\(name).tar.gz"
        do throws(SysError) {
            let build = try TemplateBuild.begin(cacheDir: cacheDir)
            defer { build.finish() }
            try populate(build.root, busybox: busybox)
            try build.pack(into: output)
        } catch {
            throw .system(error)
        }
        return output
    }

    private static func populate(_ root: String, busybox: String) throws(SysError) {
        for dir in directories { try Files.makeDirectories("\(root)/\(dir)") }
        // The staging directory is mkdtemp's 0700; as the container's / it
        // would keep every user but root out of everything.
        chmod(root, 0o755)
        chmod("\(root)/tmp", 0o1777)
        chmod("\(root)/root", 0o700)
        try copy(busybox, to: "\(root)/bin/busybox")
        // `--list-full` names every applet with its usual directory.
        let list = "\(root)/.applets"
        let status = try Subprocess.run([busybox, "--list-full"], stdoutPath: list)
        if !status.succeeded { throw SysError("busybox --list-full", busybox, errno: EIO) }
        let applets = try Files.read(list)
        unlink(list)
        for applet in applets.split(separator: "\n") where applet != "bin/busybox" {
            let path = "\(root)/\(applet)"
            let depth = applet.split(separator: "/").count - 1
            let target = String(repeating: "../", count: depth) + "bin/busybox"
            if let slash = path.lastIndex(of: "/") { try Files.makeDirectories(String(path[..<slash])) }
            if symlink(target, path) != 0 && errno != EEXIST { throw SysError("symlink", path) }
        }
        for file in files {
            try Files.write("\(root)/\(file.path)", file.text, mode: file.mode)
            chmod("\(root)/\(file.path)", file.mode)
        }
    }

    private static func copy(_ source: String, to target: String) throws(SysError) {
        let status = try Subprocess.run(["cp", "--preserve=mode", source, target])
        if !status.succeeded { throw SysError("cp", source, errno: EIO) }
    }

    /// An ELF with no PT_INTERP program header needs no loader or libraries.
    static func isStatic(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 64)
        guard pread(fd, &header, 64, 0) == 64, header[0..<4] == [0x7f, 0x45, 0x4c, 0x46], header[4] == 2 else {
            return false
        }
        func le(_ bytes: ArraySlice<UInt8>) -> Int {
            bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
        }
        let phoff = le(header[32..<40])
        let phentsize = le(header[54..<56])
        let phnum = le(header[56..<58])
        var entry = [UInt8](repeating: 0, count: 4)
        for i in 0..<phnum {
            guard pread(fd, &entry, 4, off_t(phoff + i * phentsize)) == 4 else { return false }
            if le(entry[0..<4]) == 3 { return false }  // PT_INTERP
        }
        return true
    }
}
