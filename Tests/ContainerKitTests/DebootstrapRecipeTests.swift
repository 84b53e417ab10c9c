import Testing
@testable import ContainerKit

@Suite struct DebootstrapRecipeTests {
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

    @Test func theContainersSourcesBringUpdates() throws {
        let debian = try #require(DebootstrapRecipe("debian-12-x86_64-minimal"))
        #expect(debian.containerSources(mirror: "http://m/debian", security: "http://s/debian-security") == """
            deb http://m/debian bookworm main
            deb http://m/debian bookworm-updates main
            deb http://s/debian-security bookworm-security main

            """)
        #expect(debian.containerSources(mirror: "http://m/debian", security: nil)?.contains("security") == false)
        #expect(debian.containerSources(mirror: nil, security: nil) == nil)
        #expect(DebootstrapRecipe("debian-10-x86_64")!.containerSources(mirror: "m", security: "s")?.hasSuffix("deb s buster/updates main\n") == true)
        #expect(DebootstrapRecipe("ubuntu-24.04-x86_64")!.containerSources(mirror: "u", security: nil)?.hasSuffix("deb u noble-security main universe\n") == true)
        #expect(debian.securitySuites.contains("bookworm-security"))
    }
}
