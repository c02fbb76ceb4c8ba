import Lexicon
import LexiconProviders
import LexiconTesting
import Testing

func route53Client(_ fake: Route53Fake, domain: String, options: [String: ConfigValue] = [:]) throws -> Client {
    var all: [String: ConfigValue] = [
        "auth_access_key": .value(fake.accessKey), "auth_access_secret": .value(fake.secretKey),
        "api_endpoint": .value(fake.endpoint),
    ]
    all.merge(options) { _, new in new }
    return try Client(
        config: ConfigResolver().withDict([
            "provider_name": "route53", "domain": .value(domain), "route53": .mapping(all),
        ]), registry: .standard)
}

@Suite("route53 against its fake")
struct Route53ProviderTests {
    @Test(arguments: ProviderConformanceSuite.Group.allCases)
    func conformance(_ group: ProviderConformanceSuite.Group) async throws {
        let domain = "\(group.rawValue.lowercased()).example"
        let fake = try Route53Fake(zones: [domain])
        defer { fake.stop() }
        let suite = ProviderConformanceSuite(domain: domain, unmanagedDomain: "unmanaged-\(domain)") { name in
            try route53Client(fake, domain: name)
        }
        try await suite.run(group)
        // The alias set was neither listed as a record nor changed.
        #expect(fake.stored(domain).contains { $0.alias && $0.name == "cdn.\(domain)." })
    }

    @Test func privateZoneAndZoneID() async throws {
        let fake = try Route53Fake(zones: ["inside.example"])
        defer { fake.stop() }
        let privateClient = try route53Client(fake, domain: "inside.example", options: ["private_zone": "true"])
        try await privateClient.createRecord(type: .a, name: "db", content: "10.0.0.5")
        #expect(fake.stored("inside.example", privateZone: true).contains { $0.name == "db.inside.example." })
        #expect(!fake.stored("inside.example").contains { $0.name == "db.inside.example." })
        let byID = try route53Client(fake, domain: "inside.example", options: ["zone_id": "/hostedzone/ZPUB0"])
        try await byID.createRecord(type: .txt, name: "pub", content: "public")
        #expect(
            fake.stored("inside.example").contains { $0.name == "pub.inside.example." && $0.values == ["\"public\""] })
    }

    @Test func wrongSecretIsStatusThree() async throws {
        let fake = try Route53Fake(zones: ["auth.example"])
        defer { fake.stop() }
        await expectStatus(3, containing: "SignatureDoesNotMatch") {
            try await route53Client(fake, domain: "auth.example", options: ["auth_access_secret": "wrong"])
                .authenticate()
        }
        await expectStatus(3, containing: "No domain found for other.example") {
            try await route53Client(fake, domain: "other.example").authenticate()
        }
    }
}
