import Foundation
import Testing

/// What a started container looks like from inside and from the host.
@Suite("inside a container", .enabled(if: isRoot, "needs root"))
struct InsideTests {
    let host: TestHost
    let ctid = "110"

    init() throws {
        host = try TestHost()
        try host.create(ctid, "--hostname", "inside.test")
        try host.start(ctid)
    }

    func inside(_ command: String) -> String {
        let result = host.run("vzctl", "exec2", ctid, command)
        #expect(result.code == 0, "\(command): \(result)")
        return result.stdout
    }

    @Test func initIsPidOneAndSessionLeader() throws {
        // busybox init renames itself to "init"; its binary is the template's busybox.
        #expect(inside("cat /proc/1/comm") == "init\n")
        #expect(inside("readlink /proc/1/exe") == "/bin/busybox\n")
        // /proc/1/stat: pid (comm) state ppid pgrp session ...
        let fields = inside("cat /proc/1/stat").split(separator: ")")[1].split(separator: " ")
        #expect(fields[3] == "1", "session of init: \(fields)")
        #expect(fields[2] == "1", "process group of init: \(fields)")
    }

    @Test func namespacesDifferFromTheHost() throws {
        let pid = try #require(host.initPID(ctid))
        for ns in ["mnt", "uts", "ipc", "net", "pid", "cgroup"] {
            let mine = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(ns)")
            let theirs = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/\(ns)")
            #expect(mine != theirs, "\(ns) namespace is the host's")
        }
        // exec'd processes share the container's namespaces, not the host's.
        let execNet = inside("readlink /proc/self/ns/net")
        #expect(execNet == (try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")) + "\n")
    }

    @Test func rootIsPivotedWithNoHostMounts() throws {
        let mountinfo = inside("cat /proc/1/mountinfo")
        let points = mountinfo.split(separator: "\n").map { String($0.split(separator: " ")[4]) }
        #expect(points.first == "/")
        let base: Set<String> = ["/", "/proc", "/sys", "/dev", "/dev/pts", "/dev/shm"]
        #expect(Set(points).isSuperset(of: base), "\(points)")
        // The rest are the masks over the kernel's files (KernelMasks).
        let masks = Set(points).subtracting(base)
        #expect(masks.allSatisfy { $0.hasPrefix("/proc/") || $0.hasPrefix("/sys/") }, "\(masks)")
        #expect(!mountinfo.contains(" " + host.rootPath(ctid)), "a mount point names the host's VE_ROOT")
        // Nothing above the container's root is reachable.
        #expect(inside("ls /../../") == inside("ls /"))
    }

    @Test func specialFilesystems() throws {
        let mounts = inside("cat /proc/mounts")
        #expect(mounts.contains("proc /proc proc "))
        #expect(mounts.contains("sysfs /sys sysfs ro,"))
        #expect(mounts.contains("tmpfs /dev tmpfs "))
        #expect(mounts.contains("devpts /dev/pts devpts "))
        #expect(mounts.contains("/dev/shm tmpfs "))
        #expect(host.run("vzctl", "exec2", ctid, "touch /sys/kernel/x").code != 0)
        let devices = inside("ls /dev").split(separator: "\n").map(String.init)
        for node in ["null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm"] {
            #expect(devices.contains(node), "/dev/\(node) missing: \(devices)")
        }
        #expect(inside("head -c 4 /dev/zero | wc -c").trimmingCharacters(in: .whitespacesAndNewlines) == "4")
        #expect(inside("echo x > /dev/null && echo ok") == "ok\n")
        #expect(inside("stat -c %a /dev/null") == "666\n")
    }

    @Test func hostnameAndLoopback() throws {
        #expect(inside("hostname") == "inside.test\n")
        #expect(inside("ip link show lo").contains("UP"))
        #expect(inside("ls /sys/class/net") == "lo\n")
        var uts = utsname()
        uname(&uts)
        let hostName = withUnsafeBytes(of: uts.nodename) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #expect(hostName != "inside.test")
    }

    @Test func noHostDescriptorsInInit() throws {
        let fds = inside("ls /proc/1/fd").split(separator: "\n")
        #expect(fds == ["0", "1", "2"])
        for fd in 0...2 { #expect(inside("readlink /proc/1/fd/\(fd)") == "/dev/null\n") }
    }

    /// CAP_SYS_RESOURCE would let the container's root past its disk quota:
    /// neither init nor what vzctl exec starts has it.
    @Test func noCapSysResource() throws {
        for pid in ["1", "self"] {
            let line = inside("grep CapBnd /proc/\(pid)/status").split(separator: "\t").last ?? ""
            let mask = UInt64(line.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) ?? 0
            #expect(mask != 0 && mask & (1 << 24) == 0, "CapBnd of \(pid): \(line)")
        }
    }

    /// In every hierarchy vzctl manages; named ones (name=systemd, or a
    /// test's own) are none of its business.
    @Test func everyProcessIsInTheContainersCgroups() throws {
        _ = host.run("vzctl", "exec", ctid, "sleep 30 >/dev/null 2>&1 &")
        let dirs = host.cgroupDirs(ctid)
        #expect(!dirs.isEmpty)
        let pidsDir = try #require(dirs.first { $0.contains("/pids/") } ?? dirs.first)
        let procs = try #require(host.read(pidsDir + "/cgroup.procs")).split(separator: "\n")
        #expect(procs.count >= 2, "init and the sleep: \(procs)")
        let name = TestHost.cgroupParent(host.prefix) + "/" + ctid
        for pid in procs {
            let cgroups = try #require(host.read("/proc/\(pid)/cgroup"))
            for line in cgroups.split(separator: "\n") where !line.contains(":name=") && !line.hasPrefix("0::") {
                #expect(line.hasSuffix("/" + name), "pid \(pid): \(line)")
            }
        }
        // The container's own view of its cgroup is its root (cgroup namespace).
        let own = inside("cat /proc/self/cgroup")
        for line in own.split(separator: "\n") where !line.contains(":name=") && !line.hasPrefix("0::") {
            #expect(line.hasSuffix(":/"), "\(line)")
        }
    }
}
