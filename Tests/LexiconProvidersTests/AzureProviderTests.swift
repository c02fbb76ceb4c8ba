import Foundation
import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func azureOptions(_ fake: AzureFake) -> [String: String] {
    [
        "auth_client_id": fake.clientID, "auth_client_secret": fake.clientSecret, "auth_tenant_id": fake.tenant,
        "auth_subscription_id": fake.subscription, "resource_group": fake.resourceGroup,
        "api_endpoint": fake.endpoint, "token_endpoint": fake.tokenEndpoint,
    ]
}

func azureClient(_ fake: AzureFake, domain: String, changing: [String: String] = [:]) throws -> Client {
    let options = azureOptions(fake).merging(changing) { $1 }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "azure", "domain": .value(domain),
            "azure": .mapping(options.mapValues { .value($0) }),
        ]), registry: .standard)
}

func azureProvider(_ fake: AzureFake, zone: String, transport: (any HTTPTransport)? = nil) throws -> AzureProvider {
    let context = try ProviderContext(
        providerName: "azure", zone: zone,
        config: ConfigResolver().withDict(["azure": .mapping(azureOptions(fake).mapValues { .value($0) })]))
    return try AzureProvider(context: context, transport: transport)
}

@Suite("azure against its fake")
struct AzureProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try AzureFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try azureClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    /// MX and SRV go out with every field (dns-lexicon 3.25.1 sends only the exchange and the target), TXT values
    /// longer than 255 bytes as several strings, names relative with `@` for the apex.
    @Test func fieldsOfMXSRVTXTAndCAA() async throws {
        let fake = try AzureFake(zones: ["fields.example"])
        defer { fake.stop() }
        let client = try azureClient(fake, domain: "fields.example")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example", priority: 20)
        let mx = try #require(fake.stored("fields.example").first { $0.type == "MX" })
        #expect(mx.name == "@")
        #expect(
            mx.values.array?.first?["preference"]?.int == 20
                && mx.values.array?.first?["exchange"]?.string == "mail.fields.example")
        let put = try #require(fake.requests.last { $0.method == "PUT" })
        #expect(put.path.contains("/dnsZones/fields.example/MX/%40?api-version=2018-05-01"))
        #expect(put.header("if-none-match") == "*")
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "10 60 5060 sip.fields.example")
        let srv = try #require(fake.stored("fields.example").first { $0.type == "SRV" }?.values.array?.first)
        #expect(srv["priority"]?.int == 10 && srv["weight"]?.int == 60 && srv["port"]?.int == 5060)
        #expect(srv["target"]?.string == "sip.fields.example")
        let long = String(repeating: "0123456789", count: 60) + "é"
        try await client.createRecord(type: .txt, name: "long", content: long)
        let strings = try #require(
            fake.stored("fields.example").first { $0.type == "TXT" }?.values.array?.first?["value"]?.array)
        #expect(strings.count == 3 && strings.allSatisfy { ($0.string ?? "").utf8.count <= 255 })
        try await client.createRecord(type: .caa, name: "@", content: "0 issue \"letsencrypt.org\"")
        let listed = try await client.listRecords()
        #expect(listed.first { $0.type == .txt }?.content == long)
        #expect(listed.first { $0.type == .mx }.map { ($0.content, $0.priority) }! == ("mail.fields.example", 20))
        #expect(listed.first { $0.type == .srv }?.content == "10 60 5060 sip.fields.example")
        #expect(listed.first { $0.type == .caa }?.content == "0 issue \"letsencrypt.org\"")
        #expect(listed.first { $0.type == .soa }?.content.hasPrefix("ns1-01.azure-dns.com ") == true)
        // The fake refuses what the lexicon bug sent: an MX without a preference.
        let probe = try await AzureFakeProbe(fake).put(
            "fields.example", "MX", "bug", ["MXRecords": .array([.object([("exchange", .string("mx.example"))])])])
        #expect(probe.status == 400 && probe.text.contains("preference"))
        let chunk = try await AzureFakeProbe(fake).put(
            "fields.example", "TXT", "big",
            ["TXTRecords": .array([.object([("value", .array([.string(String(repeating: "x", count: 256))]))])])])
        #expect(chunk.status == 400)
    }

    @Test func cnameIsAloneAndSingle() async throws {
        let fake = try AzureFake(zones: ["alias.example"])
        defer { fake.stop() }
        let client = try azureClient(fake, domain: "alias.example")
        try await client.createRecord(type: .cname, name: "www", content: "target.example.org")
        #expect(
            fake.stored("alias.example").first { $0.type == "CNAME" }?.values["cname"]?.string == "target.example.org")
        await expectStatus(1, containing: "CNAME") {
            try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        }
        await #expect(throws: LexiconError.self) {
            try await client.createRecord(type: .cname, name: "www", content: "other.example.org")
        }
        let two = try await AzureFakeProbe(fake).put(
            "alias.example", "CNAME", "two", ["CNAMERecords": .array([.object([("cname", .string("a.example"))])])])
        #expect(two.status == 400)
        let apex = try await AzureFakeProbe(fake).put(
            "alias.example", "CNAME", "@", ["CNAMERecord": .object([("cname", .string("a.example"))])])
        #expect(apex.status == 400)
    }

    @Test func zonesAndSetsArePagedByNextLink() async throws {
        let fake = try AzureFake(zones: ["paged.example"], fillerZones: 5)
        defer { fake.stop() }
        for index in 0..<10 {
            fake.seed(
                "paged.example", name: "h\(index)", type: "A",
                values: .array([.object([("ipv4Address", .string("192.0.2.\(index)"))])]))
        }
        let client = try azureClient(fake, domain: "paged.example")
        #expect(try await client.listRecords(type: .a).count == 10)
        let zonePages = fake.requests.filter { $0.method == "GET" && $0.path.contains("/dnsZones?") }
        let setPages = fake.requests.filter { $0.method == "GET" && $0.path.contains("/recordsets?") }
        #expect(zonePages.count == 2 && setPages.count == 4)
        #expect(setPages.last?.path.contains("skipToken=9") == true)
        // A nextLink to another origin is not followed: the token would go there.
        fake.sendNextLinks(to: "http://198.51.100.7:8080")
        await expectStatus(1, containing: "nextLink points at http://198.51.100.7:8080") {
            _ = try await azureClient(fake, domain: "paged.example").listRecords()
        }
        fake.sendNextLinks(to: fake.endpoint)
        fake.ignorePaging()
        await expectStatus(1, containing: "repeats page 1") {
            _ = try await azureClient(fake, domain: "paged.example").listRecords()
        }
    }

    /// Writes are conditional on the etag as read: a set changed (or created) meanwhile is a 412, a conflict that
    /// makes the shared write path read and merge again.
    @Test func etagsMakeChangedSetsAConflict() async throws {
        let fake = try AzureFake(zones: ["race.example"])
        defer { fake.stop() }
        let provider = try azureProvider(fake, zone: "race.example")
        let first = Record(type: .txt, name: "t.race.example", ttl: 300, content: "one")
        try await provider.putSet(name: first.name, type: .txt, ttl: 300, values: [first], current: nil)
        await #expect {
            try await provider.putSet(name: first.name, type: .txt, ttl: 300, values: [first], current: nil)
        } throws: { ($0 as? LexiconError)?.code == .conflict }
        let set = try #require(try await provider.fetchSets().first { $0.type == .txt })
        let etag = try #require(fake.stored("race.example").first { $0.type == "TXT" }?.etag)
        fake.touch(
            "race.example", name: "t", type: "TXT", values: .array([.object([("value", .array([.string("rival")]))])]))
        await #expect {
            try await provider.putSet(name: first.name, type: .txt, ttl: 300, values: set.records, current: set)
        } throws: { ($0 as? LexiconError)?.code == .conflict }
        #expect(fake.requests.last { $0.method == "PUT" }?.header("if-match") == etag)
        await #expect { try await provider.deleteSet(set) } throws: { ($0 as? LexiconError)?.code == .conflict }
        // Through the client the change is merged again and both values stay.
        try await azureClient(fake, domain: "race.example").createRecord(type: .txt, name: "t", content: "two")
        let values = fake.stored("race.example").first { $0.type == "TXT" }?.values.array?.compactMap {
            $0["value"]?.array?.first?.string
        }
        #expect(Set(values ?? []) == ["rival", "two"])
    }

    @Test func tokensAreCachedRenewedAndRefusedWhenWrong() async throws {
        // A lifetime no busy machine outlasts: renewal before expiry is tested with an injected clock in
        // OAuthTokenSourceTests; here one token serves every command, and a refused one is replaced.
        let fake = try AzureFake(zones: ["token.example"], tokenLifetime: 3600)
        defer { fake.stop() }
        let client = try azureClient(fake, domain: "token.example")
        try await client.createRecord(type: .a, name: "a", content: "192.0.2.1")
        try await client.createRecord(type: .a, name: "b", content: "192.0.2.2")
        #expect(try await client.listRecords(type: .a).count == 2)
        #expect(fake.tokenRequests == 1)
        // A token the API refuses early (revoked, or expired at Azure) is replaced once.
        fake.expireTokens()
        #expect(try await client.listRecords(type: .a).count == 2)
        #expect(fake.tokenRequests == 2)
        await expectStatus(3, containing: "AADSTS7000215") {
            try await azureClient(fake, domain: "token.example", changing: ["auth_client_secret": "wrong-secret"])
                .authenticate()
        }
        await expectStatus(3, containing: "--auth-client-secret") {
            try await azureClient(fake, domain: "token.example", changing: ["auth_tenant_id": "other-tenant"])
                .authenticate()
        }
    }

    @Test func unknownZoneGroupAndThrottling() async throws {
        let fake = try AzureFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await azureClient(fake, domain: "other.example").authenticate()
        }
        await expectStatus(3, containing: "No domain found for known.example") {
            try await azureClient(fake, domain: "known.example", changing: ["resource_group": "elsewhere"])
                .authenticate()
        }
        fake.throttle(next: 1)
        let started = ContinuousClock.now
        try await azureClient(fake, domain: "known.example").createRecord(type: .a, name: "w", content: "192.0.2.9")
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(fake.stored("known.example").contains { $0.name == "w" })
        let bad = try await AzureFakeProbe(fake).put(
            "known.example", "A", "x", ["ARecords": .array([.object([("ipv4Address", .string("300.1.1.1"))])])])
        #expect(bad.status == 400 && bad.text.contains("\"code\":\"BadRequest\""))
    }
}

/// Raw requests to the fake, to check what it refuses.
struct AzureFakeProbe {
    let fake: AzureFake

    init(_ fake: AzureFake) { self.fake = fake }

    func put(_ zone: String, _ type: String, _ name: String, _ fields: [String: JSONValue], ttl: Int = 3600)
        async throws -> (status: Int, text: String)
    {
        let transport = CurlTransport(configuration: .init(connectTimeout: 2, totalTimeout: 10))
        let form = URLQuery.encode([
            ("grant_type", "client_credentials"), ("client_id", fake.clientID), ("client_secret", fake.clientSecret),
            ("scope", fake.endpoint + "/.default"),
        ])
        let token = try await transport.send(
            HTTPRequest(
                method: "POST", url: fake.tokenEndpoint + "/\(fake.tenant)/oauth2/v2.0/token",
                headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8)))
        let value = try JSONValue(parsing: token.body)["access_token"]?.string ?? ""
        let properties = JSONValue.object(
            [("TTL", .int(ttl))] + fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let path =
            "/subscriptions/\(fake.subscription)/resourceGroups/\(fake.resourceGroup)/providers/Microsoft.Network"
            + "/dnsZones/\(zone)/\(type)/\(name)?api-version=2018-05-01"
        let response = try await transport.send(
            HTTPRequest(
                method: "PUT", url: fake.endpoint + path,
                headers: [
                    HTTPHeader("Authorization", "Bearer " + value), HTTPHeader("Content-Type", "application/json"),
                ],
                body: JSONValue.object([("properties", properties)]).encoded()))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }
}
