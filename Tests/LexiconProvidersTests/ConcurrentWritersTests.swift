import Foundation
import Lexicon
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Testing

/// A provider whose writes replace whole sets or zones, as the command line and a library client reach it.
struct WriterTarget: Sendable {
    var provider: String
    var domain: String
    var options: [String: String]

    /// The options as `LEXICON_<PROVIDER>_<OPTION>` variables, with a lock directory of the test's own.
    func environment(lockDirectory: String) -> [String: String] {
        var env = ["LEXICON_LOCK_DIR": lockDirectory]
        for (key, value) in options { env["LEXICON_\(provider.uppercased())_\(key.uppercased())"] = value }
        return env
    }

    func client() throws -> Client {
        try Client(
            config: ConfigResolver().withDict([
                "provider_name": .value(provider), "domain": .value(domain),
                provider: .mapping(options.mapValues { .value($0) }),
            ]), registry: .standard)
    }

    /// The TXT values at `_acme-challenge`.
    func values() async throws -> Set<String> {
        Set(try await client().listRecords(type: .txt, name: "_acme-challenge").map(\.content))
    }
}

/// Runs `lexicon PROVIDER ACTION DOMAIN TXT --name _acme-challenge --content V` for many values at once.
func raceWriters(_ target: WriterTarget, _ runs: [(action: String, value: String)]) async throws
    -> [CommandRunner.Result]
{
    let locks = try TemporaryDirectory(prefix: "lexicon-locks")
    defer { locks.remove() }
    let env = target.environment(lockDirectory: locks.path + "/locks")
    return await CommandRunner.runConcurrently(
        Testbed.lexiconBinary,
        runs.map {
            [target.provider, $0.action, target.domain, "TXT", "--name", "_acme-challenge", "--content", $0.value]
        },
        environment: env)
}

/// The race of the issue: 20 creates of distinct values at one name, then 10 creates racing 10 deletes of other
/// values. Every command must exit 0 and the set must be exactly what they said they did.
func expectNoLostValues(_ target: WriterTarget) async throws {
    let creates = (0..<20).map { (action: "create", value: "v\($0)") }
    let first = try await raceWriters(target, creates)
    for (index, result) in first.enumerated() {
        #expect(result.status == 0, "\(target.provider) create v\(index): \(result.stderr)")
    }
    #expect(try await target.values() == Set((0..<20).map { "v\($0)" }), "\(target.provider): 20 creates")
    let mixed = (0..<10).flatMap { [(action: "create", value: "c\($0)"), (action: "delete", value: "v\($0)")] }
    let second = try await raceWriters(target, mixed)
    for (run, result) in zip(mixed, second) {
        #expect(result.status == 0, "\(target.provider) \(run.action) \(run.value): \(result.stderr)")
    }
    let expected = Set((10..<20).map { "v\($0)" } + (0..<10).map { "c\($0)" })
    #expect(try await target.values() == expected, "\(target.provider): creates racing deletes")
}

@Suite("concurrent writers never lose a value")
struct ConcurrentWritersTests {
    @Test func powerDNS() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("race.test")
        let target = WriterTarget(
            provider: "powerdns", domain: "race.test",
            options: ["auth_token": server.apiKey, "pdns_server": server.apiURL])
        try await expectNoLostValues(target)
        #expect(await dig(server, "_acme-challenge.race.test", "TXT").count == 20)
    }

    /// The fakes of the other set- and zone-replacing APIs, each serving requests concurrently as the real ones do.
    @Test(arguments: [
        "gandi", "godaddy", "namecheap", "hetzner", "route53", "desec", "nsone", "azure", "googleclouddns",
        "constellix",
    ])
    func fake(_ provider: String) async throws {
        let (target, stop) = try Self.startFake(provider, domain: "race.example")
        defer { stop() }
        try await expectNoLostValues(target)
    }

    static func startFake(_ provider: String, domain: String) throws -> (WriterTarget, stop: () -> Void) {
        switch provider {
        case "gandi":
            let fake = try GandiFake(domains: [domain])
            return (
                WriterTarget(
                    provider: provider, domain: domain,
                    options: ["auth_token": fake.token, "api_endpoint": fake.endpoint]
                ), fake.stop
            )
        case "desec":
            let fake = try DeSECFake(domains: [domain])
            let options = ["auth_token": fake.token, "api_endpoint": fake.endpoint]
            return (WriterTarget(provider: provider, domain: domain, options: options), fake.stop)
        case "nsone":
            let fake = try NSOneFake(zones: [domain])
            let options = ["auth_token": fake.key, "api_endpoint": fake.endpoint]
            return (WriterTarget(provider: provider, domain: domain, options: options), fake.stop)
        case "azure":
            let fake = try AzureFake(zones: [domain])
            return (WriterTarget(provider: provider, domain: domain, options: azureOptions(fake)), fake.stop)
        case "godaddy":
            let fake = try GoDaddyFake(domains: [domain])
            let options = ["auth_key": fake.key, "auth_secret": fake.secret, "api_endpoint": fake.endpoint]
            return (WriterTarget(provider: provider, domain: domain, options: options), fake.stop)
        case "namecheap":
            let fake = try NamecheapFake(domains: [domain])
            let options = [
                "auth_token": fake.apiKey, "auth_username": fake.user, "auth_client_ip": fake.clientIP,
                "api_endpoint": fake.endpoint,
            ]
            return (WriterTarget(provider: provider, domain: domain, options: options), fake.stop)
        case "hetzner":
            let fake = try HetznerFake(zones: [domain])
            let options = ["auth_token": fake.cloudToken, "api_endpoint": fake.cloudEndpoint]
            return (WriterTarget(provider: provider, domain: domain, options: options), fake.stop)
        case "constellix":
            let fake = try ConstellixFake(domains: [domain])
            let options = ["auth_username": fake.apiKey, "auth_token": fake.secretKey, "api_endpoint": fake.endpoint]
            return (WriterTarget(provider: provider, domain: domain, options: options), fake.stop)
        case "googleclouddns":
            let fake = try GoogleCloudDNSFake(zones: [domain])
            let options = [
                "auth_service_account_info": fake.accountInfo(), "api_endpoint": fake.endpoint,
                "token_endpoint": fake.tokenEndpoint,
            ]
            return (WriterTarget(provider: provider, domain: domain, options: options), fake.stop)
        default:
            let fake = try Route53Fake(zones: [domain])
            let options = [
                "auth_access_key": fake.accessKey, "auth_access_secret": fake.secretKey, "api_endpoint": fake.endpoint,
            ]
            return (WriterTarget(provider: provider, domain: domain, options: options), fake.stop)
        }
    }
}

/// Another writer, as one on another machine would behave: right after each of the first `times` PATCHes it
/// replaces the `_acme-challenge` TXT set with its own stale merge (`old` and `rival`), undoing that PATCH.
final class RivalWriter: HTTPTransport, @unchecked Sendable {
    let inner: CurlTransport
    let server: PowerDNSServer
    let zone: String
    private let lock = NSLock()
    private var remaining: Int

    init(server: PowerDNSServer, zone: String, times: Int) {
        inner = CurlTransport(configuration: .init(connectTimeout: 2, totalTimeout: 10))
        self.server = server
        self.zone = zone
        remaining = times
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await inner.send(request)
        guard request.method == "PATCH",
            lock.withLock({ () -> Bool in
                defer { remaining -= 1 }
                return remaining > 0
            })
        else { return response }
        let stale = """
            {"rrsets": [{"name": "_acme-challenge.\(zone).", "type": "TXT", "ttl": 3600, "changetype": "REPLACE",
            "records": [{"content": "\\"old\\"", "disabled": false}, {"content": "\\"rival\\"", "disabled": false}]}]}
            """
        _ = try await server.api("PATCH", "/api/v1/servers/localhost/zones/\(zone).", json: stale)
        return response
    }
}

@Suite("writes are read back")
struct ReadBackTests {
    func rivalClient(_ server: PowerDNSServer, zone: String, rivalWrites: Int, locks: TemporaryDirectory) throws
        -> Client
    {
        var descriptor = PowerDNSProvider.descriptor
        descriptor.factory = { context in
            try PowerDNSProvider(
                context: context, transport: RivalWriter(server: server, zone: zone, times: rivalWrites))
        }
        let config = ConfigResolver().withDict([
            "provider_name": "powerdns", "domain": .value(zone), "lock_dir": .value(locks.path),
            "powerdns": .mapping([
                "auth_token": .value(server.apiKey), "pdns_server": .value(server.apiURL),
                "pdns_disable_notify": "true",
            ]),
        ])
        return try Client(config: config, registry: ProviderRegistry([descriptor]))
    }

    @Test func aWriteUndoneByAnotherWriterIsMergedAgain() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("rival.test")
        let locks = try TemporaryDirectory(prefix: "lexicon-locks")
        defer { locks.remove() }
        let plain = try powerDNSClient(server, domain: "rival.test")
        try await plain.createRecord(type: .txt, name: "_acme-challenge", content: "old")
        let client = try rivalClient(server, zone: "rival.test", rivalWrites: 1, locks: locks)
        try await client.createRecord(type: .txt, name: "_acme-challenge", content: "ours")
        let values = try await plain.listRecords(type: .txt, name: "_acme-challenge").map(\.content)
        #expect(Set(values) == ["old", "rival", "ours"])
        // An update undone the same way: the old value came back, the new one is written again.
        let old = try #require(try await plain.listRecords(type: .txt, name: "_acme-challenge", content: "old").first)
        let updater = try rivalClient(server, zone: "rival.test", rivalWrites: 1, locks: locks)
        try await updater.updateRecord(identifier: old.id, type: .txt, content: "renewed")
        let after = try await plain.listRecords(type: .txt, name: "_acme-challenge").map(\.content)
        #expect(Set(after) == ["rival", "renewed"])
    }

    @Test func aWriteThatNeverHoldsFailsSayingWhatIsMissing() async throws {
        guard let server = try await startPowerDNS() else { return }
        defer { server.stop() }
        try await server.createZone("lost.test")
        let locks = try TemporaryDirectory(prefix: "lexicon-locks")
        defer { locks.remove() }
        let client = try rivalClient(server, zone: "lost.test", rivalWrites: 100, locks: locks)
        do {
            try await client.createRecord(type: .txt, name: "_acme-challenge", content: "ours")
            Issue.record("a create that never held reported success")
        } catch let error as LexiconError {
            #expect(error.code.exitStatus == 1)
            #expect(error.description.hasPrefix("powerdns: create did not hold after 4 writes"), "\(error)")
            #expect(error.description.contains("TXT \"ours\" at _acme-challenge.lost.test is missing"), "\(error)")
        }
    }
}
