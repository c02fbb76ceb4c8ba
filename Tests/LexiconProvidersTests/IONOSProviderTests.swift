import Foundation
import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

func ionosClient(_ fake: IONOSFake, domain: String, key: String? = nil) throws -> Client {
    try Client(
        config: ConfigResolver().withDict([
            "provider_name": "ionos", "domain": .value(domain),
            "ionos": .mapping(["api_key": .value(key ?? fake.key), "api_endpoint": .value(fake.endpoint)]),
        ]), registry: .standard)
}

@Suite("IONOS against its fake")
struct IONOSProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try IONOSFake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try ionosClient(fake, domain: name)
        }
        try await suite.run(group)
    }

    @Test func sendsArraysFQDNsAndMXPrio() async throws {
        let fake = try IONOSFake(zones: ["fields.example"])
        defer { fake.stop() }
        let client = try ionosClient(fake, domain: "fields.example")
        try await client.createRecord(type: .txt, name: "@", content: "say \"hi\"")
        try await client.createRecord(type: .mx, name: "@", content: "mail.fields.example.", priority: 10)
        try await client.createRecord(type: .cname, name: "www", content: "fields.example.")
        let posts = fake.requests.filter { $0.method == "POST" }.compactMap {
            $0.body.flatMap { try? JSONValue(parsing: $0) }
        }
        #expect(posts.count == 3 && posts.allSatisfy { $0.array?.count == 1 }, "\(posts)")
        let mxBody = posts.first { $0.array?.first?["type"]?.string == "MX" }?.array?.first
        #expect(mxBody?["name"]?.string == "fields.example" && mxBody?["prio"]?.int == 10)
        #expect(mxBody?["content"]?.string == "mail.fields.example")
        #expect(
            posts.first { $0.array?.first?["type"]?.string == "CNAME" }?.array?.first?["name"]?.string
                == "www.fields.example")
        // TXT goes unquoted; IONOS stores it in quotes, and lexicon reads it back without them.
        #expect(
            posts.first { $0.array?.first?["type"]?.string == "TXT" }?.array?.first?["content"]?.string
                == "say \"hi\"")
        let stored = fake.stored("fields.example")
        #expect(stored.first { $0.type == "TXT" }?.content == #""say \"hi\"""#)
        #expect(stored.first { $0.type == "MX" }.map { "\($0.prio) \($0.content)" } == "10 mail.fields.example")
        let all = try await client.listRecords()
        #expect(all.contains { $0.type == .txt && $0.name == "fields.example" && $0.content == "say \"hi\"" })
        #expect(all.contains { $0.type == .mx && $0.content == "mail.fields.example" && $0.priority == 10 })
        #expect(all.filter { $0.type == .ns }.count == 4)
        let listing = fake.requests.last { $0.method == "GET" }
        let zone = try #require(fake.zoneID("fields.example"))
        #expect(listing?.path.hasSuffix("/dns/v1/zones/\(zone)") == true, "\(listing?.path ?? "")")
        _ = try await client.listRecords(type: .txt, name: "www")
        let filtered = fake.requests.last { $0.method == "GET" }?.path ?? ""
        #expect(
            filtered.contains("recordType=TXT") && filtered.contains("recordName=www.fields.example"), "\(filtered)")
    }

    @Test func updatesInPlaceOrRecreatesOnRename() async throws {
        let fake = try IONOSFake(zones: ["update.example"])
        defer { fake.stop() }
        let client = try ionosClient(fake, domain: "update.example")
        try await client.createRecord(type: .mx, name: "@", content: "mx1.update.example", priority: 10)
        let before = try #require(fake.stored("update.example").first { $0.type == "MX" })
        try await client.updateRecord(type: .mx, name: "@", content: "mx2.update.example", priority: 20)
        let after = try #require(fake.stored("update.example").first { $0.type == "MX" })
        #expect(after.id == before.id && after.content == "mx2.update.example" && after.prio == 20)
        let put = try #require(fake.requests.last { $0.method == "PUT" })
        let body = try #require(put.body.flatMap { try? JSONValue(parsing: $0) })
        #expect(body["name"] == nil && body["type"] == nil && body["prio"]?.int == 20)

        try await client.createRecord(type: .a, name: "old", content: "192.0.2.1")
        let old = try #require(try await client.listRecords(type: .a, name: "old").first)
        try await client.updateRecord(identifier: old.id, type: .a, name: "new", content: "192.0.2.1")
        #expect(try await client.listRecords(type: .a, name: "old").isEmpty)
        #expect(try await client.listRecords(type: .a, name: "new").count == 1)
    }

    @Test func wrongKeyAndUnknownZone() async throws {
        let fake = try IONOSFake(zones: ["known.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "--api-key or LEXICON_IONOS_API_KEY") {
            try await ionosClient(fake, domain: "known.example", key: "prefix.wrong").authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await ionosClient(fake, domain: "other.example").authenticate()
        }
        await expectStatus(1, containing: "HTTP 400: INVALID_RECORD: Record is invalid. (ttl)") {
            try await ionosClient(fake, domain: "known.example").createRecord(
                type: .txt, name: "short", content: "v", ttl: 30)
        }
    }

    @Test func optionIsAPIKeyFromEnvironmentOrFileAndSecret() async throws {
        let option = try #require(IONOSProvider.descriptor.option(named: "api_key"))
        #expect(option.isSecret && option.isRequired && option.defaultValue == nil)
        #expect(ConfigResolver.environmentName(for: "lexicon:ionos:api_key") == "LEXICON_IONOS_API_KEY")
        let fake = try IONOSFake(zones: ["env.example"])
        defer { fake.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ionos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("key").path
        _ = FileManager.default.createFile(
            atPath: file, contents: Data((fake.key + "\n").utf8), attributes: [.posixPermissions: 0o600])
        for environment in [
            ["LEXICON_IONOS_API_KEY": fake.key], ["LEXICON_IONOS_API_KEY_FILE": file],
        ] {
            let resolver = ConfigResolver().withEnv(environment).withDict([
                "provider_name": "ionos", "domain": .value("env.example"),
                "ionos": .mapping(["api_endpoint": .value(fake.endpoint)]),
            ])
            #expect(!resolver.description.contains(fake.key), "\(resolver.description)")
            try await Client(config: resolver, registry: .standard).authenticate()
        }
    }

    @Test func fakeRefusesWhatIONOSRefuses() async throws {
        let fake = try IONOSFake(zones: ["strict.example", "other.example"])
        defer { fake.stop() }
        let zone = try #require(fake.zoneID("strict.example"))
        let transport = CurlTransport(configuration: .init(connectTimeout: 1, totalTimeout: 3, retry: .none))
        func send(_ method: String, _ path: String, _ body: String? = nil, key: String?? = .none) async throws
            -> (Int, JSONValue?)
        {
            var headers: [HTTPHeader] = []
            if let key = key ?? fake.key { headers.append(HTTPHeader("X-API-Key", key)) }
            if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
            let response = try await transport.send(
                HTTPRequest(
                    method: method, url: fake.endpoint + path, headers: headers, body: body.map { Array($0.utf8) }))
            return (response.status, try? JSONValue(parsing: response.body))
        }
        for key in [String?.none, "prefix.wrong"] {
            let (status, body) = try await send("GET", "/zones", key: .some(key))
            #expect(status == 401 && body?.array?.first?["code"]?.string == "UNAUTHORIZED", "\(key ?? "no key")")
        }
        let zones = try await send("GET", "/zones").1
        #expect(zones?.array?.count == 2 && zones?.array?.allSatisfy { $0["type"]?.string == "NATIVE" } == true)
        #expect(try await send("GET", "/zones/00000000-0000-0000-0000-000000000000").0 == 404)
        #expect(try await send("GET", "/zones/\(zone)/records/nothing").0 == 404)
        for (body, why) in [
            (#"{"name":"a.strict.example","type":"A","content":"192.0.2.1"}"#, "an object, not an array"),
            (#"[{"name":"a.strict.example","type":"A","content":"192.0.2.300"}]"#, "bad A address"),
            (#"[{"name":"strict.example","type":"CNAME","content":"elsewhere.example"}]"#, "a CNAME beside the NS"),
            (#"[{"name":"a.other.example","type":"A","content":"192.0.2.1"}]"#, "a name outside the zone"),
            (#"[{"name":"a","type":"A","content":"192.0.2.1"}]"#, "a relative name"),
            (#"[{"name":"a.strict.example","type":"A"}]"#, "no content"),
            (
                #"[{"name":"c.strict.example","type":"CNAME","content":"x.example"},"#
                    + #"{"name":"c.strict.example","type":"TXT","content":"beside"}]"#,
                "a TXT beside a CNAME in the same request"
            ),
        ] {
            let (status, reply) = try await send("POST", "/zones/\(zone)/records", body)
            #expect(status == 400 && reply?.array?.first?["code"]?.string != nil, "\(why)")
        }
        #expect(fake.stored("strict.example").count == 4, "a refused request stored nothing")
        let (created, records) = try await send(
            "POST", "/zones/\(zone)/records", #"[{"name":"t.strict.example","type":"TXT","content":"v","ttl":300}]"#)
        #expect(created == 201 && records?.array?.first?["content"]?.string == "\"v\"")
    }
}
