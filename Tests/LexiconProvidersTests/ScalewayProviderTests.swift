import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func scalewayClient(_ fake: ScalewayFake, domain: String, key: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "scaleway", "domain": .value(domain),
            "scaleway": .mapping([
                "auth_secret_key": .value(key ?? fake.secretKey), "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("Scaleway against its fake")
struct ScalewayProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try ScalewayFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try scalewayClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    /// The bodies of the PATCH requests sent since `start`.
    private func patches(_ fake: ScalewayFake, from start: Int) -> [JSONValue] {
        fake.requests.dropFirst(start).filter { $0.method == "PATCH" }.compactMap { request in
            request.body.flatMap { try? JSONValue(parsing: $0) }
        }
    }

    @Test func sendsAddSetAndDeleteChanges() async throws {
        let fake = try ScalewayFake(zones: ["changes.example"])
        defer { fake.stop() }
        let client = try scalewayClient(fake, domain: "changes.example")
        var start = fake.requests.count
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        let add = try #require(patches(fake, from: start).first)
        #expect(add["return_all_records"]?.bool == false)
        let added = add["changes"]?.array?.first?["add"]?["records"]?.array?.first
        #expect(
            added?["name"]?.string == "www" && added?["type"]?.string == "A" && added?["data"]?.string == "192.0.2.1")
        let id = try #require(fake.stored("changes.example").first { $0.type == "A" }?.id)

        start = fake.requests.count
        try await client.updateRecord(type: .a, name: "www", content: "192.0.2.2")
        let set = try #require(patches(fake, from: start).first?["changes"]?.array?.first?["set"])
        #expect(set["id"]?.string == id)
        #expect(set["records"]?.array?.first?["data"]?.string == "192.0.2.2")

        let newID = try #require(fake.stored("changes.example").first { $0.type == "A" }?.id)
        start = fake.requests.count
        try await client.deleteRecord(type: .a, name: "www", content: "192.0.2.2")
        let delete = try #require(patches(fake, from: start).first?["changes"]?.array?.first?["delete"])
        #expect(delete["id"]?.string == newID)
        #expect(!fake.stored("changes.example").contains { $0.type == "A" })
    }

    @Test func relativeNamesQuotedTXTAndMXPriority() async throws {
        let fake = try ScalewayFake(zones: ["fields.example"])
        defer { fake.stop() }
        let client = try scalewayClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "say \"hi\"")
        try await client.createRecord(type: .mx, name: "fields.example.", content: "mail.fields.example", priority: 10)
        try await client.createRecord(type: .cname, name: "www.fields.example", content: "fields.example")
        let stored = fake.stored("fields.example")
        let txt = stored.first { $0.type == "TXT" }
        #expect(txt?.name == "" && txt?.data == #""say \"hi\"""#)
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.name == "" && mx?.data == "mail.fields.example." && mx?.priority == 10)
        #expect(stored.first { $0.type == "CNAME" }.map { "\($0.name) \($0.data)" } == "www fields.example.")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "say \"hi\"" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .cname && $0.name == "www.fields.example" && $0.content == "fields.example" })
        #expect(all.contains { $0.type == .ns && $0.name == "fields.example" && $0.content == "ns0.dom.scw.cloud" })
    }

    @Test func pagesUntilTotalCount() async throws {
        let fake = try ScalewayFake(zones: ["pages.example"])
        defer { fake.stop() }
        let client = try scalewayClient(fake, domain: "pages.example")
        for index in 0..<5 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let before = fake.requests.count
        let all = try await client.listRecords()
        #expect(all.count == 2 + 5)
        let listings = fake.requests.dropFirst(before).filter { $0.path.contains("/records?") }
        #expect(listings.count == 4)
        #expect(listings.allSatisfy { $0.path.contains("page_size=500") })
        #expect(listings.last?.path.contains("page=4") == true)
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func wrongKeyAndUnknownDomain() async throws {
        let fake = try ScalewayFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-secret-key or LEXICON_SCALEWAY_AUTH_SECRET_KEY") {
            try await scalewayClient(fake, domain: "known.example", key: "wrong").authenticate()
        }
        await expectStatus(3, containing: "HTTP 403") {
            try await scalewayClient(fake, domain: "known.example", key: fake.restrictedKey).authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await scalewayClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func fakeRefusesWhatScalewayRefuses() async throws {
        let fake = try ScalewayFake(zones: ["strict.example", "other.example", "third.example"])
        defer { fake.stop() }
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func send(_ method: String, _ path: String, _ body: String? = nil, key: String? = nil) async throws
            -> (Int, JSONValue?)
        {
            var headers = [HTTPHeader("X-Auth-Token", key ?? fake.secretKey)]
            if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
            let response = try await transport.send(
                HTTPRequest(
                    method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
            return (response.status, try? JSONValue(parsing: response.body))
        }
        let (status, body) = try await send("GET", "/dns-zones", key: "wrong")
        #expect(status == 401 && body?["type"]?.string == "denied_authentication" && body?["message"] != nil)
        let denied = try await send("GET", "/dns-zones", key: fake.restrictedKey)
        #expect(denied.0 == 403 && denied.1?["type"]?.string == "permissions_denied")
        #expect(try await send("GET", "/dns-zones/unknown.example/records").0 == 404)
        let zones = try await send("GET", "/dns-zones?dns_zone=other.example").1
        #expect(zones?["dns_zones"]?.array?.count == 1 && zones?["total_count"]?.int == 1)
        let none = try await send("GET", "/dns-zones?dns_zone=unknown.example").1
        #expect(none?["dns_zones"]?.array?.isEmpty == true && none?["total_count"]?.int == 0)
        let path = "/dns-zones/strict.example/records"
        for (record, why) in [
            (#"{"type":"A","name":"a","data":"192.0.2.300"}"#, "bad A address"),
            (#"{"type":"TXT","name":"t","data":"unquoted"}"#, "unquoted TXT"),
            (#"{"type":"CNAME","name":"","data":"elsewhere.example."}"#, "a CNAME beside the NS records"),
            (#"{"type":"CNAME","name":"c","data":"elsewhere.example"}"#, "a target without its final dot"),
            (#"{"type":"A","name":"@","data":"192.0.2.1"}"#, "the apex as @"),
            (#"{"type":"A","name":"a.strict.example.","data":"192.0.2.1"}"#, "a full name"),
        ] {
            let (status, body) = try await send("PATCH", path, #"{"changes":[{"add":{"records":["# + record + "]}}]}")
            #expect((400...409).contains(status) && body?["message"] != nil, "\(why)")
        }
        // All or none: the second change fails, so the first is not kept.
        let mixed =
            #"{"changes":[{"add":{"records":[{"type":"A","name":"ok","data":"192.0.2.1","ttl":300}]}},"#
            + #"{"delete":{"id":"00000000-0000-0000-0000-000000000000"}}]}"#
        #expect(try await send("PATCH", path, mixed).0 == 404)
        #expect(fake.stored("strict.example").count == 2)
    }
}
