import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of DNS Made Easy's REST API v2.0 on loopback, written from its API documentation: every request
/// signed with `x-dnsme-apiKey`, `x-dnsme-requestDate` (RFC 1123) and `x-dnsme-hmac` (hex HMAC-SHA1 of the date
/// under the secret key), the signature recomputed here and a date further than ``dateWindow`` seconds from the
/// fake's clock refused like a wrong key, all with 403 and DNS Made Easy's `{"error": ["…"]}` body; the zone id
/// from `GET /dns/managed/name?domainname=`, records under `/dns/managed/{id}/records[/{rid}]` listed in pages
/// numbered from 0 (two records a page, so listings page) with `page`, `totalPages` and `totalRecords`, names
/// relative to the zone (`""` for the apex), the MX priority in `mxLevel`, the request limit (150 per window) in
/// `x-dnsme-requestLimit`/`x-dnsme-requestsRemaining` and a 400 `Rate limit exceeded` once it is spent, and 400
/// bodies for invalid, duplicate and conflicting records.
public final class DNSMadeEasyFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        /// Relative to the zone; `""` for the apex.
        public var name: String
        public var type: String
        public var value: String
        public var ttl: Int
        public var mxLevel: Int
    }

    /// The API key it accepts.
    public let apiKey = "lexicon-test-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// The secret key it signs with.
    public let secretKey = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// How far, in seconds, a request date may be from the fake's clock. DNS Made Easy refuses dates "too far out of
    /// sync" (a report shows 48 seconds refused); the fake allows 30.
    public static let dateWindow = 30
    /// The records a listing page holds (DNS Made Easy's pages are larger).
    public let pageSize = 2
    private let api: FakeAPI<StoredRecord>
    private let zoneIDs: [String: Int]
    private var remaining: Int

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/V2.0" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, which hold no records.
    /// - Parameters:
    ///   - names: The domains.
    ///   - requestLimit: The requests the account may make (DNS Made Easy: 150 per 5 minutes).
    public init(domains names: [String], requestLimit: Int = 150) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 60_001)
        zoneIDs = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, 880_001 + $0) })
        remaining = requestLimit
        let limit = requestLimit
        try api.start(
            authorize: { [unowned self] request in
                if let refusal = refusal(request) { return refusal }
                guard remaining > 0 else { return Self.error(400, "Rate limit exceeded") }
                remaining -= 1
                return nil
            },
            route: { [unowned self] in
                let reply = route($0)
                guard case .respond(var response, let delay) = reply else { return reply }
                response.headers["x-dnsme-requestLimit"] = String(limit)
                response.headers["x-dnsme-requestsRemaining"] = String(remaining)
                return .respond(response, delay: delay)
            })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// The id of a domain.
    public func zoneID(_ domain: String) -> Int? { zoneIDs[domain] }

    /// Makes listings answer the first page whatever page is asked for.
    public func ignorePaging() { api.ignorePaging() }

    /// The signature headers of a request made now (or `skew` seconds off), for raw requests in tests.
    public static func signature(key: String, secret: String, skew: Int = 0) -> [HTTPHeader] {
        let date = RequestDate.rfc1123(RequestDate.now() + skew)
        return [
            HTTPHeader("x-dnsme-apiKey", key), HTTPHeader("x-dnsme-requestDate", date),
            HTTPHeader("x-dnsme-hmac", hmac(secret: secret, date: date)),
        ]
    }

    static func hmac(secret: String, date: String) -> String {
        Digest.hex(Digest.hmac(.sha1, key: Array(secret.utf8), Array(date.utf8)))
    }

    /// Why the signature is refused, or nil: a missing or unknown key, a date out of the window, a wrong HMAC.
    private func refusal(_ request: FakeRequest) -> FakeReply? {
        guard let key = request.header("x-dnsme-apiKey"), let date = request.header("x-dnsme-requestDate"),
            let hmac = request.header("x-dnsme-hmac")
        else { return Self.error(403, "API key, request date and HMAC headers are required.") }
        guard key == apiKey else { return Self.error(403, "Invalid API key.") }
        let now = RequestDate.now()
        guard (-Self.dateWindow...Self.dateWindow).contains(where: { RequestDate.rfc1123(now + $0) == date }) else {
            return Self.error(403, "Request sent with date header too far out of sync.")
        }
        guard hmac.lowercased() == Self.hmac(secret: secretKey, date: date) else {
            return Self.error(403, "Invalid HMAC.")
        }
        return nil
    }

    private static let types = [
        "A", "AAAA", "ANAME", "CNAME", "HTTPRED", "MX", "NS", "PTR", "SRV", "TXT", "SPF", "CAA",
    ]
    private static let notFound = error(404, "Not found.")

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 4, parts[0] == "V2.0", parts[1] == "dns", parts[2] == "managed" else {
            return Self.notFound
        }
        if parts.count == 4, parts[3] == "name" {
            guard request.method == "GET" else { return Self.error(405, "Method not allowed.") }
            guard let name = request.parameters["domainname"]?.lowercased(), let id = zoneIDs[name] else {
                return Self.notFound
            }
            return .json(200, Self.json(domain: name, id: id))
        }
        guard let id = Int(parts[3]), let domain = zoneIDs.first(where: { $0.value == id })?.key,
            let records = api.records(domain)
        else { return Self.notFound }
        guard parts.count >= 5, parts.count <= 6, parts[4] == "records" else { return Self.notFound }
        var existing: StoredRecord?
        if parts.count == 6 {
            guard let rid = Int(parts[5]), let record = api.record(domain, id: rid) else { return Self.notFound }
            existing = record
        }
        switch (request.method, parts.count) {
        case ("GET", 5):
            var listed = records
            if let type = request.parameters["type"] { listed = listed.filter { $0.type == type.uppercased() } }
            if let name = request.parameters["recordName"] { listed = listed.filter { $0.name == name.lowercased() } }
            let page = api.page(listed, number: (request.int("page") ?? 0) + 1, size: pageSize)
            return .json(
                200,
                .object([
                    ("totalRecords", .int(page.total)), ("totalPages", .int(page.pages)),
                    ("data", .array(page.items.map { Self.json($0, zoneID: id) })), ("page", .int(page.number - 1)),
                ]))
        case ("POST", 5), ("PUT", 6):
            if request.header("content-type")?.hasPrefix("application/json") != true {
                return Self.error(415, "Content-Type must be application/json.")
            }
            return save(domain, id, request, existing: existing)
        case ("DELETE", 6):
            api.remove(domain, id: existing!.id)
            return .empty(200)
        default:
            return Self.error(405, "Method not allowed.")
        }
    }

    private func save(_ domain: String, _ zoneID: Int, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.jsonObject else { return Self.error(400, "Invalid JSON.") }
        if let existing, let id = json["id"]?.int, id != existing.id {
            return Self.error(400, "The record id does not match the URI.")
        }
        let type = (json["type"]?.string ?? existing?.type ?? "").uppercased()
        let name = (json["name"]?.string ?? existing?.name ?? "").lowercased()
        let value = json["value"]?.string ?? existing?.value ?? ""
        let ttl = json["ttl"]?.int ?? existing?.ttl ?? 86400
        let mxLevel = json["mxLevel"]?.int ?? existing?.mxLevel
        if let problem = problem(
            domain, type: type, name: name, value: value, ttl: ttl, mxLevel: mxLevel, id: existing?.id)
        {
            return Self.error(400, problem)
        }
        let record = StoredRecord(
            id: existing?.id ?? api.nextID(), name: name, type: type, value: value, ttl: ttl,
            mxLevel: type == "MX" ? mxLevel ?? 0 : 0)
        api.save(record, in: domain)
        return existing == nil ? .json(201, Self.json(record, zoneID: zoneID)) : .empty(200)
    }

    /// Why DNS Made Easy refuses a record, or nil.
    private func problem(
        _ domain: String, type: String, name: String, value: String, ttl: Int, mxLevel: Int?, id: Int?
    ) -> String? {
        guard Self.types.contains(type) else { return "Record type \(type) is not supported." }
        guard !name.hasSuffix("."), !name.contains(" "), name.allSatisfy(\.isASCII) else {
            return "Record name \(name) is invalid."
        }
        guard !value.isEmpty else { return "Record value is required." }
        guard ttl >= 30 else { return "TTL must be at least 30." }
        switch type {
        case "A" where FakeRules.notIPv4(value):
            return "Value \(value) is not a valid IPv4 address."
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: value)) == nil:
            return "Value \(value) is not a valid IPv6 address."
        case "MX" where mxLevel == nil:
            return "mxLevel is required for MX records."
        case "CNAME", "NS", "MX":
            if value.contains(" ") { return "Value \(value) is not a valid host name." }
        default:
            break
        }
        let others = api.stored(domain).filter { $0.id != id && $0.name == name }
        if others.contains(where: { $0.type == type && $0.value == value }) {
            return "Record with this type (\(type)), name (\(name)), and value (\(value)) already exists."
        }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "A CNAME record cannot share its name with another record."
        }
        return nil
    }

    /// A record as DNS Made Easy answers it.
    static func json(_ record: StoredRecord, zoneID: Int) -> JSONValue {
        .object([
            ("id", .int(record.id)), ("name", .string(record.name)), ("type", .string(record.type)),
            ("value", .string(record.value)), ("ttl", .int(record.ttl)), ("mxLevel", .int(record.mxLevel)),
            ("gtdLocation", .string("DEFAULT")), ("source", .int(1)), ("sourceId", .int(zoneID)),
            ("failover", .bool(false)), ("monitor", .bool(false)), ("dynamicDns", .bool(false)),
        ])
    }

    static func json(domain: String, id: Int) -> JSONValue {
        .object([
            ("id", .int(id)), ("name", .string(domain)), ("gtdEnabled", .bool(false)),
            (
                "nameServers",
                .array(
                    ["ns0.dnsmadeeasy.com", "ns1.dnsmadeeasy.com", "ns2.dnsmadeeasy.com"].map {
                        .object([("fqdn", .string($0))])
                    })
            ),
        ])
    }

    static func error(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("error", .array([.string(message)]))]))
    }
}
