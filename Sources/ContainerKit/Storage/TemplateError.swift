/// Why `vzpkg create cache` could not make a template.
public enum TemplateError: Error, Sendable, CustomStringConvertible {
    /// Something the build needs is missing on the host; says what to do.
    case unavailable(String)
    /// The tool that builds the root failed (its last error line).
    case toolFailed(tool: String, detail: String)
    case system(SysError)

    public var description: String {
        switch self {
        case .unavailable(let what): return what
        case .toolFailed(let tool, let detail): return "\(tool) failed: \(detail)"
        case .system(let cause): return "unable to create the cache: \(cause)"
        }
    }
}
