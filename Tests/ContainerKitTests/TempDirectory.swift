@testable import ContainerKit

/// A fresh directory under /tmp for one test.
func makeTempDirectory(_ name: String = "vzkit-test") -> String {
    try! Files.makeTempDirectory("/tmp/\(name).")
}
