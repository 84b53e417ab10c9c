import Foundation
import Testing

/// A vzctl killed with SIGKILL at any point of a snapshot, a switch or a
/// convert leaves a container that the next command can use.
@Suite("kill -9 during snapshot and convert", .enabled(if: isRoot, "needs root"))
struct KillTests {
    /// Delays (µs) after which the command is killed: from before it has
    /// done anything to after it is done.
    static let delays: [useconds_t] = [0, 3_000, 8_000, 15_000, 25_000, 40_000, 60_000, 90_000, 150_000]

    func exec(_ host: TestHost, _ ctid: String, _ command: String) -> String {
        let r = host.run("vzctl", "exec2", ctid, command)
        #expect(r.code == 0, "\(command): \(r)")
        return r.stdout
    }

    func uuid(_ i: Int) -> String { String(format: "{8b000000-0000-4000-8000-%012d}", i) }

    @Test func killedSnapshotsLeaveNoFrozenFileSystemAndNoHalfCopies() throws {
        let host = try TestHost()
        try host.create("820", "--layout", "ploop", "--diskspace", "256M")
        try host.start("820")
        // Enough data that a copy takes a while.
        _ = exec(host, "820", "dd if=/dev/urandom of=/blob bs=1M count=48 2>/dev/null")
        for (i, delay) in Self.delays.enumerated() {
            host.runKilled(after: delay, "vzctl", "snapshot", "820", "--id", uuid(i))
            #expect(exec(host, "820", "echo \(i) > /after; cat /after") == "\(i)\n", "frozen after a kill at \(delay) µs")
        }
        let final = host.run("vzctl", "snapshot", "820", "--id", uuid(99))
        #expect(final.code == 0, "\(final)")
        let listed = host.run("vzctl", "snapshot-list", "820", "-H", "-o", "uuid").stdout.split(separator: "\n").map(String.init)
        #expect(listed.last == uuid(99))
        let dir = host.privatePath("820") + "/root.hdd"
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == (["root.hdd"] + listed.map { "root.hdd.\($0)" }).sorted())
        for id in listed {
            let fsck = TestHost.run(["e2fsck", "-fn", "\(dir)/root.hdd.\(id)"], env: [:])
            #expect(fsck.code == 0, "\(id): \(fsck)")
        }
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("820") + "/.snapshot-freeze"))
    }

    @Test func killedSwitchesLeaveTheOldOrTheNewImage() throws {
        let host = try TestHost()
        try host.create("821", "--layout", "ploop", "--diskspace", "256M")
        try host.start("821")
        _ = exec(host, "821", "dd if=/dev/urandom of=/blob bs=1M count=48 2>/dev/null; echo old > /state")
        #expect(host.run("vzctl", "snapshot", "821", "--id", uuid(1)).code == 0)
        for delay in Self.delays {
            _ = exec(host, "821", "echo new > /state")
            host.runKilled(after: delay, "vzctl", "snapshot-switch", "821", "--id", uuid(1))
            // The next locked command finishes a recorded switch, and a
            // start the kill cut short.
            let start = host.run("vzctl", "start", "821")
            #expect(start.code == 0 || start.code == 32, "after a kill at \(delay) µs: \(start)")
            let state = exec(host, "821", "cat /state")
            #expect(state == "old\n" || state == "new\n", "after a kill at \(delay) µs: \(state)")
            #expect(!FileManager.default.fileExists(atPath: host.privatePath("821") + "/.snapshot-switch"))
        }
        #expect(host.run("vzctl", "snapshot-switch", "821", "--id", uuid(1)).code == 0)
        #expect(exec(host, "821", "cat /state") == "old\n")
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("821") + "/root.hdd/root.hdd.switch"))
    }

    @Test func killedConvertsLeaveTheSimfsOrTheImageContainer() throws {
        let host = try TestHost()
        try host.create("822", "--layout", "simfs")
        let priv = host.privatePath("822")
        _ = TestHost.run(["dd", "if=/dev/urandom", "of=\(priv)/blob", "bs=1M", "count=48"], env: [:])
        for delay in Self.delays {
            host.runKilled(after: delay, "vzctl", "convert", "822")
            let isImage = FileManager.default.fileExists(atPath: priv + "/root.hdd/root.hdd")
            #expect(isImage || FileManager.default.fileExists(atPath: priv + "/bin/busybox"), "after a kill at \(delay) µs")
            let mount = host.run("vzctl", "mount", "822")
            #expect(mount.code == 0, "\(mount)")
            #expect(FileManager.default.fileExists(atPath: host.rootPath("822") + "/blob"), "after a kill at \(delay) µs")
            #expect(host.run("vzctl", "umount", "822").code == 0)
            if isImage { break }
        }
        let done = host.run("vzctl", "convert", "822")
        #expect(done.code == 0, "\(done)")
        #expect(host.read(host.confPath("822"))?.contains("VE_LAYOUT=\"ploop\"") == true)
        #expect(!FileManager.default.fileExists(atPath: priv + ".convert"))
        #expect(!FileManager.default.fileExists(atPath: priv + ".convert.mnt"))
        try host.start("822")
        #expect(exec(host, "822", "ls /blob") == "/blob\n")
    }
}

extension TestHost {
    /// Runs a command of this host and kills it with SIGKILL after `delay`
    /// microseconds (if it still runs).
    func runKilled(after delay: useconds_t, _ args: String...) {
        let process = launch(args)
        usleep(delay)
        kill(process.pid, SIGKILL)
        process.wait()
    }
}
