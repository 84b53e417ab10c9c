#if canImport(Glibc)
import Glibc
#endif

/// A failed system or library call: which call, on what, and the errno it left.
public struct SysError: Error, Sendable, CustomStringConvertible {
    public let call: String
    public let object: String
    public let errno: Int32

    public init(_ call: String, _ object: String = "", errno: Int32 = Glibc.errno) {
        self.call = call
        self.object = object
        self.errno = errno
    }

    public var reason: String { String(cString: strerror(errno)) }

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
