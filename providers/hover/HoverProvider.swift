import Lexicon
import LexiconHTTP

/// Hover DNS through the unofficial JSON API its control panel uses (Hover publishes no API; the calls are those
/// dns-lexicon makes): a cookie session from `GET /signin` (`hover_session`), `POST /signin/auth.json` with the
/// username and password and, for accounts with two-factor login, `POST /signin/auth2.json` with a TOTP code,
/// which sets `hoverauth`; then `GET /api/domains`, `GET /api/control_panel/dns/{domain}`, `POST
/// /api/control_panel/dns` (one record) and `DELETE /api/control_panel/dns` (ids), never with an empty body (Hover
/// refuses those). Names are relative (the apex `@`); MX and SRV carry their numbers in the content. There is no
/// update call: an update adds the new record, then deletes the old one.
public actor HoverProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "hover",
        summary: "Hover DNS (unofficial control-panel API) with the account's username, password and TOTP secret.",
        options: [
            ProviderOption("auth_username", help: "The Hover account's username.", isRequired: true, isSecret: false),
            ProviderOption("auth_password", help: "The Hover account's password.", isRequired: true),
            ProviderOption(
                "auth_totp_secret",
                help: "The base32 secret of the account's authenticator-app two-factor login (shown when it is set up)."
            ),
            .apiEndpoint(HoverProvider.endpoint, help: "The API's base URL; the sign-in pages are on the same site."),
        ],
        recordTypes: [.a, .aaaa, .cname, .mx, .srv, .txt],
        nameserverPatterns: ["*.hover.com"],
        defaultEndpoint: HoverProvider.endpoint,
        usesHTTP: true,
        factory: { try HoverProvider(context: $0) })

    static let endpoint = "https://www.hover.com/api"
    static let credentials =
        "--auth-username, --auth-password and --auth-totp-secret (LEXICON_HOVER_AUTH_USERNAME, "
        + "LEXICON_HOVER_AUTH_PASSWORD, LEXICON_HOVER_AUTH_TOTP_SECRET)"

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private let transport: any HTTPTransport
    /// The site the sign-in pages are on: the API's base without its `/api`.
    private let site: String
    private let username: String
    private let password: String
    private let totp: TOTP?
    /// The session's `Cookie` header once signed in.
    private var cookies: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    /// - Throws: ``LexiconError`` `config` without a username and password, or with a TOTP secret that is not base32.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let transport = transport ?? CurlTransport(context: context)
        self.transport = transport
        username = try context.requiredOption("auth_username")
        password = try context.requiredOption("auth_password")
        totp = try context.option("auth_totp_secret").map {
            try TOTP(base32: $0, option: "--auth-totp-secret", provider: "hover")
        }
        api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [],
            failure: HTTPFailure(provider: "hover", service: "Hover", credentials: Self.credentials))
        let base = context.endpoint(default: Self.endpoint)
        site = base.hasSuffix("/api") ? String(base.dropLast(4)) : base
    }

    /// Signs in and checks that the account has the domain.
    public func authenticate() async throws {
        let domains = try await call("GET", "/domains", operation: "list the domains")["domains"]?.array ?? []
        guard domains.contains(where: { $0["domain_name"]?.string?.lowercased() == context.zone }) else {
            throw LexiconError.domainNotFound(context.zone, provider: "hover", hint: "The account has no such domain.")
        }
    }

    public func add(_ record: Record) async throws {
        try await call(
            "POST", "/control_panel/dns",
            body: .object([("id", .string("domain-" + context.zone)), ("dns_record", fields(record))]),
            operation: "create a record")
    }

    /// Hover has no update: the new record is added first and the old one deleted after, so a failure leaves the
    /// old value rather than nothing. A change of TTL alone, and a CNAME (which stands alone at its name), delete
    /// first, as Hover refuses the same value twice and a second record beside a CNAME.
    public func replace(_ nativeID: String, with record: Record) async throws {
        let old = try await fetch(type: nil, name: nil).first { $0.nativeID == nativeID }?.record
        if let old, old.sameValue(as: record) || old.type == .cname || record.type == .cname {
            try await remove(nativeID)
            try await add(record)
        } else {
            try await add(record)
            try await remove(nativeID)
        }
    }

    public func remove(_ nativeID: String) async throws {
        let domain = JSONValue.object([
            ("id", .string("domain-" + context.zone)), ("dns_records", .array([.string(nativeID)])),
        ])
        try await call(
            "DELETE", "/control_panel/dns", body: .object([("domains", .array([domain]))]),
            operation: "delete a record", missing: .isFine)
    }

    /// The whole zone in one answer; Hover filters nothing on its side.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        let answer = try await call(
            "GET", "/control_panel/dns/" + URLQuery.escape(context.zone), operation: "list records",
            missing: .isUnknownZone(hint: "The account has no such domain."))
        guard let records = answer["domain"]?["dns"]?.array else { throw api.unexpected("list records") }
        return try records.map(entry)
    }

    // MARK: - Session

    /// A request in the session; a session Hover no longer accepts (401) is opened again once.
    @discardableResult
    private func call(
        _ method: String, _ path: String, body: JSONValue? = nil, operation: String,
        missing: JSONAPIClient.Missing = .fails
    ) async throws -> JSONValue {
        var attempt = 1
        while true {
            let cookie = try await session()
            do {
                return try await api.call(
                    method, path, body: body, extraHeaders: [HTTPHeader("Cookie", cookie)], operation: operation,
                    missing: missing, idempotent: method != "POST")
            } catch let error as LexiconError where error.code == .authentication && attempt == 1 {
                context.logger.info("hover: the session was refused; signing in again")
                cookies = nil
                attempt += 1
            }
        }
    }

    /// Signs in once: the `hover_session` cookie from the sign-in page, the password, then the TOTP code when Hover
    /// asks for the second factor; the session is the cookies, `hoverauth` among them.
    private func session() async throws -> String {
        if let cookies { return cookies }
        var jar: [(String, String)] = []
        _ = try await signIn("GET", "/signin", body: nil, jar: &jar, operation: "open the sign-in page")
        let first = try await signIn(
            "POST", "/signin/auth.json",
            body: .object([("username", .string(username)), ("password", .string(password))]), jar: &jar,
            operation: "sign in")
        if !jar.contains(where: { $0.0 == "hoverauth" }) {
            // `{"status": "need_2fa", "type": "app"}`: only an authenticator app's code can be computed here.
            if let kind = first["type"]?.string, first["status"]?.string == "need_2fa", kind != "app" {
                throw LexiconError(
                    .authentication,
                    "Hover sends this account's two-factor code by \(DisplayText.escaped(Array(kind.utf8), limit: 20)); "
                        + "lexicon can answer only an authenticator-app (TOTP) code.", provider: "hover",
                    hint: "Switch the account's two-factor login to an authenticator app and give its secret with "
                        + "--auth-totp-secret.")
            }
            guard let totp else {
                throw LexiconError(
                    .authentication, "Hover asks for a two-factor code after the password.", provider: "hover",
                    hint: "Give the base32 secret of the account's authenticator app with --auth-totp-secret "
                        + "(LEXICON_HOVER_AUTH_TOTP_SECRET).")
            }
            // A code about to expire may reach Hover expired; wait for the next one.
            if totp.secondsLeft() <= 2 { try await Task.sleep(for: .seconds(totp.secondsLeft() + 1)) }
            _ = try await signIn(
                "POST", "/signin/auth2.json", body: .object([("code", .string(totp.code()))]), jar: &jar,
                operation: "send the two-factor code")
        }
        guard jar.contains(where: { $0.0 == "hoverauth" }) else {
            throw LexiconError(
                .provider, "sign in: Hover answered without its session cookie (hoverauth).", provider: "hover")
        }
        let header = jar.map { "\($0.0)=\($0.1)" }.joined(separator: "; ")
        cookies = header
        return header
    }

    /// One sign-in request with the cookies so far; the cookies it sets join the jar. A refusal (HTTP 4xx, or
    /// `"succeeded": false`) is an authentication failure.
    private func signIn(
        _ method: String, _ path: String, body: JSONValue?, jar: inout [(String, String)], operation: String
    ) async throws -> JSONValue {
        var headers = [HTTPHeader("Accept", "application/json")]
        if !jar.isEmpty { headers.append(HTTPHeader("Cookie", jar.map { "\($0.0)=\($0.1)" }.joined(separator: "; "))) }
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let response = try await transport.send(
            HTTPRequest(method: method, url: site + path, headers: headers, body: body?.encoded(), idempotent: true))
        for line in (response.headers["set-cookie"] ?? "").split(separator: "\n") {
            guard let pair = line.split(separator: ";").first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals].drop { $0 == " " })
            jar.removeAll { $0.0 == name }
            jar.append((name, String(pair[pair.index(after: equals)...])))
        }
        let json = try? JSONValue(parsing: response.body)
        let refused = json?["succeeded"]?.bool == false
        if (400..<500).contains(response.status) || refused {
            let reason = json?["error"]?.string ?? json?["errors"]?.array?.first?.string ?? ""
            throw LexiconError(
                .authentication,
                "authentication failed to \(operation) (HTTP \(response.status))\(reason.isEmpty ? "" : ": " + reason).",
                provider: "hover", hint: "Check \(Self.credentials).")
        }
        guard (200..<400).contains(response.status) else {
            throw api.failure.error(response, operation: operation, detail: json?["error"]?.string ?? "")
        }
        return json ?? .null
    }

    // MARK: - Mapping

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = json["id"]?.string, let typeText = json["type"]?.string, let name = json["name"]?.string,
            let data = json["content"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText.uppercased())
        var content = data
        var priority: Int?
        switch type {
        case .cname:
            content = RecordPresentation.bare(Substring(data))
        case .mx:
            (content, priority) = RecordPresentation.content(of: data, type: .mx)
            priority = priority ?? 0
        case .srv:
            content = RecordPresentation.content(of: data, type: .srv).content
        default:
            break
        }
        let ttl = json["ttl"]?.int ?? json["ttl"]?.string.flatMap { Int($0) } ?? context.defaultTTL
        let record = Record(
            type: type, name: context.absoluteName(name.lowercased()), ttl: ttl, content: content, priority: priority)
        return NativeRecord(nativeID: id, record: record)
    }

    /// A record to add: the relative name, MX as `PRIORITY TARGET`, and the TTL as a string, as the panel sends it.
    private func fields(_ record: Record) -> JSONValue {
        var content = record.content
        if record.type == .mx { content = "\(record.priority ?? 0) \(record.content)" }
        return .object([
            ("name", .string(context.relativeName(record.name))), ("type", .string(record.type.rawValue)),
            ("content", .string(content)), ("ttl", .string(String(record.ttl))),
        ])
    }
}
