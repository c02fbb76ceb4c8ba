import Lexicon
import LexiconHTTP

/// Vercel DNS (formerly ZEIT, whose name `zeit` still works) through the REST API (`Authorization: Bearer`, and
/// `teamId` for a team's domains): every page of the `until` cursor, one record per value under Vercel's ids, the
/// apex as an empty name, TTLs of at least 60, the MX priority in `mxPriority` and SRV as its own `srv` object.
public actor VercelProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "vercel",
        aliases: ["zeit"],
        summary: "Vercel DNS (formerly ZEIT; `zeit` is its old name) with an access token.",
        options: [
            ProviderOption("auth_token", help: "A Vercel access token (Account Settings > Tokens).", isRequired: true),
            ProviderOption(
                "team_id", help: "The team that owns the domain (team_…), when it is not the token's personal account.",
                isSecret: false),
            .apiEndpoint(VercelProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, "ALIAS", .caa, .cname, .mx, .ns, .srv, .txt],
        nameserverPatterns: ["*.vercel-dns.com"],
        defaultEndpoint: VercelProvider.endpoint,
        usesHTTP: true,
        minimumTTL: VercelProvider.minimumTTL,
        factory: { try VercelProvider(context: $0) })

    static let endpoint = "https://api.vercel.com"
    /// Vercel refuses TTLs below 60 seconds.
    static let minimumTTL = 60
    /// The most records a listing page may hold.
    static let pageLimit = 100

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    /// The `teamId` pair every request carries when a team is given.
    private let team: [(String, String)]

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        team = context.option("team_id").map { [("teamId", $0)] } ?? []
        let invoked = context.configNames[0]
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("Authorization", "Bearer \(try context.requiredOption("auth_token"))")],
            failure: HTTPFailure(
                provider: "vercel", service: "Vercel",
                credentials: "--auth-token or LEXICON_\(invoked.uppercased())_AUTH_TOKEN, and --team-id for a team's "
                    + "domain",
                rateLimitAdvice: "Vercel's X-RateLimit-Reset says when the limit resets"))
        // Vercel's error bodies are `{"error": {"code": "…", "message": "…"}}`.
        api.detail = JSONAPIClient.detail(joining: ["error", "code"], ["error", "message"])
        self.api = api
    }

    public func authenticate() async throws {
        try await api.get(
            path("/v5/domains/\(context.zone)"), operation: "read the domain",
            missing: .isUnknownZone(hint: "The account (or the team given with --team-id) has no such domain."))
    }

    public func add(_ record: Record) async throws {
        let answer = try await api.post(
            path("/v2/domains/\(context.zone)/records"),
            .object([("type", .string(record.type.rawValue))] + (try fields(record))), operation: "create a record")
        guard answer["uid"]?.string != nil else { throw api.unexpected("create a record") }
    }

    /// A `PATCH` by id alone (the path names no domain); a record's type never changes.
    public func replace(_ nativeID: String, with record: Record) async throws {
        try await api.patch(
            path("/v1/domains/records/\(nativeID)"), .object(try fields(record)), operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await api.delete(path("/v2/domains/\(context.zone)/records/\(nativeID)"), operation: "delete a record")
    }

    // MARK: - API

    /// Every page, newest first, following `pagination.next` (a creation time) as `until` until it is null; Vercel
    /// filters nothing on its side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var pages = PageGuard(
            provider: "vercel", service: "Vercel", operation: "list records", parameters: "until")
        var entries: [NativeRecord] = []
        var until: Int?
        repeat {
            let query = [("limit", "\(Self.pageLimit)")] + (until.map { [("until", "\($0)")] } ?? [])
            let answer = try await api.get(
                path("/v5/domains/\(context.zone)/records", query), operation: "list records",
                missing: .isUnknownZone(hint: "The account (or the team given with --team-id) has no such domain."))
            guard let records = answer["records"]?.array else { throw api.unexpected("list records") }
            try pages.read(records)
            for json in records { entries.append(try entry(json)) }
            until = records.isEmpty ? nil : answer["pagination"]?["next"]?.int
        } while until != nil
        return entries
    }

    private func path(_ path: String, _ query: [(String, String)] = []) -> String {
        let all = query + team
        return all.isEmpty ? path : path + "?" + URLQuery.encode(all)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let typeText = json["type"]?.string, let relative = json["name"]?.string,
            let value = json["value"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        var content = value
        switch type {
        case .cname, .ns, .mx, "ALIAS":
            content = RecordPresentation.bare(Substring(value))
        case .srv where value.split(separator: " ").count == 3:
            // `WEIGHT PORT TARGET` beside the priority field.
            content = SRVFields.join(priority: json["priority"]?.int ?? 0, value)
        case .srv:
            let fields = value.split(separator: " ")
            content = fields.dropLast().joined(separator: " ") + " " + RecordPresentation.bare(fields.last ?? "")
        default:
            break
        }
        let record = Record(
            type: type, name: context.absoluteName(relative, apex: ""), ttl: json["ttl"]?.int ?? context.defaultTTL,
            content: content, priority: type == .mx ? json["mxPriority"]?.int ?? 0 : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The fields of a create or an update: the apex as `""`, targets without their final dot, the MX priority as
    /// `mxPriority`, and SRV as an `srv` object instead of a value.
    private func fields(_ record: Record) throws -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("name", .string(context.relativeName(record.name, apex: ""))), ("ttl", .int(record.ttl)),
        ]
        switch record.type {
        case .srv:
            let (priority, value) = try SRVFields.split(record.content)
            let parts = value.split(separator: " ")
            fields.append(
                (
                    "srv",
                    .object([
                        ("priority", .int(priority)), ("weight", .int(Int(parts[0]) ?? 0)),
                        ("port", .int(Int(parts[1]) ?? 0)), ("target", .string(String(parts[2]))),
                    ])
                ))
        case .mx:
            fields.append(("value", .string(RecordPresentation.bare(Substring(record.content)))))
            fields.append(("mxPriority", .int(record.priority ?? 0)))
        case .cname, .ns, "ALIAS":
            fields.append(("value", .string(RecordPresentation.bare(Substring(record.content)))))
        default:
            fields.append(("value", .string(record.content)))
        }
        return fields
    }
}
