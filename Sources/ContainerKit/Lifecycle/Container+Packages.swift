#if canImport(Glibc)
import Glibc
#endif

/// What `vzpkg install` and `vzpkg update` ask of a container's packages.
public enum PackageRequest: Sendable, Equatable {
    case install([String])
    case update
}

extension Container {
    /// Runs the container's own package manager inside it (apt-get, the
    /// only one vzpkg knows), its output on ours: the package lists first,
    /// then the install or upgrade. Returns the status of the first step
    /// that failed, else success.
    public func runPackageManager(_ request: PackageRequest) throws(VZError) -> WaitStatus {
        let pid = try joinableInit()
        guard Self.isExecutable("/proc/\(pid)/root/usr/bin/apt-get") else {
            throw VZError(.badTemplate, "CT \(ctid) has no package manager vzpkg can use (apt-get)")
        }
        // No questions (debconf, changed config files): nobody is there to answer.
        let env = InitSpec.defaultEnv + ["DEBIAN_FRONTEND=noninteractive"]
        let apt = ["apt-get", "-y", "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"]
        let steps: [[String]]
        switch request {
        case .install(let packages): steps = [["apt-get", "update"], apt + ["install"] + packages]
        case .update: steps = [["apt-get", "update"], apt + ["upgrade"]]
        }
        for step in steps {
            let status = try execDirect(step, env: env)
            if !status.succeeded { return status }
        }
        return .exited(0)
    }
}
