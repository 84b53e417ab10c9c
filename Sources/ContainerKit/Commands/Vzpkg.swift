/// `vzpkg create cache NAME` and `vzpkg list`: the OS template caches.
/// Only the offline busybox template can be made here so far.
public enum Vzpkg {
    static let usage = """
        Usage: vzpkg create cache busybox
               vzpkg list

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
        case "list":
            for name in cache.names() { print(name) }
            return 0
        case "create" where args.count == 3 && args[1] == "cache":
            let name = args[2]
            guard name == "busybox" else {
                Console.writeErr("vzpkg: no recipe for template \(name) (only busybox can be made offline)")
                return ExitCode.ostemplateNotFound.rawValue
            }
            print("Creating template cache \(cache.dir)/\(name).tar.gz")
            do {
                let path = try BusyboxTemplate.create(cacheDir: cache.dir)
                print("Template cache \(path) was created")
                return 0
            } catch {
                switch error {
                case .noBusybox(let path):
                    Console.writeErr("vzpkg: \(path) not found (install busybox-static)")
                case .notStatic(let path):
                    Console.writeErr("vzpkg: \(path) is not statically linked (install busybox-static)")
                case .system(let cause):
                    Console.writeErr("vzpkg: unable to create the cache: \(cause)")
                }
                return ExitCode.systemError.rawValue
            }
        case "--help", "help":
            print(usage, terminator: "")
            return 0
        default:
            Console.writeErr(usage)
            return ExitCode.invalidSyntax.rawValue
        }
    }
}
