import Lexicon
import LexiconHTTP

/// Google Cloud DNS through its v1 REST API with a service account: an RS256 JWT assertion bought into a bearer
/// token (kept until it expires), the managed zone found by its `dnsName` over every page of the project's zones,
/// every page of its record sets, and each set written as one atomic change (`deletions` naming the set exactly as
/// read, `additions` the new one), so a set another writer changed meanwhile fails the change and is merged again.
///
/// A change answers `pending` or `done`; either way the zone already holds it (`done` only says the authoritative
/// servers were told), so the provider does not poll the change.
public actor GoogleCloudDNSProvider: RecordSetAPI {
    public static let descriptor = ProviderDescriptor(
        name: "googleclouddns",
        summary: "Google Cloud DNS (API v1) with a service account key.",
        options: [
            ProviderOption(
                "auth_service_account_info",
                help: "The JSON key of the service account: file::PATH, or base64:: followed by the file in base64.",
                isRequired: true, isSecret: true, valueName: "KEY"),
            ProviderOption(
                "token_endpoint",
                help:
                    "Where access tokens are bought; default: token_uri of the key, else \(GoogleServiceAccount.defaultTokenURI).",
                isSecret: false, valueName: "URL"),
            .apiEndpoint(GoogleCloudDNSProvider.endpoint),
        ],
        nameserverPatterns: ["ns-cloud-*.googledomains.com"],
        defaultEndpoint: GoogleCloudDNSProvider.endpoint,
        usesHTTP: true, writeShape: .recordSets,
        factory: { try GoogleCloudDNSProvider(context: $0) })

    static let endpoint = "https://dns.googleapis.com/dns/v1"
    static let credentials = "--auth-service-account-info (LEXICON_GOOGLECLOUDDNS_AUTH_SERVICE_ACCOUNT_INFO)"
    /// How a refused access token is told apart from a refused permission (403).
    static let tokenRefused = "the access token was refused (HTTP 401)"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private let tokens: OAuthTokenSource
    private let project: String
    private var zoneName: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let value = try context.requiredOption("auth_service_account_info")
        // dns-lexicon takes file:: and base64::; the JSON itself is unambiguous too.
        let account =
            value.drop { $0 == " " || $0 == "\n" }.hasPrefix("{")
            ? try GoogleServiceAccount(json: Array(value.utf8), provider: "googleclouddns")
            : try GoogleServiceAccount(optionValue: value, provider: "googleclouddns")
        project = account.projectID
        let transport = transport ?? CurlTransport(context: context)
        tokens = OAuthTokenSource.shared(
            grant: .serviceAccount(account, tokenURL: context.option("token_endpoint")), transport: transport,
            provider: "googleclouddns", service: "Google", credentialOptions: [Self.credentials])
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [],
            failure: HTTPFailure(
                provider: "googleclouddns", service: "Google Cloud DNS",
                credentials: "\(Self.credentials): the account needs the DNS Administrator role in its project"))
        api.detail = { json in
            let reasons = (json?["error"]?["errors"]?.array ?? []).compactMap { $0["reason"]?.string }
            let message = json?["error"]?["message"]?.string ?? ""
            return message + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))")
        }
        api.special = { response, json, operation in
            let reasons = (json?["error"]?["errors"]?.array ?? []).compactMap { $0["reason"]?.string }
            let message = json?["error"]?["message"]?.string ?? ""
            if response.status == 401 {
                return LexiconError(
                    .authentication, "\(operation): \(Self.tokenRefused).", provider: "googleclouddns",
                    hint: "Check \(Self.credentials).")
            }
            // A deletion that no longer matches the set (412), an addition of a set that exists (409), or a
            // deletion of a set that is gone (404 on the change's entity): another writer changed the set.
            let changed =
                (response.status == 412 && reasons.contains("conditionNotMet"))
                || (response.status == 409 && reasons.contains("alreadyExists"))
                || (response.status == 404 && message.contains("entity.change"))
            guard changed else { return nil }
            return LexiconError(
                .conflict, "\(operation): the set changed since it was read (\(message))", provider: "googleclouddns")
        }
        self.api = api
    }

    public func authenticate() async throws { _ = try await zone() }

    /// The managed zone's name, found by its `dnsName` among every page of the project's zones (a public zone
    /// before a private one of the same name).
    private func zone() async throws -> String {
        if let zoneName { return zoneName }
        let wanted = RecordPresentation.fqdn(context.zone)
        let found = try await everyPage(
            "/projects/\(project)/managedZones", field: "managedZones", operation: "list managed zones",
            missing: .isUnknownZone(hint: "Google Cloud DNS has no project \(project).")
        ).filter { ($0["dnsName"]?.string ?? "").lowercased() == wanted }
        let chosen = found.first { $0["visibility"]?.string != "private" } ?? found.first
        guard let name = chosen?["name"]?.string else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "googleclouddns",
                hint: "The project \(project) has no managed zone whose DNS name is \(wanted).")
        }
        zoneName = name
        return name
    }

    public func fetchSets() async throws -> [RecordSet] {
        let path = "/projects/\(project)/managedZones/\(URLQuery.escape(try await zone()))"
        let items = try await everyPage(
            path + "/rrsets", field: "rrsets", operation: "list record sets",
            missing: .isUnknownZone(hint: "The managed zone was deleted."))
        var sets: [RecordSet] = []
        for item in items {
            guard let name = item["name"]?.string, let type = item["type"]?.string,
                let values = item["rrdatas"]?.array?.compactMap(\.string)
            else { continue }  // routing policies carry no rrdatas: not records lexicon manages
            var set = RecordSet(
                name: RecordPresentation.bare(Substring(name)), type: RecordType(rawValue: type),
                ttl: item["ttl"]?.int ?? context.defaultTTL, presentation: values)
            set.rawValues = values
            sets.append(set)
        }
        return sets
    }

    /// Writes a set as one change: the set as read in `deletions`, the new one in `additions`.
    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        let added = Self.rrset(name: name, type: type, ttl: ttl, values: values.map(RecordPresentation.rdata))
        try await change(
            additions: [added], deletions: current.map { [Self.rrset($0)] } ?? [],
            operation: "write the \(type) set of \(name)")
    }

    public func deleteSet(_ set: RecordSet) async throws {
        try await change(
            additions: [], deletions: [Self.rrset(set)], operation: "delete the \(set.type) set of \(set.name)")
    }

    func change(additions: [JSONValue], deletions: [JSONValue], operation: String) async throws {
        let path = "/projects/\(project)/managedZones/\(URLQuery.escape(try await zone()))/changes"
        let body = JSONValue.object([("additions", .array(additions)), ("deletions", .array(deletions))])
        // Repeating a change that was applied fails its deletions, which reads as a conflict and merges again.
        let reply = try await call("POST", path, body: body, operation: operation, idempotent: true)
        guard reply["kind"]?.string == "dns#change" else { throw api.unexpected(operation) }
    }

    /// A request with the current token; a token refused before its expiry (revoked) is replaced once.
    private func call(
        _ method: String, _ path: String, body: JSONValue? = nil, operation: String,
        missing: JSONAPIClient.Missing = .fails, idempotent: Bool? = nil
    ) async throws -> JSONValue {
        var retried = false
        while true {
            let token = try await tokens.token()
            do {
                return try await api.call(
                    method, path, body: body, extraHeaders: [HTTPHeader("Authorization", token.authorization)],
                    operation: operation, missing: missing, idempotent: idempotent)
            } catch let error as LexiconError where !retried && error.message.contains(Self.tokenRefused) {
                retried = true
                await tokens.invalidate()
            }
        }
    }

    /// Every item of a listing that Google pages with `nextPageToken`.
    private func everyPage(_ path: String, field: String, operation: String, missing: JSONAPIClient.Missing)
        async throws -> [JSONValue]
    {
        var items: [JSONValue] = []
        var pages = PageGuard(
            provider: "googleclouddns", service: "Google Cloud DNS", operation: operation, parameters: "pageToken")
        var pageToken: String?
        repeat {
            let query = pageToken.map { "?" + URLQuery.encode([("pageToken", $0)]) } ?? ""
            let page = try await call("GET", path + query, operation: operation, missing: missing)
            // Google leaves out an empty list.
            guard let list = page[field]?.array ?? (page["kind"] == nil ? nil : []) else {
                throw api.unexpected(operation)
            }
            try pages.read(list)
            items += list
            pageToken = page["nextPageToken"]?.string
        } while pageToken?.isEmpty == false
        return items
    }

    static func rrset(name: String, type: RecordType, ttl: Int, values: [String]) -> JSONValue {
        .object([
            ("kind", .string("dns#resourceRecordSet")), ("name", .string(RecordPresentation.fqdn(name))),
            ("type", .string(type.rawValue)), ("ttl", .int(ttl)), ("rrdatas", .array(values.map { .string($0) })),
        ])
    }

    /// A set exactly as it was read, as a deletion must name it.
    static func rrset(_ set: RecordSet) -> JSONValue {
        let values = set.rawValues.isEmpty ? set.records.map(RecordPresentation.rdata) : set.rawValues
        return rrset(name: set.name, type: set.type, ttl: set.ttl, values: values)
    }
}
