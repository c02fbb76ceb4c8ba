import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func gandiClient(_ fake: GandiFake, domain: String, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "gandi", "domain": .value(domain),
            "gandi": .mapping(["auth_token": .value(token ?? fake.token), "api_endpoint": .value(fake.endpoint)]),
        ]), registry: .standard)
}

@Suite("gandi against its fake")
struct GandiProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try GandiFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try gandiClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func legacyKeyAndTokenHeadersAndSetsKeepOtherValues() async throws {
        let fake = try GandiFake(domains: ["sets.example"])
        defer { fake.stop() }
        let withKey = try gandiClient(fake, domain: "sets.example", token: fake.apiKey)
        try await withKey.createRecord(type: .txt, name: "_acme-challenge", content: "one")
        #expect(fake.requests.last?.header("authorization") == "Apikey \(fake.apiKey)")
        let withToken = try gandiClient(fake, domain: "sets.example")
        try await withToken.createRecord(type: .txt, name: "_acme-challenge", content: "two \"quoted\"")
        #expect(fake.requests.last?.header("authorization") == "Bearer \(fake.token)")
        let set = try #require(fake.stored("sets.example").first { $0.name == "_acme-challenge" })
        #expect(set.values == ["\"one\"", "\"two \\\"quoted\\\"\""])
        try await withToken.deleteRecord(type: .txt, name: "_acme-challenge", content: "one")
        #expect(try await withToken.listRecords(type: .txt).map(\.content) == ["two \"quoted\""])
        for index in 0..<4 {
            try await withToken.createRecord(type: .a, name: "h\(index)", content: "192.0.2.\(index)")
        }
        #expect(try await withToken.listRecords().count == 2 + 1 + 4)
    }

    @Test func wrongTokenAndUnknownDomain() async throws {
        let fake = try GandiFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "LEXICON_GANDI_AUTH_TOKEN") {
            try await gandiClient(fake, domain: "known.example", token: "not-a-valid-token-at-all-0000").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await gandiClient(fake, domain: "other.example").authenticate()
        }
    }
}
