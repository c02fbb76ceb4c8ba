import Lexicon
import LexiconHTTP

/// A stateful fake of both Hetzner DNS APIs on loopback, written from Hetzner's API documentation: the Cloud API
/// under `/v1` (`Bearer`, zones with numeric ids, rrsets, changes made by actions that only take effect once they
/// are polled to success) and the legacy DNS Console API under `/api/v1` (`Auth-API-Token`, records by id); both page
/// with `meta.pagination` (three items a page) and answer errors as `{"error": {"code", "message"}}`.
public final class HetznerFake: @unchecked Sendable {
    /// One stored value.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        public var name: String
        public var type: String
        public var value: String
        public var ttl: Int
    }

    /// A Cloud API token (64 characters) and a legacy DNS Console token (32 characters).
    public let cloudToken = String((0..<64).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    public let legacyToken = String((0..<32).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    /// What each started action does once it is polled.
    private var pending: [Int: () -> Void] = [:]
    private let api = FakeAPI<StoredRecord>()

    /// The Cloud API's base URL, and the legacy API's.
    public var cloudEndpoint: String { api.url + "/v1" }
    public var legacyEndpoint: String { api.url + "/api/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with zones, each with its apex NS records.
    public init(zones names: [String]) throws {
        for name in names {
            api.edit(name) { records in
                records = ["hydrogen", "oxygen"].map {
                    StoredRecord(id: "ns-\($0)", name: "@", type: "NS", value: "\($0).ns.hetzner.com.", ttl: 3600)
                }
            }
        }
        try api.start(
            authorize: { [cloudToken, legacyToken] request in
                if request.parts.first == "api" {
                    return request.header("auth-api-token") == legacyToken
                        ? nil : Self.reply(401, .object([("message", .string("Invalid authentication credentials"))]))
                }
                return request.header("authorization") == "Bearer \(cloudToken)"
                    ? nil : Self.error(401, "unauthorized", "unable to authenticate")
            },
            route: { [unowned self] request in
                request.parts.first == "api"
                    ? legacy(request, Array(request.parts.dropFirst(2)))
                    : cloud(request, Array(request.parts.dropFirst(1)))
            })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The values of a zone that are in effect.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// Actions started but never polled to completion.
    public var unfinishedActions: Int { api.locked { pending.count } }

    private func zoneID(_ name: String) -> Int { (api.zoneKeys.firstIndex(of: name) ?? 0) + 100 }
    private func zoneName(_ id: String) -> String? {
        api.zoneKeys.first { String(zoneID($0)) == id || "z\(zoneID($0))" == id }
    }

    // MARK: Cloud API

    private func cloud(_ request: FakeRequest, _ parts: [String]) -> FakeReply {
        let filters = request.parameters
        if parts == ["zones"] {
            let list = api.zoneKeys.filter { zone in filters["name"].map { $0 == zone } ?? true }
                .map { JSONValue.object([("id", .int(zoneID($0))), ("name", .string($0))]) }
            return page(list, key: "zones", request)
        }
        if parts.count == 2, parts[0] == "actions", let id = Int(parts[1]) {
            pending.removeValue(forKey: id)?()
            return Self.reply(200, .object([("action", Self.action(id, "success"))]))
        }
        guard parts.count >= 3, parts[0] == "zones", let zone = zoneName(parts[1]), parts[2] == "rrsets" else {
            return Self.error(404, "not_found", "zone not found")
        }
        switch (request.method, parts.count) {
        case ("GET", 3):
            var sets: [String: [StoredRecord]] = [:]
            for record in api.stored(zone) { sets["\(record.name)/\(record.type)", default: []].append(record) }
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
            return page(list, key: "rrsets", request)
        case ("POST", 3):
            guard let json = request.jsonObject else { return Self.error(400, "json_error", "invalid JSON") }
            guard let name = json["name"]?.string, let type = json["type"]?.string else {
                return Self.error(400, "invalid_input", "name and type are required")
            }
            if api.stored(zone).contains(where: { $0.name == name && $0.type == type }) {
                return Self.error(409, "uniqueness_error", "rrset already exists")
            }
            return change(
                zone, name: name, type: type, values: json["records"], ttl: json["ttl"]?.int ?? 3600, status: 201)
        case ("POST", 7) where parts[5] == "actions":
            let (name, type) = (parts[3], parts[4])
            guard let current = api.stored(zone).first(where: { $0.name == name && $0.type == type }) else {
                return Self.error(404, "not_found", "rrset not found")
            }
            guard let json = request.jsonObject else { return Self.error(400, "json_error", "invalid JSON") }
            switch parts[6] {
            case "set_records":
                return change(zone, name: name, type: type, values: json["records"], ttl: current.ttl, status: 201)
            case "change_ttl":
                guard let ttl = json["ttl"]?.int, ttl >= 60 else {
                    return Self.error(400, "invalid_input", "ttl must be at least 60")
                }
                return startAction { [api] in
                    api.edit(zone) { records in
                        for index in records.indices where records[index].name == name && records[index].type == type {
                            records[index].ttl = ttl
                        }
                    }
                }
            default: return Self.error(404, "not_found", "unknown action")
            }
        case ("DELETE", 5):
            let (name, type) = (parts[3], parts[4])
            guard api.stored(zone).contains(where: { $0.name == name && $0.type == type }) else {
                return Self.error(404, "not_found", "rrset not found")
            }
            return startAction { [api] in api.edit(zone) { $0.removeAll { $0.name == name && $0.type == type } } }
        default:
            return Self.error(404, "not_found", "not found")
        }
    }

    private func change(_ zone: String, name: String, type: String, values: JSONValue?, ttl: Int, status: Int)
        -> FakeReply
    {
        guard let list = values?.array?.compactMap({ $0["value"]?.string }), !list.isEmpty else {
            return Self.error(400, "invalid_input", "records must not be empty")
        }
        if let problem = validate(zone, name: name, type: type, values: list, ttl: ttl) {
            return Self.error(400, "invalid_input", problem)
        }
        return startAction(status: status) { [api] in
            api.edit(zone) { records in
                records.removeAll { $0.name == name && $0.type == type }
                records += list.map {
                    StoredRecord(id: "r\(api.nextID())", name: name, type: type, value: $0, ttl: ttl)
                }
            }
        }
    }

    private func startAction(status: Int = 201, _ apply: @escaping () -> Void) -> FakeReply {
        let id = api.nextID()
        pending[id] = apply
        return Self.reply(status, .object([("action", Self.action(id, "running"))]))
    }

    static func action(_ id: Int, _ status: String) -> JSONValue {
        .object([
            ("id", .int(id)), ("command", .string("change_rrset")), ("status", .string(status)),
            ("progress", .int(status == "success" ? 100 : 0)), ("error", .null),
        ])
    }

    // MARK: Legacy API

    private func legacy(_ request: FakeRequest, _ parts: [String]) -> FakeReply {
        let filters = request.parameters
        switch (request.method, parts.count, parts.first) {
        case ("GET", 1, "zones"):
            let list = api.zoneKeys.filter { zone in filters["name"].map { $0 == zone } ?? true }
                .map { JSONValue.object([("id", .string("z\(zoneID($0))")), ("name", .string($0))]) }
            if list.isEmpty {
                return Self.reply(
                    404, .object([("error", .object([("message", .string("zone not found")), ("code", .int(404))]))]))
            }
            return page(list, key: "zones", request)
        case ("GET", 1, "records"):
            guard let zone = filters["zone_id"].flatMap(zoneName) else {
                return Self.reply(404, .object([("message", .string("zone not found"))]))
            }
            return page(api.stored(zone).map(Self.legacyJSON), key: "records", request)
        case ("POST", 1, "records"), ("PUT", 2, "records"):
            guard let json = request.jsonObject, let zone = json["zone_id"]?.string.flatMap(zoneName),
                let type = json["type"]?.string, let name = json["name"]?.string, let value = json["value"]?.string
            else {
                return Self.reply(422, .object([("message", .string("zone_id, type, name and value are required"))]))
            }
            let ttl = json["ttl"]?.int ?? 86400
            let id = parts.count == 2 ? parts[1] : nil
            if let id, api.record(zone, id: id) == nil {
                return Self.reply(404, .object([("message", .string("record not found"))]))
            }
            let others = api.stored(zone).filter { $0.id != id && $0.name == name && $0.type == type }.map(\.value)
            if let problem = validate(zone, name: name, type: type, values: others + [value], ttl: ttl, except: id) {
                return Self.reply(422, .object([("message", .string(problem))]))
            }
            let record = StoredRecord(id: id ?? "r\(api.nextID())", name: name, type: type, value: value, ttl: ttl)
            api.save(record, in: zone)
            return Self.reply(200, .object([("record", Self.legacyJSON(record))]))
        case ("DELETE", 2, "records"):
            for zone in api.zoneKeys where api.remove(zone, id: parts[1]) != nil {
                return Self.reply(200, .object([]))
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
            if type == "A", FakeRules.notIPv4(value) {
                return "invalid IPv4 address \(value)"
            }
            if type == "TXT", !(value.hasPrefix("\"") && value.hasSuffix("\"")) { return "TXT values must be quoted" }
            if type == "CNAME" || type == "NS", !value.hasSuffix(".") {
                return "\(type) values must be fully qualified (end with a dot)"
            }
        }
        let others = api.stored(zone).filter { $0.name == name && $0.type != type && $0.id != id }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "a CNAME cannot coexist with other records"
        }
        return nil
    }

    private func page(_ items: [JSONValue], key: String, _ request: FakeRequest) -> FakeReply {
        let page = api.page(items, number: request.int("page"), size: 3)
        let pagination = JSONValue.object([
            ("page", .int(page.number)), ("per_page", .int(page.size)),
            ("previous_page", page.number > 1 ? .int(page.number - 1) : .null),
            ("next_page", page.number < page.pages ? .int(page.number + 1) : .null), ("last_page", .int(page.pages)),
            ("total_entries", .int(page.total)),
        ])
        return Self.reply(200, .object([(key, .array(page.items)), ("meta", .object([("pagination", pagination)]))]))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> FakeReply {
        reply(
            status,
            .object([
                ("error", .object([("code", .string(code)), ("message", .string(message)), ("details", .object([]))]))
            ]))
    }

    static func reply(_ status: Int, _ json: JSONValue) -> FakeReply { .json(status, json) }
}
