import Testing
@testable import ContainerKit

@Suite struct ConfigFileTests {
    @Test(arguments: [
        ("KEY=value", ConfigFile.Parsed.entry("KEY", "value")),
        ("KEY=\"quoted value\"", .entry("KEY", "quoted value")),
        ("  KEY=\"v\"  ", .entry("KEY", "v")),
        ("KEY=\"a\" trailing \"b\" junk", .entry("KEY", "a\" trailing \"b")),
        ("KEY=", .entry("KEY", "")),
        ("KEY=inherit # text", .entry("KEY", "inherit # text")),
        ("KEY = v", .entry("KEY ", " v")),
        ("KEY='single'", .entry("KEY", "'single'")),
        ("KEY=\"with \\\"escaped\\\" quotes\"", .entry("KEY", "with \"escaped\" quotes")),
        ("KEY=back\\\\slash", .entry("KEY", "back\\slash")),
        ("# comment", .skip),
        ("   ", .skip),
        ("", .skip),
        ("no equals here", .problem(.noEquals)),
        ("KEY=\"unterminated", .problem(.unmatchedQuotes)),
    ])
    func parsesLinesLikeVzctl(line: String, expected: ConfigFile.Parsed) {
        #expect(ConfigFile.parse(line: line) == expected)
    }

    @Test func reportsMalformedLinesWithFileAndLine() {
        let file = ConfigFile(path: "/etc/vz/conf/101.conf", text: "A=1\nbroken line\nB=\"open\n")
        #expect(file.problems.map(\.description) == [
            "Warning: can't parse /etc/vz/conf/101.conf:2 ('=' not found), skipping",
            "Warning: can't parse /etc/vz/conf/101.conf:3 (unmatched quotes), skipping",
        ])
        #expect(file.value("A") == "1")
        #expect(file.value("B") == nil)
    }

    @Test func firstOccurrenceWinsForScalarsAndListsAccumulate() {
        let file = ConfigFile(path: "x.conf", text: "HOSTNAME=\"a\"\nHOSTNAME=\"b\"\nIP_ADDRESS=\"1.1.1.1\"\nIP_ADDRESS=\"2.2.2.2\"\n")
        #expect(file.value("HOSTNAME") == "a")
        #expect(file.values("IP_ADDRESS") == ["1.1.1.1", "2.2.2.2"])
        #expect(file.duplicates(ignoring: ConfigKeys.listKeys).map(\.description) == ["Warning: x.conf:2: duplicate HOSTNAME ignored"])
    }

    @Test func roundTripKeepsEverything() {
        let text = "# header comment\n\nONBOOT=\"no\"\n  # indented\nUNKNOWN_KEY=whatever\nbroken\nNUMPROC=\"240:240\"\n"
        #expect(ConfigFile(path: "x", text: text).text == text)
    }

    @Test func setReplacesTheFirstLineAndAppendsInCanonicalOrder() {
        var file = ConfigFile(path: "x", text: "# c\nHOSTNAME=\"old\" \nDESCRIPTION=\"d\"\nHOSTNAME=\"second\"\n")
        file.set([("ONBOOT", "yes"), ("HOSTNAME", "new"), ("NUMPROC", "100:100"), ("IP_ADDRESS", "10.0.0.1")])
        #expect(file.text == "# c\nHOSTNAME=\"new\"\nDESCRIPTION=\"d\"\nHOSTNAME=\"second\"\nNUMPROC=\"100:100\"\nIP_ADDRESS=\"10.0.0.1\"\nONBOOT=\"yes\"\n")
        #expect(file.value("HOSTNAME") == "new")
    }

    @Test func setOnlyMatchesKeysAtColumnZero() {
        var file = ConfigFile(path: "x", text: "#HOSTNAME=\"commented\"\n HOSTNAME=\"indented\"\nHOSTNAMEX=\"other\"\n")
        file.set("HOSTNAME", "h")
        #expect(file.text.hasSuffix("HOSTNAMEX=\"other\"\nHOSTNAME=\"h\"\n"))
    }

    @Test func valuesAreEscapedSoTheyReadBack() {
        var file = ConfigFile(path: "x", text: "")
        file.set("DESCRIPTION", "say \"hi\" \\ bye")
        #expect(file.text == "DESCRIPTION=\"say \\\"hi\\\" \\\\ bye\"\n")
        #expect(ConfigFile(path: "x", text: file.text).value("DESCRIPTION") == "say \"hi\" \\ bye")
    }

    @Test func shippedVzConfEqualsTheBuiltInDefaults() throws {
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let shipped = try Files.read("/" + root + "/conf/vz.conf")
        #expect(shipped == DefaultConfig.vzConf)
    }

    @Test func ctConfigOverridesHostAndExpandsVEID() {
        let layout = Layout(prefix: "/tmp/p/")
        let host = HostConfig(file: ConfigFile(path: "vz.conf", text: DefaultConfig.vzConf), layout: layout)
        var config = CTConfig(ctid: CTID(101), host: host, file: ConfigFile(path: "101.conf", text: "VE_ROOT=\"/data/root/${VEID}/\"\n"))
        #expect(config.rootPath == "/tmp/p/data/root/101")
        #expect(config.privatePath == "/tmp/p/vz/private/101")
        #expect(config.stopTimeout == 120)
        config.file?.set("STOP_TIMEOUT", "0")
        #expect(config.stopTimeout == 120, "0 means the default")
        config.file?.set("STOP_TIMEOUT", "7")
        #expect(config.stopTimeout == 7)
        #expect(host.lockDir == "/tmp/p/vz/lock")
        #expect(CTConfig.expandVEID("/vz/$VEID/x/$VEID", CTID(5)) == "/vz/5/x/$VEID")
    }
}
