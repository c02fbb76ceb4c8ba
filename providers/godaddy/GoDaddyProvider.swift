import Lexicon
import LexiconHTTP

/// GoDaddy DNS through the v1 REST API (`Authorization: sso-key KEY:SECRET`). GoDaddy replaces all records of a
/// type and name with one `PUT`: every change reads the zone completely (every page; an incomplete read stops the
/// change before anything is written), merges the one value, and writes that type-and-name list back, so no other
/// record is touched.
public actor GoDaddyProvider: RecordSetAPI {
    public static let descriptor = ProviderDescriptor(
        name: "godaddy",
        summary: "GoDaddy DNS (API v1) with a production API key and secret.",
        options: [
            ProviderOption("auth_key", help: "The API key.", isRequired: true),
            ProviderOption("auth_secret", help: "The API secret.", isRequired: true),
            .apiEndpoint(GoDaddyProvider.endpoint, help: "The API's base URL (OTE: https://api.ote-godaddy.com/v1)."),
        ],
        nameserverPatterns: ["*.domaincontrol.com"],
        defaultEndpoint: GoDaddyProvider.endpoint,
        usesHTTP: true, writeShape: .recordSets,
        factory: { try GoDaddyProvider(context: $0) })

    static let endpoint = "https://api.godaddy.com/v1"
    /// Records per listing page.
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
        let authorization =
            "sso-key \(try context.requiredOption("auth_key")):\(try context.requiredOption("auth_secret"))"
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("Authorization", authorization)],
            failure: HTTPFailure(provider: "godaddy", service: "GoDaddy", credentials: ""))
        api.detail = { json in
            let code = json?["code"]?.string ?? ""
            var detail = json?["message"]?.string ?? code
            if let fields = json?["fields"]?.array {
                detail += fields.compactMap { field in
                    field["message"]?.string.map { " " + (field["path"]?.string.map { "\($0): " } ?? "") + $0 }
                }.joined()
            }
            return detail
        }
        api.special = { response, json, operation in
            let code = json?["code"]?.string ?? ""
            switch response.status {
            case 401:
                return LexiconError(
                    .authentication,
                    "authentication failed (HTTP 401 \(code)) to \(operation); OTE keys only work with the OTE endpoint.",
                    provider: "godaddy",
                    hint: "Check --auth-key and --auth-secret (LEXICON_GODADDY_AUTH_KEY, LEXICON_GODADDY_AUTH_SECRET).")
            case 403:
                return LexiconError(
                    .authentication,
                    "GoDaddy refused access (HTTP 403 \(code)) to \(operation): since 2024 its DNS API is only open to accounts with enough domains or a Discount Domain Club plan.",
                    provider: "godaddy")
            case 429:
                return LexiconError(
                    .network, "GoDaddy kept answering 429 (60 requests a minute) to \(operation); wait a minute.",
                    provider: "godaddy")
            default:
                return nil
            }
        }
        self.api = api
    }

    public func authenticate() async throws {
        _ = try await api.send(
            "GET", "/domains/\(context.zone)", operation: "read the domain",
            missing: .isUnknownZone(hint: "The account has no such domain."))
    }

    /// The whole zone, page by page (`offset`, `limit`) until an empty page: GoDaddy may return fewer records than
    /// asked for without being at the end, and a partial read must never be written back.
    public func fetchSets() async throws -> [RecordSet] {
        var items: [JSONValue] = []
        var offset = 0
        var pages = PageGuard(provider: "godaddy", service: "GoDaddy", operation: "list records", parameters: "offset")
        while true {
            let answer = try await api.get(
                "/domains/\(context.zone)/records?"
                    + URLQuery.encode([("offset", String(offset)), ("limit", String(Self.pageSize))]),
                operation: "list records")
            guard let page = answer.array else {
                throw LexiconError(
                    .provider, "list records: GoDaddy answered JSON of an unexpected shape; nothing was changed.",
                    provider: "godaddy")
            }
            try pages.read(page)
            items += page
            if page.isEmpty { break }
            offset += page.count
        }
        var sets: [RecordSet] = []
        for item in items {
            guard let typeText = item["type"]?.string, let relative = item["name"]?.string,
                let data = item["data"]?.string
            else {
                throw LexiconError(.provider, "list records: a record without type, name or data.", provider: "godaddy")
            }
            let type = RecordType(rawValue: typeText)
            let name = context.absoluteName(relative)
            let ttl = item["ttl"]?.int ?? context.defaultTTL
            var content = data
            switch type {
            case .cname, .ns, .ptr, .mx:
                content = data == "@" ? context.zone : RecordPresentation.bare(Substring(data))
            case .srv:
                content =
                    "\(item["priority"]?.int ?? 0) \(item["weight"]?.int ?? 0) \(item["port"]?.int ?? 0) \(RecordPresentation.bare(Substring(data)))"
            default:
                break
            }
            let record = Record(
                type: type, name: name, ttl: ttl, content: content, priority: type == .mx ? item["priority"]?.int : nil)
            if let index = sets.firstIndex(where: { $0.name == name && $0.type == type }) {
                sets[index].records.append(record)
            } else {
                sets.append(RecordSet(name: name, type: type, ttl: ttl, records: [record]))
            }
        }
        return sets
    }

    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        let relative = context.relativeName(name)
        let body = JSONValue.array(
            try values.map { record in
                var pairs: [(String, JSONValue)] = [("ttl", .int(max(600, ttl)))]
                switch type {
                case .mx:
                    pairs += [("data", .string(record.content)), ("priority", .int(record.priority ?? 0))]
                case .srv:
                    let fields = record.content.split(separator: " ")
                    let labels = relative.split(separator: ".", maxSplits: 2)
                    guard fields.count == 4, let priority = Int(fields[0]), let weight = Int(fields[1]),
                        let port = Int(fields[2]), labels.count >= 2
                    else {
                        throw LexiconError.invalidInput(
                            "SRV content should be PRIORITY WEIGHT PORT TARGET at _service._proto.")
                    }
                    pairs += [
                        ("data", .string(String(fields[3]))), ("priority", .int(priority)), ("weight", .int(weight)),
                        ("port", .int(port)), ("service", .string(String(labels[0]))),
                        ("protocol", .string(String(labels[1]))),
                    ]
                default:
                    pairs.append(("data", .string(record.content)))
                }
                return .object(pairs)
            })
        try await api.put(
            "/domains/\(context.zone)/records/\(type.rawValue)/\(URLQuery.escape(relative))", body,
            operation: "write the \(type) records of \(name)")
    }

    public func deleteSet(_ set: RecordSet) async throws {
        let (name, type) = (set.name, set.type)
        let relative = context.relativeName(name)
        try await api.delete(
            "/domains/\(context.zone)/records/\(type.rawValue)/\(URLQuery.escape(relative))",
            operation: "delete the \(type) records of \(name)")
    }
}
