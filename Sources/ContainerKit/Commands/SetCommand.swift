#if canImport(Glibc)
import Glibc
#endif

enum SetCommand {
    static func run(_ ct: Container, _ args: ParsedArguments, _ ctx: CommandContext) throws(VZError) -> Int32 {
        let save = args.has("save")
        let running = ct.ctid.value != 0 && ct.isRunning
        if args.has("setmode") {
            let mode = args.value("setmode")!
            guard mode == "restart" || mode == "ignore" else { throw VZError(.invalidValue, "Bad parameter for --setmode: \(mode)") }
            if mode == "restart" && !save { throw VZError(.invalidSyntax, "Error: unable to use --setmode restart option without --save") }
        }
        for option in ["ostemplate", "stop-timeout", "force"] where args.has(option) && !save {
            throw VZError(.invalidSyntax, "Error: unable to use --\(option) option without --save")
        }
        if args.has("name") && !save { throw VZError(.setName, "Error: unable to use --name option without --save") }
        let passwords = try args.values("userpasswd").map { pair throws(VZError) in
            guard let parsed = UserPassword(pair) else {
                throw VZError(.changePassword, "Password change failed: --userpasswd takes USER:PASSWORD (a user name of letters, digits, _ . -)")
            }
            return parsed
        }

        let disk = try DiskChanges(args, save: save, image: ct.ctid.value != 0 && ct.hasImage)
        var changes: [(key: String, value: String)] = disk.changes
        for (option, value) in args.options {
            guard let value else { continue }
            switch option {
            case "hostname": changes.append(("HOSTNAME", value))
            case "description": changes.append(("DESCRIPTION", value))
            case "ostemplate": changes.append(("OSTEMPLATE", value))
            case "onboot", "disabled":
                guard value == "yes" || value == "no" else { throw VZError(.invalidValue, "Bad parameter for --\(option): \(value)") }
                changes.append((option.uppercased(), value))
            case "bootorder", "stop-timeout":
                guard UInt32(value) != nil else { throw VZError(.invalidValue, "Bad parameter for --\(option): \(value)") }
                changes.append((option == "bootorder" ? "BOOTORDER" : "STOP_TIMEOUT", value))
            case "root", "private":
                if running { throw VZError(.running, "Container is currently running. Stop it first.") }
                changes.append((option == "root" ? "VE_ROOT" : "VE_PRIVATE", value))
            case "name":
                guard CTName.isValid(value) else { throw VZError(.invalidValue, "Bad parameter for --name: \(value)") }
                try Naming.checkFree(value, for: ct.ctid, layout: ctx.layout)
                changes.append(("NAME", value))
            default: continue
            }
        }
        for (option, value) in args.options {
            guard let value, let parameter = ResourceParameters.all.first(where: { $0.option == option }) else { continue }
            guard let stored = ResourceParameters.configValue(parameter, value, hostCPUs: Host.cpuCount) else {
                throw VZError(.invalidValue, "Bad parameter for --\(option): \(value)")
            }
            changes.append((parameter.key, stored))
        }
        // Each call replaces the whole list; one value may hold several.
        for (option, key) in [("nameserver", "NAMESERVER"), ("searchdomain", "SEARCHDOMAIN")] where args.has(option) {
            let items = args.values(option).flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
            if option == "nameserver", let bad = items.first(where: { $0 != "inherit" && IPAddress($0) == nil }) {
                throw VZError(.invalidValue, "Bad parameter for --nameserver: \(bad)")
            }
            changes.append((key, items.joined(separator: " ")))
        }
        let devices = try DeviceChanges(args, current: ct.config)
        changes += devices.changes
        // Before the rest, as vzctl did; never saved, and no "not saved" warning of its own.
        if !passwords.isEmpty { try ct.setPasswords(passwords, progress: ctx.console.say) }
        var lent = ct.config.netdevs
        var lend: [String] = []
        var reclaim: [String] = []
        for (option, value) in args.options where option == "netdev_add" || option == "netdev_del" {
            for name in (value ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
                guard HostDevice.isLendable(name) else { throw VZError(.invalidValue, "Bad parameter for --\(option): \(name)") }
                // What moves follows where the device is now, not the
                // config, which an unsaved earlier call may have left behind.
                if option == "netdev_add" {
                    if !lent.contains(name) { lent.append(name) }
                    lend.append(name)
                } else {
                    lent.removeAll { $0 == name }
                    reclaim.append(name)
                }
            }
        }
        if !lend.isEmpty || !reclaim.isEmpty { changes.append(("NETDEV", lent.joined(separator: " "))) }
        if running { lend.removeAll { if_nametoindex($0) == 0 } }  // not here: the container has it already
        var netifs = try NetifChanges(args.options, current: ct.config.netifs, ctid: ct.ctid, hostID: Container.hostID)
        try netifs.modify(args.options)
        if !netifs.isEmpty { changes.append(("NETIF", netifs.value)) }
        let addresses = try AddressChanges(args.options, current: ct.config.ipAddresses)
        if !addresses.isEmpty {
            try addresses.checkFree(for: ct)
            changes.append(("IP_ADDRESS", addresses.value))
        }
        // The disk goes first: a resize that fails leaves everything as it was.
        let notLive = ct.ctid.value == 0 ? [] : try disk.apply(to: ct, running: running, say: ctx.console.say)
        if running {
            var guest = GuestSettings()
            guest.hostname = changes.last(where: { $0.key == "HOSTNAME" })?.value
            guest.address = (addresses.isEmpty ? ct.config.ipAddresses : addresses.result).first?.address
            if let v = changes.last(where: { $0.key == "NAMESERVER" })?.value {
                guest.nameservers = GuestFiles.inheriting(v.split(separator: " ").map(String.init), key: "nameserver")
            }
            if let v = changes.last(where: { $0.key == "SEARCHDOMAIN" })?.value {
                guest.searchDomains = GuestFiles.inheriting(v.split(separator: " ").map(String.init), key: "search")
            }
            if let hostname = guest.hostname { try ct.setHostname(hostname) }
            if !guest.isEmpty { try ct.applyGuest(guest) }
        }
        if running && !addresses.isEmpty {
            try ct.applyAddresses(add: addresses.added, remove: addresses.removed)
        }
        if running && changes.contains(where: { change in ResourceParameters.all.contains { $0.key == change.key } }) {
            try ct.applyLimits(of: ct.config.applying(changes))
        }
        if running && !devices.isEmpty {
            try ct.applyDevices(of: ct.config.applying(changes))
        }
        if running && !(lend.isEmpty && reclaim.isEmpty) {
            try ct.applyNetdevs(add: lend, remove: reclaim)
        }
        if running && !netifs.isEmpty {
            // A changed device is made anew (its end in the container loses
            // what the container configured on it, as after a replug).
            try ct.applyNetifs(add: netifs.added + netifs.modified.map(\.new),
                               remove: netifs.removed + netifs.modified.map(\.old))
        }
        let mode = args.value("setmode")
        let status = !notLive.isEmpty && mode == "ignore" ? ExitCode.running.rawValue : 0
        if !notLive.isEmpty && mode == nil {
            for name in notLive { ctx.console.say("Unable to set \(name) on a running container") }
            ctx.console.say("WARNING: Some of the parameters could not be applied to a running container. Please consider using --setmode option")
        }
        guard save else {
            if !changes.isEmpty {
                ctx.console.say(running
                    ? "WARNING: Settings were not saved to config and will be lost after CT restart (use --save flag)"
                    : "WARNING: Settings were not saved to config (use --save flag)")
            }
            return status
        }
        guard !changes.isEmpty else {
            ctx.console.say("No changes in CT configuration, not saving")
            return status
        }
        let path = ctx.layout.ctConfPath(ct.ctid)
        var file = ct.config.file ?? ConfigFile(path: path, text: "")
        let oldName = ct.config.name
        file.set(changes)
        do {
            try Files.makeDirectories(ctx.layout.confDir)
            try file.save()
            if let name = changes.last(where: { $0.key == "NAME" })?.value {
                if let oldName, oldName != name { unlink(ctx.layout.namePath(oldName)) }
                try Naming.link(name, to: ct.ctid, layout: ctx.layout)
            }
        } catch {
            throw VZError(.configSave, "Unable to save \(path)", error)
        }
        ctx.console.say("CT configuration saved to \(path)")
        if !notLive.isEmpty && mode == "restart" {
            let reloaded = try Container.load(ct.ctid, host: ct.config.host)
            ctx.console.say("Restarting container")
            try reloaded.stop(fast: false, skipUmount: false, progress: ctx.console.say)
            try reloaded.start(StartOptions(), progress: ctx.console.say)
        }
        return status
    }
}
