import Foundation
import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// `sync-ip` through the dyndns2 protocol against a local update server that checks basic auth and the
/// User-Agent, and answers the codes a test chooses.
@Suite("dyndns2 updates")
struct DynDNS2Tests {
    final class UpdateServer: @unchecked Sendable {
        let codes = LogLines()
        var server: LoopbackHTTPServer!

        init() throws {
            server = try LoopbackHTTPServer { [unowned self] request in
                let expected = "Basic " + Base64.encode(Array("user:secret".utf8))
                guard request.header("authorization") == expected else {
                    return .respond(HTTPResponse(status: 401, body: Array("badauth".utf8)))
                }
                guard request.header("user-agent")?.hasPrefix("lexicon-swift") == true else {
                    return .respond(HTTPResponse(status: 200, body: Array("badagent".utf8)))
                }
                let query = Dictionary(URLQuery.split(request.path).query, uniquingKeysWith: { _, last in last })
                let code = self.codes.all.last ?? "good"
                return .respond(HTTPResponse(status: 200, body: Array("\(code) \(query["myip"] ?? "")".utf8)))
            }
        }
    }

    func sync(_ server: UpdateServer, ip: String, state: String, password: String = "secret") async
        -> CommandRunner.Result
    {
        await CommandRunner.run(
            Testbed.lexiconBinary,
            [
                "dyndns2", "sync-ip", "dyndns.example", "A", "--name", "home", "--ip", ip, "--api-endpoint",
                server.server.url + "/nic/update", "--auth-username", "user", "--auth-password", password,
                "--state-dir", state,
            ])
    }

    @Test func sendsOnlyWhenTheAddressChanges() async throws {
        let server = try UpdateServer()
        defer { server.server.stop() }
        let state = try TemporaryDirectory(prefix: "lexicon-dyndns")
        defer { state.remove() }
        let first = await sync(server, ip: "93.184.216.34", state: state.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("93.184.216.34: updated"))
        #expect(server.server.requests.count == 1)
        #expect(server.server.requests[0].path == "/nic/update?hostname=home.dyndns.example&myip=93.184.216.34")
        for _ in 0..<9 {
            #expect(await sync(server, ip: "93.184.216.34", state: state.path).stdout.contains(": unchanged"))
        }
        #expect(server.server.requests.count == 1)
        #expect(await sync(server, ip: "93.184.216.35", state: state.path).stdout.contains("93.184.216.35: updated"))
        #expect(server.server.requests.count == 2)
    }

    @Test(arguments: [
        ("badauth", Int32(3), "Check --auth-username and --auth-password"), ("911", 1, "no sooner than 30 minutes"),
        ("dnserr", 1, "no sooner than 30 minutes"), ("nohost", 1, "Stopped until you act"),
        ("!yours", 1, "belongs to another account"),
    ])
    func answerCodesTellTheUserWhatToDo(_ code: String, _ status: Int32, _ text: String) async throws {
        let server = try UpdateServer()
        defer { server.server.stop() }
        server.codes.append(code)
        let state = try TemporaryDirectory(prefix: "lexicon-dyndns")
        defer { state.remove() }
        let result = await sync(
            server, ip: "93.184.216.34", state: state.path, password: code == "badauth" ? "wrong" : "secret")
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(text), "\(result.stderr)")
        #expect(!result.stderr.contains("wrong"))
        // Nothing was recorded as published, so the next run tries again.
        #expect((try? state.read("home.dyndns.example-A.state")) == nil)
    }

    @Test func answersThatNeedTheUserHoldFurtherRequests() async throws {
        let server = try UpdateServer()
        defer { server.server.stop() }
        let state = try TemporaryDirectory(prefix: "lexicon-dyndns")
        defer { state.remove() }
        let refused = await sync(server, ip: "93.184.216.34", state: state.path, password: "wrong")
        #expect(refused.status == 3)
        #expect(server.server.requests.count == 1)
        let held = await sync(server, ip: "93.184.216.34", state: state.path, password: "wrong")
        #expect(held.status == 3, "a held run keeps the status of the answer that caused the hold")
        #expect(held.stderr.contains("not sending (held until the configuration changes)"), "\(held.stderr)")
        #expect(server.server.requests.count == 1)
        // Fixing the password changes the configuration: the next run sends again.
        #expect(await sync(server, ip: "93.184.216.34", state: state.path).status == 0)
        #expect(server.server.requests.count == 2)
        server.codes.append("911")
        #expect(await sync(server, ip: "93.184.216.35", state: state.path).status == 1)
        let waiting = await sync(server, ip: "93.184.216.35", state: state.path)
        #expect(waiting.stderr.contains("more seconds"), "\(waiting.stderr)")
        #expect(server.server.requests.count == 3)
        #expect(!((try? state.read("dyndns.example-A.hold")) ?? "").contains("secret"))
    }

    @Test func presetsAndCapabilities() async {
        let listed = await CommandRunner.run(
            Testbed.lexiconBinary,
            ["dyndns2", "list", "x.example", "A", "--preset", "noip", "--auth-username", "u", "--auth-password", "p"])
        #expect(listed.status == 2)
        #expect(listed.stderr.contains("dyndns2"))
        let unknown = await CommandRunner.run(
            Testbed.lexiconBinary,
            [
                "dyndns2", "sync-ip", "x.example", "A", "--name", "@", "--ip", "93.184.216.34", "--preset", "nope",
                "--auth-username", "u", "--auth-password", "p",
            ])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("known: dyn, dynu, dynv6, henet, inwx, noip, nsupdate, strato"))
    }
}

@Suite("dyndns presets listing")
struct DynDNSPresetsTests {
    @Test func presetsAreListed() async {
        let result = await CommandRunner.run(Testbed.lexiconBinary, ["dyndns", "presets"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("noip      https://dynupdate.no-ip.com/nic/update"))
        #expect(result.stdout.split(separator: "\n").count == 8)
    }
}
