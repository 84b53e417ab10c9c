#if canImport(Glibc)
import Glibc
#endif

extension Container {
    /// Mounts the private area on the root: its image (the ploop-like
    /// layout) or a bind mount (simfs). Already mounted is fine.
    public func mount() throws(VZError) {
        let priv = try privatePath()
        let root = try rootPath()
        if isMounted { return }
        guard Files.isDirectory(priv) else {
            throw VZError(.noPrivate, "Container private area \(priv) does not exist")
        }
        do {
            try Files.makeDirectories(root)
        } catch {
            throw VZError(.mountPointCreate, "Unable to create the mount point", error)
        }
        // Limits edited in the config take effect at the next mount.
        try applyProjectQuota(of: config)
        do {
            if ImageLayout.isImage(priv) {
                try ImageLayout.finishGrow(inPrivate: priv)
                try ImageLayout.mount(inPrivate: priv, at: root, userQuota: (config.quotaUGIDLimit ?? 0) > 0)
            } else {
                try Mounts.mount(priv, root, flags: UInt(MS_BIND))
            }
            // Kept out of the host's shared peer groups, so mounts made for the
            // container never show up elsewhere.
            try Mounts.mount("none", root, flags: UInt(MS_PRIVATE))
        } catch {
            _ = try? Mounts.unmountTree(root)
            throw VZError(.cantMount, "Unable to mount the container", error)
        }
    }

    public func umount() throws(VZError) {
        let root = try rootPath()
        do {
            try Mounts.unmountTree(root)
        } catch {
            throw VZError(.cantUmount, "Unable to unmount the container", error)
        }
    }
}
