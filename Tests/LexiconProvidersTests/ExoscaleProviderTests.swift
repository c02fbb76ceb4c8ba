import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func exoscaleClient(
    _ fake: ExoscaleFake, domain: String, key: String? = nil, secret: String? = nil, endpoint: String? = nil
) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "exoscale", "domain": .value(domain),
            "exoscale": .mapping([
                "auth_key": .value(key ?? fake.key), "auth_secret": .value(secret ?? fake.secret),
                "api_endpoint": .value(endpoint ?? fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("exoscale against its fake")
struct ExoscaleProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try ExoscaleFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try exoscaleClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func signsEveryRequestAndPollsOperations() async throws {
        let fake = try ExoscaleFake(domains: ["signed.example"])
        defer { fake.stop() }
        let client = try exoscaleClient(fake, domain: "signed.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        // The change is made when the operation is polled to success, so the record is there once create returns.
        #expect(fake.stored("signed.example").contains { $0.name == "www" && $0.content == "192.0.2.1" })
        let polls = fake.requests.filter { $0.path.contains("/v2/operation/") }
        #expect(polls.count == 2, "pending, then success")
        for request in fake.requests {
            let authorization = try #require(request.header("authorization"))
            #expect(authorization.hasPrefix("EXO2-HMAC-SHA256 credential=\(fake.key),expires="))
            #expect(authorization.contains(",signature="))
        }
        let message = ExoscaleSignature.message(
            method: "POST", path: "/v2/x", query: [("b", "2"), ("a", "1"), ("c", "3"), ("c", "4")],
            body: Array("{}".utf8), expires: 42)
        #expect(message.names == ["a", "b"])
        #expect(String(decoding: message.message, as: UTF8.self) == "POST /v2/x\n{}\n12\n\n42")
    }

    @Test func aFailedOperationIsAnError() async throws {
        let fake = try ExoscaleFake(domains: ["conflict.example"])
        defer { fake.stop() }
        let client = try exoscaleClient(fake, domain: "conflict.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        await expectStatus(1, containing: "operation ended in failure") {
            try await client.createRecord(type: .cname, name: "www", content: "elsewhere.example.")
        }
    }

    @Test func mapsRelativeNamesTargetsAndPriorities() async throws {
        let fake = try ExoscaleFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try exoscaleClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "v=spf1 -all")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        let stored = fake.stored("fields.example")
        #expect(stored.contains { $0.type == "TXT" && $0.name == "" && $0.content == "v=spf1 -all" })
        #expect(stored.contains { $0.type == "MX" && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(stored.contains { $0.type == "SRV" && $0.content == "5 5060 sip.fields.example" && $0.priority == 20 })
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.filter { $0.type == .ns }.count == 4)
    }

    @Test func wrongCredentialsUnknownDomainAndZoneEndpoint() async throws {
        let fake = try ExoscaleFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-key and --auth-secret") {
            try await exoscaleClient(fake, domain: "known.example", secret: "wrong").authenticate()
        }
        await expectStatus(3, containing: "--auth-key and --auth-secret") {
            try await exoscaleClient(fake, domain: "known.example", key: "EXOwrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await exoscaleClient(fake, domain: "other.example").authenticate()
        }
        #expect(ExoscaleProvider.descriptor.option(named: "api_zone")?.defaultValue == "ch-gva-2")
        await expectStatus(2, containing: "--api-zone") {
            try await Client(
                config: ConfigResolver().withDict([
                    "provider_name": "exoscale", "domain": .value("known.example"),
                    "exoscale": .mapping([
                        "auth_key": .value("k"), "auth_secret": .value("s"), "api_zone": .value("evil.host/x"),
                    ]),
                ]), registry: .standard
            ).authenticate()
        }
    }

    @Test func fakeRefusesExpiredAndInvalidRequests() async throws {
        let fake = try ExoscaleFake(domains: ["strict.example"])
        defer { fake.stop() }
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        let signer = ExoscaleSignature(key: fake.key, secret: fake.secret)
        func send(_ method: String, _ path: String, _ body: String? = nil, expires: Int? = nil) async throws
            -> (Int, JSONValue?)
        {
            var request = HTTPRequest(
                method: method, url: fake.endpoint + path,
                headers: body == nil ? [] : [HTTPHeader("Content-Type", "application/json")],
                body: body.map { Array($0.utf8) })
            request = signer.sign(request, expires: expires ?? RequestDate.now() + 600)
            let response = try await transport.send(request)
            return (response.status, try? JSONValue(parsing: response.body))
        }
        let expired = try await send("GET", "/dns-domain", expires: RequestDate.now() - 1)
        #expect(expired.0 == 403 && expired.1?["message"]?.string == "Request expired")
        #expect(try await send("GET", "/dns-domain?a=1").0 == 200)
        let domains = try await send("GET", "/dns-domain").1?["dns-domains"]?.array ?? []
        let id = try #require(domains.first { $0["unicode-name"]?.string == "strict.example" }?["id"]?.string)
        for (record, why) in [
            (#"{"type":"A","name":"a","content":"192.0.2.300"}"#, "bad A address"),
            (#"{"type":"CNAME","name":"c","content":"elsewhere.example."}"#, "a target with a final dot"),
            (#"{"type":"MX","name":"","content":"mail.example"}"#, "an MX without priority"),
            (#"{"type":"A","name":"@","content":"192.0.2.1"}"#, "the apex as @"),
            (#"{"type":"A","name":"x","content":"192.0.2.1","ttl":-1}"#, "a negative TTL"),
        ] {
            let (status, body) = try await send("POST", "/dns-domain/\(id)/record", record)
            #expect(status == 400 && body?["message"] != nil, "\(why)")
        }
        #expect(try await send("GET", "/dns-domain/00000000-0000-0000-0000-000000000000/record").0 == 404)
    }
}
