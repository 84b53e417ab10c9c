#if canImport(Glibc)
import Glibc
#endif

/// A C array copied out of a Swift one, for a C struct that outlives any
/// single `withUnsafe...` closure. The owner frees it.
struct CArray<Element> {
    let pointer: UnsafeMutablePointer<Element>

    init(_ values: [Element]) {
        pointer = .allocate(capacity: max(values.count, 1))
        pointer.initialize(from: values, count: values.count)
    }

    func free() { pointer.deallocate() }
}

/// A NULL-terminated `char *[]` of strdup'ed strings.
struct CStringArray {
    let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointer = .allocate(capacity: strings.count + 1)
        for (i, s) in strings.enumerated() { (pointer + i).initialize(to: strdup(s)) }
        (pointer + strings.count).initialize(to: nil)
    }

    func free() {
        for i in 0..<count { Glibc.free(pointer[i]) }
        pointer.deallocate()
    }
}
