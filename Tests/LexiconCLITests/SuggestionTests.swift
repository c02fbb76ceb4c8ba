import Lexicon
import LexiconTesting
import Testing

/// Mistyped names get the nearest known one; a dyndns job naming an unknown provider or option fails at load,
/// before any address detection.
@Suite("messages a person can act on")
struct SuggestionTests {
    @Test func mistypedProvidersAndOptionsGetTheNearestName() async throws {
        let provider = await CommandRunner.run(Testbed.lexiconBinary, ["cloudflar", "list", "example.com", "A"])
        #expect(provider.status == 2)
        #expect(
            provider.stderr.contains("unknown provider \"cloudflar\" (did you mean cloudflare?)"), "\(provider.stderr)")
        let option = await CommandRunner.run(
            Testbed.lexiconBinary, ["cloudflare", "list", "example.com", "A", "--auth-tokn", "x"])
        #expect(option.status == 2)
        #expect(option.stderr.contains("unknown option --auth-tokn (did you mean --auth-token?)"), "\(option.stderr)")
        let far = await CommandRunner.run(Testbed.lexiconBinary, ["zzzzzz", "list", "example.com", "A"])
        #expect(!far.stderr.contains("did you mean"), "\(far.stderr)")
    }

    @Test func aDynDNSJobWithAnUnknownProviderOrOptionFailsBeforeDetection() async throws {
        let echo = try LoopbackHTTPServer { _ in .respond(.init(status: 200, body: Array("93.184.216.34".utf8))) }
        defer { echo.stop() }
        let directory = try TemporaryDirectory(prefix: "lexicon-suggest")
        defer { directory.remove() }
        for (job, expected) in [
            (
                "provider: cloudflar\n    options: {}",
                "jobs.0.provider: unknown provider \"cloudflar\" (did you mean cloudflare?)"
            ),
            (
                "provider: cloudflare\n    options: {auth_tokn: x}",
                "jobs.0.options.auth_tokn: cloudflare has no option \"auth_tokn\" (did you mean auth_token?)"
            ),
        ] {
            let config = try directory.write(
                "dyndns.yml",
                "interval: 30\njobs:\n  - \(job)\n    domain: example.com\n    name: home\n    type: A\n    detect: [\"web:\(echo.url)\"]\n",
                mode: 0o600)
            for sub in ["check", "run"] {
                let result = await CommandRunner.run(
                    Testbed.lexiconBinary, ["dyndns", sub, "--config", config] + (sub == "run" ? ["--once"] : []))
                #expect(result.status == 2, "\(sub): \(result.stderr)")
                #expect(result.stderr.contains(expected), "\(sub): \(result.stderr)")
            }
        }
        #expect(echo.requests.isEmpty, "no address was detected for a configuration that cannot work")
    }

    @Test func nearestNames() {
        #expect(NearestName.suggestion(for: "digitalocen", among: ["digitalocean", "dnsimple"]) == "digitalocean")
        #expect(NearestName.suggestion(for: "ovh", among: ["ovh2x", "linode"]) == nil)
        #expect(NearestName.suggestion(for: "GANDI", among: ["gandi"]) == "gandi")
    }
}

/// Authentication failures say where the credentials came from; a 404 on the first call names the endpoint option.
@Suite("where values came from")
struct OriginTests {
    @Test func aRefusedKeyNamesItsSourceAndA404NamesTheEndpoint() async throws {
        let server = try LoopbackHTTPServer { request in
            .respond(.init(status: request.header("x-api-key") == "bad" ? 401 : 404))
        }
        defer { server.stop() }
        let cli = try CLI()
        defer { cli.directory.remove() }
        let token = try cli.directory.write("token", "bad\n", mode: 0o600)
        let refused = await cli.run(
            ["powerdns", "list", "example.com", "A", "--pdns-server", server.url],
            environment: ["LEXICON_POWERDNS_AUTH_TOKEN_FILE": token])
        #expect(refused.status == 3)
        #expect(
            refused.stderr.contains(
                "(Credentials used: --auth-token from LEXICON_POWERDNS_AUTH_TOKEN_FILE (\(token)).)"),
            "\(refused.stderr)")
        let missing = await cli.run([
            "cloudflare", "list", "example.com", "A", "--auth-token", "good", "--api-endpoint", server.url + "/v4",
        ])
        #expect(missing.status != 0)
        #expect(
            missing.stderr.contains("The endpoint is set to \(server.url)/v4 by --api-endpoint on the command line"),
            "\(missing.stderr)")
        #expect(!missing.stderr.contains("good"))
    }
}
