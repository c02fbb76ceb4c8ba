import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func deSECClient(_ fake: DeSECFake, domain: String, options: [String: String]? = nil) throws -> Client {
    let options = options ?? ["auth_token": fake.token]
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "desec", "domain": .value(domain),
            "desec": .mapping(options.merging(["api_endpoint": fake.endpoint]) { $1 }.mapValues { .value($0) }),
        ]), registry: .standard)
}

@Suite("desec against its fake")
struct DeSECProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try DeSECFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try deSECClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func apexSubnameTXTQuotingAndMinimumTTL() async throws {
        let fake = try DeSECFake(domains: ["apex.example"])
        defer { fake.stop() }
        let client = try deSECClient(fake, domain: "apex.example")
        try await client.createRecord(type: .txt, name: "apex.example", content: "one \"quoted\"", ttl: 300)
        let put = try #require(fake.requests.last { $0.method == "PUT" })
        #expect(put.path.hasSuffix("/domains/apex.example/rrsets/"))
        let body = try JSONValue(parsing: put.body ?? []).array?.first
        #expect(body?["subname"]?.string == "" && body?["ttl"]?.int == 3600)
        let set = try #require(fake.stored("apex.example").first { $0.type == "TXT" })
        #expect(set.subname == "" && set.ttl == 3600 && set.records == ["\"one \\\"quoted\\\"\""])
        let listed = try await client.listRecords(type: .txt)
        #expect(listed.map(\.content) == ["one \"quoted\""] && listed.map(\.name) == ["apex.example"])
        try await client.createRecord(type: .mx, name: "@", content: "mail.apex.example", priority: 10)
        #expect(fake.stored("apex.example").first { $0.type == "MX" }?.records == ["10 mail.apex.example."])
        try await client.deleteRecord(type: .txt, name: "apex.example")
        let delete = try #require(fake.requests.last { $0.method != "GET" })
        #expect(delete.method == "DELETE" && delete.path.hasSuffix("/domains/apex.example/rrsets/@/TXT/"))
        #expect(fake.stored("apex.example").allSatisfy { $0.type != "TXT" })
        // The fake refuses what deSEC refuses.
        let low = try await DeSECFakeProbe(fake).put("apex.example", subname: "x", type: "A", ttl: 60, ["192.0.2.1"])
        #expect(low.status == 400 && low.text.contains("greater than or equal to 3600"))
        let unquoted = try await DeSECFakeProbe(fake).put("apex.example", subname: "x", type: "TXT", ttl: 3600, ["a"])
        #expect(unquoted.status == 400 && unquoted.text.contains("quoted"))
        let dotless = try await DeSECFakeProbe(fake).put("apex.example", subname: "x", type: "CNAME", ttl: 3600, ["a"])
        #expect(dotless.status == 400)
    }

    @Test func loginWithEmailAndPassword() async throws {
        let fake = try DeSECFake(domains: ["login.example"])
        defer { fake.stop() }
        let client = try deSECClient(
            fake, domain: "login.example", options: ["auth_username": fake.email, "auth_password": fake.password])
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.7")
        #expect(try await client.listRecords(type: .a).map(\.content) == ["192.0.2.7"])
        let logins = fake.requests.filter { $0.path.hasSuffix("/auth/login/") }
        #expect(logins.count == 1 && logins.first?.method == "POST")
        let used = fake.requests.last?.header("authorization")
        #expect(used?.hasPrefix("Token ") == true && used != "Token \(fake.token)")
        // A token given wins over an e-mail and password.
        let both = try deSECClient(
            fake, domain: "login.example",
            options: ["auth_token": fake.token, "auth_username": fake.email, "auth_password": "wrong"])
        try await both.authenticate()
        #expect(fake.requests.last?.header("authorization") == "Token \(fake.token)")
        await expectStatus(3, containing: "--auth-username and --auth-password") {
            try await deSECClient(
                fake, domain: "login.example", options: ["auth_username": fake.email, "auth_password": "wrong"]
            ).authenticate()
        }
    }

    @Test func linkHeaderPagingOverSeveralPages() async throws {
        let fake = try DeSECFake(domains: ["paged.example"])
        defer { fake.stop() }
        for index in 0..<10 {
            fake.seed("paged.example", .init(subname: "h\(index)", type: "A", ttl: 3600, records: ["192.0.2.\(index)"]))
        }
        let client = try deSECClient(fake, domain: "paged.example")
        #expect(try await client.listRecords().count == 2 + 10)
        let pages = fake.requests.filter { $0.method == "GET" && $0.path.contains("/rrsets/") }
        #expect(pages.count == 4)
        #expect(pages.first?.path.hasSuffix("/rrsets/?cursor=") == true)
        // Without a cursor the fake asks for paging, as deSEC does past 500 sets.
        let bare = try await DeSECFakeProbe(fake).send("GET", "/domains/paged.example/rrsets/")
        #expect(bare.status == 400 && bare.text.contains("Pagination required"))
        fake.ignorePaging()
        await expectStatus(1, containing: "repeats page 1") { _ = try await client.listRecords() }
    }

    @Test func throttledWriteIsRetriedAsAsked() async throws {
        let fake = try DeSECFake(domains: ["limit.example"])
        defer { fake.stop() }
        fake.throttleWrites(next: 1)
        let started = ContinuousClock.now
        try await deSECClient(fake, domain: "limit.example").createRecord(type: .a, name: "www", content: "192.0.2.1")
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(fake.requests.filter { $0.method == "PUT" }.count == 2)
        #expect(fake.stored("limit.example").contains { $0.subname == "www" && $0.records == ["192.0.2.1"] })
    }

    @Test func wrongTokenAndUnknownDomain() async throws {
        let fake = try DeSECFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "LEXICON_DESEC_AUTH_TOKEN") {
            try await deSECClient(fake, domain: "known.example", options: ["auth_token": "not-a-valid-token"])
                .authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await deSECClient(fake, domain: "other.example").authenticate()
        }
        await expectStatus(2, containing: "--auth-token") {
            _ = try deSECClient(fake, domain: "known.example", options: [:])
        }
    }
}

/// Raw requests to the fake, to check what it refuses.
struct DeSECFakeProbe {
    let fake: DeSECFake

    init(_ fake: DeSECFake) { self.fake = fake }

    func send(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> (status: Int, text: String) {
        var headers = [HTTPHeader("Authorization", "Token \(fake.token)")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let response = try await CurlTransport(configuration: .init(connectTimeout: 2, totalTimeout: 10)).send(
            HTTPRequest(method: method, url: fake.endpoint + path, headers: headers, body: body?.encoded()))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    func put(_ domain: String, subname: String, type: String, ttl: Int, _ records: [String]) async throws
        -> (status: Int, text: String)
    {
        let set = JSONValue.object([
            ("subname", .string(subname)), ("type", .string(type)), ("ttl", .int(ttl)),
            ("records", .array(records.map { .string($0) })),
        ])
        return try await send("PUT", "/domains/\(domain)/rrsets/", body: .array([set]))
    }
}
