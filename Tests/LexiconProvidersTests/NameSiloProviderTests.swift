import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func nameSiloClient(_ fake: NameSiloFake, domain: String, key: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "namesilo", "domain": .value(domain),
            "namesilo": .mapping([
                "auth_token": .value(key ?? fake.key), "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("NameSilo provider against its fake")
struct NameSiloProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try NameSiloFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try nameSiloClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func relativeHostsOutFullNamesInDistanceAndTargets() async throws {
        let fake = try NameSiloFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try nameSiloClient(fake, domain: "fields.example")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 20)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        try await client.createRecord(type: .txt, name: "Mixed", content: "say \"hi\" & <more>")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "A" }?.host == "")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.host == "" && mx?.value == "mail.fields.example" && mx?.distance == 20)
        let srv = stored.first { $0.type == "SRV" }
        #expect(srv?.host == "_sip._tcp" && srv?.value == "5 5060 sip.fields.example" && srv?.distance == 20)
        #expect(stored.first { $0.type == "CNAME" }?.value == "fields.example")
        #expect(stored.first { $0.type == "TXT" }.map { "\($0.host) \($0.value)" } == "mixed say \"hi\" & <more>")
        let adds = fake.requests.filter { $0.path.contains("/dnsAddRecord?") }.map { FakeRequest($0).parameters }
        #expect(adds.first?["rrhost"] == "", "the apex is sent as an empty host")
        #expect(adds.allSatisfy { $0["version"] == "1" && $0["type"] == "xml" && $0["domain"] == "fields.example" })
        #expect(adds.first { $0["rrtype"] == "MX" }?["rrdistance"] == "20")
        #expect(adds.allSatisfy { $0["rrttl"] == "3600" })
        #expect(fake.requests.allSatisfy { $0.method == "GET" })
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .a && $0.name == "fields.example" && $0.content == "192.0.2.1" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 20 })
        #expect(all.contains { $0.type == .srv && $0.name == "_sip._tcp.fields.example" })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .txt && $0.name == "mixed.fields.example" && $0.content.contains("<more>") })
        // The listing gives full names.
        let listing = try await raw(fake, "dnsListRecords?version=1&type=xml&key=\(fake.key)&domain=fields.example")
        let hosts = listing.find("reply")?.all("resource_record").compactMap { $0.child("host")?.text } ?? []
        #expect(hosts.contains("fields.example") && hosts.contains("www.fields.example"))
    }

    @Test func updatesAndDeletesByRecordID() async throws {
        let fake = try NameSiloFake(domains: ["ids.example"])
        defer { fake.stop() }
        let client = try nameSiloClient(fake, domain: "ids.example")
        try await client.createRecord(type: .txt, name: "t", content: "one")
        let first = try #require(fake.stored("ids.example").first?.id)
        try await client.updateRecord(type: .txt, name: "t", content: "two")
        let updated = try #require(fake.stored("ids.example").first)
        #expect(updated.value == "two" && updated.id != first, "an update issues a new record_id")
        let update = try #require(fake.requests.last { $0.path.contains("/dnsUpdateRecord?") })
        #expect(FakeRequest(update).parameters["rrid"] == first && FakeRequest(update).parameters["rrhost"] == "t")
        try await client.deleteRecord(type: .txt, name: "t", content: "two")
        #expect(fake.stored("ids.example").isEmpty)
        #expect(fake.requests.contains { $0.path.contains("/dnsDeleteRecord?") && $0.path.contains(updated.id) })
    }

    @Test func raisesTTLsToTheMinimum() async throws {
        let fake = try NameSiloFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try nameSiloClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .txt, name: "short", content: "v", ttl: 60)
        #expect(fake.stored("ttl.example").first?.ttl == 3600)
        try await client.updateRecord(type: .txt, name: "short", content: "w", ttl: 120)
        #expect(fake.stored("ttl.example").map(\.ttl) == [3600])
        try await client.createRecord(type: .txt, name: "long", content: "v", ttl: 86400)
        #expect(try await client.listRecords(type: .txt).map(\.ttl).sorted() == [3600, 86400])
    }

    @Test func emptyZoneListsNothing() async throws {
        let fake = try NameSiloFake(domains: ["empty.example"])
        defer { fake.stop() }
        #expect(try await nameSiloClient(fake, domain: "empty.example").listRecords().isEmpty)
    }

    @Test func wrongKeyAndUnknownDomain() async throws {
        let fake = try NameSiloFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-token") {
            try await nameSiloClient(fake, domain: "known.example", key: "wrong").authenticate()
        }
        await expectStatus(3, containing: "Invalid API Key (code 110)") {
            _ = try await nameSiloClient(fake, domain: "known.example", key: "wrong").listRecords()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await nameSiloClient(fake, domain: "other.example").authenticate()
        }
        let provider = try NameSiloProvider(
            context: ProviderContext(
                providerName: "namesilo", zone: "known.example",
                config: ConfigResolver().withDict([
                    "namesilo": .mapping(["auth_token": .value(fake.key), "api_endpoint": .value(fake.endpoint)])
                ])))
        await expectStatus(1, containing: "DNS modification error: Invalid IPv4 address (code 280)") {
            try await provider.add(Record(type: .a, name: "bad.known.example", ttl: 3600, content: "192.0.2.300"))
        }
    }

    @Test func fakeRefusesWhatNameSiloRefuses() async throws {
        let fake = try NameSiloFake(domains: ["strict.example"])
        defer { fake.stop() }
        let base = "version=1&type=xml&key=\(fake.key)&domain=strict.example"
        for (query, code) in [
            ("dnsListRecords?type=xml&key=\(fake.key)&domain=strict.example", "102"),
            ("dnsListRecords?version=2&type=xml&key=\(fake.key)&domain=strict.example", "103"),
            ("dnsListRecords?version=1&key=\(fake.key)&domain=strict.example", "104"),
            ("dnsListRecords?version=1&type=yaml&key=\(fake.key)&domain=strict.example", "105"),
            ("dnsNoSuchThing?\(base)", "107"),
            ("dnsListRecords?version=1&type=xml&key=\(fake.key)", "108"),
            ("dnsListRecords?version=1&type=xml&domain=strict.example", "109"),
            ("dnsListRecords?version=1&type=xml&key=wrong&domain=strict.example", "110"),
            ("getDomainInfo?version=1&type=xml&key=\(fake.key)&domain=unknown.example", "200"),
            ("dnsAddRecord?\(base)&rrtype=A&rrhost=a&rrvalue=192.0.2.300&rrttl=3600", "280"),
            ("dnsAddRecord?\(base)&rrtype=A&rrhost=a&rrvalue=192.0.2.1&rrttl=300", "280"),
            ("dnsAddRecord?\(base)&rrtype=NS&rrhost=a&rrvalue=ns.example&rrttl=3600", "280"),
            ("dnsAddRecord?\(base)&rrtype=SRV&rrhost=s&rrvalue=5060%20sip.example&rrttl=3600", "280"),
            ("dnsAddRecord?\(base)&rrtype=A&rrhost=a.strict.example&rrvalue=192.0.2.1&rrttl=3600", "280"),
            ("dnsAddRecord?\(base)&rrtype=A&rrhost=a&rrvalue=192.0.2.1&rrttl=3600", "300"),
            ("dnsAddRecord?\(base)&rrtype=A&rrhost=a&rrvalue=192.0.2.1&rrttl=3600", "280"),
            ("dnsAddRecord?\(base)&rrtype=CNAME&rrhost=a&rrvalue=elsewhere.example&rrttl=3600", "280"),
            ("dnsUpdateRecord?\(base)&rrid=ffff&rrhost=a&rrvalue=192.0.2.2&rrttl=3600", "280"),
            ("dnsDeleteRecord?\(base)&rrid=ffff", "280"),
        ] {
            let root = try await raw(fake, query)
            #expect(root.name == "namesilo" && root.child("request")?.child("operation") != nil)
            #expect(root.child("reply")?.child("code")?.text == code, "\(query)")
        }
        let stored = fake.stored("strict.example")
        #expect(stored.count == 1 && stored[0].host == "a" && stored[0].ttl == 3600)
        let deleted = try await raw(fake, "dnsDeleteRecord?\(base)&rrid=\(stored[0].id)")
        #expect(deleted.child("reply")?.child("code")?.text == "300" && fake.stored("strict.example").isEmpty)
    }

    @Test func aValueAddedMeanwhileIsThere() async throws {
        let fake = try NameSiloFake(domains: ["race.example"])
        defer { fake.stop() }
        let context = try ProviderContext(
            providerName: "namesilo", zone: "race.example",
            config: ConfigResolver().withDict([
                "namesilo": .mapping(["auth_token": .value(fake.key), "api_endpoint": .value(fake.endpoint)])
            ]))
        let provider = try NameSiloProvider(context: context)
        let record = Record(type: .txt, name: "same.race.example", ttl: 3600, content: "value")
        try await provider.add(record)
        // What a writer that listed before the first create sends: NameSilo's 280, the record already exists.
        try await provider.add(record)
        #expect(fake.stored("race.example").count == 1)
        #expect(fake.requests.filter { $0.path.contains("/dnsAddRecord?") }.count == 2)
        // A record another writer deleted meanwhile is gone, as wanted; NameSilo refuses its id with 280.
        let id = try #require(fake.stored("race.example").first?.id)
        try await provider.remove(id)
        try await provider.remove(id)
        #expect(fake.stored("race.example").isEmpty)
        #expect(fake.requests.filter { $0.path.contains("/dnsDeleteRecord?") }.count == 2)
    }

    @Test func commandLineKeepsTheKeyOutOfDebugTraces() async throws {
        let fake = try NameSiloFake(domains: ["example.com"])
        defer { fake.stop() }
        let arguments = [
            "namesilo", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "token",
            "--api-endpoint", fake.endpoint, "--log-level", "DEBUG",
        ]
        let created = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_NAMESILO_AUTH_TOKEN": fake.key])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("dnsAddRecord"), "DEBUG traces the requests: \(created.stderr)")
        #expect(created.stderr.contains("key=<redacted>"), "\(created.stderr)")
        for output in [created.stdout, created.stderr] { #expect(!output.contains(fake.key)) }
        #expect(fake.stored("example.com").map(\.value) == ["token"])
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_NAMESILO_AUTH_TOKEN": "not-the-key-4711"])
        #expect(wrong.status == 3, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("--auth-token") && !wrong.stderr.contains("not-the-key-4711"))
        let unknown = await CommandRunner.run(
            Testbed.lexiconBinary, ["namesilo", "list", "other.com", "TXT", "--api-endpoint", fake.endpoint],
            environment: ["LEXICON_NAMESILO_AUTH_TOKEN": fake.key])
        #expect(unknown.status == 3 && unknown.stderr.contains("No domain found for other.com"), "\(unknown.stderr)")
    }
}

/// A request straight to the fake: `OPERATION?QUERY` under its `/api`.
private func raw(_ fake: NameSiloFake, _ path: String) async throws -> XMLElement {
    let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
    let response = try await transport.send(HTTPRequest(url: fake.endpoint + "/" + path))
    #expect(response.status == 200)
    return try XMLElement(parsing: response.body)
}
