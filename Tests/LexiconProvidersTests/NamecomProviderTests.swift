import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func namecomClient(_ fake: NamecomFake, domain: String, username: String? = nil, token: String? = nil) throws
    -> Client
{
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "namecom", "domain": .value(domain),
            "namecom": .mapping([
                "auth_username": .value(username ?? fake.username), "auth_token": .value(token ?? fake.token),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("Namecom provider against its fake")
struct NamecomProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try NamecomFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try namecomClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func mapsApexHostFQDNPriorityAndTargets() async throws {
        let fake = try NamecomFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try namecomClient(fake, domain: "fields.example")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        try await client.createRecord(type: .txt, name: "Mixed", content: "say \"hi\"")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "A" }?.host == "")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.host == "" && mx?.answer == "mail.fields.example" && mx?.priority == 10)
        #expect(
            stored.first { $0.type == "SRV" }.map { "\($0.priority) \($0.answer)" } == "20 5 5060 sip.fields.example")
        #expect(stored.first { $0.type == "SRV" }?.host == "_sip._tcp")
        #expect(stored.first { $0.type == "CNAME" }?.answer == "fields.example")
        #expect(stored.first { $0.type == "TXT" }?.answer == "say \"hi\"")
        let posts = fake.requests.filter { $0.method == "POST" }.compactMap { request in
            request.body.flatMap { try? JSONValue(parsing: $0) }
        }
        #expect(posts.first?["host"]?.string == "", "the apex is sent as an empty host")
        #expect(posts.allSatisfy { $0["ttl"]?.int == 3600 })
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .a && $0.name == "fields.example" && $0.content == "192.0.2.1" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.name == "_sip._tcp.fields.example" })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .txt && $0.name == "mixed.fields.example" && $0.content == "say \"hi\"" })
        // Answers leave out what is at its default: the apex record has no host, only an fqdn.
        let listing = try await rawGet(fake, "/domains/fields.example/records?perPage=1")
        let first = listing?["records"]?.array?.first
        #expect(first?["host"] == nil && first?["fqdn"]?.string == "fields.example." && first?["priority"] == nil)
    }

    @Test func raisesTTLsToTheMinimum() async throws {
        let fake = try NamecomFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try namecomClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .txt, name: "short", content: "v", ttl: 60)
        #expect(fake.stored("ttl.example").first?.ttl == 300)
        try await client.updateRecord(type: .txt, name: "short", content: "w", ttl: 120)
        #expect(fake.stored("ttl.example").map(\.ttl) == [300])
        #expect(try await client.listRecords(type: .txt).map(\.ttl) == [300])
    }

    @Test func readsEveryPage() async throws {
        let fake = try NamecomFake(domains: ["pages.example"])
        defer { fake.stop() }
        let client = try namecomClient(fake, domain: "pages.example")
        for index in 0..<5 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let before = fake.requests.count
        let all = try await client.listRecords()
        #expect(all.count == 5)
        let listings = fake.requests.dropFirst(before).filter { $0.path.contains("/records?") }
        #expect(zip(listings, 1...).allSatisfy { $0.path.contains("?page=\($1)&") } && listings.count == 3)
        #expect(listings.allSatisfy { $0.path.contains("perPage=1000") })
        #expect(listings.last?.path.contains("?page=3&") == true)
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func emptyZoneListsNothing() async throws {
        let fake = try NamecomFake(domains: ["empty.example"])
        defer { fake.stop() }
        #expect(try await namecomClient(fake, domain: "empty.example").listRecords().isEmpty)
    }

    @Test func wrongCredentialsAndUnknownDomain() async throws {
        let fake = try NamecomFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-username and --auth-token") {
            try await namecomClient(fake, domain: "known.example", token: "wrong").authenticate()
        }
        await expectStatus(3, containing: "LEXICON_NAMECOM_AUTH_TOKEN") {
            try await namecomClient(fake, domain: "known.example", username: "someone-else").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await namecomClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func fakeRefusesWhatNamecomRefuses() async throws {
        let fake = try NamecomFake(domains: ["strict.example", "other.example", "third.example"])
        defer { fake.stop() }
        let (status, body) = try await rawSend(fake, "GET", "/domains", credentials: "\(fake.username):wrong")
        #expect(status == 401 && body?["message"]?.string == "Unauthenticated")
        let unknown = try await rawSend(fake, "GET", "/domains/unknown.example")
        #expect(unknown.0 == 404 && unknown.1?["message"]?.string == "Not Found")
        let domains = try await rawGet(fake, "/domains")
        #expect(domains?["domains"]?.array?.count == 2 && domains?["nextPage"]?.int == 2)
        #expect(domains?["lastPage"]?.int == 2)
        let last = try await rawGet(fake, "/domains?page=2")
        #expect(last?["domains"]?.array?.count == 1 && last?["nextPage"] == nil && last?["lastPage"] == nil)
        let unjson = try await rawSend(
            fake, "POST", "/domains/strict.example/records", #"{"type":"A","answer":"192.0.2.1"}"#, json: false)
        #expect(unjson.0 == 403, "a write without a JSON content type")
        let created = try await rawSend(
            fake, "POST", "/domains/strict.example/records", #"{"host":"a","type":"A","answer":"192.0.2.1"}"#)
        #expect(created.0 == 200 && created.1?["fqdn"]?.string == "a.strict.example." && created.1?["ttl"]?.int == 300)
        for (record, why) in [
            (#"{"host":"a","type":"A","answer":"192.0.2.300"}"#, "bad A address"),
            (#"{"host":"a","type":"A","answer":"192.0.2.1"}"#, "a duplicate record"),
            (#"{"host":"a","type":"CNAME","answer":"elsewhere.example"}"#, "a CNAME beside an A"),
            (#"{"host":"t","type":"TXT","answer":"v","ttl":299}"#, "a TTL below 300"),
            (
                #"{"host":"s","type":"SRV","answer":"5060 sip.example","priority":1}"#,
                "an SRV answer without its weight"
            ),
            (#"{"host":"x","type":"SPF","answer":"v=spf1 -all"}"#, "a type Name.com does not have"),
        ] {
            let (status, body) = try await rawSend(fake, "POST", "/domains/strict.example/records", record)
            #expect(status == 400 && body?["message"]?.string == "Invalid Argument", "\(why)")
        }
        let duplicate = try await rawSend(
            fake, "POST", "/domains/strict.example/records", #"{"host":"a","type":"A","answer":"192.0.2.1"}"#)
        #expect(duplicate.1?["details"]?.string == "Parameter Value Error - Duplicate Record")
        #expect(fake.stored("strict.example").count == 1)
        let id = fake.stored("strict.example")[0].id
        #expect(
            try await rawSend(fake, "PUT", "/domains/strict.example/records/999", #"{"answer":"192.0.2.2"}"#).0 == 404)
        let put = try await rawSend(
            fake, "PUT", "/domains/strict.example/records/\(id)", #"{"host":"@","type":"A","answer":"192.0.2.2"}"#)
        #expect(put.0 == 200 && put.1?["host"] == nil && put.1?["fqdn"]?.string == "strict.example.")
        #expect(try await rawSend(fake, "DELETE", "/domains/strict.example/records/\(id)").0 == 200)
        #expect(try await rawSend(fake, "DELETE", "/domains/strict.example/records/\(id)").0 == 404)
    }

    @Test func aValueAddedMeanwhileIsThere() async throws {
        let fake = try NamecomFake(domains: ["race.example"])
        defer { fake.stop() }
        let context = try ProviderContext(
            providerName: "namecom", zone: "race.example",
            config: ConfigResolver().withDict([
                "namecom": .mapping([
                    "auth_username": .value(fake.username), "auth_token": .value(fake.token),
                    "api_endpoint": .value(fake.endpoint),
                ])
            ]))
        let provider = try NamecomProvider(context: context)
        let record = Record(type: .txt, name: "same.race.example", ttl: 300, content: "value")
        try await provider.add(record)
        // The second create is what a writer that listed before the first one sends: Name.com's Duplicate Record.
        try await provider.add(record)
        #expect(fake.stored("race.example").count == 1)
        #expect(fake.requests.filter { $0.method == "POST" }.count == 2)
        await expectStatus(1, containing: "Invalid IPv4 Address") {
            try await provider.add(Record(type: .a, name: "bad.race.example", ttl: 300, content: "192.0.2.300"))
        }
    }
}

/// A request straight to the fake, with its Basic credentials (`user:token`).
private func rawSend(
    _ fake: NamecomFake, _ method: String, _ path: String, _ body: String? = nil, credentials: String? = nil,
    json: Bool = true
) async throws -> (Int, JSONValue?) {
    let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
    let basic = Base64.encode(Array((credentials ?? "\(fake.username):\(fake.token)").utf8))
    var headers = [HTTPHeader("Authorization", "Basic \(basic)")]
    if body != nil { headers.append(HTTPHeader("Content-Type", json ? "application/json" : "text/plain")) }
    let response = try await transport.send(
        HTTPRequest(method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
    return (response.status, try? JSONValue(parsing: response.body))
}

private func rawGet(_ fake: NamecomFake, _ path: String) async throws -> JSONValue? {
    try await rawSend(fake, "GET", path).1
}
