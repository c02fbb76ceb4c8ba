import Lexicon
import LexiconHTTP

/// LuaDNS through the v1 REST API (HTTP Basic with the account e-mail and an API key, `Accept: application/json`):
/// the zone's id from the account's zones by name, one record per value under LuaDNS's numeric ids, names as
/// FQDNs with their final dot, content in zone-file form (targets with their final dot, the MX priority in front,
/// TXT unquoted), and TTLs of at least 300 seconds.
public actor LuaDNSProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "luadns",
        summary: "LuaDNS (API v1) with the account e-mail and an API key.",
        options: [
            ProviderOption(
                "auth_username", help: "The e-mail address of the LuaDNS account.", isRequired: true,
                isSecret: false),
            ProviderOption(
                "auth_token", help: "A LuaDNS API key (API Keys page; enable API access in the settings first).",
                isRequired: true),
            .apiEndpoint(LuaDNSProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt],
        nameserverPatterns: ["ns*.luadns.net"],
        defaultEndpoint: LuaDNSProvider.endpoint,
        usesHTTP: true,
        factory: { try LuaDNSProvider(context: $0) })

    static let endpoint = "https://api.luadns.com/v1"
    /// The shortest TTL LuaDNS accepts; shorter ones are raised to it.
    static let minimumTTL = 300

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private var zoneID: Int?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let authorization = HTTPHeader.basicAuthorization(
            user: try context.requiredOption("auth_username"), password: try context.requiredOption("auth_token"))
        // JSONAPIClient sends `Accept: application/json` with every request, which LuaDNS requires.
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [authorization],
            failure: HTTPFailure(
                provider: "luadns", service: "LuaDNS",
                credentials: "--auth-username and --auth-token (LEXICON_LUADNS_AUTH_USERNAME, "
                    + "LEXICON_LUADNS_AUTH_TOKEN), and that API access is enabled in the LuaDNS settings",
                rateLimitAdvice: "LuaDNS allows 1200 requests every 5 minutes"))
        // LuaDNS's error bodies are `{"status": "…", "request_id": "…", "message": "…"}`.
        api.detail = JSONAPIClient.detail(joining: ["status"], ["message"])
        self.api = api
    }

    public func authenticate() async throws { _ = try await zone() }

    /// The zone's id, from the account's zones (`GET /zones`) by name.
    private func zone() async throws -> Int {
        if let zoneID { return zoneID }
        let answer = try await api.get("/zones", operation: "list zones")
        guard let zones = answer.array else { throw api.unexpected("list zones") }
        let found = zones.first { RecordPresentation.bare(Substring($0["name"]?.string ?? "")) == context.zone }
        guard let id = found?["id"]?.int else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "luadns",
                hint:
                    "The account's zones (GET /zones) do not include it, or the API key is restricted to another zone.")
        }
        zoneID = id
        return id
    }

    public func add(_ record: Record) async throws {
        let zone = try await zone()
        try await api.post("/zones/\(zone)/records", try body(for: record), operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        let zone = try await zone()
        try await api.put("/zones/\(zone)/records/\(nativeID)", try body(for: record), operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        let zone = try await zone()
        try await api.delete("/zones/\(zone)/records/\(nativeID)", operation: "delete a record")
    }

    // MARK: - API

    /// The zone's whole listing: without `limit`, LuaDNS answers every record at once.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let zone = try await zone()
        let answer = try await api.get("/zones/\(zone)/records", operation: "list records")
        guard let records = answer.array else { throw api.unexpected("list records") }
        return try records.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.int, let typeText = json["type"]?.string, let fqdn = json["name"]?.string,
            let content = json["content"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        let name = RecordPresentation.bare(Substring(fqdn))
        let parsed: (content: String, priority: Int?) =
            type == .txt ? (content, nil) : RecordPresentation.content(of: content, type: type)
        let record = Record(
            type: type, name: name.isEmpty ? context.zone : name, ttl: json["ttl"]?.int ?? Self.minimumTTL,
            content: parsed.content, priority: type == .mx ? parsed.priority ?? 0 : nil)
        return NativeRecord(nativeID: String(id), record: record)
    }

    /// The body of a create or an update: the name as an FQDN with its final dot, the content in zone-file form
    /// (TXT unquoted, as LuaDNS takes it), and the TTL raised to LuaDNS's minimum.
    private func body(for record: Record) throws -> JSONValue {
        var content = record.content
        switch record.type {
        case .txt:
            break
        case .srv:
            let parts = record.content.split(separator: " ")
            guard parts.count == 4, Int(parts[0]) != nil, Int(parts[1]) != nil, Int(parts[2]) != nil else {
                throw LexiconError.invalidInput("SRV content should be PRIORITY WEIGHT PORT TARGET.")
            }
            content = RecordPresentation.rdata(of: record)
        default:
            content = RecordPresentation.rdata(of: record)
        }
        return .object([
            ("name", .string(RecordPresentation.fqdn(record.name))), ("type", .string(record.type.rawValue)),
            ("content", .string(content)), ("ttl", .int(max(record.ttl, Self.minimumTTL))),
        ])
    }
}
