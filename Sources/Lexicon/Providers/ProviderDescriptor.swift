/// Everything the rest of the program knows about a provider without instantiating it.
public struct ProviderDescriptor: Sendable {
    /// The operations a provider supports.
    public struct Capabilities: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let create = Capabilities(rawValue: 1 << 0)
        public static let list = Capabilities(rawValue: 1 << 1)
        public static let update = Capabilities(rawValue: 1 << 2)
        public static let delete = Capabilities(rawValue: 1 << 3)
        /// All five operations of the record contract.
        public static let all: Capabilities = [.create, .list, .update, .delete]

        /// The operation names, in contract order.
        public var names: [String] {
            [(Capabilities.create, "create"), (.list, "list"), (.update, "update"), (.delete, "delete")]
                .filter { contains($0.0) }.map(\.1)
        }
    }

    /// A factory that builds the provider for one zone.
    public typealias Factory = @Sendable (ProviderContext) throws -> any Provider

    /// The name as dns-lexicon spells it (`cloudflare`, `localzone`).
    public var name: String
    /// Other accepted names (`ddns` for `rfc2136`).
    public var aliases: [String]
    /// One line describing the provider.
    public var summary: String
    /// The provider's options.
    public var options: [ProviderOption]
    /// The supported operations.
    public var capabilities: Capabilities
    /// The record types it can write (and, with ``genericTypes``, any `TYPEnnn` lexicon knows no name for); nil
    /// means any type.
    public var recordTypes: [RecordType]?
    /// Suffixes of nameserver names that identify this provider for `auto` (`ns.cloudflare.com`).
    public var nameserverPatterns: [String]
    /// The default API endpoint, if the provider speaks HTTP.
    public var defaultEndpoint: String?
    /// The provider's fixed TTL, if it ignores the one given.
    public var fixedTTL: Int?
    /// The TTLs the provider allows, ascending, when it rounds others up (Linode); nil when any TTL goes.
    public var ttlSteps: [Int]?
    /// The smallest TTL the provider accepts, when it raises lower ones to it (deSEC's 3600); nil when any TTL goes.
    public var minimumTTL: Int?
    /// The one zone the provider serves, when it is a public suffix (DuckDNS's `duckdns.org`): used instead of the
    /// public suffix list.
    public var fixedZone: String?
    /// Whether the provider can store types lexicon knows no syntax for, as RFC 3597 generic data (`TYPE65534`
    /// with `\# 2 abcd`): zone files and DNS servers can; hosted APIs take only the types they list.
    public var genericTypes: Bool
    /// Whether the provider talks HTTP (so the CLI can load the HTTP library while it reads the configuration).
    public var usesHTTP: Bool
    /// How the provider's writes change the zone, which decides how they are guarded against other writers.
    public var writeShape: WriteShape
    /// How many record sets ``Client/apply(_:)`` changes at once through the five operations for a provider whose
    /// writes are per value (4 by default): lower for APIs whose documented rate limits a few parallel writers would
    /// exhaust (DNS Made Easy's 150 requests per 5 minutes), higher never needed as 429 and Retry-After are honoured.
    /// Providers that replace whole sets or zones, or have a native batch, are not concerned.
    public var applyConcurrency: Int
    /// The option naming the API endpoint (`api_endpoint`, PowerDNS's `pdns_server`): part of the key of the zone
    /// lock, so writers to different servers do not wait for each other.
    public var endpointOption: String
    /// Builds the provider.
    public var factory: Factory
    /// The zone the provider's own data names (localzone: its file's SOA owner or `$ORIGIN`), which wins over the
    /// public suffix guess; nil when the data does not say.
    public var ownZone: OwnZone?

    /// Finds the zone a provider's data names, given the provider's options by name.
    public typealias OwnZone = @Sendable (_ option: (String) -> String?) -> String?

    /// Declares a provider.
    public init(
        name: String, aliases: [String] = [], summary: String, options: [ProviderOption],
        capabilities: Capabilities = .all, recordTypes: [RecordType]? = nil, nameserverPatterns: [String] = [],
        defaultEndpoint: String? = nil, fixedTTL: Int? = nil, ttlSteps: [Int]? = nil, fixedZone: String? = nil,
        usesHTTP: Bool = false, genericTypes: Bool = false, writeShape: WriteShape = .perValue,
        endpointOption: String = "api_endpoint", minimumTTL: Int? = nil, ownZone: OwnZone? = nil,
        applyConcurrency: Int = 4, factory: @escaping Factory
    ) {
        self.applyConcurrency = max(1, applyConcurrency)
        self.ownZone = ownZone
        self.genericTypes = genericTypes
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.options = options
        self.capabilities = capabilities
        self.recordTypes = recordTypes
        self.nameserverPatterns = nameserverPatterns
        self.defaultEndpoint = defaultEndpoint
        self.fixedTTL = fixedTTL
        self.usesHTTP = usesHTTP
        self.writeShape = writeShape
        self.endpointOption = endpointOption
        self.ttlSteps = ttlSteps
        self.fixedZone = fixedZone
        self.minimumTTL = minimumTTL
        self.factory = factory
    }

    /// The operations as users name them: the contract's, and `sync-ip` where the provider can update (it lists and
    /// updates, or an update-only service keeps a state file).
    public var operationNames: [String] {
        capabilities.names + (capabilities.contains(.update) ? ["sync-ip"] : [])
    }

    /// Whether the provider handles a record type.
    public func supports(_ type: RecordType) -> Bool { recordTypes?.contains(type) ?? true }

    /// The TTL a record asked to have `ttl` ends up with: the fixed TTL, the next allowed step, the minimum, or `ttl`
    /// itself.
    public func effectiveTTL(_ ttl: Int) -> Int {
        if let fixedTTL { return fixedTTL }
        let ttl = max(ttl, minimumTTL ?? ttl)
        guard let steps = ttlSteps, !steps.isEmpty else { return ttl }
        return steps.first { $0 >= ttl } ?? steps[steps.count - 1]
    }

    /// `cloudflare has no option "auth_tokn" (did you mean auth_token?).`
    public func unknownOptionMessage(_ key: String) -> String {
        let names = options.map(\.name) + ["ttl"]
        return
            "\(name) has no option \"\(key)\"\(NearestName.hint(for: key, among: names)); `lexicon \(name) --help` lists them."
    }

    /// The option with a given key, if declared.
    public func option(named name: String) -> ProviderOption? {
        options.first { $0.name == name }
    }

    /// Fails before any request when the provider cannot do an operation or write a type.
    /// - Throws: ``LexiconError`` `unsupported` naming the provider and the operation.
    public func require(_ capability: Capabilities, operation: String, type: RecordType? = nil) throws {
        guard capabilities.contains(capability) else {
            throw LexiconError(
                .unsupported,
                "cannot \(operation) records; it supports only: \(operationNames.joined(separator: ", ")).",
                provider: name)
        }
        // A type lexicon knows no name for goes to a provider that takes generic data whatever types it names.
        let generic = genericTypes && type.map { RecordType.codes[$0.rawValue] == nil } == true
        if let type, capability != .list, let recordTypes, !recordTypes.contains(type), !generic {
            throw LexiconError(
                .unsupported,
                "cannot \(operation) \(type) records; it supports \(recordTypes.map(\.rawValue).joined(separator: ", ")).",
                provider: name)
        }
        if let type, capability != .list, let refusal = RecordContent.writeRefusal(type, genericTypes: genericTypes) {
            throw LexiconError(.unsupported, refusal, provider: name)
        }
    }
}
