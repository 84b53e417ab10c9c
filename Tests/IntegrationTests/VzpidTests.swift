import Foundation
import Testing

@Suite("vzpid", .enabled(if: isRoot, "needs root"))
struct VzpidTests {
    @Test func hostAndContainerProcesses() throws {
        let host = try TestHost()
        try host.create("1020")
        try host.start("1020")
        let pid = try #require(host.initPID("1020"))
        let me = getpid()
        let myName = String((host.read("/proc/self/comm") ?? "").dropLast())
        var r = host.run("vzpid", "\(pid)", "\(me)", "999999999")
        #expect(r.code == 0 && r.stdout == "Pid\tCTID\tName\n\(pid)\t1020\tinit\n\(me)\t0\t\(myName)\n", "\(r)")
        r = host.run("vzpid", "-p", "\(pid)")
        #expect(r.stdout == "Pid\tCT/Pid\tCTID\tName\n\(pid)\t1\t1020\tinit\n", "\(r)")
        r = host.run("vzpid", "-", stdin: " \(pid)\n\n")
        #expect(r.stdout == "Pid\tCTID\tName\n\(pid)\t1020\tinit\n", "\(r)")
        r = host.run("vzpid")
        #expect(r.code == 1 && r.stdout.isEmpty && r.stderr == "Usage: vzpid [-p] <pid> ...\n       vzpid [-p] -\n", "\(r)")
        r = host.run("vzpid", "-h")
        #expect(r.code == 0 && r.stdout == "Usage: vzpid [-p] <pid> ...\n       vzpid [-p] -\n", "\(r)")
        // Another "host" (prefix) does not own this container.
        let other = try TestHost()
        #expect(other.run("vzpid", "\(pid)").stdout == "Pid\tCTID\tName\n\(pid)\t0\tinit\n")
    }
}
