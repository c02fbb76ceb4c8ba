/// What a provider gets when it is built: its zone, its options, the defaults and a logger.
public struct ProviderContext: Sendable {
    /// The provider's name.
    public var providerName: String
    /// The zone, lower-case ASCII without the trailing dot.
    public var zone: String
    /// The name normaliser for the zone.
    public var names: NameNormalizer
    /// The configuration.
    public var config: ConfigResolver
    /// The TTL for records created without one, and after `--ttl 0`.
    public var defaultTTL: Int
    /// Where diagnostics go.
    public var logger: LexiconLogger
    /// Seconds one HTTP request may take (`http_timeout`); connecting gets at most 10 of them.
    public var httpTimeout: Double = ProviderContext.defaultHTTPTimeout

    /// The option naming the provider's API endpoint (`api_endpoint`, PowerDNS's `pdns_server`), for messages.
    public var endpointOption: String = "api_endpoint"

    /// The values of the provider's secret options, which transports keep out of traces and messages.
    public var secretValues: [String] = []

    /// The default of ``httpTimeout``.
    public static let defaultHTTPTimeout: Double = 30

    /// Creates a context.
    public init(
        providerName: String, zone: String, config: ConfigResolver, defaultTTL: Int = 3600,
        logger: LexiconLogger = LexiconLogger(), configNames: [String] = []
    ) throws {
        self.providerName = providerName
        self.configNames = configNames.isEmpty ? [providerName] : configNames
        self.names = try NameNormalizer(zone: zone)
        self.zone = names.zone
        self.config = config
        self.defaultTTL = defaultTTL
        self.logger = logger
    }

    /// The names options are looked up under, first the one the user invoked (`ddns`), then the provider's own
    /// name and its other aliases, so `LEXICON_DDNS_…` and `LEXICON_RFC2136_…` both work.
    public var configNames: [String]

    /// The value of a provider option (`lexicon:<provider>:<name>`) from any configuration source.
    public func option(_ name: String) -> String? {
        for provider in configNames {
            if let value = config.resolve("lexicon:\(provider):\(name)") { return value }
        }
        return nil
    }

    /// The value of a required provider option.
    /// - Throws: ``LexiconError`` `config` naming the flag and the environment variable to set.
    public func requiredOption(_ name: String) throws -> String {
        if let value = option(name) { return value }
        let option = ProviderOption(name, help: "")
        throw LexiconError(
            .config, "the option \(name) is required.", provider: providerName,
            hint:
                "Pass \(option.flag), or set \(option.environmentName(provider: configNames[0])) (or its _FILE form) "
                + "or \(name) in lexicon_\(configNames[0]).yml.")
    }

    /// A switch option's value: true for `true`, `yes`, `1`, `on`.
    public func flag(_ name: String) -> Bool {
        guard let value = option(name)?.lowercased() else { return false }
        return ["true", "yes", "1", "on"].contains(value)
    }
}
