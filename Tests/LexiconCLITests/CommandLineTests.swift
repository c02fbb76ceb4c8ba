import Foundation
import Lexicon
import LexiconTesting
import Testing

/// Runs the built `lexicon` binary in a scratch directory holding a copy of the example zone.
struct CLI {
    let directory: TemporaryDirectory
    let zone: String

    init() throws {
        directory = try TemporaryDirectory(prefix: "lexicon-cli")
        zone = try directory.write("example.com.zone", exampleZone)
    }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) async -> CommandRunner.Result {
        await CommandRunner.run(Testbed.lexiconBinary, arguments, environment: environment, directory: directory.path)
    }

    func zoneText() throws -> String { try directory.read("example.com.zone") }
}

let exampleZone = """
    $ORIGIN example.com.
    $TTL 3600
    @ IN SOA ns1.example.com. hostmaster.example.com. 2026010100 7200 3600 1209600 300
      IN NS ns1.example.com.
    ns1 IN A 192.0.2.53

    """

@Suite("command line")
struct CommandLineTests {
    @Test func roundTripInEveryFormat() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let base = ["localzone", "--filename", "example.com.zone"]
        var result = await cli.run(base + ["create", "example.com", "TXT", "--name", "fake", "--content", "fake"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "RESULT\n------\nTrue\n")
        result = await cli.run([
            "localzone", "list", "example.com", "TXT", "--filename=example.com.zone", "--name", "fake",
        ])
        let id = Record(type: .txt, name: "fake.example.com", ttl: 3600, content: "fake").id
        #expect(
            result.stdout == """
                ID               TYPE NAME             CONTENT TTL \n\
                ---------------- ---- ---------------- ------- ----
                \(id) TXT  fake.example.com fake    3600

                """)
        result = await cli.run(base + ["list", "example.com", "TXT", "--output", "TABLE-NO-HEADER"])
        #expect(result.stdout == "\(id) TXT fake.example.com fake 3600\n")
        result = await cli.run(base + ["list", "example.com", "TXT", "--output", "JSON"])
        #expect(
            result.stdout
                == "[{\"type\": \"TXT\", \"name\": \"fake.example.com\", \"ttl\": 3600, \"content\": \"fake\", \"id\": \"\(id)\"}]\n"
        )
        result = await cli.run(
            base + ["update", "example.com", "TXT", "--name", "fake", "--content", "new", "--output", "JSON"])
        #expect(result.stdout == "true\n")
        result = await cli.run(
            base + ["delete", "example.com", "TXT", "--name", "fake", "--output", "TABLE-NO-HEADER"])
        #expect(result.stdout == "True\n")
        result = await cli.run(base + ["list", "example.com", "TXT", "--output", "QUIET"])
        #expect(result.status == 0 && result.stdout.isEmpty)
        result = await cli.run(base + ["list", "example.com", "TXT", "--output", "JSON"])
        #expect(result.stdout == "[]\n")
    }

    @Test func acmeShLineWorks() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let result = await cli.run(
            [
                "localzone", "create", "www.example.com", "TXT", "--name=_acme-challenge.www.example.com.",
                "--content=V", "--output", "QUIET",
            ], environment: ["LEXICON_LOCALZONE_FILENAME": "example.com.zone"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try cli.zoneText().contains("_acme-challenge.www\t3600\tIN\tTXT\t\"V\""))
    }

    @Test func globalOptionsAnywhereAndLogsOnStderr() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let result = await cli.run([
            "localzone", "list", "--log-level", "DEBUG", "example.com", "NS", "--filename", "example.com.zone",
            "--output", "JSON", "--config-dir", ".",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("[{") && result.stdout.hasSuffix("}]\n"))
        #expect(result.stderr.contains("lexicon: debug:"))
    }

    @Test(
        arguments: [
            (["nosuchprovider", "list", "example.com", "A"], 2, "unknown provider"),
            (["localzone", "explode", "example.com", "A"], 2, "unknown action"),
            (["localzone", "list", "example.com", "NOT-A-TYPE!"], 2, "unknown record type"),
            (
                ["localzone", "create", "example.com", "A", "--name", "www.myexample.com", "--content", "192.0.2.1"], 2,
                "outside the zone"
            ),
            (
                ["localzone", "create", "example.com", "AAAA", "--name", "v6", "--content", "192.0.2.1"], 2,
                "use type A"
            ),
            (
                ["localzone", "create", "example.com", "CNAME", "--name", "c", "--content", "a b.example.com"], 2,
                "whitespace"
            ),
            (
                ["localzone", "create", "example.com", "A", "--name", "t", "--content", "192.0.2.1", "--ttl", "-5"], 2,
                "TTL"
            ),
            (
                ["localzone", "create", "example.com", "A", "--name", "t", "--content", "192.0.2.1", "--ttl", "abc"], 2,
                "TTL"
            ),
            (
                [
                    "localzone", "create", "example.com", "A", "--name", "t", "--content", "192.0.2.1", "--ttl",
                    "99999999999",
                ], 2, "TTL"
            ),
            (
                ["localzone", "create", "example.com", "MX", "--name", "@", "--content", "mail.example.com"], 2,
                "priority"
            ),
            (["localzone", "create", "example.com", "A", "--bogus", "x"], 2, "unknown option --bogus"),
            (["localzone", "update", "example.com", "TXT", "--name", "nothere", "--content", "x"], 4, "no TXT record"),
            (["localzone", "list", "example.org", "A"], 3, "No domain found for example.org"),
        ] as [([String], Int32, String)])
    func badInputGetsOneLineAndChangesNothing(arguments: [String], status: Int32, message: String) async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let before = try cli.zoneText()
        let result = await cli.run(arguments + ["--filename", "example.com.zone"])
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try cli.zoneText() == before)
    }

    @Test func hugeTXTIsRefused() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let before = try cli.zoneText()
        let content = String(repeating: "x", count: 64 * 1024 + 10)
        let result = await cli.run([
            "localzone", "create", "example.com", "TXT", "--name", "big", "--content", content, "--filename",
            "example.com.zone",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("at most"))
        #expect(try cli.zoneText() == before)
    }

    @Test func ambiguousUpdateExitsFour() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let base = ["localzone", "--filename", "example.com.zone"]
        await cli.run(base + ["create", "example.com", "TXT", "--name", "set", "--content", "one"])
        await cli.run(base + ["create", "example.com", "TXT", "--name", "set", "--content", "two"])
        let result = await cli.run(base + ["update", "example.com", "TXT", "--name", "set", "--content", "three"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("choose one with --identifier"))
    }

    @Test func helpVersionProvidersAndCompletion() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let help = await cli.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("Usage: lexicon [GLOBAL OPTIONS] <provider> <action>"))
        let providerHelp = await cli.run(["localzone", "--help"])
        #expect(
            providerHelp.stdout.contains("--filename FILE")
                && providerHelp.stdout.contains("LEXICON_LOCALZONE_FILENAME"))
        #expect(await cli.run(["--version"]).stdout.hasPrefix("lexicon "))
        let providers = await cli.run(["providers"])
        #expect(providers.stdout.contains("localzone") && providers.stdout.contains("create,list,update,delete"))
        for shell in ["bash", "zsh", "fish"] {
            let script = await cli.run(["completion", shell])
            #expect(script.status == 0 && script.stdout.contains("localzone") && script.stdout.contains("filename"))
        }
        if let bash = CommandRunner.which("bash") {
            let file = try await cli.directory.write("completion.bash", cli.run(["completion", "bash"]).stdout)
            #expect(await CommandRunner.run(bash, ["-n", file]).status == 0)
            // What a user gets at the prompt: commands, their sub-commands, and their flags.
            func complete(_ words: String) async -> String {
                let script =
                    "source '\(file)'; COMP_WORDS=(\(words)); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _lexicon; echo \"${COMPREPLY[*]}\""
                return await CommandRunner.run(bash, ["-c", script]).stdout.trimmingCharacters(
                    in: .whitespacesAndNewlines)
            }
            #expect(await complete("lexicon fail") == "failover")
            #expect(await complete("lexicon failover ''") == "run once status")
            #expect(await complete("lexicon failover run --st") == "--state-file")
            #expect(await complete("lexicon dyndns ''") == "run check status clear presets")
            #expect(await complete("lexicon localzone --file").contains("--filename"))
        }
    }

    @Test func configFileErrorsNameFileAndLine() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        try cli.directory.write("lexicon.yml", "localzone:\n  filename: a\n  filename: b\n")
        let result = await cli.run(["localzone", "list", "example.com", "A"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("lexicon.yml:3"), "\(result.stderr)")
    }

    @Test func concurrentWritersLoseNothing() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let script = """
            for i in $(seq 1 100); do
              "$1" localzone create example.com TXT --name "w$2-$i" --content "v$i" --filename example.com.zone --output QUIET || exit 1
            done
            """
        let path = try cli.directory.write("writer.sh", script)
        async let first = Task.detached {
            await CommandRunner.run("/bin/sh", [path, Testbed.lexiconBinary, "a"], directory: cli.directory.path)
        }.value
        async let second = Task.detached {
            await CommandRunner.run("/bin/sh", [path, Testbed.lexiconBinary, "b"], directory: cli.directory.path)
        }.value
        let results = await [first, second]
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let list = await cli.run([
            "localzone", "list", "example.com", "TXT", "--filename", "example.com.zone", "--output", "JSON",
        ])
        let count = list.stdout.components(separatedBy: "\"type\": \"TXT\"").count - 1
        #expect(count == 200)
        if let checker = Testbed.tool("named-checkzone") {
            #expect(await CommandRunner.run(checker, ["-q", "example.com", cli.zone]).status == 0)
        }
    }
}
