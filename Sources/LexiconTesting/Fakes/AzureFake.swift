import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Azure DNS on loopback, written from the Resource Manager documentation (api-version
/// 2018-05-01), and of Microsoft Entra ID's v2 token endpoint on a second loopback server: client-credential tokens
/// that expire (`POST /{tenant}/oauth2/v2.0/token`, AADSTS error bodies), zones listed per resource group and record
/// sets listed per zone with `$top` and a `nextLink` (small pages so tests page), record sets written with `PUT`
/// and removed with `DELETE` at `…/dnsZones/{zone}/{type}/{relative name}` (`@` for the apex), each with an `etag`
/// that `If-Match` and `If-None-Match: *` are checked against (412), and ARM's error bodies
/// (`{"error":{"code","message"}}`).
public final class AzureFake: @unchecked Sendable {
    /// One stored record set: its values as the API's JSON field holds them (`ARecords`, `CNAMERecord`, …).
    public struct StoredSet: Sendable {
        public var name: String
        public var type: String
        public var ttl: Int
        public var etag: String
        public var values: JSONValue
    }

    public let tenant = UUID().uuidString.lowercased()
    public let clientID = UUID().uuidString.lowercased()
    public let clientSecret = "s3cr~" + UUID().uuidString
    public let subscription = UUID().uuidString.lowercased()
    public let resourceGroup = "dns-rg"
    /// Seconds a token lives.
    public let tokenLifetime: Int
    /// Items per page when the request does not ask for fewer.
    public let pageSize: Int
    /// The nameservers of every zone.
    public static let nameservers = [
        "ns1-01.azure-dns.com.", "ns2-01.azure-dns.net.", "ns3-01.azure-dns.org.", "ns4-01.azure-dns.info.",
    ]

    private let api: FakeAPI<StoredSet>
    private let login = FakeAPI<String>()
    /// Tokens issued, and when each expires.
    private var issued: [String: Date] = [:]
    private var tokenRequestCount = 0
    private var throttled = 0
    private var foreignNextLink: String?

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// The base URL to give as `token_endpoint`.
    public var tokenEndpoint: String { login.url }
    /// Resource Manager requests received.
    public var requests: [HTTPRequest] { api.requests }
    /// Token requests received.
    public var tokenRequests: Int { api.locked { tokenRequestCount } }

    /// Starts the fake with zones, each with its SOA and apex NS sets, beside `fillerZones` other zones of the
    /// resource group that sort before them (so that finding a zone pages).
    public init(zones names: [String], fillerZones: Int = 3, tokenLifetime: Int = 3600, pageSize: Int = 3) throws {
        self.tokenLifetime = tokenLifetime
        self.pageSize = pageSize
        let zones = names + (0..<fillerZones).map { "0-filler\($0).example" }
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: zones.map { ($0, Self.apex($0)) }))
        try login.start { [unowned self] request in api.locked { token(request) } }
        try api.start(
            authorize: { [unowned self] request in authorize(request) }, route: { [unowned self] in route($0) })
    }

    /// Stops both servers.
    public func stop() {
        api.stop()
        login.stop()
    }

    /// The sets of a zone.
    public func stored(_ zone: String) -> [StoredSet] { api.stored(zone) }

    /// Stores a set directly (to fill a zone past a page); its values are the JSON of the type's field.
    public func seed(_ zone: String, name: String, type: String, ttl: Int = 3600, values: JSONValue) {
        api.edit(zone) { $0.append(StoredSet(name: name, type: type, ttl: ttl, etag: Self.etag(), values: values)) }
    }

    /// Changes a set behind the client's back (a new value and a new etag), as another writer would.
    public func touch(_ zone: String, name: String, type: String, values: JSONValue) {
        api.edit(zone) { sets in
            guard let index = sets.firstIndex(where: { $0.name == name && $0.type == type }) else { return }
            sets[index].values = values
            sets[index].etag = Self.etag()
        }
    }

    /// Makes every token issued so far expired.
    public func expireTokens() { api.locked { issued = issued.mapValues { _ in Date(timeIntervalSinceNow: -1) } } }

    /// Answers the next `count` requests with 429 and `Retry-After: 1`, as Resource Manager throttling does.
    public func throttle(next count: Int) { api.locked { throttled = count } }

    /// Makes listings answer the first page whatever `$skipToken` is asked for.
    public func ignorePaging() { api.ignorePaging() }

    /// Makes listings' `nextLink` point at another origin.
    public func sendNextLinks(to origin: String) { api.locked { foreignNextLink = origin } }

    // MARK: - Token endpoint

    private func token(_ request: FakeRequest) -> FakeReply {
        tokenRequestCount += 1
        guard request.method == "POST", request.parts.count == 4,
            Array(request.parts[1...]) == ["oauth2", "v2.0", "token"]
        else { return Self.aad(404, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.") }
        guard request.parts[0] == tenant else {
            return Self.aad(400, "invalid_request", "AADSTS90002: Tenant '\(request.parts[0])' not found.")
        }
        let form = Dictionary(
            URLQuery.split("/?" + String(decoding: request.http.body ?? [], as: UTF8.self)).query,
            uniquingKeysWith: { $1 })
        guard form["grant_type"] == "client_credentials" else {
            return Self.aad(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
        }
        guard form["client_id"] == clientID else {
            return Self.aad(
                400, "unauthorized_client",
                "AADSTS700016: Application with identifier '\(form["client_id"] ?? "")' was not found in the directory."
            )
        }
        guard form["client_secret"] == clientSecret else {
            return Self.aad(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
        }
        guard form["scope"] == endpoint + "/.default" else {
            return Self.aad(
                400, "invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.")
        }
        let value = UUID().uuidString + "." + UUID().uuidString
        issued[value] = Date(timeIntervalSinceNow: Double(tokenLifetime))
        return .json(
            200,
            .object([
                ("token_type", .string("Bearer")), ("expires_in", .int(tokenLifetime)),
                ("ext_expires_in", .int(tokenLifetime)), ("access_token", .string(value)),
            ]))
    }

    // MARK: - Resource Manager

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        guard let header = request.header("authorization"), header.hasPrefix("Bearer ") else {
            return Self.error(
                401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
        }
        guard let expiry = issued[String(header.dropFirst(7))] else {
            return Self.error(401, "InvalidAuthenticationToken", "The access token is invalid.")
        }
        guard expiry > Date() else {
            return Self.error(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is in the past.")
        }
        guard throttled == 0 else {
            throttled -= 1
            return Self.error(
                429, "TooManyRequests", "The request is being throttled.", headers: ["retry-after": "1"])
        }
        guard let version = request.parameters["api-version"] else {
            return Self.error(
                400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required.")
        }
        guard version == "2018-05-01" else {
            return Self.error(400, "InvalidApiVersionParameter", "The api-version '\(version)' is invalid.")
        }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 6, parts[0] == "subscriptions", parts[2] == "resourceGroups", parts[4] == "providers"
        else {
            return Self.error(404, "InvalidResourceType", "The resource type could not be found.")
        }
        guard parts[1] == subscription else {
            return Self.error(404, "SubscriptionNotFound", "The subscription '\(parts[1])' could not be found.")
        }
        guard parts[3].lowercased() == resourceGroup else {
            return Self.error(404, "ResourceGroupNotFound", "Resource group '\(parts[3])' could not be found.")
        }
        guard parts.count >= 7, parts[5].lowercased() == "microsoft.network", parts[6].lowercased() == "dnszones" else {
            return Self.error(404, "InvalidResourceType", "The resource type could not be found.")
        }
        if parts.count == 7, request.method == "GET" {
            return list(api.zoneKeys.map { zoneJSON($0) }, request)
        }
        let zone = parts[7].lowercased()
        guard api.records(zone) != nil else {
            return Self.error(
                404, "ResourceNotFound",
                "The Resource 'Microsoft.Network/dnszones/\(parts[7])' under resource group '\(resourceGroup)' was not found."
            )
        }
        switch (request.method, parts.count) {
        case ("GET", 9) where parts[8] == "recordsets":
            let sorted = api.stored(zone).sorted { ($0.name, $0.type) < ($1.name, $1.type) }
            return list(sorted.map { setJSON($0, zone) }, request)
        case ("PUT", 10):
            return put(zone, type: parts[8], name: parts[9].lowercased(), request)
        case ("DELETE", 10):
            return delete(zone, type: parts[8], name: parts[9].lowercased(), request)
        default:
            return Self.error(
                405, "MethodNotAllowed", "The requested resource does not support http method '\(request.method)'.")
        }
    }

    private func list(_ items: [JSONValue], _ request: FakeRequest) -> FakeReply {
        let top = min(request.int("$top") ?? 100, pageSize)
        let offset = request.int("$skipToken") ?? 0
        let page = api.page(items, offset: offset, limit: top)
        var pairs: [(String, JSONValue)] = [("value", .array(page))]
        let next = (api.pagingIgnored ? 0 : offset) + page.count
        if next < items.count {
            let path = URLQuery.split(request.http.path).path
            let query = URLQuery.encode([
                ("api-version", "2018-05-01"), ("$top", String(top)), ("$skipToken", String(next)),
            ])
            pairs.append(("nextLink", .string((foreignNextLink ?? endpoint) + path + "?" + query)))
        }
        return .json(200, .object(pairs))
    }

    private func put(_ zone: String, type: String, name: String, _ request: FakeRequest) -> FakeReply {
        let sets = api.stored(zone)
        let current = sets.first { $0.name == name && $0.type == type }
        if let failed = precondition(current, request) { return failed }
        guard let properties = request.jsonObject?["properties"], case .object(let fields) = properties else {
            return Self.error(400, "BadRequest", "The request body is not a record set.")
        }
        if type == "SOA" || !Self.fieldNames.keys.contains(type) {
            return Self.error(400, "BadRequest", "Record sets of type '\(type)' cannot be created here.")
        }
        guard let ttl = properties["TTL"]?.int, (0...2_147_483_647).contains(ttl) else {
            return Self.error(400, "BadRequest", "The TTL is missing or out of range.")
        }
        let field = Self.fieldNames[type]!
        let others = fields.map(\.0).filter { $0 != "TTL" && $0 != field }
        guard others.isEmpty, let values = properties[field] else {
            return Self.error(
                400, "BadRequest", "A record set of type \(type) holds only \(field); got \(fields.map(\.0)).")
        }
        if let problem = Self.validate(type: type, name: name, values) {
            return Self.error(400, "BadRequest", problem)
        }
        let rivals = sets.filter { $0.name == name && $0.type != type }.map(\.type)
        if FakeRules.cnameConflict(type, with: rivals) {
            return Self.error(
                409, "Conflict", "The record set \(name) of type \(type) conflicts with an existing CNAME record set.")
        }
        let set = StoredSet(name: name, type: type, ttl: ttl, etag: Self.etag(), values: values)
        api.edit(zone) { sets in
            sets.removeAll { $0.name == name && $0.type == type }
            sets.append(set)
        }
        return .json(current == nil ? 201 : 200, setJSON(set, zone))
    }

    private func delete(_ zone: String, type: String, name: String, _ request: FakeRequest) -> FakeReply {
        guard let current = api.stored(zone).first(where: { $0.name == name && $0.type == type }) else {
            return .empty(204)
        }
        if let failed = precondition(current, request) { return failed }
        if type == "SOA" || (type == "NS" && name == "@") {
            return Self.error(400, "BadRequest", "The \(type) record set at the zone apex cannot be deleted.")
        }
        api.edit(zone) { $0.removeAll { $0.name == name && $0.type == type } }
        return .empty(200)
    }

    /// 412 when `If-Match` names another etag (or no set) or `If-None-Match: *` meets an existing set.
    private func precondition(_ current: StoredSet?, _ request: FakeRequest) -> FakeReply? {
        if let wanted = request.header("if-match"), wanted != "*", current?.etag != wanted {
            return Self.error(
                412, "PreconditionFailed",
                "The condition '\(wanted)' in the If-Match header was not satisfied. The current was '\(current?.etag ?? "n/a")'."
            )
        }
        if request.header("if-none-match") == "*", current != nil {
            return Self.error(
                412, "PreconditionFailed", "The condition '*' in the If-None-Match header was not satisfied.")
        }
        return nil
    }

    static let fieldNames = [
        "A": "ARecords", "AAAA": "AAAARecords", "CNAME": "CNAMERecord", "MX": "MXRecords", "NS": "NSRecords",
        "PTR": "PTRRecords", "TXT": "TXTRecords", "SRV": "SRVRecords", "CAA": "CAARecords", "SOA": "SOARecord",
    ]

    /// What Azure refuses in a set's values.
    static func validate(type: String, name: String, _ values: JSONValue) -> String? {
        if type == "CNAME" {
            guard name != "@" else { return "CNAME record sets are not permitted at the zone apex." }
            guard let target = values["cname"]?.string, values.object?.count == 1, !target.isEmpty else {
                return "A CNAME record set holds exactly one CNAMERecord with a cname."
            }
            return nil
        }
        guard let items = values.array else { return "\(fieldNames[type]!) must be a list." }
        func number(_ item: JSONValue, _ key: String) -> Bool {
            item[key]?.int.map { (0...65_535).contains($0) } ?? false
        }
        func text(_ item: JSONValue, _ key: String) -> Bool { !(item[key]?.string ?? "").isEmpty }
        for item in items {
            switch type {
            case "A":
                if FakeRules.notIPv4(item["ipv4Address"]?.string ?? "") { return "The IPv4 address is invalid." }
            case "AAAA":
                if (try? RecordContent.normalize(type: .aaaa, content: item["ipv6Address"]?.string ?? "")) == nil {
                    return "The IPv6 address is invalid."
                }
            case "MX":
                if !number(item, "preference") || !text(item, "exchange") {
                    return "An MX record needs a preference (0-65535) and an exchange."
                }
            case "SRV":
                if !["priority", "weight", "port"].allSatisfy({ number(item, $0) }) || !text(item, "target") {
                    return "An SRV record needs priority, weight, port (0-65535) and a target."
                }
            case "TXT":
                guard let strings = item["value"]?.array?.compactMap(\.string), !strings.isEmpty else {
                    return "A TXT record needs a value: a list of strings."
                }
                if strings.contains(where: { $0.utf8.count > 255 }) {
                    return "Each string of a TXT record value is at most 255 characters."
                }
            case "CAA":
                if item["flags"]?.int == nil || !text(item, "tag") || item["value"]?.string == nil {
                    return "A CAA record needs flags, a tag and a value."
                }
            case "NS": if !text(item, "nsdname") { return "An NS record needs an nsdname." }
            case "PTR": if !text(item, "ptrdname") { return "A PTR record needs a ptrdname." }
            default: break
            }
        }
        return nil
    }

    private func zoneJSON(_ zone: String) -> JSONValue {
        .object([
            (
                "id",
                .string(
                    "/subscriptions/\(subscription)/resourceGroups/\(resourceGroup)/providers/Microsoft.Network/dnszones/\(zone)"
                )
            ),
            ("name", .string(zone)), ("type", .string("Microsoft.Network/dnszones")), ("etag", .string("zone-" + zone)),
            ("location", .string("global")),
            (
                "properties",
                .object([
                    ("maxNumberOfRecordSets", .int(10_000)), ("numberOfRecordSets", .int(api.stored(zone).count)),
                    ("nameServers", .array(Self.nameservers.map { .string($0) })), ("zoneType", .string("Public")),
                ])
            ),
        ])
    }

    private func setJSON(_ set: StoredSet, _ zone: String) -> JSONValue {
        let fqdn = (set.name == "@" ? "" : set.name + ".") + zone + "."
        return .object([
            (
                "id",
                .string(
                    "/subscriptions/\(subscription)/resourceGroups/\(resourceGroup)/providers/Microsoft.Network/dnszones/\(zone)/\(set.type)/\(set.name)"
                )
            ),
            ("name", .string(set.name)), ("type", .string("Microsoft.Network/dnszones/\(set.type)")),
            ("etag", .string(set.etag)),
            (
                "properties",
                .object([
                    ("TTL", .int(set.ttl)), ("fqdn", .string(fqdn)), ("provisioningState", .string("Succeeded")),
                    (Self.fieldNames[set.type] ?? "\(set.type)Records", set.values),
                ])
            ),
        ])
    }

    private static func apex(_ zone: String) -> [StoredSet] {
        let soa = JSONValue.object([
            ("host", .string(nameservers[0])), ("email", .string("azuredns-hostmaster.microsoft.com")),
            ("serialNumber", .int(1)), ("refreshTime", .int(3600)), ("retryTime", .int(300)),
            ("expireTime", .int(2_419_200)), ("minimumTTL", .int(300)),
        ])
        return [
            StoredSet(name: "@", type: "SOA", ttl: 3600, etag: etag(), values: soa),
            StoredSet(
                name: "@", type: "NS", ttl: 172_800, etag: etag(),
                values: .array(nameservers.map { .object([("nsdname", .string($0))]) })),
        ]
    }

    private static func etag() -> String { UUID().uuidString.lowercased() }

    static func error(_ status: Int, _ code: String, _ message: String, headers: [String: String] = [:]) -> FakeReply {
        .json(
            status, .object([("error", .object([("code", .string(code)), ("message", .string(message))]))]),
            headers: headers)
    }

    static func aad(_ status: Int, _ error: String, _ description: String) -> FakeReply {
        .json(
            status,
            .object([
                ("error", .string(error)), ("error_description", .string(description)),
                ("error_codes", .array([.int(Int(description.dropFirst(5).prefix { $0.isNumber }) ?? 0)])),
            ]))
    }
}
