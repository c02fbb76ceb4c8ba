import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Scaleway's Domains and DNS API (v2beta1) on loopback, written from Scaleway's API reference:
/// the `X-Auth-Token` secret key, `GET /dns-zones?dns_zone=` (`{dns_zones, total_count}`), record listings paged by
/// `page`/`page_size` with `total_count` (two records a page whatever is asked, so listings page), and every change
/// through `PATCH /dns-zones/{zone}/records` with `{"changes": [{add} | {set} | {delete}]}`, applied all or none.
/// Records have uuids, relative names with `""` for the apex, quoted TXT data, targets with their final dot and the
/// MX priority in its own field; errors are `{"message", "type"}` bodies.
public final class ScalewayFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        public var type: String
        public var name: String
        public var data: String
        public var priority: Int
        public var ttl: Int
    }

    /// The secret key it accepts.
    public let secretKey = UUID().uuidString.lowercased()
    /// A valid secret key whose policy grants no DNS permission: Scaleway answers it 403.
    public let restrictedKey = UUID().uuidString.lowercased()
    /// The most records a listing page holds, whatever `page_size` asks.
    public let pageSize = 2
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/domain/v2beta1" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with DNS zones (each with the NS records Scaleway creates).
    public init(zones names: [String]) throws {
        var zones: [String: [StoredRecord]] = [:]
        for name in names {
            zones[name] = ["ns0.dom.scw.cloud.", "ns1.dom.scw.cloud."].map {
                StoredRecord(id: UUID().uuidString.lowercased(), type: "NS", name: "", data: $0, priority: 0, ttl: 1800)
            }
        }
        api = FakeAPI(zones: zones)
        try api.start(
            authorize: { [secretKey, restrictedKey] in
                if $0.header("x-auth-token") == secretKey { return nil }
                if $0.header("x-auth-token") == restrictedKey {
                    return .json(
                        403,
                        .object([
                            ("message", .string("insufficient permissions")), ("type", .string("permissions_denied")),
                            (
                                "details",
                                .array([.object([("resource", .string("dns_zone")), ("action", .string("read"))])])
                            ),
                        ]))
                }
                return .json(
                    401,
                    .object([
                        ("message", .string("authentication is denied")), ("method", .string("api_key")),
                        ("reason", .string("invalid_argument")), ("type", .string("denied_authentication")),
                    ]))
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// Makes listings answer the first page whatever page is asked for.
    public func ignorePaging() { api.ignorePaging() }

    private static let types = ["A", "AAAA", "ALIAS", "CAA", "CNAME", "MX", "NS", "PTR", "SRV", "TXT"]

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts[0] == "domain", parts[1] == "v2beta1", parts[2] == "dns-zones" else {
            return Self.error(404, "not_found", "resource is not found")
        }
        if parts.count == 3 {
            guard request.method == "GET" else { return Self.error(405, "method_not_allowed", "method not allowed") }
            let wanted = request.parameters["dns_zone"]
            let zones = api.zoneKeys.filter { wanted == nil || $0 == wanted }.map(Self.json(zone:))
            guard let page = page(zones, request) else {
                return Self.invalid("page_size", "must be between 1 and 1000")
            }
            return .json(200, .object([("dns_zones", .array(page)), ("total_count", .int(zones.count))]))
        }
        guard parts.count == 5, parts[4] == "records" else {
            return Self.error(404, "not_found", "resource is not found")
        }
        let zone = parts[3]
        guard let records = api.records(zone) else {
            return .json(
                404,
                .object([
                    ("message", .string("resource is not found")), ("resource", .string("dns_zone")),
                    ("resource_id", .string(zone)), ("type", .string("not_found")),
                ]))
        }
        switch request.method {
        case "GET":
            guard let page = page(records.map(Self.json), request) else {
                return Self.invalid("page_size", "must be between 1 and 1000")
            }
            return .json(200, .object([("records", .array(page)), ("total_count", .int(records.count))]))
        case "PATCH":
            return patch(zone, request)
        default:
            return Self.error(405, "method_not_allowed", "method not allowed")
        }
    }

    /// One page by number; nil for a page size out of range.
    private func page(_ items: [JSONValue], _ request: FakeRequest) -> [JSONValue]? {
        let size = request.int("page_size") ?? 20
        guard (1...1000).contains(size) else { return nil }
        return api.page(items, number: request.int("page"), size: min(size, pageSize)).items
    }

    /// Applies every change to a copy of the zone, and stores it only when all are valid.
    private func patch(_ zone: String, _ request: FakeRequest) -> FakeReply {
        guard let body = request.jsonObject, let changes = body["changes"]?.array, !changes.isEmpty else {
            return Self.invalid("changes", "must contain at least one change")
        }
        var records = api.stored(zone)
        var touched: [StoredRecord] = []
        for change in changes {
            if let add = change["add"] {
                guard let list = add["records"]?.array, !list.isEmpty else {
                    return Self.invalid("changes.add.records", "must not be empty")
                }
                for json in list {
                    switch record(json, in: records) {
                    case .success(let record):
                        records.append(record)
                        touched.append(record)
                    case .failure(let reply):
                        return reply.reply
                    }
                }
            } else if let set = change["set"] {
                guard let matched = matches(set, in: records) else {
                    return Self.invalid("changes.set", "id or id_fields is required")
                }
                guard !matched.isEmpty else { return Self.error(404, "not_found", "record not found") }
                records.removeAll { matched.contains($0.id) }
                for json in set["records"]?.array ?? [] {
                    switch record(json, in: records) {
                    case .success(let record):
                        records.append(record)
                        touched.append(record)
                    case .failure(let reply):
                        return reply.reply
                    }
                }
            } else if let delete = change["delete"] {
                guard let matched = matches(delete, in: records) else {
                    return Self.invalid("changes.delete", "id or id_fields is required")
                }
                guard !matched.isEmpty else { return Self.error(404, "not_found", "record not found") }
                records.removeAll { matched.contains($0.id) }
            } else {
                return Self.invalid("changes", "each change must be one of add, set, delete, clear")
            }
        }
        api.edit(zone) { $0 = records }
        let all = body["return_all_records"]?.bool ?? true
        return .json(200, .object([("records", .array((all ? records : touched).map(Self.json)))]))
    }

    /// The ids a `set` or `delete` names (by `id`, or by `id_fields` name and type, data and TTL when given); nil
    /// when it names nothing.
    private func matches(_ change: JSONValue, in records: [StoredRecord]) -> [String]? {
        if let id = change["id"]?.string { return records.filter { $0.id == id }.map(\.id) }
        guard let fields = change["id_fields"], let name = fields["name"]?.string, let type = fields["type"]?.string
        else { return nil }
        let data = fields["data"]?.string
        let ttl = fields["ttl"]?.int
        return records.filter { record in
            record.name == name && record.type == type && (data == nil || record.data == data)
                && (ttl == nil || record.ttl == ttl)
        }.map(\.id)
    }

    private struct Refusal: Error { var reply: FakeReply }

    /// A record of a change, or why Scaleway refuses it.
    private func record(_ json: JSONValue, in records: [StoredRecord]) -> Result<StoredRecord, Refusal> {
        guard let type = json["type"]?.string, let name = json["name"]?.string, let data = json["data"]?.string else {
            return .failure(Refusal(reply: Self.invalid("records", "name, type and data are required")))
        }
        let priority = json["priority"]?.int ?? 0
        if let problem = problem(type: type, name: name, data: data) {
            return .failure(Refusal(reply: Self.invalid("records.data", problem)))
        }
        if FakeRules.cnameConflict(type, with: records.filter { $0.name == name }.map(\.type)) {
            return .failure(
                Refusal(reply: Self.error(409, "conflict", "a CNAME record cannot coexist with other records")))
        }
        return .success(
            StoredRecord(
                id: UUID().uuidString.lowercased(), type: type, name: name, data: data, priority: priority,
                ttl: json["ttl"]?.int ?? 3600))
    }

    /// Why Scaleway refuses a record, or nil.
    private func problem(type: String, name: String, data: String) -> String? {
        guard Self.types.contains(type) else { return "invalid record type" }
        guard name != "@", !name.hasSuffix("."), name == name.lowercased(), !name.contains(" ") else {
            return "invalid record name"
        }
        guard !data.isEmpty else { return "invalid record data" }
        switch type {
        case "A" where FakeRules.notIPv4(data):
            return "invalid IPv4 address"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: data)) == nil:
            return "invalid IPv6 address"
        case "TXT" where !(data.count >= 2 && data.hasPrefix("\"") && data.hasSuffix("\"")):
            return "TXT data must be quoted"
        case "CNAME", "NS", "MX":
            if !data.hasSuffix(".") || data.contains(" ") { return "invalid hostname" }
        default:
            break
        }
        return nil
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("data", .string(record.data)), ("name", .string(record.name)), ("priority", .int(record.priority)),
            ("ttl", .int(record.ttl)), ("type", .string(record.type)), ("comment", .null), ("id", .string(record.id)),
        ])
    }

    static func json(zone: String) -> JSONValue {
        .object([
            ("domain", .string(zone)), ("subdomain", .string("")),
            ("ns", .array([.string("ns0.dom.scw.cloud"), .string("ns1.dom.scw.cloud")])),
            ("status", .string("active")), ("project_id", .string("00000000-0000-0000-0000-000000000000")),
        ])
    }

    static func error(_ status: Int, _ type: String, _ message: String) -> FakeReply {
        .json(status, .object([("message", .string(message)), ("type", .string(type))]))
    }

    static func invalid(_ argument: String, _ reason: String) -> FakeReply {
        .json(
            400,
            .object([
                ("message", .string("invalid argument(s)")), ("type", .string("invalid_arguments")),
                (
                    "details",
                    .array([
                        .object([
                            ("argument_name", .string(argument)), ("reason", .string("constraint")),
                            ("help_message", .string(reason)),
                        ])
                    ])
                ),
            ]))
    }
}
