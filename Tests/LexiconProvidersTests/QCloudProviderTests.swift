import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func qcloudClient(_ fake: QCloudFake, domain: String, secretID: String? = nil, secretKey: String? = nil) throws
    -> Client
{
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "qcloud", "domain": .value(domain),
            "qcloud": .mapping([
                "secret_id": .value(secretID ?? fake.secretID), "secret_key": .value(secretKey ?? fake.secretKey),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("QCloud provider against its fake")
struct QCloudProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try QCloudFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try qcloudClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func signsEveryRequestWithTC3() async throws {
        let fake = try QCloudFake(domains: ["sign.example"])
        defer { fake.stop() }
        try await qcloudClient(fake, domain: "sign.example").createRecord(type: .txt, name: "t", content: "v")
        let create = try #require(fake.requests.first { $0.header("x-tc-action") == "CreateRecord" })
        #expect(create.method == "POST" && create.header("x-tc-version") == "2021-03-23")
        let authorization = try #require(create.header("authorization"))
        let timestamp = try #require(create.header("x-tc-timestamp").flatMap { Int($0) })
        let date = TencentCloudSignatureV3.date(timestamp)
        #expect(authorization.hasPrefix("TC3-HMAC-SHA256 Credential=\(fake.secretID)/\(date)/dnspod/tc3_request, "))
        #expect(authorization.contains("SignedHeaders=content-type;host, Signature="))
        // The default line travels as UTF-8 in the JSON body.
        let body = try JSONValue(parsing: create.body ?? [])
        #expect(body["RecordLine"]?.string == "默认" && body["Domain"]?.string == "sign.example")
        #expect(String(decoding: create.body ?? [], as: UTF8.self).contains("默认"))
        #expect(TencentCloudSignatureV3.date(1_764_547_200) == "2025-12-01")
    }

    @Test func hostsPrioritiesTargetsAndEmptyListings() async throws {
        let fake = try QCloudFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try qcloudClient(fake, domain: "fields.example")
        #expect(try await client.listRecords().isEmpty, "NoDataOfRecord is an empty listing")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 15)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        let stored = fake.stored("fields.example")
        #expect(stored.allSatisfy { $0.line == "默认" })
        #expect(stored.first { $0.type == "A" }?.name == "@")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.value == "mail.fields.example" && mx?.mx == 15)
        #expect(stored.first { $0.type == "SRV" }?.value == "20 5 5060 sip.fields.example")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "fields.example" && $0.priority == 15 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .cname && $0.name == "www.fields.example" && $0.content == "fields.example" })
        let filtered = fake.requests.compactMap { request -> JSONValue? in
            guard request.header("x-tc-action") == "DescribeRecordList" else { return nil }
            return try? JSONValue(parsing: request.body ?? [])
        }
        #expect(filtered.contains { $0["Subdomain"]?.string == "www" || $0["RecordType"]?.string != nil })
    }

    @Test func readsEveryPageByOffsetAndRaisesTTLs() async throws {
        let fake = try QCloudFake(domains: ["pages.example"])
        defer { fake.stop() }
        let client = try qcloudClient(fake, domain: "pages.example")
        for index in 1...12 { try await client.createRecord(type: .txt, name: "p\(index)", content: "v", ttl: 60) }
        #expect(try await client.listRecords(type: .txt).count == 12)
        #expect(fake.stored("pages.example").allSatisfy { $0.ttl == 600 })
        let offsets = fake.requests.compactMap { request -> Int? in
            guard request.header("x-tc-action") == "DescribeRecordList" else { return nil }
            return (try? JSONValue(parsing: request.body ?? []))?["Offset"]?.int
        }
        #expect(offsets.contains(10), "12 records in pages of 5: offsets 0, 5, 10")
        let id = try #require(fake.stored("pages.example").first?.id)
        try await client.updateRecord(type: .txt, name: "p1", content: "changed")
        #expect(fake.stored("pages.example").first { $0.name == "p1" }?.id == id, "an update keeps the RecordId")
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func retriesRateLimitsWithAFreshSignature() async throws {
        let fake = try QCloudFake(domains: ["busy.example"])
        defer { fake.stop() }
        let client = try qcloudClient(fake, domain: "busy.example")
        fake.throttle(next: 2)
        try await client.createRecord(type: .txt, name: "t", content: "v")
        #expect(fake.stored("busy.example").count == 1)
        fake.throttle(next: 10)
        await expectStatus(1, containing: "RequestLimitExceeded") { _ = try await client.listRecords() }
    }

    @Test func wrongCredentialsUnknownDomainAndStaleClock() async throws {
        let fake = try QCloudFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "AuthFailure.SignatureFailure") {
            try await qcloudClient(fake, domain: "known.example", secretKey: "wrong").authenticate()
        }
        await expectStatus(3, containing: "--secret_id and --secret_key") {
            try await qcloudClient(fake, domain: "known.example", secretID: "AKIDwrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await qcloudClient(fake, domain: "other.example").authenticate()
        }
        let body = JSONValue.object([("Domain", .string("known.example"))]).encoded()
        for (skew, code) in [(-400, "AuthFailure.SignatureExpire"), (-200, nil)] {
            let signer = TencentCloudSignatureV3(secretID: fake.secretID, secretKey: fake.secretKey, service: "dnspod")
            let headers = signer.headers(
                url: fake.endpoint + "/", contentType: "application/json", body: body, action: "DescribeDomain",
                version: "2021-03-23", timestamp: RequestDate.now() + skew)
            let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
            let response = try await transport.send(
                HTTPRequest(
                    method: "POST", url: fake.endpoint + "/",
                    headers: [HTTPHeader("Content-Type", "application/json")] + headers, body: body))
            let answer = try JSONValue(parsing: response.body)
            #expect(response.status == 200 && answer["Response"]?["RequestId"]?.string != nil)
            #expect(answer["Response"]?["Error"]?["Code"]?.string == code)
        }
        await expectStatus(1, containing: "InvalidParameter.MxInvalid") {
            try await qcloudClient(fake, domain: "known.example").createRecord(
                type: .mx, name: "@", content: "mail.known.example", priority: 70)
        }
    }

    @Test func commandLineTakesUnderscoredOptions() async throws {
        let fake = try QCloudFake(domains: ["example.com"])
        defer { fake.stop() }
        for spelling in ["--secret_id", "--secret-id"] {
            let result = await CommandRunner.run(
                Testbed.lexiconBinary,
                [
                    "qcloud", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content",
                    "v" + spelling.dropFirst(2),
                    spelling, fake.secretID, "--secret_key", fake.secretKey, "--api-endpoint", fake.endpoint,
                    "--log-level", "DEBUG",
                ])
            #expect(result.status == 0, "\(result.stderr)")
            for output in [result.stdout, result.stderr] { #expect(!output.contains(fake.secretKey)) }
        }
        #expect(Set(fake.stored("example.com").map(\.value)) == ["vsecret_id", "vsecret-id"])
        let help = await CommandRunner.run(Testbed.lexiconBinary, ["qcloud", "--help"])
        #expect(help.stdout.contains("--secret_id") && help.stdout.contains("--secret_key"), "\(help.stdout)")
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary, ["qcloud", "list", "example.com", "TXT", "--api-endpoint", fake.endpoint],
            environment: ["LEXICON_QCLOUD_SECRET_ID": fake.secretID, "LEXICON_QCLOUD_SECRET_KEY": "not-it-4711"])
        #expect(wrong.status == 3 && wrong.stderr.contains("--secret_key") && !wrong.stderr.contains("not-it-4711"))
    }
}
