import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func dnsimpleClient(_ fake: DNSimpleFake, domain: String, options: [String: ConfigValue]? = nil) throws -> Client {
    var all = options ?? ["auth_token": .value(fake.accountToken)]
    all["api_endpoint"] = .value(fake.endpoint)
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "dnsimple", "domain": .value(domain), "dnsimple": .mapping(all),
        ]), registry: .standard)
}

@Suite("dnsimple against its fake")
struct DNSimpleProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try DNSimpleFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try dnsimpleClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func userTokensAndBasicAuthFindTheAccountAndEveryPageIsRead() async throws {
        let fake = try DNSimpleFake(zones: ["acct.example"])
        defer { fake.stop() }
        for options: [String: ConfigValue] in [
            ["auth_token": .value(fake.userToken)],
            ["auth_username": .value(fake.user), "auth_password": .value(fake.password), "auth_2fa": .value(fake.otp)],
        ] {
            let client = try dnsimpleClient(fake, domain: "acct.example", options: options)
            try await client.createRecord(type: .txt, name: "n\(options.count)", content: "v")
        }
        let client = try dnsimpleClient(fake, domain: "acct.example")
        for index in 0..<5 { try await client.createRecord(type: .a, name: "h\(index)", content: "192.0.2.\(index)") }
        #expect(try await client.listRecords().count == 2 + 2 + 5)
        #expect(fake.requests.contains { $0.path.contains("page=3") })
    }

    @Test func srvPriorityTravelsApartAndUpdatesPatch() async throws {
        let fake = try DNSimpleFake(zones: ["srv.example"])
        defer { fake.stop() }
        let client = try dnsimpleClient(fake, domain: "srv.example")
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "10 5 5060 sip.srv.example")
        #expect(
            fake.stored("srv.example").last.map { [$0.content, String($0.priority ?? -1)] } == [
                "5 5060 sip.srv.example", "10",
            ])
        #expect(try await client.listRecords(type: .srv).map(\.content) == ["10 5 5060 sip.srv.example"])
        try await client.createRecord(type: .txt, name: "change", content: "text")
        let txt = try #require(try await client.listRecords(type: .txt, name: "change").first)
        try await client.updateRecord(identifier: txt.id, type: .txt, name: "change", content: "new text")
        #expect(try await client.listRecords(name: "change").map(\.content) == ["new text"])
        #expect(fake.requests.contains { $0.method == "PATCH" })
    }

    @Test func badCredentialsAndUnknownZone() async throws {
        let fake = try DNSimpleFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "LEXICON_DNSIMPLE_AUTH_TOKEN") {
            try await dnsimpleClient(fake, domain: "known.example", options: ["auth_token": "nope"]).authenticate()
        }
        await expectStatus(3, containing: "--auth-2fa") {
            try await dnsimpleClient(
                fake, domain: "known.example",
                options: ["auth_username": .value(fake.user), "auth_password": .value(fake.password)]
            ).authenticate()
        }
        await expectStatus(3, containing: "No domain found for missing.example") {
            try await dnsimpleClient(fake, domain: "missing.example").authenticate()
        }
    }
}
