import DNSWire
import Foundation
import Lexicon
import LexiconActions
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

/// Address detection with local echo services (fast, slow, lying, dead) and `sync-ip` against a real PowerDNS.
@Suite("dynamic IP: detection and sync-ip")
struct SyncIPTests {
    /// An echo service answering `address` after `delay` seconds. The addresses are only text: nothing contacts them.
    func echo(_ address: String, delay: Double = 0) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { _ in
            .respond(HTTPResponse(status: 200, body: Array("\(address)\n".utf8)), delay: delay)
        }
    }

    /// Run as a user would (its own process, so other tests' blocking work cannot delay it): the two fast
    /// sources make the quorum; the one that never answers in time is not waited for. Waiting for it would take the
    /// detectors' timeout (5 s), so finishing sooner shows it; the margin below that is for a busy machine.
    @Test func quorumAnswersWithoutWaitingForTheSlowSource() async throws {
        let fast = try echo("93.184.216.34")
        let alsoFast = try echo("<html>Your IP: 93.184.216.34</html>")
        let slow = try echo("93.184.216.34", delay: 30)
        defer { [fast, alsoFast, slow].forEach { $0.stop() } }
        let directory = try TemporaryDirectory(prefix: "lexicon-syncip")
        defer { directory.remove() }
        let zone = try directory.write(
            "example.com.zone", String(decoding: try FileIO.read("config/example.com.zone"), as: UTF8.self))
        let result = await CommandRunner.run(
            Testbed.lexiconBinary,
            [
                "localzone", "sync-ip", "example.com", "A", "--name", "home", "--filename", zone, "--dry-run",
                "--detect", "web:\(slow.url)", "--detect", "web:\(fast.url)", "--detect", "web:\(alsoFast.url)",
                "--state-dir", directory.path,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "home.example.com A 93.184.216.34: would create\n")
        #expect(result.duration < 5)
    }

    @Test func sourcesWithPatternsPrefixesAndDNS() async throws {
        let json = try LoopbackHTTPServer { _ in
            .respond(HTTPResponse(status: 200, body: Array(#"{"proxy":"8.8.4.4","ip":"93.184.216.34"}"#.utf8)))
        }
        defer { json.stop() }
        let source = try AddressSource(parsing: "web:\(json.url) re:\"ip\":\"([^\"]+)\"")
        #expect(try await AddressDetector(sources: [source], quorum: 1).detect(.v4) == IPAddress("93.184.216.34"))
        // A DNS source answering with a TXT record of the asker's address, as o-o.myaddr.l.google.com does.
        let dns = try FakeDNSServer { request, _ in
            guard var answer = FakeDNSServer.answer(to: request) else { return nil }
            answer.answers = [
                DNSResourceRecord(
                    name: try! DNSName("o-o.myaddr.l.google.com"), type: .txt, ttl: 60,
                    rdata: try! RDataText.parse(type: .txt, text: "\"93.184.216.34\""))
            ]
            return answer.encoded()
        }
        defer { dns.stop() }
        let byDNS = try AddressSource(parsing: "dns:o-o.myaddr.l.google.com@\(dns.address)")
        #expect(try await AddressDetector(sources: [byDNS], quorum: 1).detect(.v4) == IPAddress("93.184.216.34"))
        #expect(IPAddress("2001:db8:5::1")!.isInside(IPAddress("2001:db8::")!, length: 32))
        #expect(!IPAddress("2001:db9::1")!.isInside(IPAddress("2001:db8::")!, length: 32))
    }

    @Test func disagreementListsWhatEachSourceSaid() async throws {
        let honest = try echo("93.184.216.34")
        let liar = try echo("8.8.4.4")
        let dead = try echo("93.184.216.34")
        dead.stop()
        defer { [honest, liar].forEach { $0.stop() } }
        do {
            _ = try await AddressDetector(
                sources: [.web(honest.url), .web(liar.url), .web(dead.url)], quorum: 2, timeout: 2
            )
            .detect(.v4)
            Issue.record("no quorum was reached, yet an address came back")
        } catch let error as LexiconError {
            #expect(error.message.contains("fewer than 2 of 3 sources agree"))
            #expect(error.message.contains("web:\(honest.url): 93.184.216.34"))
            #expect(error.message.contains("web:\(liar.url): 8.8.4.4"))
        }
        let loopback = try echo("127.0.0.1")
        defer { loopback.stop() }
        await #expect(throws: LexiconError.self) {
            _ = try await AddressDetector(sources: [.web(loopback.url)], quorum: 1).detect(.v4)
        }
        #expect(IPAddress("100.64.1.1")?.nonPublicReason == "carrier-grade NAT")
        #expect(IPAddress("fd00::1")?.nonPublicReason == "unique local (private)")
        #expect(IPAddress("2a00:1450:4001::1")?.nonPublicReason == nil)
    }

    @Test func syncIPChangesTheRecordOnlyWhenTheAddressChanges() async throws {
        guard PowerDNSServer.missing == nil || Testbed.isRequired else { return }
        let pdns = try await PowerDNSServer()
        defer { pdns.stop() }
        try await pdns.createZone("home.example")
        let state = try TemporaryDirectory(prefix: "lexicon-state")
        defer { state.remove() }
        let answer = LogLines()
        answer.append("93.184.216.34")
        let service = try LoopbackHTTPServer { _ in
            .respond(HTTPResponse(status: 200, body: Array((answer.all.last ?? "").utf8)))
        }
        defer { service.stop() }
        let env = [
            "LEXICON_POWERDNS_AUTH_TOKEN": pdns.apiKey, "LEXICON_POWERDNS_PDNS_SERVER": pdns.apiURL,
            "LEXICON_POWERDNS_PDNS_DISABLE_NOTIFY": "true",
        ]
        let arguments = [
            "powerdns", "sync-ip", "home.example", "A", "--name", "router", "--detect", "web:\(service.url)",
            "--quorum", "1",
            "--state-dir", state.path,
        ]
        func run(_ extra: [String] = []) async -> CommandRunner.Result {
            await CommandRunner.run(Testbed.lexiconBinary, arguments + extra, environment: env)
        }
        let first = await run()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "router.home.example A 93.184.216.34: created\n")
        let again = await run()
        #expect(again.stdout.contains(": unchanged"))
        // A second value someone else put in the set stays when this host's address changes.
        let client = try Client(
            config: ConfigResolver().withDict([
                "provider_name": "powerdns", "domain": "home.example",
                "powerdns": .mapping(["auth_token": .value(pdns.apiKey), "pdns_server": .value(pdns.apiURL)]),
            ]), registry: .standard)
        try await client.createRecord(type: .a, name: "router", content: "198.51.100.200")
        answer.append("93.184.216.35")
        let dry = await run(["--dry-run"])
        #expect(dry.stdout.contains(": would update"))
        #expect(
            Set(try await client.listRecords(type: .a, name: "router").map(\.content)) == [
                "93.184.216.34", "198.51.100.200",
            ])
        let changed = await run()
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("93.184.216.35: updated"), "\(changed.stdout)")
        #expect(
            Set(try await client.listRecords(type: .a, name: "router").map(\.content)) == [
                "93.184.216.35", "198.51.100.200",
            ])
        let answers = try await DNSClient(servers: [DNSServerAddress(host: "127.0.0.1", port: pdns.dnsPort)])
            .exchange(DNSMessage.query(DNSName("router.home.example"), .a))
        #expect(Set(answers.answers.map(\.rdataText)) == ["93.184.216.35", "198.51.100.200"])
        let refused = await CommandRunner.run(
            Testbed.lexiconBinary,
            ["powerdns", "sync-ip", "home.example", "A", "--name", "lan", "--ip", "192.168.1.2"],
            environment: env)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--allow-nonpublic"))
        let misplaced = await CommandRunner.run(
            Testbed.lexiconBinary,
            ["powerdns", "create", "home.example", "A", "--name", "x", "--content", "192.0.2.1", "--dry-run"],
            environment: env)
        #expect(misplaced.status == 2)
        #expect(misplaced.stderr.contains("--dry-run applies to sync-ip only"))
    }

    @Test func syncIPOnBINDThroughRFC2136() async throws {
        if let missing = BINDServer.missing {
            if Testbed.isRequired { Issue.record("BIND testbed required but \(missing)") }
            return
        }
        let bind = try await BINDServer(zones: ["sync.example"])
        defer { bind.stop() }
        let state = try TemporaryDirectory(prefix: "lexicon-state")
        defer { state.remove() }
        let env = [
            "LEXICON_RFC2136_DDNS_SERVER": bind.address.description, "LEXICON_RFC2136_AUTH_TOKEN": bind.keyToken,
        ]
        func sync(_ ip: String) async -> CommandRunner.Result {
            await CommandRunner.run(
                Testbed.lexiconBinary,
                ["rfc2136", "sync-ip", "sync.example", "AAAA", "--name", "nas", "--ip", ip, "--state-dir", state.path],
                environment: env)
        }
        #expect(await sync("2606:2800:220:1::1").stdout.contains(": created"))
        #expect(await sync("2606:2800:220:1::1").stdout.contains(": unchanged"))
        #expect(await sync("2606:2800:220:1::2").stdout.contains(": updated"))
        let answer = try await DNSClient(servers: [bind.address]).exchange(
            DNSMessage.query(DNSName("nas.sync.example"), .aaaa))
        #expect(answer.answers.map(\.rdataText) == ["2606:2800:220:1::2"])
    }
}
