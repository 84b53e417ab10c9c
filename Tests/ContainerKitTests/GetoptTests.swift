import Testing
@testable import ContainerKit

@Suite struct GetoptTests {
    let specs = [
        OptionSpec("save"), OptionSpec("setmode", value: true), OptionSpec("hostname", value: true),
        OptionSpec("all", short: "a"), OptionSpec("output", short: "o", value: true), OptionSpec("no-header", short: "H"),
    ]

    func parse(_ args: [String]) throws(GetoptError) -> ParsedArguments {
        try Getopt.parse(args, specs)
    }

    @Test func longOptionsWithValues() throws {
        let p = try parse(["--hostname", "h1", "--setmode=restart", "--save"])
        #expect(p.value("hostname") == "h1")
        #expect(p.value("setmode") == "restart")
        #expect(p.has("save"))
        #expect(p.positionals.isEmpty)
    }

    @Test func unambiguousPrefixes() throws {
        #expect(try parse(["--sa"]).has("save"))
        #expect(try parse(["--host", "x"]).value("hostname") == "x")
        #expect(throws: GetoptError.ambiguous("--s", ["save", "setmode"])) { try parse(["--s"]) }
    }

    @Test func shortOptionsClusterAndTakeAttachedValues() throws {
        let p = try parse(["-aH", "-octid,name", "-o", "hostname"])
        #expect(p.has("all") && p.has("no-header"))
        #expect(p.values("output") == ["ctid,name", "hostname"])
        #expect(p.value("output") == "hostname")
    }

    @Test func positionalsAnywhereAndDoubleDash() throws {
        let p = try parse(["101", "--save", "102", "--", "--all"])
        #expect(p.positionals == ["101", "102", "--all"])
        #expect(p.has("save"))
    }

    @Test(arguments: [
        (["--bogus"], GetoptError.unrecognized("--bogus"), "unrecognized option '--bogus'"),
        (["-x"], .invalidShort("x"), "invalid option -- 'x'"),
        (["--hostname"], .requiresArgument("--hostname"), "option '--hostname' requires an argument"),
        (["-o"], .shortRequiresArgument("o"), "option requires an argument -- 'o'"),
        (["--save=yes"], .doesNotAllowArgument("--save"), "option '--save' doesn't allow an argument"),
    ])
    func errorsInGetoptWords(args: [String], error: GetoptError, message: String) {
        #expect(throws: error) { try parse(args) }
        #expect(error.description == message)
    }

    @Test func commandTableIsConsistent() {
        var seen = Set<String>()
        for spec in CommandTable.all {
            #expect(seen.insert(spec.name).inserted, "duplicate command \(spec.name)")
            #expect(spec.synopsis.hasPrefix(spec.name + " CTID"))
            #expect(CommandTable.help(spec).contains(spec.summary))
            // The synopsis shows every option but vzctl's aliases and hidden ones
            // (set's and create's are too many, start/stop share one table).
            let hidden: Set = ["uuid", "ve_layout", "velayout", "skip_arpdetect", "help"]
            for option in spec.options where !spec.rawArguments && !hidden.contains(option.long) {
                let shown = spec.name == "set" || spec.name == "create" || spec.options == CommandTable.startStopOptions
                    || spec.synopsis.contains("--" + option.long) || option.short.map { spec.synopsis.contains("-\($0)") } == true || CommandTable.checkpointCompatibility.contains(option)
                #expect(shown, "\(spec.name) --\(option.long)")
            }
        }
        for (command, options) in CommandTable.applicable {
            #expect(CommandTable.find(command) != nil)
            for option in options { #expect(CommandTable.startStopOptions.contains { $0.long == option }) }
        }
        #expect(CommandTable.find("delete")?.name == "destroy")
    }
}
