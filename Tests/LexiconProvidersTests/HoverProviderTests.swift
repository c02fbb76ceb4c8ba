import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func hoverClient(_ fake: HoverFake, domain: String, password: String? = nil, totp: String?? = .none) throws -> Client {
    var options: [String: ConfigValue] = [
        "auth_username": .value(fake.username), "auth_password": .value(password ?? fake.password),
        "api_endpoint": .value(fake.endpoint),
    ]
    if let secret = totp ?? fake.totpSecret { options["auth_totp_secret"] = .value(secret) }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "hover", "domain": .value(domain), "hover": .mapping(options),
        ]), registry: .standard)
}

@Suite("hover against its fake")
struct HoverProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try HoverFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try hoverClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func signsInWithCookiesPasswordAndTOTPThenNeverSendsAnEmptyBody() async throws {
        let fake = try HoverFake(domains: ["session.example"])
        defer { fake.stop() }
        let client = try hoverClient(fake, domain: "session.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        _ = try await client.listRecords()
        #expect(fake.signInCount == 1, "one session serves every call")
        #expect(
            fake.requests.prefix(3).map { "\($0.method) \($0.path)" } == [
                "GET /signin", "POST /signin/auth.json", "POST /signin/auth2.json",
            ])
        let code = try JSONValue(parsing: try #require(fake.requests[2].body))["code"]?.string
        #expect(code?.count == 6 && code?.allSatisfy(\.isNumber) == true)
        for request in fake.requests.dropFirst(3) {
            #expect(request.header("cookie")?.contains("hoverauth=") == true)
            #expect(request.method == "GET" ? request.body == nil : request.body?.isEmpty == false)
        }
        let post = try JSONValue(parsing: try #require(fake.requests.last { $0.method == "POST" }?.body))
        #expect(post["id"]?.string == "domain-session.example")
        #expect(post["dns_record"]?["name"]?.string == "www" && post["dns_record"]?["ttl"]?.string == "3600")
    }

    @Test func anExpiredSessionSignsInAgainOnce() async throws {
        let fake = try HoverFake(domains: ["expiry.example"])
        defer { fake.stop() }
        let client = try hoverClient(fake, domain: "expiry.example")
        _ = try await client.listRecords()
        fake.expireSessions()
        try await client.createRecord(type: .txt, name: "later", content: "v")
        #expect(fake.signInCount == 2)
        #expect(fake.stored("expiry.example").map(\.content) == ["v"])
    }

    @Test func anAccountWithoutTwoFactorNeedsNoSecretAndOneWithItSaysSo() async throws {
        let plain = try HoverFake(domains: ["plain.example"], twoFactor: false)
        defer { plain.stop() }
        _ = try await hoverClient(plain, domain: "plain.example", totp: .some(nil)).listRecords()
        #expect(!plain.requests.contains { $0.path == "/signin/auth2.json" })
        let guarded = try HoverFake(domains: ["guarded.example"])
        defer { guarded.stop() }
        await expectStatus(3, containing: "--auth-totp-secret") {
            try await hoverClient(guarded, domain: "guarded.example", totp: .some(nil)).authenticate()
        }
        await expectStatus(3, containing: "Invalid verification code") {
            try await hoverClient(guarded, domain: "guarded.example", totp: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
                .authenticate()
        }
        let mailed = try HoverFake(domains: ["mailed.example"], secondFactor: "email")
        defer { mailed.stop() }
        await expectStatus(3, containing: "authenticator-app") {
            try await hoverClient(mailed, domain: "mailed.example").authenticate()
        }
        await expectStatus(2, containing: "base32") {
            try await hoverClient(guarded, domain: "guarded.example", totp: "not base32!").authenticate()
        }
    }

    @Test func fieldsRelativeNamesAndMXPriorityInTheContent() async throws {
        let fake = try HoverFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try hoverClient(fake, domain: "fields.example")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example")
        let mx = fake.stored("fields.example").first { $0.type == "MX" }
        #expect(mx?.name == "@" && mx?.content == "10 mail.fields.example")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
    }

    @Test func anUpdateAddsTheNewRecordBeforeDeletingTheOld() async throws {
        let fake = try HoverFake(domains: ["update.example"])
        defer { fake.stop() }
        let client = try hoverClient(fake, domain: "update.example")
        try await client.createRecord(type: .txt, name: "keep", content: "one")
        try await client.updateRecord(type: .txt, name: "keep", content: "two")
        #expect(fake.stored("update.example").map(\.content) == ["two"])
        let writes = fake.requests.filter { $0.method == "POST" || $0.method == "DELETE" }.map(\.method)
        #expect(writes.suffix(3) == ["POST", "POST", "DELETE"])
        try await client.updateRecord(type: .txt, name: "keep", content: "two", ttl: 600)
        #expect(fake.stored("update.example").map { "\($0.content) \($0.ttl)" } == ["two 600"])
        // A CNAME stands alone at its name, so its old record goes first.
        try await client.createRecord(type: .cname, name: "alias", content: "one.update.example")
        try await client.updateRecord(type: .cname, name: "alias", content: "two.update.example")
        #expect(fake.stored("update.example").filter { $0.type == "CNAME" }.map(\.content) == ["two.update.example"])
    }

    @Test func wrongPasswordAndUnknownDomain() async throws {
        let fake = try HoverFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "Invalid username or password") {
            try await hoverClient(fake, domain: "known.example", password: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await hoverClient(fake, domain: "other.example").authenticate()
        }
    }
}
