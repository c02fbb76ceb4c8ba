import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

/// An RSA key made once per test run by the openssl command; no key is committed.
enum TransIPKey {
    static let pem = Task<String, any Error> {
        guard let openssl = CommandRunner.which("openssl") else {
            throw LexiconError(.config, "the openssl command is not installed")
        }
        let result = await CommandRunner.run(
            openssl, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        guard result.status == 0, result.stdout.contains("PRIVATE KEY") else {
            throw LexiconError(.config, "openssl genpkey: \(result.stderr)")
        }
        return result.stdout
    }

    static func get() async throws -> String { try await pem.value }
}

func transipFake(domains: [String]) async throws -> TransIPFake {
    try TransIPFake(domains: domains, privateKey: try await TransIPKey.get())
}

func transipClient(
    _ fake: TransIPFake, domain: String, login: String? = nil, key: String? = nil, global: Bool = false
) async throws -> Client {
    let pem: String
    if let key { pem = key } else { pem = try await TransIPKey.get() }
    var options: [String: ConfigValue] = [
        "auth_username": .value(login ?? fake.login), "auth_api_key": .value(pem),
        "api_endpoint": .value(fake.endpoint),
    ]
    if global { options["auth_key_is_global"] = .value("true") }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "transip", "domain": .value(domain), "transip": .mapping(options),
        ]), registry: .standard)
}

@Suite("transip against its fake")
struct TransIPProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try await transipFake(domains: [domain])
        defer { fake.stop() }
        let key = try await TransIPKey.get()
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try await transipClient(fake, domain: name, key: key)
        }
        try await suite.run(group)
    }

    @Test func contentFormatsApexAndPriorities() async throws {
        let fake = try await transipFake(domains: ["fields.example"])
        defer { fake.stop() }
        let client = try await transipClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "v=spf1 \"quoted\" -all")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .srv, name: "_sip._tcp", content: "20 5 5060 sip.fields.example.")
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        let stored = fake.stored("fields.example")
        #expect(stored.contains { $0.type == "TXT" && $0.name == "@" && $0.content == "v=spf1 \"quoted\" -all" })
        #expect(stored.contains { $0.type == "MX" && $0.name == "@" && $0.content == "10 mail.fields.example." })
        #expect(
            stored.contains {
                $0.type == "SRV" && $0.name == "_sip._tcp" && $0.content == "20 5 5060 sip.fields.example."
            })
        #expect(stored.contains { $0.type == "CNAME" && $0.name == "www" && $0.content == "fields.example." })
        let all = try await client.listRecords()
        #expect(
            all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "v=spf1 \"quoted\" -all" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .srv && $0.content == "20 5 5060 sip.fields.example" })
        #expect(all.contains { $0.type == .ns && $0.content == "ns0.transip.net" })
    }

    @Test func relativeTargetsReadAsAbsolute() async throws {
        let fake = try await transipFake(domains: ["rel.example"])
        defer { fake.stop() }
        let client = try await transipClient(fake, domain: "rel.example")
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        // Entries made in TransIP's control panel may name targets relative to the domain, or `@`.
        try await client.createRecord(type: .cname, name: "a", content: "b.rel.example")
        let token = fake.requests.compactMap { $0.header("authorization") }.last ?? ""
        for (name, content) in [("x", "www"), ("y", "@")] {
            let body = #"{"dnsEntry":{"name":"\#(name)","expire":300,"type":"CNAME","content":"\#(content)"}}"#
            let response = try await transport.send(
                HTTPRequest(
                    method: "POST", url: fake.endpoint + "/domains/rel.example/dns",
                    headers: [HTTPHeader("Authorization", token), HTTPHeader("Content-Type", "application/json")],
                    body: Array(body.utf8)))
            #expect(response.status == 201)
        }
        let cnames = try await client.listRecords(type: .cname)
        #expect(Set(cnames.map(\.content)) == ["b.rel.example", "www.rel.example", "rel.example"])
    }

    @Test func ttlsSnapToTransIPsExpireValues() async throws {
        let fake = try await transipFake(domains: ["ttl.example"])
        defer { fake.stop() }
        let client = try await transipClient(fake, domain: "ttl.example")
        for (ttl, expire) in [(1, 60), (60, 60), (120, 300), (600, 3600), (7200, 86400), (999_999, 86400)] {
            try await client.createRecord(type: .txt, name: "t\(ttl)", content: "v", ttl: ttl)
            #expect(fake.stored("ttl.example").first { $0.name == "t\(ttl)" }?.expire == expire, "\(ttl)")
        }
        #expect(client.descriptor.effectiveTTL(3600) == 3600)
    }

    @Test func updateAddsTheNewEntryBeforeRemovingTheOld() async throws {
        let fake = try await transipFake(domains: ["upd.example"])
        defer { fake.stop() }
        let client = try await transipClient(fake, domain: "upd.example")
        try await client.createRecord(type: .a, name: "www", content: "192.0.2.1", ttl: 300)
        let before = fake.requests.count
        try await client.updateRecord(type: .a, name: "www", content: "192.0.2.2")
        let writes = fake.requests.dropFirst(before).filter { $0.method != "GET" }.map(\.method)
        #expect(writes == ["POST", "DELETE"])
        #expect(
            fake.stored("upd.example").filter { $0.type == "A" }.map { "\($0.content) \($0.expire)" } == [
                "192.0.2.2 300"
            ])
        // A CNAME cannot stand beside another: the old one goes first.
        try await client.createRecord(type: .cname, name: "alias", content: "one.upd.example")
        let mark = fake.requests.count
        try await client.updateRecord(type: .cname, name: "alias", content: "two.upd.example")
        #expect(fake.requests.dropFirst(mark).filter { $0.method != "GET" }.map(\.method) == ["DELETE", "POST"])
        #expect(fake.stored("upd.example").filter { $0.type == "CNAME" }.map(\.content) == ["two.upd.example."])
    }

    @Test func signedAuthOnceAndTokenCachedThenRenewedWhenExpired() async throws {
        let fake = try await transipFake(domains: ["auth.example"])
        defer { fake.stop() }
        let client = try await transipClient(fake, domain: "auth.example", login: fake.login, global: true)
        try await client.authenticate()
        try await client.createRecord(type: .txt, name: "a", content: "1")
        _ = try await client.listRecords()
        let again = try await transipClient(fake, domain: "auth.example", global: true)
        _ = try await again.listRecords()
        #expect(fake.tokensIssued == 1)
        let body = try #require(fake.authRequests.first)
        #expect(body["login"]?.string == fake.login && body["global_key"]?.bool == true)
        #expect(body["read_only"]?.bool == false && body["expiration_time"]?.string == "30 minutes")
        #expect((body["nonce"]?.string?.count ?? 99) <= 32 && body["label"]?.string?.isEmpty == false)
        fake.expireTokens()
        _ = try await client.listRecords()
        #expect(fake.tokensIssued == 2)
        let nonces = fake.authRequests.compactMap { $0["nonce"]?.string }
        #expect(Set(nonces).count == nonces.count)
        #expect(fake.requests.filter { $0.path.hasSuffix("/auth") }.allSatisfy { $0.header("signature") != nil })
    }

    @Test func wrongCredentialsUnknownDomainAndBadKeys() async throws {
        let fake = try await transipFake(domains: ["known.example"])
        defer { fake.stop() }
        let key = try await TransIPKey.get()
        await expectStatus(3, containing: "Unknown login") {
            try await transipClient(fake, domain: "known.example", login: "mallory").authenticate()
        }
        guard let openssl = CommandRunner.which("openssl") else { return }
        let other = await CommandRunner.run(
            openssl, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        ).stdout
        do {
            try await transipClient(fake, domain: "known.example", key: other).authenticate()
            Issue.record("a wrong key was accepted")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 3 && error.message.contains("Signature could not be verified"))
            #expect(error.message.contains("--auth-api-key"))
            #expect(
                !"\(error)".contains("PRIVATE KEY") && !"\(error)".contains(String(other.split(separator: "\n")[1])))
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await transipClient(fake, domain: "other.example").authenticate()
        }
        // The key from a file, and a value that is neither a key nor a file.
        let directory = try TemporaryDirectory(prefix: "lexicon-transip")
        defer { directory.remove() }
        let path = try directory.write("key.pem", key)
        try await transipClient(fake, domain: "known.example", key: path).authenticate()
        let encoded = "base64::" + Base64.encode(Array(key.utf8))
        try await transipClient(fake, domain: "known.example", key: encoded).authenticate()
        do {
            _ = try await transipClient(fake, domain: "known.example", key: "MIIEvQIBADANBg")
            Issue.record("a bad key was accepted")
        } catch let error as LexiconError {
            #expect(error.code == .config && !error.message.contains("MIIEvQ"))
        }
    }

    @Test func fakeRefusesWhatTransIPRefuses() async throws {
        let fake = try await transipFake(domains: ["strict.example"])
        defer { fake.stop() }
        let client = try await transipClient(fake, domain: "strict.example")
        try await client.authenticate()
        let token = fake.requests.compactMap { $0.header("authorization") }.last ?? ""
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func send(_ method: String, _ path: String, _ body: String? = nil, auth: String? = nil) async throws
            -> (Int, JSONValue?, HTTPResponse)
        {
            var headers = [HTTPHeader("Authorization", auth ?? token)]
            if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
            let response = try await transport.send(
                HTTPRequest(
                    method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
            return (response.status, try? JSONValue(parsing: response.body), response)
        }
        let (status, body, _) = try await send("GET", "/domains/strict.example/dns", auth: "Bearer forged")
        #expect(status == 401 && body?["error"]?.string?.isEmpty == false)
        #expect(try await send("GET", "/domains/unknown.example/dns").0 == 404)
        for (entry, why) in [
            (#"{"name":"a","expire":120,"type":"A","content":"192.0.2.1"}"#, "an expire TransIP does not offer"),
            (#"{"name":"a","expire":300,"type":"A","content":"192.0.2.300"}"#, "a bad A address"),
            (#"{"name":"m","expire":300,"type":"MX","content":"mail.example."}"#, "an MX without priority"),
            (#"{"name":"s","expire":300,"type":"SRV","content":"5060 sip.example."}"#, "a short SRV"),
            (#"{"name":"@","expire":300,"type":"CNAME","content":"elsewhere.example."}"#, "a CNAME at the apex"),
            (#"{"name":"x","expire":300,"type":"PTR","content":"host.example."}"#, "a type TransIP does not take"),
        ] {
            let (status, body, _) = try await send("POST", "/domains/strict.example/dns", #"{"dnsEntry":\#(entry)}"#)
            #expect(status == 406 && body?["error"]?.string?.isEmpty == false, "\(why)")
        }
        let gone = #"{"dnsEntry":{"name":"nope","expire":300,"type":"A","content":"192.0.2.1"}}"#
        #expect(try await send("DELETE", "/domains/strict.example/dns", gone).0 == 404)
        #expect(fake.stored("strict.example").count == 3)
        // PATCH changes the one entry a name, type and expire match; two matches are refused.
        let patch = #"{"dnsEntry":{"name":"@","expire":86400,"type":"NS","content":"ns9.example."}}"#
        let (patched, error, _) = try await send("PATCH", "/domains/strict.example/dns", patch)
        #expect(patched == 406 && error?["error"]?.string?.hasPrefix("Multiple matches found") == true)
        fake.limitRequests(to: 0)
        let (limited, _, response) = try await send("GET", "/domains/strict.example/dns")
        #expect(limited == 429 && response.headers["x-rate-limit-remaining"] == "0")
        #expect(response.headers["x-rate-limit-limit"] != nil && response.headers["x-rate-limit-reset"] != nil)
    }

    @Test func authRejectsReusedNoncesAndWrongSignatures() async throws {
        let fake = try await transipFake(domains: ["nonce.example"])
        defer { fake.stop() }
        let signer = try RSASigner(pem: try await TransIPKey.get(), option: "key")
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func auth(_ body: String, signature: String? = nil) async throws -> (Int, JSONValue?) {
            let bytes = Array(body.utf8)
            let signed = try signature ?? Base64.encode(signer.sign(bytes, digest: .sha512))
            let response = try await transport.send(
                HTTPRequest(
                    method: "POST", url: fake.endpoint + "/auth",
                    headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Signature", signed)],
                    body: bytes))
            return (response.status, try? JSONValue(parsing: response.body))
        }
        let body =
            #"{"login":"alice","nonce":"n1","read_only":false,"expiration_time":"30 minutes","label":"l1","global_key":false}"#
        let (status, token) = try await auth(body)
        #expect(status == 201 && token?["token"]?.string?.split(separator: ".").count == 3)
        #expect(try await auth(body.replacing("l1", with: "l2")).0 == 401)
        let sha256 = Base64.encode(try signer.sign(Array(body.utf8), digest: .sha256))
        let (wrong, error) = try await auth(body.replacing("n1", with: "n2"), signature: sha256)
        #expect(wrong == 401 && error?["error"]?.string == "Signature could not be verified")
        #expect(try await auth(body.replacing("n1", with: String(repeating: "n", count: 33))).0 == 400)
    }

    @Test func aRateLimitThatOutlastsTheRetriesSaysSo() async throws {
        let fake = try await transipFake(domains: ["busy.example"])
        defer { fake.stop() }
        let client = try await transipClient(fake, domain: "busy.example")
        try await client.authenticate()
        fake.limitRequests(to: 0)
        await expectStatus(1, containing: "TransIP kept answering 429") { _ = try await client.listRecords() }
        #expect(fake.stored("busy.example").count == 3)
    }
}
