import Lexicon
import LexiconHTTP

/// netcup DNS through the CCP JSON API: every call a `POST` of `{"action", "param"}` to one URL, a session from
/// `login` carried in every other call (and opened again once when netcup answers that it expired), answers in an
/// envelope whose `status` says whether the call worked (HTTP 200 either way), one record per value under netcup's
/// ids, names relative (the apex as `@`), the MX priority in its own field, and one TTL for the whole zone.
public actor NetcupProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "netcup",
        summary: "netcup DNS (CCP API) with the customer number, an API key and the API password.",
        options: [
            ProviderOption("auth_customer_id", help: "The netcup customer number.", isRequired: true),
            ProviderOption(
                "auth_api_key", help: "An API key (Customer Control Panel > Master Data > API).", isRequired: true),
            ProviderOption("auth_api_password", help: "The account's API password.", isRequired: true),
            .apiEndpoint(NetcupProvider.endpoint, help: "The API's URL; every call is a POST to it."),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt, "TLSA", "DS", "SSHFP", "SMIMEA", "OPENPGPKEY"],
        nameserverPatterns: ["root-dns.netcup.net", "second-dns.netcup.net", "third-dns.netcup.net"],
        defaultEndpoint: NetcupProvider.endpoint,
        usesHTTP: true,
        // 180 requests a minute, a set change is several: two sets at a time.
        applyConcurrency: 2,
        factory: { try NetcupProvider(context: $0) })

    static let endpoint = "https://ccp.netcup.net/run/webservice/servers/endpoint.php?JSON"
    static let credentials =
        "--auth-customer-id, --auth-api-key and --auth-api-password (or LEXICON_NETCUP_AUTH_CUSTOMER_ID, "
        + "LEXICON_NETCUP_AUTH_API_KEY and LEXICON_NETCUP_AUTH_API_PASSWORD)"
    /// netcup's status code for a session it does not know (expired after idling, or logged out).
    static let sessionInvalid = 4001

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private let customer: String
    private let key: String
    private let password: String
    /// The session of the last `login`, until `logout` or expiry.
    private var session: String?
    /// The zone's TTL, read with the records: netcup has no TTL per record.
    private var zoneTTL: Int?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        customer = try context.requiredOption("auth_customer_id")
        key = try context.requiredOption("auth_api_key")
        password = try context.requiredOption("auth_api_password")
        api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [],
            failure: HTTPFailure(
                provider: "netcup", service: "netcup", credentials: Self.credentials,
                rateLimitAdvice: "netcup allows 180 requests a minute"))
    }

    /// Reads the zone: wrong credentials fail the login, and a zone the account lacks is `No domain found`.
    public func authenticate() async throws {
        _ = try await zoneTTLValue()
    }

    public func add(_ record: Record) async throws {
        try await write([try entry(for: record, id: nil)], operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await write([try entry(for: record, id: nativeID)], operation: "update a record")
    }

    /// netcup needs the whole record beside `deleterecord`, so the record is read first; one already gone is done.
    public func remove(_ nativeID: String) async throws {
        guard let entry = try await rawRecords().first(where: { Self.text($0["id"]) == nativeID }) else { return }
        var fields = entry.object ?? []
        fields.removeAll { $0.0 == "deleterecord" || $0.0 == "state" }
        fields.append(("deleterecord", .bool(true)))
        try await write([.object(fields)], operation: "delete a record")
    }

    /// Ends the session after a change, so none is left open (a list leaves its session to expire).
    public func afterChanges() async throws {
        guard let current = session else { return }
        session = nil
        _ = try? await api.post(
            "", Self.envelope("logout", credentials(current)), operation: "log out", idempotent: true)
    }

    /// The whole zone in one answer (netcup has no paging), every record with the zone's TTL.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let ttl = try await zoneTTLValue()
        return try await rawRecords().map { try record($0, ttl: ttl) }
    }

    // MARK: - API

    private func zoneTTLValue() async throws -> Int {
        if let zoneTTL { return zoneTTL }
        let zone = try await call("infoDnsZone", [("domainname", .string(context.zone))], operation: Self.readZone)
        guard let ttl = Self.text(zone["ttl"]).flatMap({ Int($0) }) else { throw api.unexpected(Self.readZone) }
        zoneTTL = ttl
        return ttl
    }

    private func rawRecords() async throws -> [JSONValue] {
        let answer = try await call(
            "infoDnsRecords", [("domainname", .string(context.zone))], operation: "list records")
        guard let records = answer["dnsrecords"]?.array else { throw api.unexpected("list records") }
        return records
    }

    private func write(_ records: [JSONValue], operation: String) async throws {
        _ = try await call(
            "updateDnsRecords",
            [
                ("domainname", .string(context.zone)),
                ("dnsrecordset", .object([("dnsrecords", .array(records))])),
            ], operation: operation)
    }

    /// A call with the session, logging in first when there is none and once more when netcup says it expired.
    private func call(_ action: String, _ fields: [(String, JSONValue)], operation: String) async throws -> JSONValue {
        for attempt in 1...2 {
            let current = try await sessionID()
            let answer = try await api.post(
                "", Self.envelope(action, credentials(current) + fields), operation: operation,
                idempotent: action != "updateDnsRecords")
            if answer["status"]?.string == "error", Self.text(answer["statuscode"]) == String(Self.sessionInvalid),
                attempt == 1
            {
                context.logger.info("netcup: the session expired; logging in again")
                session = nil
                continue
            }
            return try result(answer, operation: operation)
        }
        throw api.unexpected(operation)
    }

    private func sessionID() async throws -> String {
        if let session { return session }
        let answer = try await api.post(
            "",
            Self.envelope(
                "login",
                [
                    ("customernumber", .string(customer)), ("apikey", .string(key)),
                    ("apipassword", .string(password)),
                ]), operation: "log in", idempotent: true)
        guard answer["status"]?.string == "success" else {
            if let limited = Self.rateLimited(answer, operation: "log in") { throw limited }
            throw LexiconError(
                .authentication, "authentication failed to log in: \(Self.message(answer))", provider: "netcup",
                hint: "Check \(Self.credentials).")
        }
        guard let id = answer["responsedata"]?["apisessionid"]?.string, !id.isEmpty else {
            throw api.unexpected("log in")
        }
        session = id
        return id
    }

    private func credentials(_ session: String) -> [(String, JSONValue)] {
        [("customernumber", .string(customer)), ("apikey", .string(key)), ("apisessionid", .string(session))]
    }

    /// The `responsedata` of a successful answer; an error answer fails with netcup's messages, as `No domain
    /// found` when it is about the zone.
    private func result(_ answer: JSONValue, operation: String) throws -> JSONValue {
        switch answer["status"]?.string {
        case "success", "warning":
            return answer["responsedata"] ?? .null
        case "error":
            if let limited = Self.rateLimited(answer, operation: operation) { throw limited }
            let message = Self.message(answer)
            let code = Self.text(answer["statuscode"]) ?? ""
            if operation == Self.readZone || message.lowercased().contains("could not be found") {
                throw LexiconError.domainNotFound(
                    context.zone, provider: "netcup",
                    hint: "netcup answered \"\(message)\" (\(code)); the account may lack the domain, or its DNS may "
                        + "not be managed by netcup.")
            }
            throw LexiconError(.provider, "\(operation) failed: \(message) (\(code))", provider: "netcup")
        default:
            throw api.unexpected(operation)
        }
    }

    // MARK: - Mapping

    private func record(_ json: JSONValue, ttl: Int) throws -> NativeRecord {
        guard let id = Self.text(json["id"]), let typeText = json["type"]?.string,
            let hostname = json["hostname"]?.string, let destination = json["destination"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText.uppercased())
        var content = destination
        if [.cname, .ns, .mx].contains(type) { content = RecordPresentation.bare(Substring(destination)) }
        let record = Record(
            type: type, name: context.absoluteName(hostname.lowercased()), ttl: ttl, content: content,
            priority: type == .mx ? Self.text(json["priority"]).flatMap { Int($0) } ?? 0 : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// A record to send: refused when it asks for a TTL other than the zone's, which netcup cannot give one record.
    private func entry(for record: Record, id: String?) throws -> JSONValue {
        if let zoneTTL, record.ttl != zoneTTL, record.ttl != context.defaultTTL {
            throw LexiconError(
                .invalidInput,
                "netcup has no TTL per record: every record of \(context.zone) has the zone's TTL \(zoneTTL), so "
                    + "--ttl \(record.ttl) cannot be set. Leave --ttl out, or change the zone's TTL in the "
                    + "Customer Control Panel.",
                provider: "netcup")
        }
        var fields: [(String, JSONValue)] = id.map { [("id", .string($0))] } ?? []
        fields += [
            ("hostname", .string(context.relativeName(record.name, apex: "@"))),
            ("type", .string(record.type.rawValue)),
        ]
        if record.type == .mx { fields.append(("priority", .string(String(record.priority ?? 0)))) }
        fields.append(("destination", .string(record.content)))
        fields.append(("deleterecord", .bool(false)))
        return .object(fields)
    }

    /// The operation that checks the credentials and the zone.
    static let readZone = "read the zone"

    private static func envelope(_ action: String, _ param: [(String, JSONValue)]) -> JSONValue {
        .object([("action", .string(action)), ("param", .object(param))])
    }

    /// netcup's refusal of more than 180 requests a minute (an error envelope, at login too), as a network error
    /// rather than a credentials one; nil for other answers.
    private static func rateLimited(_ answer: JSONValue, operation: String) -> LexiconError? {
        let message = message(answer)
        guard message.lowercased().contains("requests per minute") else { return nil }
        return LexiconError(
            .network, "netcup refused to \(operation): \(message) Wait a minute and run the command again.",
            provider: "netcup")
    }

    private static func message(_ answer: JSONValue) -> String {
        let parts = [answer["shortmessage"]?.string, answer["longmessage"]?.string].compactMap { $0 }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A field netcup may answer as a string or a number (`"10"`, `10`).
    private static func text(_ value: JSONValue?) -> String? {
        value?.string ?? value?.int.map(String.init)
    }
}
