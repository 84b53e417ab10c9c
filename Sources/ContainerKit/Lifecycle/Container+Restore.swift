#if canImport(Glibc)
import Glibc
#endif

/// The stages of `vzctl restore`: all by default; `undump` leaves the
/// restored container frozen for a later `resume` (or `kill`).
public enum RestoreStage: String, Sendable {
    case full, undump, kill, resume
}

extension Container {
    /// `vzctl restore`: mount, bring the processes back with CRIU (same PIDs
    /// inside, their network namespace with its addresses and connections,
    /// their cgroups with the configuration's limits), re-attach the host's side of
    /// the network, thaw, and remove the dump. `dump` is nil where none was
    /// named and the stage needs one named (`--undump`).
    public func restore(_ stage: RestoreStage, from dump: DumpFile?, skipRemount: Bool, progress: (String) -> Void) throws(VZError) {
        if stage == .kill || stage == .resume {
            try recoverInterruptedCheckpoint()
            guard initPID != nil else { throw VZError(.notRunning, "Container is not running") }
            if stage == .kill {
                progress("Killing...")
                try killAll(withdrawing: config.ipAddresses, else: .restoreError, "Can not kill container")
                return
            }
            progress("Resuming...")
            do {
                try cgroup.thaw()
            } catch {
                throw VZError(.restoreError, "Can not resume container", error)
            }
            return
        }
        if isRunning { throw VZError(.running, "Unable to perform restore: container already running") }
        progress("Restoring container ...")
        try recoverInterruptedCheckpoint()
        guard let dump else { throw VZError(.restoreError, "Error: dumpfile is not specified") }
        guard dump.exists else {
            throw VZError(.restoreError, "Unable to open \(dump.path): \(String(cString: strerror(ENOENT)))")
        }
        try cleanUpAfterDeath()
        // Journaled before the mount: a restore killed right after it is
        // undone (unmounted) by the next command too.
        let journal = self.journal
        do {
            try journal.begin(.restore, dump)
        } catch {
            throw VZError(.restoreError, "Restore error, undump failed", error)
        }
        do throws(VZError) {
            if isMounted && !skipRemount { try umount() }
            try mount()
        } catch {
            journal.end()
            throw error
        }
        progress("\tundump...")
        let root = try rootPath()
        let map = config.idMap
        // Its tasks come back in its user namespace: they must reach the
        // dump, as the host's uid 0 (before their ids are set, without
        // capabilities over the host's files) and as its root. Its group
        // gets the directory; nobody else does (the images hold its memory).
        if let map {
            _ = chown(dump.path, 0, map.gid)
            _ = chmod(dump.path, 0o750)
        }
        if let map, let dir = CriuUserNamespace.unreachable(dump.path, by: map) {
            try? umount()
            journal.end()
            throw VZError(.restoreError, "Restore error, undump failed: \(dir) is not searchable by the container's root (uid \(map.uid)): the dump and its parent directories must be")
        }
        let pairs = map == nil ? [] : userNamespacePairs
        let mappedRoot = dump.path + "/.root", mappedDev = dump.path + "/.dev"
        do throws(SysError) {
            // The parent made ready (v1 cpuset given CPUs and nodes, v2
            // controllers enabled), as after a reboot it may not be; the
            // container's own is left for CRIU to make with the dumped limits.
            try cgroup.create()
            try cgroup.destroy()
            let pid: pid_t
            if let map {
                // See CriuUserNamespace: the root id-mapped, the veth pairs made here.
                defer {
                    CriuUserNamespace.unmount(mappedRoot)
                    CriuUserNamespace.unmount(mappedDev)
                }
                try CriuUserNamespace.mountIDMappedRoot(root, at: mappedRoot, map: map)
                try CriuUserNamespace.mountDev(at: mappedDev, nodes: Self.devicePolicy(of: config, diskNode: nil).nodes, map: map)
                let devices = try CriuUserNamespace.preparePairs(ctid, pairs)
                pid = try Criu.restore(from: dump.path, root: mappedRoot, vethPairs: [], externalDevices: devices,
                                       externalMounts: CriuUserNamespace.externalMounts.map { ($0.1, mappedDev) },
                                       cgroupRoots: cgroupRoots)
            } else {
                pid = try Criu.restore(from: dump.path, root: root, vethPairs: vethPairs, cgroupRoots: cgroupRoots)
            }
            // Frozen as it was dumped, until its host side is back.
            try cgroup.freeze()
            // CRIU brings back the limits it knows of a cgroup it made, and
            // on v2 not all of them (pids.max): the configuration's, again.
            try cgroup.apply(ResourceLimits.from(config))
            // Nor does it bring back the cgroup's BPF programs (v2 devices, sysctls).
            try cgroup.restrict(devices: Self.devicePolicy(of: config, diskNode: nil).rules)
            try Venet.reattach(ctid, pid: pid, publishOn: ProxyNeighbour.devices(config.host))
            for device in config.netifs { try BridgedVeth.reattach(device) }
            if stage == .full {
                progress("\tresume...")
                try cgroup.thaw()
            }
        } catch {
            try? cgroup.killAll()
            CriuUserNamespace.removePairs(ctid, pairs)
            try? cleanUpAfterDeath()
            try? umount()
            journal.end()
            throw VZError(.restoreError, "Restore error, undump failed", error)
        }
        journal.end()
        if stage == .full { try? dump.remove() }
        progress("Restoring completed successfully")
    }

    /// The container's cgroup in each hierarchy vzkit manages.
    private var cgroupRoots: [(String, String)] {
        cgroup.criuControllers.map { ($0, "/\(layout.cgroupParent)/\(ctid)") }
    }

    /// The container's veth pairs, made on the host before the restore of
    /// one with a user namespace (see CriuUserNamespace).
    private var userNamespacePairs: [CriuUserNamespace.Pair] {
        [CriuUserNamespace.Pair(inside: Venet.containerInterface, insideMAC: Venet.mac(ctid),
                                host: Venet.hostInterface(ctid), hostMAC: Venet.mac(ctid))]
            + config.netifs.compactMap { device in
                guard let host = device.hostIfname, let mac = device.mac, let hostMAC = device.hostMAC else { return nil }
                return CriuUserNamespace.Pair(inside: device.ifname, insideMAC: NetIf.macBytes(mac), host: host, hostMAC: NetIf.macBytes(hostMAC))
            }
    }

    /// CRIU's names for the host ends of the container's veth devices.
    private var vethPairs: [(String, String)] {
        [(Venet.containerInterface, Venet.hostInterface(ctid))]
            + config.netifs.compactMap { device in device.hostIfname.map { (device.ifname, $0) } }
    }
}
