import Lexicon
import LexiconHTTP

/// hosting.de DNS through its JSON API (`https://www.hosting.de/api/#dns`): every call a `POST <base>/<method>` with
/// the `authToken` in the JSON body, answers in an envelope whose `status` says whether the call worked
/// (`success`, `pending` or `error` with `errors[{code, text, value}]`), the zone found by `zoneConfigsFind`, records
/// read page by page from `recordsFind` (names absolute, TXT quoted, the MX and SRV priority in its own field), and
/// every change one `zoneUpdate` that deletes and adds records together, so an update is never half done. A zone
/// still busy with an earlier change answers `blocked`; the call is repeated after a pause, as hosting.de advises.
public actor HostingDEProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "hostingde",
        summary: "hosting.de DNS (JSON API) with an API key.",
        options: [
            ProviderOption(
                "auth_token", help: "A hosting.de API key (Profile > API keys) with the DNS rights.", isRequired: true),
            .apiEndpoint(HostingDEProvider.endpoint, help: "The DNS API's base URL; each method is a POST below it."),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt, "ALIAS", "DS", "NSEC", "SSHFP", "TLSA"],
        nameserverPatterns: ["*.hosting.de"],
        defaultEndpoint: HostingDEProvider.endpoint,
        usesHTTP: true,
        minimumTTL: 60,
        factory: { try HostingDEProvider(context: $0) })

    static let endpoint = "https://secure.hosting.de/api/dns/v1/json"
    static let credentials = "--auth-token or LEXICON_HOSTINGDE_AUTH_TOKEN, and that the key has the DNS rights"
    /// How many records a `recordsFind` page asks for.
    static let pageSize = 100
    /// How often a call the zone's lock refused is repeated, and the pause between tries (seconds).
    static let blockedRetries = 30
    static let blockedPause = 1.0

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private let token: String
    /// The zone's `zoneConfig` as `zoneConfigsFind` answered it; `zoneUpdate` wants it back.
    private var zoneConfig: JSONValue?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        token = try context.requiredOption("auth_token")
        api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [],
            failure: HTTPFailure(provider: "hostingde", service: "hosting.de", credentials: Self.credentials))
    }

    public func authenticate() async throws {
        _ = try await config()
    }

    public func add(_ record: Record) async throws {
        try await update(adding: [try fields(record)], deleting: [], operation: "create a record")
    }

    /// One `zoneUpdate` that deletes the old record and adds the new one: hosting.de has no update in place, and
    /// the new record gets a new id.
    public func replace(_ nativeID: String, with record: Record) async throws {
        try await update(
            adding: [try fields(record)], deleting: [.object([("id", .string(nativeID))])],
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await update(adding: [], deleting: [.object([("id", .string(nativeID))])], operation: "delete a record")
    }

    /// Every page of `recordsFind`, narrowed on the server by the zone, the type and the absolute name.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        guard let zoneID = try await config()["id"]?.string else { throw api.unexpected(Self.readZone) }
        var filters: [JSONValue] = [Self.filter("zoneConfigId", zoneID)]
        if let type { filters.append(Self.filter("recordType", type.rawValue)) }
        if let name { filters.append(Self.filter("recordName", name)) }
        let filter = JSONValue.object([("subFilterConnective", .string("AND")), ("subFilter", .array(filters))])
        return try await PageGuard.numbered(provider: "hostingde", service: "hosting.de", operation: "list records") {
            let answer = try await call(
                "recordsFind",
                [("filter", filter), ("limit", .int(Self.pageSize)), ("page", .int($0))], operation: "list records")
            guard let data = answer["data"]?.array else { throw api.unexpected("list records") }
            return (data, answer["totalPages"]?.int, answer["totalEntries"]?.int)
        }.map(entry)
    }

    // MARK: - API

    /// The zone's `zoneConfig`, found once by name; none is `No domain found`.
    private func config() async throws -> JSONValue {
        if let zoneConfig { return zoneConfig }
        let answer = try await call(
            "zoneConfigsFind",
            [("filter", Self.filter("zoneName", context.zone)), ("limit", .int(10)), ("page", .int(1))],
            operation: Self.readZone)
        guard let data = answer["data"]?.array else { throw api.unexpected(Self.readZone) }
        guard let found = data.first(where: { $0["name"]?.string?.lowercased() == context.zone }) else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "hostingde", hint: "The account (or the key's rights) has no such zone.")
        }
        zoneConfig = found
        return found
    }

    private func update(adding: [JSONValue], deleting: [JSONValue], operation: String) async throws {
        let config = try await config()
        _ = try await call(
            "zoneUpdate",
            [("zoneConfig", config), ("recordsToAdd", .array(adding)), ("recordsToDelete", .array(deleting))],
            operation: operation)
    }

    /// A call with the key in its body: the answer's `response` when the status is `success` or `pending`; while
    /// the zone is `blocked` by an earlier change, the same call again after a pause.
    private func call(_ method: String, _ fields: [(String, JSONValue)], operation: String) async throws -> JSONValue {
        let body = JSONValue.object([("authToken", .string(token))] + fields)
        for attempt in 1...Self.blockedRetries {
            // A zoneUpdate repeated after a lost answer could add a record twice: only reads are retried blindly.
            let answer = try await api.post(
                "/" + method, body, operation: operation, idempotent: method != "zoneUpdate")
            switch answer["status"]?.string {
            case "success", "pending":
                return answer["response"] ?? .null
            case "error":
                let errors = answer["errors"]?.array ?? []
                if errors.contains(where: { $0["value"]?.string == "blocked" }), attempt < Self.blockedRetries {
                    context.logger.info("hostingde: the zone is blocked by an earlier change; trying again")
                    try await Task.sleep(nanoseconds: UInt64(Self.blockedPause * 1e9))
                    continue
                }
                throw failure(errors, operation: operation)
            default:
                throw api.unexpected(operation)
            }
        }
        throw api.unexpected(operation)
    }

    /// An error answer as one line: a refused key is an authentication failure, anything else the API's texts.
    private func failure(_ errors: [JSONValue], operation: String) -> LexiconError {
        let texts = errors.map { error in
            let text = error["text"]?.string ?? "unknown error"
            let value = error["value"]?.string ?? ""
            return "\(text)\(value.isEmpty ? "" : " (\(value))") [\(error["code"]?.int.map(String.init) ?? "?")]"
        }
        let message = texts.joined(separator: "; ")
        let lowered = message.lowercased()
        if lowered.contains("authentication") || lowered.contains("authtoken") || lowered.contains("api key") {
            return LexiconError(
                .authentication, "authentication failed to \(operation): \(message)", provider: "hostingde",
                hint: "Check \(Self.credentials).")
        }
        return LexiconError(.provider, "\(operation) failed: \(message)", provider: "hostingde")
    }

    // MARK: - Mapping

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let typeText = json["type"]?.string, let name = json["name"]?.string,
            let data = json["content"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText.uppercased())
        let priority = json["priority"]?.int ?? 0
        var content = data
        switch type {
        case .txt where data.hasPrefix("\""):
            content = TXTPresentation.decode(data) ?? data
        case .cname, .ns, .mx, "ALIAS":
            content = RecordPresentation.bare(Substring(data))
        case .srv:
            // hosting.de's SRV content is `WEIGHT PORT TARGET`; the priority is its own field.
            content = SRVFields.join(priority: priority, data)
        default:
            break
        }
        let record = Record(
            type: type, name: RecordPresentation.bare(Substring(name)), ttl: json["ttl"]?.int ?? context.defaultTTL,
            content: content, priority: type == .mx ? priority : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// A record to add: the absolute name, TXT as quoted strings of at most 255 bytes, targets without their final
    /// dot, and the priority of MX and SRV in its own field.
    private func fields(_ record: Record) throws -> JSONValue {
        var content = record.content
        var priority: Int?
        switch record.type {
        case .txt:
            content = TXTPresentation.encode(record.content)
        case .cname, .ns, "ALIAS":
            content = RecordPresentation.bare(Substring(record.content))
        case .mx:
            content = RecordPresentation.bare(Substring(record.content))
            priority = record.priority ?? 0
        case .srv:
            let split = try SRVFields.split(record.content)
            (priority, content) = (split.priority, split.value)
        default:
            break
        }
        var fields: [(String, JSONValue)] = [
            ("name", .string(record.name)), ("type", .string(record.type.rawValue)), ("content", .string(content)),
            ("ttl", .int(record.ttl)),
        ]
        if let priority { fields.append(("priority", .int(priority))) }
        return .object(fields)
    }

    /// The operation that checks the key and the zone.
    static let readZone = "find the zone"

    private static func filter(_ field: String, _ value: String) -> JSONValue {
        .object([("field", .string(field)), ("value", .string(value))])
    }
}
