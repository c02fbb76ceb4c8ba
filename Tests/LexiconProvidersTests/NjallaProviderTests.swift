import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func njallaClient(_ fake: NjallaFake, domain: String, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "njalla", "domain": .value(domain),
            "njalla": .mapping(["auth_token": .value(token ?? fake.token), "api_endpoint": .value(fake.endpoint)]),
        ]), registry: .standard)
}

@Suite("njalla against its fake")
struct NjallaProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try NjallaFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try njallaClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func everyCallIsAPOSTOfMethodAndParamsWithTheNjallaHeader() async throws {
        let fake = try NjallaFake(domains: ["calls.example"])
        defer { fake.stop() }
        let client = try njallaClient(fake, domain: "calls.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        #expect(fake.requests.allSatisfy { $0.method == "POST" && $0.path == "/api/1/" })
        #expect(fake.requests.allSatisfy { $0.header("authorization") == "Njalla " + fake.token })
        let bodies = fake.requests.compactMap { $0.body.flatMap { try? JSONValue(parsing: $0) } }
        #expect(bodies.map { $0["method"]?.string ?? "" } == ["get-domain", "list-records", "add-record"])
        #expect(bodies.allSatisfy { $0["params"]?["domain"]?.string == "calls.example" })
    }

    @Test func fieldsRelativeNamesAndPriorities() async throws {
        let fake = try NjallaFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try njallaClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "say \"hi\"")
        try await client.createRecord(type: .mx, name: "fields.example.", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "TXT" }.map { $0.name == "@" && $0.content == "say \"hi\"" } == true)
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.name == "@" && mx?.content == "mail.fields.example" && mx?.prio == 10)
        let srv = stored.first { $0.type == "SRV" }
        #expect(srv?.content == "sip.fields.example" && srv?.prio == 20 && srv?.weight == 5 && srv?.port == 5060)
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        let srvAdd = fake.requests.compactMap { $0.body.flatMap { try? JSONValue(parsing: $0) } }
            .last { $0["method"]?.string == "add-record" && $0["params"]?["type"]?.string == "SRV" }
        #expect(srvAdd?["params"]?["target"]?.string == "sip.fields.example")
        await expectStatus(2, containing: "priorities 0, 1, 5, 10, 20, 30, 40, 50, 60") {
            try await client.createRecord(type: .mx, name: "@", content: "backup.fields.example", priority: 15)
        }
    }

    @Test func ttlsAreRoundedUpToNjallasListAndEditsKeepTheID() async throws {
        let fake = try NjallaFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try njallaClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1", ttl: 100)
        #expect(fake.stored("ttl.example").first?.ttl == 300)
        let id = try #require(fake.stored("ttl.example").first?.id)
        try await client.updateRecord(type: .a, name: "www", content: "192.0.2.2", ttl: 90000)
        #expect(fake.stored("ttl.example").map { "\($0.id) \($0.content) \($0.ttl)" } == ["\(id) 192.0.2.2 86400"])
    }

    @Test func duplicatesFromElsewhereAreListedAndNotAddedAgain() async throws {
        let fake = try NjallaFake(domains: ["dup.example"])
        defer { fake.stop() }
        fake.seed("dup.example", name: "twice", type: "TXT", content: "same")
        fake.seed("dup.example", name: "twice", type: "TXT", content: "same")
        let client = try njallaClient(fake, domain: "dup.example")
        try await client.createRecord(type: .txt, name: "twice", content: "same")
        #expect(fake.stored("dup.example").count == 2, "a value that is there is not added again")
        await expectStatus(4, containing: "twice.dup.example") {
            try await client.updateRecord(type: .txt, name: "twice", content: "other")
        }
        try await client.deleteRecord(type: .txt, name: "twice", content: "same")
        #expect(fake.stored("dup.example").isEmpty, "delete removes every copy")
    }

    @Test func wrongTokenUnknownDomainAndValidation() async throws {
        let fake = try NjallaFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-token or LEXICON_NJALLA_AUTH_TOKEN") {
            try await njallaClient(fake, domain: "known.example", token: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await njallaClient(fake, domain: "other.example").authenticate()
        }
        let client = try njallaClient(fake, domain: "known.example")
        try await client.createRecord(type: .cname, name: "alias", content: "known.example.")
        await expectStatus(1, containing: "CNAME") {
            try await client.createRecord(type: .txt, name: "alias", content: "beside a CNAME")
        }
    }
}
