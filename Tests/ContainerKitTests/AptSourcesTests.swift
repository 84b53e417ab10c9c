import Testing
@testable import ContainerKit

@Suite struct AptSourcesTests {
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
}
