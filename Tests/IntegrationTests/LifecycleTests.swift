import Foundation
import Testing

@Suite("container life cycle", .enabled(if: isRoot, "needs root"))
struct LifecycleTests {
    @Test func createStartExecStopDestroy() throws {
        let host = try TestHost()
        let created = try host.create("101", "--hostname", "ct101.test")
        #expect(created.stdout.contains("Container private area was created"))
        let conf = try #require(host.read(host.confPath("101")))
        #expect(conf.contains("OSTEMPLATE=\"busybox\""))
        #expect(conf.contains("HOSTNAME=\"ct101.test\""))
        #expect(conf.contains("ORIGIN_SAMPLE=\"basic\""))
        // The image layout is the default (vz.conf VE_LAYOUT=ploop), sized by the sample.
        #expect(conf.contains("VE_LAYOUT=\"ploop\""))
        #expect(FileManager.default.fileExists(atPath: host.privatePath("101") + "/root.hdd/root.hdd"))
        #expect(host.run("vzctl", "status", "101").stdout == "CTID 101 exist unmounted down\n")

        try host.start("101")
        #expect(host.run("vzctl", "status", "101").stdout == "CTID 101 exist mounted running\n")
        let hostname = host.run("vzctl", "exec2", "101", "hostname")
        #expect(hostname.code == 0)
        #expect(hostname.stdout == "ct101.test\n")
        let list = host.run("vzlist", "-H", "-o", "ctid,status,hostname")
        #expect(list.stdout == "       101 running   ct101.test\n")

        let stop = host.run("vzctl", "stop", "101")
        #expect(stop.code == 0, "\(stop)")
        #expect(stop.stderr.isEmpty)
        #expect(stop.stdout.contains("Container was stopped"))
        #expect(host.run("vzctl", "status", "101").stdout == "CTID 101 exist unmounted down\n")
        #expect(host.initPID("101") == nil)
        for dir in host.cgroupDirs("101") { #expect(!FileManager.default.fileExists(atPath: dir), "\(dir) left behind") }

        let destroy = host.run("vzctl", "destroy", "101")
        #expect(destroy.code == 0, "\(destroy)")
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("101")))
        #expect(!FileManager.default.fileExists(atPath: host.confPath("101")))
        #expect(FileManager.default.fileExists(atPath: host.confPath("101") + ".destroyed"))
        #expect(host.run("vzctl", "status", "101").stdout == "CTID 101 deleted unmounted down\n")

        // Everything said went to LOGFILE too, in vzctl's line format.
        let log = try #require(host.read(host.prefix + "/var/log/vzctl.log")).split(separator: "\n")
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} vzctl : CT 101 : (.*)$/#
        let messages = log.compactMap { try? pattern.wholeMatch(in: String($0))?.output.1 }.map(String.init)
        #expect(messages.count == log.count, "\(log)")
        for line in ["Container private area was created", "Container start in progress...", "Container was stopped",
                     "Container private area was destroyed"] {
            #expect(messages.contains(line), "\(line) not logged")
        }
    }

    @Test func startWaitReportsRunlevel() throws {
        let host = try TestHost()
        try host.create("102")
        let start = host.run("vzctl", "start", "102", "--wait")
        #expect(start.code == 0, "\(start)")
        #expect(start.stdout.contains("Container started successfully"))
        // vzctl removes the fifo once init has reported in.
        #expect(host.run("vzctl", "exec2", "102", "test -e /.vzfifo").code == 1)
    }

    @Test func restartMountUmount() throws {
        let host = try TestHost()
        try host.create("103")
        let mount = host.run("vzctl", "mount", "103")
        #expect(mount.code == 0)
        #expect(FileManager.default.fileExists(atPath: host.rootPath("103") + "/bin/busybox"))
        #expect(host.run("vzctl", "mount", "103").stderr == "Container is already mounted\n")
        #expect(host.run("vzctl", "status", "103").stdout == "CTID 103 exist mounted down\n")
        #expect(host.run("vzctl", "umount", "103").code == 0)
        let again = host.run("vzctl", "umount", "103")
        #expect(again.code == 40)
        #expect(again.stderr == "CT is not mounted\n")
        try host.start("103")
        #expect(host.run("vzctl", "exec2", "103", "hostname").stdout == "localhost\n", "the host's name shows through")
        let first = host.initPID("103")
        let restart = host.run("vzctl", "restart", "103", "--fast")
        #expect(restart.code == 0, "\(restart)")
        #expect(restart.stdout.hasPrefix("Restarting container\n"))
        let second = host.initPID("103")
        #expect(first != nil && second != nil && first != second)
    }

    /// systemd inside moves every process, init too, into cgroups of its
    /// own below the container's: it still runs, and stop takes it all.
    @Test func processesInCgroupsBelowTheContainersOwn() throws {
        let host = try TestHost()
        try host.create("106")
        try host.start("106")
        let pid = try #require(host.initPID("106"))
        _ = host.run("vzctl", "exec", "106", "sleep 60 >/dev/null 2>&1 &")
        let dirs = host.cgroupDirs("106")
        for dir in dirs {
            try FileManager.default.createDirectory(atPath: dir + "/init.scope", withIntermediateDirectories: false)
            for file in ["cpuset.cpus", "cpuset.mems"] {  // v1 cpuset: a child starts with none
                if FileManager.default.fileExists(atPath: dir + "/init.scope/" + file), let value = host.read(dir + "/" + file) {
                    try value.write(toFile: dir + "/init.scope/" + file, atomically: false, encoding: .utf8)
                }
            }
            for member in (host.read(dir + "/cgroup.procs") ?? "").split(separator: "\n") {
                try String(member).write(toFile: dir + "/init.scope/cgroup.procs", atomically: false, encoding: .utf8)
            }
            #expect(host.read(dir + "/cgroup.procs") == "", "\(dir) still holds processes")
        }
        #expect(host.run("vzlist", "-H", "-o", "status", "106").stdout == "running\n")
        #expect(host.run("vzctl", "status", "106").stdout == "CTID 106 exist mounted running\n")
        #expect(host.run("vzctl", "exec", "106", "true").code == 0)
        let stop = host.run("vzctl", "stop", "106", "--fast")
        #expect(stop.code == 0, "\(stop)")
        let state = host.read("/proc/\(pid)/stat")
        #expect(state == nil || state!.contains(") Z "), "init survived: \(state ?? "")")
        for dir in dirs { #expect(!FileManager.default.fileExists(atPath: dir), "\(dir) left") }
    }

    @Test func initThatIgnoresSignalsIsKilledAfterTimeout() throws {
        let host = try TestHost()
        // simfs, to replace init in the private area; without a user
        // namespace, as the v2 VM's overlay root cannot be mounted id-mapped.
        try host.create("104", "--layout", "simfs", "--local_uid", "0")
        let initPath = host.privatePath("104") + "/sbin/init"
        try FileManager.default.removeItem(atPath: initPath)
        try "#!/bin/sh\ntrap '' TERM USR1 USR2 INT HUP\nwhile :; do sleep 1; done\n".write(toFile: initPath, atomically: true, encoding: .utf8)
        chmod(initPath, 0o755)
        #expect(host.run("vzctl", "set", "104", "--stop-timeout", "2", "--save").code == 0)
        try host.start("104")
        let began = Date()
        let stop = host.run("vzctl", "stop", "104")
        let took = Date().timeIntervalSince(began)
        #expect(stop.code == 0, "\(stop)")
        #expect(stop.stdout.contains("Killing container ..."))
        #expect(took >= 2 && took < 10, "stop took \(took) s")
        #expect(host.initPID("104") == nil)
    }

    @Test func initDeathIsCleanedUpByTheNextCommand() throws {
        let host = try TestHost()
        try host.create("105")
        try host.start("105")
        let pid = try #require(host.initPID("105"))
        kill(pid, SIGKILL)
        var waited = 0
        while host.initPID("105") != nil && waited < 100 {
            usleep(20_000)
            waited += 1
        }
        #expect(host.run("vzctl", "status", "105").stdout == "CTID 105 exist mounted down\n")
        #expect(host.run("vzlist", "-H", "-o", "ctid,status", "105").stdout == "       105 mounted\n")
        try host.start("105")
        #expect(host.run("vzctl", "exec", "105", "true").code == 0)
    }

    @Test func twentyContainersStartInParallel() throws {
        let host = try TestHost()
        let ids = (200..<220).map(String.init)
        for id in ids { try host.create(id) }
        // Separate vzctl processes, all at once.
        let starts = parallel(ids) { host.run("vzctl", "start", $0).code }
        #expect(starts == Array(repeating: 0, count: ids.count))
        let listed = host.run("vzlist", "-H", "-o", "ctid").stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(listed == ids)
        for id in ids { #expect(host.initPID(id) != nil, "CT \(id) has no init") }
        let stops = parallel(ids) { host.run("vzctl", "stop", $0, "--fast").code }
        #expect(stops == Array(repeating: 0, count: ids.count))
        #expect(host.run("vzlist", "-H").stdout.isEmpty)
    }
}

/// Runs `body` for every item on its own thread and returns the results in order.
func parallel<T: Sendable>(_ items: [String], _ body: @escaping @Sendable (String) -> T) -> [T] {
    let box = ResultBox<T>(items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { i in
        let value = body(items[i])
        box.lock.lock()
        box.values[i] = value
        box.lock.unlock()
    }
    return box.values.map { $0! }
}

final class ResultBox<T>: @unchecked Sendable {
    var values: [T?]
    let lock = NSLock()
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
}
