import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of LuaDNS's v1 API on loopback, written from LuaDNS's API documentation: HTTP Basic auth with
/// the account e-mail and an API key, JSON only (a request without `Accept: application/json` is a 400 Bad
/// Request), `GET /zones` as an array of `{id, name, …}`, records under `/zones/{id}/records` with numeric ids,
/// names as FQDNs with their final dot, content in zone-file form (the MX priority in front, targets with their
/// final dot), a minimum TTL of 300, and `{"status", "request_id", "message"}` bodies for wrong credentials (401),
/// unknown zones and records (404, `Zone not found.`, `Record not found.`), malformed JSON (400) and invalid records (422).
public final class LuaDNSFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        /// The FQDN with its final dot.
        public var name: String
        public var type: String
        public var content: String
        public var ttl: Int
    }

    /// The account e-mail it accepts.
    public let email = "lexicon@example.com"
    /// The API key it accepts.
    public let apiKey = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private let api: FakeAPI<StoredRecord>
    /// The zone ids by name.
    private let zoneIDs: [String: Int]

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with zones, which hold no records; their ids are 1, 2, … in name order.
    public init(zones names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 50_001)
        zoneIDs = Dictionary(uniqueKeysWithValues: zip(names.sorted(), 1...))
        let expected = "Basic " + Base64.encode(Array("\(email):\(apiKey)".utf8))
        try api.start(
            authorize: { request in
                guard request.header("authorization") == expected else {
                    return Self.error(401, "Unauthorized", "Invalid email or API key.")
                }
                guard request.header("accept")?.contains("application/json") == true else {
                    return Self.error(400, "Bad Request", "The Accept header must be application/json.")
                }
                return nil
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// The id of a zone.
    public func zoneID(_ zone: String) -> Int? { zoneIDs[zone] }

    private static let types = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SPF", "SRV", "SSHFP", "TXT"]
    private static let notFound = error(404, "Not Found", "Resource not found.")

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 2, parts.count <= 5, parts[0] == "v1", parts[1] == "zones" else { return Self.notFound }
        if parts.count == 2 {
            guard request.method == "GET" else { return Self.error(405, "Method Not Allowed", "") }
            return .json(
                200, .array(zoneIDs.sorted { $0.value < $1.value }.map { Self.json(zone: $0.key, id: $0.value) }))
        }
        guard let id = Int(parts[2]), let zone = zoneIDs.first(where: { $0.value == id })?.key,
            let records = api.records(zone)
        else { return Self.error(404, "Not Found", "Zone not found.") }
        guard parts.count == 3 || parts[3] == "records" else { return Self.notFound }
        var existing: StoredRecord?
        if parts.count == 5 {
            guard let rid = Int(parts[4]), let record = api.record(zone, id: rid) else {
                return Self.error(404, "Not Found", "Record not found.")
            }
            existing = record
        }
        switch (request.method, parts.count) {
        case ("GET", 3):
            return .json(200, Self.json(zone: zone, id: id))
        case ("GET", 4):
            return .json(200, .array(records.map { Self.json($0, zoneID: id) }))
        case ("GET", 5):
            return .json(200, Self.json(existing!, zoneID: id))
        case ("POST", 4), ("PUT", 5):
            return save(zone, id: id, request, existing: existing)
        case ("DELETE", 5):
            api.remove(zone, id: existing!.id)
            return .json(200, Self.json(existing!, zoneID: id))
        default:
            return Self.error(405, "Method Not Allowed", "")
        }
    }

    private func save(_ zone: String, id zoneID: Int, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.json, json.object != nil else {
            return Self.error(400, "Bad Request", "Malformed JSON.")
        }
        let type = (json["type"]?.string ?? existing?.type ?? "").uppercased()
        let name = (json["name"]?.string ?? existing?.name ?? "").lowercased()
        let content = json["content"]?.string ?? existing?.content ?? ""
        let ttl = json["ttl"]?.int ?? existing?.ttl ?? 3600
        if let problem = problem(zone, type: type, name: name, content: content, ttl: ttl, id: existing?.id) {
            return Self.error(422, "Unprocessable Entity", problem)
        }
        let record = StoredRecord(
            id: existing?.id ?? api.nextID(), name: name, type: type, content: content, ttl: ttl)
        api.save(record, in: zone)
        return .json(200, Self.json(record, zoneID: zoneID))
    }

    /// Why LuaDNS refuses a record, or nil.
    private func problem(_ zone: String, type: String, name: String, content: String, ttl: Int, id: Int?)
        -> String?
    {
        guard Self.types.contains(type) else { return "Invalid record type." }
        guard name.hasSuffix("."), name == zone + "." || name.hasSuffix("." + zone + "."), !name.contains(" ")
        else { return "Name must be a fully qualified domain name inside the zone." }
        guard !content.isEmpty else { return "Content can't be blank." }
        guard ttl >= 300 else { return "TTL must be greater than or equal to 300." }
        switch type {
        case "A" where FakeRules.notIPv4(content):
            return "Invalid IPv4 address."
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: content)) == nil:
            return "Invalid IPv6 address."
        case "CNAME", "NS", "PTR":
            if content.contains(" ") || !content.hasSuffix(".") {
                return "Content must be a fully qualified domain name."
            }
        case "MX":
            let fields = content.split(separator: " ")
            guard fields.count == 2, Int(fields[0]) != nil, fields[1].hasSuffix(".") else {
                return "MX content must be PRIORITY HOST."
            }
        case "SRV":
            let fields = content.split(separator: " ")
            guard fields.count == 4, fields.prefix(3).allSatisfy({ Int($0) != nil }), fields[3].hasSuffix(".") else {
                return "SRV content must be PRIORITY WEIGHT PORT TARGET."
            }
        default:
            break
        }
        let others = api.stored(zone).filter { $0.id != id && $0.name == name }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "CNAME records cannot share a name with other records."
        }
        return nil
    }

    /// A record as LuaDNS answers it.
    static func json(_ record: StoredRecord, zoneID: Int) -> JSONValue {
        .object([
            ("id", .int(record.id)), ("name", .string(record.name)), ("type", .string(record.type)),
            ("content", .string(record.content)), ("ttl", .int(record.ttl)), ("zone_id", .int(zoneID)),
            ("created_at", .string("2026-01-01T00:00:00Z")), ("updated_at", .string("2026-01-01T00:00:00Z")),
        ])
    }

    static func json(zone: String, id: Int) -> JSONValue {
        .object([
            ("id", .int(id)), ("name", .string(zone)), ("synced", .bool(false)), ("queries_count", .int(0)),
            ("records_count", .int(0)), ("aliases_count", .int(0)), ("redirects_count", .int(0)),
            ("forwards_count", .int(0)), ("template_id", .int(0)),
        ])
    }

    static func error(_ status: Int, _ statusText: String, _ message: String) -> FakeReply {
        .json(
            status,
            .object([
                ("status", .string(statusText)), ("request_id", .string(UUID().uuidString)),
                ("message", .string(message)),
            ]))
    }
}
