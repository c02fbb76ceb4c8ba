import DNSWire
import Foundation
import Lexicon
import LexiconActions
import LexiconTesting
import Testing

/// The ACME hooks as certbot, dehydrated, lego and acme.sh call them, against real BIND and PowerDNS servers;
/// every result is read back with real DNS queries.
@Suite("ACME DNS-01 hooks against real servers")
struct ACMEHookTests {
    struct Server {
        var environment: [String: String]
        var address: DNSServerAddress
        /// The key that may transfer the zone.
        var key: TSIGKey
        var stop: () -> Void
    }

    /// A BIND zone through rfc2136, or a PowerDNS zone through its API; nil, with an issue recorded under
    /// `LEXICON_REQUIRE_TESTBED=1`, when the server's programs are missing. `transferable`: PowerDNS also serves
    /// the zone to transfers signed with ``Server/key`` (BIND always does).
    static func server(_ kind: String, zone: String, transferable: Bool = false) async throws -> Server? {
        if kind == "bind" {
            if let missing = BINDServer.missing {
                if Testbed.isRequired { Issue.record("BIND testbed required but \(missing)") }
                return nil
            }
            let bind = try await BINDServer(zones: [zone])
            return Server(
                environment: [
                    "LEXICON_PROVIDER": "rfc2136", "LEXICON_RFC2136_DDNS_SERVER": bind.address.description,
                    "LEXICON_RFC2136_AUTH_TOKEN": bind.keyToken,
                    "LEXICON_PROPAGATION_NAMESERVERS": bind.address.description, "LEXICON_PROPAGATION_TIMEOUT": "10",
                ], address: bind.address, key: bind.key, stop: bind.stop)
        }
        if let missing = PowerDNSServer.missing {
            if Testbed.isRequired { Issue.record("PowerDNS testbed required but \(missing)") }
            return nil
        }
        let pdns = try await PowerDNSServer()
        try await pdns.createZone(zone, dnsUpdate: transferable)
        let address = DNSServerAddress(host: "127.0.0.1", port: pdns.dnsPort)
        return Server(
            environment: [
                "LEXICON_PROVIDER": "powerdns", "LEXICON_POWERDNS_AUTH_TOKEN": pdns.apiKey,
                "LEXICON_POWERDNS_PDNS_SERVER": pdns.apiURL, "LEXICON_POWERDNS_PDNS_DISABLE_NOTIFY": "true",
                "LEXICON_PROPAGATION_NAMESERVERS": address.description, "LEXICON_PROPAGATION_TIMEOUT": "10",
            ], address: address, key: pdns.key, stop: pdns.stop)
    }

    func lexicon(_ arguments: [String], _ environment: [String: String]) async -> CommandRunner.Result {
        await CommandRunner.run(Testbed.lexiconBinary, arguments, environment: environment)
    }

    func txt(_ server: Server, _ name: String) async throws -> Set<String> {
        let answer = try await DNSClient(servers: [server.address]).exchange(DNSMessage.query(try DNSName(name), .txt))
        return Set(answer.answers.filter { $0.type == .txt }.map(\.rdataText))
    }

    @Test(arguments: ["bind", "powerdns"])
    func certbotBaseAndWildcardShareTheNameAndCleanupIsPrecise(_ kind: String) async throws {
        guard let server = try await Self.server(kind, zone: "certbot.example") else { return }
        defer { server.stop() }
        for (domain, value) in [("certbot.example", "base-token"), ("*.certbot.example", "wildcard-token")] {
            let auth = await lexicon(
                ["hook", "certbot", "auth"],
                server.environment.merging(["CERTBOT_DOMAIN": domain, "CERTBOT_VALIDATION": value]) { $1 })
            #expect(auth.status == 0, "\(auth.stderr)")
        }
        #expect(try await txt(server, "_acme-challenge.certbot.example") == ["\"base-token\"", "\"wildcard-token\""])
        let cleanup = ["hook", "certbot", "cleanup"]
        let env = server.environment.merging(["CERTBOT_DOMAIN": "certbot.example", "CERTBOT_VALIDATION": "base-token"])
        { $1 }
        #expect(await lexicon(cleanup, env).status == 0)
        #expect(try await txt(server, "_acme-challenge.certbot.example") == ["\"wildcard-token\""])
        // Cleaning up a value that is already gone succeeds.
        #expect(await lexicon(cleanup, env).status == 0)
    }

    @Test func dehydratedChainsTriplesAndIgnoresOtherHandlers() async throws {
        guard let server = try await Self.server("bind", zone: "dehydrated.example") else { return }
        defer { server.stop() }
        #expect(await lexicon(["hook", "dehydrated", "startup_hook"], server.environment).status == 0)
        #expect(
            await lexicon(["hook", "dehydrated", "this_hookscript_is_broken__dehydrated_is_working_fine"], [:]).status
                == 0)
        let deploy = await lexicon(
            [
                "hook", "dehydrated", "deploy_challenge", "dehydrated.example", "tok1", "-value-one",
                "www.dehydrated.example", "tok2", "value-two",
            ], server.environment)
        #expect(deploy.status == 0, "\(deploy.stderr)")
        #expect(try await txt(server, "_acme-challenge.dehydrated.example") == ["\"-value-one\""])
        #expect(try await txt(server, "_acme-challenge.www.dehydrated.example") == ["\"value-two\""])
        let clean = await lexicon(
            [
                "hook", "dehydrated", "clean_challenge", "dehydrated.example", "tok1", "-value-one",
                "www.dehydrated.example", "tok2", "value-two",
            ], server.environment)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(try await txt(server, "_acme-challenge.dehydrated.example").isEmpty)
    }

    @Test func legoDefaultAndRawModes() async throws {
        guard let server = try await Self.server("powerdns", zone: "lego.example") else { return }
        defer { server.stop() }
        let present = await lexicon(
            ["hook", "lego", "present", "_acme-challenge.lego.example.", "lego-value"], server.environment)
        #expect(present.status == 0, "\(present.stderr)")
        let raw = await lexicon(
            ["hook", "lego", "present", "--", "lego.example", "token", "token.thumbprint"], server.environment)
        #expect(raw.status == 0, "\(raw.stderr)")
        let derived = ACMEChallenge.value(fromKeyAuthorization: "token.thumbprint")
        #expect(derived == "61rBZ_4knHblO0MNoxFsXZ_eTFUHum0B6IVRbhvUn5I")
        #expect(try await txt(server, "_acme-challenge.lego.example") == ["\"lego-value\"", "\"\(derived)\""])
        #expect(
            await lexicon(
                ["hook", "lego", "cleanup", "_acme-challenge.lego.example.", "lego-value"], server.environment
            )
            .status == 0)
        #expect(try await txt(server, "_acme-challenge.lego.example") == ["\"\(derived)\""])
    }

    @Test func acmeShCommandLineWorksAsIs() async throws {
        guard let server = try await Self.server("bind", zone: "acmesh.example") else { return }
        defer { server.stop() }
        var env = server.environment
        env["LEXICON_PROVIDER"] = nil
        let result = await lexicon(
            [
                "rfc2136", "create", "acmesh.example", "TXT", "--name=_acme-challenge.acmesh.example.",
                "--content=acme-sh-value",
                "--output", "QUIET",
            ], env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try await txt(server, "_acme-challenge.acmesh.example") == ["\"acme-sh-value\""])
    }

    @Test func programNamesRunAsTheHookAndInstallReplacesNothing() async throws {
        let scratch = try TemporaryDirectory(prefix: "lexicon-hook-install")
        defer { scratch.remove() }
        let made = await lexicon(["hook", "install", scratch.path], [:])
        #expect(made.status == 0, "\(made.stderr)")
        for client in ["certbot", "dehydrated", "lego"] {
            let link = scratch.file("lexicon-hook-\(client)")
            #expect(made.stdout.contains(link), "\(made.stdout)")
            let help = await CommandRunner.run(link, ["--help"])
            #expect(help.stdout.hasPrefix("Usage: lexicon hook \(client)"), "\(client): \(help.stdout)\(help.stderr)")
        }
        // As dehydrated calls it: an unknown handler succeeds.
        let probe = await CommandRunner.run(
            scratch.file("lexicon-hook-dehydrated"), ["this_hookscript_is_broken__dehydrated_is_working_fine"])
        #expect(probe.status == 0, "\(probe.stderr)")
        let again = await lexicon(["hook", "install", scratch.path], [:])
        #expect(again.status == 0 && again.stdout.contains("already there"), "\(again.stdout)\(again.stderr)")
        // Something else of one of the names: nothing is made, nothing replaced.
        let other = try TemporaryDirectory(prefix: "lexicon-hook-install")
        defer { other.remove() }
        try other.write("lexicon-hook-lego", "#!/bin/sh\n", mode: 0o755)
        let refused = await lexicon(["hook", "install", other.path], [:])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("lexicon-hook-lego exists and is not a link to lexicon"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path) == ["lexicon-hook-lego"])
        #expect(try other.read("lexicon-hook-lego") == "#!/bin/sh\n")
    }

    @Test func helpPagesForTheHookAndEachClient() async {
        for (arguments, first) in [
            (["hook", "--help"], "Usage: lexicon hook certbot|dehydrated|lego"),
            (["hook", "certbot", "--help"], "Usage: lexicon hook certbot"),
            (["hook", "dehydrated", "-h"], "Usage: lexicon hook dehydrated"),
            (["hook", "lego", "--help"], "Usage: lexicon hook lego"),
            (["hook", "install", "--help"], "Usage: lexicon hook install"),
        ] {
            let result = await lexicon(arguments, [:])
            #expect(result.status == 0 && result.stdout.hasPrefix(first), "\(arguments): \(result.stdout)")
        }
    }

    /// No server with the zone found: the message names the variables the hook reads (it takes no flags), says the
    /// value is published, and what the client does next.
    @Test(arguments: ["certbot", "dehydrated"])
    func noServersFoundNamesTheVariablesAndThePublishedValue(_ client: String) async throws {
        guard let server = try await Self.server("bind", zone: "noservers.example") else { return }
        defer { server.stop() }
        // A resolver that knows no zone at all: no SOA anywhere up the name.
        let resolver = try FakeDNSServer { request, _ in FakeDNSServer.answer(to: request, answers: [])?.encoded() }
        defer { resolver.stop() }
        var environment = server.environment
        environment["LEXICON_PROPAGATION_NAMESERVERS"] = nil
        environment["LEXICON_PROPAGATION_RESOLVER"] = resolver.address.description
        let result =
            client == "certbot"
            ? await lexicon(
                ["hook", "certbot", "auth"],
                environment.merging(["CERTBOT_DOMAIN": "noservers.example", "CERTBOT_VALIDATION": "v1"]) { $1 })
            : await lexicon(["hook", "dehydrated", "deploy_challenge", "noservers.example", "tok", "v1"], environment)
        #expect(result.status != 0)
        for expected in [
            "LEXICON_PROPAGATION_NAMESERVERS", "LEXICON_PROPAGATION_RESOLVER",
            "\"v1\" at _acme-challenge.noservers.example is published",
            client == "certbot"
                ? "runs the cleanup hook" : "lexicon-hook-dehydrated clean_challenge noservers.example tok v1",
        ] {
            #expect(result.stderr.contains(expected), "\(expected): \(result.stderr)")
        }
        #expect(!result.stderr.contains("--resolver"), "\(result.stderr)")
        #expect(try await txt(server, "_acme-challenge.noservers.example") == ["\"v1\""])
    }
}
