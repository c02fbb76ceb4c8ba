import DNSWire
import Lexicon
import LexiconHTTP

/// DNS-01 challenge records on any provider: adds one TXT value at `_acme-challenge.<domain>` beside any others
/// (a base domain and its wildcard need two at once), waits until every authoritative server serves it, and
/// removes only its own value afterwards (succeeding when it is already gone).
public struct ACMEChallenge: Sendable {
    /// The configuration: provider (`provider`, or `provider_name`), its options, `delegated`,
    /// `propagation_timeout` (seconds; 0 skips waiting), `propagation_nameservers` (`HOST[:PORT],…`: the servers to
    /// check instead of the discovered ones), `propagation_resolver` (`HOST[:PORT],…`: the resolvers that discover
    /// them instead of the system's).
    public let config: ConfigResolver
    /// The providers to choose from.
    public let registry: ProviderRegistry
    /// Where progress goes.
    public let logger: LexiconLogger

    /// Creates the challenge handler.
    public init(config: ConfigResolver, registry: ProviderRegistry, logger: LexiconLogger) {
        self.config = config
        self.registry = registry
        self.logger = logger
    }

    /// One challenge: the name the TXT value goes to, and the value.
    public struct Entry: Sendable, Equatable {
        /// The challenge FQDN, without the final dot (`_acme-challenge.example.com`).
        public var fqdn: String
        /// The TXT value.
        public var value: String

        /// The challenge for a domain as ACME clients name it (`example.com` or `*.example.com`).
        public init(domain: String, value: String) {
            var base = domain.hasSuffix(".") ? String(domain.dropLast()) : domain
            if base.hasPrefix("*.") { base.removeFirst(2) }
            fqdn = "_acme-challenge." + base.lowercased()
            self.value = value
        }

        /// A challenge given as its full name (lego's `FQDN.`).
        public init(fqdn: String, value: String) {
            self.fqdn = (fqdn.hasSuffix(".") ? String(fqdn.dropLast()) : fqdn).lowercased()
            self.value = value
        }
    }

    /// Adds the values, then waits until every authoritative server serves all of them.
    /// - Throws: ``LexiconError``; one thrown while waiting, when the values are already published, says so (the
    ///   caller adds what its client does then).
    public func deploy(_ entries: [Entry]) async throws {
        for entry in entries {
            let client = try client(for: entry)
            try await client.createRecord(type: .txt, name: entry.fqdn + ".", content: entry.value)
            logger.info("added TXT \"\(entry.value)\" at \(entry.fqdn)")
        }
        do {
            for entry in entries { try await waitFor(entry, present: true) }
        } catch var error as LexiconError {
            let published = entries.map { "\"\($0.value)\" at \($0.fqdn)" }.joined(separator: ", ")
            error.message =
                error.clause + "; the TXT value \(published) is published and stays until cleanup removes it."
            throw error
        }
    }

    /// Removes only these values; one that is already gone is fine.
    public func clean(_ entries: [Entry]) async throws {
        for entry in entries {
            let client = try client(for: entry)
            try await client.deleteRecord(type: .txt, name: entry.fqdn + ".", content: entry.value)
            logger.info("removed TXT \"\(entry.value)\" at \(entry.fqdn)")
        }
    }

    private func client(for entry: Entry) throws -> Client {
        guard let provider = config.resolve("lexicon:provider") ?? config.resolve("lexicon:provider_name") else {
            throw LexiconError(
                .usage,
                "no provider: set LEXICON_PROVIDER (for example LEXICON_PROVIDER=cloudflare) and its LEXICON_<PROVIDER>_* options."
            )
        }
        let layered = config.withDict(["provider_name": .value(provider), "domain": .value(entry.fqdn)])
        return try Client(config: layered, registry: registry, logger: logger)
    }

    private func waitFor(_ entry: Entry, present: Bool) async throws {
        let timeoutText = config.resolve("lexicon:propagation_timeout") ?? "300"
        guard let timeout = Double(timeoutText), timeout >= 0 else {
            throw LexiconError(
                .config, "LEXICON_PROPAGATION_TIMEOUT must be a number of seconds, not \"\(timeoutText)\".")
        }
        guard timeout > 0 else { return }
        let nameservers = try DNSServerAddress.list(
            parsing: config.resolve("lexicon:propagation_nameservers") ?? "", code: .config,
            setting: "LEXICON_PROPAGATION_NAMESERVERS")
        let resolverText = config.resolve("lexicon:propagation_resolver") ?? ""
        let resolvers =
            resolverText.isEmpty
            ? ZoneFinder.systemResolvers()
            : try DNSServerAddress.list(parsing: resolverText, code: .config, setting: "LEXICON_PROPAGATION_RESOLVER")
        var checker = PropagationChecker(
            finder: ZoneFinder(
                resolver: DNSClient(servers: resolvers, timeout: 3, logger: logger),
                resolverSetting:
                    "set LEXICON_PROPAGATION_NAMESERVERS=HOST[:PORT],… (the zone's servers, checked directly) or "
                    + "LEXICON_PROPAGATION_RESOLVER=HOST[:PORT] (a resolver that finds them)"),
            nameservers: nameservers, timeout: timeout, interval: 2, logger: logger)
        checker.nameserverSetting = "LEXICON_PROPAGATION_NAMESERVERS"
        try await checker.wait(fqdn: entry.fqdn, type: .txt, content: entry.value, present: present)
    }

    /// The TXT value lego's RAW mode derives from a key authorization: base64url(SHA-256(keyAuth)), no padding.
    public static func value(fromKeyAuthorization keyAuthorization: String) -> String {
        Base64.encode(Digest.hash(.sha256, Array(keyAuthorization.utf8)), urlSafe: true)
    }
}
