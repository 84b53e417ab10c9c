#if canImport(Glibc)
import Glibc
#endif

/// vzmemcheck and vzcalc: a container's (and the node's) memory against
/// the node, in the classic layout. On an upstream kernel there is no low
/// memory zone and no privvmpages accounting, so: low memory is kmemsize
/// against RAM, allocated memory is RAM + swap in use, and the commitments
/// are the configured limits.
public enum MemoryTools {
    struct Node {
        let ram: Double
        let swap: Double

        static func read() -> Node {
            let info = (try? Files.read("/proc/meminfo")) ?? ""
            func kb(_ key: String) -> Double {
                Text.line(startingWith: key + ":", in: info).flatMap { Text.fields($0).first.flatMap { Double($0) } } ?? 0
            }
            return Node(ram: kb("MemTotal") * 1024, swap: kb("SwapTotal") * 1024)
        }
    }

    /// The eight columns, in bytes: used or promised, before division.
    static func columns(_ config: CTConfig, _ usage: Usage?) -> [Double] {
        let b = Dictionary(uniqueKeysWithValues: Beancounter.all(config: config, usage: usage).map { ($0.name, $0) })
        func bytes(_ name: String, _ v: Int64?) -> Double {
            guard let v, !UBCFormat.isUnlimited(v) else { return 0 }
            return Double(v) * (name.hasSuffix("pages") ? Double(UBCValue.pageSize) : 1)
        }
        let kmem = bytes("kmemsize", b["kmemsize"]?.held)
        let ram = bytes("physpages", b["physpages"]?.held)
        let swap = bytes("swappages", b["swappages"]?.held)
        let ramLimit = bytes("physpages", b["physpages"]?.limit)
        let swapLimit = bytes("swappages", b["swappages"]?.limit)
        return [kmem, bytes("kmemsize", b["kmemsize"]?.barrier), ram, ram + swap, ramLimit + swapLimit,
                ram + swap, ramLimit + swapLimit, bytes("privvmpages", b["privvmpages"]?.limit)]
    }

    static func running(_ host: HostConfig) -> [(CTID, CTConfig, Usage)] {
        guard let mode = try? CgroupMode.detect() else { return [] }
        return (Cgroups.containers(layout: host.layout, mode: mode) ?? []).sorted().compactMap { ctid in
            guard let config = try? CTConfig.load(ctid, host: host),
                  let cg = try? Cgroups.forContainer(ctid, layout: host.layout, mode: mode),
                  Container(config: config, cgroup: cg).isRunning
            else { return nil }
            return (ctid, config, cg.usage())
        }
    }

    static func f72(_ v: Double) -> String { Text.pad(UBCFormat.cformat("%.2f", v), 7, right: true) }

    // MARK: vzmemcheck [-v] [-A]

    public static func memcheck(_ args: [String]) -> Int32 {
        let verbose = args.contains("-v")
        let absolute = args.contains("-A")
        guard args.allSatisfy({ $0 == "-v" || $0 == "-A" }) else {
            Console.writeErr("Usage: vzmemcheck [-v] [-A]")
            return 1
        }
        guard let host = try? HostConfig.load(Layout.fromEnvironment()) else { return 1 }
        let node = Node.read()
        // LowMem, RAM columns against RAM; MemSwap and Alloc against RAM + swap.
        let denominators = [node.ram, node.ram, node.ram, node.ram + node.swap, node.ram + node.swap,
                            node.ram + node.swap, node.ram + node.swap, node.ram + node.swap]
        func scale(_ v: [Double]) -> [Double] {
            absolute ? v.map { $0 / 1_048_576 } : zip(v, denominators).map { $1 > 0 ? $0 / $1 * 100 : 0 }
        }
        print(absolute ? "Output values in Mbytes" : "Output values in %")
        let lead = verbose ? "CTID       " : ""
        print(lead + ["LowMem", "LowMem", "RAM", "MemSwap", "MemSwap", "Alloc", "Alloc", "Alloc"].map { Text.pad($0, 7, right: true) }.joined(separator: " "))
        print(String(repeating: " ", count: lead.count) + ["util", "commit", "util", "util", "commit", "util", "commit", "limit"].map { Text.pad($0, 7, right: true) }.joined(separator: " "))
        var total = Array(repeating: 0.0, count: 8)
        for (ctid, config, usage) in running(host) {
            let c = columns(config, usage)
            total = zip(total, c).map(+)
            if verbose { print(Text.pad(ctid.description, 10, right: false) + scale(c).map { " " + f72($0) }.joined()) }
        }
        if verbose {
            print(String(repeating: "-", count: 74))
            print("Summary:   " + scale(total).map(f72).joined(separator: " "))
        } else {
            print(scale(total).map(f72).joined(separator: " "))
        }
        if absolute { print((verbose ? "           " : "") + denominators.map { f72($0 / 1_048_576) }.joined(separator: " ")) }
        return 0
    }

    // MARK: vzcalc [-v] CTID

    public static func calc(_ args: [String]) -> Int32 {
        let verbose = args.first == "-v"
        let rest = verbose ? Array(args.dropFirst()) : args
        guard rest.count == 1 else {
            Console.writeErr("Usage: vzcalc [-v] <ctid>")
            return 1
        }
        let layout = Layout.fromEnvironment()
        guard let ctid = CTID(rest[0]) ?? CTName.resolve(rest[0], layout: layout) else {
            Console.writeErr("Invalid CT ID: \(rest[0])")
            return 1
        }
        guard let host = try? HostConfig.load(layout), let config = try? CTConfig.load(ctid, host: host), config.exists else {
            Console.writeErr("Container configuration file: \(layout.ctConfPath(ctid)) not found")
            return 1
        }
        let node = Node.read()
        let usage = running(host).first { $0.0 == ctid }?.2
        let c = columns(config, usage)
        let all = node.ram + node.swap
        func pct(_ v: Double, _ d: Double) -> Double { d > 0 ? v / d * 100 : 0 }
        func cur(_ v: Double, _ d: Double) -> String { usage == nil ? "n/a" : UBCFormat.cformat("%.2f", pct(v, d)) }
        func row(_ name: String, _ current: String, _ promised: Double, _ max: Double) -> String {
            Text.pad(name, 10, right: false) + " " + Text.pad(current, 10, right: true) + " "
                + Text.pad(UBCFormat.cformat("%.2f", promised), 10, right: true) + " "
                + Text.pad(UBCFormat.cformat("%.2f", max), 10, right: true)
        }
        print("Resource     Current(%)  Promised(%)  Max(%)")
        if verbose {
            let numproc = Beancounter.of("numproc", config: config, usage: usage)
            let procMax = UBCFormat.isUnlimited(numproc.limit) ? 0 : Double(numproc.limit)
            print(row("Low Mem", cur(c[0], node.ram), pct(c[1], node.ram), pct(c[1], node.ram)))
            print(row("Total RAM", cur(c[2], node.ram), pct(c[4], all), pct(c[4], all)))
            print(row("Mem + Swap", cur(c[3], all), pct(c[4], all), pct(c[4], all)))
            print(row("Alloc. Mem", cur(c[5], all), pct(c[6], all), pct(c[7], all)))
            print(row("Num. Proc", usage == nil ? "n/a" : String(numproc.held ?? 0), procMax, procMax))
            print(String(repeating: "-", count: 44))
        }
        print(row("Memory", cur(c[3], all), pct(c[4], all), pct(max(c[4], c[7]), all)))
        return 0
    }
}
