import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func hetznerClient(_ fake: HetznerFake, domain: String, legacy: Bool, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "hetzner", "domain": .value(domain),
            "hetzner": .mapping([
                "auth_token": .value(token ?? (legacy ? fake.legacyToken : fake.cloudToken)),
                "api_endpoint": .value(legacy ? fake.legacyEndpoint : fake.cloudEndpoint),
            ]),
        ]), registry: .standard)
}

@Suite("hetzner against its fake (Cloud and legacy DNS API)")
struct HetznerProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases, [false, true])
    func conformance(_ group: ProviderConformanceSuite.Group, legacy: Bool) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try HetznerFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try hetznerClient(fake, domain: name, legacy: legacy)
        }
        try await suite.run(group)
        // Cloud API changes are actions: every one was polled until it took effect.
        #expect(fake.unfinishedActions == 0)
    }

    @Test func tokenLengthPicksTheAPI() async throws {
        let fake = try HetznerFake(zones: ["pick.example"])
        defer { fake.stop() }
        try await hetznerClient(fake, domain: "pick.example", legacy: true).createRecord(
            type: .txt, name: "a", content: "legacy")
        try await hetznerClient(fake, domain: "pick.example", legacy: false).createRecord(
            type: .txt, name: "b", content: "cloud")
        #expect(fake.requests.contains { $0.header("auth-api-token") == fake.legacyToken })
        #expect(fake.requests.contains { $0.path.hasSuffix("/actions/\(1)") || $0.path.contains("/actions/") })
        #expect(
            Set(fake.stored("pick.example").filter { $0.type == "TXT" }.map(\.value)) == ["\"legacy\"", "\"cloud\""])
    }

    @Test func wrongTokenAndUnknownZoneOnBothAPIs() async throws {
        let fake = try HetznerFake(zones: ["known.example"])
        defer { fake.stop() }
        for legacy in [false, true] {
            let wrong = legacy ? String(repeating: "x", count: 32) : String(repeating: "y", count: 64)
            await expectStatus(3, containing: "LEXICON_HETZNER_AUTH_TOKEN") {
                try await hetznerClient(fake, domain: "known.example", legacy: legacy, token: wrong).authenticate()
            }
            await expectStatus(3, containing: "No domain found for other.example") {
                try await hetznerClient(fake, domain: "other.example", legacy: legacy).authenticate()
            }
        }
    }
}
