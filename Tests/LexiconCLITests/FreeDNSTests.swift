import Foundation
import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// freedns.afraid.org's v2 token URL and v1 account listing served locally.
@Suite("freedns updates")
struct FreeDNSTests {
    @Test func tokenAndAccountModes() async throws {
        let token = "tok" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let sha = Digest.hex(Digest.hash(.sha1, Array("me|pw".utf8)))
        let ownURL = LogLines()
        let server = try LoopbackHTTPServer { request in
            let (path, query) = URLQuery.split(request.path)
            let parameters = Dictionary(query, uniquingKeysWith: { _, last in last })
            func reply(_ text: String) -> LoopbackHTTPServer.Reply {
                .respond(HTTPResponse(status: 200, body: Array(text.utf8)))
            }
            switch path {
            case "/u/\(token)/":
                return reply("Updated 1 host(s) home.example.org to \(parameters["address"] ?? "") in 0.1 seconds")
            case "/api/":
                guard parameters["sha"] == sha, parameters["action"] == "getdyndns" else {
                    return reply("ERROR: Could not authenticate.")
                }
                return reply(
                    "other.example.org|198.51.100.2|\(ownURL.all[0])/dynamic/update.php?KEY2\nhome.example.org|198.51.100.1|\(ownURL.all[0])/dynamic/update.php?KEY1\n"
                )
            case "/dynamic/update.php" where query.first?.0 == "KEY1":
                return reply("Updated 1 host(s) home.example.org to \(parameters["address"] ?? "")")
            default:
                return reply("ERROR: Unable to locate this record")
            }
        }
        ownURL.append(server.url)
        defer { server.stop() }
        let state = try TemporaryDirectory(prefix: "lexicon-freedns")
        defer { state.remove() }
        func sync(_ ip: String, _ credentials: [String]) async -> CommandRunner.Result {
            await CommandRunner.run(
                Testbed.lexiconBinary,
                [
                    "freedns", "sync-ip", "example.org", "A", "--name", "home", "--ip", ip, "--api-endpoint",
                    server.url,
                    "--state-dir", state.path,
                ] + credentials)
        }
        let viaToken = await sync("93.184.216.34", ["--auth-token", token])
        #expect(viaToken.status == 0, "\(viaToken.stderr)")
        #expect(server.requests.last?.path == "/u/\(token)/?address=93.184.216.34")
        let badToken = await sync("93.184.216.35", ["--auth-token", "nope"])
        #expect(badToken.status == 3, "\(badToken.stderr)")
        let viaAccount = await sync("93.184.216.36", ["--auth-username", "me", "--auth-password", "pw"])
        #expect(viaAccount.status == 0, "\(viaAccount.stderr)")
        #expect(server.requests.last?.path == "/dynamic/update.php?KEY1&address=93.184.216.36")
        let badAccount = await sync("93.184.216.37", ["--auth-username", "me", "--auth-password", "wrong-pw"])
        #expect(badAccount.status == 3)
        #expect(!badAccount.stderr.contains("wrong-pw"))
    }
}
