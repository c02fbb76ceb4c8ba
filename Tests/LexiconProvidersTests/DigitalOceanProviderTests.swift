import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func digitalOceanClient(_ fake: DigitalOceanFake, domain: String, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "digitalocean", "domain": .value(domain),
            "digitalocean": .mapping(["auth_token": .value(token ?? fake.token), "api_endpoint": .value(fake.endpoint)]
            ),
        ]), registry: .standard)
}

@Suite("digitalocean against its fake")
struct DigitalOceanProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try DigitalOceanFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try digitalOceanClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func followsNextLinksAndMapsFields() async throws {
        let fake = try DigitalOceanFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try digitalOceanClient(fake, domain: "fields.example")
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "10 5 5060 sip.fields.example")
        try await client.createRecord(type: .caa, name: "@", content: "0 issue \"letsencrypt.org\"")
        for index in 0..<5 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "SRV" }.map { [$0.priority, $0.weight, $0.port] } == [10, 5, 5060])
        #expect(stored.first { $0.type == "SRV" }?.data == "sip.fields.example.")
        #expect(
            stored.first { $0.type == "CAA" }.map { "\($0.flags!) \($0.tag!) \($0.data)" } == "0 issue letsencrypt.org")
        let all = try await client.listRecords()
        #expect(all.count == 3 + 2 + 5)
        #expect(all.contains { $0.type == .srv && $0.content == "10 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .caa && $0.content == "0 issue \"letsencrypt.org\"" })
        #expect(fake.requests.contains { $0.path.contains("page=4") })
    }

    @Test func wrongTokenAndUnknownDomain() async throws {
        let fake = try DigitalOceanFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "LEXICON_DIGITALOCEAN_AUTH_TOKEN") {
            try await digitalOceanClient(fake, domain: "known.example", token: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await digitalOceanClient(fake, domain: "other.example").authenticate()
        }
    }
}

func expectStatus(_ status: Int32, containing text: String, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected exit status \(status)")
    } catch let error as LexiconError {
        #expect(error.code.exitStatus == status, "\(error)")
        #expect(error.commandLineDescription.contains(text), "\(error.commandLineDescription)")
    } catch {
        Issue.record("unexpected error \(error)")
    }
}
