import Foundation
import Testing

/// vzlist against real containers: selection, columns, sorting, JSON.
@Suite("vzlist", .enabled(if: isRoot, "needs root"))
struct VzlistTests {
    let host: TestHost

    init() throws {
        host = try TestHost()
        try host.create("131", "--hostname", "alpha.example.com", "--name", "web")
        try host.create("132", "--hostname", "beta")
        try host.create("133")
        #expect(host.run("vzctl", "set", "133", "--description", "a \"quoted\" one", "--onboot", "yes", "--save").code == 0)
        try host.start("131")
        try host.start("133")
        host.waitUntilIdle("131")
        host.waitUntilIdle("133")
    }

    @Test func defaultListingShowsRunningOnly() {
        let r = host.run("vzlist")
        #expect(r.code == 0)
        #expect(r.stdout == """
                  CTID      NPROC STATUS    IP_ADDR         HOSTNAME
                   131          1 running   -               alpha.example.com
                   133          1 running   -               -

            """)
    }

    @Test func allStoppedAndFilters() {
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid,status").stdout == "       131 running\n       132 stopped\n       133 running\n")
        #expect(host.run("vzlist", "-S", "-H", "-o", "ctid").stdout == "       132\n")
        #expect(host.run("vzlist", "-1").stdout == "       131\n       133\n")
        #expect(host.run("vzlist", "-H", "-o", "ctid", "132").stdout == "       132\n", "a CTID argument lists it even when stopped")
        #expect(host.run("vzlist", "-H", "-o", "ctid", "web").stdout == "       131\n", "names resolve")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-h", "*.example.com").stdout == "       131\n")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-N", "w*").stdout == "       131\n")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-d", "*quoted*").stdout == "       133\n")
        // Long forms, shell globs, a container without the value never matches,
        // filters combine, and they apply after the running/stopped choice.
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-h", "*").stdout == "       131\n       132\n")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-h", "[ab]*").stdout == "       131\n       132\n")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "--hostname", "beta").stdout == "       132\n")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "--name_filter", "web").stdout == "       131\n")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "--description", "*one").stdout == "       133\n")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-h", "*", "-N", "w?b").stdout == "       131\n")
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-h", "beta", "-N", "web").stdout.isEmpty)
        #expect(host.run("vzlist", "-H", "-o", "ctid", "-h", "beta").stderr == "Container(s) not found\n", "132 is stopped")
        let none = host.run("vzlist", "-H", "-o", "ctid", "-h", "nomatch")
        #expect(none.code == 0 && none.stdout.isEmpty && none.stderr == "Container(s) not found\n")
        let missing = host.run("vzlist", "999")
        #expect(missing.code == 1 && missing.stderr == "Container(s) not found\n")
    }

    @Test func fieldsAndWidths() {
        let r = host.run("vzlist", "-a", "-o", "ctid,name,smart_name,onboot,ostemplate,status,private,root,description")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "      CTID NAME                              SMARTNAME ONBOOT OSTEMPLATE                       STATUS    PRIVATE                          ROOT                             DESCRIPTION")
        #expect(lines[1].hasPrefix("       131 web                                     web     no busybox                          running   "))
        #expect(lines[2].hasPrefix("       132 -                                       132     no busybox                          stopped   "))
        #expect(lines[3].hasSuffix("a \"quoted\" one"))
        #expect(lines[3].contains("   yes busybox"))
        let priv = host.run("vzlist", "-H", "-t", "-o", "private", "131").stdout
        #expect(priv == host.privatePath("131") + "\n")
        #expect(host.run("vzlist", "-H", "-o", "numproc,ctid", "131").stdout == "         1        131\n")
    }

    @Test func sorting() {
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-s", "-ctid").stdout == "       133\n       132\n       131\n")
        // status: running before stopped, ties by CTID.
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-s", "status").stdout == "       131\n       133\n       132\n")
        // Missing hostnames sort first.
        #expect(host.run("vzlist", "-a", "-H", "-o", "ctid", "-s", "hostname").stdout == "       133\n       131\n       132\n")
        let bad = host.run("vzlist", "-s", "nosuch")
        #expect(bad.code == 1 && bad.stderr == "Invalid sort field name: nosuch\n")
    }

    @Test func badFieldsAndListing() {
        let unknown = host.run("vzlist", "-o", "ctid,nosuch")
        #expect(unknown.code == 1 && unknown.stderr == "Unknown field: nosuch\n" && unknown.stdout.isEmpty)
        let list = host.run("vzlist", "-L").stdout.split(separator: "\n")
        // printf("%-15s %-15s\n"): the classic tool pads the header too.
        #expect(list.first == "ctid            CTID           ")
        #expect(list.contains("numproc.f       NPROC.F        "))
        #expect(list.contains("hostname        HOSTNAME       "))
        let json = host.run("vzlist", "-j", "-o", "numproc.m")
        #expect(json.code == 1 && json.stderr == "Field `numproc.m' is not available in JSON output\n")
    }

    @Test func json() throws {
        let r = host.run("vzlist", "-a", "-j")
        #expect(r.code == 0)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(parsed.count == 3)
        #expect(parsed[0]["ctid"] as? Int == 131)
        #expect(parsed[0]["name"] as? String == "web")
        #expect(parsed[0]["status"] as? String == "running")
        #expect(parsed[1]["hostname"] as? String == "beta")
        #expect(parsed[1]["smart_name"] as? Int == 132)
        #expect(parsed[2]["description"] as? String == "a \"quoted\" one")
        #expect(parsed[2]["onboot"] as? Bool == true)
        #expect(parsed[1]["ip"] as? [String] == [])
        let numproc = try #require(parsed[0]["numproc"] as? [String: Any])
        #expect(numproc["held"] as? Int == 1)
        #expect(numproc["barrier"] as? Int == 240)
        #expect(r.stdout.hasPrefix("[\n  {\n    \"ctid\": 131,\n"))
        let empty = host.run("vzlist", "-j", "-h", "nomatch")
        #expect(empty.stdout == "[]\n")
    }

    @Test func shellLoopOverCTIDs() {
        let r = TestHost.run(["bash", "-c", "for CT in $(vzlist -H -o ctid); do vzctl exec $CT \"echo $CT-ok\" || exit 1; done"],
                             env: ["VZ_PREFIX": host.prefix])
        #expect(r.code == 0, "\(r)")
        #expect(r.stdout == "131-ok\n133-ok\n")
    }
}
