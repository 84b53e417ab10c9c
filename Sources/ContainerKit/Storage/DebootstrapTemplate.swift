#if canImport(Glibc)
import Glibc
#endif

/// Builds a Debian or Ubuntu template with debootstrap, from the archive
/// the host's own apt sources name, and makes the tree boot as a container.
public enum DebootstrapTemplate {
    /// Writes `cacheDir/NAME.tar.gz`. `progress` gets debootstrap's own
    /// progress lines and vzpkg's.
    public static func create(
        _ recipe: DebootstrapRecipe, cacheDir: String, sources: [AptSource] = AptSources.load(),
        progress: (String) -> Void
    ) throws(TemplateError) -> String {
        guard Subprocess.which("debootstrap") != nil else {
            throw .unavailable("debootstrap not found (install it: scripts/deps.sh, or apt-get install debootstrap)")
        }
        guard Files.exists(recipe.keyring) else {
            throw .unavailable("no \(recipe.distribution.rawValue) archive keyring \(recipe.keyring) on this host (install \(recipe.distribution.rawValue)-keyring)")
        }
        // Debian's archive is the one the host uses; for Ubuntu, whatever the
        // sources name, else debootstrap's own default.
        let mirror = AptSources.mirror(sources, serving: recipe.knownSuites)
        if recipe.distribution == .debian && mirror == nil {
            throw .unavailable("no Debian archive in the host's apt sources (/etc/apt/sources.list, sources.list.d)")
        }
        let output = "\(cacheDir)/\(recipe.name).tar.gz"
        let build: TemplateBuild
        do { build = try TemplateBuild.begin(cacheDir: cacheDir) } catch { throw .system(error) }
        defer { build.finish() }
        progress("Running debootstrap \(recipe.suite)\(recipe.minimal ? " (minbase)" : "") for \(recipe.arch) from \(mirror ?? "its default archive")")
        try bootstrap(recipe, into: build.root, mirror: mirror, progress: progress)
        progress("Preparing the tree for containers")
        do {
            let security = AptSources.mirror(sources, serving: recipe.securitySuites)
            try DebianRoot.prepare(build.root, sources: recipe.containerSources(mirror: mirror, security: security))
            progress("Packing \(output)")
            try build.pack(into: output)
        } catch {
            throw .system(error)
        }
        return output
    }

    /// debootstrap in new PID and mount namespaces: the proc and sys it
    /// mounts in the target go with the namespace, and when vzpkg is killed
    /// (unshare dies with it) every process of the run dies too.
    private static func bootstrap(
        _ recipe: DebootstrapRecipe, into root: String, mirror: String?, progress: (String) -> Void
    ) throws(TemplateError) {
        let argv = ["unshare", "--mount", "--pid", "--fork", "--kill-child", "--"]
            + recipe.arguments(target: root, mirror: mirror)
        var errors: [String] = []
        var last = ""
        let status: WaitStatus
        do {
            status = try Subprocess.run(argv) { line in
                if line.hasPrefix("E: ") { errors.append(String(line.dropFirst(3))) }
                if line.hasPrefix("I: ") || line.hasPrefix("W: ") { progress(line) }
                if !line.isEmpty { last = line }
            }
        } catch {
            throw .system(error)
        }
        guard status.succeeded else {
            throw .toolFailed(tool: "debootstrap", detail: errors.last ?? (last.isEmpty ? "exit status \(status.shellCode)" : last))
        }
    }
}
