import Lexicon

/// The library client of a command line: configuration from the arguments, the environment and the config files,
/// the zone found by SOA queries when asked, and the provider picked from the NS records for `auto`.
enum CommandClient {
    /// Builds the client.
    /// - Parameters:
    ///   - extra: More configuration keys (`action`, `type`), as dns-lexicon's arguments carry them.
    static func make(
        registry: ProviderRegistry, logger: LexiconLogger, provider: String, domain: String,
        options: [String: String], extra: [String: String] = [:]
    ) async throws -> Client {
        let dns = DNSCommandOptions(options: options, logger: logger)
        var arguments: [String: String?] = options
        var provider = provider
        if options["resolve_zone_name"] != nil {
            arguments["zone"] = try await dns.discoverZone(of: domain)
        }
        if provider == CommandLineParser.autoProvider {
            let zone =
                try arguments["zone"].flatMap { $0 } ?? ZoneResolver.zone(for: domain, delegated: options["delegated"])
            provider = try await dns.autoProvider(zone: zone, registry: registry).name
        }
        arguments["provider_name"] = provider
        arguments["domain"] = domain
        for (key, value) in extra { arguments[key] = value }
        var config = try ConfigResolver()
            .withArgs(arguments)
            .withEnv()
            .withConfigDir(options["config_dir"] ?? ".", mustExist: options["config_dir"] != nil)
        config.logger = logger
        for warning in config.warnings { logger.warning(warning) }
        logger.debug(config.description)
        return try Client(config: config, registry: registry, logger: logger)
    }
}
