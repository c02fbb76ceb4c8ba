import Lexicon
import LexiconHTTP

/// Scaleway Domains and DNS through the v2beta1 REST API (`X-Auth-Token` with an API key's secret): every page of
/// the `page`/`page_size` listing until `total_count`, one record per value under Scaleway's record ids, names
/// relative to the zone (`""` for the apex), TXT data quoted, targets with their final dot, the MX priority in its
/// own field, and every change one `PATCH` of the zone's records with a `changes` list.
public actor ScalewayProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "scaleway",
        summary: "Scaleway Domains and DNS (API v2beta1) with an API key's secret.",
        options: [
            ProviderOption(
                "auth_secret_key",
                help: "The secret key of a Scaleway API key (IAM > API keys) allowed to manage the zone.",
                isRequired: true),
            .apiEndpoint(ScalewayProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .txt],
        nameserverPatterns: ["ns0.dom.scw.cloud", "ns1.dom.scw.cloud"],
        defaultEndpoint: ScalewayProvider.endpoint,
        usesHTTP: true,
        factory: { try ScalewayProvider(context: $0) })

    static let endpoint = "https://api.scaleway.com/domain/v2beta1"
    /// The records a listing page asks for.
    static let pageSize = 500

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("X-Auth-Token", try context.requiredOption("auth_secret_key"))],
            failure: HTTPFailure(
                provider: "scaleway", service: "Scaleway",
                credentials: "--auth-secret-key or LEXICON_SCALEWAY_AUTH_SECRET_KEY (an API key's secret, with "
                    + "the DomainsDNSFullAccess permission on the zone's project)",
                rateLimitAdvice: "wait a minute"))
        // Scaleway's error bodies are `{"message": "…", "type": "…"}`, sometimes with `details`.
        api.detail = { json in
            let message = json?["message"]?.string ?? ""
            let help = json?["details"]?.array?.compactMap { $0["help_message"]?.string ?? $0["reason"]?.string }
            return ([message] + (help ?? [])).filter { !$0.isEmpty }.joined(separator: ": ")
        }
        self.api = api
    }

    /// The zone must be among the account's DNS zones (`GET /dns-zones?dns_zone=`), as domain plus subdomain.
    public func authenticate() async throws {
        let answer = try await api.get(
            "/dns-zones?" + URLQuery.encode([("dns_zone", context.zone)]), operation: "read the DNS zone")
        guard let zones = answer["dns_zones"]?.array else { throw api.unexpected("read the DNS zone") }
        let names = zones.compactMap { zone -> String? in
            guard let domain = zone["domain"]?.string else { return nil }
            let subdomain = zone["subdomain"]?.string ?? ""
            return (subdomain.isEmpty ? domain : subdomain + "." + domain).lowercased()
        }
        guard names.contains(context.zone.lowercased()) else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "scaleway", hint: "The key's projects have no such DNS zone.")
        }
    }

    public func add(_ record: Record) async throws {
        try await change(.object([("add", .object([("records", .array([try fields(record)]))]))]), "create a record")
    }

    /// A `set` of the record's id to the new record; Scaleway gives the record a new id.
    public func replace(_ nativeID: String, with record: Record) async throws {
        try await change(
            .object([("set", .object([("id", .string(nativeID)), ("records", .array([try fields(record)]))]))]),
            "update a record")
    }

    /// A `delete` by id; a record already gone (another writer) is fine.
    public func remove(_ nativeID: String) async throws {
        try await change(
            .object([("delete", .object([("id", .string(nativeID))]))]), "delete a record", missing: .isFine)
    }

    /// One `PATCH` of the zone's records with one change.
    private func change(_ change: JSONValue, _ operation: String, missing: JSONAPIClient.Missing = .fails)
        async throws
    {
        try await api.call(
            "PATCH", "/dns-zones/\(context.zone)/records",
            body: .object([("changes", .array([change])), ("return_all_records", .bool(false))]),
            operation: operation, missing: missing)
    }

    // MARK: - API

    /// Every page by number until `total_count` records are read; the whole zone (Scaleway's `name` and `type`
    /// filters are left out), filtered here.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let records = try await PageGuard.numbered(provider: "scaleway", service: "Scaleway", operation: "list records")
        {
            let answer = try await api.get(
                "/dns-zones/\(context.zone)/records?"
                    + URLQuery.encode([("page", String($0)), ("page_size", String(Self.pageSize))]),
                operation: "list records", missing: .isUnknownZone(hint: "The key's projects have no such DNS zone."))
            guard let records = answer["records"]?.array, let total = answer["total_count"]?.int else {
                throw api.unexpected("list records")
            }
            return (records, nil, total)
        }
        return try records.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let typeText = json["type"]?.string, let relative = json["name"]?.string,
            let data = json["data"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        var content = data
        switch type {
        case .txt where data.count >= 2 && data.hasPrefix("\"") && data.hasSuffix("\""):
            content = TXTPresentation.decode(data) ?? data
        case .cname, .ns, .mx:
            content = RecordPresentation.bare(Substring(data))
        default:
            break
        }
        let record = Record(
            type: type, name: context.absoluteName(relative, apex: ""), ttl: json["ttl"]?.int ?? context.defaultTTL,
            content: content, priority: type == .mx ? json["priority"]?.int ?? 0 : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// A record of a change: the name relative (`""` for the apex), TXT data as one quoted string, targets with
    /// their final dot, and the MX priority.
    private func fields(_ record: Record) throws -> JSONValue {
        var data = record.content
        switch record.type {
        case .txt:
            data = "\"" + TXTPresentation.escape(Array(record.content.utf8)) + "\""
        case .cname, .ns, .mx:
            data = RecordPresentation.bare(Substring(record.content)) + "."
        default:
            break
        }
        var fields: [(String, JSONValue)] = [
            ("name", .string(context.relativeName(record.name, apex: ""))), ("type", .string(record.type.rawValue)),
            ("data", .string(data)), ("ttl", .int(record.ttl)),
        ]
        if record.type == .mx { fields.append(("priority", .int(record.priority ?? 0))) }
        return .object(fields)
    }
}
