import DNSWire
import Foundation
import Lexicon
import LexiconActions
import LexiconHTTP
import LexiconProviders
import LexiconTesting
import Synchronization
import Testing

/// The failover monitor against real parts: web servers on 127.0.0.2, .3 and .4 that the tests stop, slow down or
/// make answer 500, the pool's record set in a real PowerDNS, and the result read back with DNS queries.
@Suite("failover monitor")
struct FailoverTests {
    /// A pool `www.pool.test A` of three backends in a fresh PowerDNS, all three published beside a value that is
    /// not in the pool (which the monitor must never touch).
    final class Fixture: @unchecked Sendable {
        let pdns: PowerDNSServer
        let backends: PoolBackends
        let directory: TemporaryDirectory
        let client: Client
        /// The value outside the pool.
        static let foreign = "198.51.100.7"

        init() async throws {
            pdns = try await PowerDNSServer()
            try await pdns.createZone("pool.test")
            backends = try PoolBackends(count: 3)
            directory = try TemporaryDirectory(prefix: "lexicon-failover")
            client = try Client(
                config: ConfigResolver().withDict([
                    "provider_name": "powerdns", "domain": "pool.test",
                    "powerdns": .mapping(["auth_token": .value(pdns.apiKey), "pdns_server": .value(pdns.apiURL)]),
                ]), registry: .standard)
            for value in backends.addresses + [Self.foreign] {
                try await client.createRecord(type: .a, name: "www", content: value, ttl: 60)
            }
        }

        func stop() {
            backends.stopAll()
            pdns.stop()
            directory.remove()
        }

        /// A configuration file with one pool; `api` replaces the PowerDNS API URL (a proxy), `extra` adds pool keys.
        func config(
            fall: Int = 3, rise: Int = 2, interval: Int = 1, api: String? = nil, check: String? = nil,
            extra: String = ""
        ) throws -> String {
            let check = check ?? "{kind: http, port: \(backends.port), path: /health, timeout: 1}"
            return try directory.write(
                "failover.yml",
                """
                interval: \(interval)
                pools:
                  - provider: powerdns
                    domain: pool.test
                    name: www
                    type: A
                    ttl: 60
                    addresses: [\(backends.addresses.joined(separator: ", "))]
                    check: \(check)
                    fall: \(fall)
                    rise: \(rise)
                    options: {auth_token: \(pdns.apiKey), pdns_server: "\(api ?? pdns.apiURL)", pdns_disable_notify: "true"}
                    hook: 'echo "$LEXICON_FAILOVER_EVENT $LEXICON_FAILOVER_ADDRESS" >> \(directory.path)/hook.log'
                \(extra)

                """)
        }

        /// A monitor of a configuration, keeping its state in the fixture's directory.
        func monitor(_ path: String, log: LogLines, dryRun: Bool = false) throws -> FailoverMonitor {
            let (config, pools) = try FailoverConfig.load(path, registry: .standard)
            return try FailoverMonitor(
                config: config, pools: pools, registry: .standard, logger: log.logger(level: .info),
                configDirectory: directory.path, statePath: directory.file("state.json"), dryRun: dryRun,
                retryPauses: [0.1])
        }

        /// The A values PowerDNS serves for www.pool.test, asked over DNS.
        func served() async throws -> Set<String> {
            let answer = try await DNSClient(servers: [DNSServerAddress(host: "127.0.0.1", port: pdns.dnsPort)])
                .exchange(DNSMessage.query(DNSName("www.pool.test"), .a))
            return Set(answer.answers.map(\.rdataText))
        }

        /// The whole pool and the foreign value, minus some addresses.
        func all(but removed: String...) -> Set<String> {
            Set(backends.addresses + [Self.foreign]).subtracting(removed)
        }
    }

    /// Runs a test body with a fixture, or skips (failing under LEXICON_REQUIRE_TESTBED=1) without PowerDNS.
    func withFixture(_ body: (Fixture) async throws -> Void) async throws {
        if let missing = PowerDNSServer.missing {
            if Testbed.isRequired { Issue.record("PowerDNS testbed required but \(missing)") }
            return
        }
        let fixture = try await Fixture()
        defer { fixture.stop() }
        try await body(fixture)
    }

    @Test func aDeadServerLeavesAfterFallRoundsAndComesBackAfterRise() async throws {
        try await withFixture { f in
            let log = LogLines()
            let monitor = try f.monitor(try f.config(), log: log)
            _ = await monitor.round()
            #expect(try await f.served() == f.all())
            f.backends.stop("127.0.0.3")
            for round in 1...2 {
                let report = await monitor.round()
                #expect(report.changes.isEmpty, "round \(round): \(report.changes)")
                #expect(try await f.served() == f.all(), "removed before 3 failed checks")
            }
            let third = await monitor.round()
            #expect(third.changes.count == 1 && third.changes[0].hasPrefix("removed 127.0.0.3 from www.pool.test A"))
            #expect(try await f.served() == f.all(but: "127.0.0.3"))
            #expect(log.all.contains { $0.contains("127.0.0.3 is down: 3 checks failed in a row: Couldn't connect") })
            try await f.backends.start("127.0.0.3")
            #expect(await monitor.round().changes.isEmpty)
            #expect(try await f.served() == f.all(but: "127.0.0.3"), "added back after one passed check")
            let back = await monitor.round()
            #expect(back.changes.count == 1 && back.changes[0].hasPrefix("added 127.0.0.3 to www.pool.test A"))
            #expect(try await f.served() == f.all())
            #expect(
                try f.directory.read("hook.log") == "down 127.0.0.3\nremoved 127.0.0.3\nup 127.0.0.3\nadded 127.0.0.3\n"
            )
        }
    }

    @Test func whenEveryServerIsDownThePoolIsRestored() async throws {
        try await withFixture { f in
            let log = LogLines()
            let monitor = try f.monitor(try f.config(fall: 1), log: log)
            f.backends.stop("127.0.0.3")
            _ = await monitor.round()
            #expect(try await f.served() == f.all(but: "127.0.0.3"))
            f.backends.set("127.0.0.2", .status(500))
            f.backends.stop("127.0.0.4")
            let report = await monitor.round()
            // .2 and .4 go down in this round; nothing is removed, and .3 is published again.
            #expect(report.changes.count == 1 && report.changes[0].hasPrefix("added 127.0.0.3"), "\(report.changes)")
            #expect(try await f.served() == f.all())
            #expect(log.all.contains { $0.contains("every address is down: failing open") })
            // One comes back: once it has risen, the dead ones leave, one per round (max_removals_per_round 1).
            f.backends.set("127.0.0.2", .healthy)
            #expect(await monitor.round().changes.isEmpty)
            #expect(try await f.served() == f.all(), "still failing open until .2 has risen")
            let first = await monitor.round()
            #expect(first.changes.count == 1, "\(first.changes)")
            #expect(try await f.served().count == 3)
            _ = await monitor.round()
            #expect(try await f.served() == ["127.0.0.2", Fixture.foreign])
            #expect(log.all.contains { $0.contains("no longer failing open") })
        }
    }

    @Test func aFlappingServerChangesNothing() async throws {
        try await withFixture { f in
            let log = LogLines()
            let monitor = try f.monitor(try f.config(fall: 3, rise: 2), log: log)
            for round in 0..<8 {
                f.backends.set("127.0.0.3", round % 2 == 0 ? .status(500) : .healthy)
                // Slow but in time: passes.
                f.backends.set("127.0.0.4", .slow(0.3))
                let report = await monitor.round()
                #expect(report.changes.isEmpty && report.errors.isEmpty, "round \(round): \(report)")
            }
            #expect(try await f.served() == f.all())
            #expect(!log.all.contains { $0.contains(" is down") }, "\(log.all)")
            let health = await monitor.state.pools.values.first?.health["127.0.0.3"]
            #expect(health?.state == .up && health?.checks == 8)
            // Too slow for the 1-s timeout: a failure like any other.
            f.backends.set("127.0.0.4", .slow(2))
            _ = await monitor.round()
            let slow = await monitor.state.pools.values.first?.health["127.0.0.4"]
            #expect(slow?.failures == 1 && slow?.detail?.contains("Timeout") == true, "\(String(describing: slow))")
        }
    }

    @Test func aProviderErrorInTheMiddleOfARoundChangesNothing() async throws {
        try await withFixture { f in
            // A proxy in front of the PowerDNS API that can make every change (PATCH) fail with a 500.
            let failing = Mutex(false)
            let forward = CurlTransport(configuration: .init(connectTimeout: 2, totalTimeout: 5, retry: .none))
            let apiURL = f.pdns.apiURL
            let proxy = try LoopbackHTTPServer { request in
                if request.method == "PATCH" && failing.withLock({ $0 }) {
                    return .respond(HTTPResponse(status: 500, body: Array(#"{"error": "backend failure"}"#.utf8)))
                }
                var forwarded = request
                forwarded.url = apiURL + request.url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" }
                forwarded.headers = request.headers.filter {
                    !["host", "content-length"].contains($0.name.lowercased())
                }
                let answer = Mutex<HTTPResponse?>(nil)
                let done = DispatchSemaphore(value: 0)
                Task.detached {
                    let response = try? await forward.send(forwarded)
                    answer.withLock { $0 = response }
                    done.signal()
                }
                done.wait()
                guard let response = answer.withLock({ $0 }) else { return .drop }
                return .respond(
                    HTTPResponse(
                        status: response.status,
                        headers: response.headers.filter { $0.key == "content-type" }, body: response.body))
            }
            defer { proxy.stop() }
            let log = LogLines()
            let monitor = try f.monitor(try f.config(fall: 1, api: proxy.url), log: log)
            _ = await monitor.round()
            f.backends.stop("127.0.0.3")
            failing.withLock { $0 = true }
            let report = await monitor.round()
            #expect(report.changes.isEmpty)
            #expect(report.errors.count == 1, "\(report.errors)")
            #expect(try await f.served() == f.all(), "a failed change must leave the set as it was")
            let health = await monitor.state.pools.values.first?.health ?? [:]
            #expect(health["127.0.0.3"]?.state == .down)
            #expect(
                health["127.0.0.2"]?.state == .up && health["127.0.0.4"]?.state == .up, "a provider error is no check")
            #expect(log.all.contains { $0.contains("provider error") && $0.contains("trying again next round") })
            #expect(await monitor.state.pools.values.first?.lastError?.contains("500") == true)
            failing.withLock { $0 = false }
            let retried = await monitor.round()
            #expect(retried.errors.isEmpty && retried.changes.count == 1, "\(retried)")
            #expect(await monitor.state.pools.values.first?.lastError == nil, "cleared once the provider answers")
            #expect(try await f.served() == f.all(but: "127.0.0.3"))
        }
    }

    @Test func onceTwiceWithAStateFileIsTwoRoundsOfRun() async throws {
        try await withFixture { f in
            let config = try f.config(fall: 2, rise: 2)
            let state = f.directory.file("once.json")
            func once() async -> CommandRunner.Result {
                await CommandRunner.run(
                    Testbed.lexiconBinary, ["failover", "once", "--config", config, "--state-file", state])
            }
            #expect(await once().status == 0)
            f.backends.stop("127.0.0.3")
            let first = await once()
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try await f.served() == f.all())
            let saved = try FailoverState.load(state).pools.values.first?.health["127.0.0.3"]
            #expect(saved?.state == .up && saved?.failures == 1 && saved?.checks == 2)
            let second = await once()
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("127.0.0.3 is down: 2 checks failed in a row"), "\(second.stderr)")
            #expect(try await f.served() == f.all(but: "127.0.0.3"))
            // `run` carries on from the same state: .3 is back after two of its rounds.
            try await f.backends.start("127.0.0.3")
            let log = f.directory.file("run.log")
            let process = try ServerProcess(
                Testbed.lexiconBinary, ["failover", "run", "--config", config, "--state-file", state], logPath: log)
            for _ in 0..<60 where try await f.served() != f.all() { try await Task.sleep(nanoseconds: 100_000_000) }
            #expect(try await f.served() == f.all())
            // A second monitor of the same pool is refused while this one runs.
            let rival = await once()
            #expect(rival.status == 2)
            #expect(rival.stderr.contains("is monitoring www.pool.test A; stop it first"), "\(rival.stderr)")
            // SIGHUP reloads the file; a broken one keeps the old pools and says why.
            let good = try String(contentsOfFile: config, encoding: .utf8)
            _ = try f.directory.write("failover.yml", good.replacingOccurrences(of: "fall: 2", with: "fall: many"))
            process.signal(SIGHUP)
            for _ in 0..<40 where !process.log.contains("reload failed") {
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            #expect(process.log.contains("reload failed, keeping the old configuration: "), "\(process.log)")
            _ = try f.directory.write("failover.yml", good.replacingOccurrences(of: "fall: 2", with: "fall: 4"))
            process.signal(SIGHUP)
            for _ in 0..<40 where !process.log.contains("configuration reloaded") {
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            #expect(process.log.contains("configuration reloaded from \(config)"), "\(process.log)")
            #expect(try await f.served() == f.all())
            await process.terminate()
            let output = process.log
            #expect(output.contains("www.pool.test A: 2 × (1 s interval + 10 % jitter + 1 s timeout)"), "\(output)")
            #expect(output.contains("127.0.0.3 is up: 2 checks passed in a row (HTTP 200)"))
            #expect(output.contains("added 127.0.0.3"))
            #expect(output.contains("stopping (signal received)"))
            #expect(output.contains("the TTL (60 s) is longer than the interval (1 s)"))
        }
    }

    @Test func statusShowsEachAddressAndWhy() async throws {
        try await withFixture { f in
            let config = try f.config(fall: 1)
            let state = f.directory.file("status.json")
            f.backends.set("127.0.0.4", .status(503))
            let dry = await CommandRunner.run(
                Testbed.lexiconBinary, ["failover", "once", "--config", config, "--state-file", state, "--dry-run"])
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.hasPrefix("would remove 127.0.0.4 from www.pool.test A (down since "), "\(dry.stdout)")
            #expect(!FileManager.default.fileExists(atPath: state), "a dry run writes no state")
            #expect(dry.stderr.contains("holds secrets and is readable by others; run: chmod 600"), "\(dry.stderr)")
            #expect(!dry.stderr.contains(f.pdns.apiKey) && !dry.stdout.contains(f.pdns.apiKey))
            #expect(try await f.served() == f.all())
            let real = await CommandRunner.run(
                Testbed.lexiconBinary, ["failover", "once", "--config", config, "--state-file", state])
            #expect(real.status == 0, "\(real.stderr)")
            #expect(try await f.served() == f.all(but: "127.0.0.4"))
            let status = await CommandRunner.run(
                Testbed.lexiconBinary, ["failover", "status", "--config", config, "--state-file", state])
            #expect(status.status == 0, "\(status.stderr)")
            let lines = status.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("www.pool.test A via powerdns: serves ") == true, "\(status.stdout)")
            let four = lines.first { $0.contains("127.0.0.4") } ?? ""
            #expect(four.contains("down") && four.contains("not published") && four.contains("HTTP 503"), "\(four)")
            #expect(four.contains("1 check failed in a row: HTTP 503"))
            #expect(lines.contains { $0.contains("last change at ") && $0.contains("removed 127.0.0.4") })
            #expect(
                lines.contains(
                    "  warning: the TTL (60 s) is longer than the interval (1 s): resolvers keep handing out a removed address for up to 60 s"
                ))
            #expect(!real.stderr.contains("the TTL"), "once (cron) does not repeat the TTL warning: \(real.stderr)")
            let json = await CommandRunner.run(
                Testbed.lexiconBinary, ["failover", "status", "--config", config, "--state-file", state, "--json"])
            let document = try JSONValue(parsing: json.stdout)
            let pool = document["pools"]?.array?.first
            #expect(Set(pool?["records"]?.array?.compactMap(\.string) ?? []) == f.all(but: "127.0.0.4"))
            let entry = pool?["addresses"]?.array?.first { $0["address"]?.string == "127.0.0.4" }
            #expect(entry?["state"]?.string == "down" && entry?["published"]?.bool == false)
            #expect(entry?["detail"]?.string == "HTTP 503" && entry?["latency_ms"]?.double != nil)
        }
    }
}

/// The parts of the monitor that need no DNS server: configuration errors, the plan's safety rules, and the checks.
@Suite("failover: configuration, plan and checks")
struct FailoverUnitTests {
    func pool(_ addresses: [String], minHealthy: Int = 1, maxRemovals: Int = 1) -> FailoverPool {
        FailoverPool(
            provider: "powerdns", domain: "pool.test", fqdn: "www.pool.test", type: .a, ttl: 60,
            addresses: addresses.compactMap(IPAddress.init), check: HealthCheck(kind: .tcp), fall: 3, rise: 2,
            minHealthy: minHealthy, maxRemovalsPerRound: maxRemovals, options: [:], hook: nil)
    }

    func health(_ states: [String: AddressHealth.State]) -> [String: AddressHealth] {
        states.mapValues { AddressHealth(state: $0, since: 0, reason: "test") }
    }

    @Test func planKeepsTheFloorCapsRemovalsAndLeavesForeignValuesAlone() {
        let addresses = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
        let records = addresses + ["198.51.100.7"]
        let oneUp = health(["192.0.2.1": .up, "192.0.2.2": .down, "192.0.2.3": .down])
        let capped = FailoverPlan(pool: pool(addresses), health: oneUp, records: records, failingOpen: false)
        #expect(capped.removals.map(\.description) == ["192.0.2.2"])
        #expect(capped.held.map(\.address.description) == ["192.0.2.3"])
        let floor = FailoverPlan(
            pool: pool(addresses, minHealthy: 2, maxRemovals: 5), health: oneUp, records: records, failingOpen: false)
        #expect(floor.removals.count == 1 && floor.held.first?.reason.contains("min_healthy 2") == true)
        let allDown = health(["192.0.2.1": .down, "192.0.2.2": .down, "192.0.2.3": .down])
        let open = FailoverPlan(pool: pool(addresses), health: allDown, records: ["192.0.2.1"], failingOpen: false)
        #expect(open.failOpen && open.removals.isEmpty && open.additions.count == 2)
        // A new pool whose addresses are passing their first checks: nothing yet (no dead address published).
        var rising = allDown
        rising["192.0.2.1"]?.successes = 1
        let waiting = FailoverPlan(pool: pool(addresses), health: rising, records: [], failingOpen: false)
        #expect(waiting.isEmpty && !waiting.failOpen)
        for plan in [capped, floor, open, waiting] {
            #expect(!(plan.additions + plan.removals).contains { $0.description == "198.51.100.7" })
        }
    }

    @Test func healthNeedsFallFailuresAndRisePasses() {
        var health = AddressHealth(state: .up, since: 0, reason: "start")
        let fail = HealthCheck.Result(passed: false, latency: 0.01, detail: "HTTP 500")
        let pass = HealthCheck.Result(passed: true, latency: 0.01, detail: "HTTP 200")
        #expect(health.record(fail, fall: 2, rise: 2, now: 1) == nil)
        #expect(health.record(pass, fall: 2, rise: 2, now: 2) == nil)
        #expect(health.record(fail, fall: 2, rise: 2, now: 3) == nil)
        let down = health.record(fail, fall: 2, rise: 2, now: 4)
        #expect(down?.to == .down && down?.reason == "2 checks failed in a row: HTTP 500")
        #expect(health.record(pass, fall: 2, rise: 2, now: 5) == nil)
        #expect(health.record(pass, fall: 2, rise: 2, now: 6)?.to == .up)
        #expect(AddressHealth(json: health.json) == health)
    }

    @Test func configurationErrorsNameFileLineAndKey() async throws {
        let directory = try TemporaryDirectory(prefix: "lexicon-failover-config")
        defer { directory.remove() }
        let good = """
            interval: 10
            pools:
              - provider: powerdns
                domain: example.test
                name: www
                type: A
                addresses: [192.0.2.1, 192.0.2.2]
                check: {kind: http, port: 8080, path: /health, timeout: 2}

            """
        #expect(throws: Never.self) {
            try FailoverConfig.load(try directory.write("good.yml", good), registry: .standard)
        }
        let cases: [(String, String, String)] = [
            ("timeout: 2}", "tiemout: 2}", "bad.yml:8: key \"pools.0.check.tiemout\": unknown key \"tiemout\""),
            ("interval: 10", "interval: ten", "bad.yml:1: key \"interval\":"),
            (
                "192.0.2.2]", "2001:db8::1]",
                "bad.yml:7: key \"pools.0.addresses.1\": \"2001:db8::1\" is not an IPv4 address."
            ),
            (
                "kind: http, port: 8080, path: /health", "kind: tcp, port: 8080, path: /health",
                "bad.yml:8: key \"pools.0.check.path\": does not apply to tcp checks."
            ),
            (
                "provider: powerdns", "provider: dyndns2",
                "bad.yml:3: key \"pools.0.provider\": dyndns2 cannot list, add and remove single values"
            ),
            (
                "    name: www\n", "    name: www\n    fall: 0\n",
                "bad.yml:6: key \"pools.0.fall\": a number from 1 to 100, not 0."
            ),
        ]
        let garbage = try directory.write("state.json", "{\"version\": 1, \"pools\": {\"x\": {\"health\": 7}}}")
        let config = try directory.write("good.yml", good)
        let corrupt = await CommandRunner.run(
            Testbed.lexiconBinary, ["failover", "once", "--config", config, "--state-file", garbage])
        #expect(corrupt.status == 2)
        #expect(corrupt.stderr.contains("\(garbage) is not a failover state file; move it away"), "\(corrupt.stderr)")
        #expect(try directory.read("state.json").contains("\"health\": 7"), "left as it was")
        for (old, new, expected) in cases {
            let path = try directory.write("bad.yml", good.replacingOccurrences(of: old, with: new))
            let result = await CommandRunner.run(Testbed.lexiconBinary, ["failover", "once", "--config", path])
            #expect(result.status == 2, "\(new)")
            #expect(result.stderr.contains(directory.path + "/" + expected), "\(result.stderr)")
        }
    }

    /// `failover` starts loading libcurl at once; an error found meanwhile used to exit while it loaded, and about
    /// one run in a hundred crashed in libcrypto's exit handler (status 139) instead of exiting 2.
    @Test func anEarlyErrorWhileLibcurlLoadsExitsCleanly() async {
        let statuses = await withTaskGroup(of: [Int32].self) { group in
            for _ in 0..<6 {
                group.addTask {
                    var statuses: [Int32] = []
                    for _ in 0..<60 {
                        // Without the backtracer a crash ends the run with 139 at once (with it, the runs hang).
                        statuses.append(
                            await CommandRunner.run(
                                Testbed.lexiconBinary, ["failover", "once", "--config", "/nonexistent/failover.yml"],
                                environment: ["SWIFT_BACKTRACE": "enable=no"]
                            ).status)
                    }
                    return statuses
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == 360)
        #expect(statuses.allSatisfy { $0 == 2 }, "\(statuses.filter { $0 != 2 })")
    }

    @Test func theExampleConfigurationLoads() throws {
        let (config, pools) = try FailoverConfig.load("config/failover.yml", registry: .standard)
        #expect(config.interval == 15 && pools.count == 1)
        #expect(pools[0].label == "www.example.test A" && pools[0].check.summary == "http://ADDRESS:8080/health")
        #expect(pools[0].fall == 3 && pools[0].rise == 2 && pools[0].minHealthy == 1 && pools[0].ttl == 15)
    }

    @Test func tcpAndExecChecks() async throws {
        let backends = try PoolBackends(count: 2)
        defer { backends.stopAll() }
        backends.stop("127.0.0.3")
        var tcp = HealthCheck(kind: .tcp)
        tcp.port = Int(backends.port)
        tcp.connectTimeout = 1
        #expect(await tcp.probe(IPAddress("127.0.0.2")!).passed)
        let refused = await tcp.probe(IPAddress("127.0.0.3")!)
        #expect(!refused.passed && refused.detail == "connection refused", "\(refused.detail)")
        var exec = HealthCheck(kind: .exec)
        exec.command =
            "test \"$LEXICON_FAILOVER_ADDRESS\" = 127.0.0.2 || { echo \"not me: $LEXICON_FAILOVER_ADDRESS\"; exit 3; }"
        #expect(await exec.probe(IPAddress("127.0.0.2")!).passed)
        #expect(await exec.probe(IPAddress("127.0.0.3")!).detail == "exit status 3: not me: 127.0.0.3")
        // The check ends at its timeout, not with the command: anything well under the command's 30 s shows it (the
        // margin is for a busy machine, where killing and reaping the command takes a while).
        exec.command = "sleep 30"
        exec.timeout = 0.5
        let started = Date()
        let slow = await exec.probe(IPAddress("127.0.0.2")!)
        #expect(!slow.passed && slow.detail == "timed out after 0.5 s")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// HTTPS with a Host name: SNI and the certificate check use the name while the connection goes to the address.
    @Test func httpsChecksUseTheHostForSNIAndVerifyTheCertificate() async throws {
        guard Testbed.shouldRun(needing: "openssl") else { return }
        let directory = try TemporaryDirectory(prefix: "lexicon-failover-tls")
        defer { directory.remove() }
        let openssl = Testbed.tool("openssl") ?? "openssl"
        let made = await CommandRunner.run(
            "/bin/sh",
            [
                "-c",
                """
                cd '\(directory.path)' && \
                '\(openssl)' req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca -keyout ca.key -out ca.pem \
                  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>&1 && \
                '\(openssl)' req -newkey rsa:2048 -nodes -subj /CN=www.pool.test -keyout server.key -out server.csr 2>&1 && \
                printf 'subjectAltName=DNS:www.pool.test\\n' > ext.cnf && \
                '\(openssl)' x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out server.pem \
                  -extfile ext.cnf 2>&1
                """,
            ])
        #expect(made.status == 0, "\(made.stdout)")
        let port = LoopbackPorts.free()
        let server = try ServerProcess(
            openssl,
            [
                "s_server", "-accept", "127.0.0.2:\(port)", "-cert", directory.file("server.pem"), "-key",
                directory.file("server.key"), "-www", "-quiet",
            ], logPath: directory.file("s_server.log"))
        defer { server.stopInBackground() }
        var check = HealthCheck(kind: .https)
        check.port = Int(port)
        check.host = "www.pool.test"
        check.caFile = directory.file("ca.pem")
        check.timeout = 3
        check.connectTimeout = 3
        let address = IPAddress("127.0.0.2")!
        var result = await check.probe(address)
        for _ in 0..<30 where !result.passed {
            try await Task.sleep(nanoseconds: 100_000_000)
            result = await check.probe(address)
        }
        #expect(result.passed, "\(result.detail)")
        var byAddress = check
        byAddress.host = nil
        let mismatch = await byAddress.probe(address)
        #expect(!mismatch.passed, "the certificate names www.pool.test, not 127.0.0.2")
        var unverified = byAddress
        unverified.verifyTLS = false
        #expect(await unverified.probe(address).passed)
        var untrusted = check
        untrusted.caFile = nil
        #expect(!(await untrusted.probe(address).passed), "a private CA is not in the system's store")
    }
}
