import Foundation
import Testing

/// One container that exhausts what its limits give it (processes, memory,
/// disk, ptys, sockets) makes neither another container nor the host fail a
/// command: exec into the other, vzlist, and stop of the greedy one go on.
@Suite("exhaustion stays inside its container", .enabled(if: isRoot, "needs root"))
struct ExhaustionTests {
    /// A greedy container (small limits) and a bystander, both running.
    func pair(_ greedy: String, _ bystander: String, _ limits: String...) throws -> TestHost {
        let host = try TestHost()
        try host.create(greedy, "--layout", "ploop", "--diskspace", "64M")
        #expect(host.run(["vzctl", "set", greedy, "--save"] + limits).code == 0)
        try host.create(bystander)
        try host.start(greedy)
        try host.start(bystander)
        return host
    }

    /// What the host and the bystander must still do while the greedy one is at its limit.
    func othersStillWork(_ host: TestHost, _ greedy: String, _ bystander: String, _ comment: Comment) {
        let exec = host.run("vzctl", "exec", bystander, "echo ok > /ok; cat /ok; ls / >/dev/null")
        #expect(exec.code == 0 && exec.stdout == "ok\n", "\(comment): exec into the other CT: \(exec)")
        let enter = host.run("vzctl", "enter", bystander, "--exec", "exit")
        #expect(enter.code == 0, "\(comment): enter into the other CT: \(enter)")
        let list = host.run("vzlist", "-H", "-o", "ctid,status", greedy, bystander)
        #expect(list.code == 0 && list.stdout.split(separator: "\n").count == 2, "\(comment): vzlist: \(list)")
        let ptmx = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        #expect(ptmx >= 0, "\(comment): the host cannot open a pty")
        if ptmx >= 0 { close(ptmx) }
    }

    func stopWorks(_ host: TestHost, _ greedy: String, _ comment: Comment) {
        let stop = host.run("vzctl", "stop", greedy, "--fast")
        #expect(stop.code == 0, "\(comment): stop of the greedy CT: \(stop)")
        #expect(host.initPID(greedy) == nil)
    }

    @Test func forkBomb() throws {
        let host = try pair("870", "871", "--numproc", "64")
        let bomb = host.run("vzctl", "exec", "870", "f() { f | f & }; f >/dev/null 2>&1 &")
        #expect(bomb.code == 0, "\(bomb)")
        usleep(1_500_000)
        othersStillWork(host, "870", "871", "fork bomb")
        stopWorks(host, "870", "fork bomb")
    }

    @Test func memoryHog() throws {
        let host = try pair("872", "873", "--ram", "64M", "--swap", "0")
        // dd's buffer is one block: 256 MiB, touched by the read.
        let hog = host.run("vzctl", "exec2", "872", "dd if=/dev/zero of=/dev/null bs=256M count=1")
        #expect(hog.code != 0, "a 256 MiB buffer fitted in 64 MiB: \(hog)")
        #expect(host.initPID("872") != nil, "the container's init died with the hog")
        othersStillWork(host, "872", "873", "memory hog")
        stopWorks(host, "872", "memory hog")
    }

    @Test func diskFiller() throws {
        let host = try pair("874", "875")
        let fill = host.run("vzctl", "exec2", "874", "dd if=/dev/zero of=/fill bs=1M count=1000")
        #expect(fill.code != 0 && fill.stderr.contains("space"), "\(fill)")
        othersStillWork(host, "874", "875", "disk filler")
        let note = host.prefix + "/host-can-write"
        #expect(FileManager.default.createFile(atPath: note, contents: Data(count: 1 << 20)), "the host cannot write")
        stopWorks(host, "874", "disk filler")
    }

    /// Ptys and sockets taken by a probe that holds them (Tests/security/probe.c).
    @Test(arguments: ["ptys", "sockets"])
    func kernelObjectsHeld(_ kind: String) throws {
        let probe = try #require(IsolationTests.probe, "gcc -static could not build Tests/security/probe.c")
        let host = try pair("876", "877", "--numpty", "8", "--numfile", "512")
        try FileManager.default.copyItem(atPath: probe, toPath: host.rootPath("876") + "/bin/vzprobe")
        // Four holders, as many as each one's numfile lets it take.
        let hold = host.run("vzctl", "exec", "876", "for i in 1 2 3 4; do vzprobe hold-\(kind) > /held.$i 2>&1 & done")
        #expect(hold.code == 0, "\(hold)")
        var held: [String] = []
        for _ in 0..<100 {
            held = (1...4).compactMap { host.read(host.rootPath("876") + "/held.\($0)") }.filter { !$0.isEmpty }
            if held.count == 4 { break }
            usleep(50_000)
        }
        #expect(held.count == 4, "\(held)")
        if kind == "ptys" {
            let total = held.compactMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0.dropLast()) } }.reduce(0, +)
            #expect(total <= 8, "numpty 8, yet the container holds \(total) ptys: \(held)")
        }
        othersStillWork(host, "876", "877", "\(kind) held")
        stopWorks(host, "876", "\(kind) held")
    }
}
