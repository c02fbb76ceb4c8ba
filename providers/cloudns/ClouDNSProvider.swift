import Lexicon
import LexiconHTTP

/// ClouDNS through its HTTP API: reads are `GET`s with query parameters, writes `POST`s of a form, every call
/// carrying `auth-id` (or `sub-auth-id`, or `sub-auth-user`) and `auth-password`, and every answer JSON with HTTP 200,
/// a refusal told as `{"status":"Failed","statusDescription":…}`. One record per value under ClouDNS's ids; hosts
/// relative to the zone (empty for the apex); the MX and SRV priority, and the SRV weight and port, in their own
/// fields; TTLs from a fixed list.
public actor ClouDNSProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "cloudns",
        summary: "ClouDNS (HTTP API) with an API user's id or a sub-user's id or name, and its password.",
        options: [
            ProviderOption("auth_id", help: "The id of a ClouDNS API user (API & Resellers).", isSecret: false),
            ProviderOption(
                "auth_subid", help: "The id of a ClouDNS API sub-user, instead of --auth-id.", isSecret: false),
            ProviderOption(
                "auth_subuser", help: "The name of a ClouDNS API sub-user, instead of --auth-id.", isSecret: false),
            ProviderOption("auth_password", help: "The API user's or sub-user's password.", isRequired: true),
            ProviderOption(
                "weight", help: "The SRV weight to write, instead of the one in the content.", isSecret: false),
            ProviderOption("port", help: "The SRV port to write, instead of the one in the content.", isSecret: false),
            .apiEndpoint(ClouDNSProvider.endpoint),
        ],
        recordTypes: [.a, .aaaa, .cname, .mx, .ns, .srv, .txt],
        nameserverPatterns: ["cloudns.net"],
        defaultEndpoint: ClouDNSProvider.endpoint,
        ttlSteps: ClouDNSProvider.ttlSteps,
        usesHTTP: true,
        factory: { try ClouDNSProvider(context: $0) })

    static let endpoint = "https://api.cloudns.net"
    /// The TTLs ClouDNS accepts; others are rounded up to the next one.
    static let ttlSteps = [
        60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172_800, 259_200, 604_800, 1_209_600, 2_592_000,
    ]
    /// The page size of a listing (ClouDNS allows 10, 20, 30, 50 or 100).
    static let rowsPerPage = 100

    /// The zone and options.
    public let context: ProviderContext
    private let transport: any HTTPTransport
    private let base: String
    private let credentials: [(String, String)]
    private let credentialsHint: String
    private let weight: String?
    private let port: String?

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    /// - Throws: ``LexiconError`` `config` without exactly one of `auth_id`, `auth_subid` and `auth_subuser`.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        self.transport = transport ?? CurlTransport(context: context)
        base = context.endpoint(default: Self.endpoint)
        // dns-lexicon makes the three identities mutually exclusive.
        let identities = [("auth_id", "auth-id"), ("auth_subid", "sub-auth-id"), ("auth_subuser", "sub-auth-user")]
            .compactMap { option, parameter in context.option(option).map { (option, parameter, $0) } }
        guard identities.count == 1, let identity = identities.first else {
            throw LexiconError(
                .config, "cloudns needs exactly one of auth_id, auth_subid and auth_subuser.", provider: "cloudns",
                hint: "Pass one of --auth-id, --auth-subid or --auth-subuser (or LEXICON_CLOUDNS_AUTH_ID, …).")
        }
        let (option, parameter, value) = identity
        credentials = [(parameter, value), ("auth-password", try context.requiredOption("auth_password"))]
        let flag = ProviderOption(option, help: "").flag
        credentialsHint =
            "Check \(flag) and --auth-password (LEXICON_CLOUDNS_\(option.uppercased()), "
            + "LEXICON_CLOUDNS_AUTH_PASSWORD) and that the API user may reach this zone."
        weight = context.option("weight")
        port = context.option("port")
    }

    /// Reads the zone; ClouDNS keeps records only in master zones.
    public func authenticate() async throws {
        let zone = try await call("get-zone-info", [], operation: "read the zone")
        guard zone["name"]?.string != nil else { throw unexpected("read the zone") }
        if let type = zone["type"]?.string, type != "master" {
            throw LexiconError(
                .provider, "\(context.zone) is a \(type) zone at ClouDNS; only master zones hold records to change.",
                provider: "cloudns")
        }
    }

    public func add(_ record: Record) async throws {
        try await call(
            "add-record", [("record-type", record.type.rawValue)] + (try fields(record)), write: true,
            operation: "create a record")
    }

    public func replace(_ nativeID: String, with record: Record) async throws {
        try await call(
            "mod-record", [("record-id", nativeID)] + (try fields(record)), write: true, operation: "update a record")
    }

    /// A record already gone is fine: ClouDNS refuses its id with `Invalid record-id param.`.
    public func remove(_ nativeID: String) async throws {
        do {
            try await call("delete-record", [("record-id", nativeID)], write: true, operation: "delete a record")
        } catch let error as LexiconError where error.message.contains("Invalid record-id") {
            return
        }
    }

    // MARK: - API

    /// Every page of `records.json`, narrowed by type and host on ClouDNS's side (the apex locally: an empty host
    /// is no filter there). A listing is an object keyed by record id, or `[]` when nothing matches.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var filter: [(String, String)] = type.map { [("type", $0.rawValue)] } ?? []
        if let name, name != context.zone { filter.append(("host", context.relativeName(name, apex: ""))) }
        var pages = PageGuard(provider: "cloudns", service: "ClouDNS", operation: "list records", parameters: "page")
        var entries: [NativeRecord] = []
        var page = 1
        while true {
            let answer = try await call(
                "records", filter + [("rows-per-page", String(Self.rowsPerPage)), ("page", String(page))],
                operation: "list records")
            let items: [JSONValue]
            if let object = answer.object {
                items = object.map { $0.1 }
            } else if answer.array?.isEmpty == true {
                items = []
            } else {
                throw unexpected("list records")
            }
            try pages.read(items)
            entries += try items.map(entry)
            if items.count < Self.rowsPerPage { return entries }
            page += 1
        }
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let id = Self.text(json["id"]), let typeText = json["type"]?.string, let host = json["host"]?.string,
            let value = json["record"]?.string
        else { throw unexpected("list records") }
        let type = RecordType(rawValue: typeText.uppercased())
        let priority = Self.number(json["priority"]) ?? 0
        var content = value
        switch type {
        case .cname, .ns, .mx:
            content = RecordPresentation.bare(Substring(value))
        case .srv:
            let target = RecordPresentation.bare(Substring(value))
            content = "\(priority) \(Self.number(json["weight"]) ?? 0) \(Self.number(json["port"]) ?? 0) \(target)"
        default:
            break
        }
        let record = Record(
            type: type, name: context.absoluteName(host.lowercased(), apex: ""),
            ttl: Self.number(json["ttl"]) ?? context.defaultTTL, content: content,
            priority: type == .mx ? priority : nil)
        return NativeRecord(nativeID: id, record: record)
    }

    /// The parameters of a create or an update: the host relative to the zone (empty for the apex), the value
    /// (the target alone for SRV, without its final dot), the TTL, and the priority, weight and port where the type
    /// has them (`--weight` and `--port` override the SRV content's).
    private func fields(_ record: Record) throws -> [(String, String)] {
        var pairs = [("host", context.relativeName(record.name, apex: ""))]
        var value = record.content
        var extra: [(String, String)] = []
        switch record.type {
        case .cname, .ns:
            value = RecordPresentation.bare(Substring(record.content))
        case .mx:
            value = RecordPresentation.bare(Substring(record.content))
            extra = [("priority", String(record.priority ?? 10))]
        case .srv:
            let (priority, rest) = try SRVFields.split(record.content)
            let parts = rest.split(separator: " ").map(String.init)
            value = parts[2]
            extra = [("priority", String(priority)), ("weight", weight ?? parts[0]), ("port", port ?? parts[1])]
        default:
            break
        }
        pairs += [("record", value), ("ttl", String(record.ttl))] + extra
        return pairs
    }

    /// One call: `GET /dns/NAME.json?…` for reads, a form `POST` for writes, with the credentials and the zone.
    /// - Returns: The answer's JSON.
    /// - Throws: ``LexiconError``: `authentication` for refused credentials or an unknown zone, `provider` for any
    ///   other refusal or status.
    @discardableResult
    private func call(_ name: String, _ parameters: [(String, String)], write: Bool = false, operation: String)
        async throws -> JSONValue
    {
        let form = URLQuery.encode(credentials + [("domain-name", context.zone)] + parameters)
        let url = base + "/dns/" + name + ".json"
        // The password goes in the body of writes; reads carry it in the query, which traces redact.
        let request =
            write
            ? HTTPRequest(
                method: "POST", url: url, headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(form.utf8), idempotent: name != "add-record")
            : HTTPRequest(url: url + "?" + form)
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw HTTPFailure(provider: "cloudns", service: "ClouDNS", credentials: "")
                .error(response, operation: operation, detail: "")
        }
        let json = try response.json(operation: operation, provider: "cloudns", service: "ClouDNS")
        guard json["status"]?.string == "Failed" else { return json }
        let description = json["statusDescription"]?.string ?? "no description"
        if description.hasPrefix("Invalid authentication") {
            throw LexiconError(
                .authentication, "authentication failed to \(operation): ClouDNS answered \"\(description)\"",
                provider: "cloudns", hint: credentialsHint)
        }
        if description == "Missing domain-name" {
            throw LexiconError.domainNotFound(
                context.zone, provider: "cloudns", hint: "ClouDNS answered \"\(description)\".")
        }
        throw LexiconError(
            .provider, "\(operation) failed: ClouDNS answered \"\(description)\".", provider: "cloudns")
    }

    /// ClouDNS gives ids and numbers as strings or numbers.
    private static func text(_ value: JSONValue?) -> String? { value?.string ?? value?.int.map(String.init) }
    private static func number(_ value: JSONValue?) -> Int? { value?.int ?? value?.string.flatMap { Int($0) } }

    private func unexpected(_ operation: String) -> LexiconError {
        LexiconError(.provider, "\(operation): ClouDNS answered JSON of an unexpected shape.", provider: "cloudns")
    }
}
