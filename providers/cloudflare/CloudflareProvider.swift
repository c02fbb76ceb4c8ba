import Lexicon
import LexiconHTTP

/// Cloudflare DNS through the v4 REST API: an API token (`Authorization: Bearer`), or the global API key with the
/// account's e-mail (`X-Auth-Email`, `X-Auth-Key`); every page of every listing; one record per value with
/// Cloudflare's own ids; a zone plan through the batch endpoint (`CloudflareProvider+Batch.swift`).
public actor CloudflareProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "cloudflare",
        summary: "Cloudflare DNS (API v4) with an API token or the global API key.",
        options: [
            ProviderOption(
                "auth_token",
                help: "An API token with Zone:DNS:Edit, or the global API key (then give --auth-username).",
                isRequired: true),
            ProviderOption(
                "auth_username", help: "The account e-mail, only with the global API key.", isSecret: false,
                valueName: "EMAIL"),
            ProviderOption(
                "zone_id", help: "The zone's id, for tokens limited to one zone (skips the zone lookup).",
                isSecret: false, valueName: "ID"),
            .apiEndpoint(CloudflareProvider.endpoint),
        ],
        nameserverPatterns: ["*.ns.cloudflare.com"],
        defaultEndpoint: CloudflareProvider.endpoint,
        usesHTTP: true,
        factory: { try CloudflareProvider(context: $0) })

    static let endpoint = "https://api.cloudflare.com/client/v4"

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let base: String
    private let authHeaders: [HTTPHeader]
    private let usesGlobalKey: Bool
    private var zoneID: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        base = context.endpoint(default: Self.endpoint)
        let token = try context.requiredOption("auth_token")
        if let email = context.option("auth_username") {
            authHeaders = [HTTPHeader("X-Auth-Email", email), HTTPHeader("X-Auth-Key", token)]
            usesGlobalKey = true
        } else {
            authHeaders = [HTTPHeader("Authorization", "Bearer \(token)")]
            usesGlobalKey = false
        }
        zoneID = context.option("zone_id")
    }

    public func authenticate() async throws {
        try await findZone()
    }

    private func findZone() async throws {
        if let zoneID {
            let answer = try await call("GET", "/zones/\(zoneID)", operation: "read the zone")
            guard answer["result"]?["name"]?.string?.lowercased() == context.zone else {
                throw LexiconError.domainNotFound(
                    context.zone, provider: "cloudflare", hint: "Zone \(zoneID) is another domain; check --zone-id.")
            }
            return
        }
        let answer = try await call(
            "GET", "/zones?" + URLQuery.encode([("name", context.zone), ("per_page", "50")]), operation: "find the zone"
        )
        guard
            let id = answer["result"]?.array?.first(where: { $0["name"]?.string?.lowercased() == context.zone })?["id"]?
                .string
        else {
            throw LexiconError.domainNotFound(
                context.zone, provider: "cloudflare",
                hint: "The account (or token) has no such zone; check the domain and the token's zone resources.")
        }
        zoneID = id
    }

    public func add(_ record: Record) async throws {
        // 81057/81058: the same record exists (created meanwhile): create is idempotent.
        _ = try await call(
            "POST", "/zones/\(try await zone())/dns_records", body: body(for: record), operation: "create a record",
            tolerating: { $0.codes.contains(81057) || $0.codes.contains(81058) })
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        _ = try await call(
            "PUT", "/zones/\(try await zone())/dns_records/\(nativeID)", body: body(for: record),
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        // Already gone (404): the outcome the user asked for.
        _ = try await call(
            "DELETE", "/zones/\(try await zone())/dns_records/\(nativeID)", operation: "delete a record",
            tolerating: { $0.status == 404 })
    }

    // MARK: - API

    func zone() async throws -> String {
        if let zoneID { return zoneID }
        try await findZone()
        return zoneID!
    }

    /// Every page of the zone's records, narrowed on the server by type and name where given.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let zone = try await zone()
        var filters: [(String, String)] = []
        if let type { filters.append(("type", type.rawValue)) }
        if let name { filters.append(("name", name)) }
        return try await PageGuard.numbered(
            provider: "cloudflare", service: "Cloudflare", operation: "list records", parameters: "page, per_page"
        ) { page in
            let query = [("page", String(page)), ("per_page", "5000")] + filters
            let answer = try await call(
                "GET", "/zones/\(zone)/dns_records?" + URLQuery.encode(query), operation: "list records")
            guard let results = answer["result"]?.array else { throw CloudflareAPIError.unexpected("list records") }
            let info = answer["result_info"]
            return (results, info?["total_pages"]?.int, info?["total_count"]?.int)
        }.map(entry)
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let typeText = json["type"]?.string, let name = json["name"]?.string,
            let content = json["content"]?.string
        else { throw CloudflareAPIError.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        var value = content
        // TXT content may come back quoted (Cloudflare keeps quotes it was given); the contract is unquoted.
        if type == .txt, content.count >= 2, content.hasPrefix("\""), content.hasSuffix("\"") {
            value = TXTPresentation.decode(content) ?? content
        } else if type.contentIsName || type == .mx {
            value = RecordPresentation.bare(Substring(content))
        }
        let record = Record(
            type: type, name: RecordPresentation.bare(Substring(name)), ttl: json["ttl"]?.int ?? context.defaultTTL,
            content: value, priority: type == .mx ? json["priority"]?.int : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    private func body(for record: Record) -> [UInt8] {
        Self.fields(of: record).encoded()
    }

    /// A record as Cloudflare's writes take it: type, name, content, TTL, and the priority of an MX.
    static func fields(of record: Record) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("type", .string(record.type.rawValue)), ("name", .string(record.name)),
            ("content", .string(record.content)), ("ttl", .int(record.ttl)),
        ]
        if record.type == .mx { pairs.append(("priority", .int(record.priority ?? 0))) }
        return .object(pairs)
    }

    /// Sends a request; an error answer `tolerating` accepts is `null`, any other is a one-line ``LexiconError``.
    @discardableResult
    func call(
        _ method: String, _ path: String, body: [UInt8]? = nil, operation: String,
        tolerating: (CloudflareAPIError) -> Bool = { _ in false }
    ) async throws -> JSONValue {
        var headers = authHeaders + [HTTPHeader("Accept", "application/json")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let response = try await transport.send(
            HTTPRequest(method: method, url: base + path, headers: headers, body: body))
        let json = try? JSONValue(parsing: response.body)
        if (200..<300).contains(response.status) && json == nil {
            return try response.json(operation: operation, provider: "cloudflare", service: "Cloudflare")
        }
        if (200..<300).contains(response.status), let json, json["success"]?.bool != false { return json }
        let errors = (json?["errors"]?.array ?? []).compactMap { error -> (Int, String)? in
            guard let code = error["code"]?.int else { return nil }
            return (code, error["message"]?.string ?? "")
        }
        let authCodes: Set<Int> = [6003, 6100, 6101, 6102, 6103, 6111, 9103, 9106, 9109, 10000]
        if response.status == 401 || response.status == 403 || errors.contains(where: { authCodes.contains($0.0) }) {
            let check =
                usesGlobalKey
                ? "--auth-username and --auth-token (the global API key), or LEXICON_CLOUDFLARE_AUTH_USERNAME and LEXICON_CLOUDFLARE_AUTH_TOKEN"
                : "--auth-token (an API token with Zone:DNS:Edit for this zone) or LEXICON_CLOUDFLARE_AUTH_TOKEN"
            throw LexiconError(
                .authentication, "authentication failed (HTTP \(response.status)) to \(operation). Check \(check).",
                provider: "cloudflare")
        }
        if response.status == 429 {
            throw LexiconError(
                .network, "Cloudflare kept answering 429 (rate limited) to \(operation); wait a few minutes.",
                provider: "cloudflare")
        }
        let error = CloudflareAPIError(
            status: response.status, operation: operation, errors: errors, notJSON: response.notJSONDetail)
        if tolerating(error) { return .null }
        throw LexiconError(.provider, error.description, provider: "cloudflare")
    }
}

/// A Cloudflare answer with `success: false`: its status, operation and error codes and messages.
struct CloudflareAPIError: CustomStringConvertible {
    var status: Int
    var operation: String
    var errors: [(Int, String)]
    /// What the body is when it is not JSON (a proxy's error page), or empty.
    var notJSON = ""

    var codes: [Int] { errors.map(\.0) }

    static func unexpected(_ operation: String) -> LexiconError {
        LexiconError(
            .provider, "\(operation): Cloudflare answered JSON of an unexpected shape.",
            provider: "cloudflare")
    }

    var description: String {
        let detail = errors.isEmpty ? notJSON : errors.map { "\($0.1) (\($0.0))" }.joined(separator: "; ")
        return "\(operation) failed with HTTP \(status)\(detail.isEmpty ? "" : ": " + detail)"
    }
}
