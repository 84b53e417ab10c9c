import Foundation
import Testing

/// Snapshots of the image layout: full copies of the image beside it, a
/// running container's file system frozen for the copy.
@Suite("snapshots", .enabled(if: isRoot, "needs root"))
struct SnapshotTests {
    static let first = "{8a000000-0000-4000-8000-000000000001}"
    static let second = "{8a000000-0000-4000-8000-000000000002}"
    static let third = "{8a000000-0000-4000-8000-000000000003}"

    func imageCT(_ host: TestHost, _ ctid: String) throws {
        try host.create(ctid, "--layout", "ploop", "--diskspace", "64M")
    }

    /// A host with one running image container.
    func runningImageCT(_ ctid: String, test: String = #function) throws -> TestHost {
        let host = try TestHost(test)
        try imageCT(host, ctid)
        try host.start(ctid)
        return host
    }

    func exec(_ host: TestHost, _ ctid: String, _ command: String) -> String {
        let r = host.run("vzctl", "exec2", ctid, command)
        #expect(r.code == 0, "\(command): \(r)")
        return r.stdout
    }

    @Test func switchRestoresFilesAndConfigOfARunningContainer() throws {
        let host = try runningImageCT("801")
        _ = exec(host, "801", "echo one > /data")
        let snap = host.run("vzctl", "snapshot", "801", "--id", Self.first, "--name", "before")
        #expect(snap.code == 0 && snap.stderr.isEmpty, "\(snap)")
        #expect(snap.stdout == """
            Creating snapshot \(Self.first)
            Memory state is not saved (no checkpoint support): the snapshot holds the disk only
            Snapshot \(Self.first) has been successfully created

            """)
        #expect(host.run("vzctl", "status", "801").stdout == "CTID 801 exist mounted running\n")
        _ = exec(host, "801", "echo two > /data; rm /bin/ls; touch /new")
        #expect(host.run("vzctl", "set", "801", "--description", "after", "--save").code == 0)

        let sw = host.run("vzctl", "snapshot-switch", "801", "--id", Self.first)
        #expect(sw.code == 0 && sw.stderr.isEmpty, "\(sw)")
        #expect(sw.stdout.hasPrefix("Switching to snapshot \(Self.first)\n"))
        #expect(sw.stdout.hasSuffix("Container has been successfully switched to another snapshot\n"))
        #expect(host.run("vzctl", "status", "801").stdout == "CTID 801 exist mounted running\n")
        #expect(exec(host, "801", "cat /data; ls /bin/ls; ls /new 2>&1 || true") == "one\n/bin/ls\nls: /new: No such file or directory\n")
        #expect(host.read(host.confPath("801"))?.contains("after") == false, "CTID.conf not switched")

        // --skip-resume leaves it stopped; --skip-config keeps CTID.conf.
        #expect(host.run("vzctl", "set", "801", "--description", "kept", "--save").code == 0)
        let skip = host.run("vzctl", "snapshot-switch", "801", "--id", Self.first, "--skip-resume", "--skip-config")
        #expect(skip.code == 0, "\(skip)")
        #expect(host.run("vzctl", "status", "801").stdout == "CTID 801 exist unmounted down\n")
        #expect(host.read(host.confPath("801"))?.contains("kept") == true)
        let must = host.run("vzctl", "snapshot-switch", "801", "--id", Self.first, "--must-resume")
        #expect(must.code == 159 && must.stderr == "Error: no dump in snapshot, unable to resume\nFailed to switch to snapshot \(Self.first)\n", "\(must)")
    }

    @Test func listFormatHeaderAndFields() throws {
        let host = try TestHost()
        try imageCT(host, "802")
        #expect(host.run("vzctl", "snapshot-list", "802").stdout == "PARENT_UUID                            C UUID                                   DATE                NAME                            \n")
        #expect(host.run("vzctl", "snapshot", "802", "--id", String(Self.first.dropFirst().dropLast()), "--name", "first").code == 0)
        #expect(host.run("vzctl", "snapshot", "802", "--uuid", Self.second, "--name", "second", "--description", "the 2nd", "--skip-config").code == 0)
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("802") + "/dump/\(Self.second).ve.conf"))
        let dates = host.run("vzctl", "snapshot-list", "802", "-H", "-o", "date").stdout.split(separator: "\n").map(String.init)
        try #require(dates.count == 2)
        #expect(dates.allSatisfy { $0.range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"#, options: .regularExpression) != nil }, "\(dates)")
        let pad = { (s: String, n: Int) in s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        let list = host.run("vzctl", "snapshot-list", "802")
        #expect(list.code == 0 && list.stderr.isEmpty, "\(list)")
        #expect(list.stdout == pad("PARENT_UUID", 38) + " C " + pad("UUID", 38) + " " + pad("DATE", 19) + " " + pad("NAME", 32) + "\n"
            + pad("", 38) + "   " + Self.first + " " + dates[0] + " first\n"
            + Self.first + " * " + Self.second + " " + dates[1] + " second\n")
        #expect(host.run("vzctl", "snapshot-list", "802", "-H", "-o", "uuid,desc,current").stdout
            == Self.first + " " + pad("", 32) + " \n" + Self.second + " " + pad("the 2nd", 32) + " *\n")
        // --id lists the snapshot and its ancestors.
        #expect(host.run("vzctl", "snapshot-list", "802", "-H", "-oname", "--id", Self.second).stdout == "second\nfirst\n")
        #expect(host.run("vzctl", "snapshot-list", "802", "-H", "-o", "name", "-u", Self.first).stdout == "first\n")
        #expect(host.run("vzctl", "snapshot-list", "802", "-H", "-o", "name,").stdout == "first\nsecond\n")
        let fields = host.run("vzctl", "snapshot-list", "802", "-L").stdout
        #expect(fields.hasPrefix("uuid            UUID           \nparent_uuid     PARENT_UUID    \n"))
        let unknown = host.run("vzctl", "snapshot-list", "802", "-o", "size")
        #expect(unknown.code == 21 && unknown.stderr == "Unknown field: size\n", "\(unknown)")
        let missing = host.run("vzctl", "snapshot-list", "802", "--id", Self.third)
        #expect(missing.code == 21 && missing.stderr == "Can't find snapshot by uuid \(Self.third)\n", "\(missing)")
    }

    @Test func deletingTheMiddleSnapshotKeepsTheOthersUsable() throws {
        let host = try runningImageCT("803")
        for (i, id) in [Self.first, Self.second, Self.third].enumerated() {
            _ = exec(host, "803", "echo \(i) > /state")
            #expect(host.run("vzctl", "snapshot", "803", "--id", id, "--skip-suspend").code == 0)
        }
        let del = host.run("vzctl", "snapshot-delete", "803", "--id", Self.second)
        #expect(del.code == 0 && del.stdout == "Deleting snapshot \(Self.second)\nSnapshot \(Self.second) has been successfully deleted\n", "\(del)")
        #expect(!FileManager.default.fileExists(atPath: host.privatePath("803") + "/root.hdd/root.hdd.\(Self.second)"))
        #expect(host.run("vzctl", "snapshot-list", "803", "-H", "-o", "uuid,parent_uuid,current").stdout
            == Self.first + " " + String(repeating: " ", count: 38) + " \n" + Self.third + " " + Self.first + " *\n")
        for (id, state) in [(Self.third, "2"), (Self.first, "0")] {
            #expect(host.run("vzctl", "snapshot-switch", "803", "--id", id).code == 0)
            #expect(exec(host, "803", "cat /state") == state + "\n")
        }
        // Deleting the current snapshot makes its parent current.
        #expect(host.run("vzctl", "snapshot-delete", "803", "--id", Self.third).code == 0)
        #expect(host.run("vzctl", "snapshot-list", "803", "-H", "-o", "uuid,current").stdout == Self.first + " *\n")
    }

    @Test func snapshotOfARunningWriterIsConsistent() throws {
        let host = try runningImageCT("804")
        _ = exec(host, "804", "sh -c 'i=0; while true; do echo $i >> /log; i=$((i+1)); mkdir -p /d/$((i % 50)); echo $i > /d/$((i % 50))/f; done' </dev/null >/dev/null 2>&1 &")
        for id in [Self.first, Self.second, Self.third] {
            usleep(200_000)
            let r = host.run("vzctl", "snapshot", "804", "--id", id)
            #expect(r.code == 0, "\(r)")
            let image = host.privatePath("804") + "/root.hdd/root.hdd.\(id)"
            let fsck = TestHost.run(["e2fsck", "-fn", image], env: [:])
            #expect(fsck.code == 0, "fsck of \(id): \(fsck)")
            // A copy taken unfrozen still has its journal to replay; a frozen one does not.
            let header = TestHost.run(["dumpe2fs", "-h", image], env: [:]).stdout
            #expect(header.contains("has_journal") && !header.contains("needs_recovery"), "\(header)")
        }
        #expect(host.run("vzctl", "status", "804").stdout == "CTID 804 exist mounted running\n")
        let before = exec(host, "804", "wc -l < /log")
        usleep(200_000)
        #expect(exec(host, "804", "wc -l < /log") != before, "the writer stopped")
    }

    @Test func mountShowsTheOldFilesReadOnly() throws {
        let host = try runningImageCT("805")
        _ = exec(host, "805", "echo old > /data")
        #expect(host.run("vzctl", "snapshot", "805", "--id", Self.first).code == 0)
        _ = exec(host, "805", "echo new > /data")
        let target = host.prefix + "/snapmnt"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let missing = host.run("vzctl", "snapshot-mount", "805", "--id", Self.first)
        #expect(missing.code == 20 && missing.stderr == "Invalid syntax: mount target is missing\n", "\(missing)")
        let mount = host.run("vzctl", "snapshot-mount", "805", "--id", Self.first, "--target", target)
        #expect(mount.code == 0 && mount.stdout == "Mounting snapshot \(Self.first) to \(target)\n", "\(mount)")
        #expect(host.read(target + "/data") == "old\n")
        #expect(!FileManager.default.createFile(atPath: target + "/x", contents: nil), "the snapshot is writable")
        let fields = host.run("vzctl", "snapshot-list", "805", "-H", "-o", "target")
        #expect(fields.stdout == target + "\n")
        let del = host.run("vzctl", "snapshot-delete", "805", "--id", Self.first)
        #expect(del.code == 158 && del.stderr.contains("is mounted at \(target)"), "\(del)")
        let again = host.run("vzctl", "snapshot-mount", "805", "--id", Self.first, "--target", target)
        #expect(again.code == 160, "\(again)")
        #expect(host.run("vzctl", "stop", "805", "--fast").code == 0)
        let destroy = host.run("vzctl", "destroy", "805")
        #expect(destroy.code == 41 && destroy.stderr == "Snapshot \(Self.first) is mounted at \(target) (umount it first)\n", "\(destroy)")
        try host.start("805")
        let umount = host.run("vzctl", "snapshot-umount", "805", "--id", Self.first)
        #expect(umount.code == 0 && umount.stdout == "Umounting snapshot \(Self.first)\n", "\(umount)")
        #expect(host.read(target + "/data") == nil)
        #expect(host.run("vzctl", "snapshot-umount", "805", "--id", Self.first).code == 161)
        #expect(exec(host, "805", "cat /data") == "new\n")
        #expect(host.run("vzctl", "snapshot-delete", "805", "--id", Self.first).code == 0)
    }

    @Test func errors() throws {
        let host = try TestHost()
        try imageCT(host, "806")
        try host.create("807", "--layout", "simfs")
        let cases: [([String], Int32, String)] = [
            (["snapshot-switch", "806"], 20, "Invalid syntax: snapshot id is missing\n"),
            (["snapshot-delete", "806"], 20, "Invalid syntax: snapshot id is missing\n"),
            (["snapshot-umount", "806"], 20, "Invalid syntax: snapshot id is missing\n"),
            (["snapshot-mount", "806", "--target", "/mnt"], 20, "Invalid syntax: snapshot id is missing\n"),
            (["snapshot-switch", "806", "--id", Self.first, "--skip-resume", "--must-resume"], 20,
             "Invalid syntax: --skip-resume and --must-resume can not be used together\n"),
            (["snapshot", "806", "--bogus"], 21, "vzctl: unrecognized option '--bogus'\n"),
            (["snapshot", "806", "--id", "not-a-uuid"], 21, "Bad parameter for --id: not-a-uuid\n"),
            (["snapshot-delete", "806", "--uuid", "1234"], 21, "Bad parameter for --uuid: 1234\n"),
            (["snapshot-list", "806", "--id", "1234"], 21, "Invalid guid is specified: 1234\n"),
            (["snapshot-list", "806", "--bogus"], 20, "vzctl: unrecognized option '--bogus'\n"
                + "vzctl snapshot-list <ctid|name> [-H] [-o field[,field...]] [--id <uuid>]\n"
                + "vzctl snapshot-list <ctid|name> -L | --list\n"),
            (["snapshot-switch", "806", "--id", Self.first], 159,
             "Unable to find snapshot by uuid \(Self.first)\nFailed to switch to snapshot \(Self.first)\n"),
            (["snapshot-delete", "806", "--id", Self.first], 158,
             "Unable to find snapshot by uuid \(Self.first)\nFailed to delete snapshot \(Self.first)\n"),
            (["snapshot", "807"], 156, "Snapshot feature is only available for ploop-based CTs\n"),
            (["snapshot-list", "807"], 167, "Snapshot feature is only available for ploop-based CTs\n"),
            (["snapshot-switch", "807", "--id", Self.first], 159, "Snapshot feature is only available for ploop-based CTs\n"),
        ]
        for (args, code, message) in cases {
            let r = TestHost.run(["vzctl"] + args, env: ["VZ_PREFIX": host.prefix])
            #expect(r.code == code && r.stderr == message, "\(args): \(r)")
        }
        #expect(host.run("vzctl", "snapshot", "806", "--id", Self.first).code == 0)
        let twice = host.run("vzctl", "snapshot", "806", "--id", Self.first)
        #expect(twice.code == 156 && twice.stderr == "Invalid guid \(Self.first) specified: already exists\nFailed to create snapshot\n", "\(twice)")
    }

    /// What a kill -9 leaves: a frozen file system and half-made files.
    @Test func theNextCommandCleansUpAnInterruptedSnapshot() throws {
        let host = try runningImageCT("808")
        let priv = host.privatePath("808")
        // A snapshot killed while the file system was frozen.
        try host.rootPath("808").write(toFile: priv + "/.snapshot-freeze", atomically: false, encoding: .utf8)
        #expect(TestHost.run(["fsfreeze", "-f", host.rootPath("808")], env: [:]).code == 0)
        // ... and one killed during its copy, and one before its tree was written.
        FileManager.default.createFile(atPath: priv + "/root.hdd/root.hdd.\(Self.second).tmp", contents: Data("x".utf8))
        FileManager.default.createFile(atPath: priv + "/root.hdd/root.hdd.\(Self.third)", contents: Data("x".utf8))
        try FileManager.default.createDirectory(atPath: priv + "/dump", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: priv + "/dump/\(Self.third).ve.conf", contents: Data("x".utf8))
        let list = host.run("vzctl", "snapshot-list", "808", "-H")
        #expect(list.code == 0 && list.stdout.isEmpty, "\(list)")
        #expect(!FileManager.default.fileExists(atPath: priv + "/.snapshot-freeze"))
        #expect(exec(host, "808", "echo thawed > /t; cat /t") == "thawed\n")
        #expect(host.run("vzctl", "snapshot", "808", "--id", Self.first).code == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: priv + "/root.hdd").sorted()
        #expect(left == ["root.hdd", "root.hdd.\(Self.first)"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: priv + "/dump") == ["\(Self.first).ve.conf"])
    }
}
