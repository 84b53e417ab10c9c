#if canImport(Glibc)
import Glibc
#endif

/// A decoded waitpid(2) status (the W* macros are not importable into Swift).
public enum WaitStatus: Equatable, Sendable {
    case exited(Int32)
    case signaled(Int32)

    init(raw: Int32) {
        let signal = raw & 0x7f
        self = signal == 0 ? .exited((raw >> 8) & 0xff) : .signaled(signal)
    }

    public var succeeded: Bool { self == .exited(0) }

    /// The status as a shell reports it: the code, or 128 + signal.
    public var shellCode: Int32 {
        switch self {
        case .exited(let code): return code
        case .signaled(let sig): return 128 + sig
        }
    }
}

public func waitFor(_ pid: pid_t) throws(SysError) -> WaitStatus {
    var raw: Int32 = 0
    try check("waitpid", "\(pid)") { waitpid(pid, &raw, 0) }
    return WaitStatus(raw: raw)
}
