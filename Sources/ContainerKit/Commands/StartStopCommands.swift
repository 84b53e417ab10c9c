enum StartStopCommands {
    static func run(_ name: String, _ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext) throws(VZError) -> Int32 {
        var options = StartOptions()
        options.wait = args.has("wait")
        options.force = args.has("force")
        options.skipRemount = args.has("skip-remount")
        options.skipSetup = args.has("skip_ve_setup")
        let say = ctx.console.say
        switch name {
        case "start":
            if try restoreDefaultDump(ct, options, ctx) { return 0 }
            try ct.start(options, progress: say)
        case "stop":
            if !(try ct.stop(fast: args.has("fast"), skipUmount: args.has("skip-umount"), progress: say)) {
                // On stderr, though the exit code is 0, as vzctl's logger(-1) put it.
                ctx.console.error("Unable to stop: container is not running")
            }
        default:
            say("Restarting container")
            if ct.isRunning { try ct.stop(fast: args.has("fast"), skipUmount: args.has("skip-umount"), progress: say) }
            try ct.start(options, progress: say)
        }
        return 0
    }

    /// vzctl start restores a container suspended into the default dump;
    /// if that fails, it starts afresh (the dump is then removed).
    private static func restoreDefaultDump(_ ct: Container, _ options: StartOptions, _ ctx: CommandContext) throws(VZError) -> Bool {
        guard !ct.isRunning, ct.isSuspended else { return false }
        ctx.console.say("Dump file \(ct.dumpFile) exists, trying to restore from it")
        do {
            try ct.restore(.full, from: DumpFile(ct.dumpFile), skipRemount: options.skipRemount, progress: ctx.console.say)
            return true
        } catch {
            ctx.console.error(error.message)
            return false
        }
    }
}

enum MountCommands {
    static func mount(_ ct: Container, _ ctx: CommandContext) throws(VZError) -> Int32 {
        if ct.isMounted {
            ctx.console.error("Container is already mounted")
            return 0
        }
        try ct.cleanUpAfterDeath()
        try ct.mountWithScripts(progress: ctx.console.say)
        return 0
    }

    static func umount(_ ct: Container, _ ctx: CommandContext) throws(VZError) -> Int32 {
        if ct.isRunning { throw VZError(.running, "Container is running -- stop it first") }
        try ct.cleanUpAfterDeath()
        guard ct.isMounted else { throw VZError(.fsNotMounted, "CT is not mounted") }
        try ct.umountWithScripts(progress: ctx.console.say)
        return 0
    }
}

enum StatusCommand {
    /// `CTID <id> <exist|deleted> <mounted|unmounted> <running|down>[ suspended]`
    static func run(_ ct: Container, _ ctx: CommandContext) -> Int32 {
        let running = ct.isRunning
        var line = "CTID \(ct.ctid) \(ct.exists ? "exist" : "deleted") \(ct.isMounted ? "mounted" : "unmounted") \(running ? "running" : "down")"
        if ct.exists && !running && ct.isSuspended { line += " suspended" }
        print(line)
        return 0
    }
}
