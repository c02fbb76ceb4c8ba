import Lexicon
import LexiconHTTP

/// Vultr DNS through the v2 REST API (`Authorization: Bearer`): every page of the `meta.links.next` cursor, one
/// record per value under Vultr's uuids, the apex as an empty name, TXT data quoted, targets without their final
/// dot, and the MX and SRV priority in its own field.
public actor VultrProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "vultr",
        summary: "Vultr DNS (API v2) with an API key.",
        options: [
            ProviderOption(
                "auth_token", help: "A Vultr API key (Account > API) whose access control admits this machine.",
                isRequired: true),
            .apiEndpoint(VultrProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, "SSHFP", .txt],
        nameserverPatterns: ["ns1.vultr.com", "ns2.vultr.com"],
        defaultEndpoint: VultrProvider.endpoint,
        usesHTTP: true,
        factory: { try VultrProvider(context: $0) })

    static let endpoint = "https://api.vultr.com/v2"

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
            headers: [HTTPHeader("Authorization", "Bearer \(try context.requiredOption("auth_token"))")],
            failure: HTTPFailure(
                provider: "vultr", service: "Vultr",
                credentials: "--auth-token or LEXICON_VULTR_AUTH_TOKEN, and that the key's access control admits "
                    + "this machine's address",
                rateLimitAdvice: "Vultr allows about 30 requests a second"))
        // Vultr's error bodies are `{"error": "…", "status": 400}`.
        api.detail = { $0?["error"]?.string ?? "" }
        self.api = api
    }

    public func authenticate() async throws {
        try await api.get(
            "/domains/\(context.zone)", operation: "read the domain",
            missing: .isUnknownZone(hint: "The account has no such domain."))
    }

    public func add(_ record: Record) async throws {
        try await api.post(
            "/domains/\(context.zone)/records",
            .object([("type", .string(record.type.rawValue))] + (try fields(record))),
            operation: "create a record")
    }

    /// A `PATCH` of name, data, TTL and priority; a record's type never changes.
    public func replace(_ nativeID: String, with record: Record) async throws {
        try await api.patch(
            "/domains/\(context.zone)/records/\(nativeID)", .object(try fields(record)), operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await api.delete("/domains/\(context.zone)/records/\(nativeID)", operation: "delete a record")
    }

    // MARK: - API

    /// Every page, following the `meta.links.next` cursor until it is empty; Vultr filters nothing on its side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var pages = PageGuard(provider: "vultr", service: "Vultr", operation: "list records", parameters: "cursor")
        var entries: [NativeRecord] = []
        var cursor = ""
        repeat {
            let query = [("per_page", "500")] + (cursor.isEmpty ? [] : [("cursor", cursor)])
            let answer = try await api.get(
                "/domains/\(context.zone)/records?" + URLQuery.encode(query), operation: "list records")
            guard let records = answer["records"]?.array else { throw api.unexpected("list records") }
            try pages.read(records, total: answer["meta"]?["total"]?.int)
            for json in records { entries.append(try entry(json)) }
            cursor = records.isEmpty ? "" : answer["meta"]?["links"]?["next"]?.string ?? ""
        } while !cursor.isEmpty
        return entries
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let typeText = json["type"]?.string, let relative = json["name"]?.string,
            let data = json["data"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        // Vultr's SRV data is `WEIGHT PORT TARGET`; the priority is its own field.
        var (content, priority) = PriorityField.join(type: type, value: data, priority: json["priority"]?.int ?? 0)
        if type == .txt, data.count >= 2, data.hasPrefix("\""), data.hasSuffix("\"") {
            content = TXTPresentation.decode(data) ?? data
        }
        let record = Record(
            type: type, name: context.absoluteName(relative, apex: ""), ttl: json["ttl"]?.int ?? context.defaultTTL,
            content: content, priority: priority)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The fields of a create or an update: the apex as `""`, TXT data as one quoted string, targets without their
    /// final dot, and the priority of MX and SRV (0 for other types).
    private func fields(_ record: Record) throws -> [(String, JSONValue)] {
        var (data, priority) = try PriorityField.split(record)
        if record.type == .txt { data = "\"" + TXTPresentation.escape(Array(record.content.utf8)) + "\"" }
        return [
            ("name", .string(context.relativeName(record.name, apex: ""))), ("data", .string(data)),
            ("ttl", .int(record.ttl)), ("priority", .int(priority ?? 0)),
        ]
    }
}
