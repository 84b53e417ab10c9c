import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import ContainerKit
import CShims

/// Cgroup file writing on a fake tree: plain directories and files standing in
/// for the cgroup file systems.
@Suite struct CgroupTests {
    @Test func detectsThisHostsMode() throws {
        // The host here has v1 hierarchies; the v2 VM checks (Tests/v2) cover unified.
        let mode = try CgroupMode.detect()
        if vz_fs_type("/sys/fs/cgroup") == CgroupMode.cgroup2Magic {
            #expect(mode == .unified)
        } else if case .legacy(let hierarchies) = mode {
            #expect(hierarchies["pids"] == "/sys/fs/cgroup/pids")
            #expect(hierarchies["memory"] != nil)
        }
        #expect(throws: SysError.self) { try CgroupMode.detect(root: "/nonexistent") }
    }

    @Test func v1CreatesEveryHierarchyAndSeedsCpuset() throws {
        let root = makeTempDirectory("vzcg-test")
        defer { try? Files.removeTree(root) }
        for dir in ["cpuset", "pids", "cpu,cpuacct"] { try Files.makeDirectories("\(root)/\(dir)") }
        try Files.write("\(root)/cpuset/cpuset.cpus", "0-1\n")
        try Files.write("\(root)/cpuset/cpuset.mems", "0\n")
        // A kernel creates these files with the directory; the fake tree needs them first.
        for dir in ["cpuset/vz", "cpuset/vz/101"] {
            try Files.makeDirectories("\(root)/\(dir)")
            try Files.write("\(root)/\(dir)/cpuset.cpus", "\n")
            try Files.write("\(root)/\(dir)/cpuset.mems", "\n")
        }
        let cg = CgroupV1(ctid: CTID(101), hierarchies: [
            "cpuset": "\(root)/cpuset", "pids": "\(root)/pids", "cpu": "\(root)/cpu,cpuacct", "cpuacct": "\(root)/cpu,cpuacct",
        ], parent: "vz")
        try cg.create()
        #expect(try Files.read("\(root)/cpuset/vz/101/cpuset.cpus") == "0-1\n")
        #expect(try Files.read("\(root)/cpuset/vz/cpuset.mems") == "0\n")
        #expect(Files.isDirectory("\(root)/cpu,cpuacct/vz/101"))
        #expect(cg.primaryPath == "\(root)/pids/vz/101")
        for mount in cg.mountPoints { try Files.write("\(mount)/vz/101/tasks", "") }
        try cg.join()
        for mount in cg.mountPoints { #expect(try Files.read("\(mount)/vz/101/tasks") == "0") }
        try Files.write("\(root)/pids/vz/101/cgroup.procs", "4242\n")
        #expect(cg.processes() == [4242])
        try Files.write("\(root)/pids/vz/101/pids.current", "3\n")
        try Files.write("\(root)/pids/vz/101/pids.peak", "5\n")
        try Files.write("\(root)/pids/vz/101/pids.events", "max 4\n")
        #expect(cg.usage()["numproc"] == Usage.Counter(held: 3, maxheld: 5, failcnt: 4))
        #expect(cg.usage()["physpages"] == nil, "no memory hierarchy in this tree")
    }

    @Test func v2EnablesControllersInTheParents() throws {
        let root = makeTempDirectory("vzcg-test")
        defer { try? Files.removeTree(root) }
        try Files.write("\(root)/cgroup.controllers", "hugetlb memory\n")
        try Files.write("\(root)/cgroup.subtree_control", "memory\n")
        try Files.makeDirectories("\(root)/vz")
        try Files.write("\(root)/vz/cgroup.controllers", "cpu hugetlb\n")
        try Files.write("\(root)/vz/cgroup.subtree_control", "\n")
        let cg = CgroupV2(ctid: CTID(7), root: root, parent: "vz")
        try cg.create()
        // Enabled or unwanted controllers are not written; missing wanted ones are.
        #expect(try Files.read("\(root)/cgroup.subtree_control") == "memory\n")
        #expect(try Files.read("\(root)/vz/cgroup.subtree_control") == "+cpu")
        #expect(Files.isDirectory("\(root)/vz/7"))
        try Files.write("\(root)/vz/7/cgroup.procs", "")
        try cg.join()
        #expect(try Files.read("\(root)/vz/7/cgroup.procs") == "0")
        try Files.write("\(root)/vz/7/cgroup.procs", "")
        try cg.killAll()  // empty: returns at once
        try Files.removeTree("\(root)/vz/7/cgroup.procs")
        try cg.destroy()
        #expect(!Files.exists("\(root)/vz/7"))
    }
}
