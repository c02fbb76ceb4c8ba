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
            .apiEndpoint(GandiProvider.endpoint),
        ],
        nameserverPatterns: ["*.gandi.net"],
        defaultEndpoint: GandiProvider.endpoint,
        usesHTTP: true, writeShape: .recordSets,
        factory: { try GandiProvider(context: $0) })

    static let endpoint = "https://api.gandi.net/v5/livedns"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let token = try context.requiredOption("auth_token")
        // Legacy API keys are 24 characters; personal access tokens are longer.
        let legacyKey = context.flag("api_key_mode") || token.count == 24
        let sentAs =
            legacyKey
            ? "sent as a legacy API key" : "sent as a personal access token (--api-key-mode sends it as an API key)"
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport,
            headers: [HTTPHeader("Authorization", (legacyKey ? "Apikey " : "Bearer ") + token)],
            failure: HTTPFailure(
                provider: "gandi", service: "Gandi", credentials: "--auth-token or LEXICON_GANDI_AUTH_TOKEN: \(sentAs)")
        )
        api.detail = { json in
            let errors = (json?["errors"]?.array ?? []).compactMap { $0["description"]?.string }
            return (json?["message"]?.string ?? json?["cause"]?.string ?? "") + errors.map { " " + $0 }.joined()
        }
        self.api = api
    }

    public func authenticate() async throws {
        _ = try await api.send(
            "GET", "/domains/\(context.zone)", operation: "read the domain",
            missing: .isUnknownZone(hint: "LiveDNS does not manage it."))
    }

    public func fetchSets() async throws -> [RecordSet] {
        let items = try await PageGuard.numbered(provider: "gandi", service: "Gandi", operation: "list records") {
            let response = try await api.send(
                "GET",
                "/domains/\(context.zone)/records?" + URLQuery.encode([("page", String($0)), ("per_page", "500")]),
                operation: "list records")
            guard let response,
                let items = try response.json(operation: "list records", provider: "gandi", service: "Gandi").array
            else { throw api.unexpected("list records") }
            return (items, nil, response.headers["total-count"].flatMap { Int($0) })
        }
        return try items.map { item in
            guard let relative = item["rrset_name"]?.string, let typeText = item["rrset_type"]?.string,
                let values = item["rrset_values"]?.array
            else { throw api.unexpected("list records") }
            return RecordSet(
                name: context.absoluteName(relative), type: RecordType(rawValue: typeText),
                ttl: item["rrset_ttl"]?.int ?? context.defaultTTL, presentation: values.compactMap(\.string))
        }
    }

    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        let body = JSONValue.object([
            ("rrset_ttl", .int(max(300, ttl))),
            ("rrset_values", .array(values.map { .string(RecordPresentation.rdata(of: $0)) })),
        ])
        try await api.put(setPath(name, type), body, operation: "write the \(type) set of \(name)")
    }

    public func deleteSet(_ set: RecordSet) async throws {
        let (name, type) = (set.name, set.type)
        try await api.delete(setPath(name, type), operation: "delete the \(type) set of \(name)")
    }

    private func setPath(_ name: String, _ type: RecordType) -> String {
        let relative = context.relativeName(name)
        return "/domains/\(context.zone)/records/\(URLQuery.escape(relative))/\(type.rawValue)"
    }
}
