#if canImport(Glibc)
import Glibc
#endif

/// The stages of `vzctl chkpnt`, as the classic tool had them: all in a row
/// by default, or one at a time (vzmigrate's live mode).
public enum CheckpointStage: String, Sendable {
    case full, suspend, dump, kill, resume
}

extension Container {
    var journal: CheckpointJournal { CheckpointJournal(lockDir: config.host.lockDir, ctid: ctid) }

    /// `vzctl chkpnt`: freeze the container (freezer cgroup), dump it with
    /// CRIU into `dump`, then kill it, clear its host side and unmount.
    /// A failure before the kill thaws it: it runs on as before. `dump` is
    /// nil where none was named and the stage needs one named (`--dump`).
    /// `nftablesLock` false: CRIU locks the network with iptables even
    /// where it could with nftables (the dump is to be restored by a criu
    /// that cannot).
    public func checkpoint(_ stage: CheckpointStage, to dump: DumpFile?, nftablesLock: Bool = true, progress: (String) -> Void) throws(VZError) {
        try recoverInterruptedCheckpoint()
        switch stage {
        case .kill, .resume:
            guard let pid = initPID else { throw VZError(.notRunning, "Container is not running") }
            if stage == .kill {
                progress("Killing...")
                try killFrozen(initPID: pid, unmount: false)
            } else {
                progress("Resuming...")
                try thawAfterDump(initPID: pid)
            }
            return
        case .full, .suspend, .dump:
            break
        }
        progress("Setting up checkpoint...")
        guard let pid = initPID else {
            throw VZError(.notRunning, "Unable to setup checkpointing: container is not running")
        }
        let root = try rootPath()
        // Asked now, while the container runs, not in its frozen time.
        if stage == .full { _ = Criu.canLockWithNftables }
        do throws(VZError) {
            // `--dump` alone expects a suspended container, and leaves it
            // frozen: one that is not is frozen first, without a word.
            if stage != .dump || !cgroup.isFrozen {
                if stage != .dump { progress("\tsuspend...") }
                do {
                    try cgroup.freeze()
                } catch {
                    try? cgroup.thaw()
                    throw VZError(.chkpntError, "Can not suspend container", error)
                }
                if stage == .suspend {
                    progress("Checkpointing completed successfully")
                    return
                }
            }
            guard let dump else { throw VZError(.chkpntError, "Error: dumpfile is not specified") }
            progress("\tdump...")
            try dumpFrozen(initPID: pid, root: root, to: dump, whole: stage == .full, nftablesLock: nftablesLock)
            if stage == .full {
                progress("\tkill...")
                try killFrozen(initPID: pid, unmount: true)
                progress("Container is unmounted")
            }
        } catch {
            throw VZError(error.code, error.message + "\nCheckpointing failed")
        }
        progress("Checkpointing completed successfully")
    }

    /// Dumps the frozen container into `dump`, journaled. A `whole`
    /// chkpnt's dump kills it, else it stays frozen. On failure the dump is
    /// kept aside with its log and a `whole` chkpnt's container goes on
    /// running.
    private func dumpFrozen(initPID pid: pid_t, root: String, to dump: DumpFile, whole: Bool, nftablesLock: Bool) throws(VZError) {
        guard let freezer = cgroup.freezerPath else {
            throw VZError(.chkpntError, "Can not dump container: the host has no freezer cgroup")
        }
        let journal = self.journal
        do {
            try journal.begin(whole ? .chkpnt : .dump, dump)
            try dump.prepareStaging()
        } catch {
            journal.end()
            if whole { try? cgroup.thaw() }
            throw VZError(.chkpntError, "Can not create dump file \(dump.path)", error)
        }
        do {
            // A container that stays (frozen) after its dump must not answer
            // its peers meanwhile: its links go down as CRIU's network lock
            // ends, until `--resume` (or for good with `--kill`).
            try Criu.dump(initPID: pid, root: root, freezer: freezer, controllers: cgroup.criuControllers,
                          into: dump.staging, leaveRunning: !whole, linksDown: whole ? [] : hostLinks,
                          externalMounts: config.idMap == nil ? [] : CriuUserNamespace.externalMounts,
                          nftablesLock: nftablesLock && Criu.canLockWithNftables)
            try dump.commit()
        } catch {
            dump.keepFailed()
            if whole { try? cgroup.thaw() } else { try? setHostLinks(up: true) }
            journal.end()
            throw VZError(.chkpntError, "Can not dump container (dump and log kept in \(dump.failed))", error)
        }
        if whole { return }  // the kill ends the journal
        journal.end()
        // A dumped container no longer answers for its addresses on the
        // host's networks (the classic tool cleared them too).
        ProxyNeighbour.withdraw(config.ipAddresses, on: ProxyNeighbour.devices(config.host))
    }

    /// Kills a dumped (frozen) container and removes its cgroups; with
    /// `unmount`, its root too. Ends the journal of a whole chkpnt.
    private func killFrozen(initPID pid: pid_t, unmount: Bool) throws(VZError) {
        try killAll(withdrawing: config.ipAddresses + Venet.currentAddresses(pid: pid), else: .chkpntError, "Can not kill container")
        journal.end()
        if unmount { try umount() }
    }

    private func thawAfterDump(initPID pid: pid_t) throws(VZError) {
        do {
            try setHostLinks(up: true)
            try ProxyNeighbour.publish(Venet.currentAddresses(pid: pid), on: ProxyNeighbour.devices(config.host))
            try cgroup.thaw()
        } catch {
            throw VZError(.chkpntError, "Can not resume container", error)
        }
    }

    /// What a chkpnt or restore killed half-way left: a whole chkpnt whose
    /// dump was committed is finished (killed, unmounted); one that was
    /// not is undone (partial dump removed, container thawed); a killed
    /// restore's processes are killed and the dump kept for another try.
    public func recoverInterruptedCheckpoint() throws(VZError) {
        let journal = self.journal
        guard let (operation, dump) = journal.pending() else { return }
        let failed = "Unable to recover from an interrupted \(operation.rawValue) of CT \(ctid)"
        Criu.killLeftovers(workingOn: [dump.staging, dump.path])
        switch operation {
        case .chkpnt where !dump.exists && !isRunning && Criu.dumpFinished(dump.staging):
            // Killed between CRIU's kill of the container and the commit.
            do {
                try dump.commit()
            } catch {
                throw VZError(.systemError, failed, error)
            }
            fallthrough
        case .chkpnt where dump.exists, .restore:
            try killAll(withdrawing: config.ipAddresses, else: .systemError, failed)
            try? umount()
        case .dump where dump.exists:
            break  // finished: frozen, links down, as `--dump` leaves it
        case .chkpnt, .dump:
            // The dump did not finish: the container goes on (a whole
            // chkpnt's thawed; `--dump` leaves it suspended as it found it).
            guard let pid = initPID else { break }
            do throws(SysError) {
                try NetworkLock.release(pid: pid)
                try setHostLinks(up: true)
                if operation == .chkpnt { try cgroup.thaw() }
            } catch {
                throw VZError(.systemError, failed, error)
            }
        }
        try? Files.removeTree(dump.staging)
        journal.end()
    }
}
