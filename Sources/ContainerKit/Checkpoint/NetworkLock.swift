#if canImport(Glibc)
import Glibc
#endif

/// CRIU's network lock: while it dumps established connections, rules in
/// the container's network namespace drop every packet (an iptables chain
/// `CRIU`, or an nftables table `CRIU-<pid>`), so that the kernel answers
/// no peer for the frozen sockets. A dump killed half-way leaves them;
/// the next command removes them before the container goes on.
enum NetworkLock {
    static func release(pid: pid_t) throws(SysError) {
        try NetworkNamespace.within(pid) { () throws(SysError) in
            for tool in ["iptables", "ip6tables"] where Subprocess.which(tool) != nil {
                for chain in ["INPUT", "OUTPUT"] {
                    // Once per lock taken; a dump killed twice took it twice.
                    while try Subprocess.runCapturing([tool, "-w", "-D", chain, "-j", "CRIU"]).status.succeeded {}
                }
                _ = try Subprocess.runCapturing([tool, "-w", "-F", "CRIU"])
                _ = try Subprocess.runCapturing([tool, "-w", "-X", "CRIU"])
            }
            guard Subprocess.which("nft") != nil else { return }
            let (_, tables) = try Subprocess.runCapturing(["nft", "list", "tables"])
            for line in Text.lines(tables) {
                let words = Text.fields(line)
                if words.count == 3, words[0] == "table", words[2].hasPrefix("CRIU-") {
                    _ = try Subprocess.runCapturing(["nft", "delete", "table", String(words[1]), String(words[2])])
                }
            }
        }
    }
}
