import Foundation
import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func cloudflareClient(_ fake: CloudflareFake, domain: String, options: [String: ConfigValue] = [:]) throws -> Client {
    var all: [String: ConfigValue] = ["auth_token": .value(fake.token), "api_endpoint": .value(fake.endpoint)]
    all.merge(options) { _, new in new }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "cloudflare", "domain": .value(domain), "cloudflare": .mapping(all),
        ]), registry: .standard)
}

@Suite("cloudflare against its fake")
struct CloudflareProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try CloudflareFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try cloudflareClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func everyPageIsRead() async throws {
        let fake = try CloudflareFake(zones: ["paged.example"])
        defer { fake.stop() }
        let client = try cloudflareClient(fake, domain: "paged.example")
        for index in 0..<11 { try await client.createRecord(type: .txt, name: "many", content: "value \(index)") }
        let listed = try await client.listRecords(type: .txt, name: "many")
        #expect(listed.count == 11)
        #expect(Set(listed.map(\.id)).count == 11)
        #expect(fake.requests.filter { $0.path.contains("dns_records?page=3") }.count >= 1)
    }

    @Test func wrongTokenIsStatusThreeNamingTheOption() async throws {
        let fake = try CloudflareFake(zones: ["auth.example"])
        defer { fake.stop() }
        let client = try cloudflareClient(fake, domain: "auth.example", options: ["auth_token": "wrong-token"])
        do {
            try await client.createRecord(type: .a, name: "www", content: "192.0.2.1")
            Issue.record("a wrong token was accepted")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3)
            #expect(error.description.contains("LEXICON_CLOUDFLARE_AUTH_TOKEN"))
            #expect(!error.description.contains("wrong-token"))
        }
        #expect(fake.stored("auth.example").isEmpty)
    }

    @Test func globalKeyModeAndZoneID() async throws {
        let fake = try CloudflareFake(zones: ["global.example"])
        defer { fake.stop() }
        let client = try cloudflareClient(
            fake, domain: "global.example",
            options: [
                "auth_token": .value(fake.globalKey), "auth_username": .value(fake.email),
                "zone_id": .value(fake.zones["global.example"]!),
            ])
        try await client.createRecord(type: .mx, name: "@", content: "mail.global.example", priority: 5)
        #expect(fake.stored("global.example").map(\.priority) == [5])
        #expect(fake.requests.allSatisfy { $0.header("x-auth-key") == fake.globalKey })
        #expect(!fake.requests.contains { $0.path.hasPrefix("/client/v4/zones?") })
    }

    @Test func duplicateCreateIsIdempotentAndCNAMEConflictIsReported() async throws {
        let fake = try CloudflareFake(zones: ["dup.example"])
        defer { fake.stop() }
        let client = try cloudflareClient(fake, domain: "dup.example")
        try await client.createRecord(type: .txt, name: "x", content: "same")
        try await client.createRecord(type: .txt, name: "x", content: "same")
        #expect(fake.stored("dup.example").count == 1)
        try await client.createRecord(type: .cname, name: "alias", content: "target.example.net")
        do {
            try await client.createRecord(type: .txt, name: "alias", content: "beside")
            Issue.record("data beside a CNAME was accepted")
        } catch let error as LexiconError {
            #expect(error.code == .provider)
            #expect(error.message.contains("81053"))
            #expect(error.description.split(separator: "\n").count == 1)
        }
    }

    @Test func duplicateAnswer81058IsSuccess() async throws {
        let fake = try CloudflareFake(zones: ["race.example"])
        defer { fake.stop() }
        let client = try cloudflareClient(fake, domain: "race.example")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token")
        fake.hideRecordsFromListings(true)
        // The listing misses the record, so the create is sent and answered 81058: still a success.
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token")
        fake.hideRecordsFromListings(false)
        #expect(fake.requests.filter { $0.method == "POST" }.count >= 2)
        #expect(fake.stored("race.example").count == 1)
    }

    @Test func rateLimitIsRetriedAsAsked() async throws {
        let fake = try CloudflareFake(zones: ["limit.example"])
        defer { fake.stop() }
        fake.rateLimit(next: 1)
        let started = Date()
        let records = try await cloudflareClient(fake, domain: "limit.example").listRecords()
        #expect(records.isEmpty)
        #expect(Date().timeIntervalSince(started) >= 0.9)
    }

    @Test func commandLineAsANewUser() async throws {
        let fake = try CloudflareFake(zones: ["example.com"])
        defer { fake.stop() }
        let created = await CommandRunner.run(
            Testbed.lexiconBinary,
            [
                "cloudflare", "create", "example.com", "A", "--name", "www", "--content", "192.0.2.1", "--api-endpoint",
                fake.endpoint,
            ],
            environment: ["LEXICON_CLOUDFLARE_AUTH_TOKEN": fake.token])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(fake.stored("example.com").map(\.content) == ["192.0.2.1"])
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary,
            [
                "cloudflare", "create", "example.com", "A", "--name", "www", "--content", "192.0.2.1", "--api-endpoint",
                fake.endpoint,
            ],
            environment: ["LEXICON_CLOUDFLARE_AUTH_TOKEN": "not-the-token"])
        #expect(wrong.status == 3)
        #expect(wrong.stderr.hasPrefix("lexicon: cloudflare: authentication failed (HTTP 403)"))
        #expect(!wrong.stderr.contains("not-the-token"))
    }
}
