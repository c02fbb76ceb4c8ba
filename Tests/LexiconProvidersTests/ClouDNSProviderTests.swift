import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func clouDNSClient(
    _ fake: ClouDNSFake, domain: String, identity: [String: String]? = nil, password: String? = nil,
    extra: [String: String] = [:]
) throws -> Client {
    var options = (identity ?? ["auth_id": fake.authID]).mapValues { ConfigValue.value($0) }
    options["auth_password"] = .value(password ?? fake.password)
    options["api_endpoint"] = .value(fake.endpoint)
    for (key, value) in extra { options[key] = .value(value) }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "cloudns", "domain": .value(domain), "cloudns": .mapping(options),
        ]), registry: .standard)
}

@Suite("ClouDNS provider against its fake")
struct ClouDNSProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try ClouDNSFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try clouDNSClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func relativeHostsSeparateSRVFieldsAndStringNumbers() async throws {
        let fake = try ClouDNSFake(zones: ["fields.example"])
        defer { fake.stop() }
        let client = try clouDNSClient(fake, domain: "fields.example")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 20)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "10 5 5060 sip.fields.example.")
        try await client.createRecord(type: .txt, name: "Quoted", content: "say \"hi\" & more")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "A" }?.host == "")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.record == "mail.fields.example" && mx?.priority == 20)
        let srv = stored.first { $0.type == "SRV" }
        #expect(srv?.record == "sip.fields.example" && srv?.priority == 10 && srv?.weight == 5 && srv?.port == 5060)
        #expect(stored.first { $0.type == "TXT" }.map { "\($0.host) \($0.record)" } == "quoted say \"hi\" & more")
        // Writes are form POSTs with the password in the body, never in the URL.
        let writes = fake.requests.filter { $0.path.contains("add-record") }
        #expect(writes.count == 4 && writes.allSatisfy { $0.method == "POST" && !$0.path.contains("auth-password") })
        #expect(fake.requests.filter { $0.method == "GET" }.allSatisfy { $0.path.contains("auth-id=") })
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .a && $0.name == "fields.example" && $0.ttl == 3600 })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 20 })
        #expect(all.contains { $0.type == .srv && $0.content == "10 5 5060 sip.fields.example" })
    }

    @Test func weightAndPortOptionsOverrideTheSRVContent() async throws {
        let fake = try ClouDNSFake(zones: ["srv.example"])
        defer { fake.stop() }
        let client = try clouDNSClient(fake, domain: "srv.example", extra: ["weight": "7", "port": "443"])
        try await client.createRecord(type: .srv, name: "_h._tcp", content: "1 5 5060 h.srv.example")
        let srv = try #require(fake.stored("srv.example").first)
        #expect(srv.priority == 1 && srv.weight == 7 && srv.port == 443)
    }

    @Test func roundsTTLsUpToClouDNSList() async throws {
        let fake = try ClouDNSFake(zones: ["ttl.example"])
        defer { fake.stop() }
        let client = try clouDNSClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .txt, name: "a", content: "v", ttl: 350)
        try await client.createRecord(type: .txt, name: "b", content: "v", ttl: 1)
        try await client.createRecord(type: .txt, name: "c", content: "v", ttl: 99_999_999)
        #expect(fake.stored("ttl.example").map(\.ttl) == [900, 60, 2_592_000])
        try await client.updateRecord(type: .txt, name: "a", content: "w", ttl: 4000)
        #expect(fake.stored("ttl.example").first?.ttl == 21600)
    }

    @Test func readsEveryPageAndStopsOnARepeatedOne() async throws {
        let fake = try ClouDNSFake(zones: ["pages.example"])
        defer { fake.stop() }
        fake.seed("pages.example", count: 230)
        let client = try clouDNSClient(fake, domain: "pages.example")
        #expect(try await client.listRecords(type: .txt).count == 230)
        let pages = fake.requests.filter { $0.path.contains("/records.json") }.map { FakeRequest($0).parameters }
        #expect(pages.map { $0["page"] } == ["1", "2", "3"] && pages.allSatisfy { $0["rows-per-page"] == "100" })
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") {
            _ = try await client.listRecords()
        }
    }

    @Test func emptyZoneListsNothing() async throws {
        let fake = try ClouDNSFake(zones: ["empty.example"])
        defer { fake.stop() }
        #expect(try await clouDNSClient(fake, domain: "empty.example").listRecords().isEmpty)
    }

    @Test func subUsersWrongCredentialsAndUnknownZone() async throws {
        let fake = try ClouDNSFake(zones: ["known.example"])
        defer { fake.stop() }
        try await clouDNSClient(fake, domain: "known.example", identity: ["auth_subid": fake.subID]).authenticate()
        try await clouDNSClient(fake, domain: "known.example", identity: ["auth_subuser": fake.subUser]).authenticate()
        #expect(fake.requests.contains { $0.path.contains("sub-auth-id=\(fake.subID)") })
        #expect(fake.requests.contains { $0.path.contains("sub-auth-user=\(fake.subUser)") })
        await expectStatus(3, containing: "--auth-id and --auth-password") {
            try await clouDNSClient(fake, domain: "known.example", password: "wrong").authenticate()
        }
        await expectStatus(3, containing: "--auth-subuser") {
            try await clouDNSClient(fake, domain: "known.example", identity: ["auth_subuser": "nobody"])
                .authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await clouDNSClient(fake, domain: "other.example").authenticate()
        }
        for identity in [[:], ["auth_id": fake.authID, "auth_subid": fake.subID]] {
            await expectStatus(2, containing: "exactly one of auth_id, auth_subid and auth_subuser") {
                _ = try await clouDNSClient(fake, domain: "known.example", identity: identity).listRecords()
            }
        }
        await expectStatus(1, containing: "ClouDNS answered \"Invalid IP address.\"") {
            let provider = try ClouDNSProvider(
                context: ProviderContext(
                    providerName: "cloudns", zone: "known.example",
                    config: ConfigResolver().withDict([
                        "cloudns": .mapping([
                            "auth_id": .value(fake.authID), "auth_password": .value(fake.password),
                            "api_endpoint": .value(fake.endpoint),
                        ])
                    ])))
            try await provider.add(Record(type: .a, name: "bad.known.example", ttl: 3600, content: "192.0.2.300"))
        }
    }

    @Test func commandLineKeepsThePasswordOutOfDebugTraces() async throws {
        let fake = try ClouDNSFake(zones: ["example.com"])
        defer { fake.stop() }
        let arguments = [
            "cloudns", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "token",
            "--auth-id", fake.authID, "--api-endpoint", fake.endpoint, "--log-level", "DEBUG",
        ]
        let created = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_CLOUDNS_AUTH_PASSWORD": fake.password])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("records.json"), "DEBUG traces the requests: \(created.stderr)")
        for output in [created.stdout, created.stderr] { #expect(!output.contains(fake.password)) }
        #expect(fake.stored("example.com").map(\.record) == ["token"])
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_CLOUDNS_AUTH_PASSWORD": "not-it-4711"])
        #expect(wrong.status == 3 && wrong.stderr.contains("--auth-password"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("not-it-4711"))
    }
}
