import Foundation
import LexiconTesting
import Testing

@Suite("--http-timeout")
struct HTTPTimeoutTests {
    @Test func aHungAPIEndsTheCommandWithinTwiceTheTimeout() async throws {
        // Accepts the connection and never answers in time, as a hung API does.
        let server = try LoopbackHTTPServer { _ in .respond(.init(status: 200), delay: 30) }
        defer { server.stop() }
        let cli = try CLI()
        defer { cli.directory.remove() }
        let result = await cli.run(
            [
                "powerdns", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "v",
                "--pdns-server", server.url, "--http-timeout", "1",
            ], environment: ["LEXICON_POWERDNS_AUTH_TOKEN": "secret-key-value"])
        // Two 1-s attempts and a pause, within the budget of twice the timeout plus a second.
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.duration < 4, "took \(result.duration) s")
        #expect(result.stderr.contains("127.0.0.1:\(server.port)"), "\(result.stderr)")
        #expect(result.stderr.contains("raise --http-timeout"), "\(result.stderr)")
        #expect(!result.stderr.contains("secret-key-value"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test func theTimeoutComesFromTheEnvironmentAndIsChecked() async throws {
        let server = try LoopbackHTTPServer { _ in .respond(.init(status: 200), delay: 30) }
        defer { server.stop() }
        let cli = try CLI()
        defer { cli.directory.remove() }
        let result = await cli.run(
            ["powerdns", "list", "example.com", "TXT", "--pdns-server", server.url],
            environment: ["LEXICON_POWERDNS_AUTH_TOKEN": "k", "LEXICON_HTTP_TIMEOUT": "1"])
        #expect(result.status == 1)
        #expect(result.duration < 4, "took \(result.duration) s")
        let bad = await cli.run(
            ["powerdns", "list", "example.com", "TXT", "--pdns-server", server.url, "--http-timeout", "soon"],
            environment: ["LEXICON_POWERDNS_AUTH_TOKEN": "k"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--http-timeout"), "\(bad.stderr)")
        #expect(server.requests.count == 2, "the bad value must be refused before any request")
    }
}
