extension Container {
    /// Whether the private area is the image layout (an ext4 image).
    public var hasImage: Bool { config.privatePath.map(ImageLayout.isImage) ?? false }

    /// Gives the image layout's disk `sizeKB`: offline while the root is not
    /// mounted (grow or shrink); while it is, grow only, live where the
    /// kernel lets us, else at the next mount.
    public func resizeDisk(toKB sizeKB: Int64, offline: Bool) throws(VZError) -> ImageLayout.Resized {
        let priv = try privatePath()
        let root = try rootPath()
        let mounted = isMounted
        if offline && mounted {
            throw VZError(.fsMounted, "Container is mounted: unmount it for --offline-resize")
        }
        do throws(SysError) {
            if !mounted {
                try ImageLayout.resizeOffline(inPrivate: priv, sizeKB: sizeKB)
                return .done
            }
            let current = try ImageLayout.Superblock(image: ImageLayout.image(inPrivate: priv))
            if sizeKB * 1024 / current.blockSize == current.blocks { return .done }
            if sizeKB * 1024 > current.bytes {
                return try ImageLayout.growOnline(inPrivate: priv, from: current, toKB: sizeKB, mountedAt: root)
            }
        } catch {
            throw VZError(.resizeImage, "Unable to resize the disk image", error)
        }
        throw VZError(.resizeImage, "Unable to shrink the disk of a mounted container: stop it first")
    }

    /// simfs: `config`'s DISKSPACE and DISKINODES as the project quota of
    /// the private area, where the host file system keeps one; false where
    /// it does not.
    @discardableResult
    public func applyProjectQuota(of config: CTConfig) throws(VZError) -> Bool {
        guard let priv = config.privatePath, !ImageLayout.isImage(priv), ProjectQuota.isAvailable(at: priv) else { return false }
        do {
            try ProjectQuota.apply(priv, id: UInt32(ctid.value), space: config.diskspace, inodes: config.diskinodes)
        } catch {
            throw VZError(.diskQuotaSet, "Unable to set the disk quota of CT \(ctid)", error)
        }
        return true
    }
}
