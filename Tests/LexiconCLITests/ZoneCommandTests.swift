import Lexicon
import LexiconTesting
import Testing

/// `export`, `apply` and `batch` through the built binary, on localzone files.
@Suite("zone commands")
struct ZoneCommandTests {
    static let source = """
        $ORIGIN example.com.
        $TTL 3600
        @ IN SOA ns1.example.com. hostmaster.example.com. 2026010100 7200 3600 1209600 300
          IN NS ns1
          IN MX 10 mail
        ns1 IN A 192.0.2.53
        mail IN A 192.0.2.25
        www 300 IN A 192.0.2.80
            IN AAAA 2001:DB8::80
        txt IN TXT "hello \\"world\\"" "second; part"
        _sip._tcp IN SRV 10 5 5060 sip
        sip IN A 192.0.2.60
        caa IN CAA 0 issue "letsencrypt.org"

        """

    /// Runs a shell line in the CLI's directory, with `lexicon` the built binary.
    func shell(_ cli: CLI, _ line: String, environment: [String: String] = [:]) async -> CommandRunner.Result {
        await CommandRunner.run(
            "/bin/sh", ["-c", line], environment: environment.merging(["LEXICON": Testbed.lexiconBinary]) { $1 },
            directory: cli.directory.path)
    }

    /// The records of a JSON export as comparable lines, without the SOA and apex NS each server keeps its own.
    static func managed(_ json: String) throws -> [String] {
        try JSONValue(parsing: json).array!.compactMap { record -> String? in
            let type = record["type"]!.string!
            let name = record["name"]!.string!
            if type == "SOA" || (type == "NS" && name == "example.com") { return nil }
            return "\(name) \(record["ttl"]!.int!) \(type) \(record["content"]!.string!)"
        }.sorted()
    }

    @Test func aLocalzoneZoneMovesToPowerDNSInOnePipeline() async throws {
        if let missing = PowerDNSServer.missing {
            if Testbed.isRequired { Issue.record("PowerDNS testbed required but \(missing)") }
            return
        }
        let pdns = try await PowerDNSServer()
        defer { pdns.stop() }
        try await pdns.createZone("example.com")
        let cli = try CLI()
        defer { cli.directory.remove() }
        try cli.directory.write("source.zone", Self.source)
        let environment = [
            "LEXICON_POWERDNS_AUTH_TOKEN": pdns.apiKey, "LEXICON_POWERDNS_PDNS_SERVER": pdns.apiURL,
            "LEXICON_POWERDNS_PDNS_DISABLE_NOTIFY": "true",
        ]
        let pipeline =
            "\"$LEXICON\" localzone export example.com --format json --filename source.zone"
            + " | \"$LEXICON\" powerdns apply example.com --file -"
        var result = await shell(cli, pipeline, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("Plan for example.com: 8 to create, 1 to update, 0 to delete."), "\(result.stdout)")
        let source = await cli.run([
            "localzone", "export", "example.com", "--format", "json", "--filename", "source.zone",
        ])
        let moved = await cli.run(["powerdns", "export", "example.com", "--format", "json"], environment: environment)
        #expect(try Self.managed(moved.stdout) == Self.managed(source.stdout), "\(moved.stderr)")
        result = await shell(cli, pipeline, environment: environment)
        #expect(result.stdout == "Plan for example.com: 0 to create, 0 to update, 0 to delete.\n", "\(result.stderr)")
        // --plan shows a change and makes none.
        try cli.directory.write("changed.zone", Self.source.replacingOccurrences(of: "192.0.2.80", with: "192.0.2.88"))
        result = await cli.run(
            ["powerdns", "apply", "example.com", "--file", "changed.zone", "--plan"], environment: environment)
        #expect(result.stdout.contains("~ www.example.com A 300 192.0.2.80 -> 300 192.0.2.88"), "\(result.stderr)")
        let after = await cli.run(["powerdns", "export", "example.com", "--format", "json"], environment: environment)
        #expect(after.stdout == moved.stdout)
        let bind = await cli.run(["powerdns", "export", "example.com"], environment: environment)
        try cli.directory.write("moved.zone", bind.stdout)
        await expectLoads(cli.directory.file("moved.zone"))
    }

    @Test func bindExportLoadsInNamedCheckzone() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        try cli.directory.write("source.zone", Self.source)
        let result = await cli.run(["localzone", "export", "example.com", "--filename", "source.zone"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("@ 3600 IN SOA ns1.example.com. hostmaster.example.com. 2026010100"))
        #expect(result.stdout.contains("txt 3600 IN TXT \"hello \\\"world\\\"second; part\""))
        try cli.directory.write("exported.zone", result.stdout)
        await expectLoads(cli.directory.file("exported.zone"))
    }

    @Test(arguments: ["bind", "json", "yaml"])
    func exportPipedIntoApplyThenASecondApplyPlansNothing(format: String) async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        try cli.directory.write("source.zone", Self.source)
        let pipeline =
            "\"$LEXICON\" localzone export example.com --format \(format) --filename source.zone"
            + " | \"$LEXICON\" localzone apply example.com --file - --prune --filename example.com.zone"
        var result = await shell(cli, pipeline)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("+ www.example.com A 300 192.0.2.80"))
        #expect(
            result.stdout.contains("Plan for example.com: 8 to create, 0 to update, 0 to delete."), "\(result.stdout)")
        #expect(result.stdout.contains("Applied 8 of 8 changes."))
        result = await shell(cli, pipeline)
        #expect(result.stdout == "Plan for example.com: 0 to create, 0 to update, 0 to delete.\n", "\(result.stderr)")
        await expectLoads(cli.directory.file("example.com.zone"))
    }

    @Test func planChangesNothingAndGivesJSON() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        try cli.directory.write("source.zone", Self.source)
        let before = try cli.zoneText()
        for flag in ["--plan", "--dry-run"] {
            let result = await cli.run([
                "localzone", "apply", "example.com", "--file", "source.zone", flag, "--output", "JSON",
                "--filename", "example.com.zone",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let plan = try JSONValue(parsing: result.stdout)
            #expect(plan["summary"]?["create"]?.int == 8)
            #expect(
                plan["changes"]?.array?.first?["new"]?["values"]?.array?.first?.string == "10 5 5060 sip.example.com.")
        }
        #expect(try cli.zoneText() == before)
    }

    @Test func aPlanDeletingMostOfTheZoneIsRefusedUnlessForced() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let many = (1...12).map { "h\($0) IN A 192.0.2.\($0)" }.joined(separator: "\n")
        try cli.directory.write("example.com.zone", exampleZone + many + "\n")
        try cli.directory.write("small.zone", exampleZone)
        let before = try cli.zoneText()
        let apply = [
            "localzone", "apply", "example.com", "--file", "small.zone", "--prune", "--filename", "example.com.zone",
        ]
        var result = await cli.run(apply)
        #expect(result.status == 2)
        #expect(result.stderr.contains("refused: the plan updates or deletes 12 of the zone's 13 record sets (92 %)"))
        #expect(try cli.zoneText() == before)
        result = await cli.run(apply + ["--threshold", "95"])
        #expect(result.status == 0, "\(result.stderr)")
        result = await cli.run(apply)
        #expect(result.stdout.hasPrefix("Plan for example.com: 0 to create"))
    }

    @Test func ignoredNamesStayOutOfThePlan() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        try cli.directory.write("example.com.zone", exampleZone + "_acme-challenge.www IN TXT token\n")
        try cli.directory.write("small.zone", exampleZone)
        let result = await cli.run([
            "localzone", "apply", "example.com", "--file", "small.zone", "--prune", "--ignore", "_acme-challenge",
            "--filename", "example.com.zone",
        ])
        #expect(result.stdout == "Plan for example.com: 0 to create, 0 to update, 0 to delete.\n", "\(result.stderr)")
    }

    @Test func batchAnswersEachLineInOrderAndExitsWithTheWorst() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let lines = [
            #"{"action":"create","type":"A","name":"www","content":"192.0.2.1"}"#,
            #"{"action":"list","type":"A","name":"www"}"#,
            #"{"action":"update","type":"A","name":"missing","content":"192.0.2.2"}"#,
            "not json",
            #"{"action":"delete","type":"A","name":"www"}"#,
        ]
        let result = await shell(
            cli,
            "printf '%s\\n' '\(lines.joined(separator: "' '"))' | \"$LEXICON\" localzone batch example.com"
                + " --filename example.com.zone")
        let answers = result.stdout.split(separator: "\n")
        #expect(answers.count == 5, "\(result.stdout)\(result.stderr)")
        #expect(answers.first == "true")
        #expect(answers.dropFirst().first?.contains("\"content\": \"192.0.2.1\"") == true)
        #expect(answers.dropFirst(2).first?.contains("\"status\":4") == true)
        #expect(answers.dropFirst(3).first?.contains("\"status\":2") == true)
        #expect(answers.last == "true")
        #expect(result.status == 4)
    }

    @Test func usageErrors() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        for arguments in [
            ["localzone", "apply", "example.com"], ["localzone", "export", "example.com", "--content", "x"],
            ["localzone", "export", "example.com", "--format", "xml"],
            ["localzone", "list", "example.com", "A", "--prune"],
        ] {
            let result = await cli.run(arguments + ["--filename", "example.com.zone"])
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
        }
    }

    func expectLoads(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        guard let checker = Testbed.tool("named-checkzone") else {
            if Testbed.isRequired { Issue.record("named-checkzone is missing", sourceLocation: sourceLocation) }
            return
        }
        let result = await CommandRunner.run(checker, ["-q", "example.com", path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
    }
}
