import Foundation
import Testing

/// exec and enter take no lock: they must not join a container that a start
/// has not finished setting up or that stays frozen, and whatever a killed
/// start or stop left is finished by the next command that takes the lock.
@Suite("interrupted start and stop", .enabled(if: isRoot, "needs root"), .serialized)
struct InterruptedStartStopTests {
    /// The container's init (PID 1 of its own namespace) as soon as it is in
    /// its cgroup, polled as fast as we can read; vzctl itself passes
    /// through the cgroups too.
    func newInit(_ host: TestHost, _ ctid: String, within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            for dir in host.cgroupDirs(ctid) {
                let pids = host.read(dir + "/cgroup.procs")?.split(separator: "\n").compactMap { Int32($0) } ?? []
                if let pid = pids.first(where: { statusField($0, "NSpid")?.split(separator: "\t").last == "1" }) { return pid }
            }
        }
        return nil
    }

    func statusField(_ pid: Int32, _ key: String) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix(key + ":") }.map { String($0.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces) }
    }

    /// Alive, not a zombie that its new parent has yet to reap.
    func isAlive(_ pid: Int32) -> Bool {
        statusField(pid, "State").map { !$0.hasPrefix("Z") } ?? false
    }

    @Test func anInitStillBeingSetUpIsNotJoinedAndTheNextStartClearsIt() throws {
        let host = try TestHost()
        try host.create("860")
        // Stop the init between its birth in the cgroup and its seccomp
        // filter (the end of its setup); a catch that came too late is retried.
        var caught: (starter: TestHost.Launched, initPID: Int32)?
        for _ in 0..<20 where caught == nil {
            let starter = host.launch("vzctl", "start", "860")
            guard let pid = newInit(host, "860", within: 5) else { starter.wait(); continue }
            kill(pid, SIGSTOP)
            if statusField(pid, "Seccomp") == "0" {
                caught = (starter, pid)
            } else {
                kill(pid, SIGCONT)
                starter.wait()
                #expect(host.run("vzctl", "stop", "860", "--fast").code == 0)
            }
        }
        let (starter, pid) = try #require(caught, "never caught an init before its setup ended")
        // exec turns every failure into 8, as the classic tool did.
        for (command, code) in [(["exec", "860", "cat /proc/1/cmdline"], Int32(8)), (["exec2", "860", "true"], 31), (["enter", "860", "--exec", "true"], 31)] {
            let refused = host.run(["vzctl"] + command)
            #expect(refused.code == code, "\(command): \(refused)")
            #expect(refused.stderr.contains("Container is not running"), "\(refused)")
        }
        // The starter dies; a stopped init it leaves behind is cleared by
        // the next command that takes the lock.
        kill(starter.pid, SIGKILL)
        starter.wait()
        let start = host.run("vzctl", "start", "860")
        #expect(start.code == 0, "\(start)")
        #expect(!isAlive(pid), "the half-started init was left")
        let exec = host.run("vzctl", "exec", "860", "echo up")
        #expect(exec.code == 0 && exec.stdout == "up\n", "\(exec)")
    }

    @Test func aFrozenContainerIsRefusedAndAKillLeftPendingIsFinished() throws {
        let host = try TestHost()
        try host.create("861")
        try host.start("861")
        let pid = try #require(host.initPID("861"))
        // What a stop killed inside its kill loop leaves: frozen, SIGKILL pending.
        let v2 = host.cgroupDirs("861").count == 1
        let freezer = try #require(host.cgroupDirs("861").first { v2 || $0.contains("/freezer/") })
        let (file, frozen, thawed) = v2 ? ("cgroup.freeze", "1", "0") : ("freezer.state", "FROZEN", "THAWED")
        try frozen.write(toFile: freezer + "/" + file, atomically: false, encoding: .utf8)
        defer { try? thawed.write(toFile: freezer + "/" + file, atomically: false, encoding: .utf8) }
        usleep(100_000)
        kill(pid, SIGKILL)
        usleep(100_000)
        #expect(isAlive(pid), "a frozen init died of SIGKILL: nothing to finish on this kernel")
        let refused = host.run("vzctl", "exec2", "861", "true")
        #expect(refused.code == 31, "\(refused)")
        #expect(refused.stderr.contains("Container is frozen"), "\(refused)")
        // Any locked command finishes the kill; here a start, which then starts it.
        let start = host.run("vzctl", "start", "861")
        #expect(start.code == 0, "\(start)")
        #expect(!isAlive(pid))
        #expect(host.run("vzctl", "exec", "861", "true").code == 0)
    }
}
