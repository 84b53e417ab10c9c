/// getopt_long semantics without getopt's global state: `--opt value`,
/// `--opt=value`, unambiguous prefixes of long options, clustered short
/// options (`-aH`, `-octid`), `--` ending options, and (like GNU getopt)
/// options after positional arguments.
public struct OptionSpec: Sendable, Equatable {
    public let long: String
    public let short: Character?
    public let takesValue: Bool

    public init(_ long: String, short: Character? = nil, value: Bool = false) {
        self.long = long
        self.short = short
        self.takesValue = value
    }
}

public struct ParsedArguments: Sendable, Equatable {
    /// Options in the order given: the spec's long name and its value.
    public var options: [(name: String, value: String?)] = []
    public var positionals: [String] = []

    public func has(_ name: String) -> Bool { options.contains { $0.name == name } }
    /// The last value given for `name`.
    public func value(_ name: String) -> String? { options.last { $0.name == name }?.value }
    public func values(_ name: String) -> [String] { options.filter { $0.name == name }.compactMap(\.value) }

    public static func == (a: ParsedArguments, b: ParsedArguments) -> Bool {
        a.positionals == b.positionals && a.options.elementsEqual(b.options) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// What getopt would complain about, in its words (without the program name).
public enum GetoptError: Error, Sendable, Equatable, CustomStringConvertible {
    case unrecognized(String)
    case invalidShort(Character)
    case ambiguous(String, [String])
    case requiresArgument(String)
    case shortRequiresArgument(Character)
    case doesNotAllowArgument(String)

    public var description: String {
        switch self {
        case .unrecognized(let opt): return "unrecognized option '\(opt)'"
        case .invalidShort(let c): return "invalid option -- '\(c)'"
        case .ambiguous(let opt, let candidates):
            return "option '\(opt)' is ambiguous; possibilities:" + candidates.map { " '--\($0)'" }.joined()
        case .requiresArgument(let opt): return "option '\(opt)' requires an argument"
        case .shortRequiresArgument(let c): return "option requires an argument -- '\(c)'"
        case .doesNotAllowArgument(let opt): return "option '\(opt)' doesn't allow an argument"
        }
    }
}

public enum Getopt {
    public static func parse(_ args: some Collection<String>, _ specs: [OptionSpec]) throws(GetoptError) -> ParsedArguments {
        var result = ParsedArguments()
        var rest = Array(args)[...]
        while let arg = rest.popFirst() {
            if arg == "--" {
                result.positionals += rest
                break
            }
            if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
                let inline: String? = body.contains("=") ? String(body[body.index(after: body.firstIndex(of: "=")!)...]) : nil
                let spec = try lookup(String(name), specs)
                if spec.takesValue {
                    if let inline {
                        result.options.append((spec.long, inline))
                    } else if let next = rest.popFirst() {
                        result.options.append((spec.long, next))
                    } else {
                        throw .requiresArgument("--" + spec.long)
                    }
                } else {
                    if inline != nil { throw .doesNotAllowArgument("--" + spec.long) }
                    result.options.append((spec.long, nil))
                }
            } else if arg.hasPrefix("-") && arg.count > 1 {
                var chars = arg.dropFirst()[...]
                while let c = chars.popFirst() {
                    guard let spec = specs.first(where: { $0.short == c }) else { throw .invalidShort(c) }
                    if spec.takesValue {
                        if !chars.isEmpty {
                            result.options.append((spec.long, String(chars)))
                        } else if let next = rest.popFirst() {
                            result.options.append((spec.long, next))
                        } else {
                            throw .shortRequiresArgument(c)
                        }
                        break
                    }
                    result.options.append((spec.long, nil))
                }
            } else {
                result.positionals.append(arg)
            }
        }
        return result
    }

    /// An exact match, else the only option that starts with `name`.
    static func lookup(_ name: String, _ specs: [OptionSpec]) throws(GetoptError) -> OptionSpec {
        if let exact = specs.first(where: { $0.long == name }) { return exact }
        let candidates = specs.filter { $0.long.hasPrefix(name) }
        if candidates.count == 1, !name.isEmpty { return candidates[0] }
        if candidates.isEmpty || name.isEmpty { throw .unrecognized("--" + name) }
        throw .ambiguous("--" + name, candidates.map(\.long))
    }
}
