#if canImport(Glibc)
import Glibc
#endif

/// `vzpid [-p] PID...` and `vzpid [-p] -` (PIDs on stdin): which container
/// each host process belongs to, tab-separated like the classic script.
public enum Vzpid {
    static let usage = "Usage: vzpid [-p] <pid> ...\n       vzpid [-p] -\n"

    public static func main(_ args: [String]) -> Int32 {
        var words = args[...]
        // -p: also the pid inside the container.
        let inner = words.first == "-p"
        if inner { words.removeFirst() }
        if words.isEmpty {
            Console.writeErr(usage)
            return 1
        }
        if words == ["-h"] {
            print(usage, terminator: "")
            return 0
        }
        if words == ["-"] {
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            words = text.split(whereSeparator: \.isWhitespace).map(String.init)[...]
        }
        let layout = Layout.fromEnvironment()
        var out = inner ? "Pid\tCT/Pid\tCTID\tName\n" : "Pid\tCTID\tName\n"
        for word in words {
            // A PID that is gone (or never was) is skipped silently.
            guard let status = ProcessStatus(String(word)) else { continue }
            // The script's awk took the first word after "Name:".
            let name = status.name
            let ctid = Cgroups.container(of: word, layout: layout)
            let pid = number(word)
            if inner {
                // NSpid's last field is the pid in the process's own namespace.
                let vpid = status.fields("NSpid").last.map(number) ?? 0
                out += "\(pid)\t\(vpid)\t\(ctid)\t\(name)\n"
            } else {
                out += "\(pid)\t\(ctid)\t\(name)\n"
            }
        }
        print(out, terminator: "")
        return 0
    }

    /// The number awk's %d made of a word: its leading digits, else 0.
    static func number(_ word: some StringProtocol) -> Int {
        Int(word.prefix { $0.isASCII && $0.isNumber }) ?? 0
    }
}
