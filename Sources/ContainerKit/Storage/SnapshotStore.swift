#if canImport(Glibc)
import Glibc
#endif

/// Snapshots of the image layout, kept in the private area:
///
///     root.hdd/root.hdd.{UUID}   the image as it was: a full copy that shares
///                                nothing with the live image (sparse, or a
///                                reflink where the file system has them)
///     dump/{UUID}.ve.conf        CTID.conf as it was (not with --skip-config)
///     Snapshots.tsv              the tree (SnapshotTree), replaced by rename
///
/// Every step is ordered so that a kill -9 leaves either the old state or
/// the new one plus files that `recover` removes or finishes: a snapshot
/// exists once the tree names it; copies are made under a temporary name
/// first; a switch records its intent only after its copy is complete.
public struct SnapshotStore: Sendable {
    public let privatePath: String

    public init(privatePath: String) {
        self.privatePath = privatePath
    }

    var treePath: String { privatePath + "/Snapshots.tsv" }
    var liveImage: String { ImageLayout.image(inPrivate: privatePath) }
    var imageDir: String { privatePath + "/root.hdd" }
    var dumpDir: String { privatePath + "/dump" }
    public func image(_ uuid: String) -> String { liveImage + "." + uuid }
    public func configCopy(_ uuid: String) -> String { dumpDir + "/" + uuid + ".ve.conf" }
    /// Written (holding VE_ROOT) before a freeze, removed after the thaw.
    var freezeMarker: String { privatePath + "/.snapshot-freeze" }
    /// Written (holding the uuid) once a switch's copy is complete.
    var switchIntent: String { privatePath + "/.snapshot-switch" }
    var switchImage: String { liveImage + ".switch" }

    public var hasTree: Bool { Files.exists(treePath) }

    public func load() throws(SysError) -> SnapshotTree {
        guard let text = try Files.readIfExists(treePath) else { return SnapshotTree() }
        switch SnapshotTree.parse(text) {
        case .success(let tree): return tree
        case .failure(let error): throw SysError("parse line \(error.line) of", treePath, errno: EINVAL)
        }
    }

    func save(_ tree: SnapshotTree) throws(SysError) {
        try Files.writeAtomically(treePath, tree.text)
    }

    /// Adds snapshot `uuid` of the live image: the copy, then the config,
    /// then the tree. With `freezing`, the file system mounted there is
    /// frozen for the copy and thawed whatever happens, a kill included.
    func create(uuid: String, date: String, name: String, description: String,
                config: String?, freezing root: String?) throws(SysError) {
        var tree = try load()
        let partial = image(uuid) + ".tmp"
        unlink(partial)
        do {
            if let root {
                // The guard of whileFrozen thaws after a kill; the marker is
                // for a guard that was killed too.
                try Files.writeAtomically(freezeMarker, root)
                try FsFreeze.whileFrozen(root) { () throws(SysError) in try Files.copySparse(liveImage, to: partial) }
                unlink(freezeMarker)
            } else {
                try Files.copySparse(liveImage, to: partial)
            }
        } catch {
            unlink(partial)
            throw error
        }
        try check("rename", partial) { rename(partial, image(uuid)) }
        if let config {
            try Files.makeDirectories(dumpDir)
            try Files.writeAtomically(configCopy(uuid), try Files.read(config), mode: 0o644)
        }
        tree.add(uuid: uuid, date: date, name: name, description: description)
        try save(tree)
    }


    /// Makes the live image a copy of snapshot `uuid` and, with `config`,
    /// CTID.conf at that path the snapshot's copy of it. The image must not
    /// be mounted.
    func switchTo(_ uuid: String, config: String?) throws(SysError) {
        unlink(switchImage)
        try Files.copySparse(image(uuid), to: switchImage)
        try Files.writeAtomically(switchIntent, uuid + "\n" + (config ?? "") + "\n")
        try finishSwitch()
    }

    /// The rest of a switch whose intent is on disk: each step may be
    /// repeated, so a switch killed anywhere in here is finished later.
    private func finishSwitch() throws(SysError) {
        let lines = Text.lines(try Files.read(switchIntent))
        guard let uuid = lines.first.map(String.init) else { throw SysError("parse", switchIntent, errno: EINVAL) }
        if Files.exists(switchImage) { try check("rename", switchImage) { rename(switchImage, liveImage) } }
        if lines.count > 1, !lines[1].isEmpty, Files.exists(configCopy(uuid)) {
            try Files.writeAtomically(String(lines[1]), try Files.read(configCopy(uuid)))
        }
        var tree = try load()
        tree.setCurrent(uuid)
        try save(tree)
        try check("unlink", switchIntent) { unlink(switchIntent) }
    }

    /// Drops snapshot `uuid` from the tree (its children go to its parent),
    /// then its files.
    func delete(_ uuid: String) throws(SysError) {
        var tree = try load()
        tree.remove(uuid)
        try save(tree)
        try check("unlink", image(uuid)) { unlink(image(uuid)) }
        unlink(configCopy(uuid))
    }

    /// Mounts snapshot `uuid` read-only at `target`.
    func mount(_ uuid: String, at target: String) throws(SysError) {
        try ImageLayout.mount(file: image(uuid), at: target, readOnly: true)
    }

    /// Where snapshot `uuid` is mounted, and on which loop device.
    public func mounts(_ uuid: String) -> [(point: String, device: String)] {
        ImageLayout.mounts(of: image(uuid))
    }

    /// The first snapshot that is mounted somewhere, and where.
    public func anyMounted() -> (uuid: String, point: String)? {
        for snapshot in (try? load().snapshots) ?? [] {
            if let mount = mounts(snapshot.uuid).first { return (snapshot.uuid, mount.point) }
        }
        return nil
    }

    /// What a killed snapshot command left that must not wait: a frozen
    /// file system is thawed, a switch whose copy was complete is finished.
    /// Cheap when there is nothing to do (two stats), so every locked
    /// command runs it.
    public func finishInterrupted() throws(SysError) {
        if let root = try Files.readIfExists(freezeMarker) {
            // Best effort: an unmounted root has nothing left to thaw.
            try? FsFreeze.thaw(root)
            unlink(freezeMarker)
        }
        if Files.exists(switchIntent) { try finishSwitch() }
    }

    /// Removes what no snapshot owns: partial copies and the files of
    /// snapshots that never made it into the tree or were deleted from it.
    func removeLeftovers() throws(SysError) {
        let tree = try load()
        unlink(switchImage)
        let prefix = "root.hdd."
        for name in (try? Files.list(imageDir)) ?? [] where name.hasPrefix(prefix) {
            let uuid = String(name.dropFirst(prefix.count))
            if tree.find(uuid) == nil { try Files.removeTree(imageDir + "/" + name) }
        }
        let suffix = ".ve.conf"
        for name in (try? Files.list(dumpDir)) ?? [] where name.hasPrefix("{") {
            let uuid = name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
            if tree.find(uuid) == nil { try Files.removeTree(dumpDir + "/" + name) }
        }
    }
}
