import Foundation
import Testing

/// The admin's hooks in /etc/vz/conf: which run, where, in which order,
/// with what environment, and what a failing one leaves behind.
@Suite("action scripts", .enabled(if: isRoot, "needs root"))
struct ActionScriptTests {
    /// A host-side script that prints its name, whether the root is mounted
    /// and its environment (minus what the shell adds by itself).
    private func hostScript(_ host: TestHost, _ name: String, _ ctid: String) -> String {
        """
        #!/bin/sh
        if mountpoint -q \(host.rootPath(ctid)); then m=mounted; else m=unmounted; fi
        echo "\(name) $m $(env | grep -v -e '^PWD=' -e '^SHLVL=' -e '^_=' -e '^OLDPWD=' | sort | tr '\\n' ' ')"

        """
    }

    private func install(_ host: TestHost, _ file: String, _ text: String) throws {
        let path = host.prefix + "/etc/vz/conf/" + file
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    private func installAll(_ host: TestHost, _ ctid: String) throws {
        for kind in ["premount", "mount", "umount", "postumount"] {
            try install(host, "vps.\(kind)", hostScript(host, "vps.\(kind)", ctid))
            try install(host, "\(ctid).\(kind)", hostScript(host, "\(ctid).\(kind)", ctid))
        }
        // Inside the container: PID 1 is still vzctl's child before init
        // runs (CTID.start), and the container's init at stop.
        for kind in ["start", "stop"] {
            try install(host, "\(ctid).\(kind)", "echo \"\(ctid).\(kind) $(cat /proc/1/comm) $(env | grep -v -e '^PWD=' -e '^SHLVL=' -e '^_=' | sort | tr '\\n' ' ')\"\n")
        }
    }

    @Test func orderAndEnvironment() throws {
        let host = try TestHost()
        try host.create("1000")
        try installAll(host, "1000")
        let env = "HOME=/ PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=linux VEID=1000 VE_CONFFILE=\(host.confPath("1000")) VZ_PREFIX=\(host.prefix) "
        let inside = "HOME=/ PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=linux "
        let start = TestHost.run(["vzctl", "start", "1000"], env: ["VZ_PREFIX": host.prefix, "LEAKED": "1"])
        #expect(start.code == 0 && start.stderr.isEmpty, "\(start)")
        #expect(start.stdout == """
            Starting container...
            vps.premount unmounted \(env)
            1000.premount unmounted \(env)
            vps.mount mounted \(env)
            1000.mount mounted \(env)
            Container is mounted
            1000.start vzctl \(inside)
            Container start in progress...

            """, "\(start)")
        let stop = host.run("vzctl", "stop", "1000")
        #expect(stop.code == 0 && stop.stderr.isEmpty, "\(stop)")
        #expect(stop.stdout == """
            1000.stop init \(inside)
            Stopping container ...
            Container was stopped
            1000.umount mounted \(env)
            vps.umount mounted \(env)
            Container is unmounted
            1000.postumount unmounted \(env)
            vps.postumount unmounted \(env)

            """, "\(stop)")
        // vzctl mount and umount run the host-side ones alone.
        let mount = host.run("vzctl", "mount", "1000")
        #expect(mount.stdout.split(separator: " ").count > 4)
        #expect(mount.stdout.split(separator: "\n").map { $0.split(separator: " ")[0] } ==
            ["vps.premount", "1000.premount", "vps.mount", "1000.mount", "Container"], "\(mount)")
        let again = host.run("vzctl", "mount", "1000")
        #expect(again.code == 0 && again.stdout.isEmpty && again.stderr == "Container is already mounted\n", "no scripts when mounted: \(again)")
        let umount = host.run("vzctl", "umount", "1000")
        #expect(umount.stdout.split(separator: "\n").map { $0.split(separator: " ")[0] } ==
            ["1000.umount", "vps.umount", "Container", "1000.postumount", "vps.postumount"], "\(umount)")
        // destroy puts the container's scripts aside with its config; the global ones stay.
        #expect(host.run("vzctl", "destroy", "1000").code == 0)
        let conf = host.prefix + "/etc/vz/conf/"
        for kind in ["premount", "mount", "umount", "postumount", "start", "stop"] {
            #expect(FileManager.default.fileExists(atPath: conf + "1000.\(kind).destroyed"), "\(kind)")
            #expect(FileManager.default.fileExists(atPath: conf + "vps.\(kind)") == ["premount", "mount", "umount", "postumount"].contains(kind))
        }
    }

    /// Each script failing in turn: exit 79, one line on stderr, and the
    /// container as it was before the command (or cleanly stopped).
    @Test(arguments: ["premount", "mount", "start", "stop", "umount", "postumount"])
    func failingScript(kind: String) throws {
        let host = try TestHost("failingScript" + kind)
        try host.create("1001")
        let script = host.prefix + "/etc/vz/conf/1001.\(kind)"
        try install(host, "1001.\(kind)", kind == "start" || kind == "stop" ? "exit 3\n" : "#!/bin/sh\nexit 3\n")
        let message = "Error executing \(kind) script \(script)\n"
        switch kind {
        case "premount", "mount", "start":
            let r = host.run("vzctl", "start", "1001")
            #expect(r.code == 79 && r.stderr == message, "\(r)")
            #expect(host.run("vzctl", "status", "1001").stdout == "CTID 1001 exist unmounted down\n")
            #expect(host.cgroupDirs("1001").allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "cgroup left")
            if kind != "start" {
                let m = host.run("vzctl", "mount", "1001")
                #expect(m.code == 79 && m.stderr == message, "\(m)")
                #expect(host.run("vzctl", "status", "1001").stdout == "CTID 1001 exist unmounted down\n")
            }
        case "stop":
            try host.start("1001")
            let r = host.run("vzctl", "stop", "1001")
            #expect(r.code == 79 && r.stderr == message, "\(r)")
            #expect(host.run("vzctl", "status", "1001").stdout == "CTID 1001 exist mounted running\n", "stop aborted")
            #expect(host.run("vzctl", "exec", "1001", "true").code == 0)
            try FileManager.default.removeItem(atPath: script)
        default:
            #expect(host.run("vzctl", "mount", "1001").code == 0)
            let r = host.run("vzctl", "umount", "1001")
            #expect(r.code == 79 && r.stderr == message, "\(r)")
            let state = kind == "umount" ? "mounted" : "unmounted"
            #expect(host.run("vzctl", "status", "1001").stdout == "CTID 1001 exist \(state) down\n", "\(r)")
            try FileManager.default.removeItem(atPath: script)
            _ = host.run("vzctl", "umount", "1001")
        }
    }
}
