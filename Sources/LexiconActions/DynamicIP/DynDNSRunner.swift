import Lexicon

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the jobs of a ``DynDNSConfig``: one round detects each job's address and syncs its record (nothing is sent
/// when the address is unchanged), runs the job's hook after a change, and reports each job's outcome.
public struct DynDNSRunner: Sendable {
    public let config: DynDNSConfig
    public let registry: ProviderRegistry
    public let logger: LexiconLogger
    /// The state directory (the config's `state_dir`, or the default).
    public let stateDirectory: String?

    /// Creates a runner.
    public init(config: DynDNSConfig, registry: ProviderRegistry, logger: LexiconLogger, environment: [String: String])
    {
        self.config = config
        self.registry = registry
        self.logger = logger
        stateDirectory = config.state_dir ?? SyncIP.defaultStateDirectory(environment)
    }

    /// One round over every job; true when every job succeeded.
    public func round() async -> Bool {
        var ok = true
        for job in config.jobs {
            do {
                if job.isDualStack {
                    try await dualStack(job)
                } else {
                    try await single(job)
                }
            } catch {
                ok = false
                logger.error("\(job.label): \((error as? LexiconError)?.commandLineDescription ?? "\(error)")")
            }
        }
        return ok
    }

    /// Logs a job's result: a change at INFO (one line per change at the daemon's default level), an unchanged
    /// address at DEBUG, so a quiet round writes nothing.
    private func report(_ job: DynDNSConfig.Job, _ address: String, _ action: String) {
        if action == "unchanged" {
            logger.debug("\(job.label): \(address) unchanged")
        } else {
            logger.info("\(job.label): \(address) \(action)")
        }
    }

    /// One family of one host.
    private func single(_ job: DynDNSConfig.Job) async throws {
        let (address, client) = try await prepare(job)
        let outcome = try await SyncIP(client: client, stateDirectory: stateDirectory, fingerprint: job.fingerprint)
            .run(name: job.name, address: address, dryRun: false)
        report(job, "\(address)", outcome.action)
        if outcome.action != "unchanged", let hook = job.hook {
            await runHook(hook, old: outcome.before.first ?? "", new: address.description)
        }
    }

    /// What every source of every job answers now, changing nothing.
    public func check() async -> [String] {
        var lines: [String] = []
        for job in config.jobs {
            guard let family = IPAddress.Family(RecordType(rawValue: job.type)) else { continue }
            let sources =
                (try? job.detect.map { try $0.map(AddressSource.init(parsing:)) } ?? AddressSource.defaults(family))
                ?? []
            lines.append("\(job.label):")
            for source in sources {
                do {
                    let address = try await source.detect(family, timeout: 5, logger: logger)
                    lines.append("  \(source): \(address)\(address.nonPublicReason.map { " (\($0))" } ?? "")")
                } catch let error as LexiconError {
                    lines.append("  \(source): \(error.message)")
                } catch {
                    lines.append("  \(source): \(error)")
                }
            }
        }
        return lines
    }

    /// The last published address, time and result of every job, from the state files.
    /// What `dyndns status` shows of one job.
    public struct JobStatus: Sendable {
        /// `home.example.net A via dyndns2`.
        public var label: String
        /// The address published last, if any.
        public var published: String?
        /// What was done then (`created`, `updated`, …).
        public var action: String?
        /// When, in seconds since 1970.
        public var time: Int?
        /// Why updates are held, when they are (an answer that needs the user, or a back-off).
        public var holdReason: String?
        /// Until when they are held (seconds since 1970); 0 until the configuration changes.
        public var holdUntil: Int?
        /// The hold file: removing it (or `lexicon dyndns clear`) lets the next round try again.
        public var holdFile: String?

        /// The status as a JSON object.
        public var json: JSONValue {
            var pairs: [(String, JSONValue)] = [("job", .string(label))]
            pairs.append(("published", published.map(JSONValue.string) ?? .null))
            pairs.append(("action", action.map(JSONValue.string) ?? .null))
            pairs.append(("time", time.map(JSONValue.int) ?? .null))
            pairs.append(("held", .bool(holdReason != nil)))
            if let holdReason {
                pairs += [
                    ("hold_reason", .string(holdReason)), ("hold_until", holdUntil.map(JSONValue.int) ?? .null),
                    ("hold_file", holdFile.map(JSONValue.string) ?? .null),
                ]
            }
            return .object(pairs)
        }
    }

    /// Every job's last published address, and its hold if updates are held.
    public func jobStatuses() -> [JobStatus] {
        config.jobs.map { job in
            let state = RecordState(directory: stateDirectory, fqdn: fqdn(job), type: job.type)
            var status = JobStatus(label: job.label)
            if let published = state.published {
                status.published = published.value
                status.action = published.action
                status.time = published.time
            }
            if let hold = state.hold, hold.fingerprint == job.fingerprint {
                status.holdReason = hold.reason
                status.holdUntil = hold.until
                status.holdFile = state.holdPath
            }
            return status
        }
    }

    /// `dyndns status` as lines of text.
    public func status() -> [String] {
        let now = Int(time(nil))
        return jobStatuses().map { status in
            if let reason = status.holdReason {
                let until = status.holdUntil == 0 ? "until the configuration changes" : "until \(status.holdUntil ?? 0)"
                return "\(status.label): HELD \(until): \(reason) (lexicon dyndns clear, or remove "
                    + "\(status.holdFile ?? "the hold file"))"
            }
            guard let published = status.published else { return "\(status.label): nothing published yet" }
            let when = status.time.map { "\(now - $0) s ago" } ?? "?"
            return "\(status.label): \(published) (\(status.action ?? "?") \(when))"
        }
    }

    /// Removes every job's hold, so the next round sends again; the labels of the jobs that were held.
    public func clearHolds() -> [String] {
        config.jobs.compactMap { job in
            let state = RecordState(directory: stateDirectory, fqdn: fqdn(job), type: job.type)
            guard state.hold != nil else { return nil }
            state.clearHold()
            return job.label
        }
    }

    private func fqdn(_ job: DynDNSConfig.Job) -> String {
        job.name == "@" ? job.domain : job.name + "." + job.domain
    }

    /// Both families of one host: one request with both addresses where the service takes it (so neither family
    /// is erased by an update of the other), otherwise one sync per family; nothing is sent when neither changed.
    private func dualStack(_ job: DynDNSConfig.Job) async throws {
        let (v4, client) = try await prepare(job, family: .v4)
        let (v6, _) = try await prepare(job, family: .v6)
        guard let dual = client.provider as? any DualStackUpdating else {
            for address in [v4, v6] {
                let outcome = try await SyncIP(
                    client: client, stateDirectory: stateDirectory, fingerprint: job.fingerprint
                )
                .run(name: job.name, address: address, dryRun: false)
                report(job, "\(address)", outcome.action)
            }
            return
        }
        let fqdn = try client.names.absolute(job.name)
        let state = RecordState(directory: stateDirectory, fqdn: fqdn, type: "A+AAAA")
        let previous = state.published?.value
        let current = "\(v4),\(v6)"
        guard previous != current else {
            report(job, current, "unchanged")
            return
        }
        try await dual.updateBoth(name: fqdn, ipv4: v4.description, ipv6: v6.description)
        try state.record(current, action: "updated")
        report(job, current, "updated")
        if let hook = job.hook { await runHook(hook, old: previous ?? "", new: current) }
    }

    private func prepare(_ job: DynDNSConfig.Job, family requested: IPAddress.Family? = nil) async throws -> (
        IPAddress, Client
    ) {
        guard let family = requested ?? IPAddress.Family(RecordType(rawValue: job.type)) else {
            throw LexiconError(.config, "\(job.label): type must be A, AAAA or A+AAAA.")
        }
        let sources = try job.detect.map { try $0.map(AddressSource.init(parsing:)) } ?? AddressSource.defaults(family)
        let address = try await AddressDetector(
            sources: sources, quorum: job.quorum ?? min(2, sources.count), timeout: 5,
            allowNonPublic: job.allow_nonpublic ?? false, logger: logger
        ).detect(family)
        var options: [String: ConfigValue] = [:]
        for (key, value) in job.options ?? [:] { options[key] = .value(value) }
        let config = ConfigResolver()
            .withDict([
                "provider_name": .value(job.provider), "domain": .value(job.domain), job.provider: .mapping(options),
            ])
            .withEnv()
        return (address, try Client(config: config, registry: registry, logger: logger))
    }

    private func runHook(_ command: String, old: String, new: String) async {
        let environment = ["LEXICON_OLD_ADDRESS": old, "LEXICON_NEW_ADDRESS": new]
        await ShellCommand(command, environment: environment, timeout: 60).runAsHook(logger: logger)
    }
}
