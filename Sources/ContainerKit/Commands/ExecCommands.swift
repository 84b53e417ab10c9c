#if canImport(Glibc)
import Glibc
#endif

enum ExecCommands {
    /// exec: 0 or 8; exec2/exec3: the command's own code (3 if killed by a signal).
    static func exec(_ name: String, _ ct: Container, _ words: [String], _ ctx: CommandContext) throws(VZError) -> Int32 {
        guard !words.isEmpty else { throw VZError(.invalidSyntax, "No command line given for exec") }
        let status: WaitStatus
        do {
            status = try name == "exec3" ? ct.execDirect(words) : ct.exec(words)
        } catch {
            if name == "exec" { throw VZError(.commandExecution, error.message) }
            throw error
        }
        switch status {
        case .exited(let code):
            return name == "exec" ? (code == 0 ? 0 : ExitCode.commandExecution.rawValue) : code
        case .signaled(let signal):
            ctx.console.error("Got signal \(signal)")
            return name == "exec" ? ExitCode.commandExecution.rawValue : ExitCode.systemError.rawValue
        }
    }

    static func enter(_ ct: Container, _ words: [String], _ ctx: CommandContext) throws(VZError) -> Int32 {
        var typed: String?
        if let first = words.first {
            guard first == "--exec" else { throw VZError(.invalidSyntax, "Invalid option '\(first)'") }
            guard words.count > 1 else { throw VZError(.invalidSyntax, "No command line given for --exec") }
            typed = words.dropFirst().joined(separator: " ") + "\n"
        }
        _ = try ct.joinableInit()
        ctx.console.say("entered into CT \(ct.ctid)")
        try ct.enter(typed: typed, term: getenv("TERM").map { String(cString: $0) })
        ctx.console.say("exited from CT \(ct.ctid)")
        return 0
    }

    static func runscript(_ ct: Container, _ words: [String], _ ctx: CommandContext) throws(VZError) -> Int32 {
        guard let script = words.first else { throw VZError(.invalidSyntax, "Script not specified") }
        if words.count > 1 { throw VZError(.invalidSyntax, "Invalid extra arguments: \(words.dropFirst().joined(separator: " "))") }
        let fd = open(script, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw VZError(.invalidValue, "Unable to open \(script)", SysError("open", script)) }
        defer { close(fd) }
        let status = try ct.isRunning ? ct.runScript(fd: fd) : ct.runScriptStopped(fd: fd)
        return status.shellCode
    }
}
