#if canImport(Glibc)
import Glibc
#endif

/// The admin's hooks in /etc/vz/conf, at the points where vzctl ran them.
public enum ActionScript: String, Sendable, CaseIterable {
    case premount, mount, umount, postumount, start, stop

    /// The host-side ones also exist host-wide as vps.NAME: the global one
    /// runs first on the way up, last on the way down.
    var globalFirst: Bool { self == .premount || self == .mount }
}

extension Container {
    public func scriptPath(_ script: ActionScript) -> String {
        "\(layout.confDir)/\(ctid).\(script.rawValue)"
    }

    public func globalScriptPath(_ script: ActionScript) -> String {
        "\(layout.confDir)/vps.\(script.rawValue)"
    }

    /// The environment vzctl gave host-side scripts, and nothing of ours;
    /// they read vz.conf and $VE_CONFFILE themselves. A prefixed host passes
    /// VZ_PREFIX too, so that a script can find its paths under it.
    var hostScriptEnvironment: [String] {
        var env = InitSpec.defaultEnv + ["VEID=\(ctid)", "VE_CONFFILE=\(layout.ctConfPath(ctid))"]
        if !layout.prefix.isEmpty { env.append("VZ_PREFIX=\(layout.prefix)") }
        return env
    }

    /// Runs vps.NAME and CTID.NAME (those that exist) on the host, in the
    /// classic order; the first that fails stops the rest (code 79).
    func runHostScripts(_ script: ActionScript) throws(VZError) {
        let both = [globalScriptPath(script), scriptPath(script)]
        for path in script.globalFirst ? both : both.reversed() where Files.exists(path) {
            trace(2, "Running: \(path)")
            let status: WaitStatus
            do {
                let null = try check("open", "/dev/null") { open("/dev/null", O_RDONLY | O_CLOEXEC) }
                defer { close(null) }
                let pid = try Subprocess.spawn([path], env: hostScriptEnvironment, stdin: null)
                status = try waitFor(pid)
            } catch {
                throw VZError(.actionScript, "Error executing \(script.rawValue) script \(path): \(error)")
            }
            guard status.succeeded else { throw VZError(.actionScript, "Error executing \(script.rawValue) script \(path)") }
        }
    }

    /// CTID.start or CTID.stop: its text fed to the shell of the container
    /// whose first process is `pid`, with vzctl's minimal environment.
    func runContainerScript(_ script: ActionScript, initPID pid: pid_t) throws(VZError) {
        let path = scriptPath(script)
        guard Files.exists(path) else { return }
        trace(1, "Running container script: \(path)")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw VZError(.actionScript, "Error executing \(script.rawValue) script \(path): \(SysError("open", path))") }
        defer { close(fd) }
        let status: WaitStatus
        do {
            status = try runScript(fd: fd, initPID: pid, returnAfter: true)
        } catch {
            throw VZError(.actionScript, "Error executing \(script.rawValue) script \(path): \(error.message)")
        }
        guard status.succeeded else { throw VZError(.actionScript, "Error executing \(script.rawValue) script \(path)") }
    }

    /// `vzctl mount`: vps.premount and CTID.premount, the mount, then
    /// vps.mount and CTID.mount; a failed mount script unmounts again.
    public func mountWithScripts(progress: (String) -> Void = { _ in }) throws(VZError) {
        try runHostScripts(.premount)
        try mount()
        do {
            try runHostScripts(.mount)
        } catch {
            try? umount()
            throw error
        }
        progress("Container is mounted")
    }

    /// `vzctl umount`: CTID.umount and vps.umount, the unmount, then
    /// CTID.postumount and vps.postumount, which run even when the unmount
    /// failed, as in vzctl (the unmount's error is the one reported).
    public func umountWithScripts(progress: (String) -> Void = { _ in }) throws(VZError) {
        try runHostScripts(.umount)
        var failure: VZError?
        do {
            try umount()
            progress("Container is unmounted")
        } catch {
            failure = error
        }
        try runHostScripts(.postumount)
        if let failure { throw failure }
    }
}
