import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps each pool's record set to the addresses that answer their check. One ``round()`` checks every address (in
/// parallel, up to the concurrency limit), moves each address's ``AddressHealth``, plans the changes with
/// ``FailoverPlan``, and makes them one value at a time through the provider's operations, reading the set back
/// after each. Provider errors never count against an address: the round's remaining changes wait for the next
/// round.
public actor FailoverMonitor {
    /// What a round did.
    public struct Report: Sendable {
        /// The changes made, or with a dry run the changes that would be made, in words.
        public var changes: [String] = []
        /// Provider errors (the changes they stopped are retried next round).
        public var errors: [String] = []
    }

    /// The pools.
    nonisolated public let pools: [FailoverPool]
    /// Seconds between rounds.
    nonisolated public let interval: Double
    /// Whether changes are only described.
    nonisolated public let dryRun: Bool
    /// The state file, or nil to keep state in memory only.
    nonisolated public let statePath: String?
    /// The current state.
    public private(set) var state: FailoverState
    private let config: FailoverConfig
    private let clients: [Client]
    private let logger: LexiconLogger
    private var locks: [PoolLock] = []
    /// Pauses between attempts of a provider call that failed (its attempts are these plus one).
    private let retryPauses: [Double]

    /// Creates a monitor, a client per pool, and loads the state file.
    /// - Parameters:
    ///   - config: The configuration.
    ///   - pools: Its resolved pools.
    ///   - registry: The providers.
    ///   - logger: Where transitions and changes are logged.
    ///   - configDirectory: Where `lexicon.yml` and `lexicon_<provider>.yml` are looked for.
    ///   - statePath: The state file.
    ///   - dryRun: Describe changes instead of making them (and write no state).
    ///   - retryPauses: Seconds between attempts of a failing provider call.
    public init(
        config: FailoverConfig, pools: [FailoverPool], registry: ProviderRegistry, logger: LexiconLogger,
        configDirectory: String, statePath: String?, dryRun: Bool, retryPauses: [Double] = [1, 2]
    ) throws {
        self.config = config
        self.pools = pools
        self.interval = config.interval ?? 30
        self.logger = logger
        self.statePath = statePath
        self.dryRun = dryRun
        self.retryPauses = retryPauses
        state = try statePath.map(FailoverState.load) ?? FailoverState()
        var clients: [Client] = []
        for pool in pools {
            var options: [String: ConfigValue] = [:]
            for (key, value) in pool.options { options[key] = .value(value) }
            let resolver = try ConfigResolver()
                .withDict([
                    "provider_name": .value(pool.provider), "domain": .value(pool.domain),
                    pool.provider: .mapping(options),
                ])
                .withEnv()
                .withConfigDir(configDirectory, mustExist: false)
            let client = try Client(config: resolver, registry: registry, logger: logger)
            guard client.names.contains(pool.fqdn) else {
                throw LexiconError(.config, "\(pool.label) is outside the zone \(client.zone) of \(pool.domain).")
            }
            clients.append(client)
        }
        self.clients = clients
    }

    /// Takes every pool's lock (see ``PoolLock``) for as long as the monitor lives.
    public func lock(in directory: String) throws {
        locks = try pools.map { try PoolLock(directory: directory, pool: $0) }
    }

    /// One round over every pool; the state file is written at its end (not with a dry run).
    public func round() async -> Report {
        // A record set that will be read anyway (first sight, or due for a resync) is read while the checks run.
        let now = Int(time(nil))
        let due = pools.indices.filter { index in
            let pool = pools[index]
            guard let entry = state.pools[pool.key], entry.records != nil,
                let readAt = entry.readAt, Double(now - readAt) < (config.resync ?? 300)
            else { return true }
            return pool.addresses.contains { entry.health[$0.description] == nil }
        }
        async let probed = probeAll()
        var prefetched: [Int: Result<[String], any Error>] = [:]
        await withTaskGroup(of: (Int, Result<[String], any Error>).self) { group in
            for index in due {
                group.addTask { (index, await self.fetch(index)) }
            }
            for await (index, result) in group { prefetched[index] = result }
        }
        let results = await probed
        var report = Report()
        for index in pools.indices {
            await process(index, results[index], prefetched: prefetched[index], into: &report)
        }
        if !dryRun, let statePath {
            do {
                try state.save(statePath)
            } catch let error as LexiconError {
                logger.error("cannot write the state: \(error.message)")
                report.errors.append(error.message)
            } catch {
                report.errors.append("\(error)")
            }
        }
        return report
    }

    /// Every address of every pool checked once, at most `concurrency` at a time.
    private func probeAll() async -> [[IPAddress: HealthCheck.Result]] {
        let jobs = pools.enumerated().flatMap { index, pool in pool.addresses.map { (index, $0, pool.check) } }
        var results = [[IPAddress: HealthCheck.Result]](repeating: [:], count: pools.count)
        let limit = config.concurrency ?? 16
        await withTaskGroup(of: (Int, IPAddress, HealthCheck.Result).self) { group in
            var pending = jobs.makeIterator()
            for _ in 0..<limit {
                guard let (index, address, check) = pending.next() else { break }
                group.addTask { (index, address, await check.probe(address)) }
            }
            for await (index, address, result) in group {
                results[index][address] = result
                logger.debug(
                    "\(pools[index].label): \(address) \(result.passed ? "passed" : "failed"): \(result.detail) (\(AddressHealth.milliseconds(result.latency)) ms)"
                )
                if let (index, address, check) = pending.next() {
                    group.addTask { (index, address, await check.probe(address)) }
                }
            }
        }
        return results
    }

    private func process(
        _ index: Int, _ results: [IPAddress: HealthCheck.Result], prefetched: Result<[String], any Error>?,
        into report: inout Report
    ) async {
        var prefetched = prefetched
        var readThisRound = false
        let pool = pools[index]
        var entry = state.pools[pool.key] ?? FailoverState.Pool()
        defer { state.pools[pool.key] = entry }
        let now = Int(time(nil))
        let known = Set(pool.addresses.map(\.description))
        entry.health = entry.health.filter { known.contains($0.key) }
        // An address seen for the first time starts as the record set shows it: published is up, absent is down.
        if pool.addresses.contains(where: { entry.health[$0.description] == nil }) || entry.records == nil {
            guard
                await read(index, into: &entry, report: &report, now: now, why: "to start", prefetched: &prefetched)
            else { return }
            readThisRound = true
            let published = Set((entry.records ?? []).compactMap(IPAddress.init))
            for address in pool.addresses where entry.health[address.description] == nil {
                let present = published.contains(address)
                entry.health[address.description] = AddressHealth(
                    state: present ? .up : .down, since: now,
                    reason: present
                        ? "in the record set when monitoring began" : "not in the record set when monitoring began")
            }
        }
        for address in pool.addresses {
            guard let result = results[address] else { continue }
            await observe(pool, address, result, &entry, now: now)
        }
        var plan = FailoverPlan(
            pool: pool, health: entry.health, records: entry.records ?? [], failingOpen: entry.failOpen)
        let stale = entry.readAt.map { Double(now - $0) >= (config.resync ?? 300) } ?? true
        if (!plan.isEmpty || stale || plan.failOpen != entry.failOpen) && !readThisRound {
            guard
                await read(
                    index, into: &entry, report: &report, now: now, why: "before changing it", prefetched: &prefetched)
            else { return }
            plan = FailoverPlan(
                pool: pool, health: entry.health, records: entry.records ?? [], failingOpen: entry.failOpen)
        }
        if plan.failOpen != entry.failOpen {
            entry.failOpen = plan.failOpen
            if plan.failOpen {
                logger.warning(
                    "\(pool.label): every address is down: failing open, the whole pool stays published until one is up again"
                )
            } else {
                logger.info("\(pool.label): an address is up again: no longer failing open")
            }
            await hook(
                pool, event: plan.failOpen ? "fail-open" : "fail-open-ended", address: nil,
                reason: plan.failOpen ? "every address is down" : "an address is up", records: entry.records ?? [])
        }
        for held in plan.held {
            logger.debug("\(pool.label): \(held.address) is down but stays published: \(held.reason)")
        }
        do {
            for address in plan.additions {
                let why = plan.failOpen ? "failing open" : "up: \(entry.health[address.description]?.reason ?? "")"
                try await change(index, add: true, address, why: why, &entry, into: &report)
            }
            for address in plan.removals {
                // Checked once more just before: a removal is never made on a result older than this moment.
                let again = await pool.check.probe(address)
                await observe(pool, address, again, &entry, now: Int(time(nil)))
                if again.passed {
                    logger.info(
                        "\(pool.label): \(address) kept: it passed a re-check just before removal (\(again.detail))")
                    continue
                }
                let health = entry.health[address.description]
                let why = "down since \(Self.timestamp(health?.since ?? now)): \(health?.reason ?? again.detail)"
                try await change(index, add: false, address, why: why, &entry, into: &report)
            }
            if !plan.isEmpty && !dryRun { entry.lastError = nil }
        } catch {
            let message = (error as? LexiconError)?.message ?? "\(error)"
            logger.error(
                "\(pool.label): provider error: \(message); no further change this round, trying again next round")
            entry.lastError = message
            entry.readAt = nil
            report.errors.append("\(pool.label): \(message)")
        }
    }

    /// Counts one check result; logs and runs the hook on a transition.
    private func observe(
        _ pool: FailoverPool, _ address: IPAddress, _ result: HealthCheck.Result, _ entry: inout FailoverState.Pool,
        now: Int
    ) async {
        guard var health = entry.health[address.description] else { return }
        let transition = health.record(result, fall: pool.fall, rise: pool.rise, now: now)
        entry.health[address.description] = health
        if let transition {
            // Going down is for a person to look at; coming back is routine.
            logger.log(
                transition.to.rawValue == "down" ? .warning : .info,
                "\(pool.label): \(address) is \(transition.to.rawValue): \(transition.reason)")
            await hook(
                pool, event: transition.to.rawValue, address: address, reason: transition.reason,
                records: entry.records ?? [])
        }
    }

    /// Adds or removes one value, then reads the set back to see that it took.
    private func change(
        _ index: Int, add: Bool, _ address: IPAddress, why: String, _ entry: inout FailoverState.Pool,
        into report: inout Report
    ) async throws {
        let pool = pools[index]
        let client = clients[index]
        let verb = add ? "add" : "remove"
        let preposition = add ? "to" : "from"
        if dryRun {
            report.changes.append("would \(verb) \(address) \(preposition) \(pool.label) (\(why))")
            return
        }
        let name = pool.fqdn + "."
        try await retrying {
            if add {
                try await client.createRecord(type: pool.type, name: name, content: address.description, ttl: pool.ttl)
            } else {
                try await client.deleteRecord(type: pool.type, name: name, content: address.description)
            }
        }
        let now = Int(time(nil))
        let records = try await retrying { try await client.listRecords(type: pool.type, name: name).map(\.content) }
        entry.records = records
        entry.readAt = now
        let present = records.contains { IPAddress($0) == address }
        guard present == add else {
            throw LexiconError(
                .provider,
                "\(client.descriptor.name) accepted the change but the record set read back is \(Self.list(records)) (\(address) \(add ? "missing" : "still there"))"
            )
        }
        let past = add ? "added" : "removed"
        let line = "\(past) \(address) \(preposition) \(pool.label) (\(why)); it now serves \(Self.list(records))"
        logger.info("\(pool.label): \(past) \(address) (\(why)); the set is now \(Self.list(records))")
        report.changes.append(line)
        entry.lastChange = "\(past) \(address) (\(why))"
        entry.lastChangeAt = now
        await hook(pool, event: past, address: address, reason: why, records: records)
    }

    /// Reads a pool's record set into its state; false (logged, reported) when the provider fails.
    private func read(
        _ index: Int, into entry: inout FailoverState.Pool, report: inout Report, now: Int, why: String,
        prefetched: inout Result<[String], any Error>?
    ) async -> Bool {
        let pool = pools[index]
        let result: Result<[String], any Error>
        if let given = prefetched {
            result = given
            prefetched = nil
        } else {
            result = await fetch(index)
        }
        do {
            entry.records = try result.get()
            entry.readAt = now
            entry.lastError = nil
            return true
        } catch {
            let message = (error as? LexiconError)?.clause ?? "\(error)"
            logger.error("\(pool.label): cannot read the record set \(why): \(message); trying again next round")
            entry.lastError = message
            report.errors.append("\(pool.label): \(message)")
            return false
        }
    }

    /// A pool's record set, read now (with retries).
    private func fetch(_ index: Int) async -> Result<[String], any Error> {
        let pool = pools[index]
        let client = clients[index]
        do {
            return .success(
                try await retrying {
                    try await client.listRecords(type: pool.type, name: pool.fqdn + ".").map(\.content)
                })
        } catch {
            return .failure(error)
        }
    }

    /// Runs a provider call, again after each pause while it fails with a network or provider error.
    @discardableResult
    private func retrying<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        var pauses = retryPauses[...]
        while true {
            do {
                return try await body()
            } catch let error as LexiconError where [.network, .provider].contains(error.code) && !pauses.isEmpty {
                let pause = pauses.removeFirst()
                logger.info("provider error: \(error.clause); trying again in \(ShellCommand.Result.seconds(pause)) s")
                try await Task.sleep(nanoseconds: UInt64(pause * 1e9))
            }
        }
    }

    /// Runs the pool's hook (or the top-level one) for an event.
    private func hook(_ pool: FailoverPool, event: String, address: IPAddress?, reason: String, records: [String])
        async
    {
        guard !dryRun, let command = pool.hook ?? config.hook else { return }
        let environment = [
            "LEXICON_FAILOVER_EVENT": event, "LEXICON_FAILOVER_POOL": pool.label,
            "LEXICON_FAILOVER_ADDRESS": address?.description ?? "",
            "LEXICON_FAILOVER_REASON": TerminalText.escaped(reason),
            "LEXICON_FAILOVER_RECORDS": records.joined(separator: ","),
        ]
        await ShellCommand(command, environment: environment, timeout: 30).runAsHook(
            logger: logger, context: "\(pool.label): ")
    }

    /// The worst-case time, in seconds, from an address dying to resolvers no longer handing it out, in words.
    public func worstCase(_ pool: FailoverPool) -> String {
        let timeout = pool.check.timeout
        let detection = Double(pool.fall) * (interval * 1.1 + timeout) + timeout
        let total = Int(detection.rounded(.up)) + pool.ttl
        return
            "\(pool.fall) × (\(Self.seconds(interval)) s interval + 10 % jitter + \(Self.seconds(timeout)) s timeout) + \(Self.seconds(timeout)) s re-check + \(pool.ttl) s TTL = \(total) s worst case to fail over"
    }

    /// Warnings about the configuration's timing (a TTL longer than the interval).
    public func timingWarnings() -> [String] {
        pools.compactMap { pool in
            guard Double(pool.ttl) > interval else { return nil }
            return
                "\(pool.label): the TTL (\(pool.ttl) s) is longer than the interval (\(Self.seconds(interval)) s): resolvers keep handing out a removed address for up to \(pool.ttl) s"
        }
    }

    /// Each pool as `status` shows it, with its record set read now (or as last read when the provider fails).
    public func status() async -> JSONValue {
        var entries: [JSONValue] = []
        for (index, pool) in pools.enumerated() {
            let entry = state.pools[pool.key] ?? FailoverState.Pool()
            var records = entry.records
            var readAt = entry.readAt
            var readError: String?
            do {
                records = try await clients[index].listRecords(type: pool.type, name: pool.fqdn + ".").map(\.content)
                readAt = Int(time(nil))
            } catch {
                readError = (error as? LexiconError)?.message ?? "\(error)"
            }
            let published = Set((records ?? []).compactMap(IPAddress.init))
            var addresses: [JSONValue] = []
            for address in pool.addresses {
                var pairs: [(String, JSONValue)] = [("address", .string(address.description))]
                if let health = entry.health[address.description], case .object(let fields) = health.json {
                    pairs += fields
                } else {
                    pairs.append(("state", .string("unknown")))
                }
                pairs.append(("published", records == nil ? .null : .bool(published.contains(address))))
                addresses.append(.object(pairs))
            }
            var pairs: [(String, JSONValue)] = [
                ("pool", .string(pool.label)), ("provider", .string(pool.provider)),
                ("check", .string(pool.check.summary)), ("interval", .number(Self.seconds(interval))),
                ("ttl", .int(pool.ttl)), ("fall", .int(pool.fall)), ("rise", .int(pool.rise)),
                ("min_healthy", .int(pool.minHealthy)), ("max_removals_per_round", .int(pool.maxRemovalsPerRound)),
                ("worst_case", .string(worstCase(pool))),
                ("warnings", .array(timingWarnings().filter { $0.hasPrefix(pool.label + ":") }.map { .string($0) })),
                ("records", records.map { .array($0.map { .string($0) }) } ?? .null),
                ("read_at", readAt.map { .int($0) } ?? .null),
                ("fail_open", .bool(entry.failOpen)), ("addresses", .array(addresses)),
            ]
            if let readError { pairs.append(("read_error", .string(readError))) }
            if let error = entry.lastError { pairs.append(("last_error", .string(error))) }
            if let change = entry.lastChange {
                pairs.append(("last_change", .string(change)))
                pairs.append(("last_change_at", entry.lastChangeAt.map { .int($0) } ?? .null))
            }
            entries.append(.object(pairs))
        }
        return .object([("pools", .array(entries))])
    }

    /// `status` as text, from its JSON form.
    public static func statusText(_ status: JSONValue) -> [String] {
        var lines: [String] = []
        let now = Int(time(nil))
        for pool in status["pools"]?.array ?? [] {
            let label = pool["pool"]?.string ?? ""
            let records = pool["records"]?.array?.compactMap(\.string)
            let served = records.map { $0.isEmpty ? "nothing" : list($0) } ?? "unknown"
            let when = pool["read_at"]?.int.map { " (read \(ago($0, now)))" } ?? ""
            lines.append("\(label) via \(pool["provider"]?.string ?? ""): serves \(served)\(when)")
            if let error = pool["read_error"]?.string { lines.append("  cannot read the record set now: \(error)") }
            lines.append(
                "  check \(pool["check"]?.string ?? "") every \(pool["interval"]?.double.map(seconds) ?? "?") s, fall \(pool["fall"]?.int ?? 0), rise \(pool["rise"]?.int ?? 0), min_healthy \(pool["min_healthy"]?.int ?? 0), ttl \(pool["ttl"]?.int ?? 0)"
            )
            lines.append("  \(pool["worst_case"]?.string ?? "")")
            for warning in pool["warnings"]?.array ?? [] {
                lines.append("  warning: " + (warning.string ?? "").dropFirst(label.count + 2))
            }
            if pool["fail_open"]?.bool == true { lines.append("  FAILING OPEN: every address is down") }
            for address in pool["addresses"]?.array ?? [] {
                let text = address["address"]?.string ?? ""
                let state = address["state"]?.string ?? "unknown"
                let dns =
                    address["published"]?.bool.map { $0 ? "published" : "not published" } ?? "published?"
                var line =
                    "  \(text.padding(15)) \(state.padding(7)) \(dns.padding(13))"
                if let checks = address["checks"]?.int, checks > 0 {
                    let successes = address["successes"]?.int ?? 0
                    let failures = address["failures"]?.int ?? 0
                    let streak = successes > 0 ? "passed \(successes)" : "failed \(failures)"
                    let latency =
                        address["latency_ms"]?.double.map { ", \(AddressHealth.milliseconds($0 / 1000)) ms" } ?? ""
                    line += " last: \(address["detail"]?.string ?? "")\(latency) (\(streak) in a row of \(checks))"
                }
                if let since = address["since"]?.int {
                    line += "; \(state) since \(timestamp(since)): \(address["reason"]?.string ?? "")"
                }
                lines.append(line)
            }
            if let change = pool["last_change"]?.string {
                let at = pool["last_change_at"]?.int.map { " at \(timestamp($0))" } ?? ""
                lines.append("  last change\(at): \(change)")
            }
            if let error = pool["last_error"]?.string { lines.append("  last provider error: \(error)") }
        }
        return lines
    }

    /// `2026-11-29T11:50:02Z`.
    public static func timestamp(_ seconds: Int) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func ago(_ seconds: Int, _ now: Int) -> String {
        let age = max(0, now - seconds)
        return age == 0 ? "now" : "\(age) s ago"
    }

    /// Seconds in messages: `10`, `2.5`.
    public static func seconds(_ value: Double) -> String { ShellCommand.Result.seconds(value) }

    static func list(_ records: [String]) -> String { records.isEmpty ? "nothing" : records.joined(separator: ", ") }
}

extension String {
    /// The text padded with spaces to a width.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
