import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func linodeClient(_ fake: LinodeFake, domain: String, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "linode4", "domain": .value(domain),
            "linode4": .mapping(["auth_token": .value(token ?? fake.token), "api_endpoint": .value(fake.endpoint)]),
        ]), registry: .standard)
}

@Suite("linode4 against its fake")
struct LinodeProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try LinodeFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try linodeClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func ttlsSnapUpToLinodeStepsAndAreReportedAsServed() async throws {
        let fake = try LinodeFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try linodeClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .a, name: "a", content: "192.0.2.1", ttl: 600)
        try await client.createRecord(type: .a, name: "b", content: "192.0.2.2", ttl: 300)
        #expect(Set(fake.stored("ttl.example").map(\.ttl)) == [3600, 300])
        let listed = try await client.listRecords(type: .a)
        #expect(Set(listed.map(\.ttl)) == [3600, 300])
        // Creating the same value again with the TTL as asked is recognised as already there.
        try await client.createRecord(type: .a, name: "a", content: "192.0.2.1", ttl: 600)
        #expect(fake.stored("ttl.example").count == 2)
    }

    @Test func srvGoesInServiceAndProtocolAndTokenErrorsAreStatusThree() async throws {
        let fake = try LinodeFake(domains: ["srv.example"])
        defer { fake.stop() }
        let client = try linodeClient(fake, domain: "srv.example")
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "10 5 5060 sip.srv.example")
        let stored = try #require(fake.stored("srv.example").first)
        #expect([stored.service, stored.proto] == ["sip", "tcp"])
        #expect(try await client.listRecords(type: .srv).map(\.content) == ["10 5 5060 sip.srv.example"])
        await expectStatus(3, containing: "LEXICON_LINODE4_AUTH_TOKEN") {
            try await linodeClient(fake, domain: "srv.example", token: "nope").authenticate()
        }
        await expectStatus(3, containing: "No domain found for missing.example") {
            try await linodeClient(fake, domain: "missing.example").authenticate()
        }
    }
}
