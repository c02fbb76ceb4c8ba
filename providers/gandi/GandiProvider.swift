import Lexicon
import LexiconHTTP

/// Gandi LiveDNS through the v5 REST API, with a personal access token (`Authorization: Bearer`) or a legacy API
/// key (`Authorization: Apikey`): record sets read, merged and replaced one set at a time, every page of the
/// listing, values in presentation format (TXT quoted, names with their final dot).
public actor GandiProvider: RecordSetAPI {
    public static let descriptor = ProviderDescriptor(
        name: "gandi",
        summary: "Gandi LiveDNS (API v5) with a personal access token or a legacy API key.",
        options: [
            ProviderOption(
                "auth_token",
                help: "A personal access token (Domain: manage DNS), or a legacy 24-character API key.",
                isRequired: true),
            ProviderOption(
                "api_key_mode", help: "Send the token as a legacy API key (Apikey) whatever its length.", isFlag: true),
            ProviderOption(
                "api_endpoint", help: "The API's base URL.", isSecret: false, defaultValue: GandiProvider.endpoint,
                valueName: "URL"),
        ],
        nameserverPatterns: ["*.gandi.net"],
        defaultEndpoint: GandiProvider.endpoint,
        usesHTTP: true, writeShape: .recordSets,
        factory: { try GandiProvider(context: $0) })

    static let endpoint = "https://api.gandi.net/v5/livedns"

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let base: String
    private let authorization: String
    private let legacyKey: Bool

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        base = context.endpoint(default: Self.endpoint)
        let token = try context.requiredOption("auth_token")
        // Legacy API keys are 24 characters; personal access tokens are longer.
        legacyKey = context.flag("api_key_mode") || token.count == 24
        authorization = (legacyKey ? "Apikey " : "Bearer ") + token
    }

    public func authenticate() async throws {
        _ = try await send("GET", "/domains/\(context.zone)", operation: "read the domain")
    }

    public func fetchSets() async throws -> [RecordSet] {
        var sets: [RecordSet] = []
        var page = 1
        var pages = PageGuard(provider: "gandi", service: "Gandi", operation: "list records", parameters: "page")
        while true {
            let response = try await send(
                "GET",
                "/domains/\(context.zone)/records?" + URLQuery.encode([("page", String(page)), ("per_page", "500")]),
                operation: "list records")
            guard let items = try response.json(operation: "list records", provider: "gandi", service: "Gandi").array
            else { throw Self.unexpected("list records") }
            let total = response.headers["total-count"].flatMap { Int($0) }
            try pages.read(items, total: total)
            for item in items {
                guard let relative = item["rrset_name"]?.string, let typeText = item["rrset_type"]?.string,
                    let values = item["rrset_values"]?.array
                else { throw Self.unexpected("list records") }
                let type = RecordType(rawValue: typeText)
                let name = relative == "@" ? context.zone : (try? context.names.absolute(relative)) ?? relative
                let ttl = item["rrset_ttl"]?.int ?? context.defaultTTL
                let records = values.compactMap(\.string).map { value in
                    let parsed = RecordPresentation.content(of: value, type: type)
                    return Record(type: type, name: name, ttl: ttl, content: parsed.content, priority: parsed.priority)
                }
                sets.append(RecordSet(name: name, type: type, ttl: ttl, records: records))
            }
            if items.isEmpty || sets.count >= total ?? sets.count { break }
            page += 1
        }
        return sets
    }

    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        let body = JSONValue.object([
            ("rrset_ttl", .int(max(300, ttl))),
            ("rrset_values", .array(values.map { .string(RecordPresentation.rdata(of: $0)) })),
        ])
        _ = try await send(
            "PUT", setPath(name, type), body: body.encoded(), operation: "write the \(type) set of \(name)")
    }

    public func deleteSet(_ set: RecordSet) async throws {
        let (name, type) = (set.name, set.type)
        _ = try await send(
            "DELETE", setPath(name, type), operation: "delete the \(type) set of \(name)", missingIsFine: true)
    }

    private func setPath(_ name: String, _ type: RecordType) -> String {
        let relative = name == context.zone ? "@" : context.names.relative(name)
        return "/domains/\(context.zone)/records/\(URLQuery.escape(relative))/\(type.rawValue)"
    }

    static func unexpected(_ operation: String) -> LexiconError {
        LexiconError(
            .provider, "\(operation): Gandi answered JSON of an unexpected shape.", provider: "gandi")
    }

    private func send(
        _ method: String, _ path: String, body: [UInt8]? = nil, operation: String, missingIsFine: Bool = false
    ) async throws -> HTTPResponse {
        var headers = [HTTPHeader("Authorization", authorization), HTTPHeader("Accept", "application/json")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let response = try await transport.send(
            HTTPRequest(method: method, url: base + path, headers: headers, body: body))
        if (200..<300).contains(response.status) { return response }
        let json = try? JSONValue(parsing: response.body)
        switch response.status {
        case 404 where operation == "read the domain":
            throw LexiconError.domainNotFound(context.zone, provider: "gandi", hint: "LiveDNS does not manage it.")
        case 404 where missingIsFine:
            return response
        default:
            let what =
                legacyKey
                ? "sent as a legacy API key" : "sent as a personal access token (--api-key-mode sends it as an API key)"
            var detail = json?["message"]?.string ?? json?["cause"]?.string ?? ""
            if let errors = json?["errors"]?.array {
                detail += errors.compactMap { $0["description"]?.string }.map { " " + $0 }.joined()
            }
            throw HTTPFailure(
                provider: "gandi", service: "Gandi", credentials: "--auth-token or LEXICON_GANDI_AUTH_TOKEN: \(what)"
            ).error(response, operation: operation, detail: detail)
        }
    }
}
