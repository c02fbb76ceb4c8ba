import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func luadnsClient(_ fake: LuaDNSFake, domain: String, email: String? = nil, key: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "luadns", "domain": .value(domain),
            "luadns": .mapping([
                "auth_username": .value(email ?? fake.email), "auth_token": .value(key ?? fake.apiKey),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("LuaDNS provider against its fake")
struct LuaDNSProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try LuaDNSFake(zones: [domain, "other-\(domain)"])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try luadnsClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func mapsFQDNNamesAndZoneFileContent() async throws {
        let fake = try LuaDNSFake(zones: ["fields.example", "another.example"])
        defer { fake.stop() }
        let client = try luadnsClient(fake, domain: "fields.example")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        try await client.createRecord(type: .txt, name: "Mixed", content: "say \"hi\"")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "A" }?.name == "fields.example.")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.name == "fields.example." && mx?.content == "10 mail.fields.example.")
        #expect(stored.first { $0.type == "SRV" }?.content == "20 5 5060 sip.fields.example.")
        #expect(stored.first { $0.type == "SRV" }?.name == "_sip._tcp.fields.example.")
        #expect(stored.first { $0.type == "CNAME" }?.content == "fields.example.")
        #expect(stored.first { $0.type == "TXT" }?.content == "say \"hi\"", "TXT content is sent unquoted")
        #expect(stored.first { $0.type == "TXT" }?.name == "mixed.fields.example.")
        let zoneID = try #require(fake.zoneID("fields.example"))
        let posts = fake.requests.filter { $0.method == "POST" }
        #expect(posts.allSatisfy { $0.url.hasSuffix("/v1/zones/\(zoneID)/records") })
        #expect(posts.allSatisfy { $0.header("accept") == "application/json" })
        let bodies = posts.compactMap { $0.body.flatMap { try? JSONValue(parsing: $0) } }
        #expect(bodies.allSatisfy { $0["ttl"]?.int == 3600 && $0["name"]?.string?.hasSuffix(".") == true })
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .a && $0.name == "fields.example" && $0.content == "192.0.2.1" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.name == "_sip._tcp.fields.example" })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .cname && $0.content == "fields.example" })
        #expect(all.contains { $0.type == .txt && $0.name == "mixed.fields.example" && $0.content == "say \"hi\"" })
        try await client.updateRecord(type: .mx, name: "@", content: "mx2.fields.example", priority: 20)
        #expect(fake.stored("fields.example").first { $0.type == "MX" }?.content == "20 mx2.fields.example.")
        #expect(fake.requests.contains { $0.method == "PUT" && $0.url.contains("/zones/\(zoneID)/records/") })
    }

    @Test func raisesTTLsToTheMinimum() async throws {
        let fake = try LuaDNSFake(zones: ["ttl.example"])
        defer { fake.stop() }
        let client = try luadnsClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .txt, name: "short", content: "v", ttl: 60)
        #expect(fake.stored("ttl.example").first?.ttl == 300)
        try await client.updateRecord(type: .txt, name: "short", content: "w", ttl: 120)
        #expect(fake.stored("ttl.example").map(\.ttl) == [300])
        #expect(try await client.listRecords(type: .txt).map(\.ttl) == [300])
    }

    @Test func emptyZoneListsNothing() async throws {
        let fake = try LuaDNSFake(zones: ["empty.example"])
        defer { fake.stop() }
        #expect(try await luadnsClient(fake, domain: "empty.example").listRecords().isEmpty)
    }

    @Test func wrongCredentialsAndUnknownDomain() async throws {
        let fake = try LuaDNSFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-username and --auth-token") {
            try await luadnsClient(fake, domain: "known.example", key: "wrong").authenticate()
        }
        await expectStatus(3, containing: "LEXICON_LUADNS_AUTH_TOKEN") {
            try await luadnsClient(fake, domain: "known.example", email: "someone@example.com").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await luadnsClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func fakeRefusesWhatLuaDNSRefuses() async throws {
        let fake = try LuaDNSFake(zones: ["strict.example", "other.example"])
        defer { fake.stop() }
        let zone = try #require(fake.zoneID("strict.example"))
        let (status, body) = try await rawSend(fake, "GET", "/zones", credentials: "\(fake.email):wrong")
        #expect(status == 401 && body?["status"]?.string == "Unauthorized" && body?["request_id"] != nil)
        #expect(try await rawSend(fake, "GET", "/zones", accept: false).0 == 400, "no Accept: application/json")
        let zones = try await rawSend(fake, "GET", "/zones").1
        #expect(zones?.array?.compactMap { $0["name"]?.string } == ["other.example", "strict.example"])
        let noZone = try await rawSend(fake, "GET", "/zones/999/records")
        #expect(noZone.0 == 404 && noZone.1?["message"]?.string == "Zone not found.")
        let path = "/zones/\(zone)/records"
        let created = try await rawSend(
            fake, "POST", path, #"{"name":"a.strict.example.","type":"A","content":"192.0.2.1","ttl":300}"#)
        #expect(
            created.0 == 200 && created.1?["zone_id"]?.int == zone && created.1?["name"]?.string == "a.strict.example.")
        #expect(try await rawSend(fake, "POST", path, "{not json").0 == 400)
        for (record, why) in [
            (#"{"name":"a.strict.example.","type":"A","content":"192.0.2.300","ttl":300}"#, "bad A address"),
            (
                #"{"name":"a.strict.example.","type":"CNAME","content":"elsewhere.example.","ttl":300}"#,
                "CNAME beside A"
            ),
            (#"{"name":"t.strict.example.","type":"TXT","content":"v","ttl":299}"#, "a TTL below 300"),
            (#"{"name":"t.strict.example","type":"TXT","content":"v","ttl":300}"#, "a name without its final dot"),
            (#"{"name":"t.other.example.","type":"TXT","content":"v","ttl":300}"#, "a name outside the zone"),
            (#"{"name":"m.strict.example.","type":"MX","content":"mail.example.","ttl":300}"#, "MX without priority"),
            (#"{"name":"c.strict.example.","type":"CNAME","content":"target.example","ttl":300}"#, "CNAME not FQDN"),
        ] {
            let (status, body) = try await rawSend(fake, "POST", path, record)
            #expect(status == 422 && body?["message"]?.string?.isEmpty == false, "\(why)")
        }
        #expect(fake.stored("strict.example").count == 1)
        let id = fake.stored("strict.example")[0].id
        let noRecord = try await rawSend(fake, "PUT", "\(path)/999", #"{"content":"192.0.2.2"}"#)
        #expect(noRecord.0 == 404 && noRecord.1?["message"]?.string == "Record not found.")
        let put = try await rawSend(
            fake, "PUT", "\(path)/\(id)", #"{"name":"strict.example.","type":"A","content":"192.0.2.2","ttl":300}"#)
        #expect(put.0 == 200 && put.1?["name"]?.string == "strict.example.")
        #expect(try await rawSend(fake, "DELETE", "\(path)/\(id)").0 == 200)
        #expect(try await rawSend(fake, "DELETE", "\(path)/\(id)").0 == 404)
    }
}

/// A request straight to the fake, with its Basic credentials (`email:key`).
private func rawSend(
    _ fake: LuaDNSFake, _ method: String, _ path: String, _ body: String? = nil, credentials: String? = nil,
    accept: Bool = true
) async throws -> (Int, JSONValue?) {
    let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
    let basic = Base64.encode(Array((credentials ?? "\(fake.email):\(fake.apiKey)").utf8))
    var headers = [HTTPHeader("Authorization", "Basic \(basic)")]
    if accept { headers.append(HTTPHeader("Accept", "application/json")) }
    if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
    let response = try await transport.send(
        HTTPRequest(method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
    return (response.status, try? JSONValue(parsing: response.body))
}
