import Lexicon
import LexiconHTTP

/// Hetzner DNS, on whichever API the token belongs to, as dns-lexicon chooses: a 32-character token is for the
/// legacy DNS Console API (`Auth-API-Token`, records by id), any other token for the current Cloud API (`Bearer`,
/// record sets changed by asynchronous actions that are polled to completion).
public actor HetznerProvider: Provider {
    public static let descriptor = ProviderDescriptor(
        name: "hetzner",
        summary: "Hetzner DNS: the Cloud API (rrsets, actions), or the legacy DNS API for 32-character tokens.",
        options: [
            ProviderOption(
                "auth_token", help: "A Hetzner Cloud API token (read/write), or a legacy DNS Console token.",
                isRequired: true),
            .apiEndpoint(
                nil,
                help:
                    "The API's base URL (default https://api.hetzner.cloud/v1, or https://dns.hetzner.com/api/v1 for legacy tokens)."
            ),
        ],
        nameserverPatterns: [
            "*.hetzner.com", "*.ns.hetzner.com", "*.your-dns.com", "*.second-ns.com", "*.second-ns.de",
        ],
        defaultEndpoint: HetznerCloudAPI.endpoint,
        usesHTTP: true, writeShape: .recordSets,
        factory: { try HetznerProvider(context: $0) })

    private let backend: any Provider

    /// Creates the provider on the API the token belongs to.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        let token = try context.requiredOption("auth_token")
        let transport = transport ?? CurlTransport(context: context)
        if token.count == 32 {
            backend = HetznerLegacyAPI(context: context, transport: transport, token: token)
        } else {
            backend = HetznerCloudAPI(context: context, transport: transport, token: token)
        }
    }

    public func authenticate() async throws { try await backend.authenticate() }

    public func listRecords(_ filter: RecordFilter) async throws -> [Record] { try await backend.listRecords(filter) }

    public func createRecord(_ input: RecordInput) async throws -> Bool { try await backend.createRecord(input) }

    public func updateRecord(identifier: String?, _ input: RecordInput) async throws -> Bool {
        try await backend.updateRecord(identifier: identifier, input)
    }

    public func deleteRecord(identifier: String?, _ filter: RecordFilter) async throws -> Bool {
        try await backend.deleteRecord(identifier: identifier, filter)
    }
}

extension JSONAPIClient {
    /// Requests to either Hetzner API: its auth header, and its errors (`{"error": {"code", "message"}}`, or
    /// `{"message"}` on the legacy API) turned into one-line ``LexiconError``s.
    static func hetzner(context: ProviderContext, endpoint: String, transport: any HTTPTransport, auth: HTTPHeader)
        -> JSONAPIClient
    {
        var api = JSONAPIClient(
            context: context, endpoint: endpoint, transport: transport, headers: [auth],
            failure: HTTPFailure(
                provider: "hetzner", service: "Hetzner",
                credentials:
                    "--auth-token or LEXICON_HETZNER_AUTH_TOKEN (a Cloud API token with read/write, or a 32-character DNS Console token)"
            ))
        api.detail = { json in json?["error"]?["message"]?.string ?? json?["message"]?.string ?? "" }
        api.special = { response, json, operation in
            // Another writer created the set since it was read: merge again from a fresh read.
            guard response.status == 409, json?["error"]?["code"]?.string == "uniqueness_error" else { return nil }
            return LexiconError(
                .conflict,
                "\(operation): \(json?["error"]?["message"]?.string ?? json?["message"]?.string ?? "")",
                provider: "hetzner")
        }
        return api
    }

    /// The id of the zone in `GET /zones?name=`, on either API.
    /// - Throws: ``LexiconError`` `No domain found`, with `hint`, when the listing does not have it.
    func hetznerZoneID<ID: Sendable>(
        _ context: ProviderContext, missing: Missing = .fails, hint: String, _ id: @Sendable (JSONValue) -> ID?
    ) async throws -> ID {
        let answer = try await get(
            "/zones?" + URLQuery.encode([("name", context.zone)]), operation: "find the zone", missing: missing)
        let zone = answer["zones"]?.array?.first { $0["name"]?.string?.lowercased() == context.zone }
        guard let found = zone?["id"].flatMap(id) else {
            throw LexiconError.domainNotFound(context.zone, provider: "hetzner", hint: hint)
        }
        return found
    }
}

/// The legacy DNS Console API (`https://dns.hetzner.com/api/v1`): records by id.
actor HetznerLegacyAPI: NativeRecordAPI {
    static var descriptor: ProviderDescriptor { HetznerProvider.descriptor }
    static let endpoint = "https://dns.hetzner.com/api/v1"

    let context: ProviderContext
    private let http: JSONAPIClient
    private var zoneID: String?

    init(context: ProviderContext, transport: any HTTPTransport, token: String) {
        self.context = context
        http = .hetzner(
            context: context, endpoint: Self.endpoint, transport: transport, auth: HTTPHeader("Auth-API-Token", token))
    }

    func authenticate() async throws { _ = try await zone() }

    private func zone() async throws -> String {
        if let zoneID { return zoneID }
        let id = try await http.hetznerZoneID(context, missing: .isFine, hint: "The DNS Console has no such zone.") {
            $0.string
        }
        zoneID = id
        return id
    }

    func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let zone = try await zone()
        let records = try await PageGuard.numbered(provider: "hetzner", service: "Hetzner", operation: "list records") {
            let answer = try await http.get(
                "/records?" + URLQuery.encode([("zone_id", zone), ("page", String($0)), ("per_page", "100")]),
                operation: "list records")
            guard let records = answer["records"]?.array else { throw http.unexpected("list records") }
            let pagination = answer["meta"]?["pagination"]
            return (records, pagination?["last_page"]?.int, pagination?["total_entries"]?.int)
        }
        return try records.map { json in
            guard let id = json["id"]?.string, let typeText = json["type"]?.string, let value = json["value"]?.string
            else { throw http.unexpected("list records") }
            let type = RecordType(rawValue: typeText)
            let parsed = RecordPresentation.content(of: value, type: type)
            let record = Record(
                type: type, name: context.absoluteName(json["name"]?.string ?? "@"),
                ttl: json["ttl"]?.int ?? context.defaultTTL, content: parsed.content, priority: parsed.priority)
            return NativeRecord(nativeID: id, record: record)
        }
    }

    func add(_ record: Record) async throws {
        _ = try await http.call("POST", "/records", body: try await body(record), operation: "create a record")
    }

    func replace(_ nativeID: String, with record: Record) async throws {
        _ = try await http.call(
            "PUT", "/records/\(nativeID)", body: try await body(record), operation: "update a record")
    }

    func remove(_ nativeID: String) async throws {
        _ = try await http.call("DELETE", "/records/\(nativeID)", operation: "delete a record", missing: .isFine)
    }

    private func body(_ record: Record) async throws -> JSONValue {
        JSONValue.object([
            ("zone_id", .string(try await zone())), ("type", .string(record.type.rawValue)),
            ("name", .string(context.relativeName(record.name))),
            ("value", .string(RecordPresentation.rdata(of: record))), ("ttl", .int(record.ttl)),
        ])
    }

}

/// The Hetzner Cloud API (`https://api.hetzner.cloud/v1`): record sets, changed by actions that run
/// asynchronously and are polled until they succeed or fail.
actor HetznerCloudAPI: RecordSetAPI {
    static var descriptor: ProviderDescriptor { HetznerProvider.descriptor }
    static let endpoint = "https://api.hetzner.cloud/v1"

    let context: ProviderContext
    private let http: JSONAPIClient
    private var zoneID: Int?
    /// Seconds between polls of a running action.
    var pollInterval = 0.25

    init(context: ProviderContext, transport: any HTTPTransport, token: String) {
        self.context = context
        http = .hetzner(
            context: context, endpoint: Self.endpoint, transport: transport,
            auth: HTTPHeader("Authorization", "Bearer \(token)"))
    }

    func authenticate() async throws { _ = try await zone() }

    private func zone() async throws -> Int {
        if let zoneID { return zoneID }
        let id = try await http.hetznerZoneID(context, hint: "The project of this token has no such zone.") { $0.int }
        zoneID = id
        return id
    }

    func fetchSets() async throws -> [RecordSet] {
        let zone = try await zone()
        var sets: [RecordSet] = []
        var page: Int? = 1
        var pages = PageGuard(provider: "hetzner", service: "Hetzner", operation: "list records", parameters: "page")
        while let current = page {
            let answer = try await http.call(
                "GET", "/zones/\(zone)/rrsets?" + URLQuery.encode([("page", String(current)), ("per_page", "100")]),
                operation: "list records")
            guard let items = answer["rrsets"]?.array else { throw http.unexpected("list records") }
            let pagination = answer["meta"]?["pagination"]
            try pages.check(page: current, lastPage: pagination?["last_page"]?.int)
            try pages.read(items, total: pagination?["total_entries"]?.int)
            for item in items {
                guard let relative = item["name"]?.string, let typeText = item["type"]?.string,
                    let values = item["records"]?.array
                else { throw http.unexpected("list records") }
                sets.append(
                    RecordSet(
                        name: context.absoluteName(relative), type: RecordType(rawValue: typeText),
                        ttl: item["ttl"]?.int ?? context.defaultTTL,
                        presentation: values.compactMap { $0["value"]?.string }))
            }
            page = pagination?["next_page"]?.int
        }
        return sets
    }

    func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        let zone = try await zone()
        let relative = context.relativeName(name)
        let records = JSONValue.array(values.map { .object([("value", .string(RecordPresentation.rdata(of: $0)))]) })
        if let existing = current {
            let path = "/zones/\(zone)/rrsets/\(URLQuery.escape(relative))/\(type.rawValue)/actions"
            try await run(
                try await http.call(
                    "POST", path + "/set_records", body: JSONValue.object([("records", records)]),
                    operation: "write the \(type) set of \(name)", idempotent: true))
            if existing.ttl != ttl {
                try await run(
                    try await http.call(
                        "POST", path + "/change_ttl", body: JSONValue.object([("ttl", .int(ttl))]),
                        operation: "change the TTL of \(name)", idempotent: true))
            }
        } else {
            let body = JSONValue.object([
                ("name", .string(relative)), ("type", .string(type.rawValue)), ("ttl", .int(ttl)), ("records", records),
            ])
            try await run(
                try await http.call(
                    "POST", "/zones/\(zone)/rrsets", body: body,
                    operation: "create the \(type) set of \(name)"))
        }
    }

    func deleteSet(_ set: RecordSet) async throws {
        let (name, type) = (set.name, set.type)
        let relative = context.relativeName(name)
        let answer = try await http.call(
            "DELETE", "/zones/\(try await zone())/rrsets/\(URLQuery.escape(relative))/\(type.rawValue)",
            operation: "delete the \(type) set of \(name)", missing: .isFine)
        if !answer.isNull { try await run(answer) }
    }

    /// Waits for the action an answer started until it succeeds; its failure is the operation's failure.
    private func run(_ answer: JSONValue) async throws {
        guard var action = answer["action"] else { return }
        for _ in 0..<600 {
            switch action["status"]?.string {
            case "success": return
            case "error":
                let message = action["error"]?["message"]?.string ?? "unknown error"
                throw LexiconError(
                    .provider, "the \(action["command"]?.string ?? "change") action failed: \(message).",
                    provider: "hetzner")
            default:
                guard let id = action["id"]?.int else { throw http.unexpected("poll an action") }
                try await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
                guard let next = try await http.call("GET", "/actions/\(id)", operation: "poll an action")["action"]
                else {
                    throw http.unexpected("poll an action")
                }
                action = next
            }
        }
        throw LexiconError(
            .network, "a Hetzner action did not finish within \(Int(600 * pollInterval)) s.", provider: "hetzner")
    }

}
