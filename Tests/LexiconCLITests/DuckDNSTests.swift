import Foundation
import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// DuckDNS's update URL served locally: `sync-ip` and the TXT record ACME clients use.
@Suite("duckdns updates")
struct DuckDNSTests {
    @Test func addressesAndTheACMETXTRecord() async throws {
        let token = "duck-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let txt = LogLines()
        let server = try LoopbackHTTPServer { request in
            let query = Dictionary(URLQuery.split(request.path).query, uniquingKeysWith: { _, last in last })
            guard query["token"] == token, query["domains"] == "home" else {
                return .respond(HTTPResponse(status: 200, body: Array("KO".utf8)))
            }
            if query["clear"] == "true" { txt.append("") } else if let value = query["txt"] { txt.append(value) }
            return .respond(HTTPResponse(status: 200, body: Array("OK\n\(query["ip"] ?? "")\n\nUPDATED".utf8)))
        }
        defer { server.stop() }
        let state = try TemporaryDirectory(prefix: "lexicon-duck")
        defer { state.remove() }
        let common = ["--api-endpoint", server.url + "/update"]
        let env = ["LEXICON_DUCKDNS_AUTH_TOKEN": token]
        let synced = await CommandRunner.run(
            Testbed.lexiconBinary,
            [
                "duckdns", "sync-ip", "duckdns.org", "A", "--name", "home", "--ip", "93.184.216.34", "--state-dir",
                state.path,
            ] + common,
            environment: env)
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(server.requests.last?.path.contains("domains=home&token=\(token)&ip=93.184.216.34") == true)
        let created = await CommandRunner.run(
            Testbed.lexiconBinary,
            ["duckdns", "create", "duckdns.org", "TXT", "--name", "_acme-challenge.home", "--content", "acme-token"]
                + common,
            environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(txt.all.last == "acme-token")
        let deleted = await CommandRunner.run(
            Testbed.lexiconBinary,
            ["duckdns", "delete", "duckdns.org", "TXT", "--name", "_acme-challenge.home"] + common,
            environment: env)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(txt.all.last == "")
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary,
            ["duckdns", "create", "duckdns.org", "TXT", "--name", "home", "--content", "x"] + common,
            environment: ["LEXICON_DUCKDNS_AUTH_TOKEN": "bad-token-xyz"])
        #expect(wrong.status == 3)
        #expect(wrong.stderr.contains("KO"))
        #expect(!wrong.stderr.contains("bad-token-xyz"))
    }
}
