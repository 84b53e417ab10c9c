#if canImport(Glibc)
import Glibc
#endif

/// A failed system or library call: which call, on what, and the errno it left.
public struct SysError: Error, Sendable, CustomStringConvertible {
    public let call: String
    public let object: String
    public let errno: Int32
    /// What a helper program said, when it was one that failed.
    public let message: String?

    public init(_ call: String, _ object: String = "", errno: Int32 = Glibc.errno) {
        self.call = call
        self.object = object
        self.errno = errno
        self.message = nil
    }

    /// A helper program that failed: `call` is the program, `output` what it
    /// printed (its last line is the reason).
    public init(program call: String, _ object: String, output: String) {
        self.call = call
        self.object = object
        self.errno = EIO
        self.message = Text.lines(output).last { !$0.allSatisfy(\.isWhitespace) }.map { String($0.drop { $0 == " " || $0 == "\t" }) }
    }

    public var reason: String { message ?? String(cString: strerror(errno)) }

    public var description: String {
        object.isEmpty ? "\(call): \(reason)" : "\(call) \(object): \(reason)"
    }
}

/// Runs a call that returns -1 and sets errno on failure, retrying EINTR.
@discardableResult
func check<T: BinaryInteger>(
    _ call: String, _ object: String = "", _ body: () -> T
) throws(SysError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let err = Glibc.errno
        if err != EINTR { throw SysError(call, object, errno: err) }
    }
}
