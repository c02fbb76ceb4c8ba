import Lexicon
import LexiconHTTP

/// Oracle Cloud Infrastructure DNS through the REST API 20180115: every request signed with an API signing key
/// (OCI's HTTP Signature, RSA-SHA256), credentials from the options or an OCI config file profile; the zone by name,
/// records listed in pages linked by `opc-next-page`, FQDN names without the final dot, values in presentation
/// format (`rdata`), one record per value named by its `recordHash`, and every change a `PATCH` of ADD and REMOVE
/// operations, so values written by others are never touched.
public actor OCIProvider: NativeRecordAPI {
    public static let descriptor = ProviderDescriptor(
        name: "oci",
        summary: "Oracle Cloud Infrastructure DNS (API 20180115) with an API signing key or an OCI config file.",
        options: [
            ProviderOption(
                "auth_config_file", help: "The OCI config file to read credentials from.", isSecret: false,
                defaultValue: OCIProvider.defaultConfigFile, valueName: "FILE"),
            ProviderOption(
                "auth_profile", help: "The profile of the config file to use.", isSecret: false,
                defaultValue: "DEFAULT", valueName: "PROFILE"),
            ProviderOption("auth_user", help: "The OCID of the user (config file: user).", isSecret: false),
            ProviderOption("auth_tenancy", help: "The OCID of the tenancy (config file: tenancy).", isSecret: false),
            ProviderOption(
                "auth_fingerprint", help: "The fingerprint of the API signing key (config file: fingerprint).",
                isSecret: false),
            ProviderOption(
                "auth_key_content", help: "The API signing key itself, PEM (instead of --auth-key-file).",
                isSecret: true, valueName: "PEM"),
            ProviderOption(
                "auth_key_file", help: "The file of the API signing key, PEM (config file: key_file).",
                isSecret: false, valueName: "FILE"),
            ProviderOption(
                "auth_pass_phrase", help: "The pass phrase of an encrypted key (not supported: decrypt the key).",
                isSecret: true),
            ProviderOption(
                "auth_region", help: "The region of the DNS endpoint, e.g. us-ashburn-1 (config file: region).",
                isSecret: false, valueName: "REGION"),
            ProviderOption(
                "auth_type", help: "How to authenticate: api_key (instance_principal is not supported).",
                isSecret: false, defaultValue: "api_key", valueName: "TYPE"),
            .apiEndpoint(nil, help: "The API's base URL; https://dns.REGION.oraclecloud.com/20180115 by default."),
        ],
        recordTypes: [.a, .aaaa, .caa, .cname, .mx, .ns, .srv, .txt],
        nameserverPatterns: ["*.dns.oraclecloud.com", "*.dns.oraclecloud.net", "*.dns.oraclecloud.org"],
        defaultEndpoint: OCIProvider.endpoint(region: "us-ashburn-1"),
        usesHTTP: true,
        factory: { try OCIProvider(context: $0) })

    static let defaultConfigFile = "~/.oci/config"
    static func endpoint(region: String) -> String { "https://dns.\(region).oraclecloud.com/20180115" }
    /// The records a listing page asks for (the API's maximum is 100).
    static let pageSize = 100

    /// The zone and options.
    public let context: ProviderContext
    private let api: JSONAPIClient

    /// Creates the provider.
    /// - Parameters:
    ///   - context: The zone and options.
    ///   - transport: The HTTP transport; libcurl by default.
    public init(context: ProviderContext, transport: (any HTTPTransport)? = nil) throws {
        self.context = context
        let credentials = try OCICredentials(context: context)
        let signature = HTTPSignature(
            keyID: "\(credentials.tenancy)/\(credentials.user)/\(credentials.fingerprint)", signer: credentials.key)
        let signing = SigningTransport(transport ?? CurlTransport(context: context)) {
            try signature.sign($0, date: RequestDate.rfc1123(RequestDate.now()))
        }
        var api = JSONAPIClient(
            context: context, endpoint: Self.endpoint(region: credentials.region), transport: signing, headers: [],
            failure: HTTPFailure(
                provider: "oci", service: "OCI DNS",
                credentials: "--auth-user, --auth-tenancy, --auth-fingerprint and the key (or the profile of "
                    + "--auth-config-file), that the key is uploaded for the user, and this machine's clock",
                rateLimitAdvice: nil))
        // OCI's error bodies are `{"code": "…", "message": "…"}`.
        api.detail = JSONAPIClient.detail(joining: ["code"], ["message"])
        self.api = api
    }

    public func authenticate() async throws {
        try await api.get(
            "/zones/\(URLQuery.escape(context.zone))", operation: "read the zone",
            missing: .isUnknownZone(hint: "No zone of that name is visible to the user (check its policies)."))
    }

    public func add(_ record: Record) async throws {
        try await patch([operation("ADD", record)], operation: "create a record")
    }

    /// One `PATCH` that removes the old value and adds the new one.
    public func replace(_ nativeID: String, with record: Record) async throws {
        try await patch(
            [
                .object([("operation", .string("REMOVE")), ("recordHash", .string(nativeID))]),
                operation("ADD", record),
            ],
            operation: "update a record")
    }

    public func remove(_ nativeID: String) async throws {
        try await patch(
            [.object([("operation", .string("REMOVE")), ("recordHash", .string(nativeID))])],
            operation: "delete a record")
    }

    private func patch(_ items: [JSONValue], operation: String) async throws {
        try await api.call(
            "PATCH", "/zones/\(URLQuery.escape(context.zone))/records", body: .object([("items", .array(items))]),
            operation: operation,
            missing: .isUnknownZone(hint: "No zone of that name is visible to the user (check its policies)."))
    }

    private func operation(_ kind: String, _ record: Record) -> JSONValue {
        .object([
            ("operation", .string(kind)), ("domain", .string(record.name)), ("rtype", .string(record.type.rawValue)),
            ("rdata", .string(RecordPresentation.rdata(of: record))), ("ttl", .int(record.ttl)),
        ])
    }

    // MARK: - API

    /// Every page of the zone's records, narrowed by name and type on the server, following `opc-next-page`.
    public func fetch(type: RecordType?, name: String?) async throws -> [NativeRecord] {
        var pages = PageGuard(provider: "oci", service: "OCI DNS", operation: "list records", parameters: "page")
        var entries: [NativeRecord] = []
        var next: String?
        repeat {
            var query = [("limit", String(Self.pageSize))]
            if let name { query.append(("domain", name)) }
            if let type { query.append(("rtype", type.rawValue)) }
            if let next { query.append(("page", next)) }
            guard
                let response = try await api.send(
                    "GET", "/zones/\(URLQuery.escape(context.zone))/records?" + URLQuery.encode(query),
                    operation: "list records",
                    missing: .isUnknownZone(hint: "No zone of that name is visible to the user."))
            else { throw api.unexpected("list records") }
            let answer = try response.json(operation: "list records", provider: "oci", service: "OCI DNS")
            guard let items = answer["items"]?.array else { throw api.unexpected("list records") }
            next = response.headers["opc-next-page"].flatMap { $0.isEmpty ? nil : $0 }
            try pages.read(fingerprint: Array((next ?? "").utf8), count: items.count)
            for item in items { entries.append(try entry(item)) }
        } while next != nil
        return entries
    }

    private func entry(_ json: JSONValue) throws -> NativeRecord {
        guard let hash = json["recordHash"]?.string, let typeText = json["rtype"]?.string,
            let domain = json["domain"]?.string, let rdata = json["rdata"]?.string
        else { throw api.unexpected("list records") }
        let type = RecordType(rawValue: typeText)
        let parsed = RecordPresentation.content(of: rdata, type: type)
        let record = Record(
            type: type, name: RecordPresentation.bare(Substring(domain.lowercased())),
            ttl: json["ttl"]?.int ?? context.defaultTTL, content: parsed.content, priority: parsed.priority)
        return NativeRecord(nativeID: hash, record: record)
    }
}
