import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func mythicBeastsClient(
    _ fake: MythicBeastsFake, domain: String, secret: String? = nil, token: String? = nil
) throws -> Client {
    var options: [String: ConfigValue] = [
        "api_endpoint": .value(fake.endpoint), "token_endpoint": .value(fake.tokenEndpoint),
    ]
    if let token {
        options["auth_token"] = .value(token)
    } else {
        options["auth_username"] = .value(fake.keyID)
        options["auth_password"] = .value(secret ?? fake.secret)
    }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "mythicbeasts", "domain": .value(domain), "mythicbeasts": .mapping(options),
        ]), registry: .standard)
}

@Suite("mythicbeasts against its fake")
struct MythicBeastsProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try MythicBeastsFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try mythicBeastsClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func aTokenFromTheKeyIsBoughtOnceAndAgainWhenRefused() async throws {
        let fake = try MythicBeastsFake(zones: ["token.example"])
        defer { fake.stop() }
        let client = try mythicBeastsClient(fake, domain: "token.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        _ = try await client.listRecords()
        #expect(fake.loginCount == 1, "the token is cached")
        let login = try #require(fake.requests.first { $0.path == "/login" })
        #expect(
            login.header("authorization")
                == HTTPHeader.basicAuthorization(user: fake.keyID, password: fake.secret).value)
        #expect(String(decoding: login.body ?? [], as: UTF8.self) == "grant_type=client_credentials")
        #expect(
            fake.requests.filter { $0.path != "/login" }.allSatisfy {
                $0.header("authorization")?.hasPrefix("Bearer ") == true
            })
        fake.expireTokens()
        _ = try await client.listRecords()
        #expect(fake.loginCount == 2, "a refused token is bought again once")
    }

    @Test func aGivenTokenIsUsedAsIs() async throws {
        let fake = try MythicBeastsFake(zones: ["given.example"])
        defer { fake.stop() }
        let token = fake.issueToken()
        let client = try mythicBeastsClient(fake, domain: "given.example", token: token)
        try await client.createRecord(type: .txt, name: "t", content: "v")
        #expect(fake.loginCount == 0)
        #expect(fake.requests.allSatisfy { $0.header("authorization") == "Bearer " + token })
    }

    @Test func fieldsRelativeHostsTargetsWithDotsAndTypedFields() async throws {
        let fake = try MythicBeastsFake(zones: ["fields.example"])
        defer { fake.stop() }
        let client = try mythicBeastsClient(fake, domain: "fields.example")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .caa, name: "@", content: "0 issue \"letsencrypt.org\"")
        try await client.createRecord(type: .cname, name: "WWW", content: "fields.example")
        let stored = fake.stored("fields.example")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.host == "@" && mx?.data == "mail.fields.example." && mx?.numbers["mx_priority"] == 10)
        let srv = stored.first { $0.type == "SRV" }
        #expect(srv?.host == "_sip._tcp" && srv?.data == "sip.fields.example.")
        #expect(srv?.numbers == ["srv_priority": 20, "srv_weight": 5, "srv_port": 5060])
        let caa = stored.first { $0.type == "CAA" }
        #expect(caa?.data == "letsencrypt.org" && caa?.caaProperty == "issue" && caa?.numbers["caa_flags"] == 0)
        #expect(stored.first { $0.type == "CNAME" }.map { $0.host == "www" && $0.data == "fields.example." } == true)
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .cname && $0.name == "www.fields.example" && $0.content == "fields.example" })
    }

    @Test func writesTouchOnlyTheSelectedValue() async throws {
        let fake = try MythicBeastsFake(zones: ["values.example"])
        defer { fake.stop() }
        let client = try mythicBeastsClient(fake, domain: "values.example")
        try await client.createRecord(type: .txt, name: "set", content: "one")
        try await client.createRecord(type: .txt, name: "set", content: "two")
        let first = try #require(try await client.listRecords(type: .txt, name: "set", content: "one").first)
        try await client.updateRecord(identifier: first.id, type: .txt, name: "set", content: "uno")
        #expect(Set(fake.stored("values.example").map(\.data)) == ["uno", "two"])
        let put = try #require(fake.requests.last { $0.method == "PUT" })
        #expect(put.path == "/dns/v2/zones/values.example/records/set/TXT?data=one")
        try await client.deleteRecord(type: .txt, name: "set", content: "two")
        #expect(fake.stored("values.example").map(\.data) == ["uno"])
        #expect(fake.requests.last { $0.method == "DELETE" }?.path.hasSuffix("/records/set/TXT?data=two") == true)
    }

    @Test func wrongKeyUnknownZoneMissingCredentialsAndValidation() async throws {
        let fake = try MythicBeastsFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-username, --auth-password") {
            try await mythicBeastsClient(fake, domain: "known.example", secret: "wrong").authenticate()
        }
        await expectStatus(3, containing: "--auth-token or LEXICON_MYTHICBEASTS_AUTH_TOKEN") {
            try await mythicBeastsClient(fake, domain: "known.example", token: "stale").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await mythicBeastsClient(fake, domain: "other.example").authenticate()
        }
        await expectStatus(2, containing: "--auth-token") {
            _ = try await Client(
                config: ConfigResolver().withDict([
                    "provider_name": "mythicbeasts", "domain": .value("known.example"),
                    "mythicbeasts": .mapping(["auth_username": .value("key")]),
                ]), registry: .standard
            ).listRecords()
        }
        let client = try mythicBeastsClient(fake, domain: "known.example")
        try await client.createRecord(type: .cname, name: "alias", content: "known.example.")
        await expectStatus(1, containing: "conflicts") {
            try await client.createRecord(type: .txt, name: "alias", content: "beside a CNAME")
        }
    }
}
