import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func porkbunClient(_ fake: PorkbunFake, domain: String, key: String? = nil, secret: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "porkbun", "domain": .value(domain),
            "porkbun": .mapping([
                "auth_key": .value(key ?? fake.apiKey), "auth_secret": .value(secret ?? fake.secretKey),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("porkbun against its fake")
struct PorkbunProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try PorkbunFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try porkbunClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func keysTravelInTheBodyOnly() async throws {
        let fake = try PorkbunFake(domains: ["keys.example"])
        defer { fake.stop() }
        let client = try porkbunClient(fake, domain: "keys.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        _ = try await client.listRecords()
        #expect(!fake.requests.isEmpty)
        for request in fake.requests {
            #expect(request.method == "POST")
            let body = try #require(request.body.map { try JSONValue(parsing: $0) })
            #expect(body["apikey"]?.string == fake.apiKey && body["secretapikey"]?.string == fake.secretKey)
            #expect(!request.path.contains(fake.apiKey) && !request.path.contains(fake.secretKey))
            for header in request.headers {
                #expect(!header.value.contains(fake.apiKey) && !header.value.contains(fake.secretKey), "\(header)")
            }
        }
    }

    @Test func namesRelativeOutFullInTTLMinimumAndPriority() async throws {
        let fake = try PorkbunFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try porkbunClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "apex text")
        try await client.createRecord(type: .a, name: "www.fields.example.", content: "192.0.2.7", ttl: 60)
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "alias", content: "fields.example.")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "TXT" }.map { $0.name == "" && $0.content == "apex text" } == true)
        let a = stored.first { $0.type == "A" }
        #expect(a?.name == "www" && a?.ttl == 600, "TTL below Porkbun's minimum is sent as 600")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.name == "" && mx?.content == "mail.fields.example" && mx?.prio == 10)
        #expect(stored.first { $0.type == "SRV" }.map { "\($0.prio) \($0.content)" } == "20 5 5060 sip.fields.example")
        #expect(stored.first { $0.type == "CNAME" }?.content == "fields.example")
        let posts = fake.requests.compactMap { $0.body.flatMap { try? JSONValue(parsing: $0) } }
        #expect(posts.contains { $0["type"]?.string == "MX" && $0["prio"]?.string == "10" && $0["name"]?.string == "" })
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .a && $0.name == "www.fields.example" && $0.ttl == 600 })
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "apex text" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        try await client.updateRecord(type: .a, name: "www", content: "192.0.2.8", ttl: 120)
        #expect(
            fake.stored("fields.example").first { $0.type == "A" }.map { "\($0.content) \($0.ttl)" } == "192.0.2.8 600")
    }

    @Test func wrongKeysUnknownDomainAndClosedAPIAccess() async throws {
        let fake = try PorkbunFake(domains: ["known.example"], apiAccessOff: ["closed.example"])
        defer { fake.stop() }
        for (key, secret) in [("wrong", fake.secretKey), (fake.apiKey, "wrong")] {
            await expectStatus(3, containing: "--auth-key and --auth-secret") {
                try await porkbunClient(fake, domain: "known.example", key: key, secret: secret).authenticate()
            }
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await porkbunClient(fake, domain: "other.example").authenticate()
        }
        await expectStatus(3, containing: "API access") {
            try await porkbunClient(fake, domain: "closed.example").authenticate()
        }
    }

    @Test func deletingARecordAnotherWriterRemovedIsDone() async throws {
        let fake = try PorkbunFake(domains: ["race.example"])
        defer { fake.stop() }
        let client = try porkbunClient(fake, domain: "race.example")
        try await client.createRecord(type: .txt, name: "gone", content: "v")
        let id = try #require(fake.stored("race.example").first?.id)
        let provider = try PorkbunProvider(
            context: ProviderContext(
                providerName: "porkbun", zone: "race.example",
                config: ConfigResolver().withDict([
                    "porkbun": .mapping([
                        "auth_key": .value(fake.apiKey), "auth_secret": .value(fake.secretKey),
                        "api_endpoint": .value(fake.endpoint),
                    ])
                ])))
        try await provider.remove(id)
        try await provider.remove(id)
        #expect(fake.stored("race.example").isEmpty)
        #expect(fake.requests.filter { $0.path.hasSuffix("/dns/delete/race.example/\(id)") }.count == 2)
    }

    @Test func commandLineKeepsTheSecretOutOfDebugTraces() async throws {
        let fake = try PorkbunFake(domains: ["example.com"])
        defer { fake.stop() }
        let arguments = [
            "porkbun", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "token",
            "--api-endpoint", fake.endpoint, "--log-level", "DEBUG",
        ]
        let created = await CommandRunner.run(
            Testbed.lexiconBinary, arguments,
            environment: ["LEXICON_PORKBUN_AUTH_KEY": fake.apiKey, "LEXICON_PORKBUN_AUTH_SECRET": fake.secretKey])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("HTTP POST"), "DEBUG traces the requests: \(created.stderr)")
        for output in [created.stdout, created.stderr] {
            #expect(!output.contains(fake.apiKey) && !output.contains(fake.secretKey))
        }
        #expect(fake.stored("example.com").map(\.content) == ["token"])
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary, arguments,
            environment: ["LEXICON_PORKBUN_AUTH_KEY": fake.apiKey, "LEXICON_PORKBUN_AUTH_SECRET": "sk1_not-the-secret"])
        #expect(wrong.status == 3, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("Invalid API key") && !wrong.stderr.contains("sk1_not-the-secret"))
    }

    @Test func fakeRefusesWhatPorkbunRefuses() async throws {
        let fake = try PorkbunFake(domains: ["strict.example"])
        defer { fake.stop() }
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func send(_ path: String, _ fields: String = "", key: String? = nil) async throws -> (Int, JSONValue?) {
            let body =
                #"{"apikey":"\#(key ?? fake.apiKey)","secretapikey":"\#(fake.secretKey)""#
                + (fields.isEmpty ? "" : "," + fields) + "}"
            let response = try await transport.send(
                HTTPRequest(
                    method: "POST", url: fake.endpoint + path,
                    headers: [HTTPHeader("Content-Type", "application/json")],
                    body: Array(body.utf8)))
            return (response.status, try? JSONValue(parsing: response.body))
        }
        let (status, body) = try await send("/ping", key: "wrong")
        #expect(
            status == 400 && body?["status"]?.string == "ERROR" && body?["message"]?.string == "Invalid API key. (002)")
        #expect(try await send("/ping").1?["status"]?.string == "SUCCESS")
        #expect(try await send("/dns/retrieve/unknown.example").1?["message"]?.string == "Invalid domain.")
        #expect(try await send("/dns/create/strict.example", #""name":"c","type":"A","content":"192.0.2.1""#).0 == 200)
        for (record, why) in [
            (#""name":"a","type":"A","content":"192.0.2.300""#, "bad A address"),
            (#""name":"c","type":"CNAME","content":"elsewhere.example""#, "a CNAME beside an A"),
            (#""name":"t","type":"TXT","content":"v","ttl":"300""#, "a TTL below 600"),
            (#""name":"","type":"MX","content":"mail.example""#, "an MX without prio"),
            (#""name":"x","type":"SPF","content":"v=spf1""#, "an unknown type"),
        ] {
            let (status, body) = try await send("/dns/create/strict.example", record)
            #expect(status == 400 && body?["status"]?.string == "ERROR", "\(why)")
        }
        #expect(try await send("/dns/delete/strict.example/999").1?["message"]?.string == "Invalid record ID.")
        #expect(fake.stored("strict.example").count == 1)
    }
}
