import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
        api.detail = { json in
            [json?["code"]?.string, json?["message"]?.string].compactMap { $0 }.joined(separator: ": ")
        }
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

/// The credentials of an API signing key: the options, over the values of a profile of an OCI config file.
struct OCICredentials {
    var user: String
    var tenancy: String
    var fingerprint: String
    var region: String
    var key: RSASigner

    init(context: ProviderContext) throws {
        let type = context.option("auth_type") ?? "api_key"
        guard type == "api_key" else {
            throw LexiconError(
                .unsupported,
                "--auth-type \(type) is not supported here; use api_key (an API signing key) with a config file "
                    + "or the --auth-user, --auth-tenancy, --auth-fingerprint and --auth-key-file options.",
                provider: "oci")
        }
        let profile = try Self.profile(context)
        func value(_ option: String, _ key: String) -> String? {
            context.option(option) ?? profile[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        func required(_ option: String, _ key: String) throws -> String {
            guard let found = value(option, key) else {
                throw LexiconError(
                    .config, "the \(key) is missing.", provider: "oci",
                    hint: "Pass --\(option.replacing("_", with: "-")), or set \(key) in the profile of the OCI "
                        + "config file (--auth-config-file, --auth-profile).")
            }
            return found
        }
        user = try required("auth_user", "user")
        tenancy = try required("auth_tenancy", "tenancy")
        fingerprint = try required("auth_fingerprint", "fingerprint")
        region =
            context.option("api_endpoint") != nil
            ? value("auth_region", "region") ?? "" : try required("auth_region", "region")
        if value("auth_pass_phrase", "pass_phrase") != nil {
            throw LexiconError(
                .unsupported,
                "encrypted API signing keys (--auth-pass-phrase) are not supported; decrypt the key "
                    + "(openssl pkey -in KEY -out PLAIN) and give that one.", provider: "oci")
        }
        let pem: String
        if let content = context.option("auth_key_content") {
            pem = content
        } else {
            let file = Self.expand(try required("auth_key_file", "key_file"))
            pem = String(decoding: try FileIO.read(file), as: UTF8.self)
        }
        let option = context.option("auth_key_content") != nil ? "--auth-key-content" : "--auth-key-file"
        key = try RSASigner(pem: pem, option: option, provider: "oci")
    }

    /// The profile's values, over those of `[DEFAULT]`; empty when no config file was asked for and the default one
    /// does not exist.
    static func profile(_ context: ProviderContext) throws -> [String: String] {
        let given = context.option("auth_config_file")
        let path = expand(given ?? OCIProvider.defaultConfigFile)
        let name = context.option("auth_profile") ?? "DEFAULT"
        guard access(path, R_OK) == 0 else {
            guard given == nil || given == OCIProvider.defaultConfigFile else {
                throw LexiconError(.config, "cannot read the OCI config file \(path).", provider: "oci")
            }
            if name != "DEFAULT" {
                throw LexiconError(
                    .config, "--auth-profile \(name) needs an OCI config file; \(path) cannot be read.",
                    provider: "oci")
            }
            return [:]
        }
        let sections = parse(String(decoding: try FileIO.read(path), as: UTF8.self))
        guard let section = sections[name] ?? (name == "DEFAULT" ? [:] : nil) else {
            throw LexiconError(.config, "the OCI config file \(path) has no profile [\(name)].", provider: "oci")
        }
        return (sections["DEFAULT"] ?? [:]).merging(section) { _, mine in mine }
    }

    /// The sections of an INI file, by name: `key=value` lines, `#` and `;` comments.
    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: " \t")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: " \t")
                sections[current!, default: [:]] = sections[current!] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: " \t").lowercased()
            sections[current]?[key] = String(line[line.index(after: equals)...]).trimmingCharacters(in: " \t")
        }
        return sections
    }

    /// A path with a leading `~` made the home directory.
    static func expand(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = getenv("HOME") else { return path }
        return String(cString: home) + path.dropFirst()
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
