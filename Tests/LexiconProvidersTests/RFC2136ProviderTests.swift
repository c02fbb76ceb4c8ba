import DNSWire
import Foundation
import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

/// Starts BIND with the zones, or returns nil after recording why (a failure under LEXICON_REQUIRE_TESTBED=1).
func startBIND(_ zones: [String], algorithm: TSIGAlgorithm = .hmacSHA256) async throws -> BINDServer? {
    if let missing = BINDServer.missing {
        if Testbed.isRequired {
            Issue.record("BIND testbed required but \(missing)")
        } else {
            print("skipping BIND test: \(missing)")
        }
        return nil
    }
    return try await BINDServer(zones: zones, algorithm: algorithm)
}

func rfc2136Client(domain: String, server: DNSServerAddress, options: [String: ConfigValue]) throws -> Client {
    var all: [String: ConfigValue] = ["ddns_server": .value(server.description), "ddns_timeout": "2"]
    all.merge(options) { _, new in new }
    let config = ConfigResolver().withDict([
        "provider_name": "ddns", "domain": .value(domain), "ddns": .mapping(all),
    ])
    return try Client(config: config, registry: .standard)
}

/// What the server itself answers for a name and type, as sorted presentation-format values.
func served(_ server: DNSServerAddress, _ name: String, _ type: DNSType) async throws -> [String] {
    let client = DNSClient(servers: [server], timeout: 2)
    let answer = try await client.exchange(DNSMessage.query(try DNSName(name), type))
    return answer.answers.filter { $0.type == type }.map(\.rdataText).sorted()
}

@Suite("rfc2136 against BIND and PowerDNS")
struct RFC2136ProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformanceOnBIND(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        guard let bind = try await startBIND([domain]) else { return }
        defer { bind.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try rfc2136Client(domain: name, server: bind.address, options: ["auth_token": .value(bind.keyToken)])
        }
        do {
            try await suite.run(group)
        } catch {
            // The server's own log says why it refused or failed.
            print(bind.log.split(separator: "\n").suffix(15).joined(separator: "\n"))
            throw error
        }
        #expect(try await ServedZone.mismatches(bind.address, zone: domain, key: bind.key) == [])
    }

    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformanceOnPowerDNS(_ group: ProviderConformanceSuite.Group) async throws {
        guard let pdns = try await startPowerDNS() else { return }
        defer { pdns.stop() }
        let domain = "\(group.rawValue.lowercased()).example"
        try await pdns.createZone(domain, dnsUpdate: true)
        let address = DNSServerAddress(host: "127.0.0.1", port: pdns.dnsPort)
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try rfc2136Client(domain: name, server: address, options: ["auth_token": .value(pdns.keyToken)])
        }
        try await suite.run(group)
        #expect(try await ServedZone.mismatches(address, zone: domain, key: pdns.key) == [])
    }

    @Test func keyFileFromTsigKeygenWorks() async throws {
        guard let bind = try await startBIND(["keyfile.example"], algorithm: .hmacSHA512) else { return }
        defer { bind.stop() }
        let client = try rfc2136Client(
            domain: "keyfile.example", server: bind.address, options: ["auth_key_file": .value(bind.keyFile)])
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "from a key file")
        #expect(try await served(bind.address, "_acme-challenge.keyfile.example", .txt) == ["\"from a key file\""])
    }

    @Test(arguments: [TSIGAlgorithm.hmacMD5, .hmacSHA1, .hmacSHA256, .hmacSHA384, .hmacSHA512])
    func everyAlgorithmSignsAndVerifies(_ algorithm: TSIGAlgorithm) async throws {
        guard let bind = try await startBIND(["alg.example"], algorithm: algorithm) else { return }
        defer { bind.stop() }
        let client = try rfc2136Client(
            domain: "alg.example", server: bind.address, options: ["auth_token": .value(bind.keyToken)])
        try await client.createRecord(type: .a, name: "host", content: "192.0.2.7")
        #expect(try await client.listRecords(type: .a, name: "host").map(\.content) == ["192.0.2.7"])
    }

    @Test func wrongSecretIsAnAuthenticationError() async throws {
        guard let bind = try await startBIND(["badkey.example"]) else { return }
        defer { bind.stop() }
        let wrong = "hmac-sha256:lexicon-test-key:" + Data(repeating: 7, count: 32).base64EncodedString()
        let client = try rfc2136Client(
            domain: "badkey.example", server: bind.address, options: ["auth_token": .value(wrong)])
        await expectAuthenticationError(containing: "BADSIG") {
            try await client.createRecord(type: .txt, name: "x", content: "y")
        }
        #expect(try await served(bind.address, "x.badkey.example", .txt).isEmpty)
    }

    @Test func wrongAlgorithmIsAnAuthenticationError() async throws {
        guard let bind = try await startBIND(["badalg.example"]) else { return }
        defer { bind.stop() }
        let secret = bind.keyToken.split(separator: ":")[2]
        let client = try rfc2136Client(
            domain: "badalg.example", server: bind.address,
            options: ["auth_token": .value("hmac-sha512:lexicon-test-key:\(secret)")])
        await expectAuthenticationError(containing: "lexicon-test-key") {
            try await client.createRecord(type: .txt, name: "x", content: "y")
        }
    }

    @Test func unsignedUpdateIsRefused() async throws {
        guard let bind = try await startBIND(["unsigned.example"]) else { return }
        defer { bind.stop() }
        let client = try rfc2136Client(domain: "unsigned.example", server: bind.address, options: [:])
        await expectAuthenticationError(containing: "REFUSED") {
            try await client.deleteRecord(type: .a, name: "ns1", content: "127.0.0.1")
        }
    }

    @Test func unknownZoneSaysNoDomainFound() async throws {
        guard let bind = try await startBIND(["known.example"]) else { return }
        defer { bind.stop() }
        let client = try rfc2136Client(
            domain: "unknown.example", server: bind.address, options: ["auth_token": .value(bind.keyToken)])
        do {
            try await client.authenticate()
            Issue.record("an unknown zone was accepted")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3)
            #expect(error.message.hasPrefix("No domain found for unknown.example"))
        }
    }

    @Test func serverAddressForms() throws {
        #expect(try DNSServerAddress(parsing: "192.0.2.1") == DNSServerAddress(host: "192.0.2.1", port: 53))
        #expect(try DNSServerAddress(parsing: "ns1.example:5353") == DNSServerAddress(host: "ns1.example", port: 5353))
        #expect(
            try DNSServerAddress(parsing: "[2001:db8::1]:5300") == DNSServerAddress(host: "2001:db8::1", port: 5300))
        #expect(try DNSServerAddress(parsing: "2001:db8::1") == DNSServerAddress(host: "2001:db8::1", port: 53))
        #expect(throws: DNSWireError.self) { try DNSServerAddress(parsing: "host:99999") }
        #expect(throws: DNSWireError.self) { try DNSServerAddress(parsing: "[::1:53") }
        #expect(try DNSServerAddress.list(parsing: "a:5300,[::1]:53", code: .config, setting: "--x").count == 2)
        #expect(try DNSServerAddress.list(parsing: "", code: .config, setting: "--x").isEmpty)
        #expect(throws: LexiconError.self) { try DNSServerAddress.list(parsing: ",", code: .config, setting: "--x") }
    }
}

func expectAuthenticationError(containing text: String, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected an authentication error")
    } catch let error as LexiconError {
        #expect(error.code.exitStatus == 3, "\(error)")
        #expect(error.description.contains(text), "\(error)")
    } catch {
        Issue.record("unexpected error \(error)")
    }
}
