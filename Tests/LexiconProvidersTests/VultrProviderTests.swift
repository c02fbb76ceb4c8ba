import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func vultrClient(_ fake: VultrFake, domain: String, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "vultr", "domain": .value(domain),
            "vultr": .mapping(["auth_token": .value(token ?? fake.token), "api_endpoint": .value(fake.endpoint)]),
        ]), registry: .standard)
}

@Suite("vultr against its fake")
struct VultrProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try VultrFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try vultrClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func quotesTXTAndMapsApexPriorityAndTargets() async throws {
        let fake = try VultrFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try vultrClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "say \"hi\"")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        let stored = fake.stored("fields.example")
        let txt = stored.first { $0.type == "TXT" }
        #expect(txt?.name == "" && txt?.data == #""say \"hi\"""#)
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.name == "" && mx?.data == "mail.fields.example" && mx?.priority == 10)
        #expect(stored.first { $0.type == "SRV" }.map { "\($0.priority) \($0.data)" } == "20 5 5060 sip.fields.example")
        #expect(stored.first { $0.type == "CNAME" }?.data == "fields.example")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "say \"hi\"" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        let post = fake.requests.first { $0.method == "POST" }.flatMap {
            $0.body.map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(post?.contains(#""data":"\"say \\\"hi\\\"\"""#) == true, "\(post ?? "")")
    }

    @Test func followsCursorsOverSeveralPages() async throws {
        let fake = try VultrFake(domains: ["pages.example"])
        defer { fake.stop() }
        let client = try vultrClient(fake, domain: "pages.example")
        for index in 0..<5 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let before = fake.requests.count
        let all = try await client.listRecords()
        #expect(all.count == 2 + 5)
        let listings = fake.requests.dropFirst(before).filter { $0.path.contains("/records?") }
        #expect(listings.count == 4)
        #expect(listings.allSatisfy { $0.path.contains("per_page=500") })
        #expect(listings.dropFirst().allSatisfy { $0.path.contains("cursor=") })
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func wrongKeyAndUnknownDomain() async throws {
        let fake = try VultrFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-token or LEXICON_VULTR_AUTH_TOKEN") {
            try await vultrClient(fake, domain: "known.example", token: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await vultrClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func fakeRefusesWhatVultrRefuses() async throws {
        let fake = try VultrFake(domains: ["strict.example", "other.example", "third.example"])
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
        let (status, body) = try await send("GET", "/domains", token: "wrong")
        #expect(status == 401 && body?["error"]?.string == "Invalid API token." && body?["status"]?.int == 401)
        #expect(try await send("GET", "/domains/unknown.example").0 == 404)
        let domains = try await send("GET", "/domains").1
        #expect(domains?["domains"]?.array?.count == 2 && domains?["meta"]?["total"]?.int == 3)
        #expect(domains?["meta"]?["links"]?["next"]?.string?.isEmpty == false)
        for (record, why) in [
            (#"{"type":"A","name":"a","data":"192.0.2.300"}"#, "bad A address"),
            (#"{"type":"TXT","name":"t","data":"unquoted"}"#, "unquoted TXT"),
            (#"{"type":"TXT","name":"t","data":"\"in\"side\""}"#, "an unescaped quote inside TXT"),
            (#"{"type":"CNAME","name":"","data":"elsewhere.example"}"#, "a CNAME beside the NS records"),
            (#"{"type":"CNAME","name":"c","data":"elsewhere.example."}"#, "a target with a final dot"),
            (#"{"type":"MX","name":"","data":"mail.example"}"#, "an MX without priority"),
            (#"{"type":"A","name":"@","data":"192.0.2.1"}"#, "the apex as @"),
        ] {
            let (status, body) = try await send("POST", "/domains/strict.example/records", record)
            #expect(status == 400 && body?["status"]?.int == 400, "\(why)")
        }
        #expect(fake.stored("strict.example").count == 2)
    }
}
