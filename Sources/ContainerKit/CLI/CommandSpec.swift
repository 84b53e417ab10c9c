/// One vzctl command as data: its grammar, help text and classic rules. The
/// same table drives parsing, `--help`, `help COMMAND` and the tests.
public struct CommandSpec: Sendable {
    public let name: String
    public let aliases: [String]
    public let synopsis: String
    public let summary: String
    public let options: [OptionSpec]
    /// Everything after the CTID is the command's, unparsed (exec, enter...).
    public let rawArguments: Bool
    /// Exit code for an option getopt does not know (vzctl: 20 for
    /// start/stop-like commands, 21 for set/create).
    public let unknownOptionCode: ExitCode
    public let needsConfig: Bool
    public let takesLock: Bool

    init(
        _ name: String, aliases: [String] = [], synopsis: String, summary: String,
        options: [OptionSpec] = [], raw: Bool = false, unknownOptionCode: ExitCode = .invalidSyntax,
        needsConfig: Bool = true, lock: Bool = true
    ) {
        self.name = name
        self.aliases = aliases
        self.synopsis = synopsis
        self.summary = summary
        self.options = options
        self.rawArguments = raw
        self.unknownOptionCode = unknownOptionCode
        self.needsConfig = needsConfig
        self.takesLock = lock
    }
}

public enum CommandTable {
    public static let setOptions: [OptionSpec] = ResourceParameters.options + [
        OptionSpec("save"), OptionSpec("force"), OptionSpec("setmode", value: true),
        OptionSpec("hostname", value: true), OptionSpec("name", value: true),
        OptionSpec("description", value: true), OptionSpec("onboot", value: true),
        OptionSpec("bootorder", value: true), OptionSpec("disabled", value: true),
        OptionSpec("stop-timeout", value: true), OptionSpec("ostemplate", value: true),
        OptionSpec("root", value: true), OptionSpec("private", value: true),
        OptionSpec("ipadd", value: true), OptionSpec("ip", value: true), OptionSpec("ipdel", value: true),
        OptionSpec("nameserver", value: true), OptionSpec("searchdomain", value: true),
        OptionSpec("netif_add", value: true), OptionSpec("netif_del", value: true),
        OptionSpec("netdev_add", value: true), OptionSpec("netdev_del", value: true),
        OptionSpec("ifname", value: true), OptionSpec("mac", value: true), OptionSpec("host_mac", value: true),
        OptionSpec("host_ifname", value: true), OptionSpec("bridge", value: true), OptionSpec("mac_filter", value: true),
        OptionSpec("diskspace", value: true), OptionSpec("diskinodes", value: true),
        OptionSpec("offline-resize"), OptionSpec("offline"),
        OptionSpec("quotaugidlimit", value: true), OptionSpec("quotatime", value: true), OptionSpec("diskquota", value: true),
        OptionSpec("userpasswd", value: true),
        OptionSpec("devices", value: true), OptionSpec("devnodes", value: true),
    ]

    /// start, stop and restart share one table, as in vzctl, so that a
    /// start-only option given to stop gets "not applicable", not "unknown".
    public static let startStopOptions: [OptionSpec] = [
        OptionSpec("wait"), OptionSpec("force"), OptionSpec("fast"), OptionSpec("skip-fsck"),
        OptionSpec("skip-remount"), OptionSpec("skip-umount"), OptionSpec("skip_ve_setup"),
    ]

    /// Which of startStopOptions each command accepts.
    public static let applicable: [String: Set<String>] = [
        "start": ["wait", "force", "skip-fsck", "skip-remount", "skip_ve_setup"],
        "stop": ["fast", "skip-umount"],
        "restart": ["wait", "force", "fast", "skip-fsck", "skip-remount", "skip-umount", "skip_ve_setup"],
    ]

    /// `--id` and `--uuid` are one option to vzctl.
    static let snapshotID = [OptionSpec("id", value: true), OptionSpec("uuid", value: true)]
    /// vzctl's chkpnt/restore options for the OpenVZ kernel's checkpointing
    /// (CPU flags, context, ARP detection): accepted, nothing to do with
    /// CRIU, left out of the synopsis as vzctl left them out.
    public static let checkpointCompatibility: [OptionSpec] = [
        OptionSpec("skip_arpdetect"), OptionSpec("flags", value: true), OptionSpec("context", value: true),
    ]

    public static let all: [CommandSpec] = [
        CommandSpec(
            "create",
            synopsis: "create CTID [--ostemplate NAME] [--config NAME] [--private PATH] [--root PATH] [--ipadd ADDR] [--hostname NAME] [--name NAME] [--description TEXT] [--layout simfs|ploop] [--diskspace KB[:KB]] [--diskinodes N[:N]] [--local_uid UID] [--local_gid GID]",
            summary: "Create a container from an OS template cache and a sample configuration.",
            options: [
                OptionSpec("ostemplate", value: true), OptionSpec("config", value: true),
                OptionSpec("private", value: true), OptionSpec("root", value: true),
                OptionSpec("hostname", value: true), OptionSpec("name", value: true),
                OptionSpec("description", value: true), OptionSpec("layout", value: true),
                OptionSpec("ipadd", value: true), OptionSpec("ip", value: true),
                OptionSpec("ve_layout", value: true), OptionSpec("velayout", value: true),
                OptionSpec("diskspace", value: true), OptionSpec("diskinodes", value: true),
                OptionSpec("local_uid", value: true), OptionSpec("local_gid", value: true),
            ],
            unknownOptionCode: .invalidValue, needsConfig: false),
        CommandSpec(
            "destroy", aliases: ["delete"], synopsis: "destroy CTID",
            summary: "Remove a stopped, unmounted container: its private area and configuration."),
        CommandSpec(
            "mount", synopsis: "mount CTID", summary: "Mount the container's private area on its root."),
        CommandSpec(
            "umount", synopsis: "umount CTID", summary: "Unmount the root of a stopped container."),
        CommandSpec(
            "start", synopsis: "start CTID [--wait] [--force] [--skip-remount]",
            summary: "Start the container: mount it, create its namespaces and cgroups, run its /sbin/init.",
            options: startStopOptions),
        CommandSpec(
            "stop", synopsis: "stop CTID [--fast] [--skip-umount]",
            summary: "Stop the container: its own halt, then after STOP_TIMEOUT a kill of all its processes.",
            options: startStopOptions),
        CommandSpec(
            "restart", synopsis: "restart CTID [--wait] [--force] [--fast] [--skip-remount] [--skip-umount]",
            summary: "Stop the container if it runs, then start it.",
            options: startStopOptions),
        CommandSpec(
            "chkpnt", aliases: ["suspend"],
            synopsis: "chkpnt CTID [--dumpfile PATH] [--suspend | --dump | --kill | --resume]",
            summary: "Checkpoint the container with CRIU: freeze it, dump it into PATH (default DUMPDIR/Dump.CTID), stop it. One stage alone with --suspend (freeze), --dump (needs --dumpfile), --kill or --resume.",
            options: [
                OptionSpec("dumpfile", value: true), OptionSpec("suspend"), OptionSpec("dump"),
                OptionSpec("kill"), OptionSpec("resume"),
            ] + checkpointCompatibility),
        CommandSpec(
            "restore", aliases: ["resume"],
            synopsis: "restore CTID [--dumpfile PATH] [--undump | --kill | --resume] [--skip-fsck] [--skip-remount]",
            summary: "Restore a checkpointed container from PATH (default DUMPDIR/Dump.CTID) with CRIU and remove the dump. One stage alone with --undump (restore frozen; needs --dumpfile), --resume or --kill.",
            options: [
                OptionSpec("dumpfile", value: true), OptionSpec("undump"), OptionSpec("kill"), OptionSpec("resume"),
                OptionSpec("skip-remount"), OptionSpec("skip-fsck"),
            ] + checkpointCompatibility),
        CommandSpec(
            "status", synopsis: "status CTID",
            summary: "Print whether the container exists, is mounted and is running.",
            needsConfig: false, lock: false),
        CommandSpec(
            "set", synopsis: "set CTID [--ram SIZE] [--swap SIZE] [--cpuunits N] [--cpulimit N[%]] [--cpus N] [--cpumask LIST|all] [--nodemask LIST|all] [--iolimit MB/s] [--iopslimit N] [--ioprio 0-7] [--vm_overcommit N] [--UBCNAME B[:L]]... [--ipadd ADDR[/MASK]] [--ipdel ADDR|all] [--netif_add IFNAME[,MAC,HOST_IFNAME,HOST_MAC,BRIDGE]] [--netif_del IFNAME|all] [--ifname IFNAME [--mac MAC] [--host_mac MAC] [--host_ifname NAME] [--bridge NAME] [--mac_filter on|off]] [--netdev_add NAME] [--netdev_del NAME] [--diskspace KB[:KB] [--offline-resize]] [--diskinodes N[:N]] [--quotaugidlimit N] [--quotatime SEC] [--hostname NAME] [--nameserver ADDR|inherit] [--searchdomain DOMAIN] [--name NAME] [--description TEXT] [--onboot yes|no] [--bootorder N] [--disabled yes|no] [--stop-timeout SEC] [--userpasswd USER:PASSWORD] [--devices b|c:MAJOR:MINOR|all:[r][w]|none] [--devnodes NAME:[r][w]|none] [--save]",
            summary: "Change container parameters, live where the container runs; --save writes them to CTID.conf.",
            options: setOptions, unknownOptionCode: .invalidValue, needsConfig: false),
        CommandSpec(
            "exec", synopsis: "exec CTID COMMAND [ARG...]",
            summary: "Run a command line in the container's shell; exit 0 if it succeeded, else 8.",
            raw: true, lock: false),
        CommandSpec(
            "exec2", synopsis: "exec2 CTID COMMAND [ARG...]",
            summary: "Like exec, but exit with the command's own exit code.", raw: true, lock: false),
        CommandSpec(
            "exec3", synopsis: "exec3 CTID COMMAND [ARG...]",
            summary: "Run a program in the container directly (no shell); exit with its code.",
            raw: true, lock: false),
        CommandSpec(
            "enter", synopsis: "enter CTID [--exec COMMAND [ARG...]]",
            summary: "Open a root login shell on a new pty inside the container.", raw: true, lock: false),
        CommandSpec(
            "runscript", synopsis: "runscript CTID SCRIPT",
            summary: "Run a host script inside the container (a temporary one if it is stopped).", raw: true),
        CommandSpec(
            "convert", synopsis: "convert CTID [--layout ploop[:expanded|plain|raw]]",
            summary: "Move a stopped simfs container into an image of DISKSPACE (the ploop layout).",
            options: [OptionSpec("layout", value: true), OptionSpec("ve_layout", value: true), OptionSpec("velayout", value: true)],
            unknownOptionCode: .invalidValue),
        CommandSpec(
            "snapshot", synopsis: "snapshot CTID [--id UUID] [--name NAME] [--description TEXT] [--skip-suspend] [--skip-config]",
            summary: "Take a snapshot of the container's image (and CTID.conf); a running container's file system is frozen for it.",
            options: snapshotID + [
                OptionSpec("name", value: true), OptionSpec("description", value: true),
                OptionSpec("skip-suspend"), OptionSpec("skip-config"),
            ],
            unknownOptionCode: .invalidValue),
        CommandSpec(
            "snapshot-switch", synopsis: "snapshot-switch CTID --id UUID [--skip-resume|--must-resume] [--skip-config]",
            summary: "Replace the container's image (and CTID.conf) with a snapshot's; a running container is restarted.",
            options: snapshotID + [
                OptionSpec("skip_arpdetect"), OptionSpec("skip-resume"), OptionSpec("skip-config"), OptionSpec("must-resume"),
            ],
            unknownOptionCode: .invalidValue),
        CommandSpec(
            "snapshot-delete", synopsis: "snapshot-delete CTID --id UUID",
            summary: "Delete a snapshot; its children become children of its parent.",
            options: snapshotID, unknownOptionCode: .invalidValue),
        CommandSpec(
            "snapshot-mount", synopsis: "snapshot-mount CTID --id UUID --target DIR",
            summary: "Mount a snapshot read-only at DIR.",
            options: snapshotID + [OptionSpec("target", value: true)], unknownOptionCode: .invalidValue),
        CommandSpec(
            "snapshot-umount", synopsis: "snapshot-umount CTID --id UUID",
            summary: "Unmount a mounted snapshot.",
            options: snapshotID, unknownOptionCode: .invalidValue),
        // Parses its own options, as vzctl's does (SnapshotListCommand).
        CommandSpec(
            "snapshot-list", synopsis: "snapshot-list CTID [-H] [-o FIELD[,FIELD...]] [--id UUID] | -L",
            summary: "List the container's snapshots: parent, current (*), uuid, date and name by default.",
            raw: true),
    ]

    public static func find(_ word: String) -> CommandSpec? {
        all.first { $0.name == word || $0.aliases.contains(word) }
    }

    public static let usage: String = {
        var text = """
            Usage: vzctl [options] <command> <ctid> [parameters]

            Options: --quiet, --verbose, --version, --help

            """
        for spec in all { text += "vzctl " + spec.synopsis + "\n" }
        text += "\nvzctl help COMMAND describes a command.\n"
        return text
    }()

    public static func help(_ spec: CommandSpec) -> String {
        var text = "Usage: vzctl \(spec.synopsis)\n\n\(spec.summary)\n"
        if !spec.aliases.isEmpty { text += "Also called: \(spec.aliases.joined(separator: ", ")).\n" }
        return text
    }
}
