#if canImport(Glibc)
import Glibc
#endif

/// Host helper programs (tar, action scripts), started with posix_spawn.
public enum Subprocess {
    /// Runs `argv` with `env` and waits. `stdinPath`/`stdoutPath` redirect, when given.
    public static func run(
        _ argv: [String], env: [String]? = nil, stdinPath: String? = nil,
        stdoutPath: String? = nil
    ) throws(SysError) -> WaitStatus {
        let pid = try spawn(argv, env: env, stdinPath: stdinPath, stdoutPath: stdoutPath)
        return try waitFor(pid)
    }

    public static func spawn(
        _ argv: [String], env: [String]? = nil, stdinPath: String? = nil,
        stdoutPath: String? = nil
    ) throws(SysError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinPath {
            posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        }
        if let stdoutPath {
            posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        var pid: pid_t = 0
        let environment = env ?? currentEnvironment()
        let rc = withCStrings(argv) { cargv in
            withCStrings(environment) { cenv in
                posix_spawnp(&pid, argv[0], &actions, nil, cargv, cenv)
            }
        }
        if rc != 0 { throw SysError("posix_spawn", argv[0], errno: rc) }
        return pid
    }

    public static func currentEnvironment() -> [String] {
        var result: [String] = []
        var p = environ
        while let entry = p.pointee {
            result.append(String(cString: entry))
            p += 1
        }
        return result
    }
}

/// Passes a NULL-terminated C string array to `body`; the strings live only
/// for the duration of the call.
public func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
