/// `vzpkg`: OS template caches (`create cache NAME`, `list`) and the
/// packages of running containers (`install CTID PKG...`, `update CTID`).
public enum Vzpkg {
    static let usage = """
        Usage: vzpkg create cache NAME
               vzpkg list
               vzpkg install CTID PACKAGE...
               vzpkg update CTID

        NAME is busybox (made offline from the host's busybox-static) or
        <dist>-<version>-<arch>[-minimal] for a Debian or Ubuntu release that
        debootstrap knows, e.g. debian-12-x86_64-minimal.

        """

    public static func main(_ args: [String]) -> Int32 {
        let layout = Layout.fromEnvironment()
        let host: HostConfig
        do {
            host = try HostConfig.load(layout)
        } catch {
            Console.writeErr("Unable to open \(layout.vzConfPath): \(error.reason)")
            return ExitCode.noConfig.rawValue
        }
        let cache = TemplateCache(dir: host.cacheDir)
        switch args.first {
        case "list" where args.count == 1:
            for name in cache.names() { print(name) }
            return 0
        case "create" where args.count == 3 && args[1] == "cache":
            return createCache(args[2], in: cache)
        case "install" where args.count >= 3, "update" where args.count == 2:
            do {
                return try packages(args, host: host)
            } catch {
                Console.writeErr(error.message)
                return error.code.rawValue
            }
        case "--help", "help":
            print(usage, terminator: "")
            return 0
        default:
            Console.writeErr(usage)
            return ExitCode.invalidSyntax.rawValue
        }
    }

    static func createCache(_ name: String, in cache: TemplateCache) -> Int32 {
        let recipe = DebootstrapRecipe(name)
        guard name == "busybox" || recipe != nil else {
            Console.writeErr("vzpkg: no recipe for OS template \(name) (busybox, or <dist>-<version>-<arch>[-minimal] of: \(releases))")
            return ExitCode.ostemplateNotFound.rawValue
        }
        print("Creating template cache \(cache.dir)/\(name).tar.gz")
        do throws(TemplateError) {
            let path: String
            if let recipe {
                path = try DebootstrapTemplate.create(recipe, cacheDir: cache.dir) { print($0) }
            } else {
                path = try BusyboxTemplate.create(cacheDir: cache.dir)
            }
            print("Template cache \(path) was created")
            return 0
        } catch {
            Console.writeErr("vzpkg: \(error)")
            return ExitCode.systemError.rawValue
        }
    }

    /// The releases there are recipes for, e.g. `debian-12`, for the error text.
    static var releases: String {
        var seen: [String] = []
        for name in DebootstrapRecipe.names {
            let release = name.split(separator: "-").prefix(2).joined(separator: "-")
            if !seen.contains(release) { seen.append(release) }
        }
        return seen.joined(separator: ", ")
    }

    /// install/update: the container's package manager, inside it. A
    /// failing step's exit status becomes VZ_INSTALL_APPS_ERROR.
    static func packages(_ args: [String], host: HostConfig) throws(VZError) -> Int32 {
        let ctid = try Vzctl.resolveCTID(args[1], host.layout)
        let ct = try Container.load(ctid, host: host)
        guard ct.config.exists else { throw VZError(.noVEConfig, "Container config file does not exist") }
        let request: PackageRequest = args[0] == "update" ? .update : .install(Array(args.dropFirst(2)))
        let status = try ct.runPackageManager(request)
        guard status.succeeded else {
            throw VZError(.installAppsError, "Package \(args[0]) in CT \(ctid) failed: apt-get exit code \(status.shellCode)")
        }
        return 0
    }
}
