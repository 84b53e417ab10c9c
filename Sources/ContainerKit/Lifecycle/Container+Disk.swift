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
                return try ImageLayout.growOnline(inPrivate: priv, sizeKB: sizeKB, mountedAt: root)
            }
        } catch {
            throw VZError(.resizeImage, "Unable to resize the disk image", error)
        }
        throw VZError(.resizeImage, "Unable to shrink the disk of a mounted container: stop it first")
    }
}
