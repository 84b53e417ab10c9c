/// The command word to its implementation.
enum Commands {
    static func run(_ name: String, _ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext) throws(VZError) -> Int32 {
        switch name {
        case "create": return try CreateCommand.run(ct, args, ctx)
        case "destroy": return try DestroyCommand.run(ct, ctx)
        case "mount": return try MountCommands.mount(ct, ctx)
        case "umount": return try MountCommands.umount(ct, ctx)
        case "start", "stop", "restart": return try StartStopCommands.run(name, ct, args, ctx)
        case "status": return StatusCommand.run(ct, ctx)
        case "chkpnt": return try CheckpointCommands.chkpnt(ct, args, ctx)
        case "restore": return try CheckpointCommands.restore(ct, args, ctx)
        case "set": return try SetCommand.run(ct, args, ctx)
        case "exec", "exec2", "exec3": return try ExecCommands.exec(name, ct, args.positionals, ctx)
        case "enter": return try ExecCommands.enter(ct, args.positionals, ctx)
        case "runscript": return try ExecCommands.runscript(ct, args.positionals, ctx)
        case "convert": return try ConvertCommand.run(ct, args, ctx)
        case "snapshot-list": return try SnapshotListCommand.run(ct, args.positionals)
        case "snapshot", "snapshot-switch", "snapshot-delete", "snapshot-mount", "snapshot-umount":
            return try SnapshotCommands.run(name, ct, args, ctx)
        default: throw VZError(.invalidSyntax, "Bad command: \(name)")
        }
    }
}
