#if canImport(Glibc)
import Glibc
#endif

public struct SnapshotRequest: Sendable {
    public var uuid: String?
    public var name = ""
    public var description = ""
    public var skipSuspend = false
    public var skipConfig = false

    public init() {}
}

public struct SwitchOptions: Sendable {
    public var skipResume = false
    public var mustResume = false
    public var skipConfig = false

    public init() {}
}

/// Snapshots of the image layout (see SnapshotStore). Without a memory
/// checkpoint a snapshot holds the disk only: a running container's file
/// system is frozen for the copy, and a switch boots the container afresh.
extension Container {
    /// The snapshot store, or the classic refusal for other layouts.
    public func snapshotStore(failing code: ExitCode) throws(VZError) -> SnapshotStore {
        let priv = try privatePath()
        guard ImageLayout.isImage(priv) else {
            throw VZError(code, "Snapshot feature is only available for ploop-based CTs")
        }
        return SnapshotStore(privatePath: priv)
    }

    /// Thaws and finishes what a killed snapshot command left; every command
    /// that takes the lock calls it first.
    public func finishInterruptedSnapshot() throws(VZError) {
        guard let priv = config.privatePath, ImageLayout.isImage(priv) else { return }
        do {
            try SnapshotStore(privatePath: priv).finishInterrupted()
        } catch {
            throw VZError(.switchSnapshot, "Unable to finish an interrupted snapshot switch", error)
        }
    }

    /// `vzctl snapshot`: returns the new snapshot's uuid.
    @discardableResult
    public func createSnapshot(_ request: SnapshotRequest, progress: (String) -> Void) throws(VZError) -> String {
        let store = try snapshotStore(failing: .createSnapshot)
        let failed = "Failed to create snapshot"
        let uuid: String
        let tree: SnapshotTree
        do throws(SysError) {
            if let given = request.uuid { uuid = given } else { uuid = try Self.newUUID() }
            try store.removeLeftovers()
            tree = try store.load()
        } catch {
            throw VZError(.createSnapshot, "Unable to read the snapshots: \(error)\n\(failed)")
        }
        if tree.find(uuid) != nil {
            throw VZError(.createSnapshot, "Invalid guid \(uuid) specified: already exists\n\(failed)")
        }
        progress("Creating snapshot \(uuid)")
        if isRunning && !request.skipSuspend {
            progress("Memory state is not saved (no checkpoint support): the snapshot holds the disk only")
        }
        let frozen = isMounted ? try rootPath() : nil
        do {
            try store.create(
                uuid: uuid, date: LocalTime.now("%F %T"), name: request.name, description: request.description,
                config: request.skipConfig ? nil : layout.ctConfPath(ctid), freezing: frozen)
        } catch {
            throw VZError(.createSnapshot, "\(error)\n\(failed)")
        }
        progress("Snapshot \(uuid) has been successfully created")
        return uuid
    }

    /// `vzctl snapshot-switch`: the image (and CTID.conf unless skipped)
    /// becomes the snapshot's. A running container is stopped for it and
    /// started again, fresh, unless `skipResume`.
    public func switchSnapshot(_ uuid: String, _ options: SwitchOptions, host: HostConfig, progress: (String) -> Void) throws(VZError) {
        let store = try snapshotStore(failing: .switchSnapshot)
        let failed = "Failed to switch to snapshot \(uuid)"
        try requireSnapshot(uuid, in: store, code: .switchSnapshot, failed: failed)
        if options.mustResume {
            throw VZError(.switchSnapshot, "Error: no dump in snapshot, unable to resume\n\(failed)")
        }
        progress("Switching to snapshot \(uuid)")
        let wasRunning = isRunning
        if wasRunning {
            // The current disk state is being replaced: nothing to shut down cleanly for.
            try stop(fast: true, progress: progress)
        } else if isMounted {
            try umount()
        }
        do {
            try store.switchTo(uuid, config: options.skipConfig ? nil : layout.ctConfPath(ctid))
        } catch {
            throw VZError(.switchSnapshot, "\(error)\n\(failed)")
        }
        if wasRunning && !options.skipResume {
            progress("The snapshot holds no memory state: starting the container afresh")
            try Container.load(ctid, host: host).start(StartOptions(), progress: progress)
        }
        progress("Container has been successfully switched to another snapshot")
    }

    /// `vzctl snapshot-delete`. A mounted snapshot stays.
    public func deleteSnapshot(_ uuid: String, progress: (String) -> Void) throws(VZError) {
        let store = try snapshotStore(failing: .deleteSnapshot)
        let failed = "Failed to delete snapshot \(uuid)"
        try requireSnapshot(uuid, in: store, code: .deleteSnapshot, failed: failed)
        if let mount = store.mounts(uuid).first {
            throw VZError(.deleteSnapshot, "Snapshot \(uuid) is mounted at \(mount.point) (umount it first)\n\(failed)")
        }
        progress("Deleting snapshot \(uuid)")
        do {
            try store.delete(uuid)
        } catch {
            throw VZError(.deleteSnapshot, "\(error)\n\(failed)")
        }
        progress("Snapshot \(uuid) has been successfully deleted")
    }

    /// `vzctl snapshot-mount`: read-only, on a read-only loop device.
    public func mountSnapshot(_ uuid: String, at target: String, progress: (String) -> Void) throws(VZError) {
        let store = try snapshotStore(failing: .mountSnapshot)
        guard store.hasTree else {
            throw VZError(.mountSnapshot, "Snapshot description file \(store.treePath) not found")
        }
        try requireSnapshot(uuid, in: store, code: .mountSnapshot, failed: nil)
        if let mount = store.mounts(uuid).first {
            throw VZError(.mountSnapshot, "Failed to mount snapshot \(uuid): already mounted at \(mount.point)")
        }
        progress("Mounting snapshot \(uuid) to \(target)")
        do {
            try store.mount(uuid, at: target)
        } catch {
            throw VZError(.mountSnapshot, "Failed to mount snapshot \(uuid): \(error)")
        }
    }

    public func umountSnapshot(_ uuid: String, progress: (String) -> Void) throws(VZError) {
        let store = try snapshotStore(failing: .umountSnapshot)
        progress("Umounting snapshot \(uuid)")
        let mounts = store.mounts(uuid)
        if mounts.isEmpty {
            throw VZError(.umountSnapshot, "Failed to umount snapshot \(uuid): it is not mounted")
        }
        for mount in mounts {
            do {
                try Mounts.unmount(mount.point)
            } catch {
                throw VZError(.umountSnapshot, "Failed to umount snapshot \(uuid): \(error)")
            }
        }
    }

    public func snapshotTree() throws(VZError) -> SnapshotTree {
        let store = try snapshotStore(failing: .listSnapshot)
        do {
            return try store.load()
        } catch {
            throw VZError(.listSnapshot, "Failed to read \(store.treePath): \(error)")
        }
    }

    /// Clears leftovers, then checks that `uuid` is in the tree; `failed` is
    /// vzctl's last line for the command, where it has one.
    private func requireSnapshot(_ uuid: String, in store: SnapshotStore, code: ExitCode, failed: String?) throws(VZError) {
        let tree: SnapshotTree
        do {
            try store.removeLeftovers()
            tree = try store.load()
        } catch {
            throw VZError(code, "Unable to read the snapshots: \(error)" + (failed.map { "\n" + $0 } ?? ""))
        }
        if tree.find(uuid) == nil {
            throw VZError(code, "Unable to find snapshot by uuid \(uuid)" + (failed.map { "\n" + $0 } ?? ""))
        }
    }

    /// A random (version 4) uuid from the kernel, in braces.
    static func newUUID() throws(SysError) -> String {
        "{" + (try Files.readSmall("/proc/sys/kernel/random/uuid")).replacingNewlines() + "}"
    }
}
