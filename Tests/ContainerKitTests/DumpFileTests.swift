import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import ContainerKit

/// The dump directory's life (staged, committed, kept on failure) and the
/// journal a killed chkpnt/restore leaves, on a temp tree.
@Suite struct DumpFileTests {
    @Test func stagedThenCommittedOverAnOlderDump() throws {
        let dir = makeTempDirectory()
        defer { try? Files.removeTree(dir) }
        let dump = DumpFile(dir + "/dump/Dump.101")
        try dump.prepareStaging()
        try Files.write(dump.staging + "/pages-1.img", "new")
        #expect(!dump.exists, "a staged dump is not a dump yet")
        try Files.makeDirectories(dump.path)
        try Files.write(dump.path + "/pages-1.img", "old")
        try dump.commit()
        #expect(dump.exists && !Files.exists(dump.staging))
        #expect(try Files.read(dump.path + "/pages-1.img") == "new")
        try dump.remove()
        #expect(!Files.exists(dump.path))
    }

    @Test func aFailedDumpIsKeptAside() throws {
        let dir = makeTempDirectory()
        defer { try? Files.removeTree(dir) }
        let dump = DumpFile(dir + "/Dump.101")
        try Files.makeDirectories(dump.staging + "/leftover")  // from a killed dump
        try dump.prepareStaging()
        #expect(try Files.list(dump.staging).isEmpty)
        try Files.write(dump.staging + "/dump.log", "Error (criu/x.c:1): why")
        dump.keepFailed()
        #expect(!dump.exists)
        #expect(try Files.read(dump.failed + "/dump.log").hasPrefix("Error"))
        try dump.removeAll()  // as destroy does
        #expect(!Files.exists(dump.failed))
    }

    @Test(arguments: [CheckpointJournal.Operation.chkpnt, .dump, .restore])
    func theJournalSaysWhatWasUnderWay(_ operation: CheckpointJournal.Operation) throws {
        let dir = makeTempDirectory()
        defer { try? Files.removeTree(dir) }
        let journal = CheckpointJournal(lockDir: dir + "/lock", ctid: CTID(101))
        #expect(journal.pending() == nil)
        try journal.begin(operation, DumpFile("/vz/dump/Dump.101"))
        let pending = try #require(journal.pending())
        #expect(pending.0 == operation && pending.1.path == "/vz/dump/Dump.101")
        journal.end()
        #expect(journal.pending() == nil)
    }

    @Test func aGarbledJournalIsDropped() throws {
        let dir = makeTempDirectory()
        defer { try? Files.removeTree(dir) }
        let journal = CheckpointJournal(lockDir: dir, ctid: CTID(101))
        try Files.write(journal.file, "bogus\n")
        #expect(journal.pending() == nil)
        #expect(!Files.exists(journal.file))
    }
}
