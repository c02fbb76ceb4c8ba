import Dispatch
import Lexicon
import LexiconActions
import LexiconProviders
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `lexicon dyndns run|check|status|clear --config FILE`: the dynamic DNS daemon and its companions.
enum DynDNSCommand {
    static func run(_ sub: String, options: [String: String], registry: ProviderRegistry, logger: LexiconLogger)
        async throws
    {
        var logger = logger
        // The daemon's default level shows its start and one line per change; an unchanged address is DEBUG.
        if options["log_level"] == nil && sub == "run" { logger.level = .info }
        if options["log_json"] != nil { logger.sink = LogSinks.json }
        let path = options["config"]!
        let config = try DynDNSConfig.load(path, registry: registry)
        if let warning = DynDNSConfig.permissionWarning(path, config: config) { logger.warning(warning) }
        var runner = DynDNSRunner(
            config: config, registry: registry, logger: logger, environment: ProcessEnvironment.variables)
        switch sub {
        case "check":
            for line in await runner.check() { LexiconCommand.write(line) }
        case "status":
            if options["json"] != nil {
                LexiconCommand.write(JSONValue.array(runner.jobStatuses().map(\.json)).text)
            } else {
                for line in runner.status() { LexiconCommand.write(line) }
            }
        case "clear":
            let cleared = runner.clearHolds()
            LexiconCommand.write(
                cleared.isEmpty
                    ? "no job was held"
                    : "cleared the hold of " + cleared.joined(separator: ", ")
                        + "; the next round sends again")
        default:
            if options["once"] != nil {
                guard await runner.round() else { throw LexiconError(.provider, "some jobs failed; see above.") }
                return
            }
            logger.info(
                "keeping \(Plural.count(config.jobs.count, "record")) current every \(config.interval ?? 300) s: "
                    + config.jobs.map(\.label).joined(separator: ", "))
            let signals = Signals()
            while !signals.stop.withLock({ $0 }) {
                _ = await runner.round()
                let interval = Double(runner.config.interval ?? 300)
                let deadline = Double(time(nil)) + interval * Double.random(in: 1.0...1.1)
                await signals.sleep(until: deadline)
                if signals.reload.withLock({
                    let value = $0; $0 = false; return value
                }) {
                    do {
                        runner = DynDNSRunner(
                            config: try DynDNSConfig.load(path, registry: registry), registry: registry, logger: logger,
                            environment: ProcessEnvironment.variables)
                        logger.info("configuration reloaded from \(path)")
                    } catch let error as LexiconError {
                        logger.error("reload failed, keeping the old configuration: \(error.message)")
                    }
                }
            }
            logger.info("stopping (signal received)")
        }
    }
}
