/// `set --diskspace/--diskinodes/--quotaugidlimit/--quotatime`: checked
/// before anything changes, then applied to the disk.
struct DiskChanges {
    var changes: [(key: String, value: String)] = []
    var space: (soft: Int64, hard: Int64)?
    var inodes: (soft: Int64, hard: Int64)?
    var ugidLimit: Int64?
    let offline: Bool

    init(_ args: ParsedArguments, save: Bool, image: Bool) throws(VZError) {
        offline = args.has("offline-resize") || args.has("offline")
        for (option, sizes) in [("diskspace", true), ("diskinodes", false)] {
            guard let value = args.value(option) else { continue }
            guard let pair = DiskValue.parse(value, sizes: sizes) else {
                throw VZError(.invalidValue, "Bad parameter for --\(option): \(value)")
            }
            if sizes { space = pair } else { inodes = pair }
            changes.append((option.uppercased(), DiskValue.format(pair)))
        }
        for option in ["quotaugidlimit", "quotatime"] {
            guard let value = args.value(option) else { continue }
            guard let n = Int64(value), n >= 0 else { throw VZError(.invalidValue, "Bad parameter for --\(option): \(value)") }
            if option == "quotaugidlimit" { ugidLimit = n }
            changes.append((option.uppercased(), value))
        }
        if let value = args.value("diskquota") {
            guard value == "yes" || value == "no" else { throw VZError(.invalidValue, "Bad parameter for --diskquota: \(value)") }
            changes.append(("DISK_QUOTA", value))
        }
        if offline && space == nil { throw VZError(.invalidSyntax, "Error: --offline-resize requires --diskspace") }
        // The image's size is the container's disk: not a thing to change for one run only.
        if image && space != nil && !save { throw VZError(.invalidSyntax, "Error: unable to use --diskspace option without --save") }
    }

    /// Resizes the image (the hard limit is its size); says what holds when.
    func apply(to ct: Container, running: Bool, say: (String) -> Void) throws(VZError) -> [String] {
        var notLive: [String] = []
        if ct.hasImage {
            if let space {
                if case .atNextMount(let reason) = try ct.resizeDisk(toKB: space.hard, offline: offline) {
                    say("WARNING: The disk of CT \(ct.ctid) could not grow while mounted (\(reason)); the new size applies at its next start")
                }
            }
            if inodes != nil {
                say("WARNING: The inode count of an image is set when it is made; DISKINODES is saved but not applied")
            }
        } else if space != nil || inodes != nil {
            if !(try ct.applyProjectQuota(of: ct.config.applying(changes))) { say(ProjectQuota.notEnforced) }
        }
        // Quota inside turns on or off only with a new mount of the image.
        if running, let ugidLimit, let root = ct.config.rootPath,
           (ugidLimit > 0) != (Mounts.entry(at: root)?.options.contains("usrquota") ?? false) {
            notLive.append("quotaugidlimit")
        }
        return notLive
    }
}
