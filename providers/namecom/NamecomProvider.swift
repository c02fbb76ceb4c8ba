import Lexicon
import LexiconHTTP

/// Name.com DNS through the v4 REST API (HTTP Basic with the user name and an API token): every page of the
/// `page`/`perPage` listing up to its `lastPage`, one record per value under Name.com's numeric ids, hosts relative
/// to the zone (`""` for the apex, omitted from answers like every default value), names read from `fqdn`, targets
/// without their final dot, the MX and SRV priority in its own field, and TTLs of at least 300 seconds.
public actor NamecomProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "namecom",
        summary: "Name.com DNS (API v4) with a user name and an API token.",
        options: [
            ProviderOption(
                "auth_username",
                help: "The Name.com user name (with -test appended for the test environment, api.dev.name.com).",
                isRequired: true, isSecret: false),
            ProviderOption(
                "auth_token", help: "A Name.com API token (Account > Settings > API Token Management).",
                isRequired: true),
            .apiEndpoint(NamecomProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, "ANAME", .cname, .mx, .ns, .srv, .txt],
        nameserverPatterns: ["*.name.com"],
        defaultEndpoint: NamecomProvider.endpoint,
        usesHTTP: true,
        factory: { try NamecomProvider(context: $0) })

    static let endpoint = "https://api.name.com/v4"
    /// The shortest TTL Name.com accepts; shorter ones are raised to it.
    static let minimumTTL = 300

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let authorization = HTTPHeader.basicAuthorization(
            user: try context.requiredOption("auth_username"), password: try context.requiredOption("auth_token"))
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [authorization],
            failure: HTTPFailure(
                provider: "namecom", service: "Name.com",
                credentials: "--auth-username and --auth-token (LEXICON_NAMECOM_AUTH_USERNAME, "
                    + "LEXICON_NAMECOM_AUTH_TOKEN); the test environment wants the user name with -test",
                rateLimitAdvice: "wait a minute"))
        // Name.com's error bodies are `{"message": "…", "details": "…"}`, `details` optional.
        api.detail = JSONAPIClient.detail(joining: ["message"], ["details"])
        self.api = api
    }

    public func authenticate() async throws {
        try await api.get(
            "/domains/\(context.zone)", operation: "read the domain",
            missing: .isUnknownZone(hint: "The account has no such domain."))
    }

    /// A `POST`; a value Name.com already holds (another writer added it since the listing) is there, as wanted.
    public func add(_ record: Record) async throws {
        do {
            try await api.post("/domains/\(context.zone)/records", try body(for: record), operation: "create a record")
        } catch let error as LexiconError where error.message.contains("Duplicate Record") {
            return
        }
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await api.put(
            "/domains/\(context.zone)/records/\(nativeID)", try body(for: record), operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await api.delete("/domains/\(context.zone)/records/\(nativeID)", operation: "delete a record")
    }

    // MARK: - API

    /// Every page by number until the last; Name.com filters nothing on its side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let records = try await PageGuard.numbered(provider: "namecom", service: "Name.com", operation: "list records")
        {
            let answer = try await api.get(
                "/domains/\(context.zone)/records?" + URLQuery.encode([("page", String($0)), ("perPage", "1000")]),
                operation: "list records")
            // An empty list is left out like every default value: `{}`.
            guard answer.object != nil, let records = answer["records"] == nil ? [] : answer["records"]?.array else {
                throw api.unexpected("list records")
            }
            // `nextPage` and `lastPage` come only while another page follows.
            return (records, answer["lastPage"]?.int ?? answer["nextPage"]?.int, nil)
        }
        return try records.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.int, let typeText = json["type"]?.string, let answer = json["answer"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        // Fields at their default value are left out: an apex record has no `host`, a record without one no
        // `priority`. `fqdn` always ends in a dot.
        let name =
            json["fqdn"]?.string.flatMap { try? context.names.absolute($0) }
            ?? context.absoluteName(json["host"]?.string ?? "", apex: "")
        // Name.com's SRV answer is `WEIGHT PORT TARGET`; the priority is its own field.
        let (content, priority) = PriorityField.join(type: type, value: answer, priority: json["priority"]?.int ?? 0)
        let record = Record(
            type: type, name: name, ttl: json["ttl"]?.int ?? Self.minimumTTL, content: content, priority: priority)
        return NativeRecord(nativeID: String(id), record: record)
    }

    /// The body of a create or an update: the host relative to the zone (`""` for the apex), targets without their
    /// final dot, the priority of MX and SRV, and the TTL raised to Name.com's minimum.
    private func body(for record: Record) throws -> JSONValue {
        let (answer, priority) = try PriorityField.split(record)
        var pairs: [(String, JSONValue)] = [
            ("host", .string(context.relativeName(record.name, apex: ""))), ("type", .string(record.type.rawValue)),
            ("answer", .string(answer)), ("ttl", .int(max(record.ttl, Self.minimumTTL))),
        ]
        if let priority { pairs.append(("priority", .int(priority))) }
        return .object(pairs)
    }
}
