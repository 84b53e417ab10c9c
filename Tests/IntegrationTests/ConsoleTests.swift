import Foundation
import Testing

/// vzctl --quiet and --verbose (and VERBOSE in vz.conf), as the classic logger.
@Suite("quiet and verbose", .enabled(if: isRoot, "needs root"))
struct ConsoleTests {
    @Test func quietSilencesTheConsoleNotTheLog() throws {
        let host = try TestHost()
        try host.create("1060")
        var r = host.run("vzctl", "--quiet", "set", "1060", "--hostname", "q1060", "--save")
        #expect(r.code == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
        #expect(host.read(host.confPath("1060"))?.contains("HOSTNAME=\"q1060\"") == true)
        #expect(host.read(host.prefix + "/var/log/vzctl.log")?.contains("vzctl : CT 1060 : CT configuration saved to") == true)
        r = host.run("vzctl", "--quiet", "start", "1060")
        #expect(r.code == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
        // Errors of a command that ran are silenced too; the code tells.
        r = host.run("vzctl", "--quiet", "start", "1060")
        #expect(r.code == 32 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
        r = host.run("vzctl", "--quiet", "set", "1060", "--onboot", "maybe", "--save")
        #expect(r.code == 21 && r.stderr.isEmpty, "\(r)")
        r = host.run("vzctl", "--quiet", "status", "1060")
        #expect(r.stdout == "CTID 1060 exist mounted running\n", "status prints its line: \(r)")
        r = host.run("vzctl", "--quiet", "exec", "1060", "echo", "out")
        #expect(r.stdout == "out\n", "a command's own output stays: \(r)")
        r = host.run("vzctl", "--quiet", "stop", "1060")
        #expect(r.code == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(r)")
        // What vzctl printed straight to stderr before the command ran is not silenced.
        r = host.run("vzctl", "--quiet", "frobnicate", "1060")
        #expect(r.code == 20 && r.stderr == "Bad command: frobnicate\n", "\(r)")
        r = host.run("vzctl", "--quiet", "start", "1060", "--fast")
        #expect(r.code == 20 && r.stderr == "Option --fast is not applicable to start command\n", "\(r)")
        r = host.run("vzctl", "--quiet", "start", "abc")
        #expect(r.code == 21 && r.stderr == "Bad CT ID abc\n", "\(r)")
    }

    /// The unpack's meter shows on a terminal only (script(1) gives vzctl one).
    @Test func progressOnATerminalOnly() throws {
        let host = try TestHost()
        let onTTY = TestHost.run(["script", "-qec", "vzctl create 1062 --ostemplate busybox", "/dev/null"], env: ["VZ_PREFIX": host.prefix])
        #expect(onTTY.code == 0, "\(onTTY)")
        #expect(onTTY.stdout.contains("\rUnpacking the template: 100%\r\n"), "\(onTTY)")
        #expect(host.run("vzctl", "destroy", "1062").code == 0)
        let piped = try host.create("1063")
        #expect(!piped.stdout.contains("Unpacking"), "\(piped)")
        let quiet = TestHost.run(["script", "-qec", "vzctl --quiet create 1064 --ostemplate busybox", "/dev/null"], env: ["VZ_PREFIX": host.prefix])
        #expect(quiet.code == 0 && quiet.stdout.isEmpty, "\(quiet)")
        #expect(host.run("vzctl", "destroy", "1064").code == 0)
    }

    @Test func verboseShowsDetailsByLevel() throws {
        let host = try TestHost()
        try host.create("1061")
        let script = host.prefix + "/etc/vz/conf/1061.premount"
        try "#!/bin/sh\nexit 0\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let detail = "Running: \(script)\n"
        var r = host.run("vzctl", "mount", "1061")
        #expect(r.stdout == "Container is mounted\n", "\(r)")
        #expect(host.run("vzctl", "umount", "1061").code == 0)
        r = host.run("vzctl", "--verbose", "mount", "1061")
        #expect(r.stdout == "Container is mounted\n", "level 1 does not show level-2 details: \(r)")
        #expect(host.run("vzctl", "umount", "1061").code == 0)
        r = host.run("vzctl", "--verbose", "--verbose", "mount", "1061")
        #expect(r.stdout == detail + "Container is mounted\n", "\(r)")
        #expect(host.run("vzctl", "umount", "1061").code == 0)
        // VERBOSE in vz.conf sets the level; --verbose replaces it.
        let conf = host.prefix + "/etc/vz/vz.conf"
        let shipped = host.read(TestHost.packageRoot + "/conf/vz.conf") ?? ""
        try shipped.replacingOccurrences(of: "VERBOSE=0", with: "VERBOSE=2").write(toFile: conf, atomically: true, encoding: .utf8)
        r = host.run("vzctl", "mount", "1061")
        #expect(r.stdout == detail + "Container is mounted\n", "\(r)")
        #expect(host.run("vzctl", "umount", "1061").code == 0)
        r = host.run("vzctl", "--verbose", "mount", "1061")
        #expect(r.stdout == "Container is mounted\n", "\(r)")
        r = host.run("vzctl", "--quiet", "--verbose", "--verbose", "umount", "1061")
        #expect(r.stdout.isEmpty, "\(r)")
    }
}
