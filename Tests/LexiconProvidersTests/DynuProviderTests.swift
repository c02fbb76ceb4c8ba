import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func dynuClient(_ fake: DynuFake, domain: String, key: String? = nil, delegated: String? = nil) throws -> Client {
    var values: [String: ConfigValue] = [
        "provider_name": "dynu", "domain": .value(domain),
        "dynu": .mapping(["auth_token": .value(key ?? fake.key), "api_endpoint": .value(fake.endpoint)]),
    ]
    if let delegated { values["delegated"] = .value(delegated) }
    return try Client(config: ConfigResolver().withDict(values), registry: .standard)
}

@Suite("Dynu provider against its fake")
struct DynuProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try DynuFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try dynuClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func typedFieldsNodesAndTheListedSOA() async throws {
        let fake = try DynuFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try dynuClient(fake, domain: "fields.example")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .aaaa, name: "v6", content: "2001:db8::1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 20)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "10 5 5060 sip.fields.example.")
        try await client.createRecord(type: .txt, name: "Quoted", content: "say \"hi\" \\ there")
        let bodies = fake.requests.filter { $0.method == "POST" }.compactMap { FakeRequest($0).jsonObject }
        #expect(bodies.first { $0["recordType"]?.string == "A" }?["nodeName"]?.string == "")
        #expect(bodies.first { $0["recordType"]?.string == "A" }?["ipv4Address"]?.string == "192.0.2.1")
        #expect(bodies.first { $0["recordType"]?.string == "AAAA" }?["ipv6Address"]?.string == "2001:db8::1")
        let mx = bodies.first { $0["recordType"]?.string == "MX" }
        #expect(mx?["host"]?.string == "mail.fields.example" && mx?["priority"]?.int == 20)
        let srv = bodies.first { $0["recordType"]?.string == "SRV" }
        #expect(srv?["port"]?.int == 5060 && srv?["weight"]?.int == 5 && srv?["host"]?.string == "sip.fields.example")
        #expect(bodies.first { $0["recordType"]?.string == "TXT" }?["textData"]?.string == "say \"hi\" \\ there")
        #expect(fake.requests.allSatisfy { $0.header("API-Key") == fake.key })
        let all = try await client.listRecords()
        #expect(
            all.contains { $0.type == .soa && $0.name == "fields.example" && $0.content.hasPrefix("ns1.dynu.com.") })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 20 })
        #expect(all.contains { $0.type == .srv && $0.content == "10 5 5060 sip.fields.example" })
        #expect(
            all.contains {
                $0.type == .txt && $0.name == "quoted.fields.example" && $0.content == "say \"hi\" \\ there"
            })
    }

    @Test func aZoneInsideADynuDomainUsesItsNodes() async throws {
        let fake = try DynuFake(domains: ["ddns.example"])
        defer { fake.stop() }
        let client = try dynuClient(fake, domain: "home.ddns.example", delegated: "home.ddns.example")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token")
        #expect(fake.stored("ddns.example").map(\.node) == ["_acme-challenge.home"])
        #expect(fake.requests.contains { $0.path == "/v2/dns/getroot/home.ddns.example" })
        let listed = try await client.listRecords()
        #expect(listed.map(\.name) == ["_acme-challenge.home.ddns.example"], "the parent's SOA is outside the zone")
    }

    @Test func renameAddsThenRemovesAndUpdatesKeepTheNode() async throws {
        let fake = try DynuFake(domains: ["ids.example"])
        defer { fake.stop() }
        let client = try dynuClient(fake, domain: "ids.example")
        try await client.createRecord(type: .txt, name: "orig", content: "one")
        let first = try #require(fake.stored("ids.example").first?.id)
        try await client.updateRecord(type: .txt, name: "orig", content: "two", ttl: 600)
        #expect(fake.stored("ids.example").map { "\($0.id) \($0.value) \($0.ttl)" } == ["\(first) two 600"])
        let id = try #require(try await client.listRecords(type: .txt, name: "orig").first?.id)
        try await client.updateRecord(identifier: id, type: .txt, name: "renamed", content: "two")
        let moved = try #require(fake.stored("ids.example").first)
        #expect(fake.stored("ids.example").count == 1 && moved.node == "renamed" && moved.id != first)
        #expect(moved.ttl == 600, "the rename keeps the TTL")
    }

    @Test func valuesAlreadyThereAndRecordsAlreadyGone() async throws {
        let fake = try DynuFake(domains: ["race.example"])
        defer { fake.stop() }
        let provider = try DynuProvider(
            context: ProviderContext(
                providerName: "dynu", zone: "race.example",
                config: ConfigResolver().withDict([
                    "dynu": .mapping(["auth_token": .value(fake.key), "api_endpoint": .value(fake.endpoint)])
                ])))
        let record = Record(type: .txt, name: "same.race.example", ttl: 3600, content: "value")
        try await provider.add(record)
        try await provider.add(record)
        #expect(fake.stored("race.example").count == 1)
        let id = try #require(fake.stored("race.example").first?.id)
        try await provider.remove(String(id))
        try await provider.remove(String(id))
        #expect(fake.stored("race.example").isEmpty)
        await expectStatus(1, containing: "Validation Exception: IPv4 address is invalid.") {
            try await provider.add(Record(type: .a, name: "bad.race.example", ttl: 3600, content: "192.0.2.300"))
        }
    }

    @Test func freeAccountLimitIsTooManyEntries() async throws {
        let fake = try DynuFake(domains: ["free.example"], recordLimit: 1)
        defer { fake.stop() }
        let client = try dynuClient(fake, domain: "free.example")
        try await client.createRecord(type: .txt, name: "one", content: "v")
        await expectStatus(1, containing: "too many entries") {
            try await client.createRecord(type: .txt, name: "two", content: "v")
        }
    }

    @Test func wrongKeyUnknownDomainAndCase() async throws {
        let fake = try DynuFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-token") {
            try await dynuClient(fake, domain: "known.example", key: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await dynuClient(fake, domain: "other.example").authenticate()
        }
        try await dynuClient(fake, domain: "KNOWN.Example").authenticate()
        try await dynuClient(fake, domain: "known.example").createRecord(type: .txt, name: "Upper", content: "x")
        #expect(try await dynuClient(fake, domain: "Known.Example").listRecords(type: .txt, name: "UPPER").count == 1)
    }

    @Test func commandLineKeepsTheKeyOutOfDebugTraces() async throws {
        let fake = try DynuFake(domains: ["example.com"])
        defer { fake.stop() }
        let arguments = [
            "dynu", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "token",
            "--api-endpoint", fake.endpoint, "--log-level", "DEBUG",
        ]
        let created = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_DYNU_AUTH_TOKEN": fake.key])
        #expect(created.status == 0, "\(created.stderr)")
        for output in [created.stdout, created.stderr] { #expect(!output.contains(fake.key)) }
        #expect(fake.stored("example.com").map(\.value) == ["token"])
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_DYNU_AUTH_TOKEN": "not-the-key-4711"])
        #expect(wrong.status == 3 && wrong.stderr.contains("--auth-token"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("not-the-key-4711"))
    }
}
