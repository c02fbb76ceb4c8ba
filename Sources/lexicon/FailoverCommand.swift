import Lexicon
import LexiconActions
import LexiconProviders

#if canImport(Glibc)
    import Glibc
#endif

/// `lexicon failover run|once|status --config FILE`: the failover monitor, one round of it, and its state.
enum FailoverCommand {
    static func run(_ sub: String, options: [String: String], registry: ProviderRegistry, logger: LexiconLogger)
        async throws
    {
        var logger = logger
        // A monitor's default level shows its start, each change and each address going down; checks are DEBUG.
        if options["log_level"] == nil && sub != "status" { logger.level = .info }
        if options["log_json"] != nil {
            logger.sink = LogSinks.json
        } else if sub == "run" {
            logger.sink = LogSinks.timestamped
        }
        let path = options["config"]!
        let dryRun = options["dry_run"].map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false
        var (monitor, statePath) = try load(path, options: options, registry: registry, logger: logger, dryRun: dryRun)
        switch sub {
        case "status":
            let status = await monitor.status()
            if options["json"] != nil {
                LexiconCommand.write(status.text)
            } else {
                for line in FailoverMonitor.statusText(status) { LexiconCommand.write(line) }
            }
        case "once":
            if !dryRun { try await monitor.lock(in: FileIO.parentDirectory(of: statePath)) }
            // (The TTL warning is left to `run`, `status` and dry runs: cron would mail it every minute.)
            if dryRun { for warning in await monitor.timingWarnings() { logger.warning(warning) } }
            let report = await monitor.round()
            if dryRun { printChanges(report) }
            guard report.errors.isEmpty else {
                throw LexiconError(
                    .provider,
                    "\(Plural.count(report.errors.count, "provider error")) this round (see above); the changes they stopped are tried again on the next run."
                )
            }
        default:
            if !dryRun { try await monitor.lock(in: FileIO.parentDirectory(of: statePath)) }
            for warning in await monitor.timingWarnings() { logger.warning(warning) }
            for pool in monitor.pools { LexiconCommand.write("\(pool.label): \(await monitor.worstCase(pool))") }
            logger.info(
                "monitoring \(Plural.count(monitor.pools.count, "pool")) every \(FailoverMonitor.seconds(monitor.interval)) s"
                    + (dryRun ? " (dry run: nothing is changed)" : ""))
            let signals = Signals()
            while !signals.stop.withLock({ $0 }) {
                let started = Double(time(nil))
                let report = await monitor.round()
                if dryRun { printChanges(report) }
                await signals.sleep(until: started + monitor.interval * Double.random(in: 1.0...1.1))
                if signals.reload.withLock({
                    let value = $0
                    $0 = false
                    return value
                }) {
                    do {
                        // The old monitor's locks go before the new one takes the (possibly same) pools' locks.
                        let replacement = try load(
                            path, options: options, registry: registry, logger: logger, dryRun: dryRun)
                        let oldPools = monitor.pools.map(\.key)
                        monitor = replacement.0
                        statePath = replacement.1
                        if !dryRun { try await monitor.lock(in: FileIO.parentDirectory(of: statePath)) }
                        logger.info(
                            "configuration reloaded from \(path) (\(Plural.count(oldPools.count, "pool")) before, \(monitor.pools.count) now)"
                        )
                    } catch let error as LexiconError {
                        logger.error("reload failed, keeping the old configuration: \(error.message)")
                    }
                }
            }
            logger.info("stopping (signal received)")
        }
    }

    /// The monitor of a configuration file, and its state file.
    private static func load(
        _ path: String, options: [String: String], registry: ProviderRegistry, logger: LexiconLogger, dryRun: Bool
    ) throws -> (FailoverMonitor, String) {
        let (config, pools) = try FailoverConfig.load(path, registry: registry)
        if let warning = FailoverConfig.permissionWarning(path, pools: pools) { logger.warning(warning) }
        let statePath = try options["state_file"] ?? config.state_file ?? defaultStatePath(for: path)
        let monitor = try FailoverMonitor(
            config: config, pools: pools, registry: registry, logger: logger,
            configDirectory: options["config_dir"] ?? FileIO.parentDirectory(of: path), statePath: statePath,
            dryRun: dryRun)
        return (monitor, statePath)
    }

    /// `failover-<config name>.json` in the state directory.
    static func defaultStatePath(for config: String) throws -> String {
        guard let directory = SyncIP.defaultStateDirectory(ProcessEnvironment.variables) else {
            throw LexiconError(.config, "no state directory: give --state-file, or set LEXICON_STATE_DIR or HOME.")
        }
        var name = Substring(config.split(separator: "/").last ?? "failover")
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return "\(directory)/failover-\(name).json"
    }

    private static func printChanges(_ report: FailoverMonitor.Report) {
        if report.changes.isEmpty {
            LexiconCommand.write("no change")
        }
        for change in report.changes { LexiconCommand.write(change) }
    }
}
