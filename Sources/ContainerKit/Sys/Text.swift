/// Line and field splitting over UTF-8 bytes: /proc and cgroup files are
/// read on every command, and Character-wise splitting costs more there
/// than everything else vzctl does.
enum Text {
    /// Every line as its own String, empty lines kept (a final newline ends
    /// the last line rather than starting an empty one).
    static func ownedLines(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [String] = []
            var start = 0
            for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "\n") {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                start = i + 1
            }
            if start < bytes.count {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            }
            return lines
        }
    }

    static func lines(_ text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n")).map { Substring($0) }
    }

    /// The first line that starts with `prefix`, without the prefix; no
    /// splitting of the lines before it.
    static func line(startingWith prefix: String, in text: String) -> Substring? {
        let p = Array(prefix.utf8)
        let bytes = text.utf8
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            if bytes[lineStart..<lineEnd].starts(with: p) {
                return Substring(text[bytes.index(lineStart, offsetBy: p.count)..<lineEnd])
            }
            lineStart = lineEnd == bytes.endIndex ? lineEnd : bytes.index(after: lineEnd)
        }
        return nil
    }

    static func fields(_ line: Substring) -> [Substring] {
        line.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }).map { Substring($0) }
    }

    /// `%Ns` (right) or `%-Ns` (left): padded by bytes, as printf does.
    static func pad(_ s: String, _ width: Int, right: Bool) -> String {
        let n = s.utf8.count
        guard n < width else { return s }
        let fill = String(repeating: " ", count: width - n)
        return right ? fill + s : s + fill
    }
}
