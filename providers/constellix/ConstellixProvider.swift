import Lexicon
import LexiconHTTP

/// Constellix DNS through the REST API v1: every request signed with the API key, the request time in milliseconds
/// and the base64 HMAC-SHA1 of that time under the secret key; the domain's id from its name; one record per name
/// and type holding every value (`roundRobin`, or `host` for a CNAME) under Constellix's id, written whole; names
/// relative to the domain (`""` for the apex), TXT values quoted, targets with their final dot, the MX priority as
/// each value's `level`.
public actor ConstellixProvider: RecordSetAPI {
    public static let descriptor = ProviderDescriptor(
        name: "constellix",
        summary: "Constellix DNS (API v1) with an API key and its secret key.",
        options: [
            ProviderOption("auth_username", help: "The Constellix API key (Edit My Profile > API).", isRequired: true),
            ProviderOption(
                "auth_token", help: "The Constellix secret key that goes with the API key.", isRequired: true),
            .apiEndpoint(ConstellixProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .cname, .mx, .ns, .txt],
        nameserverPatterns: ["*.constellix.com", "*.constellix.net"],
        defaultEndpoint: ConstellixProvider.endpoint,
        usesHTTP: true,
        writeShape: .recordSets,
        factory: { try ConstellixProvider(context: $0) })

    static let endpoint = "https://api.dns.constellix.com/v1"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    /// The domain's id, once read.
    private var domainID: Int?
    /// Constellix's record id of each set, by type and absolute name, from the last listing.
    private var ids: [String: Int] = [:]

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let apiKey = try context.requiredOption("auth_username")
        let secret = Array(try context.requiredOption("auth_token").utf8)
        // Every request carries the key, the time in milliseconds and the HMAC of that time.
        let signing = SigningTransport(transport ?? CurlTransport(context: context)) { request in
            let date = String(RequestDate.milliseconds())
            var signed = request
            signed.headers += [
                HTTPHeader("x-cnsdns-apiKey", apiKey), HTTPHeader("x-cnsdns-requestDate", date),
                HTTPHeader("x-cnsdns-hmac", Base64.encode(Digest.hmac(.sha1, key: secret, Array(date.utf8)))),
            ]
            return signed
        }
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: signing, headers: [],
            failure: HTTPFailure(
                provider: "constellix", service: "Constellix",
                credentials: "--auth-username (the API key) and --auth-token (the secret key) "
                    + "(LEXICON_CONSTELLIX_AUTH_USERNAME, LEXICON_CONSTELLIX_AUTH_TOKEN) and this machine's clock",
                rateLimitAdvice: "Constellix allows a limited number of requests per 5 minutes"))
        // Constellix's error bodies are `{"errors": ["…", …]}`.
        api.detail = { json in json?["errors"]?.array?.compactMap(\.string).joined(separator: "; ") ?? "" }
        self.api = api
    }

    public func authenticate() async throws {
        _ = try await domain()
    }

    /// The domain's id, from the account's domains (`GET /domains`).
    private func domain() async throws -> Int {
        if let domainID { return domainID }
        let answer = try await api.get("/domains", operation: "list domains")
        guard let domains = answer.array else { throw api.unexpected("list domains") }
        guard let id = domains.first(where: { $0["name"]?.string?.lowercased() == context.zone })?["id"]?.int else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "constellix", hint: "The account has no such domain.")
        }
        domainID = id
        return id
    }

    // MARK: - Record sets

    /// The domain's records of every type (`GET /domains/{id}/records`), one set each.
    public func fetchSets() async throws -> [RecordSet] {
        let id = try await domain()
        let answer = try await api.get("/domains/\(id)/records", operation: "list records")
        guard let items = answer.array else { throw api.unexpected("list records") }
        var sets: [RecordSet] = []
        ids = [:]
        for item in items {
            guard let rid = item["id"]?.int, let typeText = item["type"]?.string, let relative = item["name"]?.string
            else { throw api.unexpected("list records") }
            let type = RecordType(rawValue: typeText.uppercased())
            let name = context.absoluteName(relative.lowercased(), apex: "")
            let ttl = item["ttl"]?.int ?? context.defaultTTL
            var values: [(String, Int?)] = []
            if type == .cname {
                values = item["host"]?.string.map { [($0, nil)] } ?? []
            } else {
                for value in item["roundRobin"]?.array ?? [] {
                    guard let text = value["value"]?.string else { throw api.unexpected("list records") }
                    values.append((text, value["level"]?.int))
                }
            }
            let records = values.map { value, level in
                Record(
                    type: type, name: name, ttl: ttl, content: content(of: value, type: type),
                    priority: type == .mx ? level ?? 0 : nil)
            }
            ids[key(name, type)] = rid
            sets.append(RecordSet(name: name, type: type, ttl: ttl, records: records))
        }
        return sets
    }

    /// A `POST` of a new set, or a `PUT` of the set under its id.
    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        let domain = try await domain()
        var pairs: [(String, JSONValue)] = [
            ("name", .string(context.relativeName(name, apex: ""))), ("ttl", .int(ttl)),
        ]
        if type == .cname {
            pairs.append(("host", .string(values.last.map { value(of: $0) } ?? "")))
        } else {
            pairs.append(("roundRobin", .array(values.map(roundRobin))))
        }
        let operation = "write the \(type) set of \(name)"
        if current != nil, let rid = ids[key(name, type)] {
            try await api.call(
                "PUT", "/domains/\(domain)/records/\(type.rawValue)/\(rid)", body: .object(pairs),
                operation: operation)
        } else {
            try await api.call(
                "POST", "/domains/\(domain)/records/\(type.rawValue)", body: .object(pairs),
                operation: operation)
        }
    }

    public func deleteSet(_ set: RecordSet) async throws {
        let domain = try await domain()
        guard let rid = ids[key(set.name, set.type)] else { return }
        try await api.call(
            "DELETE", "/domains/\(domain)/records/\(set.type.rawValue)/\(rid)",
            operation: "delete the \(set.type) set of \(set.name)", missing: .isFine)
    }

    private func key(_ name: String, _ type: RecordType) -> String { type.rawValue + " " + name }

    /// A value as lexicon holds it: TXT unquoted, targets without their final dot (a target without one is relative
    /// to the domain).
    private func content(of value: String, type: RecordType) -> String {
        switch type {
        case .txt where value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\""):
            return TXTPresentation.decode(value) ?? value
        case .cname, .ns, .mx:
            if value.hasSuffix(".") { return RecordPresentation.bare(Substring(value)) }
            return value.isEmpty ? context.zone : value + "." + context.zone
        default:
            return value
        }
    }

    /// A value as Constellix takes it: TXT quoted, targets with their final dot.
    private func value(of record: Record) -> String {
        switch record.type {
        case .txt: return "\"" + TXTPresentation.escape(Array(record.content.utf8)) + "\""
        case .cname, .ns, .mx: return RecordPresentation.bare(Substring(record.content)) + "."
        default: return record.content
        }
    }

    private func roundRobin(_ record: Record) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("value", .string(value(of: record))), ("disableFlag", .bool(false))]
        if record.type == .mx { pairs.append(("level", .int(record.priority ?? 0))) }
        return .object(pairs)
    }
}
