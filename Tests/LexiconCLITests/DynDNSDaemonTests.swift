import Foundation
import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

/// `lexicon dyndns run|check|status` with a local dyndns2 server and echo service.
@Suite("dyndns daemon")
struct DynDNSDaemonTests {
    /// A local dyndns2 server, an echo service answering the last address appended to `answer`, and a one-job
    /// configuration of the given record type with a change hook writing `hook.log`.
    func setUp(type: String = "A") throws -> (
        server: LoopbackHTTPServer, echo: LoopbackHTTPServer, answer: LogLines, directory: TemporaryDirectory,
        config: String
    ) {
        let server = try LoopbackHTTPServer { request in
            guard request.header("authorization") == "Basic " + Base64.encode(Array("user:secret".utf8)) else {
                return .respond(HTTPResponse(status: 401, body: Array("badauth".utf8)))
            }
            return .respond(HTTPResponse(status: 200, body: Array("good".utf8)))
        }
        let answer = LogLines()
        answer.append("93.184.216.34")
        let echo = try LoopbackHTTPServer { _ in
            .respond(HTTPResponse(status: 200, body: Array((answer.all.last ?? "").utf8)))
        }
        let directory = try TemporaryDirectory(prefix: "lexicon-daemon")
        let config = try directory.write(
            "dyndns.yml",
            """
            interval: 30
            state_dir: \(directory.path)/state
            jobs:
              - provider: dyndns2
                domain: dyndns.example
                name: home
                type: \(type)
                detect: ["web:\(echo.url)"]
                quorum: 1
                options: {api_endpoint: "\(server.url)/nic/update", auth_username: user, auth_password: secret}
                hook: "echo \\"$LEXICON_OLD_ADDRESS -> $LEXICON_NEW_ADDRESS\\" >> \(directory.path)/hook.log"

            """)
        return (server, echo, answer, directory, config)
    }

    /// One `dyndns run --once` round.
    func once(_ config: String) async -> CommandRunner.Result {
        await CommandRunner.run(Testbed.lexiconBinary, ["dyndns", "run", "--config", config, "--once"])
    }

    @Test func onceRoundsSendOnlyChangesAndRunTheHook() async throws {
        let (server, echo, answer, directory, config) = try setUp()
        defer { server.stop(); echo.stop(); directory.remove() }
        #expect(await once(config).status == 0)
        for _ in 0..<9 { #expect(await once(config).status == 0) }
        #expect(server.requests.count == 1)
        answer.append("93.184.216.35")
        #expect(await once(config).status == 0)
        #expect(server.requests.count == 2)
        #expect(try directory.read("hook.log") == " -> 93.184.216.34\n93.184.216.34 -> 93.184.216.35\n")
        let status = await CommandRunner.run(Testbed.lexiconBinary, ["dyndns", "status", "--config", config])
        #expect(status.stdout.contains("home.dyndns.example A via dyndns2: 93.184.216.35 (updated"))
        let check = await CommandRunner.run(Testbed.lexiconBinary, ["dyndns", "check", "--config", config])
        #expect(check.stdout.contains("web:\(echo.url): 93.184.216.35"))
    }

    @Test func runStopsCleanlyOnSIGTERMWithStateIntact() async throws {
        let (server, echo, _, directory, config) = try setUp()
        defer { server.stop(); echo.stop(); directory.remove() }
        let log = directory.file("run.log")
        let process = try ServerProcess(
            Testbed.lexiconBinary, ["dyndns", "run", "--config", config, "--log-json"], logPath: log)
        for _ in 0..<50 where server.requests.isEmpty { try await Task.sleep(nanoseconds: 100_000_000) }
        #expect(server.requests.count == 1)
        await process.terminate()
        let lines = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(lines.contains(#""message":"stopping (signal received)""#), "\(lines)")
        #expect(lines.split(separator: "\n").allSatisfy { (try? JSONValue(parsing: String($0))) != nil })
        #expect(try directory.read("state/home.dyndns.example-A.state").hasPrefix("93.184.216.34\n"))
    }

    @Test func bothFamiliesGoInOneRequest() async throws {
        let (server, echo, answer, directory, config) = try setUp(type: "A+AAAA")
        defer { server.stop(); echo.stop(); directory.remove() }
        answer.append("93.184.216.34 2606:2800:220:1::1")
        #expect(await once(config).status == 0)
        #expect(
            server.requests.map(\.path) == [
                "/nic/update?hostname=home.dyndns.example&myip=93.184.216.34%2C2606%3A2800%3A220%3A1%3A%3A1"
            ])
        #expect(await once(config).status == 0)
        #expect(server.requests.count == 1)
        answer.append("93.184.216.34 2606:2800:220:1::2")
        #expect(await once(config).status == 0)
        #expect(server.requests.count == 2)
        #expect(server.requests[1].path.hasSuffix("myip=93.184.216.34%2C2606%3A2800%3A220%3A1%3A%3A2"))
    }

    @Test func badConfigurationNamesFileAndLine() async throws {
        let directory = try TemporaryDirectory(prefix: "lexicon-daemon")
        defer { directory.remove() }
        let config = try directory.write("bad.yml", "interval: 30\njobs:\n  - provider: dyndns2\n    domian: x\n")
        let result = await CommandRunner.run(Testbed.lexiconBinary, ["dyndns", "run", "--config", config, "--once"])
        #expect(result.status == 2)
        let expected = "bad.yml:3: key \"jobs.0\": missing required key \"domain\""
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }
}
