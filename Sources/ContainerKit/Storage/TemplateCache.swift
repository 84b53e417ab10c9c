#if canImport(Glibc)
import Glibc
#endif

/// OS template caches: `TEMPLATE/cache/NAME.tar[.gz|.bz2|.xz|.zst]`.
public struct TemplateCache: Sendable {
    public static let suffixes = [".tar", ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst"]
    public let dir: String

    public init(dir: String) {
        self.dir = dir
    }

    /// The first existing tarball for `name`, in vzctl's lookup order.
    public func tarball(_ name: String) -> String? {
        Self.suffixes.map { "\(dir)/\(name)\($0)" }.first(where: Files.exists)
    }

    /// Names of the caches present, sorted.
    public func names() -> [String] {
        let files = (try? Files.list(dir)) ?? []
        var names = Set<String>()
        for file in files {
            for suffix in Self.suffixes.reversed() where file.hasSuffix(suffix) {
                names.insert(String(file.dropLast(suffix.count)))
                break
            }
        }
        return names.sorted()
    }

    /// Unpacks a cache into `target` (which must exist), keeping numeric
    /// owners, modes, ACLs and xattrs.
    /// With `meter`, the tarball is fed to tar from here, so that it learns
    /// how far the unpack is (percent of the tarball read).
    public static func unpack(_ tarball: String, into target: String, meter: ((Int) -> Void)? = nil) throws(SysError) {
        let argv = ["tar", "--numeric-owner", "-p", "--acls", "--xattrs", "--xattrs-include=*", "-S", "-x", "-C", target]
        // tar's own complaint becomes the reason (one line), not chatter on our stderr.
        let (status, output) = if let meter {
            // tar does not guess the compression of a pipe.
            try Subprocess.runCapturing(argv + compression(of: tarball) + ["-f", "-"], feeding: tarball, meter: meter)
        } else {
            try Subprocess.runCapturing(argv + ["-f", tarball])
        }
        if !status.succeeded { throw SysError(program: "tar -x", tarball, output: output) }
    }

    static func compression(of tarball: String) -> [String] {
        for (suffix, flag) in [(".gz", "-z"), (".bz2", "-j"), (".xz", "-J"), (".zst", "--zstd")] where tarball.hasSuffix(suffix) {
            return [flag]
        }
        return []
    }
}
