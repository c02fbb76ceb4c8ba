import DNSWire
import Foundation
import Lexicon
import LexiconTesting
import Testing

/// certbot, lego and dehydrated each get a real certificate for a name and its wildcard from pebble (Let's
/// Encrypt's test server) through lexicon's hooks, running the README's lines as written: only the ACME server,
/// the directories, the domain and the provider's credentials are changed. Every client runs on PowerDNS through
/// its API and on BIND through rfc2136; the wall time of each issuance is printed (`ACME issuance: …`).
@Suite("ACME clients get certificates through the hooks")
struct ACMEClientTests {
    /// The README's shell lines, a line ending in `\` joined with the next.
    static func readmeLines() throws -> [String] {
        try READMETests.blocks("sh").flatMap { block in
            block.replacingOccurrences(of: "\\\n", with: "").split(separator: "\n").map {
                $0.replacingOccurrences(of: "    ", with: " ")
            }
        }
    }

    /// The README's lines that start with a prefix (at least one).
    static func readme(_ prefix: String) throws -> [String] {
        let lines = try readmeLines().filter { $0.hasPrefix(prefix) }
        guard !lines.isEmpty else { throw LexiconError(.notFound, "the README has no line starting \"\(prefix)\"") }
        return lines
    }

    /// Where a client is run: pebble, the DNS server with the zone, a scratch directory whose `bin` holds `lexicon`
    /// and the links `lexicon hook install` makes, and the environment the client runs in.
    struct Setup {
        var server: ACMEHookTests.Server
        var pebble: PebbleServer
        var scratch: TemporaryDirectory
        var bin: String
        var environment: [String: String]
        var zone: String

        /// A README line with the install directory and the domain of the test.
        func adapted(_ line: String) -> String {
            line.replacingOccurrences(of: "/usr/local/bin", with: bin).replacingOccurrences(
                of: "example.com", with: zone)
        }

        /// Runs a shell line, recording a failure with its output.
        func shell(_ line: String) async -> CommandRunner.Result {
            let result = await CommandRunner.run(
                "/bin/sh", ["-c", line], environment: environment, directory: scratch.path)
            #expect(result.status == 0, "\(line)\n\(result.stdout)\n\(result.stderr)")
            return result
        }

        func stop() {
            pebble.stop()
            server.stop()
            scratch.remove()
        }
    }

    /// Starts the servers and installs the hook links with the README's line; nil when a program is missing (an
    /// issue under `LEXICON_REQUIRE_TESTBED=1`, a skip with the reason otherwise).
    static func setUp(client: String, backend: String) async throws -> Setup? {
        let missing = PebbleServer.missing ?? (Testbed.tool(client) == nil ? "\(client) is not installed" : nil)
        if let missing {
            if Testbed.isRequired {
                Issue.record("ACME testbed required but \(missing) (Debian: pebble, certbot, lego, dehydrated)")
            } else {
                print("skipped: \(client) on \(backend) against pebble: \(missing)")
            }
            return nil
        }
        let zone = "\(client)-\(backend).test"
        guard let server = try await ACMEHookTests.server(backend, zone: zone, transferable: true) else { return nil }
        let pebble: PebbleServer
        do {
            pebble = try await PebbleServer(dnsServer: server.address.description)
        } catch {
            server.stop()
            throw error
        }
        let scratch = try TemporaryDirectory(prefix: "lexicon-acme-\(client)")
        let bin = scratch.file("bin")
        for directory in [bin, scratch.file("dehydrated")] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try FileManager.default.createSymbolicLink(atPath: bin + "/lexicon", withDestinationPath: Testbed.lexiconBinary)
        var environment = server.environment
        environment["LEXICON_PROPAGATION_TIMEOUT"] = "60"
        environment["PATH"] = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        environment["HOME"] = scratch.path
        // Each client trusts pebble's TLS certificate through its own variable.
        for variable in ["REQUESTS_CA_BUNDLE", "LEGO_CA_CERTIFICATES", "CURL_CA_BUNDLE"] {
            environment[variable] = pebble.tlsCertificate
        }
        let setup = Setup(
            server: server, pebble: pebble, scratch: scratch, bin: bin, environment: environment, zone: zone)
        for line in try readme("lexicon hook install") {
            let installed = await setup.shell(setup.adapted(line))
            #expect(installed.stdout.contains("lexicon-hook-\(client)"), "\(installed.stdout)")
        }
        return setup
    }

    /// Runs a client's lines, prints the wall time (`ACME issuance: CLIENT on BACKEND: SECONDS s`) and returns it.
    static func issue(_ setup: Setup, _ client: String, backend: String, _ lines: [String]) async throws -> Double {
        let started = MonotonicClock.now()
        for line in lines { _ = await setup.shell(line) }
        let seconds = MonotonicClock.now() - started
        print("ACME issuance: \(client) on \(backend): \(PropagationChecker.seconds(seconds)) s")
        return seconds
    }

    /// The certificate (first in `file`, chain after it) verifies against pebble's root and names the domain and
    /// its wildcard; no `_acme-challenge` value is left in the zone.
    static func check(_ setup: Setup, certificate file: String, chain: String) async throws {
        let root = try setup.scratch.write("root.pem", try await setup.pebble.root())
        let verified = await CommandRunner.run(
            Testbed.tool("openssl")!, ["verify", "-CAfile", root, "-untrusted", chain, file])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let names = await CommandRunner.run(
            Testbed.tool("openssl")!, ["x509", "-noout", "-ext", "subjectAltName", "-in", file])
        #expect(names.stdout.contains("DNS:\(setup.zone)"), "\(names.stdout)")
        #expect(names.stdout.contains("DNS:*.\(setup.zone)"), "\(names.stdout)")
        let records = try await DNSClient(servers: [setup.server.address], key: setup.server.key).transfer(
            try DNSName(setup.zone))
        let left = records.filter { $0.name.bare.hasPrefix("_acme-challenge") }.map {
            "\($0.name.bare) \($0.rdataText)"
        }
        #expect(left.isEmpty, "challenge values left: \(left)")
        #expect(records.contains { $0.type == .soa }, "the transfer returned no SOA: \(records.count) records")
    }

    @Test(arguments: ["powerdns", "bind"])
    func certbotIssuesAndRenews(_ backend: String) async throws {
        guard let setup = try await Self.setUp(client: "certbot", backend: backend) else { return }
        defer { setup.stop() }
        let directories = ["config", "work", "logs"].map { "--\($0)-dir \(setup.scratch.file($0))" }.joined(
            separator: " ")
        let adapt = {
            setup.adapted($0)
                + " --server \(setup.pebble.directoryURL) \(directories) --non-interactive --agree-tos --register-unsafely-without-email"
        }
        _ = try await Self.issue(setup, "certbot", backend: backend, try Self.readme("certbot certonly").map(adapt))
        let live = setup.scratch.file("config/live/\(setup.zone)")
        try await Self.check(setup, certificate: live + "/cert.pem", chain: live + "/chain.pem")
        let first = try? String(contentsOfFile: live + "/cert.pem", encoding: .utf8)
        // The renewal runs the hooks certbot stored from the README's line.
        _ = try await Self.issue(
            setup, "certbot renew --force-renewal", backend: backend,
            ["certbot renew --force-renewal --no-random-sleep-on-renew \(directories) --non-interactive"])
        let second = try? String(contentsOfFile: live + "/cert.pem", encoding: .utf8)
        #expect(first != nil && second != nil && first != second, "renewal did not replace the certificate")
        try await Self.check(setup, certificate: live + "/cert.pem", chain: live + "/chain.pem")
    }

    @Test(arguments: ["powerdns", "bind"])
    func legoIssues(_ backend: String) async throws {
        guard let setup = try await Self.setUp(client: "lego", backend: backend) else { return }
        defer { setup.stop() }
        let path = setup.scratch.file("lego")
        let adapt = {
            setup.adapted($0).replacingOccurrences(
                of: " lego ", with: " lego --server \(setup.pebble.directoryURL) --path \(path) ")
        }
        _ = try await Self.issue(setup, "lego", backend: backend, try Self.readme("EXEC_PATH=").map(adapt))
        let certificates = path + "/certificates/" + setup.zone
        try await Self.check(setup, certificate: certificates + ".crt", chain: certificates + ".issuer.crt")
    }

    @Test(arguments: ["powerdns", "bind"])
    func dehydratedIssues(_ backend: String) async throws {
        guard let setup = try await Self.setUp(client: "dehydrated", backend: backend) else { return }
        defer { setup.stop() }
        // The README's config lines, and where this run keeps its state and which server it asks.
        let settings = try Self.readmeLines().filter {
            $0.hasPrefix("CHALLENGETYPE=") || $0.hasPrefix("HOOK=") || $0.hasPrefix("HOOK_CHAIN=")
        }
        #expect(settings.count == 3, "\(settings)")
        let config = try setup.scratch.write(
            "dehydrated.conf",
            (settings.map(setup.adapted) + [
                "CA=\(setup.pebble.directoryURL)", "BASEDIR=\(setup.scratch.file("dehydrated"))",
                // Keys made in milliseconds instead of RSA 4096's seconds on a busy machine.
                "KEY_ALGO=prime256v1", "ACCOUNT_KEYSIZE=2048",
            ]).joined(separator: "\n") + "\n")
        let lines = try Self.readme("dehydrated ").map { setup.adapted($0) + " --config \(config)" }
        let register = lines.filter { $0.contains("--register") }
        #expect(register.count == 1, "\(lines)")
        for line in register { _ = await setup.shell(line) }
        _ = try await Self.issue(setup, "dehydrated", backend: backend, lines.filter { !$0.contains("--register") })
        let certificates = setup.scratch.file("dehydrated/certs/\(setup.zone)")
        try await Self.check(setup, certificate: certificates + "/cert.pem", chain: certificates + "/chain.pem")
    }
}
