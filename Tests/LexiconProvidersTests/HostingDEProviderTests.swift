import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func hostingDEClient(_ fake: HostingDEFake, domain: String, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "hostingde", "domain": .value(domain),
            "hostingde": .mapping(["auth_token": .value(token ?? fake.token), "api_endpoint": .value(fake.endpoint)]),
        ]), registry: .standard)
}

@Suite("hostingde against its fake")
struct HostingDEProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try HostingDEFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try hostingDEClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func everyCallIsAPOSTWithTheTokenInTheBody() async throws {
        let fake = try HostingDEFake(zones: ["calls.example"])
        defer { fake.stop() }
        let client = try hostingDEClient(fake, domain: "calls.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        #expect(fake.requests.allSatisfy { $0.method == "POST" && $0.path.hasPrefix("/api/dns/v1/json/") })
        #expect(
            fake.requests.map { $0.path.split(separator: "/").last.map(String.init) ?? "" } == [
                "zoneConfigsFind", "recordsFind", "zoneUpdate",
            ])
        for request in fake.requests {
            let body = try JSONValue(parsing: try #require(request.body))
            #expect(body["authToken"]?.string == fake.token)
            #expect(request.header("authorization") == nil)
        }
        let update = try JSONValue(parsing: try #require(fake.requests.last?.body))
        #expect(update["zoneConfig"]?["name"]?.string == "calls.example")
        #expect(update["recordsToAdd"]?.array?.first?["name"]?.string == "www.calls.example")
    }

    @Test func fieldsAbsoluteNamesQuotedTXTAndPriorities() async throws {
        let fake = try HostingDEFake(zones: ["fields.example"])
        defer { fake.stop() }
        let client = try hostingDEClient(fake, domain: "fields.example")
        let long = String(repeating: "x", count: 300)
        try await client.createRecord(type: .txt, name: "@", content: "say \"hi\"")
        try await client.createRecord(type: .txt, name: "long", content: long)
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "WWW", content: "fields.example.")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "TXT" && $0.name == "fields.example" }?.content == #""say \"hi\"""#)
        #expect(
            stored.first { $0.name == "long.fields.example" }?.content
                == "\"\(String(repeating: "x", count: 255))\" \"\(String(repeating: "x", count: 45))\"")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.name == "fields.example" && mx?.content == "mail.fields.example" && mx?.priority == 10)
        let srv = stored.first { $0.type == "SRV" }
        #expect(srv?.content == "5 5060 sip.fields.example" && srv?.priority == 20)
        #expect(stored.first { $0.type == "CNAME" }.map { $0.name == "www.fields.example" } == true)
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "say \"hi\"" })
        #expect(all.contains { $0.type == .txt && $0.content == long })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .ns && $0.content == "ns1.hosting.de" })
    }

    @Test func anUpdateIsOneZoneUpdateThatDeletesAndAdds() async throws {
        let fake = try HostingDEFake(zones: ["ids.example"])
        defer { fake.stop() }
        let client = try hostingDEClient(fake, domain: "ids.example")
        try await client.createRecord(type: .txt, name: "keep", content: "one")
        let old = try #require(fake.stored("ids.example").first { $0.type == "TXT" }?.id)
        try await client.updateRecord(type: .txt, name: "keep", content: "two")
        let txt = fake.stored("ids.example").filter { $0.type == "TXT" }
        #expect(txt.map(\.content) == ["\"two\""])
        #expect(txt.first?.id != old, "hosting.de gives the new record a new id")
        let update = try JSONValue(parsing: try #require(fake.requests.last?.body))
        #expect(update["recordsToDelete"]?.array?.map { $0["id"]?.string } == [old])
        #expect(update["recordsToAdd"]?.array?.count == 1)
    }

    @Test func readsEveryPage() async throws {
        let fake = try HostingDEFake(zones: ["pages.example"], maximumLimit: 2)
        defer { fake.stop() }
        let client = try hostingDEClient(fake, domain: "pages.example")
        for index in 0..<4 { try await client.createRecord(type: .txt, name: "t\(index)", content: "v") }
        let before = fake.requests.count
        #expect(try await client.listRecords().count == 3 + 4)
        let pages = fake.requests.dropFirst(before).compactMap { $0.body.flatMap { try? JSONValue(parsing: $0) } }
        #expect(pages.compactMap { $0["page"]?.int } == [1, 2, 3, 4])
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func aBlockedZoneIsTriedAgain() async throws {
        let fake = try HostingDEFake(zones: ["busy.example"])
        defer { fake.stop() }
        let client = try hostingDEClient(fake, domain: "busy.example")
        _ = try await client.listRecords()
        fake.block(next: 1)
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        #expect(fake.stored("busy.example").contains { $0.type == "A" && $0.content == "192.0.2.1" })
    }

    @Test func wrongTokenUnknownZoneLowTTLAndValidation() async throws {
        let fake = try HostingDEFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-token or LEXICON_HOSTINGDE_AUTH_TOKEN") {
            try await hostingDEClient(fake, domain: "known.example", token: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await hostingDEClient(fake, domain: "other.example").authenticate()
        }
        let client = try hostingDEClient(fake, domain: "known.example")
        try await client.createRecord(type: .a, name: "low", content: "192.0.2.1", ttl: 5)
        #expect(fake.stored("known.example").first { $0.type == "A" }?.ttl == 60, "TTLs below 60 are raised")
        try await client.createRecord(type: .cname, name: "alias", content: "known.example.")
        await expectStatus(1, containing: "CNAME") {
            try await client.createRecord(type: .txt, name: "alias", content: "beside a CNAME")
        }
    }
}
