import ContainerKit
import Foundation
import Testing

/// A throw-away vzkit "host": its own VZ_PREFIX, the shipped samples, and the
/// busybox template cache (built once per test run by the real `vzpkg`).
/// Commands run as the real binary, under the names vzctl/vzlist/vzpkg.
final class TestHost: @unchecked Sendable {
    let prefix: String
    private var started: [String] = []

    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The binary under test: VZCTL_BIN, else the debug build of this package.
    static let binary: String = ProcessInfo.processInfo.environment["VZCTL_BIN"] ?? packageRoot + "/.build/debug/vzctl"

    /// A bin directory with the three names linked to the binary.
    static let binDir: String = {
        let dir = NSTemporaryDirectory() + "vzkit-it-bin-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["vzctl", "vzlist", "vzpkg", "vzubc", "vzcpucheck", "vzsplit", "vzmemcheck", "vzcalc", "vzpid", "vz", "vzmigrate"] {
            try? FileManager.default.removeItem(atPath: "\(dir)/\(name)")
            try? FileManager.default.createSymbolicLink(atPath: "\(dir)/\(name)", withDestinationPath: binary)
        }
        return dir
    }()

    /// One template cache for every test host of this run.
    static let templateCache: String = {
        let dir = NSTemporaryDirectory() + "vzkit-it-cache-\(getpid())"
        let result = run(["vzpkg", "create", "cache", "busybox"], env: ["VZ_PREFIX": dir])
        precondition(result.code == 0, "vzpkg create cache busybox failed: \(result.stderr)")
        return dir + "/vz/template/cache/busybox.tar.gz"
    }()

    init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        prefix = NSTemporaryDirectory() + "vzkit-it-\(safe)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fm = FileManager.default
        try fm.createDirectory(atPath: prefix + "/etc/vz/conf", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/vz/template/cache", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/var/log", withIntermediateDirectories: true)
        for sample in try fm.contentsOfDirectory(atPath: Self.packageRoot + "/conf") where sample.hasSuffix(".conf-sample") {
            try fm.copyItem(atPath: Self.packageRoot + "/conf/" + sample, toPath: prefix + "/etc/vz/conf/" + sample)
        }
        try fm.copyItem(atPath: Self.templateCache, toPath: prefix + "/vz/template/cache/busybox.tar.gz")
    }

    /// Stops and destroys every container this host made, then removes it.
    deinit {
        for ctid in started {
            _ = run("vzctl", "stop", ctid, "--fast")
            _ = run("vzctl", "destroy", ctid)
        }
        _ = Self.run(["umount", "-R", prefix + "/vz/root"], env: [:])
        if privatesMounted { _ = Self.run(["umount", "-l", prefix + "/vz/private"], env: [:]) }
        for dir in cgroupDirs("0") { rmdir((dir as NSString).deletingLastPathComponent) }
        try? FileManager.default.removeItem(atPath: prefix)
    }

    struct Result: CustomStringConvertible {
        let code: Int32
        let stdout: String
        let stderr: String
        var description: String { "exit \(code)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    func run(_ args: String..., stdin: String? = nil) -> Result {
        run(args, stdin: stdin)
    }

    func run(_ args: [String], stdin: String? = nil) -> Result {
        Self.run(args, env: ["VZ_PREFIX": prefix], stdin: stdin)
    }

    /// Longer than any command of the suite takes on a loaded machine (a
    /// Debian template build is the slowest, about a minute).
    static let commandTimeout: Double = 900

    /// Runs a command (vzctl, vzlist, vzpkg or any program on PATH) and waits.
    static func run(_ args: [String], env: [String: String], stdin: String? = nil) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = binDir + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try! process.run()
        // A hung command fails its own test rather than the whole run, which
        // CI cuts off with nothing to show for it.
        nonisolated(unsafe) var timedOut = false
        let watchdog = DispatchWorkItem {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + commandTimeout, execute: watchdog)
        if let stdin { input.fileHandleForWriting.write(stdin.data(using: .utf8)!) }
        try? input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a chatty command cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        watchdog.cancel()
        let note = timedOut ? "\n(test host: \(args.joined(separator: " ")) killed after \(Int(commandTimeout)) s)" : ""
        return Result(code: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self) + note)
    }

    /// Puts a template cache made elsewhere (DebianCache) into this host's cache directory.
    func addTemplate(_ tarball: String) throws {
        let target = prefix + "/vz/template/cache/" + (tarball as NSString).lastPathComponent
        // A hard link where the file system allows it: the Debian cache is ~50 MB.
        if link(tarball, target) != 0 { try FileManager.default.copyItem(atPath: tarball, toPath: target) }
    }

    /// Creates a container from a template (busybox unless told); it is
    /// cleaned up with the host.
    @discardableResult
    func create(_ ctid: String, template: String = "busybox", _ extra: String...) throws -> Result {
        let result = Self.run(["vzctl", "create", ctid, "--ostemplate", template] + extra, env: ["VZ_PREFIX": prefix])
        try #require(result.code == 0, "\(result)")
        started.append(ctid)
        return result
    }

    func start(_ ctid: String) throws {
        let result = run("vzctl", "start", ctid)
        try #require(result.code == 0, "\(result)")
        #expect(result.stderr.isEmpty, "start wrote to stderr: \(result.stderr)")
    }

    /// Waits (up to 5 s) until init is alone, its boot scripts done, so
    /// process counts are stable.
    func waitUntilIdle(_ ctid: String) {
        for _ in 0..<250 {
            let dir = cgroupDirs(ctid).first { $0.contains("/pids/") } ?? cgroupDirs(ctid).first ?? ""
            if read(dir + "/pids.current") == "1\n" { return }
            usleep(20_000)
        }
    }

    /// Whether a loop device still has a file of this container's private
    /// area behind it, after the kernel's deferred detach had its moment.
    func loopDeviceLeft(_ ctid: String) -> Bool {
        for _ in 0..<40 {
            if !Self.run(["losetup", "-a"], env: [:]).stdout.contains(privatePath(ctid) + "/") { return false }
            usleep(50_000)
        }
        return true
    }

    private var privatesMounted = false

    /// Puts this host's private areas on an ext4 of its own with project
    /// quota (simfs disk limits), unmounted with the host.
    func mountProjectQuotaPrivates(sizeMB: Int = 256) throws {
        let image = prefix + "/private.img"
        let privates = prefix + "/vz/private"
        try FileManager.default.createDirectory(atPath: privates, withIntermediateDirectories: true)
        try #require(Self.run(["truncate", "-s", "\(sizeMB)M", image], env: [:]).code == 0)
        try #require(Self.run(["mkfs.ext4", "-q", "-O", "quota,project", image], env: [:]).code == 0)
        try #require(Self.run(["mount", "-o", "loop,prjquota", image, privates], env: [:]).code == 0)
        privatesMounted = true
    }

    func confPath(_ ctid: String) -> String { "\(prefix)/etc/vz/conf/\(ctid).conf" }
    func privatePath(_ ctid: String) -> String { "\(prefix)/vz/private/\(ctid)" }
    func rootPath(_ ctid: String) -> String { "\(prefix)/vz/root/\(ctid)" }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// The container's cgroup in the pids hierarchy (v1) or the unified tree.
    func cgroupDirs(_ ctid: String) -> [String] {
        let parent = Self.cgroupParent(prefix)
        let base = "/sys/fs/cgroup"
        if FileManager.default.fileExists(atPath: base + "/cgroup.controllers") { return ["\(base)/\(parent)/\(ctid)"] }
        // unified: the cgroup2 tree of a hybrid host, which holds the sysctl policy.
        let hierarchies = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "unified"]
        return hierarchies.map { "\(base)/\($0)/\(parent)/\(ctid)" }.filter { FileManager.default.fileExists(atPath: (($0 as NSString).deletingLastPathComponent)) }
    }

    /// Host pid of the container's init (the one whose NSpid ends in 1).
    func initPID(_ ctid: String) -> Int32? {
        for dir in cgroupDirs(ctid) {
            guard let procs = read(dir + "/cgroup.procs") else { continue }
            for pid in procs.split(separator: "\n") {
                let status = read("/proc/\(pid)/status") ?? ""
                if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("NSpid:") }),
                   line.split(whereSeparator: { $0 == "\t" || $0 == " " }).last == "1" {
                    return Int32(pid)
                }
            }
        }
        return nil
    }

    static func cgroupParent(_ prefix: String) -> String {
        Layout(prefix: prefix).cgroupParent
    }
}

let isRoot = getuid() == 0
