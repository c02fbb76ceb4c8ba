import Lexicon
import LexiconHTTP

/// INWX DNS through the DomRobot XML-RPC API: `account.login` answers a `domrobot` session cookie that later calls
/// send (and `account.unlock` with a TOTP code when the account has two-factor login); every answer is a struct
/// `{code, msg, resData}`, 1000 and 1001 meaning done. One record per value under INWX's numeric ids, names as
/// FQDNs, the MX and SRV priority in `prio`, TXT content raw, and TTLs of at least 300 seconds. The session is not
/// logged out: the provider has no end of its own, and INWX lets an idle session expire.
public actor INWXProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "inwx",
        summary: "INWX DNS (DomRobot XML-RPC API) with the account's username and password.",
        options: [
            ProviderOption(
                "auth_username", help: "The username of the INWX account (or of an API sub-account).", isRequired: true),
            ProviderOption("auth_password", help: "The password of the account.", isRequired: true),
            ProviderOption(
                "auth_shared_secret",
                help: "The TOTP secret (base32) of the two-factor login, for accounts that have one."),
            .apiEndpoint(
                INWXProvider.endpoint,
                help: "The XML-RPC URL; the INWX test system (OT&E) is https://api.ote.domrobot.com/xmlrpc/."),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .ptr, .srv, "SSHFP", "TLSA", .txt],
        nameserverPatterns: [
            "ns.inwx.de", "ns2.inwx.de", "ns3.inwx.eu", "ns4.inwx.com", "ns5.inwx.net", "ns.domrobot.com",
            "ns.domrobot.net", "ns.domrobot.org", "ns.domrobot.info", "ns.domrobot.biz",
        ],
        defaultEndpoint: INWXProvider.endpoint,
        usesHTTP: true, minimumTTL: INWXProvider.minimumTTL,
        factory: { try INWXProvider(context: $0) })

    static let endpoint = "https://api.domrobot.com/xmlrpc/"
    /// The shortest TTL INWX accepts; shorter ones are raised to it.
    static let minimumTTL = 300
    static let service = "INWX"
    static let credentials =
        "Check --auth-username and --auth-password (LEXICON_INWX_AUTH_USERNAME, LEXICON_INWX_AUTH_PASSWORD), and "
        + "--auth-shared-secret if the account has two-factor login."

    /// The result codes of a request that succeeded: done, and done but pending.
    static let doneCodes: Set<Int> = [1000, 1001]
    /// Authentication error (wrong username or password, wrong TAN).
    static let authenticationCode = 2200
    /// Command use error: no session, an expired one, or one still locked by two-factor login.
    static let sessionCode = 2002
    /// Object exists (a value that is there already).
    static let existsCode = 2302
    /// Object does not exist (an unknown domain or record).
    static let missingCode = 2303

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let url: String
    private let username: String
    private let password: String
    private let totp: TOTP?
    /// The `domrobot=…` cookie of the logged-in session; nil before the login.
    private var cookie: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    /// - Throws: ``LexiconError`` `config` for a missing credential or a shared secret that is not base32.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        url = context.option("api_endpoint") ?? Self.endpoint
        username = try context.requiredOption("auth_username")
        password = try context.requiredOption("auth_password")
        totp = try context.option("auth_shared_secret").map {
            try TOTP(base32: $0, option: "--auth-shared-secret", provider: "inwx")
        }
    }

    public func authenticate() async throws {
        try await call(
            "nameserver.info", [("domain", .string(context.zone)), ("type", .string("SOA"))],
            operation: "read the domain")
    }

    /// A value INWX already holds (another writer added it since the listing) is there, as wanted: INWX refuses it
    /// with code 2302, which dns-lexicon ignores too.
    public func add(_ record: Record) async throws {
        let fields = [("domain", XMLRPCValue.string(context.zone))] + (try fields(record))
        try await call("nameserver.createRecord", fields, operation: "create a record", tolerated: [Self.existsCode])
    }

    /// INWX keeps the record's id across an update of any of its fields.
    public func replace(_ nativeID: String, with record: Record) async throws {
        try await call(
            "nameserver.updateRecord", [("id", try id(nativeID))] + (try fields(record)),
            operation: "update a record")
    }

    /// A record already gone (code 2303) is what was wanted.
    public func remove(_ nativeID: String) async throws {
        try await call(
            "nameserver.deleteRecord", [("id", try id(nativeID))], operation: "delete a record",
            tolerated: [Self.missingCode])
    }

    /// The zone's records, narrowed by INWX on type and FQDN; `nameserver.info` answers all of them at once.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var parameters: [(String, XMLRPCValue)] = [("domain", .string(context.zone))]
        if let type { parameters.append(("type", .string(type.rawValue))) }
        if let name { parameters.append(("name", .string(name))) }
        let data = try await call("nameserver.info", parameters, operation: "list records")
        guard let list = data["record"] else { return [] }
        guard let records = list.array else { throw unexpected("list records") }
        return try records.map(entry)
    }

    // MARK: - Mapping

    private func entry(_ value: XMLRPCValue) throws -> NativeRecord {
        guard let id = value["id"].flatMap(Self.integer), let typeText = value["type"]?.string,
            let name = value["name"]?.string, let content = value["content"]?.string
        else { throw unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        // INWX's SRV content is `WEIGHT PORT TARGET`; the priority is `prio`.
        let (text, priority) = PriorityField.join(
            type: type, value: content, priority: value["prio"].flatMap(Self.integer) ?? 0)
        let record = Record(
            type: type, name: RecordPresentation.bare(Substring(name)),
            ttl: value["ttl"].flatMap(Self.integer) ?? context.defaultTTL, content: text, priority: priority)
        return NativeRecord(nativeID: String(id), record: record)
    }

    /// The fields of a create or an update: the FQDN, the content raw (TXT unquoted), targets without their final
    /// dot, and the priority of MX and SRV in `prio` (0 for other types).
    private func fields(_ record: Record) throws -> [(String, XMLRPCValue)] {
        let (content, priority) = try PriorityField.split(record)
        return [
            ("type", .string(record.type.rawValue)), ("name", .string(record.name)), ("content", .string(content)),
            ("ttl", .int(record.ttl)), ("prio", .int(priority ?? 0)),
        ]
    }

    private func id(_ nativeID: String) throws -> XMLRPCValue {
        guard let id = Int(nativeID) else {
            throw LexiconError(.notFound, "INWX record ids are numbers, not \(nativeID).", provider: "inwx")
        }
        return .int(id)
    }

    /// An integer INWX sends as `<int>` or, in some answers, as a string of digits.
    private static func integer(_ value: XMLRPCValue) -> Int? {
        value.int ?? value.string.flatMap { Int($0) }
    }

    private func unexpected(_ operation: String) -> LexiconError {
        LexiconError(.provider, "\(operation): INWX answered a struct of an unexpected shape.", provider: "inwx")
    }

    // MARK: - DomRobot

    /// Logs in once a process: `account.login`, its cookie kept, and `account.unlock` with a TOTP code when INWX
    /// says the account has two-factor login (`resData.tfa` other than `"0"`).
    private func session() async throws -> String {
        if let cookie { return cookie }
        let (answer, response) = try await send(
            "account.login",
            [("user", .string(username)), ("pass", .string(password)), ("lang", .string("en"))], cookie: nil,
            operation: "log in", idempotent: true)
        guard let header = response.headers["set-cookie"], let pair = header.split(separator: ";").first,
            pair.contains("=")
        else {
            throw LexiconError(
                .provider, "log in: INWX answered without a session cookie (Set-Cookie).", provider: "inwx")
        }
        let cookie = String(pair.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        let method = answer["resData"]?["tfa"].map { Self.integer($0).map(String.init) ?? $0.string ?? "" } ?? "0"
        if !method.isEmpty && method != "0" {
            guard let totp else {
                throw LexiconError(
                    .authentication,
                    "INWX asks for a two-factor code (\(DisplayText.escaped(Array(method.utf8), limit: 40))) after "
                        + "the login.", provider: "inwx",
                    hint: "Give the account's TOTP secret with --auth-shared-secret (LEXICON_INWX_AUTH_SHARED_SECRET).")
            }
            // A code about to expire may reach INWX expired; wait for the next one.
            if totp.secondsLeft() <= 2 { try await Task.sleep(for: .seconds(totp.secondsLeft() + 1)) }
            _ = try await send(
                "account.unlock", [("tan", .string(totp.code()))], cookie: cookie, operation: "unlock the session",
                idempotent: false)
        }
        self.cookie = cookie
        return cookie
    }

    /// Calls a method in the session and answers its `resData` (an empty struct when there is none).
    /// - Parameter tolerated: Result codes that count as done for this call.
    @discardableResult
    private func call(
        _ method: String, _ parameters: [(String, XMLRPCValue)], operation: String, tolerated: Set<Int> = []
    ) async throws -> XMLRPCValue {
        let cookie = try await session()
        let (answer, _) = try await send(
            method, parameters, cookie: cookie, operation: operation, idempotent: method != "nameserver.createRecord",
            tolerated: tolerated)
        return answer["resData"] ?? .structure([])
    }

    /// One request: the XML-RPC call, its answer read, and a result code outside `doneCodes` and `tolerated` turned
    /// into an error.
    private func send(
        _ method: String, _ parameters: [(String, XMLRPCValue)], cookie: String?, operation: String, idempotent: Bool,
        tolerated: Set<Int> = []
    ) async throws -> (XMLRPCValue, HTTPResponse) {
        var headers = [HTTPHeader("Content-Type", XMLRPC.contentType)]
        if let cookie { headers.append(HTTPHeader("Cookie", cookie)) }
        let response = try await transport.send(
            HTTPRequest(
                method: "POST", url: url, headers: headers,
                body: XMLRPC.request(method: method, params: [.structure(parameters)]), idempotent: idempotent))
        guard (200..<300).contains(response.status) else {
            throw LexiconError(
                .provider,
                "\(operation) failed with HTTP \(response.status): \"\(DisplayText.escaped(response.body, limit: 200))\"",
                provider: "inwx")
        }
        let answer: XMLRPCValue
        switch try XMLRPC.response(response, operation: operation, provider: "inwx", service: Self.service) {
        case .success(let value): answer = value
        case .failure(let fault): throw fault.error(operation: operation, provider: "inwx", service: Self.service)
        }
        guard let code = answer["code"].flatMap(Self.integer) else { throw unexpected(operation) }
        if Self.doneCodes.contains(code) || tolerated.contains(code) { return (answer, response) }
        throw failure(code, message: answer["msg"]?.string ?? "", reason: answer["reason"]?.string, operation)
    }

    private func failure(_ code: Int, message: String, reason: String?, _ operation: String) -> LexiconError {
        let said = DisplayText.escaped(Array((message + (reason.map { " (\($0))" } ?? "")).utf8), limit: 200)
        switch code {
        case Self.authenticationCode, Self.sessionCode:
            return LexiconError(
                .authentication, "authentication failed to \(operation): INWX answered \(said) (code \(code)).",
                provider: "inwx", hint: Self.credentials)
        case Self.missingCode where operation == "read the domain" || operation == "list records":
            return LexiconError.domainNotFound(
                context.zone, provider: "inwx", hint: "INWX answered \(said) (code \(code)).")
        default:
            return LexiconError(
                .provider, "\(operation) failed: INWX answered \(said) (code \(code)).", provider: "inwx")
        }
    }
}
