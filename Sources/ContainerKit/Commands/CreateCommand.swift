#if canImport(Glibc)
import Glibc
#endif

enum CreateCommand {
    static func run(_ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext) throws(VZError) -> Int32 {
        var request = CreateRequest()
        request.ostemplate = args.value("ostemplate")
        request.sample = args.value("config")
        request.privatePath = args.value("private")
        request.rootPath = args.value("root")
        request.hostname = args.value("hostname")
        request.name = args.value("name")
        request.description = args.value("description")
        if let layout = args.value("layout") ?? args.value("ve_layout") ?? args.value("velayout") {
            guard layout == "simfs" || layout == "ploop" || layout.hasPrefix("ploop:") else {
                throw VZError(.invalidValue, "Bad parameter for --layout: \(layout)")
            }
            request.layout = layout
        }
        for (option, sizes) in [("diskspace", true), ("diskinodes", false)] {
            guard let value = args.value(option) else { continue }
            guard let pair = DiskValue.parse(value, sizes: sizes) else {
                throw VZError(.invalidValue, "Bad parameter for --\(option): \(value)")
            }
            if sizes { request.diskspace = DiskValue.format(pair) } else { request.diskinodes = DiskValue.format(pair) }
        }
        for option in ["local_uid", "local_gid"] {
            guard let value = args.value(option) else { continue }
            guard let id = UInt32(value) else { throw VZError(.invalidValue, "Bad parameter for --\(option): \(value)") }
            if option == "local_uid" { request.localUID = id } else { request.localGID = id }
        }
        let addresses = try AddressChanges(args.options, current: [])
        try addresses.checkFree(for: ct)
        if !addresses.isEmpty { request.ipAddress = addresses.value }
        if let name = request.name, !CTName.isValid(name) {
            throw VZError(.invalidValue, "Bad parameter for --name: \(name)")
        }
        try ct.create(request, progress: ctx.console.say, meter: ctx.console.meter("Unpacking the template"))
        return 0
    }
}

enum DestroyCommand {
    static func run(_ ct: Container, _ ctx: CommandContext) throws(VZError) -> Int32 {
        try ct.destroy(progress: ctx.console.say)
        return 0
    }
}
