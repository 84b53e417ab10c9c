/// A Debian or Ubuntu template name, `<dist>-<version>-<arch>[-minimal]`
/// (e.g. `debian-12-x86_64-minimal`), as the debootstrap run that makes it.
public struct DebootstrapRecipe: Sendable, Equatable {
    public enum Distribution: String, Sendable, CaseIterable {
        case debian, ubuntu
    }

    public let name: String
    public let distribution: Distribution
    public let suite: String
    /// dpkg's name for the architecture.
    public let arch: String
    /// `-minimal`: debootstrap's minbase variant (essential packages and apt).
    public let minimal: Bool

    static let suites: [Distribution: [(version: String, suite: String)]] = [
        .debian: [("10", "buster"), ("11", "bullseye"), ("12", "bookworm"), ("13", "trixie")],
        .ubuntu: [("20.04", "focal"), ("22.04", "jammy"), ("24.04", "noble")],
    ]
    static let arches = [("x86_64", "amd64"), ("aarch64", "arm64")]

    public init?(_ name: String) {
        var parts = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        minimal = parts.last == "minimal"
        if minimal { parts.removeLast() }
        guard parts.count == 3,
              let distribution = Distribution(rawValue: parts[0]),
              let suite = Self.suites[distribution]?.first(where: { $0.version == parts[1] })?.suite,
              let arch = Self.arches.first(where: { $0.0 == parts[2] })?.1
        else { return nil }
        self.name = name
        self.distribution = distribution
        self.suite = suite
        self.arch = arch
    }

    /// Every name there is a recipe for (for help texts and completion).
    public static var names: [String] {
        Distribution.allCases.flatMap { dist in
            (suites[dist] ?? []).flatMap { release in
                arches.flatMap { arch in
                    ["", "-minimal"].map { "\(dist.rawValue)-\(release.version)-\(arch.0)\($0)" }
                }
            }
        }
    }

    /// The suites of this distribution, to find its archive among the
    /// host's apt sources.
    var knownSuites: Set<String> {
        Set((Self.suites[distribution] ?? []).map(\.suite))
            .union(distribution == .debian ? ["stable", "oldstable", "testing", "unstable", "sid"] : [])
    }

    /// The security suites: the archive that serves the host's own
    /// release its security updates serves every release's.
    var securitySuites: Set<String> { Set(knownSuites.map { $0 + "-security" }) }

    /// The container's apt sources: the release, its -updates and its
    /// security updates, from the archives the template came from, so that
    /// `vzpkg update` brings fixes (debootstrap writes the release alone).
    /// nil without a mirror: debootstrap's default stays.
    func containerSources(mirror: String?, security: String?) -> String? {
        guard let mirror else { return nil }
        let components = distribution == .ubuntu ? "main universe" : "main"
        var lines = ["deb \(mirror) \(suite) \(components)", "deb \(mirror) \(suite)-updates \(components)"]
        switch distribution {
        case .ubuntu: lines.append("deb \(mirror) \(suite)-security \(components)")
        case .debian:
            // buster's security suite still had the old name.
            if let security { lines.append("deb \(security) \(suite == "buster" ? "buster/updates" : suite + "-security") main") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var keyring: String { "/usr/share/keyrings/\(distribution.rawValue)-archive-keyring.gpg" }

    /// The container boots sysvinit (vzkit starts /sbin/init and stops a
    /// container with its own halt); Ubuntu has it in universe only.
    func arguments(target: String, mirror: String?) -> [String] {
        var args = ["debootstrap", "--arch=\(arch)", "--keyring=\(keyring)", "--include=sysvinit-core"]
        if minimal { args.append("--variant=minbase") }
        if distribution == .ubuntu { args.append("--components=main,universe") }
        args += [suite, target]
        if let mirror { args.append(mirror) }
        return args
    }
}
