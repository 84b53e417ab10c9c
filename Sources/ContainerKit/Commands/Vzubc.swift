#if canImport(Glibc)
import Glibc
#endif

/// `vzubc [options] [CTID|NAME ...]`: the beancounters of running
/// containers, from their cgroups, as the classic vzubc table; `-R` prints
/// them in the /proc/user_beancounters format instead.
public enum Vzubc {
    static let usage = """
        Usage: vzubc [option ...] [CTID|NAME ...]
          -q, --quiet        only beancounters that failed or come close to their limits
              -qh RATIO      held/barrier ratio that counts as close (default 0.5)
              -qm RATIO      maxheld/barrier ratio that counts as close (default 0.8)
          -v, --verbose      also beancounters with an unlimited barrier
          -r, --relative     fail counters since the last -r run (-rd DIR, -rc clears)
          -i, --incremental  held since the last -i run (-id DIR, -ic clears)
          -c, --color        accepted for compatibility
          -R, --raw          the /proc/user_beancounters format
          -h, --help         this text

        """

    struct Options {
        var quiet = false
        var qheld = 0.5
        var qmaxheld = 0.8
        var verbose = false
        var relative = false
        var incremental = false
        var raw = false
        var relativeDir = "/tmp/vzubc.store"
        var incrementalDir = "/tmp/vzubc.store"
        var clearRelative = false
        var clearIncremental = false
        var targets: [String] = []
    }

    public static func main(_ args: [String]) -> Int32 {
        var o = Options()
        var rest = args[...]
        while let arg = rest.popFirst() {
            func value() -> String? { rest.popFirst() }
            switch arg {
            case "-q", "--quiet": o.quiet = true
            case "-qh", "-qm":
                guard let v = value().flatMap(Double.init) else { return fail("Error: option \(arg) requires an argument") }
                o.quiet = true
                // Above 1 the ratio is a percentage.
                if arg == "-qh" { o.qheld = v > 1 ? v / 100 : v } else { o.qmaxheld = v > 1 ? v / 100 : v }
            case "-v", "--verbose": o.verbose = true
            case "-r", "--relative": o.relative = true
            case "-rd", "-id":
                guard let v = value() else { return fail("Error: option \(arg) requires an argument") }
                if arg == "-rd" { o.relative = true; o.relativeDir = v } else { o.incremental = true; o.incrementalDir = v }
            case "-rc": o.relative = true; o.clearRelative = true
            case "-ic": o.incremental = true; o.clearIncremental = true
            case "-i", "--incremental": o.incremental = true
            case "-c", "--color": break
            case "-R", "--raw": o.raw = true
            case "-h", "--help":
                print(usage, terminator: "")
                return 0
            default:
                if arg.hasPrefix("-") { return fail("Unrecognized option: \(arg)") }
                o.targets.append(arg)
            }
        }
        if o.quiet && o.verbose { return fail("Error: -q and -v can not be used together") }
        return run(o)
    }

    static func fail(_ message: String) -> Int32 {
        Console.writeErr(message)
        Console.writeErr(usage)
        return 1
    }

    static func run(_ o: Options) -> Int32 {
        let layout = Layout.fromEnvironment()
        guard let host = try? HostConfig.load(layout), let mode = try? CgroupMode.detect() else {
            Console.writeErr("vzubc: unable to read the host configuration or cgroups")
            return 1
        }
        var ctids: [CTID]
        if o.targets.isEmpty {
            ctids = (Cgroups.containers(layout: layout, mode: mode) ?? []).sorted()
        } else {
            // Unknown IDs are simply not shown, as vzubc did.
            ctids = o.targets.compactMap { CTID($0) ?? CTName.resolve($0, layout: layout) }
        }
        for dir in [(o.clearRelative, o.relativeDir), (o.clearIncremental, o.incrementalDir)] where dir.0 {
            for file in (try? Files.list(dir.1)) ?? [] where file.hasPrefix("ubc.") { unlink("\(dir.1)/\(file)") }
        }
        var blocks: [String] = []
        if o.raw { blocks.append(UBCFormat.procHeader) }
        for ctid in ctids {
            guard let config = try? CTConfig.load(ctid, host: host),
                  let cgroup = try? Cgroups.forContainer(ctid, layout: layout, mode: mode)
            else { continue }
            let ct = Container(config: config, cgroup: cgroup)
            guard ct.isRunning else { continue }
            let counters = Beancounter.all(config: config, usage: cgroup.usage())
            if o.raw {
                blocks.append(UBCFormat.procLines(ctid, counters).joined(separator: "\n"))
            } else if let block = table(ctid, counters, o) {
                blocks.append(block)
            }
        }
        if o.raw {
            print(blocks.joined(separator: "\n"))
        } else if !blocks.isEmpty {
            let dashes = String(repeating: "-", count: 68 + (o.incremental ? 7 : 0))
            print(blocks.joined(separator: "\n\n") + "\n" + dashes)
        }
        return 0
    }

    /// One container's block, or nil when nothing of it is to be shown.
    static func table(_ ctid: CTID, _ counters: [Beancounter], _ o: Options) -> String? {
        var rows: [String] = []
        for b in counters {
            let held = b.held ?? 0, maxheld = b.maxheld ?? 0
            var failcnt = b.failcnt ?? 0
            if o.quiet && !important(held: held, maxheld: maxheld, barrier: b.barrier, limit: b.limit, failcnt: failcnt, o) { continue }
            if !o.quiet && !o.verbose && UBCFormat.isUnlimited(b.barrier) && failcnt == 0 { continue }
            var delta = ""
            if o.incremental {
                let previous = stored(o.incrementalDir, ctid, b.name, "held", save: held)
                let d = previous.map { held - $0 } ?? 0
                delta = Text.pad(d == 0 ? "" : (d > 0 ? "+" : "-") + UBCFormat.human(b.name, abs(d)), 7, right: true)
            }
            if o.relative, let previous = stored(o.relativeDir, ctid, b.name, "failcnt", save: failcnt) {
                failcnt = max(failcnt - previous, 0)
            }
            rows.append(Text.pad(b.name, 13, right: true) + "|" + Text.pad(UBCFormat.human(b.name, held), 5, right: true) + delta
                + " " + cell(UBCFormat.percent(held, b.barrier)) + " " + cell(UBCFormat.percent(held, b.limit))
                + "|" + cell(UBCFormat.human(b.name, maxheld)) + " " + cell(UBCFormat.percent(maxheld, b.barrier))
                + " " + cell(UBCFormat.percent(maxheld, b.limit)) + "|" + cell(UBCFormat.human(b.name, b.barrier))
                + "|" + cell(UBCFormat.human(b.name, b.limit)) + "| " + cell(UBCFormat.human("failcnt", failcnt)))
        }
        guard !rows.isEmpty else { return nil }
        let extra = o.incremental ? "  +/-  " : ""
        let header = [
            String(repeating: "-", count: 68 + (o.incremental ? 7 : 0)),
            "CT " + Text.pad(ctid.description, 10, right: false) + "| HELD" + extra + "  Bar%  Lim%| MAXH  Bar%  Lim%| BAR | LIM |"
                + (o.relative ? "+" : " ") + "FAIL",
            "-------------+-" + (o.incremental ? "-------" : "") + "----------------+-----------------+-----+-----+------",
        ]
        return (header + rows).joined(separator: "\n")
    }

    static func cell(_ s: String) -> String { Text.pad(s, 5, right: true) }

    /// Failed, above its barrier (or limit), or close to it.
    static func important(held: Int64, maxheld: Int64, barrier: Int64, limit: Int64, failcnt: Int64, _ o: Options) -> Bool {
        if failcnt > 0 { return true }
        let bound = barrier == 0 ? limit : barrier
        if UBCFormat.isUnlimited(bound) || bound == 0 { return false }
        return Double(held) > Double(bound) * o.qheld || Double(maxheld) > Double(bound) * o.qmaxheld
    }

    /// The value saved by the previous run (if any); `save` replaces it.
    static func stored(_ dir: String, _ ctid: CTID, _ resource: String, _ what: String, save: Int64) -> Int64? {
        let path = "\(dir)/ubc.\(ctid).\(resource).\(what)"
        let previous = (try? Files.read(path)).flatMap { Int64($0.trimmingBlanks().replacingNewlines()) }
        try? Files.makeDirectories(dir, mode: 0o700)
        try? Files.write(path, "\(save)\n", mode: 0o600)
        return previous
    }
}
