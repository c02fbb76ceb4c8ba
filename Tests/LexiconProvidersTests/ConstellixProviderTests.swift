import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func constellixClient(_ fake: ConstellixFake, domain: String, key: String? = nil, secret: String? = nil) throws
    -> Client
{
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "constellix", "domain": .value(domain),
            "constellix": .mapping([
                "auth_username": .value(key ?? fake.apiKey), "auth_token": .value(secret ?? fake.secretKey),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("constellix against its fake")
struct ConstellixProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try ConstellixFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try constellixClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func signsEveryRequestWithTheMillisecondHMAC() async throws {
        let fake = try ConstellixFake(domains: ["signed.example"])
        defer { fake.stop() }
        let client = try constellixClient(fake, domain: "signed.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        #expect(!fake.requests.isEmpty)
        for request in fake.requests {
            let date = try #require(request.header("x-cnsdns-requestDate"))
            #expect(request.header("x-cnsdns-apiKey") == fake.apiKey)
            let expected = Base64.encode(Digest.hmac(.sha1, key: Array(fake.secretKey.utf8), Array(date.utf8)))
            #expect(request.header("x-cnsdns-hmac") == expected)
            #expect(date.count == 13 && Int(date) != nil, "milliseconds: \(date)")
        }
        #expect(SecretRedactor.isSecretHeader("x-cnsdns-apiKey") && SecretRedactor.isSecretHeader("x-cnsdns-hmac"))
    }

    @Test func keepsEveryValueOfANameAndTypeInOneRecord() async throws {
        let fake = try ConstellixFake(domains: ["sets.example"])
        defer { fake.stop() }
        let client = try constellixClient(fake, domain: "sets.example")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "one")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "say \"two\"")
        try await client.createRecord(type: .mx, name: "@", content: "mail.sets.example.", priority: 10)
        try await client.createRecord(type: .cname, name: "www", content: "sets.example.")
        let stored = fake.stored("sets.example")
        let txt = try #require(stored.first { $0.type == "TXT" })
        #expect(stored.filter { $0.type == "TXT" }.count == 1)
        #expect(txt.name == "_acme-challenge" && txt.values == [#""one""#, #""say \"two\"""#])
        let mx = try #require(stored.first { $0.type == "MX" })
        #expect(mx.name == "" && mx.values == ["mail.sets.example."] && mx.levels == [10])
        #expect(stored.first { $0.type == "CNAME" }?.values == ["sets.example."])
        try await client.deleteRecord(type: .txt, name: "_acme-challenge", content: "one")
        #expect(fake.stored("sets.example").first { $0.type == "TXT" }?.values == [#""say \"two\"""#])
        #expect(fake.stored("sets.example").first { $0.type == "TXT" }?.id == txt.id, "the set is updated in place")
        try await client.deleteRecord(type: .txt, name: "_acme-challenge")
        #expect(!fake.stored("sets.example").contains { $0.type == "TXT" })
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "sets.example" && $0.content == "mail.sets.example" })
        #expect(all.contains { $0.type == .cname && $0.name == "www.sets.example" && $0.content == "sets.example" })
    }

    @Test func wrongCredentialsAndUnknownDomain() async throws {
        let fake = try ConstellixFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-username (the API key) and --auth-token") {
            try await constellixClient(fake, domain: "known.example", secret: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await constellixClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func fakeRefusesStaleDatesAndInvalidRecords() async throws {
        let fake = try ConstellixFake(domains: ["strict.example"])
        defer { fake.stop() }
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func send(_ method: String, _ path: String, _ body: String? = nil, skew: Int = 0) async throws
            -> (Int, JSONValue?)
        {
            let date = String(RequestDate.milliseconds() + skew)
            var headers = [
                HTTPHeader("x-cnsdns-apiKey", fake.apiKey), HTTPHeader("x-cnsdns-requestDate", date),
                HTTPHeader(
                    "x-cnsdns-hmac",
                    Base64.encode(Digest.hmac(.sha1, key: Array(fake.secretKey.utf8), Array(date.utf8)))),
            ]
            if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
            let response = try await transport.send(
                HTTPRequest(
                    method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
            return (response.status, try? JSONValue(parsing: response.body))
        }
        let stale = try await send("GET", "/domains", skew: -(ConstellixFake.dateWindow + 5) * 1000)
        #expect(stale.0 == 401 && stale.1?["errors"]?.array?.first?.string == "Request date is out of sync")
        let domains = try await send("GET", "/domains").1?.array ?? []
        let id = try #require(domains.first { $0["name"]?.string == "strict.example" }?["id"]?.int)
        for (type, record, why) in [
            ("A", #"{"name":"a","ttl":300,"roundRobin":[{"value":"192.0.2.300","disableFlag":false}]}"#, "bad A"),
            ("TXT", #"{"name":"t","ttl":300,"roundRobin":[{"value":"unquoted","disableFlag":false}]}"#, "unquoted TXT"),
            ("MX", #"{"name":"","ttl":300,"roundRobin":[{"value":"mail.example.","disableFlag":false}]}"#, "no level"),
            ("A", #"{"name":"@","ttl":300,"roundRobin":[{"value":"192.0.2.1","disableFlag":false}]}"#, "apex as @"),
            ("A", #"{"name":"n","ttl":-5,"roundRobin":[{"value":"192.0.2.1","disableFlag":false}]}"#, "bad TTL"),
            ("NS", #"{"name":"","ttl":300,"roundRobin":[{"value":"ns9.example.","disableFlag":false}]}"#, "second set"),
            ("CNAME", #"{"name":"","ttl":300,"host":"elsewhere.example."}"#, "CNAME beside NS"),
        ] {
            let (status, body) = try await send("POST", "/domains/\(id)/records/\(type)", record)
            #expect(status == 400 && body?["errors"]?.array?.isEmpty == false, "\(why)")
        }
        #expect(fake.stored("strict.example").count == 1)
    }
}
