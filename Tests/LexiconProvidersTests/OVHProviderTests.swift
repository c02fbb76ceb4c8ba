import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func ovhClient(_ fake: OVHFake, domain: String, secret: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "ovh", "domain": .value(domain),
            "ovh": .mapping([
                "auth_application_key": .value(fake.applicationKey),
                "auth_application_secret": .value(secret ?? fake.applicationSecret),
                "auth_consumer_key": .value(fake.consumerKey), "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("ovh against its fake")
struct OVHProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try OVHFake(zones: [domain], skew: 600)
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try ovhClient(fake, domain: name)
        }
        try await suite.run(group)
        // Every change was applied with a refresh: what the zone serves is what was edited.
        #expect(fake.applied(domain) == fake.stored(domain))
    }

    @Test func signsWithTheServerClockAndRefreshes() async throws {
        let fake = try OVHFake(zones: ["signed.example"], skew: -3600)
        defer { fake.stop() }
        let client = try ovhClient(fake, domain: "signed.example")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token")
        #expect(fake.applied("signed.example").contains { $0.target == "\"token\"" })
        #expect(fake.requests.filter { $0.path.hasSuffix("/refresh") }.count == 1)
        #expect(fake.requests.filter { $0.path.hasSuffix("/auth/time") }.count == 1)
    }

    @Test func wrongSecretIsStatusThreeAndUnknownZoneSaysSo() async throws {
        let fake = try OVHFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-application-secret") {
            try await ovhClient(fake, domain: "known.example", secret: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await ovhClient(fake, domain: "other.example").authenticate()
        }
    }
}
