import Testing
@testable import ContainerKit

@Suite struct TemplateRecipeTests {
    @Test(arguments: [
        ("debian-12-x86_64-minimal", "bookworm", "amd64", true),
        ("debian-11-x86_64", "bullseye", "amd64", false),
        ("debian-13-aarch64", "trixie", "arm64", false),
        ("ubuntu-22.04-x86_64-minimal", "jammy", "amd64", true),
        ("ubuntu-24.04-x86_64", "noble", "amd64", false),
    ])
    func namesMapToSuites(name: String, suite: String, arch: String, minimal: Bool) throws {
        let recipe = try #require(DebootstrapRecipe(name))
        #expect(recipe.suite == suite && recipe.arch == arch && recipe.minimal == minimal)
        #expect(DebootstrapRecipe.names.contains(name))
    }

    @Test(arguments: ["busybox", "debian-12", "debian-9-x86_64", "debian-12-i686", "debian-12-x86_64-tiny", "centos-7-x86_64", "debian-12-x86_64-minimal-x"])
    func otherNamesHaveNoRecipe(name: String) {
        #expect(DebootstrapRecipe(name) == nil)
    }

    @Test func debootstrapArguments() throws {
        let debian = try #require(DebootstrapRecipe("debian-12-x86_64-minimal"))
        #expect(debian.arguments(target: "/t", mirror: "http://m/debian") == [
            "debootstrap", "--arch=amd64", "--keyring=/usr/share/keyrings/debian-archive-keyring.gpg",
            "--include=sysvinit-core", "--variant=minbase", "bookworm", "/t", "http://m/debian",
        ])
        let ubuntu = try #require(DebootstrapRecipe("ubuntu-24.04-x86_64"))
        #expect(ubuntu.arguments(target: "/t", mirror: nil).suffix(3) == ["--components=main,universe", "noble", "/t"])
    }

    @Test func theHostsDebianArchiveIsFound() {
        let list = AptSources.oneLine("""
            # deb http://old.example/debian bookworm main
            deb-src http://src.example/debian bookworm main
            deb [arch=amd64 signed-by=/k.gpg] http://sec.example/debian-security bookworm-security main
            deb [ trusted=yes ] http://mirror.example/debian bookworm main contrib
            """)
        #expect(list.map(\.uris) == [["http://src.example/debian"], ["http://sec.example/debian-security"], ["http://mirror.example/debian"]])
        let debian = DebootstrapRecipe("debian-11-x86_64")!.knownSuites
        #expect(AptSources.mirror(list, serving: debian) == "http://mirror.example/debian")
        let deb822 = AptSources.deb822("""
            Types: deb
            URIs: http://off.example/debian
            Suites: bookworm
            Enabled: no

            Types: deb deb-src
            # a comment
            URIs: http://deb.example/debian
            Suites: bookworm bookworm-updates
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            URIs: http://ubuntu.example/ubuntu
            Suites:
             jammy jammy-updates
            """)
        #expect(deb822.count == 2)
        #expect(AptSources.mirror(deb822, serving: debian) == "http://deb.example/debian")
        #expect(AptSources.mirror(deb822, serving: DebootstrapRecipe("ubuntu-22.04-x86_64")!.knownSuites) == "http://ubuntu.example/ubuntu")
        #expect(AptSources.mirror(AptSources.oneLine("deb http://x/debian-security bookworm-security main"), serving: debian) == nil)
    }

    @Test func inittabLosesGettysAndReportsTheRunlevel() {
        let text = """
            id:2:initdefault:
            si::sysinit:/etc/init.d/rcS
            l2:2:wait:/etc/init.d/rc 2
            1:2345:respawn:/sbin/getty --noclear 38400 tty1
            2:23:respawn:/sbin/getty 38400 tty2
            #T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100
            z6:6:respawn:/sbin/sulogin --force

            """
        let once = DebianRoot.containerInittab(text)
        #expect(once == """
            id:2:initdefault:
            si::sysinit:/etc/init.d/rcS
            l2:2:wait:/etc/init.d/rc 2
            #T0:23:respawn:/sbin/getty -L ttyS0 9600 vt100
            z6:6:respawn:/sbin/sulogin --force
            vz:2345:once:/bin/sh -c '[ -p /.vzfifo ] && : > /.vzfifo'

            """)
        #expect(DebianRoot.containerInittab(once) == once)
    }
}
