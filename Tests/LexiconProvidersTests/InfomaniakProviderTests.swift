import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func infomaniakClient(_ fake: InfomaniakFake, domain: String, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "infomaniak", "domain": .value(domain),
            "infomaniak": .mapping([
                "auth_token": .value(token ?? fake.token), "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("infomaniak against its fake")
struct InfomaniakProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try InfomaniakFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try infomaniakClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func mapsApexPrioritiesAndQuotedTXT() async throws {
        let fake = try InfomaniakFake(zones: ["fields.example"])
        defer { fake.stop() }
        let client = try infomaniakClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "say \"hi\"")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        try await client.createRecord(type: .a, name: "short", content: "192.0.2.1", ttl: 30)
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "TXT" }.map { "\($0.source)|\($0.target)" } == #".|"say \"hi\"""#)
        #expect(stored.first { $0.type == "MX" }.map { "\($0.source)|\($0.target)" } == ".|10 mail.fields.example")
        #expect(stored.first { $0.type == "SRV" }?.target == "20 5 5060 sip.fields.example")
        #expect(stored.first { $0.type == "CNAME" }?.target == "fields.example")
        #expect(stored.first { $0.type == "A" }?.ttl == 60)
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "say \"hi\"" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
    }

    @Test func longTXTComesBackWhole() async throws {
        let fake = try InfomaniakFake(zones: ["long.example"])
        defer { fake.stop() }
        let client = try infomaniakClient(fake, domain: "long.example")
        let long = String(repeating: "k", count: 300)
        try await client.createRecord(type: .txt, name: "dkim", content: long)
        #expect(fake.stored("long.example").first { $0.type == "TXT" }?.target.contains("\" \"") == true)
        #expect(try await client.listRecords(type: .txt).map(\.content) == [long])
    }

    @Test func updatesInPlaceUnlessTheNameChanges() async throws {
        let fake = try InfomaniakFake(zones: ["update.example"])
        defer { fake.stop() }
        let client = try infomaniakClient(fake, domain: "update.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        let first = try #require(fake.stored("update.example").first { $0.type == "A" })
        try await client.updateRecord(type: .a, name: "www", content: "192.0.2.2", ttl: 600)
        let updated = try #require(fake.stored("update.example").first { $0.type == "A" })
        #expect(updated.id == first.id && updated.target == "192.0.2.2" && updated.ttl == 600)
        #expect(
            fake.requests.contains { $0.method == "PUT" && $0.path == "/2/zones/update.example/records/\(first.id)" })
        let id = try #require(try await client.listRecords(type: .a).first?.id)
        try await client.updateRecord(identifier: id, type: .a, name: "web", content: "192.0.2.3")
        let moved = fake.stored("update.example").filter { $0.type == "A" }
        #expect(moved.map(\.source) == ["web"] && moved.first?.id != first.id && moved.first?.target == "192.0.2.3")
    }

    @Test func readsEveryPage() async throws {
        let fake = try InfomaniakFake(zones: ["pages.example"])
        defer { fake.stop() }
        let client = try infomaniakClient(fake, domain: "pages.example")
        for index in 0..<5 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let before = fake.requests.count
        #expect(try await client.listRecords().count == 2 + 5)
        let listings = fake.requests.dropFirst(before).filter { $0.path.contains("/records?") }
        #expect(listings.count == 4 && listings.last?.path.contains("page=4") == true)
        fake.ignorePaging()
        await expectStatus(1, containing: "Infomaniak") { _ = try await client.listRecords() }
    }

    @Test func wrongTokenUnknownZoneAndValidationErrors() async throws {
        let fake = try InfomaniakFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-token or LEXICON_INFOMANIAK_AUTH_TOKEN") {
            try await infomaniakClient(fake, domain: "known.example", token: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await infomaniakClient(fake, domain: "other.example").authenticate()
        }
        let client = try infomaniakClient(fake, domain: "known.example")
        try await client.createRecord(type: .a, name: "taken", content: "192.0.2.1")
        await expectStatus(1, containing: "A CNAME record cannot coexist") {
            _ = try await client.createRecord(type: .cname, name: "taken", content: "elsewhere.example")
        }
    }

    @Test func fakeRefusesWhatInfomaniakRefuses() async throws {
        let fake = try InfomaniakFake(zones: ["strict.example"])
        defer { fake.stop() }
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func send(_ method: String, _ path: String, _ body: String? = nil, token: String? = nil) async throws
            -> (Int, JSONValue?)
        {
            var headers = [HTTPHeader("Authorization", "Bearer \(token ?? fake.token)")]
            if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
            let response = try await transport.send(
                HTTPRequest(
                    method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
            return (response.status, try? JSONValue(parsing: response.body))
        }
        let (status, body) = try await send("GET", "/2/zones/strict.example", token: "wrong")
        #expect(status == 401 && body?["result"]?.string == "error" && body?["error"]?["code"]?.string != nil)
        #expect(try await send("GET", "/2/zones/unknown.example/records").0 == 404)
        let page = try await send("GET", "/2/zones/strict.example/records?page=1&per_page=10").1
        #expect(page?["pages"]?.int == 1 && page?["total"]?.int == 2 && page?["data"]?.array?.count == 2)
        for (record, why) in [
            (#"{"source":"a","type":"A","target":"192.0.2.300","ttl":300}"#, "bad A address"),
            (#"{"source":"a","type":"A","target":"192.0.2.1","ttl":30}"#, "a TTL under 60"),
            (#"{"source":".","type":"MX","target":"mail.example","ttl":300}"#, "an MX without priority"),
            (#"{"source":".","type":"CNAME","target":"elsewhere.example","ttl":300}"#, "a CNAME beside NS"),
            (#"{"source":"@","type":"A","target":"192.0.2.1","ttl":300}"#, "the apex as @"),
            (#"{"source":"x","type":"SPF","target":"v=spf1","ttl":300}"#, "an unknown type"),
        ] {
            let (status, body) = try await send("POST", "/2/zones/strict.example/records", record)
            #expect(status == 422 && body?["error"]?["code"]?.string == "validation_failed", "\(why)")
        }
        #expect(fake.stored("strict.example").count == 2)
    }
}
