import Lexicon
import LexiconHTTP

/// IONOS DNS through the hosting DNS API v1 (`X-API-Key: prefix.secret`): the zone's id found by name in `GET /zones`,
/// records read from `GET /zones/{id}` (narrowed by `recordType` and `recordName`), names as FQDNs, the MX priority in
/// `prio`, TXT content sent unquoted and read back without the quotes IONOS adds, creates as a one-record array, and
/// an update that keeps name and type as a `PUT` (IONOS cannot rename a record: a rename is a create and a delete).
public actor IONOSProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "ionos",
        summary: "IONOS DNS (hosting API v1) with an API key from the IONOS developer portal.",
        options: [
            ProviderOption(
                "api_key", help: "An IONOS API key: its public prefix, a period and its secret (prefix.secret).",
                isRequired: true),
            .apiEndpoint(IONOSProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, "SSHFP", "TLSA", .txt],
        nameserverPatterns: ["*.ui-dns.com", "*.ui-dns.de", "*.ui-dns.org", "*.ui-dns.biz"],
        defaultEndpoint: IONOSProvider.endpoint,
        usesHTTP: true,
        factory: { try IONOSProvider(context: $0) })

    static let endpoint = "https://api.hosting.ionos.com/dns/v1"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private var zoneID: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("X-API-Key", try context.requiredOption("api_key"))],
            failure: HTTPFailure(
                provider: "ionos", service: "IONOS",
                credentials: "--api-key or LEXICON_IONOS_API_KEY (the key's public prefix, a period and its secret)"))
        api.detail = Self.detail
        self.api = api
    }

    /// IONOS's error bodies are arrays of `{"code", "message", "parameters"}`: each as `CODE: message`, with the
    /// fields it names.
    @Sendable static func detail(_ json: JSONValue?) -> String {
        guard let errors = json?.array else { return json?["message"]?.string ?? "" }
        return errors.map { error in
            var text = [error["code"]?.string, error["message"]?.string].compactMap { $0 }.joined(separator: ": ")
            let parameters = error["parameters"]
            let fields = ["invalidFields", "requiredFields", "invalid"].flatMap { key in
                parameters?[key]?.array?.compactMap(\.string) ?? []
            }
            if !fields.isEmpty { text += " (" + fields.joined(separator: ", ") + ")" }
            return text
        }.joined(separator: "; ")
    }

    public func authenticate() async throws { _ = try await zone() }

    /// The zone's id, from the account's zones by name.
    private func zone() async throws -> String {
        if let zoneID { return zoneID }
        let answer = try await api.get("/zones", operation: "list zones")
        guard let zones = answer.array else { throw api.unexpected("list zones") }
        let found = zones.first { $0["name"]?.string?.lowercased() == context.zone }?["id"]?.string
        guard let found else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "ionos", hint: "The account's zones (GET /zones) do not include it.")
        }
        zoneID = found
        return found
    }

    public func add(_ record: Record) async throws {
        let zone = try await zone()
        var fields: [(String, JSONValue)] = [("name", .string(record.name)), ("type", .string(record.type.rawValue))]
        fields += Self.fields(record)
        try await api.post("/zones/\(zone)/records", .array([.object(fields)]), operation: "create a record")
    }

    /// A `PUT` of content, TTL and priority when name and type stay; otherwise a create and a delete, as IONOS's
    /// record update carries neither name nor type.
    public func replace(_ nativeID: String, with record: Record) async throws {
        let zone = try await zone()
        let current = try await api.get(
            "/zones/\(zone)/records/\(nativeID)", operation: "read the record to update", missing: .isFine)
        guard !current.isNull else {
            throw LexiconError(.notFound, "the record to update is gone.", provider: "ionos")
        }
        if current["name"]?.string?.lowercased() == record.name && current["type"]?.string == record.type.rawValue {
            try await api.put(
                "/zones/\(zone)/records/\(nativeID)", .object(Self.fields(record)), operation: "update a record")
        } else {
            try await add(record)
            try await remove(nativeID)
        }
    }

    public func remove(_ nativeID: String) async throws {
        let zone = try await zone()
        try await api.delete("/zones/\(zone)/records/\(nativeID)", operation: "delete a record")
    }

    /// The zone's records, narrowed by IONOS to the type and the FQDN asked for.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let zone = try await zone()
        var query: [(String, String)] = []
        if let type { query.append(("recordType", type.rawValue)) }
        if let name { query.append(("recordName", name)) }
        let answer = try await api.get(
            "/zones/\(zone)" + (query.isEmpty ? "" : "?" + URLQuery.encode(query)), operation: "list records")
        guard let records = answer["records"]?.array else { throw api.unexpected("list records") }
        return try records.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let typeText = json["type"]?.string, let name = json["name"]?.string,
            let data = json["content"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        var content = data
        switch type {
        case .txt where data.hasPrefix("\""):
            content = TXTPresentation.decode(data) ?? data
        case .cname, .ns, .mx:
            content = RecordPresentation.bare(Substring(data))
        default:
            break
        }
        let record = Record(
            type: type, name: RecordPresentation.bare(Substring(name.lowercased())),
            ttl: json["ttl"]?.int ?? context.defaultTTL, content: content,
            priority: type == .mx ? json["prio"]?.int ?? 0 : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The fields of a create or an update: content as given (TXT unquoted, IONOS quotes it), targets without their
    /// final dot, the TTL, the MX priority in `prio` (0 for other types, as dns-lexicon sends), enabled.
    private static func fields(_ record: Record) -> [(String, JSONValue)] {
        var content = record.content
        if [.cname, .ns, .mx].contains(record.type) { content = RecordPresentation.bare(Substring(content)) }
        return [
            ("content", .string(content)), ("ttl", .int(record.ttl)),
            ("prio", .int(record.type == .mx ? record.priority ?? 0 : 0)), ("disabled", .bool(false)),
        ]
    }
}
