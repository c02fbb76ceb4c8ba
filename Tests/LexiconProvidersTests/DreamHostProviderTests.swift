import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func dreamHostClient(_ fake: DreamHostFake, domain: String, key: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "dreamhost", "domain": .value(domain),
            "dreamhost": .mapping(["auth_token": .value(key ?? fake.key), "api_endpoint": .value(fake.endpoint)]),
        ]), registry: .standard)
}

@Suite("DreamHost provider against its fake")
struct DreamHostProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try DreamHostFake(zones: [domain, "neighbour.example"])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try dreamHostClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func fullNamesStableIdsAndTheFixedTTL() async throws {
        let fake = try DreamHostFake(zones: ["fields.example", "neighbour.example"])
        defer { fake.stop() }
        let client = try dreamHostClient(fake, domain: "fields.example")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example")
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "10 5 5060 sip.fields.example.")
        try await dreamHostClient(fake, domain: "neighbour.example").createRecord(
            type: .a, name: "n", content: "192.0.2.9")
        let stored = fake.stored("fields.example")
        #expect(stored.map(\.record) == ["fields.example", "www.fields.example", "_sip._tcp.fields.example"])
        #expect(stored.first { $0.type == "CNAME" }?.value == "fields.example.")
        #expect(stored.first { $0.type == "SRV" }?.value == "10 5 5060 sip.fields.example.")
        #expect(fake.requests.allSatisfy { $0.method == "GET" && $0.path.contains("format=json") })
        let all = try await client.listRecords()
        #expect(all.allSatisfy { $0.ttl == 14400 && $0.name.hasSuffix("fields.example") })
        #expect(all.contains { $0.type == .ns && $0.content == "ns1.dreamhost.com" }, "DreamHost's own NS records list")
        #expect(all.contains { $0.type == .srv && $0.content == "10 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .cname && $0.content == "fields.example" })
        let again = try await client.listRecords()
        #expect(all.map(\.id) == again.map(\.id), "ids are a stable hash")
    }

    @Test func anotherTTLIsRefusedBeforeAnyRequest() async throws {
        let fake = try DreamHostFake(zones: ["ttl.example"])
        defer { fake.stop() }
        let client = try dreamHostClient(fake, domain: "ttl.example")
        await expectStatus(2, containing: "dreamhost cannot set a TTL: its records always have 14400 seconds") {
            try await client.createRecord(type: .txt, name: "t", content: "v", ttl: 300)
        }
        await expectStatus(2, containing: "Leave --ttl out") {
            try await client.updateRecord(type: .txt, name: "t", content: "v", ttl: 60)
        }
        #expect(fake.requests.isEmpty)
        try await client.createRecord(type: .txt, name: "t", content: "v", ttl: 14400)
        try await client.createRecord(type: .txt, name: "u", content: "v", ttl: 0)
        #expect(fake.stored("ttl.example").count == 2)
    }

    @Test func updateRemovesThenAddsAndRestoresAFailedAdd() async throws {
        let fake = try DreamHostFake(zones: ["upd.example"])
        defer { fake.stop() }
        let client = try dreamHostClient(fake, domain: "upd.example")
        try await client.createRecord(type: .txt, name: "t", content: "one")
        try await client.updateRecord(type: .txt, name: "t", content: "two")
        #expect(fake.stored("upd.example").map(\.value) == ["two"])
        let commands = fake.requests.compactMap { FakeRequest($0).parameters["cmd"] }.filter {
            $0 != "dns-list_records"
        }
        #expect(commands == ["dns-add_record", "dns-remove_record", "dns-add_record"])
        // A rename onto a name that holds a CNAME: the add fails, the old value comes back.
        try await client.createRecord(type: .cname, name: "alias", content: "upd.example")
        let id = try #require(try await client.listRecords(type: .txt, name: "t").first?.id)
        await expectStatus(1, containing: "the old value was put back") {
            try await client.updateRecord(identifier: id, type: .txt, name: "alias", content: "two")
        }
        #expect(fake.stored("upd.example").contains { $0.record == "t.upd.example" && $0.value == "two" })
        // When putting it back fails too, the message says the record is gone.
        fake.failAdds(["internal_error", "internal_error"])
        await expectStatus(1, containing: "putting the old value back failed too") {
            try await client.updateRecord(type: .txt, name: "t", content: "three")
        }
        #expect(!fake.stored("upd.example").contains { $0.record == "t.upd.example" })
    }

    @Test func existingValuesConflictsAndRecordsAlreadyGone() async throws {
        let fake = try DreamHostFake(zones: ["race.example"])
        defer { fake.stop() }
        let provider = try DreamHostProvider(
            context: ProviderContext(
                providerName: "dreamhost", zone: "race.example",
                config: ConfigResolver().withDict([
                    "dreamhost": .mapping(["auth_token": .value(fake.key), "api_endpoint": .value(fake.endpoint)])
                ])))
        let record = Record(type: .txt, name: "same.race.example", ttl: 14400, content: "value")
        try await provider.add(record)
        // What a writer that listed before the first create sends: record_already_exists_remove_first.
        try await provider.add(record)
        #expect(fake.stored("race.example").count == 1)
        try await provider.add(Record(type: .cname, name: "c.race.example", ttl: 14400, content: "race.example"))
        await expectStatus(1, containing: "DreamHost answered CNAME_already_on_record") {
            try await provider.add(Record(type: .txt, name: "c.race.example", ttl: 14400, content: "v"))
        }
        let entry = try #require(try await provider.fetch(type: .txt, name: nil).first { $0.record.type == .txt })
        try await provider.remove(entry.nativeID)
        try await provider.remove(entry.nativeID)
        #expect(fake.stored("race.example").map(\.type) == ["CNAME"])
    }

    @Test func wrongKeyUnknownZoneAndRateLimit() async throws {
        let fake = try DreamHostFake(zones: ["known.example"], commandLimit: 3)
        defer { fake.stop() }
        await expectStatus(3, containing: "DreamHost answered invalid_api_key") {
            try await dreamHostClient(fake, domain: "known.example", key: "WRONG").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await dreamHostClient(fake, domain: "other.example").authenticate()
        }
        let client = try dreamHostClient(fake, domain: "known.example")
        _ = try await client.listRecords()
        await expectStatus(1, containing: "slow_down_bucko: You have exceeded the hourly limit (rate limited)") {
            _ = try await client.listRecords()
        }
    }

    @Test func commandLineKeepsTheKeyOutOfDebugTraces() async throws {
        let fake = try DreamHostFake(zones: ["example.com"])
        defer { fake.stop() }
        let arguments = [
            "dreamhost", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "token",
            "--api-endpoint", fake.endpoint, "--log-level", "DEBUG",
        ]
        let created = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_DREAMHOST_AUTH_TOKEN": fake.key])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("key=<redacted>"), "\(created.stderr)")
        for output in [created.stdout, created.stderr] { #expect(!output.contains(fake.key)) }
        #expect(fake.stored("example.com").map(\.value) == ["token"])
        let ttl = await CommandRunner.run(
            Testbed.lexiconBinary, arguments + ["--ttl", "60"], environment: ["LEXICON_DREAMHOST_AUTH_TOKEN": fake.key])
        #expect(ttl.status == 2 && ttl.stderr.contains("14400"), "\(ttl.stderr)")
    }
}
