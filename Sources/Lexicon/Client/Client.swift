import Logging

/// The library's entry point, as dns-lexicon's `Client`: resolves the provider and zone from configuration, checks
/// every input, and runs the five operations.
///
/// ```swift
/// let config = ConfigResolver().withDict([
///     "provider_name": "localzone", "domain": "example.com",
///     "localzone": ["filename": "example.com.zone"],
/// ])
/// let client = try Client(config: config, registry: .standard)
/// try await client.createRecord(type: .txt, name: "_acme-challenge", content: "token")
/// let records = try await client.listRecords(type: .txt)
/// ```
public actor Client {
    /// The provider's descriptor.
    nonisolated public let descriptor: ProviderDescriptor
    /// The zone, lower-case ASCII without the trailing dot.
    nonisolated public let zone: String
    /// The name normaliser of the zone.
    nonisolated public let names: NameNormalizer
    /// The provider instance.
    nonisolated public let provider: any Provider
    /// The zone lock and read-back of a provider whose writes replace whole sets or zones; nil for the others.
    nonisolated let writeGuard: WriteGuard?
    /// The provider's default TTL.
    nonisolated let defaultTTL: Int
    /// Where diagnostics go.
    nonisolated let logger: LexiconLogger
    /// The configuration, for messages that say where a value came from.
    nonisolated let config: ConfigResolver
    private var authenticated = false

    /// Creates a client from configuration (`provider_name`, `domain`, `delegated`, `ttl` and provider options).
    /// - Parameters:
    ///   - config: The resolved configuration.
    ///   - registry: The providers to choose from.
    ///   - logger: Where diagnostics go.
    /// - Throws: ``LexiconError`` for a missing or unknown provider, a bad domain or a bad option.
    public init(config: ConfigResolver, registry: ProviderRegistry, logger: LexiconLogger = LexiconLogger()) throws {
        guard let providerName = config.resolve("lexicon:provider_name") else {
            throw LexiconError(.usage, "no provider given; set provider_name (the CLI's first argument).")
        }
        let descriptor = try registry.require(providerName)
        guard let domain = config.resolve("lexicon:domain") else {
            throw LexiconError(.usage, "no domain given; set domain (e.g. example.com).")
        }
        var config = config
        config.logger = logger
        try config.validate(providers: registry.allNames)
        let zone: String
        if let explicit = config.resolve("lexicon:zone") ?? descriptor.fixedZone {
            // A zone found by SOA queries (--resolve-zone-name) or given by a library caller.
            zone = try NameNormalizer.zoneName(explicit)
            let name = try NameNormalizer.zoneName(domain)
            guard NameNormalizer.isName(name, inside: zone) else {
                throw LexiconError.invalidInput("the domain \(name) is not inside the zone \(zone).")
            }
        } else if let ownZone = descriptor.ownZone {
            // The provider's data may name its zone (a zone file's SOA owner or $ORIGIN): the domain given is that
            // zone or a name inside it, and a mismatch is reported by authenticate, which says which zone to pass.
            // Data that does not name it (an SOA at `@` without $ORIGIN) takes the zone the user names, as BIND takes
            // it from named.conf; the public suffix list is not consulted.
            let names = Self.configNames(descriptor, providerName)
            let dataZone = ownZone { option in names.lazy.compactMap { config.resolve("lexicon:\($0):\(option)") }.first
            }
            let delegated = config.resolve("lexicon:delegated")
            let name = try NameNormalizer.zoneName(domain)
            if let dataZone, delegated == nil, NameNormalizer.isName(name, inside: dataZone) {
                zone = dataZone
            } else {
                zone = try delegated.map { try ZoneResolver.zone(for: domain, delegated: $0) } ?? name
            }
        } else {
            zone = try ZoneResolver.zone(for: domain, delegated: config.resolve("lexicon:delegated"))
        }
        let ttlText =
            config.resolve("lexicon:\(providerName.lowercased()):ttl") ?? config.resolve(
                "lexicon:\(descriptor.name):ttl")
            ?? config.resolve("lexicon:ttl") ?? "3600"
        var defaultTTL = try RecordContent.ttl(ttlText)
        if defaultTTL == 0 { defaultTTL = 3600 }
        let configNames = Self.configNames(descriptor, providerName)
        var context = try ProviderContext(
            providerName: descriptor.name, zone: zone, config: config, defaultTTL: defaultTTL, logger: logger,
            configNames: configNames)
        context.httpTimeout = try Self.httpTimeout(config, provider: configNames)
        context.endpointOption = descriptor.endpointOption
        context.secretValues = descriptor.options.filter(\.isSecret).compactMap { context.option($0.name) }
        self.descriptor = descriptor
        self.zone = context.zone
        self.names = context.names
        self.defaultTTL = defaultTTL
        self.logger = logger
        self.config = config
        self.writeGuard = try WriteGuard(descriptor: descriptor, context: context)
        self.provider = try descriptor.factory(context)
    }

    /// The names a provider's options are looked up under: the one the user invoked first, then its own and its aliases.
    private static func configNames(_ descriptor: ProviderDescriptor, _ invoked: String) -> [String] {
        let invoked = invoked.lowercased()
        return [invoked] + ([descriptor.name] + descriptor.aliases).filter { $0 != invoked }
    }

    /// Creates a client that logs through a swift-log `Logger`.
    /// - Parameters:
    ///   - config: The resolved configuration.
    ///   - registry: The providers to choose from.
    ///   - logger: The caller's logger; its level decides what is logged.
    /// - Throws: ``LexiconError`` for a missing or unknown provider, a bad domain or a bad option.
    public init(config: ConfigResolver, registry: ProviderRegistry, logger: Logging.Logger) throws {
        try self.init(config: config, registry: registry, logger: LexiconLogger(logger))
    }

    /// Authenticates once; later calls do nothing.
    /// - Throws: ``LexiconError`` `authentication` (message starting `No domain found` for an unmanaged zone).
    public func authenticate() async throws {
        guard !authenticated else { return }
        do {
            try await run { try await self.provider.authenticate() }
        } catch let error as LexiconError {
            throw explained(error)
        }
        authenticated = true
    }

    /// A URL without user information or query (either may hold a secret).
    static func shown(_ url: String) -> String {
        var text = String(url.prefix { $0 != "?" })
        if let scheme = text.firstRange(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
            !text[scheme.upperBound..<at].contains("/")
        {
            text.removeSubrange(scheme.upperBound...at)
        }
        return text
    }

    /// An authentication failure says where the credentials came from; a "not found" on the first call names the
    /// endpoint option when the endpoint was changed from the default (a wrong URL answers 404 too).
    func explained(_ error: LexiconError) -> LexiconError {
        var error = error
        if !error.message.hasSuffix(".") && !error.message.hasSuffix(")") { error.message += "." }
        let names = [descriptor.name] + descriptor.aliases
        func origin(_ option: String) -> String? {
            names.lazy.compactMap { self.config.origin(of: "lexicon:\($0):\(option)") }.first
        }
        if error.message.contains("HTTP 404") || error.message.hasPrefix("No domain found"),
            let endpoint = names.lazy.compactMap({
                self.config.resolve("lexicon:\($0):\(self.descriptor.endpointOption)")
            })
            .first,
            endpoint != descriptor.defaultEndpoint
        {
            let source = origin(descriptor.endpointOption).map { " by \($0)" } ?? ""
            error.hint = [error.hint, "The endpoint is set to \(Self.shown(endpoint))\(source); check it."]
                .compactMap { $0 }.joined(separator: " ")
        } else if error.code == .authentication, !error.message.hasPrefix("No domain found") {
            let sources = descriptor.options.filter(\.isSecret).compactMap { option in
                origin(option.name).map { "\(option.flag) from \($0)" }
            }
            if !sources.isEmpty {
                error.hint = [error.hint, "(Credentials used: \(sources.joined(separator: ", ")).)"].compactMap { $0 }
                    .joined(separator: " ")
            }
        }
        return error
    }

    /// Adds a value; the same type, name and content already present is success without change.
    /// - Parameters:
    ///   - type: The record type.
    ///   - name: The name: relative, full, FQDN or `@` (nil is the apex).
    ///   - content: The content.
    ///   - ttl: Seconds; nil or 0 for the provider default.
    ///   - priority: The MX priority.
    /// - Returns: Whether the value is present.
    @discardableResult
    public func createRecord(
        type: RecordType, name: String?, content: String, ttl: Int? = nil, priority: Int? = nil
    ) async throws -> Bool {
        try descriptor.require(.create, operation: "create", type: type)
        try descriptor.requireTTL(ttl)
        let absolute = try names.absolute(name ?? "@")
        let normalized = try RecordContent.normalize(type: type, content: content, priority: priority)
        let input = RecordInput(
            type: type, name: absolute, content: normalized.content, ttl: ttl, priority: normalized.priority)
        if let writeGuard { return try await guardedCreate(input, writeGuard) }
        try await authenticate()
        return try await run { try await self.provider.createRecord(input) }
    }

    /// Lists records, filtered by any of type, name and content.
    /// - Returns: The matching records, ungrouped; empty when none match.
    public func listRecords(type: RecordType? = nil, name: String? = nil, content: String? = nil) async throws
        -> [Record]
    {
        try descriptor.require(.list, operation: "list")
        let filter = try self.filter(type: type, name: name, content: content)
        try await authenticate()
        return try await run { try await self.provider.listRecords(filter) }
    }

    /// Changes one value, by identifier or by type and name (several matches fail with `ambiguous`).
    /// - Parameters:
    ///   - identifier: The record's id, or nil.
    ///   - type: The record type.
    ///   - name: The name to match (or, with an identifier, the new name).
    ///   - content: The new content.
    ///   - ttl: nil keeps the TTL; 0 resets it to the default.
    ///   - priority: The new MX priority; nil keeps it.
    /// - Returns: Whether a record was updated.
    @discardableResult
    public func updateRecord(
        identifier: String? = nil, type: RecordType, name: String? = nil, content: String? = nil, ttl: Int? = nil,
        priority: Int? = nil
    ) async throws -> Bool {
        try descriptor.require(.update, operation: "update", type: type)
        try descriptor.requireTTL(ttl)
        if identifier == nil && name == nil {
            throw LexiconError.invalidInput("update needs --identifier, or --name to find the record by type and name.")
        }
        let absolute = try name.map { try names.absolute($0) }
        var normalized: (content: String, priority: Int?)?
        if let content {
            normalized = try RecordContent.normalize(
                type: type, content: content, priority: priority, requirePriority: false)
        }
        let input = RecordInput(
            type: type, name: absolute, content: normalized?.content, ttl: ttl,
            priority: normalized?.priority ?? priority)
        if let writeGuard { return try await guardedUpdate(identifier: identifier, input, writeGuard) }
        try await authenticate()
        return try await run { try await self.provider.updateRecord(identifier: identifier, input) }
    }

    /// Deletes by identifier, or every record matching type, name and content (a whole set without content).
    /// - Returns: true, also when nothing matched.
    @discardableResult
    public func deleteRecord(
        identifier: String? = nil, type: RecordType? = nil, name: String? = nil, content: String? = nil
    ) async throws -> Bool {
        try descriptor.require(.delete, operation: "delete", type: type)
        if identifier == nil && name == nil && content == nil {
            throw LexiconError.invalidInput(
                "delete needs --identifier, --name or --content; it never deletes every record of a type.")
        }
        let filter = try self.filter(type: type, name: name, content: content)
        if let writeGuard { return try await guardedDelete(identifier: identifier, filter, writeGuard) }
        try await authenticate()
        return try await run { try await self.provider.deleteRecord(identifier: identifier, filter) }
    }

    /// The HTTP timeout from `http_timeout` (per provider, then global), or the default.
    static func httpTimeout(_ config: ConfigResolver, provider names: [String]) throws -> Double {
        let keys = names.map { "lexicon:\($0):http_timeout" } + ["lexicon:http_timeout"]
        guard let text = keys.lazy.compactMap({ config.resolve($0) }).first else {
            return ProviderContext.defaultHTTPTimeout
        }
        guard let seconds = Double(text), seconds >= 1, seconds <= 3600 else {
            throw LexiconError(
                .config,
                "--http-timeout (http_timeout, LEXICON_HTTP_TIMEOUT) must be a number of seconds from 1 to 3600, "
                    + "not \"\(text)\".")
        }
        return seconds
    }

    private func filter(type: RecordType?, name: String?, content: String?) throws -> RecordFilter {
        let absolute = try name.map { try names.absolute($0) }
        var normalizedContent = content
        if let content, let type, type != .soa {
            let normalized = try RecordContent.normalize(type: type, content: content, requirePriority: false)
            normalizedContent = normalized.content
        }
        return RecordFilter(type: type, name: absolute, content: normalizedContent)
    }

    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LexiconError {
            throw error.attributed(to: descriptor.name)
        }
    }
}
