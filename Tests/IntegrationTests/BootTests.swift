import ContainerKit
import Foundation
import Testing

/// `vz start` and `vz stop`, the boot-time service: which containers,
/// in which order, how many at once.
@Suite("boot-time start and stop", .enabled(if: isRoot, "needs root"))
struct BootTests {
    /// Each "host" logs `begin CTID` / `end CTID` from vps.premount (start)
    /// and vps.umount (stop), with a pause between, so overlaps show.
    private func logScript(_ log: String) -> String {
        "#!/bin/sh\necho \"begin $VEID\" >> \(log)\nsleep 0.3\necho \"end $VEID\" >> \(log)\n"
    }

    /// The log's CTIDs, checked to come group after group (all of one
    /// group's lines before any of the next's); returns the begin order.
    private func expectGroups(_ log: String, _ groups: [[String]], sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        let lines = log.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let ctids = lines.map { $0[1] }
        var seen = 0
        for group in groups {
            let part = ctids[seen..<min(ctids.count, seen + group.count * 2)]
            #expect(Set(part) == Set(group) && part.count == group.count * 2, "group \(group) in \(log)", sourceLocation: sourceLocation)
            seen += group.count * 2
        }
        #expect(seen == ctids.count, "nothing else ran: \(log)", sourceLocation: sourceLocation)
        return lines.filter { $0[0] == "begin" }.map { $0[1] }
    }

    /// VE_STOP_MODE=suspend (the default): shutdown checkpoints, boot
    /// restores, so what ran goes on (the same process, same pid inside).
    @Test(.enabled(if: Criu.binary != nil, "criu is not installed (scripts/criu.sh installs it)"))
    func shutdownSuspendsAndBootRestores() throws {
        let host = try TestHost()
        try host.create("1020", "--local_uid", "0")  // suspended (CRIU)
        #expect(host.run("vzctl", "set", "1020", "--onboot", "yes", "--save").code == 0)
        #expect(host.run("vz", "start").code == 0)
        _ = host.run("vzctl", "exec", "1020", "sleep 1000 >/dev/null 2>&1 &")
        let before = host.run("vzctl", "exec2", "1020", "pidof sleep").stdout
        #expect(!before.isEmpty)
        let stop = host.run("vz", "stop")
        #expect(stop.code == 0 && stop.stdout.contains("Suspending CT: 1020"), "\(stop)")
        #expect(host.run("vzlist", "-H", "-a", "-o", "status", "1020").stdout == "suspended\n")
        #expect(host.run("vz", "start").code == 0)
        #expect(host.run("vzlist", "-H", "-o", "status", "1020").stdout == "running\n")
        #expect(host.run("vzctl", "exec2", "1020", "pidof sleep").stdout == before, "restored, not booted anew")
        #expect(host.run("vzctl", "stop", "1020", "--fast").code == 0)
    }

    @Test func tenContainersStartInBootOrderAndStop() throws {
        let host = try TestHost()
        // CTID: ONBOOT, BOOTORDER ("" = unset).
        let setup: [(String, String, String)] = [
            ("1010", "yes", "5"), ("1011", "yes", "10"), ("1012", "no", "100"), ("1013", "yes", ""),
            ("1014", "", ""), ("1015", "yes", "10"), ("1016", "yes", "1"), ("1017", "no", ""),
            ("1018", "yes", ""), ("1019", "yes", "7"),
        ]
        for (ctid, onboot, order) in setup {
            try host.create(ctid, "--layout", "simfs")
            var args = ["vzctl", "set", ctid, "--save"]
            if !onboot.isEmpty { args += ["--onboot", onboot] }
            if !order.isEmpty { args += ["--bootorder", order] }
            if ctid == "1019" { args += ["--disabled", "yes"] }
            let r = TestHost.run(args, env: ["VZ_PREFIX": host.prefix])
            try #require(r.code == 0, "\(r)")
            if onboot.isEmpty {
                let text = (host.read(host.confPath(ctid)) ?? "").split(separator: "\n").filter { !$0.hasPrefix("ONBOOT=") }
                try (text.joined(separator: "\n") + "\n").write(toFile: host.confPath(ctid), atomically: true, encoding: .utf8)
            }
        }
        let log = host.prefix + "/boot.log"
        let conf = host.prefix + "/etc/vz/conf/"
        for script in ["vps.premount", "vps.umount"] {
            try logScript(log).write(toFile: conf + script, atomically: true, encoding: .utf8)
            chmod(conf + script, 0o755)
        }
        var vzconf = host.read(host.prefix + "/etc/vz/vz.conf") ?? (host.read(TestHost.packageRoot + "/conf/vz.conf") ?? "")
        vzconf += "VE_PARALLEL=4\nVE_STOP_MODE=stop\n"
        try vzconf.write(toFile: host.prefix + "/etc/vz/vz.conf", atomically: true, encoding: .utf8)

        #expect(host.run("vz", "status").stdout == "OpenVZ is stopped.\n")
        let start = host.run("vz", "start")
        // 1019 is disabled: its start fails, and vz says so (and exits 1).
        #expect(start.code == 1, "\(start)")
        let out = start.stdout.split(separator: "\n").map(String.init)
        #expect(out.first.map { ["Starting CT: 1011 1015", "Starting CT: 1015 1011"].contains($0) } == true, "\(start)")
        #expect(out.contains("Container 1019 start: Container start disabled ..failed"), "\(start)")
        #expect(out.contains("Container 1018 start: ..done"), "\(start)")
        #expect(out.filter { $0.hasPrefix("Starting CT:") } == ["Starting CT: 1011 1015", "Starting CT: 1019", "Starting CT: 1010",
                                                                 "Starting CT: 1016", "Starting CT: 1013 1018"], "\(start)")
        // Highest BOOTORDER first; one BOOTORDER in parallel (both begin before either ends).
        let begins = expectGroups(host.read(log) ?? "", [["1011", "1015"], ["1010"], ["1016"], ["1013", "1018"]])
        let lines = (host.read(log) ?? "").split(separator: "\n")
        #expect(lines.prefix(2).allSatisfy { $0.hasPrefix("begin") }, "parallel within a BOOTORDER: \(lines)")
        #expect(begins.count == 6)
        let running = host.run("vzlist", "-H", "-o", "ctid").stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(running == ["1010", "1011", "1013", "1015", "1016", "1018"], "\(running)")
        #expect(host.run("vz", "status").stdout == "OpenVZ is running...\n")

        // Two more run by hand: 1014 (ONBOOT unset) comes back after a
        // reboot, 1017 (ONBOOT=no) does not.
        try host.start("1014")
        try host.start("1017")
        try "".write(toFile: log, atomically: true, encoding: .utf8)
        let stop = host.run("vz", "stop")
        #expect(stop.code == 0, "\(stop)")
        #expect(stop.stdout.hasPrefix("Shutting down CT: 1013 1014 1017 1018\n"), "\(stop)")
        _ = expectGroups(host.read(log) ?? "", [["1013", "1014", "1017", "1018"], ["1016"], ["1010"], ["1011", "1015"]])
        #expect(host.run("vzlist", "-H", "-o", "ctid").stdout.isEmpty)
        #expect(host.run("vzctl", "status", "1011").stdout == "CTID 1011 exist unmounted down\n")
        #expect(host.run("vz", "status").stdout == "OpenVZ is stopped.\n")

        let again = host.run("vz", "start")
        #expect(again.code == 1, "\(again)")
        let after = host.run("vzlist", "-H", "-o", "ctid").stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(after == ["1010", "1011", "1013", "1014", "1015", "1016", "1018"], "\(after)")
        #expect(host.run("vz", "stop").code == 0)
        #expect(host.run("vz", "bogus").code == 3)
    }
}
