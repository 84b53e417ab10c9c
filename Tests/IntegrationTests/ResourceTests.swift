import ContainerKit
import Foundation
import Testing

/// Resource limits written into cgroups, enforced by the kernel, counted
/// back as beancounters; changed on running containers.
@Suite("resource management", .enabled(if: isRoot, "needs root"))
struct ResourceTests {
    /// CPU time the container used, in seconds (cpuacct on v1, cpu.stat on v2).
    func cpuSeconds(_ host: TestHost, _ ctid: String) -> Double {
        let parent = TestHost.cgroupParent(host.prefix)
        if let ns = host.read("/sys/fs/cgroup/cpuacct/\(parent)/\(ctid)/cpuacct.usage").flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            return ns / 1e9
        }
        let stat = host.read("/sys/fs/cgroup/\(parent)/\(ctid)/cpu.stat") ?? ""
        let usec = stat.split(separator: "\n").first { $0.hasPrefix("usage_usec ") }.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
        return usec / 1e6
    }

    /// CPU share used over `seconds` of wall time by each container.
    func shares(_ host: TestHost, _ ctids: [String], seconds: Double) -> [Double] {
        let before = ctids.map { cpuSeconds(host, $0) }
        let start = Date()
        usleep(useconds_t(seconds * 1e6))
        let wall = Date().timeIntervalSince(start)
        return zip(ctids, before).map { (cpuSeconds(host, $0) - $1) / wall }
    }

    @Test func forkBombStopsAtNumproc() throws {
        let host = try TestHost()
        try host.create("501")
        try host.start("501")
        host.waitUntilIdle("501")
        // Live, without a restart.
        #expect(host.run("vzctl", "set", "501", "--numproc", "20", "--save").code == 0)
        let bomb = host.run("vzctl", "exec2", "501", "n=0; for i in $(seq 1 60); do sleep 30 >/dev/null 2>&1 & n=$((n+1)); done 2>/dev/null; echo started")
        #expect(bomb.stdout.contains("started") || bomb.code != 0)
        let held = Int(host.run("vzlist", "-H", "-o", "numproc", "501").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(held <= 20 && held >= 15, "numproc held \(held)")
        let fails = Int(host.run("vzlist", "-H", "-o", "numproc.f", "501").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(fails > 0, "failcnt did not rise")
        #expect(host.run("vzubc", "501").stdout.contains("      numproc|"))
        // The host is not affected: another container starts and runs commands.
        try host.create("502")
        try host.start("502")
        #expect(host.run("vzctl", "exec2", "502", "true").code == 0)
        #expect(host.run("vzctl", "stop", "501", "--fast").code == 0)
    }

    @Test func memoryHogIsKilledInsideTheContainer() throws {
        let host = try TestHost()
        try host.create("511")
        #expect(host.run("vzctl", "set", "511", "--ram", "16M", "--swap", "0", "--save").code == 0)
        #expect(host.read(host.confPath("511"))?.contains("PHYSPAGES=\"0:4096\"") == true)
        try host.start("511")
        // sort keeps all its input in memory: 64 MiB against 16 MiB of RAM and no swap.
        let hog = host.run("vzctl", "exec2", "511", "head -c 67108864 /dev/zero | tr '\\\\0' x | sort > /dev/null")
        #expect(hog.code != 0, "the hog survived: \(hog)")
        let fails = Int(host.run("vzlist", "-H", "-o", "physpages.f", "511").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(fails > 0, "physpages failcnt did not rise")
        #expect(host.run("vzctl", "status", "511").stdout == "CTID 511 exist mounted running\n", "the container itself survives")
        #expect(host.run("vzctl", "exec2", "511", "echo alive").stdout == "alive\n")
    }

    @Test func cpulimitHoldsABusyLoop() throws {
        let host = try TestHost()
        try host.create("521")
        try host.start("521")
        #expect(host.run("vzctl", "set", "521", "--cpulimit", "50", "--save").code == 0)
        #expect(host.run("vzctl", "exec", "521", "while :; do :; done >/dev/null 2>&1 &").code == 0)
        usleep(300_000)
        let share = shares(host, ["521"], seconds: 3)[0]
        #expect(abs(share - 0.5) <= 0.05, "cpulimit 50 gave \(share)")
        // Live change: the cap goes with it.
        #expect(host.run("vzctl", "set", "521", "--cpulimit", "25").code == 0)
        usleep(300_000)
        let lower = shares(host, ["521"], seconds: 3)[0]
        #expect(abs(lower - 0.25) <= 0.05, "cpulimit 25 gave \(lower)")
        #expect(host.run("vzctl", "stop", "521", "--fast").code == 0)
    }

    @Test func cpuunitsShareOneCPU() throws {
        let host = try TestHost()
        for (id, units) in [("531", "1000"), ("532", "2000")] {
            try host.create(id)
            #expect(host.run("vzctl", "set", id, "--cpuunits", units, "--cpumask", "0", "--save").code == 0)
            try host.start(id)
            #expect(host.run("vzctl", "exec2", id, "grep Cpus_allowed_list /proc/self/status").stdout == "Cpus_allowed_list:\t0\n")
            #expect(host.run("vzctl", "exec", id, "while :; do :; done >/dev/null 2>&1 &").code == 0)
        }
        usleep(300_000)
        let s = shares(host, ["531", "532"], seconds: 4)
        let ratio = s[1] / max(s[0], 0.001)
        #expect(abs(ratio - 2) <= 0.2, "cpuunits 1000:2000 gave \(s[0]):\(s[1]) = 1:\(ratio)")
        for id in ["531", "532"] { #expect(host.run("vzctl", "stop", id, "--fast").code == 0) }
    }

    @Test func iolimitCapsReads() throws {
        let host = try TestHost()
        try host.create("551")
        try host.start("551")
        #expect(host.run("vzctl", "exec", "551", "dd if=/dev/urandom of=/big bs=1M count=16 2>/dev/null && sync").code == 0)
        // A bare number is MB/s; stored as bytes/s; applied live.
        #expect(host.run("vzctl", "set", "551", "--iolimit", "4", "--save").code == 0)
        #expect(host.read(host.confPath("551"))?.contains("IOLIMIT=\"4194304\"") == true)
        #expect(host.run("vzlist", "-H", "-o", "iolimit", "551").stdout == "   4194304\n")
        // Throttling needs a block device under the private area (a VM
        // running from tmpfs has none; the limit is then only recorded).
        if BlockDevice.disk(of: host.privatePath("551")) != nil {
            _ = TestHost.run(["sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches"], env: [:])
            let start = Date()
            let read = host.run("vzctl", "exec2", "551", "dd if=/big of=/dev/null bs=64k")
            let rate = 16.0 / Date().timeIntervalSince(start)
            #expect(read.code == 0, "\(read)")
            #expect(abs(rate - 4) <= 0.4, "iolimit 4 MB/s gave \(rate) MB/s")
        }
        // 0 lifts the cap at once.
        #expect(host.run("vzctl", "set", "551", "--iolimit", "0", "--save").code == 0)
        let parent = TestHost.cgroupParent(host.prefix)
        if let throttle = host.read("/sys/fs/cgroup/blkio/\(parent)/551/blkio.throttle.read_bps_device") {
            #expect(throttle.isEmpty, "the throttle stayed: \(throttle)")
        }
        let bad = host.run("vzctl", "set", "551", "--iolimit", "3G", "--save")
        #expect(bad.code == 21, "over 2 GB/s is refused: \(bad)")
        #expect(host.run("vzctl", "set", "551", "--ioprio", "8", "--save").code == 21)
    }

    @Test func hostCalculators() throws {
        let host = try TestHost()
        try host.create("561")
        #expect(host.run("vzctl", "set", "561", "--cpuunits", "2500", "--save").code == 0)
        try host.start("561")
        let check = host.run("vzcpucheck", "-v")
        #expect(check.code == 0)
        let lines = check.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(2) == ["VEID\t\tCPUUNITS", String(repeating: "-", count: 25)])
        #expect(lines.contains("561\t\t2500") && lines.contains("0\t\t1000"))
        #expect(lines.contains("Current CPU utilization: 3500"))
        #expect(lines.contains { $0.hasPrefix("Power of the node: ") })
        let split = host.run("vzsplit", "-n", "4", "-f", "quarter")
        #expect(split.code == 0, "\(split)")
        let sample = try #require(host.read(host.prefix + "/etc/vz/conf/ve-quarter.conf-sample"))
        #expect(sample.hasPrefix("# Configuration file generated by vzsplit for 4 containers\n"))
        #expect(sample.hasSuffix("CPUUNITS=\"1000\"\n"))
        #expect(host.run("vzsplit", "-n", "4", "-f", "quarter").code == 1, "an existing sample is not overwritten")
        // The sample works for create, and its RAM share becomes the memory limit.
        try host.create("562", "--config", "quarter")
        #expect(host.read(host.confPath("562"))?.contains("PHYSPAGES=\"0:") == true)
        #expect(host.run("vzsplit", "-n", "0").code == 1)

        #expect(host.run("vzctl", "set", "561", "--ram", "256M", "--swap", "0").code == 0)
        let mem = host.run("vzmemcheck", "-v").stdout.split(separator: "\n").map(String.init)
        #expect(mem.first == "Output values in %")
        #expect(mem.contains { $0.hasPrefix("561        ") })
        #expect(mem.contains(String(repeating: "-", count: 74)))
        #expect(mem.last?.hasPrefix("Summary:   ") == true)
        let calc = host.run("vzcalc", "-v", "561").stdout.split(separator: "\n").map(String.init)
        #expect(calc.first == "Resource     Current(%)  Promised(%)  Max(%)")
        #expect(calc.contains { $0.hasPrefix("Num. Proc ") } && calc.last?.hasPrefix("Memory     ") == true)
        #expect(calc.last?.contains("n/a") == false, "a running container has current values")
        let stopped = host.run("vzcalc", "562").stdout
        #expect(stopped.contains("n/a"))
        #expect(host.run("vzcalc", "999").code == 1)
    }

    @Test func numfileLimitsOpenFiles() throws {
        let host = try TestHost()
        try host.create("571")
        #expect(host.run("vzctl", "set", "571", "--numfile", "64", "--save").code == 0)
        try host.start("571")
        #expect(host.run("vzctl", "exec2", "571", "grep 'open files' /proc/1/limits").stdout.contains(" 64 "))
        #expect(host.run("vzctl", "exec2", "571", "ulimit -n").stdout == "64\n")
        // Live: lower for everything already running.
        #expect(host.run("vzctl", "set", "571", "--numfile", "32").code == 0)
        #expect(host.run("vzctl", "exec2", "571", "grep 'open files' /proc/1/limits").stdout.contains(" 32 "))
    }

    @Test func parameterSyntax() throws {
        let host = try TestHost()
        try host.create("541")
        let cases: [([String], String)] = [
            (["--numproc", "100"], "NUMPROC=\"100\""),
            (["--kmemsize", "10M:12M"], "KMEMSIZE=\"10485760:12582912\""),
            (["--privvmpages", "unlimited"], "PRIVVMPAGES=\"unlimited\""),
            (["--shmpages", "5M"], "SHMPAGES=\"1280\""),
            (["-n", "2048"], "NUMFILE=\"2048\""),
            (["--ram", "1G"], "PHYSPAGES=\"0:262144\""),
            (["--cpulimit", "50%"], "CPULIMIT=\"\(ProcessInfo.processInfo.activeProcessorCount * 50)\""),
            (["--cpumask", "0-1"], "CPUMASK=\"0-1\""),
            (["--nodemask", "0"], "NODEMASK=\"0\""),
            (["--vm_overcommit", "1.5"], "VM_OVERCOMMIT=\"1.5\""),
            (["--iolimit", "512K"], "IOLIMIT=\"524288\""),
            (["--iopslimit", "300"], "IOPSLIMIT=\"300\""),
            (["--ioprio", "7"], "IOPRIO=\"7\""),
        ]
        for (args, line) in cases {
            let r = TestHost.run(["vzctl", "set", "541"] + args + ["--save"], env: ["VZ_PREFIX": host.prefix])
            #expect(r.code == 0, "\(args): \(r)")
            #expect(host.read(host.confPath("541"))?.contains(line) == true, "\(args) did not store \(line)")
        }
        for bad in [["--numproc", "10M"], ["--cpuunits", "5"], ["--ram", "lots"], ["--cpumask", "3-1"], ["--kmemsize", "1:2:3"],
                    ["--vm_overcommit", "-1"], ["--nodemask", "x"]] {
            let r = TestHost.run(["vzctl", "set", "541"] + bad + ["--save"], env: ["VZ_PREFIX": host.prefix])
            #expect(r.code == 21 && r.stderr == "Bad parameter for \(bad[0]): \(bad[1])\n", "\(bad): \(r)")
        }
        #expect(host.run("vzlist", "-H", "-o", "numproc.b,numproc.l,cpulimit", "541").stdout.hasPrefix("       100        100"))
    }
}
