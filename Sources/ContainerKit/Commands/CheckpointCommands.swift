/// `vzctl chkpnt` (suspend) and `vzctl restore` (resume): at most one stage
/// option, as in vzctl; --flags, --context and --skip_arpdetect are accepted
/// and have nothing to do with CRIU.
enum CheckpointCommands {
    static func chkpnt(_ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext) throws(VZError) -> Int32 {
        let stage = try CheckpointStage(rawValue: onlyStage(args, of: ["suspend", "dump", "kill", "resume"]) ?? "full")!
        try ct.checkpoint(stage, to: dumpFile(ct, args, ctx, namedOnlyFor: stage == .dump), progress: ctx.console.say)
        return 0
    }

    static func restore(_ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext) throws(VZError) -> Int32 {
        let stage = try RestoreStage(rawValue: onlyStage(args, of: ["undump", "kill", "resume"]) ?? "full")!
        try ct.restore(stage, from: dumpFile(ct, args, ctx, namedOnlyFor: stage == .undump),
                       skipRemount: args.has("skip-remount"), progress: ctx.console.say)
        return 0
    }

    private static func onlyStage(_ args: ParsedArguments, of stages: Set<String>) throws(VZError) -> String? {
        let given = args.options.map(\.name).filter(stages.contains)
        if given.count > 1 { throw VZError(.invalidSyntax, "Invalid syntax: only one sub command may be used") }
        return given.first
    }

    /// `--dumpfile`, else the default (DUMPDIR/Dump.CTID), except for the
    /// stages that must be told (vzctl: "dumpfile is not specified").
    private static func dumpFile(_ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext, namedOnlyFor: Bool) -> DumpFile? {
        if let named = args.value("dumpfile") { return DumpFile(ctx.layout.resolve(named)) }
        return namedOnlyFor ? nil : DumpFile(ct.dumpFile)
    }
}
