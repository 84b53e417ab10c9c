#if canImport(Glibc)
import Glibc
#endif

/// `vzctl [flags] COMMAND CTID [options]`: global flags, the command word,
/// the CTID, then the command's own options.
public enum Vzctl {
    public static let version = "4.11.1-vzkit"

    public static func main(_ args: [String]) -> Int32 {
        var console = Console()
        var verbose: Int?
        var skipLock = false
        var rest = args[...]
        // Global flags come before the command; anything else ends them.
        flags: while let flag = rest.first {
            switch flag {
            case "--quiet": console.quiet = true
            case "--verbose": verbose = (verbose ?? 0) + 1
            case "--skiplock": skipLock = true
            case "--version":
                print("vzctl version \(version)")
                return 0
            case "--help":
                print(CommandTable.usage, terminator: "")
                return 0
            default: break flags
            }
            rest.removeFirst()
        }
        guard let word = rest.popFirst() else {
            Console.writeErr(CommandTable.usage)
            return ExitCode.invalidSyntax.rawValue
        }
        if word == "help" {
            if let name = rest.first, let spec = CommandTable.find(name) {
                print(CommandTable.help(spec), terminator: "")
                return 0
            }
            print(CommandTable.usage, terminator: "")
            return rest.isEmpty ? 0 : ExitCode.invalidSyntax.rawValue
        }
        guard let spec = CommandTable.find(word) else {
            Console.writeErr("Bad command: \(word)")
            return ExitCode.invalidSyntax.rawValue
        }
        let layout = Layout.fromEnvironment()
        let host: HostConfig
        do {
            host = try HostConfig.load(layout)
        } catch {
            console.error("Unable to open \(layout.vzConfPath): \(error.reason)")
            return ExitCode.noConfig.rawValue
        }
        console.log = LogFile.from(host)
        // --verbose wins over VERBOSE; status prints its line and errors only.
        console.verbose = spec.name == "status" ? -1 : verbose ?? Int(host.value("VERBOSE") ?? "") ?? 0
        for problem in host.file.problems { console.error(problem.description) }
        var context = CommandContext(layout: layout, host: host, console: console)
        context.skipLock = skipLock
        do {
            return try run(spec, Array(rest), &context)
        } catch {
            if context.commandStarted { context.console.error(error.message) } else { Console.writeErr(error.message) }
            return error.code.rawValue
        }
    }

    static func run(_ spec: CommandSpec, _ args: [String], _ ctx: inout CommandContext) throws(VZError) -> Int32 {
        guard let first = args.first else { throw VZError(.invalidValue, "CT ID missing") }
        let ctid = try resolveCTID(first, ctx.layout)
        ctx.console.log?.ctid = ctid
        if ctid.value == 0 && spec.name != "set" {
            throw VZError(.invalidValue, "Only set actions are allowed for CT0")
        }
        var parsed = ParsedArguments()
        if spec.rawArguments {
            parsed.positionals = Array(args.dropFirst())
        } else {
            do {
                parsed = try Getopt.parse(args.dropFirst(), spec.options)
            } catch {
                throw VZError(spec.unknownOptionCode, "vzctl: \(error)")
            }
            // start, stop and restart share one option table.
            if let allowed = CommandTable.applicable[spec.name], let option = parsed.options.first(where: { !allowed.contains($0.name) }) {
                throw VZError(.invalidSyntax, "Option --\(option.name) is not applicable to \(spec.name) command")
            }
            if !parsed.positionals.isEmpty {
                let words = parsed.positionals.joined(separator: " ")
                throw VZError(.invalidSyntax, spec.options.isEmpty ? "Invalid options: \(words)" : "Invalid extra arguments: \(words)")
            }
        }
        ctx.commandStarted = true
        var container = try Container.load(ctid, host: ctx.host)
        container.trace = { [console = ctx.console] level, line in console.detail(level, line) }
        if let file = container.config.file {
            for problem in file.problems + file.duplicates(ignoring: ConfigKeys.listKeys) {
                ctx.console.error(problem.description)
            }
        }
        if spec.needsConfig && !container.config.exists {
            throw VZError(.noVEConfig, "Container config file does not exist")
        }
        let lock = try (spec.takesLock && !ctx.skipLock) ? takeLock(ctid, ctx) : nil
        defer { lock?.release() }
        if spec.takesLock { try container.finishInterruptedSnapshot() }
        // A chkpnt, restore, start or stop killed half-way is finished or
        // undone by whichever command takes the lock next.
        if lock != nil { try container.recoverInterruptedCommands() }
        return try Commands.run(spec.name, container, parsed, ctx)
    }

    /// A decimal CTID, or a name from /etc/vz/names.
    public static func resolveCTID(_ word: String, _ layout: Layout) throws(VZError) -> CTID {
        if let ctid = CTID(word) { return ctid }
        if let ctid = CTName.resolve(word, layout: layout) {
            if let config = try? CTConfig.load(ctid, host: HostConfig.load(layout)), config.name != word {
                throw VZError(.invalidValue, "Unable to find container by name \(word)")
            }
            return ctid
        }
        throw VZError(.invalidValue, "Bad CT ID \(word)")
    }

    static func takeLock(_ ctid: CTID, _ ctx: CommandContext) throws(VZError) -> CTLock {
        do {
            return try CTLock(dir: ctx.host.lockDir, ctid: ctid)
        } catch {
            switch error {
            case .locked(let pid, let cmdline):
                throw VZError(.locked, "Container already locked\nLocked by: pid \(pid), cmdline \(cmdline)")
            case .io(let cause):
                throw VZError(.systemError, "Unable to lock container", cause)
            }
        }
    }
}
