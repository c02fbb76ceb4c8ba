import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func easydnsClient(_ fake: EasyDNSFake, domain: String, key: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "easydns", "domain": .value(domain),
            "easydns": .mapping([
                "auth_username": .value(fake.token), "auth_token": .value(key ?? fake.key),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("easydns against its fake")
struct EasyDNSProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try EasyDNSFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try easydnsClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func sendsBasicAuthJSONFormatAndMapsFields() async throws {
        let fake = try EasyDNSFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try easydnsClient(fake, domain: "fields.example")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token value")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        let stored = fake.stored("fields.example")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.host == "@" && mx?.rdata == "mail.fields.example" && mx?.prio == 10)
        #expect(stored.first { $0.type == "TXT" }.map { "\($0.host)|\($0.rdata)" } == "_acme-challenge|token value")
        #expect(stored.first { $0.type == "CNAME" }?.rdata == "fields.example")
        #expect(fake.requests.allSatisfy { $0.path.contains("format=json") })
        #expect(
            fake.requests.contains { $0.method == "PUT" && $0.path.hasPrefix("/zones/records/add/fields.example/MX?") })
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .ns && $0.content == "dns1.easydns.com" && $0.ttl == 3600 })
        #expect(all.contains { $0.type == .txt && $0.name == "_acme-challenge.fields.example" })
    }

    @Test func updatesByIDWithPost() async throws {
        let fake = try EasyDNSFake(domains: ["update.example"])
        defer { fake.stop() }
        let client = try easydnsClient(fake, domain: "update.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        let first = try #require(fake.stored("update.example").first { $0.type == "A" })
        try await client.updateRecord(type: .a, name: "www", content: "192.0.2.2", ttl: 600)
        let updated = try #require(fake.stored("update.example").first { $0.type == "A" })
        #expect(updated.id == first.id && updated.rdata == "192.0.2.2" && updated.ttl == 600)
        #expect(fake.requests.contains { $0.method == "POST" && $0.path.hasPrefix("/zones/records/\(first.id)?") })
        try await client.deleteRecord(type: .a, name: "www")
        #expect(
            fake.requests.contains {
                $0.method == "DELETE" && $0.path.hasPrefix("/zones/records/update.example/\(first.id)?")
            })
    }

    @Test func readsEveryPageByStart() async throws {
        let fake = try EasyDNSFake(domains: ["pages.example"])
        defer { fake.stop() }
        let client = try easydnsClient(fake, domain: "pages.example")
        for index in 0..<5 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let before = fake.requests.count
        #expect(try await client.listRecords().count == 2 + 5)
        let listings = fake.requests.dropFirst(before).filter { $0.path.hasPrefix("/zones/records/all/") }
        #expect(listings.count == 4 && listings.last?.path.contains("start=6") == true)
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func wrongKeyUnknownDomainAndEnhanceYourCalm() async throws {
        let fake = try EasyDNSFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-username and --auth-token") {
            try await easydnsClient(fake, domain: "known.example", key: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await easydnsClient(fake, domain: "other.example").authenticate()
        }
        let client = try easydnsClient(fake, domain: "known.example")
        fake.rateLimit(next: 1)
        await expectStatus(1, containing: "easyDNS kept answering 429 (rate limited)") {
            _ = try await client.listRecords()
        }
        #expect(try await client.listRecords().count == 2)
    }

    @Test func fakeRefusesWhatEasyDNSRefuses() async throws {
        let fake = try EasyDNSFake(domains: ["strict.example"])
        defer { fake.stop() }
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func send(_ method: String, _ path: String, _ body: String? = nil, auth: Bool = true) async throws
            -> (Int, JSONValue?)
        {
            var headers = auth ? [HTTPHeader.basicAuthorization(user: fake.token, password: fake.key)] : []
            if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
            let response = try await transport.send(
                HTTPRequest(
                    method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
            return (response.status, try? JSONValue(parsing: response.body))
        }
        let (status, body) = try await send("GET", "/zones/records/all/strict.example?format=json", auth: false)
        #expect(status == 403 && body?["error"]?["code"]?.int == 420)
        #expect(try await send("GET", "/zones/records/all/strict.example").1 == nil)
        let listing = try await send("GET", "/zones/records/all/strict.example?format=json").1
        #expect(listing?["data"]?.array?.first?["ttl"]?.string == "3600" && listing?["total"]?.int == 2)
        for (record, why) in [
            (#"{"domain":"strict.example","host":"a","type":"A","rdata":"192.0.2.300","ttl":300,"prio":0}"#, "bad A"),
            (
                #"{"domain":"strict.example","host":"@","type":"CNAME","rdata":"x.example","ttl":300,"prio":0}"#,
                "CNAME at NS"
            ),
            (#"{"domain":"other.example","host":"a","type":"A","rdata":"192.0.2.1","ttl":300,"prio":0}"#, "domain"),
            (#"{"domain":"strict.example","host":"a","type":"AAAA","rdata":"192.0.2.1","ttl":300,"prio":0}"#, "type"),
        ] {
            let type = record.contains("CNAME") ? "CNAME" : "A"
            let (status, body) = try await send("PUT", "/zones/records/add/strict.example/\(type)?format=json", record)
            #expect(status == 400 && body?["error"]?["code"]?.int == 400, "\(why)")
        }
        #expect(fake.stored("strict.example").count == 2)
    }
}
