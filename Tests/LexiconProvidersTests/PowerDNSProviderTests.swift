import DNSWire
import Foundation
import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

@testable import LexiconProviders

/// Starts a PowerDNS testbed server, or returns nil after recording why (a failure under LEXICON_REQUIRE_TESTBED=1).
func startPowerDNS() async throws -> PowerDNSServer? {
    if let missing = PowerDNSServer.missing {
        if Testbed.isRequired {
            Issue.record("PowerDNS testbed required but \(missing)")
        } else {
            print("skipping PowerDNS test: \(missing)")
        }
        return nil
    }
    return try await PowerDNSServer()
}

func powerDNSClient(_ server: PowerDNSServer, domain: String, key: String? = nil, extra: [String: ConfigValue] = [:])
    throws -> Client
{
    var options: [String: ConfigValue] = [
        "auth_token": .value(key ?? server.apiKey), "pdns_server": .value(server.apiURL),
    ]
    options.merge(extra) { _, new in new }
    let config = ConfigResolver().withDict([
        "provider_name": "powerdns", "domain": .value(domain), "powerdns": .mapping(options),
    ])
    return try Client(config: config, registry: .standard)
}

/// `dig` answers from the server itself, so tests see what resolvers would see.
func dig(_ server: PowerDNSServer, _ name: String, _ type: String) async -> [String] {
    guard let dig = Testbed.tool("dig") else { return [] }
    let result = await CommandRunner.run(
        dig, ["+short", "+norecurse", "-p", String(server.dnsPort), "@127.0.0.1", name, type])
    return result.stdout.split(separator: "\n").map(String.init).sorted()
}

@Suite("powerdns against a real PowerDNS")
struct PowerDNSProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        let domain = "\(group.rawValue.lowercased()).example"
        try await server.createZone(domain, dnsUpdate: true)
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try powerDNSClient(server, domain: name)
        }
        try await suite.run(group)
        let address = DNSServerAddress(host: "127.0.0.1", port: server.dnsPort)
        #expect(try await ServedZone.mismatches(address, zone: domain, key: server.key) == [])
    }

    @Test func recordsAreServedOverDNS() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("served.test")
        let client = try powerDNSClient(server, domain: "served.test")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "one")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "two words")
        try await client.createRecord(type: .mx, name: "@", content: "mail.served.test", priority: 5)
        if Testbed.tool("dig") != nil || Testbed.isRequired {
            #expect(await dig(server, "_acme-challenge.served.test", "TXT") == ["\"one\"", "\"two words\""])
            #expect(await dig(server, "served.test", "MX") == ["5 mail.served.test."])
        }
        try await client.deleteRecord(type: .txt, name: "_acme-challenge", content: "one")
        if Testbed.tool("dig") != nil || Testbed.isRequired {
            #expect(await dig(server, "_acme-challenge.served.test", "TXT") == ["\"two words\""])
        }
    }

    @Test func wrongKeyIsAnAuthenticationError() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("auth.test")
        do {
            try await powerDNSClient(server, domain: "auth.test", key: "wrong-key").authenticate()
            Issue.record("a wrong key was accepted")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3)
            #expect(error.description.contains("powerdns: authentication failed (HTTP 401)"))
            #expect(error.commandLineDescription.contains("LEXICON_POWERDNS_AUTH_TOKEN"))
            // Library callers get no command-line hints.
            #expect(!error.description.contains("--auth-token") && !error.description.contains("LEXICON_"))
            #expect(!error.description.contains("wrong-key"))
        }
    }

    @Test func unknownZoneSaysNoDomainFound() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        do {
            try await powerDNSClient(server, domain: "nothere.test").authenticate()
            Issue.record("an unknown zone was accepted")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3)
            #expect(error.message.hasPrefix("No domain found for nothere.test"))
        }
    }

    @Test func serverRejectionIsReportedNotDumped() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("reject.test")
        let client = try powerDNSClient(server, domain: "reject.test", extra: ["pdns_disable_notify": "true"])
        try await client.createRecord(type: .cname, name: "alias", content: "target.example.net")
        do {
            try await client.createRecord(type: .txt, name: "alias", content: "beside a CNAME")
            Issue.record("PowerDNS accepted data beside a CNAME")
        } catch let error as LexiconError {
            #expect(error.code == .provider)
            #expect(error.description.hasPrefix("powerdns: change the zone failed with HTTP 422"))
            #expect(error.description.split(separator: "\n").count == 1)
        }
        let records = try await client.listRecords(name: "alias")
        #expect(records.map(\.type) == [.cname])
    }

    @Test func contentRoundTripsThroughPowerDNSQuoting() {
        let record = Record(type: .txt, name: "x.test", ttl: 60, content: "say \"hi\" \\ ok")
        let wire = RecordPresentation.rdata(of: record)
        #expect(wire == "\"say \\\"hi\\\" \\\\ ok\"")
        #expect(RecordPresentation.content(of: wire, type: .txt).content == record.content)
        #expect(RecordPresentation.content(of: "10 Mail.Example.test.", type: .mx) == ("mail.example.test", 10))
    }
}

/// Passes requests on, but kills the server just before the first PATCH: the write of a merge never arrives.
final class KillBeforeWrite: HTTPTransport, @unchecked Sendable {
    let inner = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
    let server: PowerDNSServer
    let lock = NSLock()
    var killed = false

    init(_ server: PowerDNSServer) { self.server = server }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.method == "PATCH" {
            let first = lock.withLock {
                defer { killed = true }
                return !killed
            }
            if first { server.kill() }
        }
        return try await inner.send(request)
    }
}

@Suite("powerdns when the server dies mid-merge")
struct PowerDNSCrashTests {
    @Test func killedBetweenReadAndWriteLeavesTheSetIntact() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("crash.test")
        let client = try powerDNSClient(server, domain: "crash.test", extra: ["pdns_disable_notify": "true"])
        for value in ["one", "two", "three"] {
            try await client.createRecord(type: .txt, name: "_acme-challenge", content: value)
        }
        let context = try ProviderContext(
            providerName: "powerdns", zone: "crash.test",
            config: ConfigResolver().withDict([
                "powerdns": .mapping([
                    "auth_token": .value(server.apiKey), "pdns_server": .value(server.apiURL),
                    "pdns_disable_notify": "true",
                ])
            ]))
        let provider = try PowerDNSProvider(context: context, transport: KillBeforeWrite(server))
        do {
            _ = try await provider.createRecord(
                RecordInput(type: .txt, name: "_acme-challenge.crash.test", content: "four"))
            Issue.record("the write reached a dead server")
        } catch let error as LexiconError {
            #expect(error.code == .network)
        }
        try await server.restart()
        let after = try await client.listRecords(type: .txt, name: "_acme-challenge")
        #expect(Set(after.map(\.content)) == ["one", "two", "three"])
        #expect(await dig(server, "_acme-challenge.crash.test", "TXT") == ["\"one\"", "\"three\"", "\"two\""])
    }
}
