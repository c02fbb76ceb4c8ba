import Lexicon
import LexiconHTTP
import LexiconTesting
import Testing

@testable import LexiconProviders

func ociClient(_ fake: OCIFake, domain: String, options: [String: String]? = nil) throws -> Client {
    let given =
        options ?? [
            "auth_user": fake.user, "auth_tenancy": fake.tenancy, "auth_fingerprint": fake.fingerprint,
            "auth_key_content": fake.privateKey, "auth_config_file": "/dev/null",
        ]
    var mapping: [String: ConfigValue] = ["api_endpoint": .value(fake.endpoint)]
    for (key, value) in given { mapping[key] = .value(value) }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "oci", "domain": .value(domain), "oci": .mapping(mapping),
        ]), registry: .standard)
}

@Suite("oci against its fake")
struct OCIProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try OCIFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try ociClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func signsWithTheRequiredHeadersAndPatchesValues() async throws {
        let fake = try OCIFake(zones: ["signed.example"])
        defer { fake.stop() }
        let client = try ociClient(fake, domain: "signed.example")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "one")
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "two")
        try await client.deleteRecord(type: .txt, name: "_acme-challenge", content: "one")
        try await client.createRecord(type: .mx, name: "@", content: "mail.signed.example.", priority: 10)
        let stored = fake.stored("signed.example")
        #expect(stored.filter { $0.rtype == "TXT" }.map(\.rdata) == [#""two""#])
        #expect(
            stored.contains {
                $0.rtype == "MX" && $0.domain == "signed.example" && $0.rdata == "10 mail.signed.example."
            })
        let patches = fake.requests.filter { $0.method == "PATCH" }
        #expect(patches.count == 4)
        for request in fake.requests {
            let authorization = try #require(request.header("authorization"))
            #expect(authorization.hasPrefix("Signature version=\"1\",keyId=\"\(fake.keyID)\",algorithm=\"rsa-sha256\""))
            let covers =
                request.method == "PATCH"
                ? "headers=\"date (request-target) host x-content-sha256 content-type content-length\""
                : "headers=\"date (request-target) host\""
            #expect(authorization.contains(covers))
        }
        let remove = try #require(patches[2].body.map { String(decoding: $0, as: UTF8.self) })
        #expect(remove.contains(#""operation":"REMOVE","recordHash":"#))
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .mx && $0.name == "signed.example" && $0.priority == 10 })
        #expect(all.contains { $0.type == .txt && $0.content == "two" })
    }

    @Test func followsOpcNextPage() async throws {
        let fake = try OCIFake(zones: ["pages.example"])
        defer { fake.stop() }
        let client = try ociClient(fake, domain: "pages.example")
        for index in 0..<4 {
            try await client.createRecord(type: .a, name: "h\(index)", content: "192.0.2.\(index + 1)")
        }
        let before = fake.requests.count
        #expect(try await client.listRecords().count == 3 + 4)
        let listings = fake.requests.dropFirst(before).filter { $0.path.contains("/records?") }
        #expect(listings.count == 4)
        #expect(listings.dropFirst().allSatisfy { $0.path.contains("page=p-") })
        fake.ignorePaging()
        await expectStatus(1, containing: "ignores the paging parameters") { _ = try await client.listRecords() }
    }

    @Test func readsAConfigFileProfileWithOptionsOverIt() async throws {
        let fake = try OCIFake(zones: ["config.example"])
        defer { fake.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyFile = try directory.write("key.pem", fake.privateKey, mode: 0o600)
        let config = try directory.write(
            "config",
            """
            # OCI CLI configuration
            [DEFAULT]
            tenancy = \(fake.tenancy)
            region=eu-frankfurt-1

            [LEXICON]
            user=\(fake.user)
            fingerprint=00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00
            key_file=\(keyFile)
            """)
        let fromFile: [String: String] = ["auth_config_file": config, "auth_profile": "LEXICON"]
        // The fingerprint in the file is wrong: refused, until the option gives the right one.
        await expectStatus(3, containing: "--auth-fingerprint") {
            try await ociClient(fake, domain: "config.example", options: fromFile).authenticate()
        }
        let fixed = fromFile.merging(["auth_fingerprint": fake.fingerprint]) { $1 }
        try await ociClient(fake, domain: "config.example", options: fixed).authenticate()
        await expectStatus(2, containing: "has no profile [OTHER]") {
            try await ociClient(
                fake, domain: "config.example", options: ["auth_config_file": config, "auth_profile": "OTHER"]
            )
            .authenticate()
        }
        await expectStatus(2, containing: "cannot read the OCI config file") {
            try await ociClient(fake, domain: "config.example", options: ["auth_config_file": directory.file("none")])
                .authenticate()
        }
        #expect(OCICredentials.expand("~/x").hasSuffix("/x") && !OCICredentials.expand("~/x").hasPrefix("~"))
        #expect(OCICredentials.parse("[DEFAULT]\n; comment\n key = v = w \n")["DEFAULT"]?["key"] == "v = w")
    }

    @Test func refusesWhatItDoesNotSupport() async throws {
        let fake = try OCIFake(zones: ["known.example"])
        defer { fake.stop() }
        let base: [String: String] = [
            "auth_user": fake.user, "auth_tenancy": fake.tenancy, "auth_fingerprint": fake.fingerprint,
            "auth_key_content": fake.privateKey, "auth_config_file": "/dev/null",
        ]
        await expectStatus(2, containing: "--auth-type instance_principal is not supported") {
            try await ociClient(
                fake, domain: "known.example", options: base.merging(["auth_type": "instance_principal"]) { $1 }
            )
            .authenticate()
        }
        await expectStatus(2, containing: "--auth-pass-phrase") {
            try await ociClient(fake, domain: "known.example", options: base.merging(["auth_pass_phrase": "x"]) { $1 })
                .authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await ociClient(fake, domain: "other.example").authenticate()
        }
        await expectStatus(3, containing: "--auth-user, --auth-tenancy, --auth-fingerprint") {
            try await ociClient(
                fake, domain: "known.example", options: base.merging(["auth_user": "ocid1.user.oc1..other"]) { $1 }
            )
            .authenticate()
        }
    }

    @Test func fakeRefusesStaleDatesTamperedBodiesAndInvalidRecords() async throws {
        let fake = try OCIFake(zones: ["strict.example"])
        defer { fake.stop() }
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        let signature = HTTPSignature(keyID: fake.keyID, signer: try RSASigner(pem: fake.privateKey, option: "key"))
        func send(
            _ method: String, _ path: String, _ body: String? = nil, date: Int = RequestDate.now(), tamper: Bool = false
        )
            async throws -> (Int, JSONValue?)
        {
            var request = try signature.sign(
                HTTPRequest(
                    method: method, url: fake.endpoint + path,
                    headers: body == nil ? [] : [HTTPHeader("Content-Type", "application/json")],
                    body: body.map { Array($0.utf8) }), date: RequestDate.rfc1123(date))
            if tamper { request.body = Array((body ?? "").utf8) + [UInt8(ascii: " ")] }
            let response = try await transport.send(request)
            return (response.status, try? JSONValue(parsing: response.body))
        }
        let stale = try await send("GET", "/zones/strict.example", date: RequestDate.now() - 400)
        #expect(stale.0 == 401 && stale.1?["code"]?.string == "NotAuthenticated")
        #expect(try await send("GET", "/zones/strict.example").0 == 200)
        let add =
            #"{"items":[{"operation":"ADD","domain":"a.strict.example","rtype":"A","rdata":"192.0.2.1","ttl":300}]}"#
        #expect(try await send("PATCH", "/zones/strict.example/records", add, tamper: true).0 == 401)
        for (operation, why) in [
            (#"{"operation":"ADD","domain":"a.strict.example","rtype":"A","rdata":"192.0.2.300","ttl":300}"#, "bad A"),
            (
                #"{"operation":"ADD","domain":"a.elsewhere.example","rtype":"A","rdata":"192.0.2.1","ttl":300}"#,
                "outside"
            ),
            (#"{"operation":"ADD","domain":"a.strict.example","rtype":"A","rdata":"192.0.2.1","ttl":0}"#, "TTL 0"),
            (
                #"{"operation":"ADD","domain":"strict.example","rtype":"CNAME","rdata":"x.example.","ttl":300}"#,
                "CNAME at apex"
            ),
            (
                #"{"operation":"REMOVE","domain":"strict.example","rtype":"NS","rdata":"ns1.p68.dns.oraclecloud.net."}"#,
                "protected"
            ),
        ] {
            let (status, body) = try await send(
                "PATCH", "/zones/strict.example/records", #"{"items":["# + operation + "]}")
            #expect(status == 400 && body?["code"]?.string == "InvalidParameter", "\(why)")
        }
        #expect(fake.stored("strict.example").count == 3)
    }
}
