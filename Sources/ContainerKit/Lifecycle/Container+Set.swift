#if canImport(Glibc)
import Glibc
#endif

extension Container {
    /// Writes the limits of `config` into the container's cgroups (at start,
    /// and live: then numfile also reaches the processes already running).
    @discardableResult
    public func applyLimits(of config: CTConfig) throws(VZError) -> ResourceLimits {
        let limits = ResourceLimits.from(config)
        do {
            try cgroup.apply(limits)
            // Processes already running get numfile too (best effort: one may exit meanwhile).
            if let files = limits.files {
                for pid in cgroup.processes() { try? Rlimit.setOpenFiles(files, pid: pid) }
            }
        } catch {
            throw VZError(.setUBCError, "Unable to apply the resource limits of CT \(ctid)", error)
        }
        return limits
    }

    /// Writes the guest's network files of the running container from
    /// inside its mount namespace.
    public func applyGuest(_ settings: GuestSettings) throws(VZError) {
        let pid = try requireInit()
        do {
            try withinMountNamespace(of: pid) { () throws(SysError) in try GuestFiles.apply(settings) }
        } catch {
            throw VZError(.badDNSServer, "Unable to write the network files of CT \(ctid)", error)
        }
    }

    /// Changes the hostname of the running container: this process joins the
    /// container's UTS namespace (and nothing else) to set it.
    public func setHostname(_ name: String) throws(VZError) {
        let pid = try requireInit()
        do {
            let fds = try NamespaceCalls.open(of: pid, .uts)
            defer { for (fd, _) in fds { close(fd) } }
            try NamespaceCalls.setns(fds[0].fd, .uts)
            try check("sethostname", name) { sethostname(name, name.utf8.count) }
        } catch {
            throw VZError(.badHostname, "Unable to set the hostname of CT \(ctid)", error)
        }
    }
}
