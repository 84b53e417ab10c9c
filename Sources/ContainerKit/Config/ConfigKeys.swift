/// Facts about config keys that the reader and writer share.
public enum ConfigKeys {
    /// Keys whose occurrences accumulate instead of first-wins.
    public static let listKeys: Set<String> = [
        "IP_ADDRESS", "NAMESERVER", "SEARCHDOMAIN", "NETDEV", "DEVICES", "DEVNODES", "PCI",
        "CAPABILITY", "FEATURES",
    ]

    /// The order in which `--save` appends keys that the file does not have yet.
    static let saveOrder: [String] = [
        "KMEMSIZE", "LOCKEDPAGES", "PRIVVMPAGES", "SHMPAGES", "NUMPROC", "PHYSPAGES", "VMGUARPAGES",
        "OOMGUARPAGES", "NUMTCPSOCK", "NUMFLOCK", "NUMPTY", "NUMSIGINFO", "TCPSNDBUF", "TCPRCVBUF",
        "OTHERSOCKBUF", "DGRAMRCVBUF", "NUMOTHERSOCK", "NUMFILE", "DCACHESIZE", "NUMIPTENT",
        "AVNUMPROC", "SWAPPAGES", "VM_OVERCOMMIT", "IPTABLES", "NETFILTER", "CAPABILITY",
        "IP_ADDRESS", "NETDEV", "HOSTNAME", "DESCRIPTION", "NAMESERVER", "SEARCHDOMAIN", "DEVICES",
        "DEVNODES", "PCI", "VE_ROOT", "VE_PRIVATE", "MOUNT_OPTS", "VE_LAYOUT", "OSTEMPLATE",
        "CPUUNITS", "CPUUWEIGHT", "CPULIMIT", "CPUS", "CPUMASK", "NODEMASK", "ONBOOT",
        "ORIGIN_SAMPLE", "DISABLED", "LOCAL_UID", "LOCAL_GID", "DISK_QUOTA", "DISKSPACE",
        "DISKINODES", "QUOTATIME", "QUOTAUGIDLIMIT", "MEMINFO", "NETIF", "VEID", "NAME", "FEATURES",
        "IOPRIO", "IOLIMIT", "IOPSLIMIT", "BOOTORDER", "STOP_TIMEOUT",
    ]

    static func saveRank(_ key: String) -> Int {
        saveOrder.firstIndex(of: key) ?? saveOrder.count
    }
}
