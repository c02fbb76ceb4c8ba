import Lexicon
import LexiconHTTP

/// Azure DNS through the Azure Resource Manager REST API (api-version 2018-05-01), with a service principal's client
/// credentials exchanged for a bearer token at Microsoft Entra ID: the zone found in its resource group (every page,
/// by `nextLink`), record sets read (every page), merged and written back one set at a time with `PUT`, conditional
/// on the `etag` as read (`If-Match`), or on the set not existing yet (`If-None-Match: *`), so that a set another
/// writer changed meanwhile is merged again rather than overwritten. Values are the API's fields: TXT as strings of
/// at most 255 bytes, MX with its preference, SRV with priority, weight and port.
public actor AzureProvider: RecordSetAPI {
    public static let descriptor = ProviderDescriptor(
        name: "azure",
        summary: "Azure DNS (Resource Manager API 2018-05-01) with a service principal's client secret.",
        options: [
            ProviderOption(
                "auth_client_id", help: "The application (client) id of the service principal.", isRequired: true,
                isSecret: false, valueName: "ID"),
            ProviderOption("auth_client_secret", help: "A client secret of the application.", isRequired: true),
            ProviderOption(
                "auth_tenant_id", help: "The directory (tenant) id the application is registered in.",
                isRequired: true, isSecret: false, valueName: "ID"),
            ProviderOption(
                "auth_subscription_id", help: "The subscription id that holds the resource group.", isRequired: true,
                isSecret: false, valueName: "ID"),
            ProviderOption(
                "resource_group", help: "The resource group that holds the DNS zone.", isRequired: true,
                valueName: "NAME"),
            .apiEndpoint(AzureProvider.endpoint, help: "The Resource Manager base URL (another cloud's, or a test's)."),
            ProviderOption(
                "token_endpoint", help: "The Microsoft Entra ID login base URL the token is asked for at.",
                isSecret: false, defaultValue: AzureProvider.loginEndpoint, valueName: "URL"),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .ptr, .soa, .srv, .txt],
        nameserverPatterns: ["*.azure-dns.com", "*.azure-dns.net", "*.azure-dns.org", "*.azure-dns.info"],
        defaultEndpoint: AzureProvider.endpoint,
        usesHTTP: true, writeShape: .recordSets,
        factory: { try AzureProvider(context: $0) })

    static let endpoint = "https://management.azure.com"
    static let loginEndpoint = "https://login.microsoftonline.com"
    static let apiVersion = "2018-05-01"
    /// Sets asked for per page (Azure's default and maximum page is 100).
    static let pageSize = 100

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient
    private let tokens: OAuthTokenSource
    /// `/subscriptions/{id}/resourceGroups/{name}/providers/Microsoft.Network/dnsZones`.
    private let zonesPath: String
    /// The zone's path, once found in the resource group.
    private var zonePath: String?
    /// The `etag` of each set as last read or written, by type and name, for conditional writes.
    private var etags: [String: String] = [:]

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport (for the API and the token endpoint); libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let transport = transport ?? CurlTransport(context: context)
        let subscription = try context.requiredOption("auth_subscription_id")
        let group = try context.requiredOption("resource_group")
        zonesPath =
            "/subscriptions/\(URLQuery.escape(subscription))/resourceGroups/\(URLQuery.escape(group))"
            + "/providers/Microsoft.Network/dnsZones"
        let base = context.endpoint(default: Self.endpoint)
        tokens = OAuthTokenSource.shared(
            grant: .azure(
                tenant: try context.requiredOption("auth_tenant_id"),
                clientID: try context.requiredOption("auth_client_id"),
                clientSecret: try context.requiredOption("auth_client_secret"),
                loginEndpoint: context.option("token_endpoint") ?? Self.loginEndpoint, scope: base + "/.default"),
            transport: transport, provider: "azure", service: "Microsoft Entra ID",
            credentialOptions: ["--auth-client-id", "--auth-client-secret", "--auth-tenant-id"])
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint, transport: transport, headers: [],
            failure: HTTPFailure(
                provider: "azure", service: "Azure",
                credentials:
                    "--auth-client-id, --auth-client-secret and --auth-tenant-id, and that the application has a "
                    + "role such as DNS Zone Contributor on the resource group",
                rateLimitAdvice: "Resource Manager limits requests per subscription; wait a minute"))
        api.detail = JSONAPIClient.detail(joining: ["error", "code"], ["error", "message"])
        api.special = { response, json, operation in
            // The set is not as read (If-Match), or exists already (If-None-Match): merge again from a fresh read.
            guard response.status == 412 else { return nil }
            let code = json?["error"]?["code"]?.string ?? "PreconditionFailed"
            return LexiconError(
                .conflict, "\(operation): the set changed since it was read (\(code))", provider: "azure")
        }
        self.api = api
    }

    public func authenticate() async throws {
        _ = try await zone()
    }

    public func fetchSets() async throws -> [RecordSet] {
        let path = try await zone() + "/recordsets?" + URLQuery.encode([("$top", String(Self.pageSize))])
        let items = try await everyPage(path, operation: "list records")
        var sets: [RecordSet] = []
        var etags: [String: String] = [:]
        for item in items {
            guard let relative = item["name"]?.string, let typeText = item["type"]?.string,
                let properties = item["properties"], properties.object != nil
            else { throw api.unexpected("list records") }
            let type = RecordType(rawValue: String(typeText.split(separator: "/").last ?? ""))
            let name = context.absoluteName(relative)
            let ttl = properties["TTL"]?.int ?? context.defaultTTL
            let records = Self.contents(properties, type: type).map { content, priority in
                Record(type: type, name: name, ttl: ttl, content: content, priority: priority)
            }
            // An alias set (no values, a target resource) is not a record lexicon can show or change.
            guard !records.isEmpty else { continue }
            etags[Self.key(name, type)] = item["etag"]?.string
            sets.append(RecordSet(name: name, type: type, ttl: ttl, records: records))
        }
        self.etags = etags
        return sets
    }

    public func putSet(name: String, type: RecordType, ttl: Int, values: [Record], current: RecordSet?) async throws {
        let operation = "write the \(type) set of \(name)"
        let key = Self.key(name, type)
        var condition: [HTTPHeader] = []
        if current == nil {
            condition = [HTTPHeader("If-None-Match", "*")]
        } else if let etag = etags[key] {
            condition = [HTTPHeader("If-Match", etag)]
        }
        let properties = [("TTL", JSONValue.int(ttl))] + (try Self.fields(values, type: type))
        let answer = try await call(
            "PUT", try await setPath(name, type), body: .object([("properties", .object(properties))]),
            headers: condition, operation: operation)
        etags[key] = answer["etag"]?.string
    }

    public func deleteSet(_ set: RecordSet) async throws {
        let key = Self.key(set.name, set.type)
        let condition = etags[key].map { [HTTPHeader("If-Match", $0)] } ?? []
        try await call(
            "DELETE", try await setPath(set.name, set.type), headers: condition,
            operation: "delete the \(set.type) set of \(set.name)", missing: .isFine)
        etags[key] = nil
    }

    // MARK: - Requests

    /// The zone's path, from the resource group's zones (every page); `No domain found` when it is not there.
    private func zone() async throws -> String {
        if let zonePath { return zonePath }
        let hint = "Azure has no DNS zone of that name in resource group \(context.option("resource_group") ?? "")."
        let zones = try await everyPage(
            zonesPath + "?" + URLQuery.encode([("$top", String(Self.pageSize))]), operation: "list zones",
            missing: .isUnknownZone(hint: "the subscription or resource group was not found."))
        guard let name = zones.compactMap({ $0["name"]?.string }).first(where: { $0.lowercased() == context.zone })
        else { throw LexiconError.domainNotFound(context.zone, provider: "azure", hint: hint) }
        let path = zonesPath + "/" + URLQuery.escape(name)
        zonePath = path
        return path
    }

    private func setPath(_ name: String, _ type: RecordType) async throws -> String {
        try await zone() + "/\(type.rawValue)/" + URLQuery.escape(context.relativeName(name))
    }

    /// Every item of a listing, following `nextLink` only while it stays under the configured endpoint (where the
    /// token may go), through a ``PageGuard``.
    private func everyPage(_ first: String, operation: String, missing: JSONAPIClient.Missing = .fails) async throws
        -> [JSONValue]
    {
        var guarded = PageGuard(provider: "azure", service: "Azure", operation: operation, parameters: "nextLink")
        var items: [JSONValue] = []
        var path = first
        while true {
            let answer = try await call("GET", path, operation: operation, missing: missing)
            guard let page = answer["value"]?.array else { throw api.unexpected(operation) }
            try guarded.read(page)
            items += page
            guard let link = answer["nextLink"]?.string, !link.isEmpty, !page.isEmpty else { return items }
            guard link.hasPrefix(api.base + "/") else {
                throw LexiconError(
                    .provider,
                    "\(operation): Azure's nextLink points at \(URLOrigin.text(of: link)), not the configured "
                        + "endpoint \(URLOrigin.text(of: api.base)); the token goes only there, so reading stopped and "
                        + "nothing was changed.", provider: "azure")
            }
            path = String(link.dropFirst(api.base.count))
        }
    }

    /// A request with a bearer token and the API version; a refused token is replaced once (revoked or expired
    /// early), then the refusal stands.
    @discardableResult
    private func call(
        _ method: String, _ path: String, body: JSONValue? = nil, headers: [HTTPHeader] = [], operation: String,
        missing: JSONAPIClient.Missing = .fails
    ) async throws -> JSONValue {
        let target =
            path.contains("api-version=")
            ? path : path + (path.contains("?") ? "&" : "?") + URLQuery.encode([("api-version", Self.apiVersion)])
        var attempt = 1
        while true {
            let token = try await tokens.token()
            do {
                return try await api.call(
                    method, target, body: body,
                    extraHeaders: [HTTPHeader("Authorization", token.authorization)] + headers,
                    operation: operation, missing: missing)
            } catch let error as LexiconError where error.code == .authentication && attempt == 1 {
                await tokens.invalidate()
                attempt += 1
            }
        }
    }

    private static func key(_ name: String, _ type: RecordType) -> String { "\(type.rawValue) \(name)" }

    // MARK: - Mapping

    /// The contract's content (and MX priority) of each value of a set's properties.
    static func contents(_ properties: JSONValue, type: RecordType) -> [(String, Int?)] {
        func list(_ field: String) -> [JSONValue] { properties[field]?.array ?? [] }
        func name(_ value: JSONValue?) -> String { RecordPresentation.bare(Substring(value?.string ?? "")) }
        switch type {
        case .a: return list("ARecords").compactMap { $0["ipv4Address"]?.string }.map { ($0, nil) }
        case .aaaa: return list("AAAARecords").compactMap { $0["ipv6Address"]?.string }.map { ($0, nil) }
        case .cname: return properties["CNAMERecord"]?["cname"].map { [(name($0), nil)] } ?? []
        case .ns: return list("NSRecords").map { (name($0["nsdname"]), nil) }
        case .ptr: return list("PTRRecords").map { (name($0["ptrdname"]), nil) }
        case .mx: return list("MXRecords").map { (name($0["exchange"]), $0["preference"]?.int ?? 0) }
        case .txt:
            return list("TXTRecords").map { ($0["value"]?.array ?? []).compactMap(\.string).joined() }.map { ($0, nil) }
        case .srv:
            return list("SRVRecords").map { item in
                let numbers = ["priority", "weight", "port"].map { String(item[$0]?.int ?? 0) }
                return ((numbers + [name(item["target"])]).joined(separator: " "), nil)
            }
        case .caa:
            return list("CAARecords").map { item in
                let value = (item["value"]?.string ?? "").replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
                return ("\(item["flags"]?.int ?? 0) \(item["tag"]?.string ?? "") \"\(value)\"", nil)
            }
        case .soa:
            guard let soa = properties["SOARecord"] else { return [] }
            let numbers = ["serialNumber", "refreshTime", "retryTime", "expireTime", "minimumTTL"].map {
                String(soa[$0]?.int ?? 0)
            }
            return [(([name(soa["host"]), name(soa["email"])] + numbers).joined(separator: " "), nil)]
        default:
            return []
        }
    }

    /// The properties that hold a set's values, one field per type.
    static func fields(_ values: [Record], type: RecordType) throws -> [(String, JSONValue)] {
        func each(_ field: String, _ value: (Record) throws -> [(String, JSONValue)]) throws -> [(String, JSONValue)] {
            [(field, .array(try values.map { .object(try value($0)) }))]
        }
        switch type {
        case .a: return try each("ARecords") { [("ipv4Address", .string($0.content))] }
        case .aaaa: return try each("AAAARecords") { [("ipv6Address", .string($0.content))] }
        case .ns: return try each("NSRecords") { [("nsdname", .string($0.content))] }
        case .ptr: return try each("PTRRecords") { [("ptrdname", .string($0.content))] }
        case .mx:
            return try each("MXRecords") {
                [("preference", .int($0.priority ?? 0)), ("exchange", .string($0.content))]
            }
        case .txt:
            return try each("TXTRecords") { [("value", .array(chunks($0.content).map { .string($0) }))] }
        case .cname:
            guard values.count == 1, let value = values.first else {
                throw LexiconError(
                    .invalidInput, "a CNAME set holds one value; delete the CNAME first to change it.",
                    provider: "azure")
            }
            return [("CNAMERecord", .object([("cname", .string(value.content))]))]
        case .srv:
            return try each("SRVRecords") { record in
                let parts = record.content.split(separator: " ")
                guard parts.count == 4, let priority = Int(parts[0]), let weight = Int(parts[1]),
                    let port = Int(parts[2])
                else { throw LexiconError.invalidInput("SRV content should be PRIORITY WEIGHT PORT TARGET.") }
                return [
                    ("priority", .int(priority)), ("weight", .int(weight)), ("port", .int(port)),
                    ("target", .string(RecordPresentation.bare(parts[3]))),
                ]
            }
        case .caa:
            return try each("CAARecords") { record in
                let parts = record.content.split(separator: " ", maxSplits: 2)
                guard parts.count == 3, let flags = Int(parts[0]) else {
                    throw LexiconError.invalidInput("CAA content should be FLAGS TAG \"VALUE\".")
                }
                var value = String(parts[2])
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast()).replacing("\\\"", with: "\"")
                        .replacing("\\\\", with: "\\")
                }
                return [("flags", .int(flags)), ("tag", .string(String(parts[1]))), ("value", .string(value))]
            }
        default:
            throw LexiconError(.unsupported, "Azure DNS cannot write \(type) records here.", provider: "azure")
        }
    }

    /// A TXT value cut into strings of at most 255 bytes, never inside a character.
    static func chunks(_ text: String) -> [String] {
        var chunks: [String] = []
        var current = ""
        for character in text {
            if current.utf8.count + String(character).utf8.count > 255 {
                chunks.append(current)
                current = ""
            }
            current.append(character)
        }
        return chunks + [current]
    }
}
