import Lexicon
import LexiconHTTP

/// Infomaniak DNS through the v2 zone API (`/2/zones/{zone}/records`, `Authorization: Bearer`): every page of
/// `page`/`per_page`, one record per value under Infomaniak's numeric ids, the apex as `.`, TXT read back quoted,
/// the MX and SRV priority inside the target, updates of target and TTL in place (a new name is a new record), and
/// the `{"result": "error", "error": {"code", "description"}}` envelope.
public actor InfomaniakProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "infomaniak",
        summary: "Infomaniak DNS (zone API v2) with an API token.",
        options: [
            ProviderOption(
                "auth_token", help: "An Infomaniak API token with the domain (dns) scope.", isRequired: true),
            .apiEndpoint(InfomaniakProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt],
        nameserverPatterns: ["*.infomaniak.ch", "*.infomaniak.com"],
        defaultEndpoint: InfomaniakProvider.endpoint,
        usesHTTP: true,
        minimumTTL: InfomaniakProvider.minimumTTL,
        factory: { try InfomaniakProvider(context: $0) })

    static let endpoint = "https://api.infomaniak.com"
    /// Infomaniak refuses TTLs below 60 seconds.
    static let minimumTTL = 60
    static let unknownZone = "The account has no such zone, or the token may not manage it."

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    /// The records of the last listing by id, so an update knows whether the name or type changes.
    private var listed: [String: Record] = [:]

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("Authorization", "Bearer \(try context.requiredOption("auth_token"))")],
            failure: HTTPFailure(
                provider: "infomaniak", service: "Infomaniak",
                credentials: "--auth-token or LEXICON_INFOMANIAK_AUTH_TOKEN (a token with the domain scope)",
                rateLimitAdvice: "wait a minute"))
        // `{"result": "error", "error": {"code", "description", "errors": [{"code", "description"}]}}`.
        api.detail = { json in
            let error = json?["error"]
            let details = (error?["errors"]?.array ?? []).compactMap { $0["description"]?.string }
            return ([error?["description"]?.string ?? error?["code"]?.string].compactMap { $0 } + details)
                .joined(separator: "; ")
        }
        self.api = api
    }

    public func authenticate() async throws {
        try await api.get(
            "/2/zones/\(context.zone)", operation: "read the zone", missing: .isUnknownZone(hint: Self.unknownZone))
    }

    public func add(_ record: Record) async throws {
        try await api.post(
            "/2/zones/\(context.zone)/records",
            .object([
                ("source", .string(context.relativeName(record.name, apex: "."))),
                ("type", .string(record.type.rawValue)), ("target", .string(try target(record))),
                ("ttl", .int(record.ttl)),
            ]), operation: "create a record")
    }

    /// A `PUT` of target and TTL when name and type stay; otherwise the new record is added and the old one removed
    /// (Infomaniak updates neither source nor type), so its id changes.
    public func replace(_ nativeID: String, with record: Record) async throws {
        if let old = listed[nativeID], old.name != record.name || old.type != record.type {
            try await add(record)
            try await remove(nativeID)
            return
        }
        try await api.put(
            "/2/zones/\(context.zone)/records/\(nativeID)",
            .object([("target", .string(try target(record))), ("ttl", .int(record.ttl))]),
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await api.delete("/2/zones/\(context.zone)/records/\(nativeID)", operation: "delete a record")
    }

    // MARK: - API

    /// Every page; Infomaniak filters nothing that lexicon needs on its side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let items = try await PageGuard.numbered(
            provider: "infomaniak", service: "Infomaniak", operation: "list records"
        ) { page in
            let answer = try await api.get(
                "/2/zones/\(context.zone)/records?" + URLQuery.encode([("page", "\(page)"), ("per_page", "500")]),
                operation: "list records", missing: .isUnknownZone(hint: Self.unknownZone))
            guard let data = answer["data"]?.array else { throw api.unexpected("list records") }
            return (data, answer["pages"]?.int, answer["total"]?.int)
        }
        let entries = try items.map(entry)
        listed = Dictionary(entries.map { ($0.nativeID, $0.record) }, uniquingKeysWith: { first, _ in first })
        return entries
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.int.map(String.init) ?? json["id"]?.string, let typeText = json["type"]?.string,
            let source = json["source"]?.string, let target = json["target"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        var content = target
        var priority: Int?
        switch type {
        case .txt where target.hasPrefix("\""):
            content = TXTPresentation.decode(target) ?? target
        case .cname, .ns:
            content = RecordPresentation.bare(Substring(target))
        case .mx:
            // `PRIORITY HOST`.
            let fields = target.split(separator: " ")
            priority = fields.first.flatMap { Int($0) } ?? 0
            content = RecordPresentation.bare(fields.last ?? "")
        case .srv:
            let fields = target.split(separator: " ")
            content = fields.dropLast().joined(separator: " ") + " " + RecordPresentation.bare(fields.last ?? "")
        default:
            break
        }
        let name = ["", ".", "@"].contains(source) ? context.zone : context.absoluteName(source)
        let record = Record(
            type: type, name: name, ttl: json["ttl"]?.int ?? context.defaultTTL, content: content, priority: priority)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The target as Infomaniak takes it: TXT as plain text, hosts without their final dot, the MX priority first.
    private func target(_ record: Record) throws -> String {
        switch record.type {
        case .cname, .ns:
            return RecordPresentation.bare(Substring(record.content))
        case .mx:
            return "\(record.priority ?? 0) " + RecordPresentation.bare(Substring(record.content))
        case .srv:
            let (priority, value) = try SRVFields.split(record.content)
            return "\(priority) \(value)"
        default:
            return record.content
        }
    }
}
