#if canImport(Glibc)
import Glibc
#endif
import CShims

extension Container {
    /// `vzctl convert`: a stopped directory (simfs) container moves into an
    /// image sized by DISKSPACE and DISKINODES (hard limits). The image is
    /// made and filled beside the private area, in `VE_PRIVATE.convert`, then
    /// the two are swapped in one renameat2(RENAME_EXCHANGE): a kill -9 at
    /// any point leaves the old container or the new one, and the next
    /// convert removes what is left in `VE_PRIVATE.convert`.
    public func convertToImage(progress: (String) -> Void) throws(VZError) {
        let priv = try privatePath()
        let staging = priv + ".convert"
        let mnt = staging + ".mnt"
        do {
            try Self.removeStaging(staging, mnt)
        } catch {
            throw VZError(.systemError, "Unable to remove what an interrupted convert left", error)
        }
        if ImageLayout.isImage(priv) {
            try saveLayout()
            progress("CT is already on ploop")
            return
        }
        if isRunning { throw VZError(.running, "CT is running (stop it first)") }
        if isMounted { throw VZError(.fsMounted, "CT is mounted (umount it first)") }
        guard Files.isDirectory(priv) else {
            throw VZError(.noPrivate, "Container private area \(priv) does not exist")
        }
        guard let space = config.value("DISKSPACE").flatMap({ DiskValue.parse($0, sizes: true) }), space.hard > 0 else {
            throw VZError(.diskspaceNotSet, "Error: diskspace not set")
        }
        let inodes = config.value("DISKINODES").flatMap { DiskValue.parse($0, sizes: false) }?.hard
        do throws(SysError) {
            try check("mkdir", staging) { mkdir(staging, 0o700) }
            try ImageLayout.create(inPrivate: staging, sizeKB: space.hard, inodes: inodes)
            try Files.makeDirectories(mnt)
            try ImageLayout.mount(inPrivate: staging, at: mnt)
            progress("Copying content to ploop...")
            // cp -a keeps owners, modes, times, hard links, ACLs, xattrs
            // and holes; -x stays on the private area's file system.
            let copied = try Subprocess.run(["cp", "-ax", priv + "/.", mnt])
            try Mounts.unmount(mnt)
            rmdir(mnt)
            if !copied.succeeded { throw SysError("cp -ax", priv, errno: EIO) }  // cp said why on stderr
            try Self.syncFile(ImageLayout.image(inPrivate: staging))
            try check("renameat2 RENAME_EXCHANGE", staging) { vz_rename_exchange(staging, priv) }
        } catch {
            try? Self.removeStaging(staging, mnt)
            throw VZError(.systemError, "Unable to convert the container", error)
        }
        try saveLayout()
        do {
            try Files.removeTree(staging)  // the old directory tree
        } catch {
            throw VZError(.systemError, "Unable to remove the old private area \(staging)", error)
        }
        progress("Container was successfully converted to the ploop layout")
    }

    private func saveLayout() throws(VZError) {
        guard var file = config.file, file.value("VE_LAYOUT")?.hasPrefix("ploop") != true else { return }
        file.set("VE_LAYOUT", "ploop")
        do {
            try file.save()
        } catch {
            throw VZError(.configSave, "Unable to save VE_LAYOUT", error)
        }
    }

    private static func removeStaging(_ staging: String, _ mnt: String) throws(SysError) {
        try Mounts.unmountTree(mnt)
        try Files.removeTree(mnt)
        try Files.removeTree(staging)
    }

    private static func syncFile(_ path: String) throws(SysError) {
        let fd = try check("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        try check("fsync", path) { fsync(fd) }
    }
}
