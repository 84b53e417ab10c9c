#if canImport(Glibc)
import Glibc
#endif

/// Where a command's words go: progress to stdout (unless --quiet), errors to
/// stderr. Scripts treat any stderr text from start/stop/create as failure.
public struct Console: Sendable {
    public var quiet = false
    public var verbose = 0

    public init() {}

    public func say(_ line: String) {
        if !quiet { print(line) }
    }

    public func error(_ line: String) {
        Console.writeErr(line)
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

    public init(layout: Layout, host: HostConfig, console: Console) {
        self.layout = layout
        self.host = host
        self.console = console
    }
}
