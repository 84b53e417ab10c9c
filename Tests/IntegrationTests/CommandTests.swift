import Foundation
import Testing

/// set, names, exec variants, enter and runscript.
@Suite("vzctl commands", .enabled(if: isRoot, "needs root"))
struct CommandTests {
    @Test func setSavesAndKeepsTheRestOfTheFile() throws {
        let host = try TestHost()
        try host.create("140")
        let path = host.confPath("140")
        var text = try #require(host.read(path))
        text = "# my own comment\nCUSTOM_KEY=\"kept\"\n" + text
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let r = host.run("vzctl", "set", "140", "--hostname", "h140", "--description", "first box", "--onboot", "yes", "--save")
        #expect(r.code == 0, "\(r)")
        #expect(r.stdout == "CT configuration saved to \(path)\n")
        let after = try #require(host.read(path))
        #expect(after.hasPrefix("# my own comment\nCUSTOM_KEY=\"kept\"\n"))
        #expect(after.contains("ONBOOT=\"yes\"\n"))
        #expect(!after.contains("ONBOOT=\"no\""))
        #expect(after.hasSuffix("HOSTNAME=\"h140\"\nDESCRIPTION=\"first box\"\n"))
        #expect(after.components(separatedBy: "# UBC parameters").count == 2, "comments kept once")
        let same = host.run("vzctl", "set", "140", "--save")
        #expect(same.stdout == "No changes in CT configuration, not saving\n")
        let unsaved = host.run("vzctl", "set", "140", "--description", "x")
        #expect(unsaved.stdout == "WARNING: Settings were not saved to config (use --save flag)\n")
        #expect(host.read(path) == after)
    }

    @Test func namesAndLiveHostname() throws {
        let host = try TestHost()
        try host.create("141")
        try host.create("142")
        #expect(host.run("vzctl", "set", "141", "--name", "db", "--save").code == 0)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: host.prefix + "/etc/vz/names/db")
        #expect(link.hasSuffix("/141.conf"))
        let taken = host.run("vzctl", "set", "142", "--name", "db", "--save")
        #expect(taken.code == 131, "\(taken)")
        try host.start("db")
        #expect(host.run("vzctl", "status", "db").stdout == "CTID 141 exist mounted running\n")
        let live = host.run("vzctl", "set", "db", "--hostname", "renamed")
        #expect(live.code == 0)
        #expect(live.stdout == "WARNING: Settings were not saved to config and will be lost after CT restart (use --save flag)\n")
        #expect(host.run("vzctl", "exec2", "141", "hostname").stdout == "renamed\n")
        #expect(host.run("vzctl", "stop", "db", "--fast").code == 0)
        #expect(host.run("vzctl", "destroy", "db").code == 0)
        #expect(!FileManager.default.fileExists(atPath: host.prefix + "/etc/vz/names/db"))
    }

    @Test func execVariants() throws {
        let host = try TestHost()
        try host.create("143")
        try host.start("143")
        #expect(host.run("vzctl", "exec", "143", "echo", "a", "|", "tr", "a", "b").stdout == "b\n", "shell syntax works")
        #expect(host.run("vzctl", "exec", "143", "echo", "", "x").stdout == " x\n", "empty word passed as ''")
        #expect(host.run("vzctl", "exec", "143", "-", stdin: "echo from-stdin; exit 3").code == 8)
        #expect(host.run("vzctl", "exec2", "143", "-", stdin: "echo from-stdin; exit 3").code == 3)
        #expect(host.run("vzctl", "exec2", "143", "-", stdin: "echo from-stdin").stdout == "from-stdin\n")
        #expect(host.run("vzctl", "exec3", "143", "echo", "a|b").stdout == "a|b\n", "exec3 runs argv without a shell")
        #expect(host.run("vzctl", "exec2", "143", "kill -9 $$").code == 3)
        let env = host.run("vzctl", "exec2", "143", "env | sort").stdout
        #expect(env.contains("HOME=/\n") && env.contains("TERM=linux\n"))
        #expect(env.contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"))
        #expect(host.run("vzctl", "exec2", "143", "echo $$").stdout != "1\n")
        #expect(host.run("vzctl", "exec2", "143", "cat", "/proc/1/comm").stdout == "init\n")
        // Only stdio follows the command in: descriptors 0, 1, 2 and the one ls opens.
        let fds = host.run("vzctl", "exec2", "143", "ls /proc/self/fd").stdout.split(separator: "\n")
        #expect(fds == ["0", "1", "2", "3"], "\(fds)")
    }

    @Test func enterGivesAShellOnAPty() throws {
        let host = try TestHost()
        try host.create("144", "--hostname", "enter.test")
        try host.start("144")
        let r = host.run("vzctl", "enter", "144", stdin: "hostname; tty; exit\n")
        #expect(r.code == 0, "\(r)")
        #expect(r.stdout.hasPrefix("entered into CT 144\n"))
        #expect(r.stdout.contains("enter.test\r\n"))
        #expect(r.stdout.contains("/dev/pts/0\r\n"))
        #expect(r.stdout.hasSuffix("exited from CT 144\n"))
        let typed = host.run("vzctl", "enter", "144", "--exec", "echo", "typed-$((1+1))", stdin: "exit\n")
        #expect(typed.stdout.contains("typed-2\r\n"), "\(typed)")
    }

    @Test func runscriptRunningAndStopped() throws {
        let host = try TestHost()
        try host.create("145", "--hostname", "script.test")
        let script = host.prefix + "/script.sh"
        try "echo \"$(hostname) pid=$$\"\nexit 4\n".write(toFile: script, atomically: true, encoding: .utf8)
        let stopped = host.run("vzctl", "runscript", "145", script)
        #expect(stopped.code == 4, "\(stopped)")
        #expect(stopped.stdout == "script.test pid=1\n")
        #expect(host.run("vzctl", "status", "145").stdout == "CTID 145 exist unmounted down\n")
        for dir in host.cgroupDirs("145") { #expect(!FileManager.default.fileExists(atPath: dir)) }
        try host.start("145")
        let running = host.run("vzctl", "runscript", "145", script)
        #expect(running.code == 4)
        #expect(running.stdout.hasPrefix("script.test pid="))
        #expect(running.stdout != "script.test pid=1\n")
    }

    @Test func helpAndVersion() throws {
        let host = try TestHost()
        let help = host.run("vzctl", "--help")
        #expect(help.code == 0 && help.stdout.hasPrefix("Usage: vzctl"))
        for command in ["create", "start", "stop", "exec", "enter", "set", "destroy", "runscript"] {
            #expect(help.stdout.contains("vzctl \(command) CTID"), "\(command) missing from --help")
            let one = host.run("vzctl", "help", command)
            #expect(one.code == 0 && one.stdout.hasPrefix("Usage: vzctl \(command) CTID"))
        }
        #expect(host.run("vzctl", "--version").stdout.hasPrefix("vzctl version "))
        #expect(host.run("vzpkg", "list").stdout == "busybox\n")
    }
}
