import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of both Hetzner DNS APIs on loopback, written from Hetzner's API documentation: the Cloud API
/// under `/v1` (`Bearer`, zones with numeric ids, rrsets, changes made by actions that only take effect once they
/// are polled to success) and the legacy DNS Console API under `/api/v1` (`Auth-API-Token`, records by id); both page
/// with `meta.pagination` (three items a page) and answer errors as `{"error": {"code", "message"}}`.
public final class HetznerFake: @unchecked Sendable {
    /// One stored value.
    public struct StoredRecord: Sendable, Equatable {
        public var id: String
        public var name: String
        public var type: String
        public var value: String
        public var ttl: Int
    }

    /// A Cloud API token (64 characters) and a legacy DNS Console token (32 characters).
    public let cloudToken = String((0..<64).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    public let legacyToken = String((0..<32).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    private var zones: [String: [StoredRecord]] = [:]
    private var pending: [Int: (zone: String, apply: () -> Void)] = [:]
    private var nextID = 1
    private let lock = NSLock()
    private var server: LoopbackHTTPServer!

    /// The Cloud API's base URL, and the legacy API's.
    public var cloudEndpoint: String { server.url + "/v1" }
    public var legacyEndpoint: String { server.url + "/api/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { server.requests }

    /// Starts the fake with zones, each with its apex NS records.
    public init(zones names: [String]) throws {
        for name in names {
            zones[name] = ["hydrogen", "oxygen"].map {
                StoredRecord(id: "ns-\($0)", name: "@", type: "NS", value: "\($0).ns.hetzner.com.", ttl: 3600)
            }
        }
        server = try LoopbackHTTPServer { [unowned self] request in lock.withLock { self.handle(request) } }
    }

    /// Stops the fake.
    public func stop() { server.stop() }

    /// The values of a zone that are in effect.
    public func stored(_ zone: String) -> [StoredRecord] { lock.withLock { zones[zone] ?? [] } }

    /// Actions started but never polled to completion.
    public var unfinishedActions: Int { lock.withLock { pending.count } }

    private func zoneID(_ name: String) -> Int { (zones.keys.sorted().firstIndex(of: name) ?? 0) + 100 }
    private func zoneName(_ id: String) -> String? {
        zones.keys.sorted().first { String(zoneID($0)) == id || "z\(zoneID($0))" == id }
    }

    private func handle(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply {
        let (path, query) = URLQuery.split(request.path)
        let parts = path.split(separator: "/").map { URLQuery.unescape($0) }
        if parts.first == "api" {
            guard request.header("auth-api-token") == legacyToken else {
                return Self.reply(401, .object([("message", .string("Invalid authentication credentials"))]))
            }
            return legacy(request, Array(parts.dropFirst(2)), query)
        }
        guard request.header("authorization") == "Bearer \(cloudToken)" else {
            return Self.error(401, "unauthorized", "unable to authenticate")
        }
        return cloud(request, Array(parts.dropFirst(1)), query)
    }

    // MARK: Cloud API

    private func cloud(_ request: HTTPRequest, _ parts: [String], _ query: [(String, String)])
        -> LoopbackHTTPServer.Reply
    {
        let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
        if parts == ["zones"] {
            let list = zones.keys.sorted().filter { zone in filters["name"].map { $0 == zone } ?? true }
                .map { JSONValue.object([("id", .int(zoneID($0))), ("name", .string($0))]) }
            return page(list, key: "zones", filters)
        }
        if parts.count == 2, parts[0] == "actions", let id = Int(parts[1]) {
            guard let action = pending.removeValue(forKey: id) else {
                return Self.reply(200, .object([("action", Self.action(id, "success"))]))
            }
            action.apply()
            return Self.reply(200, .object([("action", Self.action(id, "success"))]))
        }
        guard parts.count >= 3, parts[0] == "zones", let zone = zoneName(parts[1]), parts[2] == "rrsets" else {
            return Self.error(404, "not_found", "zone not found")
        }
        switch (request.method, parts.count) {
        case ("GET", 3):
            var sets: [String: [StoredRecord]] = [:]
            for record in zones[zone]! { sets["\(record.name)/\(record.type)", default: []].append(record) }
            let list = sets.keys.sorted().map { key -> JSONValue in
                let records = sets[key]!
                return .object([
                    ("id", .string(key)), ("name", .string(records[0].name)), ("type", .string(records[0].type)),
                    ("ttl", .int(records[0].ttl)),
                    (
                        "records",
                        .array(records.map { .object([("value", .string($0.value)), ("comment", .string(""))]) })
                    ),
                ])
            }
            return page(list, key: "rrsets", filters)
        case ("POST", 3):
            guard let json = body(request) else { return Self.error(400, "json_error", "invalid JSON") }
            guard let name = json["name"]?.string, let type = json["type"]?.string else {
                return Self.error(400, "invalid_input", "name and type are required")
            }
            if zones[zone]!.contains(where: { $0.name == name && $0.type == type }) {
                return Self.error(409, "uniqueness_error", "rrset already exists")
            }
            return change(
                zone, name: name, type: type, values: json["records"], ttl: json["ttl"]?.int ?? 3600, status: 201)
        case ("POST", 7) where parts[5] == "actions":
            let (name, type) = (parts[3], parts[4])
            guard let current = zones[zone]!.first(where: { $0.name == name && $0.type == type }) else {
                return Self.error(404, "not_found", "rrset not found")
            }
            guard let json = body(request) else { return Self.error(400, "json_error", "invalid JSON") }
            switch parts[6] {
            case "set_records":
                return change(zone, name: name, type: type, values: json["records"], ttl: current.ttl, status: 201)
            case "change_ttl":
                guard let ttl = json["ttl"]?.int, ttl >= 60 else {
                    return Self.error(400, "invalid_input", "ttl must be at least 60")
                }
                return startAction { [self] in
                    for index in zones[zone]!.indices
                    where zones[zone]![index].name == name && zones[zone]![index].type == type {
                        zones[zone]![index].ttl = ttl
                    }
                }
            default: return Self.error(404, "not_found", "unknown action")
            }
        case ("DELETE", 5):
            let (name, type) = (parts[3], parts[4])
            guard zones[zone]!.contains(where: { $0.name == name && $0.type == type }) else {
                return Self.error(404, "not_found", "rrset not found")
            }
            return startAction { [self] in zones[zone]!.removeAll { $0.name == name && $0.type == type } }
        default:
            return Self.error(404, "not_found", "not found")
        }
    }

    private func change(_ zone: String, name: String, type: String, values: JSONValue?, ttl: Int, status: Int)
        -> LoopbackHTTPServer.Reply
    {
        guard let list = values?.array?.compactMap({ $0["value"]?.string }), !list.isEmpty else {
            return Self.error(400, "invalid_input", "records must not be empty")
        }
        if let problem = validate(zone, name: name, type: type, values: list, ttl: ttl) {
            return Self.error(400, "invalid_input", problem)
        }
        return startAction(status: status) { [self] in
            zones[zone]!.removeAll { $0.name == name && $0.type == type }
            zones[zone]! += list.map { value in
                defer { nextID += 1 }
                return StoredRecord(id: "r\(nextID)", name: name, type: type, value: value, ttl: ttl)
            }
        }
    }

    private func startAction(status: Int = 201, _ apply: @escaping () -> Void) -> LoopbackHTTPServer.Reply {
        let id = nextID
        nextID += 1
        pending[id] = ("", apply)
        return Self.reply(status, .object([("action", Self.action(id, "running"))]))
    }

    static func action(_ id: Int, _ status: String) -> JSONValue {
        .object([
            ("id", .int(id)), ("command", .string("change_rrset")), ("status", .string(status)),
            ("progress", .int(status == "success" ? 100 : 0)), ("error", .null),
        ])
    }

    // MARK: Legacy API

    private func legacy(_ request: HTTPRequest, _ parts: [String], _ query: [(String, String)])
        -> LoopbackHTTPServer.Reply
    {
        let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
        switch (request.method, parts.count, parts.first) {
        case ("GET", 1, "zones"):
            let list = zones.keys.sorted().filter { zone in filters["name"].map { $0 == zone } ?? true }
                .map { JSONValue.object([("id", .string("z\(zoneID($0))")), ("name", .string($0))]) }
            if list.isEmpty {
                return Self.reply(
                    404, .object([("error", .object([("message", .string("zone not found")), ("code", .int(404))]))]))
            }
            return page(list, key: "zones", filters)
        case ("GET", 1, "records"):
            guard let zone = filters["zone_id"].flatMap(zoneName) else {
                return Self.reply(404, .object([("message", .string("zone not found"))]))
            }
            return page(zones[zone]!.map(Self.legacyJSON), key: "records", filters)
        case ("POST", 1, "records"), ("PUT", 2, "records"):
            guard let json = body(request), let zone = json["zone_id"]?.string.flatMap(zoneName),
                let type = json["type"]?.string, let name = json["name"]?.string, let value = json["value"]?.string
            else {
                return Self.reply(422, .object([("message", .string("zone_id, type, name and value are required"))]))
            }
            let ttl = json["ttl"]?.int ?? 86400
            let id = parts.count == 2 ? parts[1] : nil
            if let id, !zones[zone]!.contains(where: { $0.id == id }) {
                return Self.reply(404, .object([("message", .string("record not found"))]))
            }
            let others = zones[zone]!.filter { $0.id != id && $0.name == name && $0.type == type }.map(\.value)
            if let problem = validate(zone, name: name, type: type, values: others + [value], ttl: ttl, except: id) {
                return Self.reply(422, .object([("message", .string(problem))]))
            }
            let record = StoredRecord(
                id: id
                    ?? {
                        defer { nextID += 1 }; return "r\(nextID)"
                    }(), name: name, type: type, value: value, ttl: ttl)
            if let id, let index = zones[zone]!.firstIndex(where: { $0.id == id }) {
                zones[zone]![index] = record
            } else {
                zones[zone]!.append(record)
            }
            return Self.reply(200, .object([("record", Self.legacyJSON(record))]))
        case ("DELETE", 2, "records"):
            for zone in zones.keys {
                if let index = zones[zone]!.firstIndex(where: { $0.id == parts[1] }) {
                    zones[zone]!.remove(at: index)
                    return Self.reply(200, .object([]))
                }
            }
            return Self.reply(404, .object([("message", .string("record not found"))]))
        default:
            return Self.reply(404, .object([("message", .string("not found"))]))
        }
    }

    static func legacyJSON(_ record: StoredRecord) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("type", .string(record.type)), ("name", .string(record.name)),
            ("value", .string(record.value)), ("ttl", .int(record.ttl)),
        ])
    }

    // MARK: Shared

    private func validate(
        _ zone: String, name: String, type: String, values: [String], ttl: Int, except id: String? = nil
    ) -> String? {
        guard
            [
                "A", "AAAA", "CAA", "CNAME", "DS", "HINFO", "HTTPS", "MX", "NS", "PTR", "RP", "SOA", "SRV", "SVCB",
                "TLSA", "TXT",
            ].contains(type)
        else { return "invalid type" }
        if name.hasSuffix(".") || name.hasSuffix(zone) { return "name must be relative to the zone" }
        guard ttl >= 60 else { return "ttl must be at least 60" }
        for value in values {
            if type == "A", (try? RecordContent.normalize(type: .a, content: value)) == nil {
                return "invalid IPv4 address \(value)"
            }
            if type == "TXT", !(value.hasPrefix("\"") && value.hasSuffix("\"")) { return "TXT values must be quoted" }
            if type == "CNAME" || type == "NS", !value.hasSuffix(".") {
                return "\(type) values must be fully qualified (end with a dot)"
            }
        }
        let others = zones[zone]!.filter { $0.name == name && $0.type != type && $0.id != id }
        if (type == "CNAME" && !others.isEmpty) || others.contains(where: { $0.type == "CNAME" }) {
            return "a CNAME cannot coexist with other records"
        }
        return nil
    }

    private func body(_ request: HTTPRequest) -> JSONValue? {
        guard request.header("content-type")?.hasPrefix("application/json") == true, let body = request.body,
            let json = try? JSONValue(parsing: body), json.object != nil
        else { return nil }
        return json
    }

    private func page(_ items: [JSONValue], key: String, _ filters: [String: String]) -> LoopbackHTTPServer.Reply {
        let size = 3
        let page = max(1, Int(filters["page"] ?? "1") ?? 1)
        let last = max(1, (items.count + size - 1) / size)
        let slice = Array(items.dropFirst((page - 1) * size).prefix(size))
        let pagination = JSONValue.object([
            ("page", .int(page)), ("per_page", .int(size)), ("previous_page", page > 1 ? .int(page - 1) : .null),
            ("next_page", page < last ? .int(page + 1) : .null), ("last_page", .int(last)),
            ("total_entries", .int(items.count)),
        ])
        return Self.reply(200, .object([(key, .array(slice)), ("meta", .object([("pagination", pagination)]))]))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> LoopbackHTTPServer.Reply {
        reply(
            status,
            .object([
                ("error", .object([("code", .string(code)), ("message", .string(message)), ("details", .object([]))]))
            ]))
    }

    static func reply(_ status: Int, _ json: JSONValue) -> LoopbackHTTPServer.Reply {
        .respond(HTTPResponse(status: status, headers: ["content-type": "application/json"], body: json.encoded()))
    }
}
