#if canImport(Glibc)
import Glibc
#endif

/// `vzmigrate [options] DEST CTID|NAME`: moves a container to another host
/// over ssh and rsync, the classic script's options and exit codes
/// (reference: other-tools.md §3). Progress on stdout, one line of error
/// on stderr.
public enum Vzmigrate {
    static let usage = """
        Usage: vzmigrate [-r yes|no] [--ssh=<options>] [--rsync=<options>] [--keep-dst]
                         [--online|--live] [-t|--times] [--check-only] [-v] [-h]
                         <destination_address> <CTID|name>
        Options:
        -r, --remove-area yes|no   remove the container on source after migration (default yes)
        --ssh=<options>            more ssh options (ssh -o BatchMode=yes <options> root@DEST)
        --rsync=<options>          more rsync options (rsync -aHAX --delete --numeric-ids <options>)
        --keep-dst                 keep the copy on destination if migration fails
        --online, --live           migrate a running container without stopping it (CRIU)
        -t, --times                show the time the container was frozen
        --check-only, --dry-run    check the destination only
        -v                         verbose (twice: show every ssh and rsync command)
        -h, --help                 this help

        """

    public static func main(_ args: [String]) -> Int32 {
        var options = MigrateOptions()
        var positionals: [String] = []
        var words = args[...]
        func fail(_ message: String) -> Int32 {
            Console.writeErr("vzmigrate: \(message) (see vzmigrate --help)")
            return MigrateCode.usage.rawValue
        }
        while let word = words.popFirst() {
            if word == "--" {
                positionals += words
                break
            }
            guard word.hasPrefix("-") && word.count > 1 else {
                positionals.append(word)
                continue
            }
            // --name=value, --name value; -r value, -rvalue.
            var name = word
            var inline: String?
            if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq])
                inline = String(word[word.index(after: eq)...])
            } else if word.hasPrefix("-r") && word.count > 2 && !word.hasPrefix("--") {
                name = "-r"
                inline = String(word.dropFirst(2))
            }
            func value() -> String? { inline ?? words.popFirst() }
            switch name {
            case "--online", "--live": options.online = true
            case "--keep-dst": options.keepDestination = true
            case "--check-only", "--dry-run": options.checkOnly = true
            case "-t", "--times": options.times = true
            case "-h", "--help", "--usage":
                print(usage, terminator: "")
                return 0
            case "-r", "--remove-area":
                switch value() {
                case "yes": options.removeArea = true
                case "no": options.removeArea = false
                default: return fail("-r takes yes or no")
                }
            case "--ssh":
                guard let v = value() else { return fail("--ssh needs a value") }
                options.ssh = v
            case "--rsync":
                guard let v = value() else { return fail("--rsync needs a value") }
                options.rsync = v
            // ploop compaction and snapshots, CPU checks, ssh multiplexing:
            // nothing to do here, accepted as the classic script did.
            case "-c", "--compact", "-s", "--snapshot", "-f", "--nodeps", "--ssh-mux": break
            default:
                if word.hasPrefix("-v") && word.dropFirst().allSatisfy({ $0 == "v" }) {
                    options.verbose += word.count - 1
                } else if word == "--verbose" {
                    options.verbose += 1
                } else {
                    return fail("invalid option \(word)")
                }
            }
        }
        guard positionals.count == 2 else {
            return fail(positionals.count < 2 ? "destination and CTID are required" : "too many arguments")
        }
        do throws(MigrateError) {
            try migrate(destination: positionals[0], positionals[1], options)
            return 0
        } catch {
            Console.writeErr(error.message)
            return error.code.rawValue
        }
    }

    static func migrate(destination: String, _ word: String, _ options: MigrateOptions) throws(MigrateError) {
        let layout = Layout.fromEnvironment()
        let host: HostConfig
        do {
            host = try HostConfig.load(layout)
        } catch {
            throw MigrateError(.notOnSource, "Unable to open \(layout.vzConfPath): \(error.reason)")
        }
        let ctid: CTID
        do {
            ctid = try Vzctl.resolveCTID(word, layout)
        } catch {
            throw MigrateError(.notOnSource, "CT \(word) does not exist")
        }
        let lock: CTLock
        do {
            lock = try CTLock(dir: host.lockDir, ctid: ctid)
        } catch {
            switch error {
            case .locked(let pid, _): throw MigrateError(.locked, "CT \(ctid) is locked by pid \(pid)")
            case .io(let cause): throw MigrateError(.locked, "Unable to lock CT \(ctid): \(cause)")
            }
        }
        defer { lock.release() }
        let ct: Container
        do throws(VZError) {
            ct = try Container.load(ctid, host: host)
            guard ct.config.exists else { throw VZError(.noVEConfig, "") }
            try ct.finishInterruptedSnapshot()
            try ct.recoverInterruptedCommands()
        } catch {
            throw MigrateError(.notOnSource, error.message.isEmpty ? "CT \(ctid) does not exist" : error.message)
        }
        var options = options
        options.progress = isatty(1) == 1
        var remote = RemoteHost(destination, ssh: options.ssh, rsync: options.rsync)
        if options.verbose > 1 { remote.trace = { print("+ " + $0) } }
        defer { remote.close() }
        var migration = Migration(ct, to: remote, options) { print($0) }
        let began = Migration.now()
        try migration.run()
        if options.times { print("Total time: \(Migration.seconds(Migration.now() - began)) s") }
    }
}
