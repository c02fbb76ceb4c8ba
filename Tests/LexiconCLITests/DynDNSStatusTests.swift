import Foundation
import Lexicon
import LexiconTesting
import Testing

/// `dyndns status` (text and `--json`), holds that name their file, `dyndns clear`, and the other commands' output
/// formats.
@Suite("status and output formats")
struct DynDNSStatusTests {
    @Test func aHeldJobNamesItsHoldFileAndClearLiftsIt() async throws {
        let (server, echo, _, directory, _) = try DynDNSDaemonTests().setUp()
        defer { server.stop(); echo.stop(); directory.remove() }
        let config = try directory.write(
            "wrong.yml",
            try directory.read("dyndns.yml").replacingOccurrences(
                of: "auth_password: secret", with: "auth_password: wrong"),
            mode: 0o600)
        let run = ["dyndns", "run", "--config", config, "--once"]
        let refused = await CommandRunner.run(Testbed.lexiconBinary, run)
        let held = await CommandRunner.run(Testbed.lexiconBinary, run)
        #expect(refused.stderr.contains("badauth"), "\(refused.stderr)")
        #expect(held.stderr.contains("not sending (held until the configuration changes)"), "\(held.stderr)")
        #expect(server.requests.count == 1, "a held job sends nothing")
        let status = await CommandRunner.run(Testbed.lexiconBinary, ["dyndns", "status", "--config", config])
        #expect(status.stdout.contains("HELD until the configuration changes"), "\(status.stdout)")
        #expect(status.stdout.contains("lexicon dyndns clear, or remove \(directory.path)/state/"), "\(status.stdout)")
        let json = await CommandRunner.run(Testbed.lexiconBinary, ["dyndns", "status", "--config", config, "--json"])
        let parsed = try JSONValue(parsing: Array(json.stdout.utf8))
        #expect(parsed.array?.first?["held"]?.bool == true)
        #expect(parsed.array?.first?["hold_file"]?.string?.hasSuffix(".hold") == true)
        let cleared = await CommandRunner.run(Testbed.lexiconBinary, ["dyndns", "clear", "--config", config])
        #expect(cleared.stdout.contains("cleared the hold of home.dyndns.example A via dyndns2"), "\(cleared.stdout)")
        _ = await CommandRunner.run(Testbed.lexiconBinary, run)
        #expect(server.requests.count == 2, "after clear, the next round sends again")
    }

    @Test func aHeldSyncKeepsTheStatusOfTheAnswerThatCausedIt() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init(status: 200, body: Array("badauth".utf8))) }
        defer { server.stop() }
        let directory = try TemporaryDirectory(prefix: "lexicon-held")
        defer { directory.remove() }
        let sync = [
            "dyndns2", "sync-ip", "example.com", "A", "--name", "home", "--ip", "93.184.216.34", "--api-endpoint",
            server.url + "/nic/update", "--auth-username", "u", "--auth-password", "p", "--state-dir", directory.path,
        ]
        #expect(await CommandRunner.run(Testbed.lexiconBinary, sync).status == 3)
        let held = await CommandRunner.run(Testbed.lexiconBinary, sync)
        #expect(held.status == 3, "\(held.stderr)")
        #expect(held.stderr.contains("lexicon dyndns clear"), "\(held.stderr)")
        #expect(server.requests.count == 1)
    }

    @Test func articles() {
        #expect(
            ["A", "AAAA", "MX", "NS", "TXT", "CNAME", "SRV", "LOC", "address", "record"].map(Plural.article) == [
                "an A", "an AAAA", "an MX", "an NS", "a TXT", "a CNAME", "an SRV", "an LOC", "an address", "a record",
            ])
    }

    @Test func syncIPAndProvidersHonourOutput() async throws {
        let cli = try CLI()
        defer { cli.directory.remove() }
        let common = ["--filename", "example.com.zone", "--state-dir", cli.directory.file("state")]
        let created = await cli.run(
            ["localzone", "sync-ip", "example.com", "A", "--name", "h", "--ip", "93.184.216.34"] + common)
        #expect(created.stdout == "h.example.com A 93.184.216.34: created\n", "\(created.stderr)")
        let updated = await cli.run(
            ["localzone", "sync-ip", "example.com", "A", "--name", "h", "--ip", "93.184.216.35", "--output", "JSON"]
                + common)
        let json = try JSONValue(parsing: Array(updated.stdout.utf8))
        #expect(json["action"]?.string == "updated" && json["replaced"]?.string == "93.184.216.34", "\(updated.stdout)")
        let quiet = await cli.run(
            ["localzone", "sync-ip", "example.com", "A", "--name", "h", "--ip", "93.184.216.35", "--output", "QUIET"]
                + common)
        #expect(quiet.status == 0 && quiet.stdout.isEmpty)
        let providers = await cli.run(["providers", "--output", "JSON"])
        let listed = try JSONValue(parsing: Array(providers.stdout.utf8))
        let localzone = listed.array?.first { $0["name"]?.string == "localzone" }
        #expect(localzone?["operations"]?.array?.compactMap(\.string).contains("sync-ip") == true)
        #expect(localzone?["options"]?.array?.first?["flag"]?.string == "--filename")
        let refused = await cli.run(["wait-propagation", "x.example.com", "TXT", "v", "--output", "JSON"])
        #expect(
            refused.status == 2 && refused.stderr.contains("--output applies to record actions"), "\(refused.stderr)")
    }
}
