enum ConvertCommand {
    /// `vzctl convert CTID [--layout ploop[:MODE]]`: only to the image
    /// layout, whose mode (expanded, plain, raw) means nothing here.
    static func run(_ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext) throws(VZError) -> Int32 {
        let option = args.options.last { ["layout", "ve_layout", "velayout"].contains($0.name) }
        if let option, let layout = option.value {
            let modes = ["ploop", "ploop:expanded", "ploop:plain", "ploop:raw"]
            guard layout == "simfs" || modes.contains(layout) else {
                throw VZError(.invalidValue, "Bad parameter for --\(option.name): \(layout)")
            }
            if layout == "simfs" { throw VZError(.invalidValue, "Only conversion to ploop is supported") }
        }
        try ct.convertToImage(progress: ctx.console.say)
        return 0
    }
}
