import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func nsoneClient(_ fake: NSOneFake, domain: String, key: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "nsone", "domain": .value(domain),
            "nsone": .mapping(["auth_token": .value(key ?? fake.key), "api_endpoint": .value(fake.endpoint)]),
        ]), registry: .standard)
}

@Suite("NSOne against its fake")
struct NSOneProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try NSOneFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try nsoneClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func answersAreFieldListsAndSetsKeepOtherValues() async throws {
        let fake = try NSOneFake(zones: ["sets.example"])
        defer { fake.stop() }
        let client = try nsoneClient(fake, domain: "sets.example")
        try await client.createRecord(type: .mx, name: "@", content: "mail.sets.example", priority: 10)
        #expect(fake.requests.contains { $0.method == "PUT" })
        #expect(fake.requests.allSatisfy { $0.header("x-nsone-key") == fake.key })
        try await client.createRecord(type: .mx, name: "@", content: "backup.sets.example", priority: 20)
        #expect(fake.requests.contains { $0.method == "POST" })
        let mx = try #require(fake.stored("sets.example").first { $0.type == "MX" })
        #expect(mx.domain == "sets.example")
        #expect(mx.answers == [[.int(10), .string("mail.sets.example")], [.int(20), .string("backup.sets.example")]])
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "two \"quoted\" words")
        let txt = try #require(fake.stored("sets.example").first { $0.type == "TXT" })
        #expect(txt.domain == "_acme-challenge.sets.example")
        #expect(txt.answers == [[.string("two \"quoted\" words")]])
        let records = try await client.listRecords(type: .mx)
        #expect(Set(records.map(\.content)) == ["mail.sets.example", "backup.sets.example"])
        #expect(Set(records.compactMap(\.priority)) == [10, 20])
        #expect(try await client.listRecords(type: .txt).map(\.content) == ["two \"quoted\" words"])
        try await client.deleteRecord(type: .mx, name: "@", content: "mail.sets.example")
        #expect(try await client.listRecords(type: .mx).map(\.content) == ["backup.sets.example"])
    }

    @Test func wrongKeyAndUnknownZone() async throws {
        let fake = try NSOneFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-token") {
            try await nsoneClient(fake, domain: "known.example", key: "not-the-key").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await nsoneClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func aSetCreatedMeanwhileIsAConflict() async throws {
        let fake = try NSOneFake(zones: ["race.example"])
        defer { fake.stop() }
        let context = try ProviderContext(
            providerName: "nsone", zone: "race.example",
            config: ConfigResolver().withDict([
                "nsone": .mapping(["auth_token": .value(fake.key), "api_endpoint": .value(fake.endpoint)])
            ]))
        let provider = try NSOneProvider(context: context)
        let record = Record(type: .a, name: "www.race.example", ttl: 3600, content: "192.0.2.1")
        try await provider.putSet(name: record.name, type: .a, ttl: 3600, values: [record], current: nil)
        // What a writer that read before the first create sends: a PUT NS1 refuses with "record already exists".
        await #expect {
            try await provider.putSet(name: record.name, type: .a, ttl: 3600, values: [record], current: nil)
        } throws: { ($0 as? LexiconError)?.code == .conflict }
        let bad = Record(type: .a, name: "bad.race.example", ttl: 3600, content: "not-an-address")
        await #expect(throws: LexiconError.self) {
            try await provider.putSet(name: bad.name, type: .a, ttl: 3600, values: [bad], current: nil)
        }
    }
}
