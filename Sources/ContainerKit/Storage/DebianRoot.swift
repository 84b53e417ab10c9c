#if canImport(Glibc)
import Glibc
#endif

/// What a fresh debootstrap tree needs to boot as a vzkit container and to
/// be copied many times: no gettys on terminals a container does not have,
/// init reporting its default runlevel to `vzctl start --wait`, and none of
/// the build host's identity or downloads.
enum DebianRoot {
    static func prepare(_ root: String, sources: String?) throws(SysError) {
        if let sources { try replace(root + "/etc/apt/sources.list", sources) }
        let inittab = root + "/etc/inittab"
        if let text = try Files.readIfExists(inittab) { try Files.write(inittab, containerInittab(text)) }
        // debootstrap copied these from the build host.
        try replace(root + "/etc/hostname", "localhost\n")
        try replace(root + "/etc/resolv.conf", "")
        try replace(root + "/etc/hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n")
        if Files.exists(root + "/etc/machine-id") { try replace(root + "/etc/machine-id", "") }
        for dir in ["/var/cache/apt/archives", "/var/lib/apt/lists", "/var/cache/apt"] {
            for name in try Files.list(root + dir) where name.hasSuffix(".deb") || name.hasSuffix(".bin") || name.contains("_") {
                try Files.removeTree("\(root)\(dir)/\(name)")
            }
        }
    }

    /// The inittab without getty lines, plus one that reports the default
    /// runlevel (after its rc scripts, which come first in the file).
    static func containerInittab(_ text: String) -> String {
        let marker = "vz:2345:once:"
        var lines = Text.ownedLines(text).filter { line in
            let fields = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            let getty = !line.hasPrefix("#") && fields.count == 4 && fields[2] == "respawn" && fields[3].contains("getty")
            return !getty && !line.hasPrefix(marker)
        }
        lines.append(marker + InitSpec.reportStarted)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A regular file with this text (a link debootstrap left is replaced, not followed).
    private static func replace(_ path: String, _ text: String) throws(SysError) {
        if unlink(path) != 0 && errno != ENOENT { throw SysError("unlink", path) }
        try Files.write(path, text)
    }
}
