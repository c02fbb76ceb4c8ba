import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stateful fake of Google Cloud DNS (API v1) and Google's OAuth 2.0 token endpoint on loopback, written from
/// Google's documentation: the service-account grant (an RS256 JWT whose signature, issuer, audience, scope and
/// lifetime are checked; `invalid_grant` otherwise) issuing bearer tokens that expire (401 `authError` after),
/// managed zones and record sets listed two a page with `nextPageToken`, and changes applied atomically: deletions
/// must match the live set exactly (412 `conditionNotMet`, 404 `notFound`), additions must not collide (409
/// `alreadyExists`) nor break the CNAME rule, and rrdatas must be valid presentation format for their type.
public final class GoogleCloudDNSFake: @unchecked Sendable {
    /// One record set, its name absolute with the final dot.
    public struct StoredSet: Sendable, Equatable {
        public var name: String
        public var type: String
        public var ttl: Int
        public var values: [String]
    }

    private struct Zone {
        var name: String
        var dnsName: String
        var id: String
        var isPrivate: Bool
    }

    /// An RSA private key (PKCS#8 PEM) made by the openssl command on first use, once per process.
    public static let generatedKey: String = {
        let openssl = CommandRunner.which("openssl") ?? "/usr/bin/openssl"
        return CommandRunner.runBlocking(
            openssl, ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
        ).stdout
    }()

    private static let projectID = "lexicon-fake-project"
    private static let account = "lexicon-dns@lexicon-fake-project.iam.gserviceaccount.com"
    /// The project the fake knows.
    public var project: String { Self.projectID }
    /// The service account the fake knows.
    public var clientEmail: String { Self.account }
    /// The account's private key (PEM).
    public let privateKey: String
    private let signer: RSASigner
    private var zones: [Zone] = []
    private var tokens: [String: Int] = [:]
    private var changes: Set<String> = []
    private var lifetime = 3600
    private var tokenRequests = 0
    private let api = FakeAPI<StoredSet>()

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/dns/v1" }
    /// The token endpoint to give as `token_endpoint`.
    public var tokenEndpoint: String { api.url + "/token" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }
    /// How many tokens were asked for.
    public var tokensRequested: Int { api.locked { tokenRequests } }

    /// Starts the fake with a public managed zone per name, a private zone of the first name's DNS name, and two
    /// zones of other names listed before them (so finding a zone reads more than one page).
    /// - Parameters:
    ///   - names: The zones' DNS names, without the final dot.
    ///   - privateKey: The account's key; ``generatedKey`` by default.
    public init(zones names: [String], privateKey: String = GoogleCloudDNSFake.generatedKey) throws {
        self.privateKey = privateKey
        signer = try RSASigner(pem: privateKey, option: "fake key")
        let fillers = ["aaa-other.example", "aab-other.example"].map { ($0, false) }
        let wanted = names.map { ($0, false) } + names.prefix(1).map { ($0, true) }
        for (index, (name, isPrivate)) in (fillers + wanted).enumerated() {
            let dnsName = name.lowercased() + "."
            let zoneName = (isPrivate ? "private-" : "") + name.lowercased().replacing(".", with: "-")
            zones.append(Zone(name: zoneName, dnsName: dnsName, id: String(7_000_000 + index), isPrivate: isPrivate))
            let ns = (1...4).map { "ns-cloud-a\($0).googledomains.com." }
            api.edit(zoneName) {
                $0 = [
                    StoredSet(name: dnsName, type: "NS", ttl: 21600, values: ns),
                    StoredSet(
                        name: dnsName, type: "SOA", ttl: 21600,
                        values: ["\(ns[0]) cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300"]),
                ]
            }
        }
        try api.start(authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// Makes listings answer the first page whatever `pageToken` asks for.
    public func ignorePaging(_ ignored: Bool = true) { api.ignorePaging(ignored) }

    /// The sets of the public zone of a DNS name.
    public func stored(_ domain: String) -> [StoredSet] {
        api.locked { zones.first { $0.dnsName == domain + "." && !$0.isPrivate }.map { api.stored($0.name) } } ?? []
    }

    /// The sets of the private zone of a DNS name.
    public func storedPrivate(_ domain: String) -> [StoredSet] {
        api.locked { zones.first { $0.dnsName == domain + "." && $0.isPrivate }.map { api.stored($0.name) } } ?? []
    }

    /// Sets the lifetime of the tokens issued from now on.
    public func setTokenLifetime(_ seconds: Int) { api.locked { lifetime = seconds } }

    /// Revokes every issued token (they are refused with 401 from now on, as expired ones are).
    public func revokeTokens() { api.locked { tokens.removeAll() } }

    /// The service account's JSON key file.
    /// - Parameters:
    ///   - tokenURI: The file's `token_uri`; Google's by default.
    ///   - privateKey: Another key, to be refused.
    public func keyFile(tokenURI: String = "https://oauth2.googleapis.com/token", privateKey: String? = nil) -> String {
        Self.keyFile(tokenURI: tokenURI, privateKey: privateKey ?? self.privateKey)
    }

    /// The key file as `--auth-service-account-info` takes it: `base64::…`.
    public func accountInfo(tokenURI: String = "https://oauth2.googleapis.com/token", privateKey: String? = nil)
        -> String
    {
        Self.accountInfo(tokenURI: tokenURI, privateKey: privateKey ?? self.privateKey)
    }

    /// A key file of the fake's account (for tests that need a usable key without a fake).
    public static func keyFile(tokenURI: String, privateKey: String = generatedKey) -> String {
        JSONValue.object([
            ("type", .string("service_account")), ("project_id", .string(projectID)),
            ("private_key_id", .string("0123456789abcdef")), ("private_key", .string(privateKey)),
            ("client_email", .string(account)), ("client_id", .string("100000000000000000001")),
            ("auth_uri", .string("https://accounts.google.com/o/oauth2/auth")), ("token_uri", .string(tokenURI)),
        ]).text
    }

    /// ``keyFile(tokenURI:privateKey:)`` as `base64::…`.
    public static func accountInfo(tokenURI: String, privateKey: String = generatedKey) -> String {
        "base64::" + Base64.encode(Array(keyFile(tokenURI: tokenURI, privateKey: privateKey).utf8))
    }

    // MARK: - OAuth

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        if request.parts == ["token"] { return nil }
        let header = request.header("authorization") ?? ""
        guard header.hasPrefix("Bearer "), let expiry = tokens[String(header.dropFirst(7))],
            Int(time(nil)) < expiry
        else {
            return Self.error(
                401, "authError",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
                    + "valid authentication credential.")
        }
        return nil
    }

    private func grant(_ request: FakeRequest) -> FakeReply {
        tokenRequests += 1
        func refuse(_ error: String, _ description: String) -> FakeReply {
            .json(400, .object([("error", .string(error)), ("error_description", .string(description))]))
        }
        let form = URLQuery.split("/?" + String(decoding: request.http.body ?? [], as: UTF8.self)).query
        let fields = Dictionary(form, uniquingKeysWith: { _, last in last })
        guard request.method == "POST", fields["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" else {
            return refuse("unsupported_grant_type", "Invalid grant_type: \(fields["grant_type"] ?? "")")
        }
        let parts = (fields["assertion"] ?? "").split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64.decode(String(parts[0])),
            (try? JSONValue(parsing: headerBytes))?["alg"] == .string("RS256"),
            let claims = JWT.unverifiedClaims(of: fields["assertion"] ?? ""),
            let signature = Base64.decode(String(parts[2]))
        else { return refuse("invalid_request", "Invalid JWT: malformed assertion.") }
        guard claims["iss"]?.string == clientEmail else {
            return refuse("invalid_grant", "Invalid grant: account not found")
        }
        // RSASSA-PKCS1-v1_5 is deterministic: the account's own signature of the input is the only valid one.
        guard (try? signer.sign(Array("\(parts[0]).\(parts[1])".utf8), digest: .sha256)) == signature else {
            return refuse("invalid_grant", "Invalid JWT Signature.")
        }
        let audiences = [
            "https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v4/token", tokenEndpoint,
        ]
        guard audiences.contains(claims["aud"]?.string ?? "") else {
            return refuse("invalid_grant", "Invalid JWT: Failed audience check.")
        }
        let now = Int(time(nil))
        guard let iat = claims["iat"]?.int, let exp = claims["exp"]?.int, iat <= now + 60, exp > now,
            exp - iat <= 3600
        else {
            return refuse(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your "
                    + "iat and exp values in the JWT claim.")
        }
        let scopes = (claims["scope"]?.string ?? "").split(separator: " ")
        guard
            scopes.contains(where: {
                $0 == "https://www.googleapis.com/auth/ndev.clouddns.readwrite"
                    || $0 == "https://www.googleapis.com/auth/cloud-platform"
            })
        else { return refuse("invalid_scope", "Invalid OAuth scope or ID token audience provided.") }
        let token = "ya29." + String((0..<40).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789_-".randomElement()! })
        tokens[token] = now + lifetime
        return .json(
            200,
            .object([
                ("access_token", .string(token)), ("expires_in", .int(lifetime)), ("token_type", .string("Bearer")),
            ]))
    }

    // MARK: - Cloud DNS

    private func route(_ request: FakeRequest) -> FakeReply {
        if request.parts == ["token"] { return grant(request) }
        let parts = request.parts
        guard parts.count >= 5, parts[0] == "dns", parts[1] == "v1", parts[2] == "projects", parts[4] == "managedZones"
        else { return Self.error(404, "notFound", "Not Found") }
        guard parts[3] == project else {
            return Self.error(404, "notFound", "The 'parameters.project' resource named '\(parts[3])' does not exist.")
        }
        if parts.count == 5 && request.method == "GET" {
            let sorted = zones.sorted { $0.name < $1.name }
            let (items, next) = api.page(sorted, from: Self.cursor(request) { $0.name }, limit: 2)
            return Self.list("dns#managedZonesListResponse", "managedZones", items.map(Self.json), next: next?.name)
        }
        guard let zone = zones.first(where: { $0.name == parts[5] || $0.id == parts[5] }) else {
            return Self.error(
                404, "notFound", "The 'parameters.managedZone' resource named '\(parts[5])' does not exist.")
        }
        switch (request.method, parts.count > 6 ? parts[6] : "", parts.count) {
        case ("GET", "rrsets", 7):
            let filters = request.parameters
            if filters["type"] != nil && filters["name"] == nil {
                return Self.error(400, "invalid", "Invalid value for 'type': the 'name' parameter must be present.")
            }
            let sorted = api.stored(zone.name).filter { set in
                filters["name"].map { $0.lowercased() == set.name } ?? true
                    && filters["type"].map { $0 == set.type } ?? true
            }.sorted { ($0.name, $0.type) < ($1.name, $1.type) }
            let size = min(2, request.int("maxResults") ?? 2)
            let (items, next) = api.page(sorted, from: Self.cursor(request) { "\($0.name) \($0.type)" }, limit: size)
            return Self.list(
                "dns#resourceRecordSetsListResponse", "rrsets", items.map { Self.json($0) },
                next: next.map { "\($0.name) \($0.type)" })
        case ("POST", "changes", 7):
            guard let body = request.jsonObject else {
                return Self.error(400, "parseError", "This API does not support parsing form-encoded input.")
            }
            return change(zone, body)
        case ("GET", "changes", 8):
            guard changes.contains(parts[7]) else {
                return Self.error(
                    404, "notFound", "The 'parameters.changeId' resource named '\(parts[7])' does not exist.")
            }
            return .json(
                200, .object([("kind", .string("dns#change")), ("id", .string(parts[7])), ("status", .string("done"))]))
        default:
            return Self.error(404, "notFound", "Not Found")
        }
    }

    /// Applies a change all or nothing: every deletion, then every addition, on a copy.
    private func change(_ zone: Zone, _ body: JSONValue) -> FakeReply {
        let deletions = body["deletions"]?.array ?? []
        let additions = body["additions"]?.array ?? []
        guard !deletions.isEmpty || !additions.isEmpty else {
            return Self.error(400, "required", "The 'entity.change' resource named 'change' is empty.")
        }
        var sets = api.stored(zone.name)
        for (index, item) in deletions.enumerated() {
            let entity = "entity.change.deletions[\(index)]"
            guard let set = Self.parse(item) else { return Self.error(400, "invalid", "Invalid value for '\(entity)'") }
            guard let existing = sets.firstIndex(where: { $0.name == set.name && $0.type == set.type }) else {
                return Self.error(
                    404, "notFound", "The resource '\(entity)' named '\(set.name) (\(set.type))' does not exist.")
            }
            guard sets[existing].ttl == set.ttl, Set(sets[existing].values) == Set(set.values) else {
                return Self.error(412, "conditionNotMet", "Precondition not met for '\(entity)'")
            }
            sets.remove(at: existing)
        }
        for (index, item) in additions.enumerated() {
            let entity = "entity.change.additions[\(index)]"
            guard let set = Self.parse(item), set.ttl >= 0, !set.values.isEmpty else {
                return Self.error(400, "invalid", "Invalid value for '\(entity)': name, type, ttl and rrdatas.")
            }
            guard set.name == zone.dnsName || set.name.hasSuffix("." + zone.dnsName) else {
                return Self.error(
                    400, "invalid",
                    "The resource record set '\(entity)' is invalid because the DNS name '\(set.name)' is not a "
                        + "subdomain of the zone's DNS name '\(zone.dnsName)'.")
            }
            for (position, value) in set.values.enumerated() where !Self.valid(value, type: set.type) {
                return Self.error(
                    400, "invalid", "Invalid value for '\(entity).rrdata[\(position)]': '\(value)'")
            }
            if sets.contains(where: { $0.name == set.name && $0.type == set.type }) {
                return Self.error(
                    409, "alreadyExists", "The resource '\(entity)' named '\(set.name) (\(set.type))' already exists")
            }
            let others = sets.filter { $0.name == set.name }.map(\.type)
            if FakeRules.cnameConflict(set.type, with: others) {
                return Self.error(
                    400, "cnameResourceRecordSetConflict",
                    "The resource '\(entity)' named '\(set.name) (\(set.type))' is invalid because a CNAME resource "
                        + "record set may not share its name with another resource record set.")
            }
            sets.append(set)
        }
        api.edit(zone.name) { $0 = sets }
        let id = String(api.nextID())
        changes.insert(id)
        return .json(
            200,
            .object([
                ("kind", .string("dns#change")), ("additions", .array(additions)), ("deletions", .array(deletions)),
                ("startTime", .string("2026-01-01T00:00:00.000Z")), ("id", .string(id)), ("status", .string("pending")),
            ]))
    }

    private static func parse(_ item: JSONValue) -> StoredSet? {
        guard let name = item["name"]?.string?.lowercased(), name.hasSuffix("."), let type = item["type"]?.string,
            let ttl = item["ttl"]?.int
        else { return nil }
        return StoredSet(name: name, type: type, ttl: ttl, values: (item["rrdatas"]?.array ?? []).compactMap(\.string))
    }

    /// Whether an rrdata is presentation format for its type, as Cloud DNS checks it.
    private static func valid(_ value: String, type: String) -> Bool {
        let fields = value.split(separator: " ").map(String.init)
        func isName(_ text: String) -> Bool { text.count > 1 && text.hasSuffix(".") && !text.contains("..") }
        switch type {
        case "A": return !FakeRules.notIPv4(value)
        case "AAAA": return (try? RecordContent.normalize(type: .aaaa, content: value)) != nil
        case "CNAME", "NS", "PTR": return fields.count == 1 && isName(value)
        case "MX": return fields.count == 2 && UInt16(fields[0]) != nil && isName(fields[1])
        case "SRV": return fields.count == 4 && fields.prefix(3).allSatisfy { UInt16($0) != nil } && isName(fields[3])
        case "TXT", "SPF":
            guard let tokens = try? TXTPresentation.tokens(value, decodingUnquotedEscapes: true), !tokens.isEmpty
            else { return false }
            return tokens.allSatisfy { $0.quoted && $0.bytes.count <= 255 }
        default: return !value.isEmpty
        }
    }

    // MARK: - Bodies

    private static func cursor<T>(_ request: FakeRequest, key: @escaping (T) -> String) -> ((T) -> Bool)? {
        request.parameters["pageToken"].map { token in { key($0) >= token } }
    }

    private static func list(_ kind: String, _ field: String, _ items: [JSONValue], next: String?) -> FakeReply {
        var pairs: [(String, JSONValue)] = [("kind", .string(kind)), (field, .array(items))]
        if let next { pairs.append(("nextPageToken", .string(next))) }
        return .json(200, .object(pairs))
    }

    private static func json(_ zone: Zone) -> JSONValue {
        .object([
            ("kind", .string("dns#managedZone")), ("name", .string(zone.name)), ("dnsName", .string(zone.dnsName)),
            ("id", .string(zone.id)), ("description", .string("")),
            ("nameServers", .array((1...4).map { .string("ns-cloud-a\($0).googledomains.com.") })),
            ("visibility", .string(zone.isPrivate ? "private" : "public")),
        ])
    }

    private static func json(_ set: StoredSet) -> JSONValue {
        .object([
            ("kind", .string("dns#resourceRecordSet")), ("name", .string(set.name)), ("type", .string(set.type)),
            ("ttl", .int(set.ttl)), ("rrdatas", .array(set.values.map { .string($0) })),
        ])
    }

    static func error(_ status: Int, _ reason: String, _ message: String) -> FakeReply {
        .json(
            status,
            .object([
                (
                    "error",
                    .object([
                        ("code", .int(status)), ("message", .string(message)),
                        (
                            "errors",
                            .array([
                                .object([
                                    ("domain", .string("global")), ("reason", .string(reason)),
                                    ("message", .string(message)),
                                ])
                            ])
                        ),
                    ])
                )
            ]))
    }
}
