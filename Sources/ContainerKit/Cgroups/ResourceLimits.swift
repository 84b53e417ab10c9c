/// What a container's config asks of the kernel's resource controllers,
/// in the kernel's units. nil: no limit (the controller's default).
public struct ResourceLimits: Sendable, Equatable {
    /// cpuunits, a relative weight (1000 = a default share).
    public var cpuUnits: Int = 1000
    /// CPU time per 100 ms period, in microseconds (cpulimit and cpus).
    public var cpuQuota: Int?
    public static let cpuPeriod = 100_000
    /// CPUs the container may run on ("0-3,5"), nil for all.
    public var cpuset: String?
    /// NUMA memory nodes ("0-1"), nil for all.
    public var mems: String?
    public var memoryBytes: Int64?
    /// Swap on top of memory.
    public var swapBytes: Int64?
    public var pids: Int64?
    /// numfile: open files per process, as RLIMIT_NOFILE (no cgroup counts
    /// open files; the kernel enforces it per process).
    public var files: Int64?
    /// numpty: the size of the container's devpts instance (its `max=`);
    /// without one, a container could take every pty the kernel has left
    /// for namespaces (kernel.pty.max less the host's reserve).
    public var ptys: Int64?
    /// ioprio 0-7 (4 by default): a relative I/O weight.
    public var ioPriority = 4
    /// Bytes and operations per second on the device of the private area.
    public var ioBytes: Int64?
    public var ioOps: Int64?
    /// `MAJOR:MINOR` of the disk holding the private area, for throttling.
    public var ioDevice: String?

    public init() {}

    public static func from(_ config: CTConfig) -> ResourceLimits {
        var l = ResourceLimits()
        if let units = config.value("CPUUNITS").flatMap(Int.init) { l.cpuUnits = units }
        let percent = config.value("CPULIMIT").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        let cpus = config.value("CPUS").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        let quotas = [percent.map { $0 * cpuPeriod / 100 }, cpus.map { $0 * cpuPeriod }].compactMap { $0 }
        l.cpuQuota = quotas.min()
        if let mask = config.value("CPUMASK"), mask != "all", CPUMask.parse(mask) != nil { l.cpuset = mask }
        if let mask = config.value("NODEMASK"), mask != "all", CPUMask.parse(mask) != nil { l.mems = mask }
        l.memoryBytes = limit(config, "PHYSPAGES", .pages).map { $0 * UBCValue.pageSize }
        l.swapBytes = limit(config, "SWAPPAGES", .pages).map { $0 * UBCValue.pageSize }
        l.pids = limit(config, "NUMPROC", .items)
        l.files = limit(config, "NUMFILE", .items)
        l.ptys = limit(config, "NUMPTY", .items)
        if let p = config.value("IOPRIO").flatMap(Int.init), (0...7).contains(p) { l.ioPriority = p }
        l.ioBytes = config.value("IOLIMIT").flatMap(Int64.init).flatMap { $0 > 0 ? $0 : nil }
        l.ioOps = config.value("IOPSLIMIT").flatMap(Int64.init).flatMap { $0 > 0 ? $0 : nil }
        // Known even without a limit, so that a limit set to 0 is lifted. The
        // image layout's container does its I/O on its loop device, mounted
        // on the root by now.
        let disk = config.privatePath.flatMap { ImageLayout.isImage($0) ? config.rootPath : $0 }
        l.ioDevice = disk.flatMap(BlockDevice.disk(of:))
        return l
    }

    /// blkio.weight (v1): 100-800, 500 for ioprio 4.
    public var blkioWeight: Int { (ioPriority + 1) * 100 }
    /// io.weight (v2): 20-160, 100 for ioprio 4.
    public var ioWeight: Int { (ioPriority + 1) * 20 }

    /// A beancounter's limit, nil when unlimited (LONG_MAX, or INT_MAX as
    /// 32-bit configs wrote it) or absent.
    static func limit(_ config: CTConfig, _ key: String, _ unit: UBCUnit) -> Int64? {
        guard let raw = config.value(key), let pair = UBCValue.parsePair(raw, unit: unit),
              pair.limit != UBCValue.unlimited, pair.limit != Int64(Int32.max)
        else { return nil }
        return pair.limit
    }

    /// cpu.shares (v1): 1024 for the default 1000 units, in 2...262144.
    public var cpuShares: Int { min(max(cpuUnits * 1024 / 1000, 2), 262_144) }
    /// cpu.weight (v2): 100 for 1000 units, in 1...10000.
    public var cpuWeight: Int { min(max(cpuUnits / 10, 1), 10_000) }
}
