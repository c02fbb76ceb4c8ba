import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func googleCloudDNSOptions(_ fake: GoogleCloudDNSFake, info: String? = nil) -> [String: ConfigValue] {
    [
        "auth_service_account_info": .value(info ?? fake.accountInfo()), "api_endpoint": .value(fake.endpoint),
        "token_endpoint": .value(fake.tokenEndpoint),
    ]
}

func googleCloudDNSClient(_ fake: GoogleCloudDNSFake, domain: String, options: [String: ConfigValue]? = nil) throws
    -> Client
{
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "googleclouddns", "domain": .value(domain),
            "googleclouddns": .mapping(options ?? googleCloudDNSOptions(fake)),
        ]), registry: .standard)
}

@Suite("googleclouddns against its fake")
struct GoogleCloudDNSProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try GoogleCloudDNSFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try googleCloudDNSClient(fake, domain: name)
        }
        try await suite.run(group)
        // The private zone of the same name was never written.
        #expect(fake.storedPrivate(domain).map(\.type).sorted() == ["NS", "SOA"])
    }

    @Test func presentationFormatLongTXTAndOneTokenForEveryRequest() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["sets.example"])
        defer { fake.stop() }
        let client = try googleCloudDNSClient(fake, domain: "sets.example")
        let long = String(repeating: "a", count: 300)
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: long)
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "two \"quoted\"")
        try await client.createRecord(type: .mx, name: "@", content: "mail.sets.example", priority: 10)
        try await client.createRecord(type: .cname, name: "www", content: "sets.example")
        let stored = fake.stored("sets.example")
        let txt = try #require(stored.first { $0.name == "_acme-challenge.sets.example." && $0.type == "TXT" })
        #expect(
            txt.values == [
                "\"\(String(repeating: "a", count: 255))\" \"\(String(repeating: "a", count: 45))\"",
                "\"two \\\"quoted\\\"\"",
            ])
        #expect(stored.first { $0.type == "MX" }?.values == ["10 mail.sets.example."])
        #expect(stored.first { $0.type == "CNAME" }?.values == ["sets.example."])
        #expect(Set(try await client.listRecords(type: .txt).map(\.content)) == [long, "two \"quoted\""])
        let mx = try #require(try await client.listRecords(type: .mx).first)
        #expect(mx.content == "mail.sets.example" && mx.priority == 10)
        // Zones and record sets are read two a page.
        #expect(fake.requests.filter { $0.url.contains("pageToken=") }.count >= 2)
        // One token served every request of the process.
        #expect(fake.tokensRequested == 1)
        let authorizations = Set(
            fake.requests.filter { !$0.url.hasSuffix("/token") }.compactMap { $0.header("authorization") })
        #expect(authorizations.count == 1 && authorizations.first?.hasPrefix("Bearer ya29.") == true)
    }

    @Test func aStaleSetIsAConflictAndABadValueIsRefused() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["race.example"])
        defer { fake.stop() }
        let context = try ProviderContext(
            providerName: "googleclouddns", zone: "race.example",
            config: ConfigResolver().withDict(["googleclouddns": .mapping(googleCloudDNSOptions(fake))]))
        let provider = try GoogleCloudDNSProvider(context: context)
        let one = Record(type: .txt, name: "t.race.example", ttl: 300, content: "one")
        try await provider.putSet(name: one.name, type: .txt, ttl: 300, values: [one], current: nil)
        let read = try #require(try await provider.fetchSets().first { $0.name == one.name })
        // Adding a set that exists (409 alreadyExists) and deleting one as it no longer is (412 conditionNotMet).
        await #expect {
            try await provider.putSet(name: one.name, type: .txt, ttl: 300, values: [one], current: nil)
        } throws: { ($0 as? LexiconError)?.code == .conflict }
        let two = Record(type: .txt, name: one.name, ttl: 300, content: "two")
        try await provider.putSet(name: one.name, type: .txt, ttl: 300, values: [one, two], current: read)
        await #expect {
            try await provider.putSet(name: one.name, type: .txt, ttl: 600, values: [one], current: read)
        } throws: { ($0 as? LexiconError)?.code == .conflict }
        await #expect {
            try await provider.deleteSet(read)
        } throws: { ($0 as? LexiconError)?.code == .conflict }
        #expect(fake.stored("race.example").first { $0.name == "t.race.example." }?.values == ["\"one\"", "\"two\""])
        let bad = Record(type: .a, name: "bad.race.example", ttl: 300, content: "not-an-address")
        await #expect {
            try await provider.putSet(name: bad.name, type: .a, ttl: 300, values: [bad], current: nil)
        } throws: { ($0 as? LexiconError)?.message.contains("rrdata[0]") == true }
        let outside = Record(type: .a, name: "www.other.example", ttl: 300, content: "192.0.2.1")
        await #expect {
            try await provider.putSet(name: outside.name, type: .a, ttl: 300, values: [outside], current: nil)
        } throws: { ($0 as? LexiconError)?.message.contains("not a subdomain") == true }
        let cname = Record(type: .cname, name: "t.race.example", ttl: 300, content: "race.example")
        await #expect {
            try await provider.putSet(name: cname.name, type: .cname, ttl: 300, values: [cname], current: nil)
        } throws: { ($0 as? LexiconError)?.message.contains("cnameResourceRecordSetConflict") == true }
    }

    @Test func aRevokedTokenIsReplacedOnce() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["tokens.example"])
        defer { fake.stop() }
        try await googleCloudDNSClient(fake, domain: "tokens.example").createRecord(
            type: .a, name: "a", content: "192.0.2.1")
        fake.revokeTokens()
        try await googleCloudDNSClient(fake, domain: "tokens.example").createRecord(
            type: .a, name: "b", content: "192.0.2.2")
        #expect(fake.tokensRequested == 2)
    }

    @Test func anExpiredTokenIsRefusedWith401() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["expiry.example"])
        defer { fake.stop() }
        // Tokens that expire as they are issued: the API refuses each, and one fresh token is tried.
        fake.setTokenLifetime(0)
        await expectStatus(3, containing: "the access token was refused (HTTP 401)") {
            try await googleCloudDNSClient(fake, domain: "expiry.example").authenticate()
        }
        #expect(fake.tokensRequested == 2)
        fake.setTokenLifetime(3600)
        try await googleCloudDNSClient(fake, domain: "expiry.example").authenticate()
    }

    @Test func keyFileFormsAndItsTokenURI() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["forms.example"])
        defer { fake.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The key file names the fake as its token_uri: no token endpoint option is needed.
        let path = try directory.write("key.json", fake.keyFile(tokenURI: fake.tokenEndpoint), mode: 0o600)
        for info in ["file::\(path)", fake.keyFile(tokenURI: fake.tokenEndpoint)] {
            let options: [String: ConfigValue] = [
                "auth_service_account_info": .value(info), "api_endpoint": .value(fake.endpoint),
            ]
            try await googleCloudDNSClient(fake, domain: "forms.example", options: options).authenticate()
        }
        #expect(fake.requests.first?.url == fake.tokenEndpoint)
    }

    @Test func wrongKeyAndUnknownZone() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["known.example"])
        defer { fake.stop() }
        let otherKey = await CommandRunner.run(
            CommandRunner.which("openssl") ?? "openssl",
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        ).stdout
        let wrong = googleCloudDNSOptions(fake, info: fake.accountInfo(privateKey: otherKey))
        do {
            try await googleCloudDNSClient(fake, domain: "known.example", options: wrong).authenticate()
            Issue.record("a wrong key was accepted")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3)
            let text = error.commandLineDescription
            #expect(text.contains("invalid_grant") && text.contains("--auth-service-account-info"), "\(text)")
            #expect(!text.contains("PRIVATE KEY") && !text.contains("MII"))
        }
        // Tokens are shared per account and token endpoint within a process: the right key gets a fake of its own.
        let other = try GoogleCloudDNSFake(zones: ["known.example"])
        defer { other.stop() }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await googleCloudDNSClient(other, domain: "other.example").authenticate()
        }
        await expectStatus(2, containing: "must be file::PATH") {
            try await googleCloudDNSClient(
                fake, domain: "known.example", options: googleCloudDNSOptions(fake, info: "/no/prefix.json")
            ).authenticate()
        }
    }

    @Test func pagingIgnoredIsAnError() async throws {
        let fake = try GoogleCloudDNSFake(zones: ["pages.example"])
        defer { fake.stop() }
        fake.ignorePaging()
        await expectStatus(1, containing: "repeats page 1") {
            try await googleCloudDNSClient(fake, domain: "pages.example").authenticate()
        }
    }
}
