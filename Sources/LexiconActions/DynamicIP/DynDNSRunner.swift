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
                let (address, client) = try await prepare(job)
                let outcome = try await SyncIP(
                    client: client, stateDirectory: stateDirectory, fingerprint: job.fingerprint
                )
                .run(name: job.name, address: address, dryRun: false)
                logger.warning("\(job.label): \(address) \(outcome.action)")
                if outcome.action != "unchanged", let hook = job.hook {
                    runHook(hook, old: outcome.before.first ?? "", new: address.description)
                }
            } catch let error as LexiconError {
                ok = false
                logger.error("\(job.label): \(error.description)")
            } catch {
                ok = false
                logger.error("\(job.label): \(error)")
            }
        }
        return ok
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
    public func status() -> [String] {
        config.jobs.map { job in
            let fqdn = job.name == "@" ? job.domain : job.name + "." + job.domain
            let path = stateDirectory.map { "\($0)/\(fqdn.lowercased())-\(job.type.uppercased()).state" } ?? ""
            if let hold = try? FileIO.read(String(path.dropLast(6)) + ".hold") {
                let lines = String(decoding: hold, as: UTF8.self).split(separator: "\n").map(String.init)
                if lines.count > 2, lines[1] == job.fingerprint {
                    return
                        "\(job.label): HELD \(lines[0] == "0" ? "until the configuration changes" : "until \(lines[0])"): \(lines[2])"
                }
            }
            guard let bytes = try? FileIO.read(path) else { return "\(job.label): nothing published yet" }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            let when = lines.count > 1 ? Int(lines[1]).map { "\(Int(time(nil)) - $0) s ago" } ?? "?" : "?"
            return "\(job.label): \(lines.first ?? "?") (\(lines.count > 2 ? lines[2] : "?") \(when))"
        }
    }

    private func prepare(_ job: DynDNSConfig.Job) async throws -> (IPAddress, Client) {
        guard let family = IPAddress.Family(RecordType(rawValue: job.type)) else {
            throw LexiconError(.config, "\(job.label): type must be A or AAAA.")
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

    private func runHook(_ command: String, old: String, new: String) {
        setenv("LEXICON_OLD_ADDRESS", old, 1)
        setenv("LEXICON_NEW_ADDRESS", new, 1)
        let status = system(command)
        if status != 0 { logger.warning("the hook \(command) exited with status \(status >> 8)") }
    }
}
