import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func namecheapClient(_ fake: NamecheapFake, domain: String, key: String? = nil, ip: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "namecheap", "domain": .value(domain),
            "namecheap": .mapping([
                "auth_token": .value(key ?? fake.apiKey), "auth_username": .value(fake.user),
                "auth_client_ip": .value(ip ?? fake.clientIP), "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("namecheap against its fake")
struct NamecheapProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try NamecheapFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try namecheapClient(fake, domain: name)
        }
        try await suite.run(group)
        // The URL redirect lexicon does not handle went back with every setHosts.
        #expect(fake.stored(domain).contains { $0.type == "URL301" && $0.address == "https://new.example.org/" })
    }

    @Test func mxSurvivesOtherChangesAndAnIncompleteReadWritesNothing() async throws {
        let fake = try NamecheapFake(domains: ["mail.example"])
        defer { fake.stop() }
        let client = try namecheapClient(fake, domain: "mail.example")
        try await client.createRecord(type: .mx, name: "@", content: "mx.mail.example", priority: 5)
        try await client.createRecord(type: .txt, name: "@", content: "v=spf1 mx -all")
        #expect(fake.stored("mail.example").map(\.type).sorted() == ["MX", "TXT", "URL301"])
        let before = fake.stored("mail.example")
        fake.truncateNextListing()
        do {
            try await client.createRecord(type: .a, name: "www", content: "192.0.2.8")
            Issue.record("a write followed an incomplete read")
        } catch let error as LexiconError {
            #expect(error.code == .provider)
        }
        #expect(fake.stored("mail.example") == before)
    }

    @Test func credentialsIPAndUnknownDomain() async throws {
        let fake = try NamecheapFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-client-ip") {
            try await namecheapClient(fake, domain: "known.example", key: "bad").authenticate()
        }
        await expectStatus(3, containing: "whitelisted") {
            try await namecheapClient(fake, domain: "known.example", ip: "203.0.113.9").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await namecheapClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func xmlReaderHandlesEntitiesAndRejectsGarbage() throws {
        let root = try XMLElement(
            parsing: Array(
                "<?xml version=\"1.0\"?><a x=\"1 &amp; 2\"><!-- c --><b>&lt;t&gt; &#233;<![CDATA[ <raw> ]]></b></a>"
                    .utf8))
        #expect(root.attributes["x"] == "1 & 2")
        #expect(root.child("b")?.text == "<t> é <raw> ")
        for bad in ["", "<a>", "<a></b>", "<a x=1/>", "<a>&bogus;</a>", String(repeating: "<a>", count: 200)] {
            #expect(throws: XMLParseError.self) { try XMLElement(parsing: Array(bad.utf8)) }
        }
    }
}
