import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func netcupClient(_ fake: NetcupFake, domain: String, password: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "netcup", "domain": .value(domain),
            "netcup": .mapping([
                "auth_customer_id": .value(fake.customerNumber), "auth_api_key": .value(fake.apiKey),
                "auth_api_password": .value(password ?? fake.apiPassword), "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("netcup against its fake")
struct NetcupProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        // netcup has one TTL per zone: the suite expects 3600 for records created without a TTL, and the group
        // that writes TTL 600 (and checks an update keeps it) runs on a zone whose TTL is 600.
        let fake = try NetcupFake(domains: [domain], ttl: group == .beyondLexicon ? 600 : 3600)
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try netcupClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func oneURLSessionInEveryCallAndLogoutAfterAChange() async throws {
        let fake = try NetcupFake(domains: ["session.example"])
        defer { fake.stop() }
        let client = try netcupClient(fake, domain: "session.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
        #expect(fake.openSessions == 0, "the session is closed after a change")
        let bodies = fake.requests.compactMap { $0.body.flatMap { try? JSONValue(parsing: $0) } }
        #expect(
            fake.requests.allSatisfy { $0.method == "POST" && $0.path == "/run/webservice/servers/endpoint.php?JSON" })
        #expect(
            bodies.map { $0["action"]?.string ?? "" } == [
                "login", "infoDnsZone", "infoDnsRecords", "updateDnsRecords", "logout",
            ])
        #expect(bodies.first?["param"]?["apipassword"]?.string == fake.apiPassword)
        for body in bodies.dropFirst() {
            #expect(body["param"]?["apipassword"] == nil, "only login carries the password")
            #expect(body["param"]?["apisessionid"]?.string?.isEmpty == false)
            #expect(body["param"]?["customernumber"]?.string == fake.customerNumber)
        }
    }

    @Test func anExpiredSessionLogsInAgainOnce() async throws {
        let fake = try NetcupFake(domains: ["expiry.example"])
        defer { fake.stop() }
        let client = try netcupClient(fake, domain: "expiry.example")
        _ = try await client.listRecords()
        #expect(fake.loginCount == 1)
        fake.expireSessions()
        try await client.createRecord(type: .txt, name: "later", content: "v")
        #expect(fake.loginCount == 2)
        #expect(fake.stored("expiry.example").map(\.destination) == ["v"])
    }

    @Test func fieldsRelativeApexAtMXPriorityAndZoneTTL() async throws {
        let fake = try NetcupFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try netcupClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "apex \"quoted\" text")
        try await client.createRecord(type: .mx, name: "fields.example.", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "Alias", content: "fields.example.")
        let stored = fake.stored("fields.example")
        #expect(
            stored.first { $0.type == "TXT" }.map { $0.hostname == "@" && $0.destination == "apex \"quoted\" text" }
                == true)
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.hostname == "@" && mx?.priority == "10" && mx?.destination == "mail.fields.example")
        #expect(stored.first { $0.type == "SRV" }?.destination == "20 5 5060 sip.fields.example")
        #expect(stored.first { $0.type == "CNAME" }?.hostname == "alias")
        let all = try await client.listRecords()
        #expect(all.allSatisfy { $0.ttl == 86400 }, "every record lists with the zone's TTL")
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" })
        #expect(all.contains { $0.type == .mx && $0.priority == 10 && $0.content == "mail.fields.example" })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
    }

    @Test func aTTLOtherThanTheZonesIsRefusedNamingIt() async throws {
        let fake = try NetcupFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try netcupClient(fake, domain: "ttl.example")
        await expectStatus(2, containing: "zone's TTL 86400") {
            try await client.createRecord(type: .a, name: "www", content: "192.0.2.1", ttl: 300)
        }
        #expect(fake.stored("ttl.example").isEmpty)
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1", ttl: 86400)
        try await client.updateRecord(type: .a, name: "www", content: "192.0.2.2")
        await expectStatus(2, containing: "--ttl 60") {
            try await client.updateRecord(type: .a, name: "www", content: "192.0.2.3", ttl: 60)
        }
        #expect(fake.stored("ttl.example").map(\.destination) == ["192.0.2.2"])
    }

    @Test func wrongPasswordUnknownZoneAndValidation() async throws {
        let fake = try NetcupFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-api-password") {
            try await netcupClient(fake, domain: "known.example", password: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await netcupClient(fake, domain: "other.example").authenticate()
        }
        let client = try netcupClient(fake, domain: "known.example")
        try await client.createRecord(type: .cname, name: "alias", content: "known.example.")
        await expectStatus(1, containing: "CNAME") {
            try await client.createRecord(type: .txt, name: "alias", content: "beside a CNAME")
        }
    }

    @Test func theRequestLimitIsNotACredentialsProblem() async throws {
        let fake = try NetcupFake(domains: ["busy.example"], requestsPerMinute: 3)
        defer { fake.stop() }
        _ = try await netcupClient(fake, domain: "busy.example").listRecords()
        await expectStatus(1, containing: "requests per minute") {
            try await netcupClient(fake, domain: "busy.example").authenticate()
        }
    }

    @Test func updatesKeepTheIdAndDeletesSendTheWholeRecordFlagged() async throws {
        let fake = try NetcupFake(domains: ["ids.example"])
        defer { fake.stop() }
        let client = try netcupClient(fake, domain: "ids.example")
        try await client.createRecord(type: .txt, name: "keep", content: "one")
        let id = try #require(fake.stored("ids.example").first?.id)
        try await client.updateRecord(type: .txt, name: "keep", content: "two")
        #expect(fake.stored("ids.example").map { "\($0.id) \($0.destination)" } == ["\(id) two"])
        try await client.deleteRecord(identifier: try #require(try await client.listRecords().first?.id), type: .txt)
        #expect(fake.stored("ids.example").isEmpty)
        let last = try #require(
            fake.requests.compactMap { $0.body.flatMap { try? JSONValue(parsing: $0) } }
                .last { $0["action"]?.string == "updateDnsRecords" })
        let sent = try #require(last["param"]?["dnsrecordset"]?["dnsrecords"]?.array?.first)
        #expect(sent["id"]?.string == id && sent["deleterecord"]?.bool == true)
        #expect(
            sent["hostname"]?.string == "keep" && sent["type"]?.string == "TXT" && sent["destination"]?.string == "two")
    }
}
