import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func aliyunClient(_ fake: AliyunFake, domain: String, keyID: String? = nil, secret: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "aliyun", "domain": .value(domain),
            "aliyun": .mapping([
                "auth_key_id": .value(keyID ?? fake.keyID), "auth_secret": .value(secret ?? fake.secret),
                "api_endpoint": .value(fake.endpoint),
            ]),
        ]), registry: .standard)
}

@Suite("Aliyun provider against its fake")
struct AliyunProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try AliyunFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try aliyunClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    /// The worked example of Alibaba's "Signature mechanism" page (DescribeRegions, `testid`/`testsecret`).
    @Test func signatureMatchesAlibabasExample() {
        let parameters = [
            ("TimeStamp", "2016-02-23T12:46:24Z"), ("Format", "XML"), ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"), ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
        ]
        #expect(
            AlibabaRPCSignature.signature(method: "GET", parameters: parameters, secret: "testsecret")
                == "CT9X0VtwR86fNWSnsc6v8YGOjuE=")
        #expect(AlibabaRPCSignature.timestamp(1_456_231_584) == "2016-02-23T12:46:24Z")
        // Spaces are %20 and `*` is %2A in the string to sign, `~` stays.
        let odd = AlibabaRPCSignature.signature(method: "GET", parameters: [("Value", "a b*~")], secret: "s")
        let expected = Base64.encode(
            Digest.hmac(.sha1, key: Array("s&".utf8), Array("GET&%2F&Value%3Da%2520b%252A~".utf8)))
        #expect(odd == expected)
    }

    @Test func relativeNamesPrioritiesAndTargets() async throws {
        let fake = try AliyunFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try aliyunClient(fake, domain: "fields.example")
        try await client.createRecord(type: .a, name: "@", content: "192.0.2.1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 20)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        try await client.createRecord(type: .txt, name: "Mixed", content: "say \"hi\" & <more> ✓")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "A" }?.rr == "@")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.rr == "@" && mx?.value == "mail.fields.example" && mx?.priority == 20)
        #expect(stored.first { $0.type == "SRV" }?.value == "20 5 5060 sip.fields.example")
        #expect(stored.first { $0.type == "CNAME" }?.value == "fields.example")
        #expect(stored.first { $0.type == "TXT" }.map { "\($0.rr) \($0.value)" } == "mixed say \"hi\" & <more> ✓")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .a && $0.name == "fields.example" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 20 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .txt && $0.name == "mixed.fields.example" && $0.content.hasSuffix("✓") })
        let queries = fake.requests.map { FakeRequest($0).parameters }
        #expect(queries.allSatisfy { $0["Version"] == "2015-01-09" && $0["Format"] == "JSON" })
        #expect(Set(queries.compactMap { $0["SignatureNonce"] }).count == queries.count, "a fresh nonce each time")
    }

    @Test func readsEveryPageAndKeepsIDsOnUpdate() async throws {
        let fake = try AliyunFake(domains: ["pages.example"])
        defer { fake.stop() }
        let client = try aliyunClient(fake, domain: "pages.example")
        for index in 1...12 { try await client.createRecord(type: .txt, name: "p\(index)", content: "v\(index)") }
        #expect(try await client.listRecords(type: .txt).count == 12)
        let pages = fake.requests.map { FakeRequest($0).parameters }.filter { $0["Action"] == "DescribeDomainRecords" }
        #expect(pages.contains { $0["PageNumber"] == "3" }, "12 records in pages of 5 take three pages")
        let before = try #require(fake.stored("pages.example").first { $0.rr == "p1" })
        try await client.updateRecord(type: .txt, name: "p1", content: "changed", ttl: 7200)
        let after = try #require(fake.stored("pages.example").first { $0.rr == "p1" })
        #expect(after.id == before.id && after.value == "changed" && after.ttl == 7200)
        // An update that changes nothing is refused by Alibaba with DomainRecordDuplicate; the record is as wanted.
        try await client.updateRecord(
            identifier: try await client.listRecords(type: .txt, name: "p1")[0].id, type: .txt, content: "changed",
            ttl: 7200)
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") {
            _ = try await client.listRecords()
        }
    }

    @Test func raisesTTLsToTheFreeEditionMinimum() async throws {
        let fake = try AliyunFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try aliyunClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .txt, name: "short", content: "v", ttl: 60)
        #expect(fake.stored("ttl.example").first?.ttl == 600)
        try await client.createRecord(type: .txt, name: "long", content: "v", ttl: 86400)
        #expect(try await client.listRecords(type: .txt).map(\.ttl).sorted() == [600, 86400])
    }

    @Test func retriesThrottlingWithAFreshSignature() async throws {
        let fake = try AliyunFake(domains: ["busy.example"])
        defer { fake.stop() }
        let client = try aliyunClient(fake, domain: "busy.example")
        fake.throttle(next: 2)
        try await client.createRecord(type: .txt, name: "t", content: "v")
        #expect(fake.stored("busy.example").count == 1)
        fake.throttle(next: 10)
        await expectStatus(1, containing: "Throttling.User") { _ = try await client.listRecords() }
    }

    @Test func wrongCredentialsAndUnknownDomain() async throws {
        let fake = try AliyunFake(domains: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "SignatureDoesNotMatch") {
            try await aliyunClient(fake, domain: "known.example", secret: "wrong").authenticate()
        }
        await expectStatus(3, containing: "--auth-key-id and --auth-secret") {
            try await aliyunClient(fake, domain: "known.example", keyID: "LTAIwrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await aliyunClient(fake, domain: "other.example").authenticate()
        }
        await expectStatus(1, containing: "The MX priority must be between 1 and 50") {
            try await aliyunClient(fake, domain: "known.example").createRecord(
                type: .mx, name: "@", content: "mail.known.example", priority: 70)
        }
    }

    @Test func fakeRefusesReplaysStaleTimestampsAndBadRecords() async throws {
        let fake = try AliyunFake(domains: ["strict.example"])
        defer { fake.stop() }
        func send(_ parameters: [(String, String)], nonce: String = AlibabaRPCSignature.nonce(), skew: Int = 0)
            async throws -> (Int, JSONValue)
        {
            let query = AlibabaRPCSignature.signedQuery(
                parameters, version: "2015-01-09", accessKeyID: fake.keyID, secret: fake.secret, nonce: nonce,
                seconds: RequestDate.now() + skew)
            let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
            let response = try await transport.send(HTTPRequest(url: fake.endpoint + "/?" + query))
            return (response.status, try JSONValue(parsing: response.body))
        }
        let list = [("Action", "DescribeDomainRecords"), ("DomainName", "strict.example")]
        #expect(try await send(list, nonce: "once").0 == 200)
        let replay = try await send(list, nonce: "once")
        #expect(replay.0 == 400 && replay.1["Code"]?.string == "SignatureNonceUsed")
        let stale = try await send(list, skew: -16 * 60)
        #expect(stale.0 == 400 && stale.1["Code"]?.string == "InvalidTimeStamp.Expired")
        #expect(try await send(list, skew: 14 * 60).0 == 200)
        let add = [("Action", "AddDomainRecord"), ("DomainName", "strict.example"), ("RR", "a"), ("Type", "A")]
        for (extra, code) in [
            ([("Value", "192.0.2.300"), ("TTL", "600")], "InvalidValue.Format"),
            ([("Value", "192.0.2.1"), ("TTL", "300")], "DomainRecordTTL.Invalid"),
            ([("Value", "192.0.2.1"), ("TTL", "600")], nil),
            ([("Value", "192.0.2.1"), ("TTL", "600")], "DomainRecordDuplicate"),
        ] {
            let (status, body) = try await send(add + extra)
            #expect(body["RequestId"]?.string != nil)
            #expect(code == nil ? status == 200 : status == 400 && body["Code"]?.string == code, "\(extra)")
        }
        let cname = try await send(
            [
                ("Action", "AddDomainRecord"), ("DomainName", "strict.example"), ("RR", "a"), ("Type", "CNAME"),
                ("Value", "elsewhere.example"),
            ])
        #expect(cname.1["Code"]?.string == "DomainRecordConflict")
        let unknown = try await send([("Action", "DescribeDomainRecords"), ("DomainName", "other.example")])
        #expect(unknown.0 == 400 && unknown.1["Code"]?.string == "IncorrectDomainUser")
        let gone = try await send([("Action", "DeleteDomainRecord"), ("RecordId", "1")])
        #expect(gone.1["Code"]?.string == "DomainRecordNotBelongToUser")
    }

    @Test func commandLineKeepsTheSecretOutOfDebugTraces() async throws {
        let fake = try AliyunFake(domains: ["example.com"])
        defer { fake.stop() }
        let arguments = [
            "aliyun", "create", "example.com", "TXT", "--name", "_acme-challenge", "--content", "token",
            "--api-endpoint", fake.endpoint, "--log-level", "DEBUG",
        ]
        let created = await CommandRunner.run(
            Testbed.lexiconBinary, arguments,
            environment: ["LEXICON_ALIYUN_AUTH_KEY_ID": fake.keyID, "LEXICON_ALIYUN_AUTH_SECRET": fake.secret])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("AddDomainRecord"), "DEBUG traces the requests: \(created.stderr)")
        for output in [created.stdout, created.stderr] {
            #expect(!output.contains(fake.secret) && !output.contains(fake.keyID))
        }
        #expect(fake.stored("example.com").map(\.value) == ["token"])
        let wrong = await CommandRunner.run(
            Testbed.lexiconBinary, arguments,
            environment: [
                "LEXICON_ALIYUN_AUTH_KEY_ID": fake.keyID, "LEXICON_ALIYUN_AUTH_SECRET": "not-the-secret-4711",
            ])
        #expect(wrong.status == 3, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("--auth-secret") && !wrong.stderr.contains("not-the-secret-4711"))
    }
}
