#if canImport(Glibc)
import Glibc
#endif
import CShims

extension Container {
    /// `vzctl enter`: a login shell on a new pty of the container's own devpts,
    /// relayed to our terminal. `typed` is written to the shell as input first
    /// (`--exec`). Returns when the shell exits.
    public func enter(typed: String?, term: String?) throws(VZError) {
        let pid = try joinableInit()
        let bash = Self.isExecutable("/proc/\(pid)/root/bin/bash")
        let path = bash ? "/bin/bash" : "/bin/sh"
        var master: Int32 = -1
        var slave: Int32 = -1
        let ptmx = "/proc/\(pid)/root/dev/pts/ptmx"
        if vz_open_pty(ptmx, &master, &slave) != 0 {
            throw VZError(.systemError, "Unable to open a pty in CT \(ctid)", SysError("open", ptmx))
        }
        defer { close(master) }
        TerminalRelay.copyWindowSize(to: master)
        var env = [InitSpec.defaultPath, "HISTFILE=/dev/null", "USER=root", "HOME=/root", "LOGNAME=root"]
        if let term { env.append("TERM=" + term) }
        var spec = Attach.Spec(path: path, argv: [bash ? "-bash" : "-sh"], env: env, stdio: [slave, slave, slave])
        spec.controllingTTY = true
        let child: pid_t
        do {
            child = try Attach.spawn(spec, initPID: pid, cgroup: cgroup)
        } catch {
            close(slave)
            throw VZError(.systemError, "Unable to enter CT \(ctid)", error)
        }
        close(slave)
        if let typed { _ = try? Files.writeAll(fd: master, typed, path: "pty") }
        TerminalRelay.run(master: master)
        _ = try? waitFor(child)
    }
}
