/// Line and field splitting over UTF-8 bytes: /proc and cgroup files are
/// read on every command, and Character-wise splitting costs more there
/// than everything else vzctl does.
enum Text {
    static func lines(_ text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n")).map { Substring($0) }
    }

    static func fields(_ line: Substring) -> [Substring] {
        line.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }).map { Substring($0) }
    }
}
