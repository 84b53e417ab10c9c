/// A vzlist column: name, header, width and alignment as the classic tool
/// printed them (reference/vzlist.md §3).
public struct ListField: Sendable {
    public enum Align: Sendable { case left, right }

    public enum Kind: Sendable, Equatable {
        case ctid
        case text(String)          // config key
        case path(String)          // VE_PRIVATE / VE_ROOT, expanded
        case list(String)          // space-separated config list (IP_ADDRESS...)
        case status
        case smartName
        case ubc(String, UBCPart)  // base name, which column
        case quota(String, QuotaPart)
        case laverage
        case uptime
        case number(String)        // integer config key, `-` when unset
        case yesNo(String)
        case layout
        case vswap
        case vmOvercommit
        case flags(String)         // FEATURES / CAPABILITY: `name:on name:off`
    }

    public enum UBCPart: String, Sendable { case held = "", maxheld = "m", barrier = "b", limit = "l", failcnt = "f" }
    public enum QuotaPart: String, Sendable { case usage = "", soft = "s", hard = "h" }

    public let name: String
    public let header: String
    public let width: Int
    public let align: Align
    public let headerAlign: Align
    public let cut: Bool
    public let kind: Kind

    init(_ name: String, _ header: String, _ width: Int, _ align: Align, cut: Bool = false,
         headerAlign: Align? = nil, _ kind: Kind) {
        self.name = name
        self.header = header
        self.width = width
        self.align = align
        self.headerAlign = headerAlign ?? align
        self.cut = cut
        self.kind = kind
    }

    /// Suffixed fields (`.m`, `.b`, `.s`...) have no JSON form.
    public var isSuffixed: Bool { name.contains(".") }
}

extension ListField {
    static let ubcNames: [(String, String)] = [
        ("kmemsize", "KMEMSIZE"), ("lockedpages", "LOCKEDP"), ("privvmpages", "PRIVVMP"), ("shmpages", "SHMP"),
        ("numproc", "NPROC"), ("physpages", "PHYSP"), ("vmguarpages", "VMGUARP"), ("oomguarpages", "OOMGUARP"),
        ("numtcpsock", "NTCPSOCK"), ("numflock", "NFLOCK"), ("numpty", "NPTY"), ("numsiginfo", "NSIGINFO"),
        ("tcpsndbuf", "TCPSNDB"), ("tcprcvbuf", "TCPRCVB"), ("othersockbuf", "OTHSOCKB"), ("dgramrcvbuf", "DGRAMRB"),
        ("numothersock", "NOTHSOCK"), ("dcachesize", "DCACHESZ"), ("numfile", "NFILE"), ("numiptent", "NIPTENT"),
        ("swappages", "SWAPP"),
    ]

    /// Every field, in the classic table order (`vzlist -L`).
    public static let all: [ListField] = {
        var fields: [ListField] = [
            ListField("ctid", "CTID", 10, .right, .ctid),
            ListField("veid", "CTID", 10, .right, .ctid),
            ListField("vpsid", "CTID", 10, .right, .ctid),
            ListField("private", "PRIVATE", 32, .left, cut: true, .path("VE_PRIVATE")),
            ListField("root", "ROOT", 32, .left, cut: true, .path("VE_ROOT")),
            ListField("mount_opts", "MOUNT_OPTS", 16, .left, cut: true, .text("MOUNT_OPTS")),
            ListField("origin_sample", "ORIGIN_SAMPLE", 32, .left, cut: true, headerAlign: .right, .text("ORIGIN_SAMPLE")),
            ListField("hostname", "HOSTNAME", 32, .left, cut: true, .text("HOSTNAME")),
            ListField("name", "NAME", 32, .left, cut: true, .text("NAME")),
            ListField("smart_name", "SMARTNAME", 10, .right, cut: true, .smartName),
            ListField("description", "DESCRIPTION", 32, .left, cut: true, .text("DESCRIPTION")),
            ListField("ostemplate", "OSTEMPLATE", 32, .left, cut: true, .text("OSTEMPLATE")),
            ListField("ip", "IP_ADDR", 15, .left, cut: true, .list("IP_ADDRESS")),
            ListField("nameserver", "NAMESERVER", 15, .left, cut: true, .list("NAMESERVER")),
            ListField("searchdomain", "SEARCHDOMAIN", 15, .left, cut: true, .list("SEARCHDOMAIN")),
            ListField("status", "STATUS", 9, .left, .status),
        ]
        for (base, header) in ubcNames {
            fields.append(ListField(base, header, 10, .right, .ubc(base, .held)))
            for part in [UBCPart.maxheld, .barrier, .limit, .failcnt] {
                fields.append(ListField("\(base).\(part.rawValue)", "\(header).\(part.rawValue.uppercased())", 10, .right, .ubc(base, part)))
            }
        }
        for (base, header) in [("diskspace", "DSPACE"), ("diskinodes", "DINODES")] {
            fields.append(ListField(base, header, 10, .right, .quota(base, .usage)))
            fields.append(ListField("\(base).s", "\(header).S", 10, .right, .quota(base, .soft)))
            fields.append(ListField("\(base).h", "\(header).H", 10, .right, .quota(base, .hard)))
        }
        fields += [
            ListField("laverage", "LAVERAGE", 14, .right, .laverage),
            ListField("uptime", "UPTIME", 15, .right, .uptime),
            ListField("cpulimit", "CPULIM", 7, .right, .number("CPULIMIT")),
            ListField("cpuunits", "CPUUNI", 7, .right, .number("CPUUNITS")),
            ListField("cpus", "CPUS", 5, .right, .number("CPUS")),
            ListField("ioprio", "IOP", 3, .right, .number("IOPRIO")),
            ListField("iolimit", "IOLIMIT", 10, .right, .number("IOLIMIT")),
            ListField("iopslimit", "IOPS", 4, .right, .number("IOPSLIMIT")),
            ListField("onboot", "ONBOOT", 6, .right, .yesNo("ONBOOT")),
            ListField("bootorder", "BOOTORDER", 10, .right, .number("BOOTORDER")),
            ListField("layout", "LAYOUT", 6, .left, headerAlign: .right, .layout),
            ListField("features", "FEATURES", 15, .left, cut: true, .flags("FEATURES")),
            ListField("vswap", "VSWAP", 5, .right, .vswap),
            ListField("disabled", "DISABL", 6, .right, .yesNo("DISABLED")),
            ListField("vm_overcommit", "VM_OVC", 6, .right, .vmOvercommit),
            ListField("netfilter", "NETFILTER", 9, .left, .text("NETFILTER")),
            ListField("capability", "CAPABILITY", 15, .left, .flags("CAPABILITY")),
        ]
        return fields
    }()

    public static func named(_ name: String) -> ListField? {
        all.first { $0.name == name }
    }

    public static let defaultNames = ["ctid", "numproc", "status", "ip", "hostname"]
    public static let smartNames = ["smart_name", "numproc", "status", "ip", "hostname"]
}
