#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp for one test.
func makeTempDirectory(_ name: String = "vzkit-test") -> String {
    var template = Array("/tmp/\(name).XXXXXX".utf8CString)
    _ = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    return String(cString: template)
}
