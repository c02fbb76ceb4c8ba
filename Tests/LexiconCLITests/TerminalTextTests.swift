import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// A server that puts terminal escape sequences in record contents and error bodies: the command shows them escaped
/// and never sends them to the terminal raw; JSON keeps the exact value.
@Suite("text from servers is shown, not executed")
struct TerminalTextTests {
    static let hostile = "\u{1b}[2J\u{1b}[31mforged\r\nlexicon: done\u{9b}0m"

    func serve() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            if request.method == "GET" {
                let zone = JSONValue.object([
                    ("name", .string("example.com.")),
                    (
                        "rrsets",
                        .array([
                            .object([
                                ("name", .string("x.example.com.")), ("type", .string("TXT")), ("ttl", .int(60)),
                                (
                                    "records",
                                    .array([
                                        .object([
                                            (
                                                "content",
                                                .string(
                                                    RecordPresentation.rdata(
                                                        of: Record(
                                                            type: .txt, name: "x.example.com", ttl: 60,
                                                            content: Self.hostile)))
                                            ),
                                            ("disabled", .bool(false)),
                                        ])
                                    ])
                                ),
                            ])
                        ])
                    ),
                ])
                return .respond(
                    HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: zone.encoded()))
            }
            let error = JSONValue.object([("error", .string(Self.hostile))])
            return .respond(
                HTTPResponse(status: 422, headers: ["content-type": "application/json"], body: error.encoded()))
        }
    }

    @Test func tablesLogsAndErrorsEscapeControlCharacters() async throws {
        let server = try serve()
        defer { server.stop() }
        let cli = try CLI()
        defer { cli.directory.remove() }
        let env = ["LEXICON_POWERDNS_AUTH_TOKEN": "k", "LEXICON_POWERDNS_PDNS_SERVER": server.url]
        let table = await cli.run(["powerdns", "list", "example.com", "TXT", "--log-level", "DEBUG"], environment: env)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("\\u001b[2J\\u001b[31mforged\\r\\nlexicon: done\\u009b0m"), "\(table.stdout)")
        for output in [table.stdout, table.stderr] {
            #expect(!output.unicodeScalars.contains { $0 == "\u{1b}" || $0 == "\r" || $0 == "\u{9b}" })
        }
        let json = await cli.run(["powerdns", "list", "example.com", "TXT", "--output", "JSON"], environment: env)
        let parsed = try JSONValue(parsing: Array(json.stdout.utf8))
        #expect(parsed.array?.first?["content"]?.string == Self.hostile)
        let failed = await cli.run(
            ["powerdns", "create", "example.com", "TXT", "--name", "y", "--content", "v", "--pdns-disable-notify"],
            environment: env)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("\\u001b[2J"), "\(failed.stderr)")
        #expect(!failed.stderr.unicodeScalars.contains { $0 == "\u{1b}" || $0 == "\r" })
        #expect(failed.stderr.split(separator: "\n").count == 1, "\(failed.stderr)")
    }

    @Test func escapes() async {
        #expect(TerminalText.escaped("a\u{1b}[0m\tb\u{7f}é") == "a\\u001b[0m\\tb\\u007fé")
        #expect(TerminalText.escapedLines("row\t1\nrow\u{1b}2") == "row\t1\nrow\\u001b2")
    }
}
