#if canImport(Glibc)
import Glibc
#endif

/// A container as the kernel and its config files show it right now. Nothing
/// is remembered between commands: running means its cgroup holds a PID 1.
public struct Container: Sendable {
    public let config: CTConfig
    public let cgroup: any Cgroup
    /// Where detail messages go (level, line): vzctl's `--verbose` output.
    public var trace: @Sendable (Int, String) -> Void = { _, _ in }

    public init(config: CTConfig, cgroup: any Cgroup) {
        self.config = config
        self.cgroup = cgroup
    }

    public static func load(_ ctid: CTID, host: HostConfig) throws(VZError) -> Container {
        do {
            let config = try CTConfig.load(ctid, host: host)
            return Container(config: config, cgroup: try Cgroups.forContainer(ctid, layout: host.layout))
        } catch {
            throw VZError(.systemError, "Unable to read the configuration of CT \(ctid)", error)
        }
    }

    public var ctid: CTID { config.ctid }
    public var layout: Layout { config.layout }

    public func privatePath() throws(VZError) -> String {
        guard let path = config.privatePath else { throw VZError(.privateNotSet, "VE_PRIVATE is not set") }
        return path
    }

    public func rootPath() throws(VZError) -> String {
        guard let path = config.rootPath else { throw VZError(.rootNotSet, "VE_ROOT is not set") }
        return path
    }

    /// The private area exists and CTID.conf exists (vzctl status's "exist").
    public var exists: Bool {
        config.exists && config.privatePath.map(Files.isDirectory) == true
    }

    public var isMounted: Bool {
        config.rootPath.map(Mounts.isMountPoint) ?? false
    }

    /// The host pid of the container's init: the process in its cgroup that
    /// is PID 1 of its own PID namespace.
    public var initPID: pid_t? {
        let found = cgroup.processes().first(where: Self.isNamespaceInit)
        // systemd moves itself into a cgroup below the container's.
        return found ?? cgroup.allProcesses().first(where: Self.isNamespaceInit)
    }

    public var isRunning: Bool { initPID != nil }

    static func isNamespaceInit(_ pid: pid_t) -> Bool {
        ProcessStatus(pid)?.isNamespaceInit ?? false
    }

    public var dumpFile: String { "\(config.host.dumpDir)/Dump.\(ctid)" }
    public var isSuspended: Bool { Files.exists(dumpFile) }
}
