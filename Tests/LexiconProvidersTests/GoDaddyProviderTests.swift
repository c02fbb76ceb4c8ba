import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func goDaddyClient(_ fake: GoDaddyFake, domain: String, secret: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "godaddy", "domain": .value(domain),
            "godaddy": .mapping([
                "auth_key": .value(fake.key), "auth_secret": .value(secret ?? fake.secret),
                "api_endpoint": .value(fake.endpoint), "ttl": "3600",
            ]),
        ]), registry: .standard)
}

@Suite("godaddy against its fake")
struct GoDaddyProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try GoDaddyFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try goDaddyClient(fake, domain: name)
        }
        try await suite.run(group)
        // GoDaddy's own records, of types lexicon does not change, survived every operation.
        #expect(fake.stored(domain).filter { $0.type == "SOA" || $0.data.hasSuffix("domaincontrol.com") }.count == 3)
    }

    @Test func anIncompleteReadWritesNothing() async throws {
        let fake = try GoDaddyFake(domains: ["partial.example"])
        defer { fake.stop() }
        let client = try goDaddyClient(fake, domain: "partial.example")
        for index in 0..<4 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let before = fake.stored("partial.example")
        fake.failListing(fromPage: 1)
        do {
            try await client.createRecord(type: .txt, name: "t0", content: "second value")
            Issue.record("a write happened after an incomplete read")
        } catch let error as LexiconError {
            #expect(error.code == .provider)
        }
        #expect(fake.stored("partial.example") == before)
        #expect(
            !fake.requests.contains {
                $0.method == "PUT" && $0.path.hasSuffix("/TXT/t0")
                    && $0.body.map { String(decoding: $0, as: UTF8.self).contains("second") } == true
            })
    }

    @Test func wrongSecretAndUnknownDomain() async throws {
        let fake = try GoDaddyFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "LEXICON_GODADDY_AUTH_SECRET") {
            try await goDaddyClient(fake, domain: "known.example", secret: "nope").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await goDaddyClient(fake, domain: "other.example").authenticate()
        }
    }
}
