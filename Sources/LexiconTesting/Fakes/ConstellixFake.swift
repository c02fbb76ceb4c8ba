import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Constellix's DNS REST API v1 on loopback, written from its API documentation: every request
/// signed with `x-cnsdns-apiKey`, `x-cnsdns-requestDate` (milliseconds since 1970) and `x-cnsdns-hmac` (base64
/// HMAC-SHA1 of the date under the secret key), a wrong key or HMAC, or a date further than ``dateWindow`` seconds
/// from the fake's clock, refused with 401 and Constellix's `{"errors": ["…"]}` body; domains under `/domains`,
/// one record per name and type under `/domains/{id}/records/{type}[/{rid}]` holding its values (`roundRobin`,
/// `host` for a CNAME), names relative to the domain (`""` for the apex), TXT values in double quotes, and 400 bodies
/// for invalid records, a second record of the same name and type, and CNAME conflicts.
public final class ConstellixFake: @unchecked Sendable {
    /// One stored record (a set of values of one name and type).
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        /// Relative to the domain; `""` for the apex.
        public var name: String
        public var type: String
        public var ttl: Int
        /// The values; for MX with their level.
        public var values: [String]
        public var levels: [Int]
    }

    /// The API key it accepts.
    public let apiKey = "lexicon-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// The secret key it signs with.
    public let secretKey = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    /// How far, in seconds, a request date may be from the fake's clock.
    public static let dateWindow = 300
    private let api: FakeAPI<StoredRecord>
    private let domainIDs: [String: Int]

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (each with Constellix's NS record at the apex) and one domain of another name.
    public init(domains names: [String]) throws {
        let all = ["aaa-other.example"] + names
        domainIDs = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, 70_001 + $0) })
        api = FakeAPI(firstID: 5_000_001)
        for name in all {
            let id = api.nextID()
            api.edit(name) {
                $0 = [
                    StoredRecord(
                        id: id, name: "", type: "NS", ttl: 86400,
                        values: ["ns11.constellix.com.", "ns21.constellix.com."], levels: [0, 0])
                ]
            }
        }
        try api.start(authorize: { [unowned self] in refusal($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    private func refusal(_ request: FakeRequest) -> FakeReply? {
        guard let key = request.header("x-cnsdns-apiKey"), let date = request.header("x-cnsdns-requestDate"),
            let hmac = request.header("x-cnsdns-hmac")
        else { return Self.error(401, "Missing authentication headers") }
        guard key == apiKey,
            hmac == Base64.encode(Digest.hmac(.sha1, key: Array(secretKey.utf8), Array(date.utf8)))
        else { return Self.error(401, "Invalid API key or HMAC") }
        let now = Int(Date().timeIntervalSince1970 * 1000)
        guard let millis = Int(date), abs(millis - now) <= Self.dateWindow * 1000 else {
            return Self.error(401, "Request date is out of sync")
        }
        return nil
    }

    private static let types = [
        "A", "AAAA", "CAA", "CNAME", "HINFO", "MX", "NAPTR", "NS", "PTR", "RP", "SPF", "SRV",
        "TXT",
    ]

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 2, parts[0] == "v1", parts[1] == "domains" else { return Self.error(404, "Not found") }
        if parts.count == 2 {
            guard request.method == "GET" else { return Self.error(405, "Method not allowed") }
            let domains = domainIDs.sorted { $0.value < $1.value }.map { name, id in
                JSONValue.object([("id", .int(id)), ("name", .string(name))])
            }
            return .json(200, .array(domains))
        }
        guard let id = Int(parts[2]), let domain = domainIDs.first(where: { $0.value == id })?.key else {
            return Self.error(404, "Domain not found")
        }
        guard parts.count >= 4, parts[3] == "records", parts.count <= 6 else { return Self.error(404, "Not found") }
        if parts.count == 4 {
            guard request.method == "GET" else { return Self.error(405, "Method not allowed") }
            return .json(200, .array(api.stored(domain).map(Self.json)))
        }
        let type = parts[4].uppercased()
        guard Self.types.contains(type) else { return Self.error(400, "Invalid record type") }
        let existing = parts.count == 6 ? Int(parts[5]).flatMap { api.record(domain, id: $0) } : nil
        if parts.count == 6 && (existing == nil || existing?.type != type) {
            return Self.error(404, "Requested record was not found")
        }
        switch (request.method, parts.count) {
        case ("GET", 5):
            return .json(200, .array(api.stored(domain).filter { $0.type == type }.map(Self.json)))
        case ("GET", 6):
            return .json(200, Self.json(existing!))
        case ("POST", 5), ("PUT", 6):
            return save(domain, type: type, request, existing: existing)
        case ("DELETE", 6):
            api.remove(domain, id: existing!.id)
            return .json(200, .object([("success", .string("Record deleted successfully"))]))
        default:
            return Self.error(405, "Method not allowed")
        }
    }

    private func save(_ domain: String, type: String, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.jsonObject else { return Self.error(400, "Invalid JSON") }
        guard let name = json["name"]?.string?.lowercased(), let ttl = json["ttl"]?.int else {
            return Self.error(400, "name and ttl are required")
        }
        var values: [String] = []
        var levels: [Int] = []
        if type == "CNAME" {
            guard let host = json["host"]?.string else { return Self.error(400, "host is required") }
            values = [host]
            levels = [0]
        } else {
            guard let items = json["roundRobin"]?.array, !items.isEmpty else {
                return Self.error(400, "roundRobin must hold at least one value")
            }
            for item in items {
                guard let value = item["value"]?.string else { return Self.error(400, "roundRobin value is required") }
                if type == "MX" && item["level"]?.int == nil { return Self.error(400, "MX level is required") }
                values.append(value)
                levels.append(item["level"]?.int ?? 0)
            }
        }
        if let problem = problem(domain, type: type, name: name, ttl: ttl, values: values, id: existing?.id) {
            return Self.error(400, problem)
        }
        let record = StoredRecord(
            id: existing?.id ?? api.nextID(), name: name, type: type, ttl: ttl, values: values, levels: levels)
        api.save(record, in: domain)
        if existing != nil { return .json(200, .object([("success", .string("Record updated successfully"))])) }
        return .json(201, .array([Self.json(record)]))
    }

    /// Why Constellix refuses a record, or nil.
    private func problem(_ domain: String, type: String, name: String, ttl: Int, values: [String], id: Int?)
        -> String?
    {
        guard name != "@", !name.hasSuffix("."), !name.contains(" "), name.allSatisfy(\.isASCII) else {
            return "Invalid record name"
        }
        guard (0...2_147_483_647).contains(ttl) else { return "TTL must be between 0 and 2147483647" }
        guard Set(values).count == values.count else { return "Duplicate values are not allowed" }
        for value in values {
            switch type {
            case "A" where FakeRules.notIPv4(value):
                return "Invalid IPv4 address"
            case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: value)) == nil:
                return "Invalid IPv6 address"
            case "TXT" where !(value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"")):
                return "TXT values must be enclosed in double quotes"
            case "CNAME", "NS", "MX":
                if value.contains(" ") || value.isEmpty { return "Invalid host name" }
            default:
                break
            }
        }
        let others = api.stored(domain).filter { $0.id != id && $0.name == name }
        if id == nil && others.contains(where: { $0.type == type }) {
            return "Record with this name and type already exists"
        }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "A CNAME record cannot share its name with other records"
        }
        return nil
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .int(record.id)), ("type", .string(record.type)), ("recordType", .string(record.type.lowercased())),
            ("name", .string(record.name)), ("ttl", .int(record.ttl)),
        ]
        if record.type == "CNAME" {
            pairs.append(("host", .string(record.values.first ?? "")))
        } else {
            let items = zip(record.values, record.levels).map { value, level in
                JSONValue.object(
                    [("value", .string(value)), ("disableFlag", .bool(false))]
                        + (record.type == "MX" ? [("level", .int(level))] : []))
            }
            pairs.append(("roundRobin", .array(items)))
        }
        return .object(pairs)
    }

    static func error(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("errors", .array([.string(message)]))]))
    }
}
