import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of the IONOS hosting DNS API v1 on loopback, written from its OpenAPI description (DNS API
/// 1.0.2): the `X-API-Key` header, zones by uuid (`GET /zones`), a zone with all its records (`GET /zones/{id}`,
/// filtered by `recordName`, `recordType` and `suffix`), creates as an array (`POST /zones/{id}/records`, all or
/// nothing, 201 with the created records), `GET`/`PUT`/`DELETE /zones/{id}/records/{id}` (an update carries content,
/// TTL, `prio` and `disabled`, never name or type), FQDN names, TXT content stored in double quotes, and errors as
/// arrays of `{"code", "message"}`: 401 `UNAUTHORIZED` for a missing or wrong key, 404 for unknown zones and records,
/// 400 `INVALID_DATA` or `INVALID_RECORD` for bodies and records IONOS refuses.
public final class IONOSFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// The FQDN, without a final dot.
        public var name: String
        public var type: String
        /// The content as IONOS stores it (TXT in double quotes).
        public var content: String
        public var ttl: Int
        public var prio: Int
        public var disabled: Bool
    }

    /// The API key it accepts (`prefix.secret`).
    public let key =
        String(UInt32.random(in: 0...UInt32.max), radix: 16) + "."
        + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private let api: FakeAPI<StoredRecord>
    /// Zone names by zone id (fixed once started).
    private let zoneNames: [String: String]

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/dns/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// The nameservers IONOS puts in a new zone.
    public static let nameservers = ["ns1045.ui-dns.de", "ns1061.ui-dns.biz", "ns1101.ui-dns.org", "ns1116.ui-dns.com"]

    /// Starts the fake with zones (each with IONOS's NS records at the apex).
    public init(zones names: [String]) throws {
        var zones: [String: [StoredRecord]] = [:]
        var zoneNames: [String: String] = [:]
        for name in names {
            let id = UUID().uuidString.lowercased()
            zoneNames[id] = name
            zones[id] = Self.nameservers.map {
                StoredRecord(
                    id: UUID().uuidString.lowercased(), name: name, type: "NS", content: $0, ttl: 86400, prio: 0,
                    disabled: false)
            }
        }
        self.zoneNames = zoneNames
        api = FakeAPI(zones: zones)
        try api.start(
            authorize: { [key] in
                $0.header("x-api-key") == key
                    ? nil : Self.error(401, "UNAUTHORIZED", "The customer is not authorized to do this operation.")
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The id of a zone.
    public func zoneID(_ name: String) -> String? { zoneNames.first { $0.value == name }?.key }

    /// The records of a zone, by name.
    public func stored(_ zone: String) -> [StoredRecord] { zoneID(zone).map { api.stored($0) } ?? [] }

    /// The types IONOS takes (its `recordTypes`).
    private static let types = [
        "A", "AAAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT", "CAA", "TLSA", "SMIMEA", "SSHFP", "DS", "HTTPS",
        "SVCB", "CERT", "URI", "RP", "LOC", "OPENPGPKEY",
    ]

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts.count <= 6, parts[0] == "dns", parts[1] == "v1", parts[2] == "zones" else {
            return Self.error(404, "NOT_FOUND", "Resource not found.")
        }
        if parts.count == 3 {
            guard request.method == "GET" else { return Self.error(405, "METHOD_NOT_ALLOWED", "Method not allowed.") }
            return .json(
                200,
                .array(
                    zoneNames.sorted { $0.value < $1.value }.map {
                        .object([("name", .string($0.value)), ("id", .string($0.key)), ("type", .string("NATIVE"))])
                    }))
        }
        let zoneID = parts[3]
        guard let zone = zoneNames[zoneID], let records = api.records(zoneID) else {
            return Self.error(404, "ZONE_NOT_FOUND", "Zone does not exist.")
        }
        guard parts.count == 4 || parts[4] == "records" else {
            return Self.error(404, "NOT_FOUND", "Resource not found.")
        }
        switch (request.method, parts.count) {
        case ("GET", 4):
            return .json(200, zoneJSON(zoneID, zone, records, request))
        case ("POST", 5):
            return create(zoneID, zone, request)
        case (_, 6):
            guard let existing = api.record(zoneID, id: parts[5]) else {
                return Self.error(404, "RECORD_NOT_FOUND", "Record does not exist.")
            }
            switch request.method {
            case "GET": return .json(200, Self.json(existing, zone: zone))
            case "PUT": return update(zoneID, zone, existing, request)
            case "DELETE":
                api.remove(zoneID, id: existing.id)
                return .empty(200)
            default: return Self.error(405, "METHOD_NOT_ALLOWED", "Method not allowed.")
            }
        default:
            return Self.error(405, "METHOD_NOT_ALLOWED", "Method not allowed.")
        }
    }

    /// The zone with its records, filtered by `recordName` (a FQDN), `recordType` (a comma-separated list) and `suffix`.
    private func zoneJSON(_ id: String, _ zone: String, _ records: [StoredRecord], _ request: FakeRequest) -> JSONValue
    {
        let name = request.parameters["recordName"]?.lowercased()
        let types = request.parameters["recordType"].map { Set($0.split(separator: ",").map(String.init)) }
        let suffix = request.parameters["suffix"]?.lowercased()
        let chosen = records.filter { record in
            (name == nil || record.name == name) && (types == nil || types!.contains(record.type))
                && (suffix == nil || record.name == suffix || record.name.hasSuffix("." + suffix!))
        }
        return .object([
            ("id", .string(id)), ("name", .string(zone)), ("type", .string("NATIVE")),
            ("records", .array(chosen.map { Self.json($0, zone: zone) })),
        ])
    }

    private func create(_ zoneID: String, _ zone: String, _ request: FakeRequest) -> FakeReply {
        guard let items = request.json?.array, !items.isEmpty, items.allSatisfy({ $0.object != nil }) else {
            return Self.error(400, "INVALID_DATA", "The request body is invalid or not supported by the endpoint.")
        }
        var added: [StoredRecord] = []
        for item in items {
            guard let name = item["name"]?.string?.lowercased(), let type = item["type"]?.string,
                let content = item["content"]?.string
            else {
                let missing = ["name", "type", "content"].filter { item[$0]?.string == nil }
                return Self.invalid(item, requiredFields: missing)
            }
            let record = StoredRecord(
                id: UUID().uuidString.lowercased(), name: name, type: type,
                content: type == "TXT" ? Self.quoted(content) : content, ttl: item["ttl"]?.int ?? 3600,
                prio: item["prio"]?.int ?? 0, disabled: item["disabled"]?.bool ?? false)
            if let field = problem(record, zone: zone, beside: api.stored(zoneID) + added) {
                return Self.invalid(item, invalidFields: [field])
            }
            added.append(record)
        }
        for record in added { api.save(record, in: zoneID) }
        return .json(201, .array(added.map { Self.json($0, zone: zone) }))
    }

    private func update(_ zoneID: String, _ zone: String, _ existing: StoredRecord, _ request: FakeRequest)
        -> FakeReply
    {
        guard let item = request.jsonObject else {
            return Self.error(400, "INVALID_DATA", "The request body is invalid or not supported by the endpoint.")
        }
        var record = existing
        if let content = item["content"]?.string {
            record.content = record.type == "TXT" ? Self.quoted(content) : content
        }
        record.ttl = item["ttl"]?.int ?? record.ttl
        record.prio = item["prio"]?.int ?? record.prio
        record.disabled = item["disabled"]?.bool ?? record.disabled
        let others = api.stored(zoneID).filter { $0.id != existing.id }
        if let field = problem(record, zone: zone, beside: others) { return Self.invalid(item, invalidFields: [field]) }
        api.save(record, in: zoneID)
        return .json(200, Self.json(record, zone: zone))
    }

    /// The field IONOS refuses in a record, or nil.
    private func problem(_ record: StoredRecord, zone: String, beside others: [StoredRecord]) -> String? {
        guard Self.types.contains(record.type) else { return "type" }
        guard record.name == zone || record.name.hasSuffix("." + zone), !record.name.hasSuffix("."),
            !record.name.contains(" "), record.name.allSatisfy(\.isASCII)
        else { return "name" }
        guard (60...86400).contains(record.ttl) else { return "ttl" }
        guard !record.content.isEmpty else { return "content" }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.content):
            return "content"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.content)) == nil:
            return "content"
        case "CNAME", "NS", "MX":
            if record.content.contains(" ") { return "content" }
        default:
            break
        }
        let sameName = others.filter { $0.name == record.name }.map(\.type)
        if FakeRules.cnameConflict(record.type, with: sameName) { return "type" }
        return nil
    }

    /// TXT content as IONOS stores it: one string in double quotes, inner `"` and `\` escaped.
    static func quoted(_ content: String) -> String {
        "\"" + content.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func json(_ record: StoredRecord, zone: String) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("name", .string(record.name)), ("rootName", .string(zone)),
            ("type", .string(record.type)), ("content", .string(record.content)),
            ("changeDate", .string("2026-01-01T00:00:00.000Z")), ("ttl", .int(record.ttl)), ("prio", .int(record.prio)),
            ("disabled", .bool(record.disabled)),
        ])
    }

    /// `400 INVALID_RECORD`, naming the fields, with the record as sent.
    static func invalid(_ input: JSONValue, invalidFields: [String] = [], requiredFields: [String] = []) -> FakeReply {
        var parameters: [(String, JSONValue)] = [("inputRecord", input)]
        if !invalidFields.isEmpty { parameters.append(("invalidFields", .array(invalidFields.map(JSONValue.string)))) }
        if !requiredFields.isEmpty {
            parameters.append(("requiredFields", .array(requiredFields.map(JSONValue.string))))
        }
        return .json(
            400,
            .array([
                .object([
                    ("code", .string("INVALID_RECORD")), ("message", .string("Record is invalid.")),
                    ("parameters", .object(parameters)),
                ])
            ]))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> FakeReply {
        .json(status, .array([.object([("code", .string(code)), ("message", .string(message))])]))
    }
}
