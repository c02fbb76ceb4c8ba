import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Vercel's DNS REST API on loopback, written from Vercel's API reference: Bearer auth, domains
/// of the personal account or of a team (seen only with its `teamId`), record listings newest first and paged by
/// `limit` and the `until` creation time that `pagination.next` hands out (two items a page, so listings page),
/// `rec_` ids, relative names with `""` for the apex, TTLs from 60, `mxPriority` for MX and an `srv` object for SRV
/// (listed as `WEIGHT PORT TARGET` beside `priority`), the `{"error": {"code", "message"}}` bodies, and, when told,
/// 429 answers with the `X-RateLimit-*` headers.
public final class VercelFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// The creation time in milliseconds, which listings sort by and `until` cuts at.
        public var created: Int
        public var type: String
        public var name: String
        public var value: String
        public var mxPriority: Int?
        public var priority: Int?
        public var ttl: Int
    }

    /// The access token it accepts.
    public let token = "vc-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    /// The most items a listing page holds, whatever `limit` asks (Vercel's default is 20, its maximum 100).
    public let pageSize = 2
    private let api: FakeAPI<StoredRecord>
    /// The team owning each domain; absent for the personal account's.
    private let owners: [String: String]
    private var rateLimited = 0

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with the personal account's domains and teams' domains (each with Vercel's NS records).
    public init(domains names: [String], teamDomains: [String: String] = [:]) throws {
        var zones: [String: [StoredRecord]] = [:]
        var sequence = 0
        for name in names + teamDomains.keys.sorted() {
            zones[name] = ["ns1.vercel-dns.com", "ns2.vercel-dns.com"].map { server in
                sequence += 1
                return StoredRecord(
                    id: Self.recordID(sequence), created: Self.epoch + sequence, type: "NS", name: "", value: server,
                    ttl: 60)
            }
        }
        owners = teamDomains
        api = FakeAPI(zones: zones, firstID: sequence + 1)
        try api.start(authorize: { [unowned self] in gate($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Makes listings answer the first page whatever `until` is given.
    public func ignorePaging() { api.ignorePaging() }

    /// Answers the next `count` requests with 429 and the `X-RateLimit-*` headers (no `Retry-After`).
    public func rateLimit(next count: Int) { api.locked { rateLimited = count } }

    static let epoch = 1_700_000_000_000
    static let types = ["A", "AAAA", "ALIAS", "CAA", "CNAME", "HTTPS", "MX", "SRV", "TXT", "NS"]

    static func recordID(_ sequence: Int) -> String { "rec_" + String(sequence * 7919 + 104_729, radix: 36) }

    /// Rate limits, then the token.
    private func gate(_ request: FakeRequest) -> FakeReply? {
        if rateLimited > 0 {
            rateLimited -= 1
            let reset = Int(Date().timeIntervalSince1970) + 1
            return Self.error(
                429, "rate_limited", "Rate limit exceeded",
                headers: ["x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "\(reset)"])
        }
        guard let authorization = request.header("authorization") else {
            return Self.error(403, "forbidden", "The request is missing an authentication token")
        }
        return authorization == "Bearer \(token)" ? nil : Self.error(403, "forbidden", "Not authorized")
    }

    /// Whether a domain is seen with the request's `teamId` (none for the personal account's).
    private func visible(_ domain: String, _ request: FakeRequest) -> Bool {
        api.records(domain) != nil && owners[domain] == request.parameters["teamId"]
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        switch (request.method, parts.count) {
        case ("PATCH", 4) where parts[0] == "v1" && parts[1] == "domains" && parts[2] == "records":
            guard let domain = api.zoneKeys.first(where: { api.record($0, id: parts[3]) != nil }),
                visible(domain, request)
            else { return Self.error(404, "not_found", "The DNS record was not found") }
            return save(domain, request, existing: api.record(domain, id: parts[3]))
        case (_, 3...5) where parts[1] == "domains":
            break
        default:
            return Self.error(404, "not_found", "The requested path was not found")
        }
        let domain = parts[2]
        guard visible(domain, request) else { return Self.error(404, "not_found", "The domain was not found") }
        switch (request.method, parts[0], parts.count) {
        case ("GET", "v5", 3):
            return .json(200, .object([("domain", Self.json(domain: domain))]))
        case ("GET", "v5", 4) where parts[3] == "records", ("GET", "v4", 4) where parts[3] == "records":
            return list(domain, request)
        case ("POST", "v2", 4) where parts[3] == "records":
            return save(domain, request, existing: nil)
        case ("DELETE", "v2", 5) where parts[3] == "records":
            guard api.remove(domain, id: parts[4]) != nil else {
                return Self.error(404, "not_found", "The DNS record was not found")
            }
            return .json(200, .object([]))
        default:
            return Self.error(404, "not_found", "The requested path was not found")
        }
    }

    /// A page, newest first: up to `limit` records created before `until`, and the creation time of the page's
    /// last record as `pagination.next` when more remain.
    private func list(_ domain: String, _ request: FakeRequest) -> FakeReply {
        let limit = request.parameters["limit"] == nil ? 20 : request.int("limit") ?? 0
        guard (1...100).contains(limit) else {
            return Self.error(400, "bad_request", "Invalid request: `limit` should be a number from 1 to 100")
        }
        let until = request.int("until")
        if request.parameters["until"] != nil && until == nil {
            return Self.error(400, "bad_request", "Invalid request: `until` should be a number")
        }
        let newest = api.stored(domain).sorted { $0.created > $1.created }
        let from: ((StoredRecord) -> Bool)? = until.map { until in { $0.created < until } }
        let page = api.page(newest, from: from, limit: min(limit, pageSize))
        let next: JSONValue = page.next == nil ? .null : .int(page.items.last?.created ?? 0)
        return .json(
            200,
            .object([
                ("records", .array(page.items.map(Self.json))),
                (
                    "pagination",
                    .object([
                        ("count", .int(page.items.count)), ("next", next),
                        ("prev", page.items.first.map { .int($0.created) } ?? .null),
                    ])
                ),
            ]))
    }

    private func save(_ domain: String, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.jsonObject else { return Self.error(400, "bad_request", "Invalid JSON body") }
        let type = json["type"]?.string ?? existing?.type ?? ""
        guard let name = (json["name"]?.string ?? existing?.name)?.lowercased() else {
            return Self.error(400, "bad_request", "Invalid request: missing required property `name`")
        }
        var value = json["value"]?.string ?? existing?.value ?? ""
        var priority = existing?.priority
        if type == "SRV", let srv = json["srv"] {
            guard let weight = srv["weight"]?.int, let port = srv["port"]?.int, let target = srv["target"]?.string,
                let srvPriority = srv["priority"]?.int
            else {
                return Self.error(400, "bad_request", "Invalid request: `srv` needs priority, weight, port, target")
            }
            value = "\(weight) \(port) \(target)"
            priority = srvPriority
        }
        let ttl = json["ttl"]?.int ?? existing?.ttl ?? 60
        let mxPriority = json["mxPriority"]?.int ?? existing?.mxPriority
        if let problem = problem(
            domain, type: type, name: name, value: value, ttl: ttl, mx: mxPriority, id: existing?.id)
        {
            return Self.error(400, "bad_request", problem)
        }
        let sequence = existing == nil ? api.nextID() : 0
        let record = StoredRecord(
            id: existing?.id ?? Self.recordID(sequence), created: existing?.created ?? Self.epoch + sequence,
            type: type, name: name, value: value, mxPriority: type == "MX" ? mxPriority : nil,
            priority: type == "SRV" ? priority : nil, ttl: ttl)
        api.save(record, in: domain)
        if existing != nil { return .json(200, Self.json(record)) }
        return .json(200, .object([("uid", .string(record.id)), ("updated", .int(record.created))]))
    }

    /// Why Vercel refuses a record, or nil.
    private func problem(
        _ domain: String, type: String, name: String, value: String, ttl: Int, mx: Int?, id: String?
    ) -> String? {
        guard Self.types.contains(type) else { return "Invalid request: `type` should be one of the DNS types" }
        guard name != "@", !name.hasSuffix("."), !name.hasSuffix(domain), !name.contains(" ") else {
            return "Invalid request: `name` should be a subdomain name or an empty string for the root domain"
        }
        guard (60...2_147_483_647).contains(ttl) else {
            return "Invalid request: `ttl` should be a number between 60 and 2147483647"
        }
        guard !value.isEmpty else { return "Invalid request: missing required property `value`" }
        switch type {
        case "A" where FakeRules.notIPv4(value):
            return "The record value must be a valid IPv4 address"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: value)) == nil:
            return "The record value must be a valid IPv6 address"
        case "MX" where mx == nil:
            return "Invalid request: missing required property `mxPriority`"
        case "SRV" where value.split(separator: " ").count != 3:
            return "Invalid request: missing required property `srv`"
        case "CNAME", "NS", "MX", "ALIAS":
            if value.contains(" ") { return "The record value must be a valid hostname" }
        default:
            break
        }
        let others = api.stored(domain).filter { $0.id != id && $0.name == name }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "A CNAME record cannot share its name with other records"
        }
        return nil
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string(record.id)), ("slug", .string(record.id)), ("name", .string(record.name)),
            ("type", .string(record.type)), ("value", .string(record.value)), ("ttl", .int(record.ttl)),
            ("creator", .string("system")), ("created", .int(record.created)), ("updated", .int(record.created)),
            ("createdAt", .int(record.created)), ("updatedAt", .int(record.created)),
        ]
        if let mx = record.mxPriority { fields.append(("mxPriority", .int(mx))) }
        if let priority = record.priority { fields.append(("priority", .int(priority))) }
        return .object(fields)
    }

    static func json(domain: String) -> JSONValue {
        .object([
            ("id", .string("dom_" + String(abs(domain.hashValue) % 1_000_000, radix: 36))), ("name", .string(domain)),
            ("serviceType", .string("zeit.world")),
            ("nameservers", .array(["ns1.vercel-dns.com", "ns2.vercel-dns.com"].map(JSONValue.string))),
        ])
    }

    static func error(_ status: Int, _ code: String, _ message: String, headers: [String: String] = [:]) -> FakeReply {
        .json(
            status, .object([("error", .object([("code", .string(code)), ("message", .string(message))]))]),
            headers: headers)
    }
}
