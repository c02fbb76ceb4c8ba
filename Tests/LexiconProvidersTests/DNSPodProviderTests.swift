import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func dnspodClient(_ fake: DNSPodFake, domain: String, token: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "dnspod", "domain": .value(domain),
            "dnspod": .mapping([
                "auth_username": .value(fake.tokenID), "auth_token": .value(token ?? fake.token),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("DNSPod (legacy) provider against its fake")
struct DNSPodProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try DNSPodFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try dnspodClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func formPostsWithLoginTokenAndUserAgent() async throws {
        let fake = try DNSPodFake(domains: ["form.example"])
        defer { fake.stop() }
        let client = try dnspodClient(fake, domain: "form.example")
        #expect(try await client.listRecords().isEmpty, "code 10 is an empty listing")
        try await client.createRecord(type: .mx, name: "@", content: "mail.form.example.", priority: 5)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.form.example.")
        let create = try #require(fake.requests.first { $0.path == "/Record.Create" })
        #expect(create.method == "POST" && create.header("user-agent")?.hasPrefix("lexicon-swift/") == true)
        let form = DNSPodFake.form(create)
        #expect(form["login_token"] == "\(fake.tokenID),\(fake.token)" && form["format"] == "json")
        #expect(form["record_line"] == "默认" && form["sub_domain"] == "@" && form["mx"] == "5")
        #expect(String(decoding: create.body ?? [], as: UTF8.self).contains("record_line=%E9%BB%98%E8%AE%A4"))
        let stored = fake.stored("form.example")
        #expect(stored.first { $0.type == "MX" }?.value == "mail.form.example")
        #expect(stored.first { $0.type == "SRV" }?.value == "20 5 5060 sip.form.example")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "form.example" && $0.priority == 5 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.form.example" })
    }

    @Test func readsEveryPageKeepsIDsAndRaisesTTLs() async throws {
        let fake = try DNSPodFake(domains: ["pages.example"])
        defer { fake.stop() }
        let client = try dnspodClient(fake, domain: "pages.example")
        for index in 1...12 { try await client.createRecord(type: .txt, name: "p\(index)", content: "v", ttl: 120) }
        #expect(try await client.listRecords(type: .txt).count == 12)
        #expect(fake.stored("pages.example").allSatisfy { $0.ttl == 600 })
        #expect(fake.requests.contains { $0.path == "/Record.List" && DNSPodFake.form($0)["offset"] == "10" })
        let id = try #require(fake.stored("pages.example").first?.id)
        try await client.updateRecord(type: .txt, name: "p1", content: "changed")
        #expect(
            fake.stored("pages.example").first { $0.name == "p1" }.map { "\($0.id) \($0.value)" } == "\(id) changed")
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func wrongTokenUnknownDomainAndRefusals() async throws {
        let fake = try DNSPodFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--auth-username (the token's ID) and --auth-token") {
            try await dnspodClient(fake, domain: "known.example", token: "wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await dnspodClient(fake, domain: "other.example").authenticate()
        }
        await expectStatus(1, containing: "MX value invalid, between 1-20 (code 30)") {
            try await dnspodClient(fake, domain: "known.example").createRecord(
                type: .mx, name: "@", content: "mail.known.example", priority: 40)
        }
        // DNSPod refuses a client that does not name itself.
        let transport = CurlTransport(
            configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none, userAgent: "curl/8.0"))
        let response = try await transport.send(
            HTTPRequest(
                method: "POST", url: fake.endpoint + "/Domain.Info",
                headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("login_token=\(fake.tokenID),\(fake.token)&format=json&domain=known.example".utf8)))
        #expect(try JSONValue(parsing: response.body)["status"]?["code"]?.string == "-7")
    }

    @Test func retriesTheRequestLimit() async throws {
        let fake = try DNSPodFake(domains: ["busy.example"])
        defer { fake.stop() }
        let client = try dnspodClient(fake, domain: "busy.example")
        fake.throttle(next: 2)
        try await client.createRecord(type: .txt, name: "t", content: "v")
        #expect(fake.stored("busy.example").count == 1)
        fake.throttle(next: 10)
        await expectStatus(1, containing: "(code -2)") { _ = try await client.listRecords() }
    }

    @Test func commandLineKeepsTheTokenOutOfTraces() async throws {
        let fake = try DNSPodFake(domains: ["example.com"])
        defer { fake.stop() }
        let arguments = [
            "dnspod", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "token",
            "--auth-username", fake.tokenID, "--api-endpoint", fake.endpoint, "--log-level", "DEBUG",
        ]
        let created = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_DNSPOD_AUTH_TOKEN": fake.token])
        #expect(created.status == 0, "\(created.stderr)")
        for output in [created.stdout, created.stderr] { #expect(!output.contains(fake.token)) }
        #expect(fake.stored("example.com").map(\.value) == ["token"])
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary, arguments, environment: ["LEXICON_DNSPOD_AUTH_TOKEN": "not-it-4711"])
        #expect(wrong.status == 3 && wrong.stderr.contains("--auth-token") && !wrong.stderr.contains("not-it-4711"))
    }
}
