#if canImport(Glibc)
import Glibc
#endif

/// A container's dump: one directory (DUMPDIR/Dump.CTID by default) holding
/// CRIU's images and logs, as vzctl 4.x's CRIU mode had it. A directory,
/// not an archive: CRIU writes and reads it in place, so nothing is packed
/// or unpacked while the container is frozen; it is copied with rsync or
/// tar like any tree.
///
/// It appears only whole: CRIU writes `PATH.tmp`, renamed to `PATH` once
/// the dump succeeded. A failed dump is kept as `PATH.fail` to read its log.
public struct DumpFile: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    var staging: String { path + ".tmp" }
    var failed: String { path + ".fail" }
    public var exists: Bool { Files.isDirectory(path) }

    /// A fresh, empty staging directory (one left by a killed dump goes).
    func prepareStaging() throws(SysError) {
        try Files.removeTree(staging)
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try Files.makeDirectories(String(path[..<slash]))
        }
        try check("mkdir", staging) { mkdir(staging, 0o700) }
    }

    /// The staged dump becomes the dump, replacing an older one.
    func commit() throws(SysError) {
        try Files.removeTree(path)
        try check("rename", staging) { rename(staging, path) }
    }

    /// The staged dump, with CRIU's log, is kept aside as `PATH.fail`.
    func keepFailed() {
        try? Files.removeTree(failed)
        rename(staging, failed)
    }

    func remove() throws(SysError) {
        try Files.removeTree(path)
    }

    /// The dump and whatever a failed or killed dump left beside it.
    func removeAll() throws(SysError) {
        for dir in [path, staging, failed] { try Files.removeTree(dir) }
    }
}

/// What a chkpnt or restore in progress writes down first
/// (`LOCKDIR/CTID.cpt`: the operation and its dump's path), so that the
/// next command, if this one is killed, finishes or undoes it (see
/// Container.recoverInterruptedCheckpoint).
struct CheckpointJournal {
    enum Operation: String {
        /// A whole chkpnt: freeze, dump, kill.
        case chkpnt
        /// `chkpnt --dump`: the container stays as it was (frozen).
        case dump
        /// A restore (whole or `--undump`).
        case restore
    }

    let file: String

    init(lockDir: String, ctid: CTID) {
        file = "\(lockDir)/\(ctid).cpt"
    }

    func begin(_ operation: Operation, _ dump: DumpFile) throws(SysError) {
        try Files.makeDirectories(String(file[..<file.lastIndex(of: "/")!]))
        try Files.writeAtomically(file, "\(operation.rawValue)\n\(dump.path)\n", mode: 0o600)
    }

    func end() {
        unlink(file)
    }

    /// The operation a killed command left unfinished, if any.
    func pending() -> (Operation, DumpFile)? {
        guard let text = try? Files.read(file) else { return nil }
        let lines = Text.lines(text)
        guard lines.count == 2, let operation = Operation(rawValue: String(lines[0])) else {
            end()
            return nil
        }
        return (operation, DumpFile(String(lines[1])))
    }
}
