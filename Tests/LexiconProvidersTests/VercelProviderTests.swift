import Foundation
import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func vercelClient(
    _ fake: VercelFake, domain: String, token: String? = nil, team: String? = nil, as name: String = "vercel"
) throws -> Client {
    var options: [String: ConfigValue] = [
        "auth_token": .value(token ?? fake.token), "api_endpoint": .value(fake.endpoint),
    ]
    if let team { options["team_id"] = .value(team) }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": .value(name), "domain": .value(domain), name: .mapping(options),
        ]), registry: .standard)
}

@Suite("vercel against its fake")
struct VercelProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try VercelFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try vercelClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func mapsApexPrioritiesSRVAndTargets() async throws {
        let fake = try VercelFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try vercelClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "v=spf1 -all")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "TXT" }.map { "\($0.name)|\($0.value)" } == "|v=spf1 -all")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.name == "" && mx?.value == "mail.fields.example" && mx?.mxPriority == 10)
        let srv = stored.first { $0.type == "SRV" }
        #expect(srv?.value == "5 5060 sip.fields.example" && srv?.priority == 20)
        #expect(stored.first { $0.type == "CNAME" }?.value == "fields.example")
        let post = fake.requests.first {
            $0.method == "POST" && $0.body.map { String(decoding: $0, as: UTF8.self) }?.contains("SRV") == true
        }
        let body = post?.body.map { String(decoding: $0, as: UTF8.self) } ?? ""
        #expect(
            body.contains(#""srv":{"priority":20,"weight":5,"port":5060,"target":"sip.fields.example"}"#), "\(body)")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "v=spf1 -all" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
    }

    @Test func raisesTTLsToSixtyAndUpdatesByIDWithPatch() async throws {
        let fake = try VercelFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try vercelClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .a, name: "short", content: "192.0.2.1", ttl: 30)
        let record = try #require(fake.stored("ttl.example").first { $0.type == "A" })
        #expect(record.ttl == 60)
        try await client.updateRecord(type: .a, name: "short", content: "192.0.2.2", ttl: 300)
        let updated = try #require(fake.stored("ttl.example").first { $0.type == "A" })
        #expect(updated.id == record.id && updated.value == "192.0.2.2" && updated.ttl == 300)
        #expect(
            fake.requests.contains { $0.method == "PATCH" && $0.path.hasPrefix("/v1/domains/records/\(record.id)") })
    }

    @Test func followsUntilOverSeveralPages() async throws {
        let fake = try VercelFake(domains: ["pages.example"])
        defer { fake.stop() }
        let client = try vercelClient(fake, domain: "pages.example")
        for index in 0..<5 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let before = fake.requests.count
        let all = try await client.listRecords()
        #expect(all.count == 2 + 5)
        let listings = fake.requests.dropFirst(before).filter { $0.path.contains("/records?") }
        #expect(listings.count == 4)
        #expect(listings.allSatisfy { $0.path.contains("limit=100") })
        #expect(listings.dropFirst().allSatisfy { $0.path.contains("until=") })
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func teamDomainsNeedTheTeamID() async throws {
        let fake = try VercelFake(domains: [], teamDomains: ["team.example": "team_abc123"])
        defer { fake.stop() }
        let client = try vercelClient(fake, domain: "team.example", team: "team_abc123")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        #expect(fake.stored("team.example").contains { $0.name == "www" })
        #expect(fake.requests.allSatisfy { $0.path.contains("teamId=team_abc123") })
        await expectStatus(3, containing: "No domain found for team.example") {
            try await vercelClient(fake, domain: "team.example").authenticate()
        }
    }

    @Test func zeitIsTheOldName() async throws {
        let fake = try VercelFake(domains: ["old.example"])
        defer { fake.stop() }
        #expect(ProviderRegistry.standard.descriptor(named: "zeit")?.name == "vercel")
        let client = try vercelClient(fake, domain: "old.example", as: "zeit")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        #expect(fake.stored("old.example").contains { $0.name == "www" && $0.value == "192.0.2.1" })
        let created = await CommandRunner.run(
            Testbed.lexiconBinary,
            [
                "zeit", "create", "old.example", "TXT", "--name", "cli", "--content", "hello", "--api-endpoint",
                fake.endpoint,
            ],
            environment: ["LEXICON_ZEIT_AUTH_TOKEN": fake.token])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(fake.stored("old.example").contains { $0.name == "cli" && $0.value == "hello" })
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary,
            ["zeit", "list", "old.example", "TXT", "--auth-token", "not-the-token", "--api-endpoint", fake.endpoint])
        #expect(wrong.status == 3 && wrong.stderr.contains("Check --auth-token"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("not-the-token"))
    }

    @Test func wrongTokenAndUnknownDomain() async throws {
        let fake = try VercelFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-token or LEXICON_VERCEL_AUTH_TOKEN") {
            try await vercelClient(fake, domain: "known.example", token: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await vercelClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func rateLimitsAreRetriedThenReported() async throws {
        let fake = try VercelFake(domains: ["busy.example"])
        defer { fake.stop() }
        let client = try vercelClient(fake, domain: "busy.example")
        fake.rateLimit(next: 1)
        #expect(try await client.listRecords().count == 2)
        fake.rateLimit(next: 100)
        await expectStatus(1, containing: "Vercel kept answering 429") { _ = try await client.listRecords() }
    }

    @Test func fakeRefusesWhatVercelRefuses() async throws {
        let fake = try VercelFake(domains: ["strict.example"])
        defer { fake.stop() }
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func send(_ method: String, _ path: String, _ body: String? = nil, token: String? = nil) async throws
            -> (Int, JSONValue?, HTTPResponse)
        {
            var headers = [HTTPHeader("Authorization", "Bearer \(token ?? fake.token)")]
            if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
            let response = try await transport.send(
                HTTPRequest(
                    method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
            return (response.status, try? JSONValue(parsing: response.body), response)
        }
        let (status, body, _) = try await send("GET", "/v5/domains/strict.example", token: "wrong")
        #expect(status == 403 && body?["error"]?["code"]?.string == "forbidden")
        #expect(try await send("GET", "/v5/domains/unknown.example").0 == 404)
        #expect(try await send("GET", "/v5/domains/strict.example/records?limit=101").0 == 400)
        for (record, why) in [
            (#"{"type":"A","name":"a","value":"192.0.2.300"}"#, "bad A address"),
            (#"{"type":"A","name":"a","value":"192.0.2.1","ttl":59}"#, "a TTL under 60"),
            (#"{"type":"MX","name":"","value":"mail.example"}"#, "an MX without mxPriority"),
            (#"{"type":"SRV","name":"_s._tcp","value":"1 2 3 x.example"}"#, "an SRV without its srv object"),
            (#"{"type":"CNAME","name":"","value":"elsewhere.example"}"#, "a CNAME beside the NS records"),
            (#"{"type":"A","name":"@","value":"192.0.2.1"}"#, "the apex as @"),
            (#"{"type":"SPF","name":"s","value":"v=spf1"}"#, "a type Vercel does not have"),
        ] {
            let (status, body, _) = try await send("POST", "/v2/domains/strict.example/records", record)
            #expect(status == 400 && body?["error"]?["code"]?.string == "bad_request", "\(why)")
        }
        #expect(fake.stored("strict.example").count == 2)
        fake.rateLimit(next: 1)
        let (limited, _, response) = try await send("GET", "/v5/domains/strict.example/records")
        #expect(limited == 429 && response.headers["x-ratelimit-remaining"] == "0")
        #expect(response.headers["x-ratelimit-limit"] != nil && response.headers["x-ratelimit-reset"] != nil)
    }
}
