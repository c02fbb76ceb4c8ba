import Lexicon
import LexiconHTTP

/// DNSPod through its legacy API at dnsapi.cn: every call a form `POST /ACTION` carrying
/// `login_token=ID,TOKEN&format=json` and a `User-Agent` naming the program, answered with
/// `{"status": {"code", "message"}, …}`, code `"1"` for success. One record per value under DNSPod's record id, in
/// DNSPod's record model (``HostValueFields``); an empty listing is code `"10"`. New users should take `qcloud`.
public actor DNSPodProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "dnspod",
        summary: "DNSPod's legacy dnsapi.cn API with an API token (new users: qcloud).",
        options: [
            ProviderOption(
                "auth_username", help: "The ID of a DNSPod API token (the number before the comma of login_token).",
                isRequired: true, isSecret: false, valueName: "ID"),
            ProviderOption("auth_token", help: "The token itself.", isRequired: true),
            .apiEndpoint(DNSPodProvider.endpoint),
        ],
        recordTypes: HostValueFields.recordTypes,
        defaultEndpoint: DNSPodProvider.endpoint,
        usesHTTP: true, minimumTTL: HostValueFields.minimumTTL,
        factory: { try DNSPodProvider(context: $0) })

    static let endpoint = "https://dnsapi.cn"
    /// DNSPod asks every client to name itself as `Program/Version (contact)`.
    static let userAgent = "lexicon-swift/0.1 (dnspod client)"
    /// The codes of a refused token: login failed, no right to the API, too many failures, a locked account, a
    /// login from outside the allowed area.
    static let authenticationCodes: Set<String> = ["-1", "-7", "-8", "83", "85"]
    /// The codes of a domain the token's account does not hold: a wrong domain, not the owner.
    static let unknownDomainCodes: Set<String> = ["6", "7", "9"]
    /// The code of a client over DNSPod's request limit.
    static let rateLimitCode = "-2"
    /// How often a rate-limited call is sent again.
    static let attempts = 4

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let url: String
    private let loginToken: String

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context, userAgent: Self.userAgent)
        url = context.endpoint(default: Self.endpoint)
        loginToken = try context.requiredOption("auth_username") + "," + context.requiredOption("auth_token")
    }

    public func authenticate() async throws {
        try await call("Domain.Info", [], operation: "read the domain")
    }

    /// A value DNSPod already holds (another writer added it since the listing) is there, as wanted (code 104).
    public func add(_ record: Record) async throws {
        do {
            try await call("Record.Create", try fields(record), operation: "create a record")
        } catch let error as LexiconError where error.message.contains("(code 104)") {
            return
        }
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await call(
            "Record.Modify", [("record_id", nativeID)] + (try fields(record)), operation: "update a record")
    }

    /// A record another writer deleted since the listing is gone, as wanted: a refusal is checked against a fresh
    /// listing.
    public func remove(_ nativeID: String) async throws {
        do {
            try await call("Record.Remove", [("record_id", nativeID)], operation: "delete a record")
        } catch let error as LexiconError where error.code == .provider {
            guard try await fetch(type: nil, name: nil).contains(where: { $0.nativeID == nativeID }) else { return }
            throw error
        }
    }

    // MARK: - API

    /// Every page of `Record.List` by `offset`, narrowed by host and type on DNSPod's side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var filter = [("length", "3000")]
        if let name { filter.append(("sub_domain", context.relativeName(name))) }
        if let type { filter.append(("record_type", type.rawValue)) }
        var pages = PageGuard(provider: "dnspod", service: "DNSPod", operation: "list records", parameters: "offset")
        var entries: [NativeRecord] = []
        while true {
            let answer: JSONValue
            do {
                answer = try await call(
                    "Record.List", filter + [("offset", String(entries.count))], operation: "list records")
            } catch let error as LexiconError where error.message.contains("(code 10)") {
                // DNSPod answers an empty listing (or a page past the end) with code 10.
                return entries
            }
            guard let records = answer["records"]?.array else { throw unexpected("list records") }
            let info = answer["info"]
            let total = (info?["records_num"] ?? info?["record_total"])?.string.flatMap { Int($0) }
            try pages.read(records, total: total)
            for json in records { entries.append(try entry(json)) }
            if records.isEmpty || entries.count >= total ?? entries.count { return entries }
        }
    }

    /// A listed record; the legacy API gives ids, TTLs and priorities as strings.
    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let type = json["type"]?.string, let name = json["name"]?.string,
            let value = json["value"]?.string
        else { throw unexpected("list records") }
        return NativeRecord(
            nativeID: id,
            record: HostValueFields.record(
                context, name: name, type: type, value: value, ttl: json["ttl"]?.string.flatMap { Int($0) },
                mx: json["mx"]?.string.flatMap { Int($0) }))
    }

    /// The fields of a create or an update, on the default line.
    private func fields(_ record: Record) throws -> [(String, String)] {
        let fields = try HostValueFields.fields(context, record)
        var pairs = [
            ("sub_domain", fields.host), ("record_type", record.type.rawValue),
            ("record_line", HostValueFields.dnspodDefaultLine), ("value", fields.value), ("ttl", String(fields.ttl)),
        ]
        if let mx = fields.mx { pairs.append(("mx", String(mx))) }
        return pairs
    }

    /// One call: a form `POST /ACTION` for the zone; the answer of code `"1"`, or the error its code tells. Over the
    /// request limit (code -2, nothing done), the call is sent again after a pause.
    @discardableResult
    private func call(_ action: String, _ parameters: [(String, String)], operation: String) async throws
        -> JSONValue
    {
        var attempt = 1
        while true {
            do {
                return try await callOnce(action, parameters, operation: operation)
            } catch let error as LexiconError where error.message.contains("(code \(Self.rateLimitCode))") {
                guard attempt < Self.attempts else {
                    throw LexiconError(.network, error.message, provider: "dnspod")
                }
                try await Task.sleep(for: .milliseconds(250 << attempt))
                attempt += 1
            }
        }
    }

    private func callOnce(_ action: String, _ parameters: [(String, String)], operation: String) async throws
        -> JSONValue
    {
        let form = [("login_token", loginToken), ("format", "json"), ("lang", "en"), ("domain", context.zone)]
        let response = try await transport.send(
            HTTPRequest(
                method: "POST", url: url + "/" + action,
                headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(URLQuery.encode(form + parameters).utf8),
                idempotent: ["Domain.Info", "Record.List", "Record.Modify", "Record.Remove"].contains(action)))
        guard (200..<300).contains(response.status), let json = try? JSONValue(parsing: response.body),
            let code = json["status"]?["code"]?.string
        else {
            throw LexiconError(
                .provider,
                "\(operation) failed with HTTP \(response.status) and no DNSPod status\(response.notJSONDetail.isEmpty ? "" : ": " + response.notJSONDetail).",
                provider: "dnspod")
        }
        if code == "1" { return json }
        let message = json["status"]?["message"]?.string ?? ""
        let said = "\(message.isEmpty ? "error" : message) (code \(code))"
        if Self.authenticationCodes.contains(code) {
            throw LexiconError(
                .authentication, "authentication failed to \(operation): DNSPod answered \(said).", provider: "dnspod",
                hint: "Check --auth-username (the token's ID) and --auth-token (LEXICON_DNSPOD_AUTH_USERNAME, "
                    + "LEXICON_DNSPOD_AUTH_TOKEN).")
        }
        if Self.unknownDomainCodes.contains(code) {
            throw LexiconError.domainNotFound(context.zone, provider: "dnspod", hint: "DNSPod answered \(said).")
        }
        throw LexiconError(.provider, "\(operation) failed: DNSPod answered \(said).", provider: "dnspod")
    }

    private func unexpected(_ operation: String) -> LexiconError {
        LexiconError(.provider, "\(operation): DNSPod answered JSON of an unexpected shape.", provider: "dnspod")
    }
}
