import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func dnsMadeEasyClient(_ fake: DNSMadeEasyFake, domain: String, key: String? = nil, secret: String? = nil) throws
    -> Client
{
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "dnsmadeeasy", "domain": .value(domain),
            "dnsmadeeasy": .mapping([
                "auth_username": .value(key ?? fake.apiKey), "auth_token": .value(secret ?? fake.secretKey),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("DNSMadeEasy provider against its fake")
struct DNSMadeEasyProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try DNSMadeEasyFake(domains: [domain], requestLimit: 10_000)
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try dnsMadeEasyClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func signsEveryRequestWithTheDateHMAC() async throws {
        let fake = try DNSMadeEasyFake(domains: ["signed.example"])
        defer { fake.stop() }
        let client = try dnsMadeEasyClient(fake, domain: "signed.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        _ = try await client.listRecords()
        #expect(!fake.requests.isEmpty)
        for request in fake.requests {
            let date = try #require(request.header("x-dnsme-requestDate"))
            #expect(request.header("x-dnsme-apiKey") == fake.apiKey)
            let expected = Digest.hex(Digest.hmac(.sha1, key: Array(fake.secretKey.utf8), Array(date.utf8)))
            #expect(request.header("x-dnsme-hmac") == expected)
            #expect(date.hasSuffix(" GMT") && date.count == 29, "RFC 1123: \(date)")
        }
        // Traces show none of the signature's credentials.
        #expect(SecretRedactor.isSecretHeader("x-dnsme-apiKey") && SecretRedactor.isSecretHeader("x-dnsme-hmac"))
        #expect(fake.requests.first?.path.hasSuffix("/V2.0/dns/managed/name?domainname=signed.example") == true)
    }

    @Test func mapsRelativeNamesQuotedTXTAndMXLevel() async throws {
        let fake = try DNSMadeEasyFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try dnsMadeEasyClient(fake, domain: "fields.example")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        try await client.createRecord(type: .txt, name: "Mixed", content: "say \"hi\"")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "A" }?.name == "")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.name == "" && mx?.value == "mail.fields.example." && mx?.mxLevel == 10)
        #expect(stored.first { $0.type == "CNAME" }?.value == "fields.example.")
        #expect(
            stored.first { $0.type == "TXT" }.map { ($0.name, $0.value) } ?? ("", "") == ("mixed", #""say \"hi\"""#))
        let before = fake.requests.count
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .a && $0.name == "fields.example" && $0.content == "192.0.2.1" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .cname && $0.name == "www.fields.example" && $0.content == "fields.example" })
        #expect(all.contains { $0.type == .txt && $0.name == "mixed.fields.example" && $0.content == "say \"hi\"" })
        // Four records on pages of two, numbered from 0.
        let listings = fake.requests.dropFirst(before).filter { $0.path.contains("/records?") }
        #expect(listings.map { String($0.path.split(separator: "?").last ?? "") } == ["page=0", "page=1"])
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func aRelativeTargetIsInTheZone() async throws {
        let fake = try DNSMadeEasyFake(domains: ["rel.example"])
        defer { fake.stop() }
        let id = try #require(fake.zoneID("rel.example"))
        let created = try await rawSend(
            fake, "POST", "/dns/managed/\(id)/records", #"{"name":"alias","type":"CNAME","value":"target","ttl":300}"#)
        #expect(created.0 == 201)
        let all = try await dnsMadeEasyClient(fake, domain: "rel.example").listRecords(type: .cname)
        #expect(all.map(\.content) == ["target.rel.example"])
    }

    @Test func wrongCredentialsAndUnknownDomain() async throws {
        let fake = try DNSMadeEasyFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-username (the API key) and --auth-token (the secret key)") {
            try await dnsMadeEasyClient(fake, domain: "known.example", secret: "wrong").authenticate()
        }
        await expectStatus(3, containing: "LEXICON_DNSMADEEASY_AUTH_TOKEN") {
            try await dnsMadeEasyClient(fake, domain: "known.example", key: "someone-else").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await dnsMadeEasyClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func fakeRefusesWhatDNSMadeEasyRefuses() async throws {
        let fake = try DNSMadeEasyFake(domains: ["strict.example"])
        defer { fake.stop() }
        let id = try #require(fake.zoneID("strict.example"))
        let wrong = try await rawSend(fake, "GET", "/dns/managed/\(id)/records", secret: "wrong")
        #expect(wrong.0 == 403 && wrong.1?["error"]?.array?.first?.string == "Invalid HMAC.")
        let stale = try await rawSend(fake, "GET", "/dns/managed/\(id)/records", skew: -120)
        #expect(stale.0 == 403)
        #expect(stale.1?["error"]?.array?.first?.string?.contains("too far out of sync") == true)
        let early = try await rawSend(fake, "GET", "/dns/managed/\(id)/records", skew: 120)
        #expect(early.0 == 403)
        let close = try await rawSend(fake, "GET", "/dns/managed/\(id)/records", skew: -5)
        #expect(close.0 == 200 && close.1?["totalRecords"]?.int == 0 && close.1?["page"]?.int == 0)
        let unsigned = try await rawSend(fake, "GET", "/dns/managed/\(id)/records", key: "other")
        #expect(unsigned.0 == 403)
        #expect(try await rawSend(fake, "GET", "/dns/managed/name?domainname=unknown.example").0 == 404)
        #expect(try await rawSend(fake, "GET", "/dns/managed/1/records").0 == 404)
        let created = try await rawSend(
            fake, "POST", "/dns/managed/\(id)/records", #"{"name":"a","type":"A","value":"192.0.2.1","ttl":300}"#)
        #expect(created.0 == 201 && created.1?["name"]?.string == "a" && created.1?["id"]?.int != nil)
        for (record, why) in [
            (#"{"name":"a","type":"A","value":"192.0.2.300","ttl":300}"#, "bad A address"),
            (#"{"name":"a","type":"A","value":"192.0.2.1","ttl":300}"#, "a duplicate record"),
            (#"{"name":"a","type":"CNAME","value":"elsewhere.example.","ttl":300}"#, "a CNAME beside an A"),
            (#"{"name":"m","type":"MX","value":"mail.example.","ttl":300}"#, "an MX without mxLevel"),
            (#"{"name":"x.strict.example.","type":"A","value":"192.0.2.1","ttl":300}"#, "an absolute name"),
            (#"{"name":"x","type":"BOGUS","value":"v","ttl":300}"#, "an unknown type"),
        ] {
            let (status, body) = try await rawSend(fake, "POST", "/dns/managed/\(id)/records", record)
            #expect(status == 400 && body?["error"]?.array?.isEmpty == false, "\(why)")
        }
        #expect(fake.stored("strict.example").count == 1)
        let rid = fake.stored("strict.example")[0].id
        #expect(try await rawSend(fake, "PUT", "/dns/managed/\(id)/records/999", #"{"value":"192.0.2.2"}"#).0 == 404)
        let put = try await rawSend(
            fake, "PUT", "/dns/managed/\(id)/records/\(rid)",
            #"{"id":\#(rid),"name":"a","type":"A","value":"192.0.2.2","ttl":600}"#)
        #expect(put.0 == 200 && fake.stored("strict.example").first?.value == "192.0.2.2")
        #expect(try await rawSend(fake, "DELETE", "/dns/managed/\(id)/records/\(rid)").0 == 200)
        #expect(try await rawSend(fake, "DELETE", "/dns/managed/\(id)/records/\(rid)").0 == 404)
    }

    @Test func rateLimitIsReported() async throws {
        let fake = try DNSMadeEasyFake(domains: ["limit.example"], requestLimit: 2)
        defer { fake.stop() }
        let id = try #require(fake.zoneID("limit.example"))
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        let response = try await transport.send(
            HTTPRequest(
                method: "GET", url: fake.endpoint + "/dns/managed/\(id)/records",
                headers: DNSMadeEasyFake.signature(key: fake.apiKey, secret: fake.secretKey)))
        #expect(response.headers["x-dnsme-requestlimit"] == "2" || response.headers["x-dnsme-requestLimit"] == "2")
        let client = try dnsMadeEasyClient(fake, domain: "limit.example")
        await expectStatus(1, containing: "150 requests per 5 minutes") { _ = try await client.listRecords() }
    }
}

/// A request straight to the fake, signed with its key and secret (or others), the date `skew` seconds off.
private func rawSend(
    _ fake: DNSMadeEasyFake, _ method: String, _ path: String, _ body: String? = nil, key: String? = nil,
    secret: String? = nil, skew: Int = 0
) async throws -> (Int, JSONValue?) {
    let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
    var headers = DNSMadeEasyFake.signature(key: key ?? fake.apiKey, secret: secret ?? fake.secretKey, skew: skew)
    if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
    let response = try await transport.send(
        HTTPRequest(method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
    return (response.status, try? JSONValue(parsing: response.body))
}
