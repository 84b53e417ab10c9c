/// One entry of the host's apt sources: where and which suites.
public struct AptSource: Sendable, Equatable {
    public var types: [String]
    public var uris: [String]
    public var suites: [String]

    public init(types: [String], uris: [String], suites: [String]) {
        self.types = types
        self.uris = uris
        self.suites = suites
    }
}

/// The host's apt sources, read for the archive a template comes from:
/// sources.list and sources.list.d/*.list in the one-line format,
/// sources.list.d/*.sources in deb822.
public enum AptSources {
    public static func load(_ dir: String = "/etc/apt") -> [AptSource] {
        var sources = oneLine((try? Files.read(dir + "/sources.list")) ?? "")
        let parts = ((try? Files.list(dir + "/sources.list.d")) ?? []).sorted()
        for file in parts {
            guard let text = try? Files.read("\(dir)/sources.list.d/\(file)") else { continue }
            if file.hasSuffix(".list") { sources += oneLine(text) }
            if file.hasSuffix(".sources") { sources += deb822(text) }
        }
        return sources
    }

    /// `deb [options] URI SUITE [COMPONENT...]`, `#` starting a comment.
    public static func oneLine(_ text: String) -> [AptSource] {
        Text.lines(text).compactMap { line in
            var rest = line.prefix { $0 != "#" }
            guard let type = Text.fields(rest).first else { return nil }
            rest = rest.drop { $0 == " " || $0 == "\t" }.dropFirst(type.count)
            // Options are bracketed and may hold spaces.
            if rest.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("["), let close = rest.firstIndex(of: "]") {
                rest = rest[rest.index(after: close)...]
            }
            let words = Text.fields(rest)
            guard words.count >= 2 else { return nil }
            return AptSource(types: [String(type)], uris: [String(words[0])], suites: [String(words[1])])
        }
    }

    /// Paragraphs of `Key: value` fields; `Enabled: no` turns one off.
    public static func deb822(_ text: String) -> [AptSource] {
        var sources: [AptSource] = []
        var fields: [String: String] = [:]
        var last: String?
        func flush() {
            let split = { (key: String) in Text.fields(Substring(fields[key] ?? "")).map(String.init) }
            if split("enabled").first?.lowercased() != "no", !split("uris").isEmpty, !split("suites").isEmpty {
                sources.append(AptSource(types: fields["types"] == nil ? ["deb"] : split("types"), uris: split("uris"), suites: split("suites")))
            }
            fields = [:]
            last = nil
        }
        for line in Text.ownedLines(text) {
            if line.hasPrefix("#") { continue }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                flush()
            } else if line.first == " " || line.first == "\t" {
                if let key = last { fields[key, default: ""] += " " + line }
            } else if let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].lowercased()
                fields[key] = String(line[line.index(after: colon)...])
                last = key
            }
        }
        flush()
        return sources
    }

    /// The first binary (`deb`) archive that serves one of `suites` itself,
    /// not just its -updates or -security companion.
    public static func mirror(_ sources: [AptSource], serving suites: Set<String>) -> String? {
        sources.first { $0.types.contains("deb") && $0.suites.contains(where: suites.contains) }?.uris.first
    }
}
