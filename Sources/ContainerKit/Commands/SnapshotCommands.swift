/// snapshot, snapshot-switch, snapshot-delete, snapshot-mount and
/// snapshot-umount: vzctl's option rules, then Container+Snapshot.
enum SnapshotCommands {
    static func run(_ name: String, _ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext) throws(VZError) -> Int32 {
        let say = ctx.console.say
        if name == "snapshot" {
            var request = SnapshotRequest()
            request.uuid = try uuid(args)
            request.name = args.value("name") ?? ""
            request.description = args.value("description") ?? ""
            request.skipSuspend = args.has("skip-suspend")
            request.skipConfig = args.has("skip-config")
            try ct.createSnapshot(request, progress: say)
            return 0
        }
        guard let uuid = try uuid(args) else {
            throw VZError(.invalidSyntax, "Invalid syntax: snapshot id is missing")
        }
        switch name {
        case "snapshot-switch":
            var options = SwitchOptions()
            options.skipResume = args.has("skip-resume")
            options.mustResume = args.has("must-resume")
            options.skipConfig = args.has("skip-config")
            if options.skipResume && options.mustResume {
                throw VZError(.invalidSyntax, "Invalid syntax: --skip-resume and --must-resume can not be used together")
            }
            try ct.switchSnapshot(uuid, options, host: ctx.host, progress: say)
        case "snapshot-delete":
            try ct.deleteSnapshot(uuid, progress: say)
        case "snapshot-mount":
            guard let target = args.value("target") else {
                throw VZError(.invalidSyntax, "Invalid syntax: mount target is missing")
            }
            try ct.mountSnapshot(uuid, at: target, progress: say)
        default:
            try ct.umountSnapshot(uuid, progress: say)
        }
        return 0
    }

    /// The last `--id` or `--uuid` (the same option to vzctl), braced.
    static func uuid(_ args: ParsedArguments) throws(VZError) -> String? {
        guard let option = args.options.last(where: { $0.name == "id" || $0.name == "uuid" }), let value = option.value else {
            return nil
        }
        guard let uuid = SnapshotTree.normalize(value) else {
            throw VZError(.invalidValue, "Bad parameter for --\(option.name): \(value)")
        }
        return uuid
    }
}
