#if canImport(Glibc)
import Glibc
#endif

/// /proc/PID/status, read once per question: the facts vzctl needs about a
/// process it did not start (a container's init, CRIU's children).
struct ProcessStatus {
    let text: String

    init?(_ pid: String) {
        guard let text = try? Files.readSmall("/proc/\(pid)/status") else { return nil }
        self.text = text
    }

    init?(_ pid: pid_t) { self.init(String(pid)) }

    /// The words after "KEY:", e.g. NSpid's pids from the host's namespace inward.
    func fields(_ key: String) -> [Substring] {
        Text.line(startingWith: key + ":", in: text).map(Text.fields) ?? []
    }

    var name: String { fields("Name").first.map(String.init) ?? "" }

    /// PID 1 of its own PID namespace.
    var isNamespaceInit: Bool {
        let ids = fields("NSpid")
        return ids.count > 1 && ids.last == "1"
    }

    var isZombie: Bool { fields("State").first == "Z" }

    /// Its seccomp filter is installed: for a container's init, the last
    /// step of its setup (root, masks, capabilities are done before it).
    var hasFilter: Bool { fields("Seccomp").first == "2" }

    /// SIGKILL is pending for it (ShdPnd: the process-wide signals, a mask
    /// in hex; SIGKILL is bit 9).
    var hasKillPending: Bool {
        guard let mask = fields("ShdPnd").first.flatMap({ UInt64($0, radix: 16) }) else { return false }
        return mask & (1 << (UInt64(SIGKILL) - 1)) != 0
    }
}
