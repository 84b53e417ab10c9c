#if canImport(Glibc)
import Glibc
#endif

public struct CreateRequest: Sendable {
    public var ostemplate: String?
    public var sample: String?
    public var privatePath: String?
    public var rootPath: String?
    public var hostname: String?
    public var name: String?
    public var description: String?
    public var layout: String?
    /// IP_ADDRESS, as the config stores it.
    public var ipAddress: String?
    /// DISKSPACE and DISKINODES, `soft:hard`.
    public var diskspace: String?
    public var diskinodes: String?
    /// `--local_uid` / `--local_gid`: the user namespace's host ids as given
    /// (0: none); without them, a free slot from vz.conf's LOCAL_UID/LOCAL_GID.
    public var localUID: UInt32?
    public var localGID: UInt32?

    public init() {}
}

extension Container {
    /// `vzctl create`: CTID.conf from a sample, the private area from a
    /// template cache, unpacked beside it and renamed into place. Any failure
    /// removes what this call made; a killed create leaves only
    /// `VE_PRIVATE.tmp`, which the next create removes.
    /// `meter`, when given, is told how far the template's unpack is (percent).
    public func create(_ request: CreateRequest, progress: (String) -> Void, meter: ((Int) -> Void)? = nil) throws(VZError) {
        let confPath = layout.ctConfPath(ctid)
        var file: ConfigFile
        var madeConfig = false
        if let existing = config.file {
            if request.sample != nil {
                throw VZError(.copyConfig, "Container config file \(confPath) already exists")
            }
            file = existing
        } else {
            let sampleName = request.sample ?? config.host.value("CONFIGFILE") ?? "basic"
            let samplePath = layout.samplePath(sampleName)
            guard let text = try? Files.read(samplePath) else {
                throw VZError(.copyConfig, "Sample config file \(samplePath) not found")
            }
            file = ConfigFile(path: confPath, text: text)
            file.set("ORIGIN_SAMPLE", sampleName)
            madeConfig = true
        }
        var changes: [(key: String, value: String)] = []
        if let p = request.privatePath { changes.append(("VE_PRIVATE", p)) }
        if let r = request.rootPath { changes.append(("VE_ROOT", r)) }
        var effective = CTConfig(ctid: ctid, host: config.host, file: file)
        effective.file?.set(changes)
        guard config.host.value("TEMPLATE") != nil else { throw VZError(.templateNotSet, "TEMPLATE is not set") }
        guard let priv = effective.privatePath else { throw VZError(.privateNotSet, "VE_PRIVATE is not set") }
        guard effective.rootPath != nil else { throw VZError(.rootNotSet, "VE_ROOT is not set") }
        if Files.isDirectory(priv), !((try? Files.list(priv)) ?? []).isEmpty {
            throw VZError(.privateExists, "Private area already exists in \(priv)")
        }
        guard let ostemplate = request.ostemplate ?? effective.file?.value("OSTEMPLATE") ?? config.host.value("DEF_OSTEMPLATE"),
              !ostemplate.isEmpty
        else { throw VZError(.ostemplateNotSet, "OS template is not specified") }
        let cache = TemplateCache(dir: config.host.cacheDir)
        guard let tarball = cache.tarball(ostemplate) else {
            throw VZError(.ostemplateNotFound, "Cached OS template \(cache.dir)/\(ostemplate).tar[.gz|.bz2|.xz|.zst] not found")
        }
        if let name = request.name {
            try Naming.checkFree(name, for: ctid, layout: layout)
        }
        if let d = request.diskspace { changes.append(("DISKSPACE", d)) }
        if let i = request.diskinodes { changes.append(("DISKINODES", i)) }
        effective.file?.set(changes)
        let diskLayout = request.layout ?? effective.value("VE_LAYOUT") ?? "simfs"
        // The image layout takes its size from DISKSPACE (hard), inodes from DISKINODES.
        var image: (sizeKB: Int64, inodes: Int64?)?
        if diskLayout.hasPrefix("ploop") {
            guard let space = effective.diskspace else {
                throw VZError(.diskspaceNotSet, "Error: diskspace not set (required for ploop layout)")
            }
            image = (space.hard, effective.diskinodes?.hard)
        }
        progress("Creating container private area (\(ostemplate))")
        let staging = priv + ".tmp"
        do throws(SysError) {
            try Self.removeStaging(of: priv)  // left by a create that was killed
            if let slash = priv.lastIndex(of: "/") { try Files.makeDirectories(String(priv[..<slash])) }
            try check("mkdir", staging) { mkdir(staging, 0o755) }
            if let image {
                try ImageLayout.create(inPrivate: staging, sizeKB: image.sizeKB, inodes: image.inodes)
                let mnt = staging + ".mnt"
                try Files.makeDirectories(mnt)
                try ImageLayout.mount(inPrivate: staging, at: mnt)
                defer {
                    try? Mounts.unmount(mnt)
                    rmdir(mnt)
                }
                try TemplateCache.unpack(tarball, into: mnt, meter: meter)
            } else {
                // Before the unpack, so that every file inherits the project.
                if ProjectQuota.isAvailable(at: staging) {
                    try ProjectQuota.apply(staging, id: UInt32(ctid.value), space: effective.diskspace, inodes: effective.diskinodes)
                } else if request.diskspace != nil || request.diskinodes != nil {
                    progress(ProjectQuota.notEnforced)
                }
                try TemplateCache.unpack(tarball, into: staging, meter: meter)
            }
        } catch {
            try? Self.removeStaging(of: priv)
            throw VZError(.newPrivate, "Creation of container private area failed", error)
        }
        // Always written: a later change of vz.conf's default must not
        // change what an existing container is.
        if request.layout == nil { changes.append(("VE_LAYOUT", image != nil ? "ploop" : "simfs")) }
        changes.append(("OSTEMPLATE", ostemplate))
        if let ip = request.ipAddress { changes.append(("IP_ADDRESS", ip)) }
        if let h = request.hostname { changes.append(("HOSTNAME", h)) }
        if let d = request.description { changes.append(("DESCRIPTION", d)) }
        if let l = request.layout { changes.append(("VE_LAYOUT", l)) }
        if let n = request.name { changes.append(("NAME", n)) }
        let ids = idMap(for: request)
        changes.append(("LOCAL_UID", String(ids?.uid ?? 0)))
        changes.append(("LOCAL_GID", String(ids?.gid ?? 0)))
        file.set(changes)
        // The config is written before the private area appears, so a create
        // killed at any point leaves either no config or one that the next
        // create (or destroy) can work with.
        do {
            try Files.makeDirectories(layout.confDir)
            try file.save()
            if Files.isDirectory(priv) { try check("rmdir", priv) { rmdir(priv) } }
            try check("rename", staging) { rename(staging, priv) }
            if let name = request.name { try Naming.link(name, to: ctid, layout: layout) }
        } catch {
            try? Files.removeTree(staging)
            try? Files.removeTree(priv)
            if madeConfig { unlink(confPath) }
            throw VZError(.configSave, "Unable to create the container", error)
        }
        progress("CT configuration saved to \(confPath)")
        progress("Container private area was created")
    }

    /// The ids of a new container's user namespace, nil for none: what
    /// create was told, else the first 65536 ids from vz.conf's base that no
    /// other container's config holds.
    func idMap(for request: CreateRequest) -> IDMap? {
        if let uid = request.localUID {
            let gid = request.localGID ?? uid
            return uid == 0 || gid == 0 ? nil : IDMap(uid: uid, gid: gid)
        }
        guard let uid = config.host.value("LOCAL_UID").flatMap({ UInt32($0) }), uid != 0 else { return nil }
        let gid = request.localGID ?? config.host.value("LOCAL_GID").flatMap { UInt32($0) } ?? uid
        if gid == 0 { return nil }
        var used: [IDMap] = []
        for file in (try? Files.list(layout.confDir)) ?? [] where file.hasSuffix(".conf") {
            guard let other = CTID(file.dropLast(5)), other != ctid,
                  let map = (try? CTConfig.load(other, host: config.host))?.idMap
            else { continue }
            used.append(map)
        }
        return IDMap.free(base: IDMap(uid: uid, gid: gid), used: used)
    }

    /// `vzctl destroy`: a stopped, unmounted container's private area goes,
    /// its config is kept as CTID.conf.destroyed.
    public func destroy(progress: (String) -> Void) throws(VZError) {
        if isRunning { throw VZError(.running, "Container is currently running. Stop it first.") }
        try cleanUpAfterDeath()
        if isMounted { throw VZError(.fsMounted, "Container is currently mounted (umount first)") }
        let priv = try privatePath()
        if let mounted = SnapshotStore(privatePath: priv).anyMounted() {
            throw VZError(.fsMounted, "Snapshot \(mounted.uuid) is mounted at \(mounted.point) (umount it first)")
        }
        progress("Destroying container private area: \(priv)")
        do {
            try Self.removeStaging(of: priv)
            try Files.removeTree(priv)
        } catch {
            throw VZError(.deletePrivate, "Unable to remove the private area", error)
        }
        let base = "\(layout.confDir)/\(ctid)"
        for suffix in [".conf"] + ActionScript.allCases.map({ "." + $0.rawValue }) where Files.exists(base + suffix) {
            rename(base + suffix, base + suffix + ".destroyed")
        }
        if let root = config.rootPath { rmdir(root) }
        try? DumpFile(dumpFile).removeAll()
        Naming.removeLinks(to: ctid, layout: layout)
        progress("Container private area was destroyed")
    }

    /// What a create leaves beside the private area until it renames it into
    /// place: `.tmp`, and `.tmp.mnt` where the image is mounted to unpack
    /// into (and stays mounted if the create was killed).
    static func removeStaging(of priv: String) throws(SysError) {
        let mnt = priv + ".tmp.mnt"
        if Files.isDirectory(mnt) { try Mounts.unmountTree(mnt) }
        try Files.removeTree(mnt)
        try Files.removeTree(priv + ".tmp")
    }
}
