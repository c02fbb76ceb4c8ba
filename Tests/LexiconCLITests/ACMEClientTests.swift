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

    /// What a client runs: the README's lines with the test's server and directories, the lines that only prepare
    /// (registration), and where the certificate and its chain end up.
    struct ClientRun {
        var prepare: [String] = []
        var issue: [String]
        var certificate: String
        var chain: String
    }

    /// The README's lines for a client, adapted: certbot and lego get the ACME server and their directories as
    /// flags; dehydrated gets a config file of the README's lines plus the server and its directory.
    static func run(_ client: String, _ setup: Setup) throws -> ClientRun {
        switch client {
        case "certbot":
            let live = setup.scratch.file("config/live/\(setup.zone)")
            return ClientRun(
                issue: try readme("certbot certonly").map {
                    setup.adapted($0) + " --server \(setup.pebble.directoryURL) \(certbotDirectories(setup)) "
                        + "--non-interactive --agree-tos --register-unsafely-without-email"
                }, certificate: live + "/cert.pem", chain: live + "/chain.pem")
        case "lego":
            let path = setup.scratch.file("lego")
            let certificates = path + "/certificates/" + setup.zone
            return ClientRun(
                issue: try readme("EXEC_PATH=").map {
                    setup.adapted($0).replacingOccurrences(
                        of: " lego ", with: " lego --server \(setup.pebble.directoryURL) --path \(path) ")
                }, certificate: certificates + ".crt", chain: certificates + ".issuer.crt")
        default:
            // The README's config lines, and where this run keeps its state and which server it asks.
            let settings = try readmeLines().filter {
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
            let lines = try readme("dehydrated ").map { setup.adapted($0) + " --config \(config)" }
            let certificates = setup.scratch.file("dehydrated/certs/\(setup.zone)")
            #expect(lines.filter { $0.contains("--register") }.count == 1, "\(lines)")
            return ClientRun(
                prepare: lines.filter { $0.contains("--register") }, issue: lines.filter { !$0.contains("--register") },
                certificate: certificates + "/cert.pem", chain: certificates + "/chain.pem")
        }
    }

    /// certbot's directories, all in the scratch directory.
    static func certbotDirectories(_ setup: Setup) -> String {
        ["config", "work", "logs"].map { "--\($0)-dir \(setup.scratch.file($0))" }.joined(separator: " ")
    }

    /// Runs lines, prints the wall time (`ACME issuance: WHAT on BACKEND: SECONDS s`) and returns it.
    @discardableResult
    static func timed(_ setup: Setup, _ what: String, backend: String, _ lines: [String]) async -> Double {
        let started = MonotonicClock.now()
        for line in lines { _ = await setup.shell(line) }
        let seconds = MonotonicClock.now() - started
        print("ACME issuance: \(what) on \(backend): \(PropagationChecker.seconds(seconds)) s")
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
        #expect(try await challengesLeft(setup).isEmpty)
    }

    /// The `_acme-challenge` values in the zone, read with a TSIG-signed zone transfer.
    static func challengesLeft(_ setup: Setup) async throws -> [String] {
        let records = try await DNSClient(servers: [setup.server.address], key: setup.server.key).transfer(
            try DNSName(setup.zone))
        #expect(records.contains { $0.type == .soa }, "the transfer returned no SOA: \(records.count) records")
        return records.filter { $0.name.bare.hasPrefix("_acme-challenge") }.map { "\($0.name.bare) \($0.rdataText)" }
    }

    @Test(arguments: ["certbot", "lego", "dehydrated"], ["powerdns", "bind"])
    func clientIssuesACertificate(_ client: String, _ backend: String) async throws {
        guard let setup = try await Self.setUp(client: client, backend: backend) else { return }
        defer { setup.stop() }
        let run = try Self.run(client, setup)
        for line in run.prepare { _ = await setup.shell(line) }
        await Self.timed(setup, client, backend: backend, run.issue)
        try await Self.check(setup, certificate: run.certificate, chain: run.chain)
        guard client == "certbot" else { return }
        // The renewal runs the hooks certbot stored from the README's line.
        let first = try? String(contentsOfFile: run.certificate, encoding: .utf8)
        await Self.timed(
            setup, "certbot renew --force-renewal", backend: backend,
            [
                "certbot renew --force-renewal --no-random-sleep-on-renew \(Self.certbotDirectories(setup)) --non-interactive"
            ])
        let second = try? String(contentsOfFile: run.certificate, encoding: .utf8)
        #expect(first != nil && second != nil && first != second, "renewal did not replace the certificate")
        try await Self.check(setup, certificate: run.certificate, chain: run.chain)
    }

    /// When the hook's wait fails after the value was added, the value is removed or stays as the README says:
    /// certbot 2 logs the failed hook and goes on (here pebble sees the value: it is issued) and runs the cleanup
    /// hook; lego fails and runs its cleanup; dehydrated fails and stops without it.
    @Test(arguments: ["certbot", "lego", "dehydrated"])
    func aFailedWaitLeavesWhatTheREADMESays(_ client: String) async throws {
        guard var setup = try await Self.setUp(client: client, backend: "bind") else { return }
        defer { setup.stop() }
        // A server that never answers stands for an authoritative server that never serves the value.
        let silent = try FakeDNSServer { _, _ in nil }
        defer { silent.stop() }
        setup.environment["LEXICON_PROPAGATION_NAMESERVERS"] = silent.address.description
        setup.environment["LEXICON_PROPAGATION_TIMEOUT"] = "2"
        let run = try Self.run(client, setup)
        for line in run.prepare { _ = await setup.shell(line) }
        var output = ""
        for line in run.issue {
            let result = await CommandRunner.run(
                "/bin/sh", ["-c", line], environment: setup.environment, directory: setup.scratch.path)
            #expect((result.status == 0) == (client == "certbot"), "\(line): status \(result.status)")
            output += result.stdout + result.stderr
        }
        #expect(output.contains("is published and stays until cleanup removes it"), "\(output)")
        #expect(FileManager.default.fileExists(atPath: run.certificate) == (client == "certbot"))
        let left = try await Self.challengesLeft(setup)
        if client == "dehydrated" {
            #expect(left.count == 2, "\(left)")
            #expect(output.contains("lexicon-hook-dehydrated clean_challenge \(setup.zone) "), "\(output)")
        } else {
            #expect(left.isEmpty, "\(left)")
        }
    }
}
