#if canImport(Glibc)
import Glibc
#endif

/// Where a command's words go, as vzctl's logger sent them: progress to
/// stdout, errors to stderr, both to LOGFILE. `--quiet` silences both on the
/// console (the log still gets them); `--verbose` (or VERBOSE in vz.conf)
/// shows the detail messages of that level too. Syntax errors found before a
/// command runs bypass this (vzctl printed them straight to stderr).
public struct Console: Sendable {
    public var quiet = false
    public var verbose = 0
    public var log: LogFile?

    public init() {}

    public func say(_ line: String) {
        if !quiet { print(line) }
        log?.append(line)
    }

    /// A message only for `--verbose` runs of at least `level`.
    public func detail(_ level: Int, _ line: String) {
        if !quiet && verbose >= level { print(line) }
    }

    public func error(_ line: String) {
        if !quiet { Console.writeErr(line) }
        log?.append(line)
    }

    /// A progress meter for a long operation (`label: N%` redrawn on one
    /// line), or nil where it would only be noise: stdout is not a terminal
    /// (scripts, logs, pipes) or --quiet was given.
    public func meter(_ label: String) -> ((Int) -> Void)? {
        guard !quiet && isatty(1) == 1 else { return nil }
        return { percent in
            print("\r\(label): \(percent)%", terminator: percent >= 100 ? "\n" : "")
            fflush(nil)
        }
    }

    public static func writeErr(_ line: String) {
        fflush(nil)
        let text = line.hasSuffix("\n") ? line : line + "\n"
        _ = try? Files.writeAll(fd: 2, text, path: "stderr")
    }
}

/// What every command gets: the host's layout and config and the console.
public struct CommandContext: Sendable {
    public let layout: Layout
    public let host: HostConfig
    public var console: Console
    public var skipLock = false
    /// Past the syntax checks: errors now go through the console.
    public var commandStarted = false

    public init(layout: Layout, host: HostConfig, console: Console) {
        self.layout = layout
        self.host = host
        self.console = console
    }
}

/// vzctl's log: `YYYY-MM-DDTHH:MM:SS+ZZZZ vzctl : CT N : message` lines.
public struct LogFile: Sendable {
    public let path: String
    public var ctid: CTID?

    public init(path: String) {
        self.path = path
    }

    /// LOGFILE from vz.conf when LOGGING is not "no".
    public static func from(_ host: HostConfig) -> LogFile? {
        guard host.value("LOGGING") != "no" else { return nil }
        return LogFile(path: host.layout.resolve(host.value("LOGFILE") ?? "/var/log/vzctl.log"))
    }

    /// Best effort: a log that cannot be written never fails a command.
    public func append(_ message: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let who = ctid.map { "CT \($0) : " } ?? ""
        var text = ""
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "\(Self.timestamp()) vzctl : \(who)\(line)\n"
        }
        _ = try? Files.writeAll(fd: fd, text, path: path)
    }

    static func timestamp() -> String {
        LocalTime.now("%Y-%m-%dT%H:%M:%S%z")
    }
}
