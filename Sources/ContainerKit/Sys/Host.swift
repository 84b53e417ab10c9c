#if canImport(Glibc)
import Glibc
#endif

/// Facts about the host machine.
public enum Host {
    public static var cpuCount: Int { max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1) }
}
