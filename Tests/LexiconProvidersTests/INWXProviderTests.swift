import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func inwxClient(_ fake: INWXFake, domain: String, password: String? = nil, secret: String? = nil) throws -> Client {
    var options: [String: ConfigValue] = [
        "auth_username": .value(fake.username), "auth_password": .value(password ?? fake.password),
        "api_endpoint": .value(fake.endpoint),
    ]
    if let secret { options["auth_shared_secret"] = .value(secret) }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "inwx", "domain": .value(domain), "inwx": .mapping(options),
        ]), registry: .standard)
}

/// Sends one XML-RPC call to the fake and reads its `{code, msg, resData}` (or its fault).
func inwxCall(_ fake: INWXFake, _ method: String, _ members: [(String, XMLRPCValue)], cookie: String? = nil)
    async throws -> Result<XMLRPCValue, RPCFault>
{
    try await inwxPost(fake, XMLRPC.request(method: method, params: [.structure(members)]), cookie: cookie)
}

func inwxPost(_ fake: INWXFake, _ body: [UInt8], cookie: String? = nil) async throws -> Result<XMLRPCValue, RPCFault> {
    let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
    var headers = [HTTPHeader("Content-Type", XMLRPC.contentType)]
    if let cookie { headers.append(HTTPHeader("Cookie", cookie)) }
    let response = try await transport.send(
        HTTPRequest(method: "POST", url: fake.endpoint, headers: headers, body: body))
    return try XMLRPC.response(response, operation: "test", provider: "inwx", service: "INWX")
}

@Suite("inwx against its fake")
struct INWXProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try INWXFake(domains: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try inwxClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func sendsFQDNsRawTXTAndPriorityInPrio() async throws {
        let fake = try INWXFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try inwxClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "say \"hi\"; v=1")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        let stored = fake.stored("fields.example")
        let txt = stored.first { $0.type == "TXT" }
        #expect(txt?.name == "fields.example" && txt?.content == "say \"hi\"; v=1")
        let mx = stored.first { $0.type == "MX" }
        #expect(mx?.content == "mail.fields.example" && mx?.prio == 10)
        let srv = stored.first { $0.type == "SRV" }
        #expect(
            srv?.name == "_sip._tcp.fields.example" && srv?.content == "5 5060 sip.fields.example" && srv?.prio == 20)
        #expect(
            stored.first { $0.type == "CNAME" }.map { "\($0.name) \($0.content)" }
                == "www.fields.example fields.example")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "say \"hi\"; v=1" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        let create = fake.requests.compactMap { $0.body.map { String(decoding: $0, as: UTF8.self) } }
            .first { $0.contains("nameserver.createRecord") && $0.contains("CNAME") }
        #expect(
            create?.contains("<name>name</name><value><string>www.fields.example</string>") == true, "\(create ?? "")")
    }

    @Test func raisesTTLsToThreeHundredAndKeepsIDsOnUpdate() async throws {
        let fake = try INWXFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try inwxClient(fake, domain: "ttl.example")
        try await client.createRecord(type: .a, name: "short", content: "192.0.2.1", ttl: 60)
        let created = try #require(fake.stored("ttl.example").first { $0.type == "A" })
        #expect(created.ttl == 300)
        try await client.updateRecord(identifier: nil, type: .a, name: "short", content: "192.0.2.2", ttl: 120)
        let updated = try #require(fake.stored("ttl.example").first { $0.type == "A" })
        #expect(updated.id == created.id && updated.content == "192.0.2.2" && updated.ttl == 300)
    }

    @Test func logsInOnceAndSendsTheSessionCookie() async throws {
        let fake = try INWXFake(domains: ["session.example"])
        defer { fake.stop() }
        let client = try inwxClient(fake, domain: "session.example")
        try await client.authenticate()
        try await client.createRecord(type: .txt, name: "a", content: "one")
        _ = try await client.listRecords()
        let bodies = fake.requests.map { ($0, $0.body.map { String(decoding: $0, as: UTF8.self) } ?? "") }
        #expect(bodies.filter { $0.1.contains("account.login") }.count == 1)
        #expect(
            bodies.filter { !$0.1.contains("account.login") }.allSatisfy {
                $0.0.header("cookie")?.hasPrefix("domrobot=") == true
            })
        // A session that expired meanwhile is refused as INWX does (2002), with the credentials hint.
        fake.expireSessions()
        await expectStatus(3, containing: "--auth-username") { _ = try await client.listRecords() }
    }

    @Test func wrongPasswordAndUnknownDomain() async throws {
        let fake = try INWXFake(domains: ["known.example"])
        defer { fake.stop() }
        let password = "wrong-password-1234"
        do {
            try await inwxClient(fake, domain: "known.example", password: password).authenticate()
            Issue.record("a wrong password logged in")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3)
            #expect(error.commandLineDescription.contains("code 2200"))
            #expect(error.commandLineDescription.contains("--auth-username and --auth-password"))
            #expect(!error.commandLineDescription.contains(password))
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await inwxClient(fake, domain: "other.example").authenticate()
        }
    }

    @Test func twoFactorLoginUnlocksWithTheSharedSecret() async throws {
        let fake = try INWXFake(domains: ["tfa.example"], twoFactor: true)
        defer { fake.stop() }
        let secret = try #require(fake.sharedSecret)
        await expectStatus(3, containing: "--auth-shared-secret") {
            try await inwxClient(fake, domain: "tfa.example").authenticate()
        }
        await expectStatus(2, containing: "not a base32 TOTP secret") {
            try await inwxClient(fake, domain: "tfa.example", secret: "not base32!").authenticate()
        }
        let client = try inwxClient(fake, domain: "tfa.example", secret: secret)
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token")
        #expect(fake.stored("tfa.example").contains { $0.name == "_acme-challenge.tfa.example" })
        let unlocks = fake.requests.compactMap { $0.body.map { String(decoding: $0, as: UTF8.self) } }
            .filter { $0.contains("account.unlock") }
        #expect(unlocks.count == 1)
    }

    @Test func fakeRefusesWhatINWXRefuses() async throws {
        let fake = try INWXFake(domains: ["strict.example"])
        defer { fake.stop() }
        guard case .failure(let fault) = try await inwxPost(fake, Array("<methodCall>".utf8)) else {
            Issue.record("a malformed call was answered")
            return
        }
        #expect(fault.code == -32700)
        func code(_ result: Result<XMLRPCValue, RPCFault>) -> Int? { (try? result.get())?["code"]?.int }
        #expect(code(try await inwxCall(fake, "nameserver.info", [("domain", .string("strict.example"))])) == 2002)
        let login = [("user", XMLRPCValue.string(fake.username)), ("pass", .string(fake.password))]
        #expect(code(try await inwxCall(fake, "account.login", [login[0], ("pass", .string("nope"))])) == 2200)
        // Log in through the transport directly, to read the cookie.
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        let response = try await transport.send(
            HTTPRequest(
                method: "POST", url: fake.endpoint, headers: [HTTPHeader("Content-Type", XMLRPC.contentType)],
                body: XMLRPC.request(method: "account.login", params: [.structure(login)])))
        let cookie = try #require(response.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        func create(_ members: [(String, XMLRPCValue)]) async throws -> Int? {
            code(
                try await inwxCall(
                    fake, "nameserver.createRecord", [("domain", .string("strict.example"))] + members, cookie: cookie))
        }
        #expect(
            try await create([("type", .string("A")), ("name", .string("a")), ("content", .string("192.0.2.1"))])
                == 1000)
        #expect(
            try await create([
                ("type", .string("A")), ("name", .string("a.strict.example")), ("content", .string("192.0.2.1")),
            ])
                == 2302)
        #expect(
            try await create([("type", .string("A")), ("name", .string("b")), ("content", .string("192.0.2.300"))])
                == 2005)
        #expect(
            try await create([
                ("type", .string("A")), ("name", .string("c")), ("content", .string("192.0.2.1")), ("ttl", .int(60)),
            ])
                == 2004)
        #expect(
            try await create([("type", .string("CNAME")), ("name", .string("a")), ("content", .string("x.example"))])
                == 2308)
        #expect(
            try await create([
                ("type", .string("SRV")), ("name", .string("_s._tcp")), ("content", .string("x.example")),
            ]) == 2005)
        #expect(
            code(try await inwxCall(fake, "nameserver.deleteRecord", [("id", .int(999_999))], cookie: cookie)) == 2303)
        #expect(
            code(try await inwxCall(fake, "nameserver.info", [("domain", .string("other.example"))], cookie: cookie))
                == 2303)
        #expect(fake.stored("strict.example").filter { $0.type == "A" }.map(\.name) == ["a.strict.example"])
    }
}
