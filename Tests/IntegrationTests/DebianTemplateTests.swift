import Foundation
import Testing

/// Debian templates made by `vzpkg create cache` (debootstrap), the
/// container's own apt through `vzpkg install/update`, and `--userpasswd`
/// done inside busybox and Debian containers. CTIDs 700-799; addresses from
/// 198.19.250.0/24; no container reaches beyond the host.
@Suite("Debian templates, packages and passwords", .enabled(if: isRoot, "needs root"))
struct DebianTemplateTests {
    @Test func aDebianContainerBootsRunsAptAndStops() throws {
        let host = try DebianCache.host()
        try host.create("701", template: DebianCache.name, "--hostname", "deb701.test", "--ipadd", "198.19.250.1")
        #expect(host.run("vzctl", "set", "701", "--nameserver", "198.19.250.53", "--save").code == 0)
        let started = host.run("vzctl", "start", "701", "--wait")
        try #require(started.code == 0, "\(started)")
        func inside(_ command: String) -> TestHost.Result { host.run("vzctl", "exec2", "701", command) }
        // sysvinit is PID 1 and reached its runlevel (--wait returned).
        #expect(inside("cat /proc/1/comm").stdout == "init\n")
        #expect(inside("readlink /proc/1/exe").stdout.hasSuffix("/sbin/init\n"))
        let apt = host.run("vzctl", "exec", "701", "apt-get", "--version")
        #expect(apt.code == 0 && apt.stdout.hasPrefix("apt "), "\(apt)")
        // Its apt sources bring updates and security fixes, from the host's archives.
        let sources = inside("cat /etc/apt/sources.list").stdout
        #expect(sources.contains(" bookworm main\n") && sources.contains(" bookworm-updates main\n") && sources.contains(" bookworm-security main\n"), "\(sources)")
        // No getty for terminals a container does not have.
        #expect(inside("grep -c '^[^#].*respawn:/sbin/getty' /etc/inittab").stdout == "0\n")
        // The guest files, after the boot scripts ran.
        #expect(inside("hostname").stdout == "deb701.test\n")
        #expect(inside("cat /etc/hostname").stdout == "deb701.test\n")
        #expect(inside("cat /etc/resolv.conf").stdout == "nameserver 198.19.250.53\n")
        #expect(inside("grep vzctl /etc/hosts").stdout == "198.19.250.1 deb701.test deb701 # vzctl: host name\n")
        // The address survived the boot and answers the host: a refused
        // connection is the container's own kernel replying.
        #expect(inside("grep -c 198.19.250.1 /proc/net/fib_trie").stdout != "0\n")
        let probe = TestHost.run(["python3", "-c", """
            import socket, sys
            s = socket.socket()
            s.settimeout(3)
            try:
                s.connect((sys.argv[1], 9))
            except ConnectionRefusedError:
                print("refused")
            except OSError as e:
                print(e)
            """, "198.19.250.1"], env: [:])
        #expect(probe.stdout == "refused\n", "\(probe)")
        // A clean stop: the container's own halt takes sysvinit down.
        let before = Date()
        let stopped = host.run("vzctl", "stop", "701")
        #expect(stopped.code == 0 && stopped.stdout.contains("Container was stopped"), "\(stopped)")
        #expect(!stopped.stdout.contains("Killing"), "halt did not stop it: \(stopped)")
        #expect(Date().timeIntervalSince(before) < 15)
        #expect(host.run("vzctl", "status", "701").stdout == "CTID 701 exist unmounted down\n")
    }

    @Test func vzpkgInstallsFromALocalRepositoryAndUpdates() throws {
        let host = try DebianCache.host()
        try host.create("702", template: DebianCache.name, "--layout", "simfs")
        // A one-package repository inside the container, its only source.
        let work = NSTemporaryDirectory() + "vzkit-deb-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let pkg = work + "/vzkit-hello"
        try FileManager.default.createDirectory(atPath: pkg + "/DEBIAN", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: pkg + "/usr/bin", withIntermediateDirectories: true)
        try "Package: vzkit-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: vzkit tests <root@localhost>\nDescription: test package\n"
            .write(toFile: pkg + "/DEBIAN/control", atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho hello from the local repository\n".write(toFile: pkg + "/usr/bin/vzkit-hello", atomically: true, encoding: .utf8)
        chmod(pkg + "/usr/bin/vzkit-hello", 0o755)
        let repo = host.privatePath("702") + "/srv/repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        let deb = repo + "/vzkit-hello_1.0_all.deb"
        #expect(TestHost.run(["dpkg-deb", "--build", "--root-owner-group", pkg, deb], env: [:]).code == 0)
        let control = TestHost.run(["dpkg-deb", "-f", deb], env: [:]).stdout
        let size = try FileManager.default.attributesOfItem(atPath: deb)[.size] as? Int ?? 0
        let sha = TestHost.run(["sha256sum", deb], env: [:]).stdout.prefix(64)
        try (control + "Filename: ./vzkit-hello_1.0_all.deb\nSize: \(size)\nSHA256: \(sha)\n\n")
            .write(toFile: repo + "/Packages", atomically: true, encoding: .utf8)
        try "deb [trusted=yes] file:/srv/repo ./\n".write(toFile: host.privatePath("702") + "/etc/apt/sources.list", atomically: true, encoding: .utf8)

        let notRunning = host.run("vzpkg", "install", "702", "vzkit-hello")
        #expect(notRunning.code == 31 && notRunning.stderr == "Container is not running\n", "\(notRunning)")
        try host.start("702")
        let install = host.run("vzpkg", "install", "702", "vzkit-hello")
        #expect(install.code == 0, "\(install)")
        #expect(install.stdout.contains("Setting up vzkit-hello (1.0)"))
        #expect(host.run("vzctl", "exec2", "702", "vzkit-hello").stdout == "hello from the local repository\n")
        let update = host.run("vzpkg", "update", "702")
        #expect(update.code == 0 && update.stdout.contains("0 upgraded"), "\(update)")
        let missing = host.run("vzpkg", "install", "702", "no-such-package")
        #expect(missing.code == 87 && missing.stderr.hasSuffix("Package install in CT 702 failed: apt-get exit code 100\n"), "\(missing)")
        // The loop of the classic how-to, over every running container.
        let all = TestHost.run(["sh", "-c", "for CT in $(vzlist -H -o ctid); do vzpkg update $CT || exit 1; done"], env: ["VZ_PREFIX": host.prefix])
        #expect(all.code == 0, "\(all)")
    }

    @Test func vzpkgErrors() throws {
        let host = try TestHost()
        try host.create("703")
        try host.start("703")
        let busybox = host.run("vzpkg", "install", "703", "curl")
        #expect(busybox.code == 47 && busybox.stderr == "CT 703 has no package manager vzpkg can use (apt-get)\n", "\(busybox)")
        #expect(host.run("vzpkg", "update", "798").code == 14)
        #expect(host.run("vzpkg", "install", "703").code == 20)
        let unknown = host.run("vzpkg", "create", "cache", "debian-99-x86_64")
        #expect(unknown.code == 91 && unknown.stdout.isEmpty, "\(unknown)")
        #expect(unknown.stderr.hasPrefix("vzpkg: no recipe for OS template debian-99-x86_64 (") && unknown.stderr.split(separator: "\n").count == 1)
        // Ubuntu needs its archive keyring, which Debian 12 does not ship.
        if !FileManager.default.fileExists(atPath: "/usr/share/keyrings/ubuntu-archive-keyring.gpg") {
            let ubuntu = host.run("vzpkg", "create", "cache", "ubuntu-22.04-x86_64-minimal")
            #expect(ubuntu.code == 3 && ubuntu.stderr.hasPrefix("vzpkg: no ubuntu archive keyring") && ubuntu.stderr.split(separator: "\n").count == 1, "\(ubuntu)")
        }
        #expect(host.run("vzpkg", "list").stdout == "busybox\n")
    }

    @Test func userpasswdOnBusybox() throws {
        let host = try TestHost()
        try host.create("704")
        // Stopped: started for the change without its network, stopped again.
        let set = host.run("vzctl", "set", "704", "--userpasswd", "dave:first-Pass")
        #expect(set.code == 0 && !set.stdout.contains("WARNING"), "\(set)")
        #expect(host.run("vzctl", "status", "704").stdout == "CTID 704 exist unmounted down\n")
        try host.start("704")
        let env = ["VZ_PREFIX": host.prefix]
        #expect(typePassword("first-Pass", into: ["vzctl", "exec2", "704", "login dave"], env: env).contains("AUTH-42"))
        #expect(!typePassword("wrong", into: ["vzctl", "exec2", "704", "login dave"], env: env).contains("AUTH-42"))
        // Running: changed live, the old password no longer works.
        #expect(host.run("vzctl", "set", "704", "--userpasswd", "dave:second-Pass").code == 0)
        #expect(typePassword("second-Pass", into: ["vzctl", "exec2", "704", "login dave"], env: env).contains("AUTH-42"))
        #expect(!typePassword("first-Pass", into: ["vzctl", "exec2", "704", "login dave"], env: env).contains("AUTH-42"))
        #expect(host.run("vzctl", "exec2", "704", "grep -c '^dave:' /etc/passwd").stdout == "1\n")
        let bad = host.run("vzctl", "set", "704", "--userpasswd", "no-colon")
        #expect(bad.code == 74, "\(bad)")
    }

    @Test func userpasswdOnDebian() throws {
        let host = try DebianCache.host()
        try host.create("705", template: DebianCache.name)
        let set = host.run("vzctl", "set", "705", "--userpasswd", "alice:Alice-pw", "--userpasswd", "bob:Bob-pw")
        #expect(set.code == 0, "\(set)")
        #expect(host.run("vzctl", "status", "705").stdout == "CTID 705 exist unmounted down\n")
        try host.start("705")
        // bob (no password needed: root starts his shell) runs su to alice,
        // which asks for alice's password.
        let env = ["VZ_PREFIX": host.prefix]
        let su = ["vzctl", "exec2", "705", "su -c 'su alice' bob"]
        #expect(typePassword("Alice-pw", into: su, env: env).contains("AUTH-42"))
        #expect(!typePassword("Bob-pw", into: su, env: env).contains("AUTH-42"))
        #expect(host.run("vzctl", "exec2", "705", "ls -d /home/alice && id -u bob").stdout == "/home/alice\n1001\n")
    }
}

/// A `vzpkg create cache` killed in the middle of debootstrap leaves no
/// process behind, and the next run of any template removes its directory.
@Suite("a killed template build", .enabled(if: isRoot, "needs root"))
struct KilledTemplateBuildTests {
    @Test func theNextRunCleansUp() throws {
        let host = try TestHost()
        let cache = host.prefix + "/vz/template/cache"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestHost.binDir + "/vzpkg")
        process.arguments = ["create", "cache", DebianCache.name]
        process.environment = ProcessInfo.processInfo.environment.merging(["VZ_PREFIX": host.prefix]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func builds() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).filter { $0.hasPrefix(".vzpkg-build.") }
        }
        // Until debootstrap is at work in the tree (its own directory appears), then a little more.
        for _ in 0..<600 where !builds().contains(where: { FileManager.default.fileExists(atPath: "\(cache)/\($0)/root/debootstrap") }) {
            usleep(100_000)
        }
        usleep(2_000_000)
        try #require(builds().count == 1, "no build in progress")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Every process of the build (debootstrap, its wget, dpkg, chroot) went with it.
        func inTree() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { pid in
                guard Int(pid) != nil else { return false }
                return ["root", "cwd"].contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/\($0)"))?.hasPrefix(host.prefix) == true }
            }
        }
        for _ in 0..<50 where !inTree().isEmpty { usleep(100_000) }
        #expect(inTree().isEmpty, "left running: \(inTree())")
        #expect(!(try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)).contains(host.prefix))
        #expect(!FileManager.default.fileExists(atPath: "\(cache)/\(DebianCache.name).tar.gz"))
        #expect(builds().count == 1)
        #expect(host.run("vzpkg", "create", "cache", "busybox").code == 0)
        #expect(builds().isEmpty)
        #expect(host.run("vzpkg", "list").stdout == "busybox\n")
    }
}
