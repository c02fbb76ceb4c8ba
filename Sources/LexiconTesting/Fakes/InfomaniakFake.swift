import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Infomaniak's v2 zone API on loopback, written from Infomaniak's API reference: Bearer auth,
/// `/2/zones/{zone}` and its `records` paged by `page`/`per_page` (two items a page, so listings page) in the
/// `{"result": "success", "data", "total", "page", "pages", "items_per_page"}` envelope, numeric ids, relative
/// sources with `.` for the apex, TXT targets stored and listed quoted, the MX and SRV priority inside the target,
/// updates of target and TTL only, and the `{"result": "error", "error": {"code", "description", "errors"}}` bodies
/// for missing or wrong tokens, unknown zones and records, and invalid records.
public final class InfomaniakFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        public var source: String
        public var type: String
        public var target: String
        public var ttl: Int
    }

    /// The API token it accepts.
    public let token = String(UInt64.random(in: 0...UInt64.max), radix: 36) + "ik"
    /// The most items a listing page holds, whatever `per_page` asks.
    public let pageSize = 2
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with zones (each with Infomaniak's NS records).
    public init(zones names: [String]) throws {
        var zones: [String: [StoredRecord]] = [:]
        var id = 0
        for name in names {
            zones[name] = ["ns11.infomaniak.ch", "ns12.infomaniak.ch"].map { server in
                id += 1
                return StoredRecord(id: id, source: ".", type: "NS", target: server, ttl: 3600)
            }
        }
        api = FakeAPI(zones: zones, firstID: id + 1)
        try api.start(
            authorize: { [token] in
                guard let authorization = $0.header("authorization") else {
                    return Self.error(401, "not_authorized", "Authorization required")
                }
                return authorization == "Bearer \(token)" ? nil : Self.error(401, "not_authorized", "Invalid token")
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// Makes listings answer the first page whatever page is asked for.
    public func ignorePaging() { api.ignorePaging() }

    static let types = [
        "A", "AAAA", "CAA", "CNAME", "DNAME", "DS", "MX", "NS", "PTR", "SMIMEA", "SRV", "SSHFP", "TLSA", "TXT",
    ]

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts.count <= 5, parts[0] == "2", parts[1] == "zones" else {
            return Self.error(404, "not_found", "Route not found")
        }
        let zone = parts[2]
        guard api.records(zone) != nil else { return Self.error(404, "object_not_found", "Zone not found") }
        guard parts.count == 3 || parts[3] == "records" else { return Self.error(404, "not_found", "Route not found") }
        let existing = parts.count == 5 ? Int(parts[4]).flatMap { api.record(zone, id: $0) } : nil
        if parts.count == 5 && existing == nil { return Self.error(404, "object_not_found", "Record not found") }
        switch (request.method, parts.count) {
        case ("GET", 3):
            return Self.success(
                .object([
                    ("fqdn", .string(zone)), ("dnssec", .object([("is_enabled", .bool(false))])),
                    ("nameservers", .array(["ns11.infomaniak.ch", "ns12.infomaniak.ch"].map(JSONValue.string))),
                ]))
        case ("GET", 4):
            return list(zone, request)
        case ("GET", 5):
            return Self.success(json(existing!, zone))
        case ("POST", 4), ("PUT", 5):
            return save(zone, request, existing: existing)
        case ("DELETE", 5):
            api.remove(zone, id: existing!.id)
            return Self.success(.bool(true))
        default:
            return Self.error(405, "method_not_allowed", "Method not allowed")
        }
    }

    private func list(_ zone: String, _ request: FakeRequest) -> FakeReply {
        let perPage = request.int("per_page") ?? 15
        guard (1...1000).contains(perPage) else {
            return Self.invalid([("per_page", "attribute_max_value", "The per page may not be greater than 1000")])
        }
        let page = api.page(api.stored(zone), number: request.int("page"), size: min(perPage, pageSize))
        return .json(
            200,
            .object([
                ("result", .string("success")), ("data", .array(page.items.map { json($0, zone) })),
                ("total", .int(page.total)), ("page", .int(page.number)), ("pages", .int(page.pages)),
                ("items_per_page", .int(page.size)),
            ]))
    }

    /// A create (source, type, target, TTL) or an update (target and TTL only; other fields are left as they are).
    private func save(_ zone: String, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.jsonObject else { return Self.error(400, "invalid_request", "Invalid JSON body") }
        let source = existing?.source ?? json["source"]?.string?.lowercased() ?? ""
        let type = existing?.type ?? json["type"]?.string ?? ""
        var target = json["target"]?.string ?? existing?.target ?? ""
        let ttl = json["ttl"]?.int ?? existing?.ttl ?? 3600
        var problems: [(String, String, String)] = []
        if existing == nil && (source.isEmpty || source == "@" || source.hasSuffix(".") && source != ".") {
            problems.append(("source", "attribute_invalid", "The source must be a relative name, or . for the zone"))
        }
        if !Self.types.contains(type) { problems.append(("type", "attribute_invalid", "The selected type is invalid")) }
        if ttl < 60 { problems.append(("ttl", "attribute_min_value", "The ttl must be at least 60")) }
        if let problem = problem(zone, type: type, source: source, target: target, id: existing?.id) {
            problems.append(("target", "attribute_invalid", problem))
        }
        guard problems.isEmpty else { return Self.invalid(problems) }
        if type == "TXT" && !target.hasPrefix("\"") { target = TXTPresentation.encode(target) }
        let record = StoredRecord(
            id: existing?.id ?? api.nextID(), source: source, type: type, target: target, ttl: ttl)
        api.save(record, in: zone)
        return Self.success(self.json(record, zone))
    }

    /// Why Infomaniak refuses a target, or nil.
    private func problem(_ zone: String, type: String, source: String, target: String, id: Int?) -> String? {
        guard !target.isEmpty else { return "The target field is required" }
        let fields = target.split(separator: " ")
        switch type {
        case "A" where FakeRules.notIPv4(target):
            return "The target must be a valid IPv4 address"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: target)) == nil:
            return "The target must be a valid IPv6 address"
        case "MX" where fields.count != 2 || Int(fields[0]) == nil:
            return "The target must be PRIORITY HOST"
        case "SRV" where fields.count != 4 || fields.prefix(3).contains { Int($0) == nil }:
            return "The target must be PRIORITY WEIGHT PORT TARGET"
        case "CNAME" where fields.count != 1, "NS" where fields.count != 1:
            return "The target must be a host name"
        default:
            break
        }
        let others = api.stored(zone).filter { $0.id != id && $0.source == source }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "A CNAME record cannot coexist with other records of the same source"
        }
        return nil
    }

    private func json(_ record: StoredRecord, _ zone: String) -> JSONValue {
        .object([
            ("id", .int(record.id)), ("source", .string(record.source)),
            ("source_idn", .string(record.source == "." ? zone : record.source + "." + zone)),
            ("type", .string(record.type)), ("ttl", .int(record.ttl)), ("target", .string(record.target)),
            ("updated_at", .int(1_780_000_000 + record.id)),
        ])
    }

    static func success(_ data: JSONValue) -> FakeReply {
        .json(200, .object([("result", .string("success")), ("data", data)]))
    }

    static func error(_ status: Int, _ code: String, _ description: String, errors: [JSONValue] = []) -> FakeReply {
        var error: [(String, JSONValue)] = [("code", .string(code)), ("description", .string(description))]
        if !errors.isEmpty { error.append(("errors", .array(errors))) }
        return .json(status, .object([("result", .string("error")), ("error", .object(error))]))
    }

    /// A validation failure, one entry per attribute.
    static func invalid(_ problems: [(attribute: String, code: String, description: String)]) -> FakeReply {
        error(
            422, "validation_failed", "Validation failed",
            errors: problems.map {
                .object([
                    ("code", .string($0.code)), ("description", .string($0.description)),
                    ("context", .object([("attribute", .string($0.attribute))])),
                ])
            })
    }
}
