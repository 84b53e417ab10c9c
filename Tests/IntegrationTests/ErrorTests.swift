import Foundation
import Testing

/// Bad input gets vzctl's one-line message and exit code, and changes nothing.
@Suite("errors and exit codes", .enabled(if: isRoot, "needs root"))
struct ErrorTests {
    @Test(arguments: [
        (["vzctl"], 20, "Usage: vzctl"),
        (["vzctl", "frobnicate", "101"], 20, "Bad command: frobnicate\n"),
        (["vzctl", "start"], 21, "CT ID missing\n"),
        (["vzctl", "start", "abc"], 21, "Bad CT ID abc\n"),
        (["vzctl", "start", "2147483645"], 21, "Bad CT ID 2147483645\n"),
        (["vzctl", "start", "-5"], 21, "Bad CT ID -5\n"),
        (["vzctl", "start", "0"], 21, "Only set actions are allowed for CT0\n"),
        (["vzctl", "start", "999"], 14, "Container config file does not exist\n"),
        (["vzctl", "exec", "999", "true"], 14, "Container config file does not exist\n"),
    ])
    func rejectedBeforeAnyContainer(args: [String], code: Int32, message: String) throws {
        let host = try TestHost()
        let result = TestHost.run(args, env: ["VZ_PREFIX": host.prefix])
        #expect(result.code == code, "\(args): \(result)")
        #expect(result.stderr.hasPrefix(message), "\(args): \(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test func optionErrors() throws {
        let host = try TestHost()
        try host.create("120")
        let before = host.read(host.confPath("120"))
        let cases: [([String], Int32, String)] = [
            (["start", "120", "--bogus"], 20, "vzctl: unrecognized option '--bogus'\n"),
            (["start", "120", "--fast"], 20, "Option --fast is not applicable to start command\n"),
            (["stop", "120", "--wait"], 20, "Option --wait is not applicable to stop command\n"),
            (["start", "120", "extra"], 20, "Invalid extra arguments: extra\n"),
            (["mount", "120", "extra"], 20, "Invalid options: extra\n"),
            (["set", "120", "--bogus", "1"], 21, "vzctl: unrecognized option '--bogus'\n"),
            (["set", "120", "--se", "x"], 21, "vzctl: option '--se' is ambiguous; possibilities: '--setmode' '--searchdomain'\n"),
            (["set", "120", "--hostname"], 21, "vzctl: option '--hostname' requires an argument\n"),
            (["set", "120", "--onboot", "maybe", "--save"], 21, "Bad parameter for --onboot: maybe\n"),
            (["set", "120", "--name", "web"], 131, "Error: unable to use --name option without --save\n"),
            (["set", "120", "--name", "bad/name", "--save"], 21, "Bad parameter for --name: bad/name\n"),
            (["set", "120", "--stop-timeout", "5"], 20, "Error: unable to use --stop-timeout option without --save\n"),
            (["exec", "120"], 20, "No command line given for exec\n"),
            (["enter", "120", "--bogus"], 20, "Invalid option '--bogus'\n"),
            (["runscript", "120"], 20, "Script not specified\n"),
        ]
        for (args, code, message) in cases {
            let result = TestHost.run(["vzctl"] + args, env: ["VZ_PREFIX": host.prefix])
            #expect(result.code == code, "\(args): \(result)")
            #expect(result.stderr == message, "\(args): \(result)")
        }
        #expect(host.read(host.confPath("120")) == before, "a rejected command changed the config")
        #expect(host.run("vzctl", "status", "120").stdout == "CTID 120 exist unmounted down\n")
    }

    @Test func runningStateConflicts() throws {
        let host = try TestHost()
        try host.create("121")
        var r = host.run("vzctl", "exec", "121", "true")
        #expect(r.code == 8 && r.stderr == "Container is not running\n", "\(r)")
        r = host.run("vzctl", "exec2", "121", "true")
        #expect(r.code == 31 && r.stderr == "Container is not running\n", "\(r)")
        r = host.run("vzctl", "enter", "121")
        #expect(r.code == 31, "\(r)")
        r = host.run("vzctl", "stop", "121")
        #expect(r.code == 0 && r.stderr == "Unable to stop: container is not running\n" && r.stdout.isEmpty, "\(r)")
        try host.start("121")
        r = host.run("vzctl", "start", "121")
        #expect(r.code == 32 && r.stderr == "Container is already running\n", "\(r)")
        r = host.run("vzctl", "destroy", "121")
        #expect(r.code == 32 && r.stderr == "Container is currently running. Stop it first.\n", "\(r)")
        r = host.run("vzctl", "umount", "121")
        #expect(r.code == 32, "\(r)")
        r = host.run("vzctl", "set", "121", "--root", "/elsewhere", "--save")
        #expect(r.code == 32, "\(r)")
        #expect(FileManager.default.fileExists(atPath: host.rootPath("121") + "/bin/busybox"))
        #expect(host.run("vzctl", "exec", "121", "true").code == 0)
        #expect(host.run("vzctl", "stop", "121", "--fast").code == 0)
        #expect(host.run("vzctl", "mount", "121").code == 0)
        r = host.run("vzctl", "destroy", "121")
        #expect(r.code == 41 && r.stderr == "Container is currently mounted (umount first)\n", "\(r)")
    }

    @Test func disabledContainerStartsOnlyWithForce() throws {
        let host = try TestHost()
        try host.create("129")
        #expect(host.run("vzctl", "set", "129", "--disabled", "yes", "--save").code == 0)
        let refused = host.run("vzctl", "start", "129")
        #expect(refused.code == 105 && refused.stderr == "Container start disabled\n", "\(refused)")
        #expect(host.initPID("129") == nil)
        #expect(host.run("vzctl", "status", "129").stdout == "CTID 129 exist unmounted down\n")
        #expect(host.run("vzctl", "start", "129", "--force").code == 0)
        #expect(host.run("vzlist", "-H", "-o", "disabled", "129").stdout == "   yes\n")
    }

    @Test func createErrors() throws {
        let host = try TestHost()
        try host.create("122")
        var r = host.run("vzctl", "create", "122", "--ostemplate", "busybox")
        #expect(r.code == 44 && r.stderr == "Private area already exists in \(host.privatePath("122"))\n", "\(r)")
        r = host.run("vzctl", "create", "122", "--ostemplate", "busybox", "--config", "basic")
        #expect(r.code == 82, "\(r)")
        r = host.run("vzctl", "create", "123", "--ostemplate", "nosuch")
        #expect(r.code == 91, "\(r)")
        #expect(r.stderr.hasPrefix("Cached OS template \(host.prefix)/vz/template/cache/nosuch.tar"))
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("123")))
        r = host.run("vzctl", "create", "124", "--ostemplate", "busybox", "--config", "nosuch")
        #expect(r.code == 82, "\(r)")
        #expect(!FileManager.default.fileExists(atPath: host.confPath("124")))
        r = host.run("vzctl", "create", "125", "--layout", "zfs")
        #expect(r.code == 21, "\(r)")
    }

    @Test func lockedContainer() throws {
        let host = try TestHost()
        try host.create("126")
        let lockDir = host.prefix + "/vz/lock"
        try FileManager.default.createDirectory(atPath: lockDir, withIntermediateDirectories: true)
        // A lock held by a live process (this test) refuses the command.
        try "\(getpid())\n\n".write(toFile: lockDir + "/126.lck", atomically: true, encoding: .utf8)
        let r = host.run("vzctl", "start", "126")
        #expect(r.code == 9, "\(r)")
        #expect(r.stderr.hasPrefix("Container already locked\nLocked by: pid \(getpid()),"))
        #expect(host.initPID("126") == nil)
        // exec and status take no lock.
        #expect(host.run("vzctl", "status", "126").code == 0)
        // A lock left by a dead process is taken over.
        let dead = TestHost.run(["sh", "-c", "echo $$"], env: [:]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try "\(dead)\n\n".write(toFile: lockDir + "/126.lck", atomically: true, encoding: .utf8)
        try host.start("126")
        #expect(!FileManager.default.fileExists(atPath: lockDir + "/126.lck"), "lock not released")
    }

    @Test func killedCommandsLeaveARepairableState() throws {
        let host = try TestHost()
        try host.create("127")
        // kill -9 vzctl start at different moments; each time the next
        // commands must bring the container to a clean, consistent state.
        for delay in stride(from: 0, to: 40_000, by: 4_000) {
            let pid = try spawnVzctl(host, ["start", "127"])
            usleep(useconds_t(delay))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let stop = host.run("vzctl", "stop", "127", "--fast")
            #expect(stop.code == 0, "after kill at \(delay) µs: \(stop)")
            #expect(host.run("vzctl", "status", "127").stdout == "CTID 127 exist unmounted down\n", "after kill at \(delay) µs")
            try host.start("127")
            #expect(host.run("vzctl", "exec", "127", "true").code == 0)
            #expect(host.run("vzctl", "stop", "127", "--fast").code == 0)
        }
        // kill -9 during create (of either layout; the image one is killed
        // while its image is mounted to unpack into): the next create
        // finishes the job.
        let layouts = [["--layout", "simfs"], ["--layout", "ploop", "--diskspace", "64M", "--diskinodes", "4000"]]
        for delay in [0, 5_000, 20_000, 40_000] {
            let layout = layouts[delay / 5_000 % 2]
            let pid = try spawnVzctl(host, ["create", "128", "--ostemplate", "busybox"] + layout)
            usleep(useconds_t(delay))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let again = TestHost.run(["vzctl", "create", "128", "--ostemplate", "busybox"] + layout, env: ["VZ_PREFIX": host.prefix])
            let destroy = host.run("vzctl", "destroy", "128")
            #expect(again.code == 0 || again.code == 44, "create after kill at \(delay) µs: \(again)")
            #expect(destroy.code == 0, "\(destroy)")
            #expect(!FileManager.default.fileExists(atPath: host.privatePath("128") + ".tmp"))
            #expect(!FileManager.default.fileExists(atPath: host.privatePath("128") + ".tmp.mnt"))
            #expect(!host.loopDeviceLeft("128"), "loop device left")
            try? FileManager.default.removeItem(atPath: host.confPath("128") + ".destroyed")
        }
    }

    private func spawnVzctl(_ host: TestHost, _ args: [String]) throws -> pid_t {
        var pid: pid_t = 0
        let argv = ["vzctl"] + args
        var env = ProcessInfo.processInfo.environment
        env["VZ_PREFIX"] = host.prefix
        let cargv = argv.map { strdup($0) } + [nil]
        let cenv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cargv + cenv).forEach { free($0) } }
        let rc = posix_spawn(&pid, TestHost.binDir + "/vzctl", nil, nil, cargv, cenv)
        try #require(rc == 0)
        return pid
    }
}
