import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of ClouDNS's HTTP API on loopback, written from ClouDNS's API wiki: `/dns/NAME.json` answering
/// `GET` query parameters or a `POST` form alike, every call carrying `auth-id`, `sub-auth-id` or `sub-auth-user`
/// with `auth-password`, and every answer HTTP 200 JSON, refusals as `{"status":"Failed","statusDescription":…}`
/// (`Invalid authentication, …` for credentials, `Missing domain-name` for a zone the account lacks). Listings are
/// objects keyed by record id with numbers as strings, `[]` when empty, paged by `rows-per-page` (10, 20, 30, 50 or
/// 100) and `page`; hosts are relative (empty for the apex); TTLs come from ClouDNS's list.
public final class ClouDNSFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// Relative to the zone; `""` for the apex.
        public var host: String
        public var type: String
        public var record: String
        public var ttl: Int
        public var priority: Int?
        public var weight: Int?
        public var port: Int?
    }

    /// The API user's id it accepts.
    public let authID = String(Int.random(in: 1000...99999))
    /// The sub-user's id it accepts.
    public let subID = String(Int.random(in: 100_000...999_999))
    /// The sub-user's name it accepts.
    public let subUser = "lexicon-sub"
    /// The password of both.
    public let password = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// The TTLs ClouDNS accepts.
    public static let ttls = [
        60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172_800, 259_200, 604_800, 1_209_600, 2_592_000,
    ]
    /// The record types of a domain zone this fake takes.
    public static let types = ["A", "AAAA", "CNAME", "MX", "NS", "SRV", "TXT", "CAA"]

    /// Starts the fake with master zones, which hold no records.
    public init(zones names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 69_469_268)
        try api.start(authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// Makes listings answer their first page whatever page is asked for.
    public func ignorePaging() { api.ignorePaging() }

    /// Adds TXT records straight to the store (for paging tests).
    public func seed(_ zone: String, count: Int) {
        for index in 0..<count {
            api.save(
                StoredRecord(
                    id: String(api.nextID()), host: "seed\(index)", type: "TXT", record: "v\(index)", ttl: 3600),
                in: zone)
        }
    }

    /// The call's parameters: the query, and a form body.
    private static func parameters(_ request: FakeRequest) -> [String: String] {
        var all = request.parameters
        if request.header("content-type")?.hasPrefix("application/x-www-form-urlencoded") == true,
            let body = request.http.body
        {
            for (key, value) in URLQuery.split("?" + String(decoding: body, as: UTF8.self)).query { all[key] = value }
        }
        return all
    }

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        let parameters = Self.parameters(request)
        let given = parameters["auth-password"]
        if let id = parameters["auth-id"] {
            return id == authID && given == password
                ? nil : Self.failed("Invalid authentication, incorrect auth-id or auth-password.")
        }
        if parameters["sub-auth-id"] != nil || parameters["sub-auth-user"] != nil {
            let known = parameters["sub-auth-id"] == subID || parameters["sub-auth-user"] == subUser
            return known && given == password
                ? nil : Self.failed("Invalid authentication, incorrect sub-auth-id, sub-auth-user or auth-password.")
        }
        return Self.failed("Invalid authentication, incorrect auth-id or auth-password.")
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parameters = Self.parameters(request)
        guard request.parts.count == 2, request.parts[0] == "dns", ["GET", "POST"].contains(request.method) else {
            return .json(404, .object([("status", .string("Failed")), ("statusDescription", .string("Not found"))]))
        }
        guard let zone = parameters["domain-name"]?.lowercased(), api.records(zone) != nil else {
            return Self.failed("Missing domain-name")
        }
        switch request.parts[1] {
        case "get-zone-info.json":
            return .json(
                200,
                .object([
                    ("name", .string(zone)), ("type", .string("master")), ("zone", .string("domain")),
                    ("status", .string("1")),
                ]))
        case "records.json":
            return list(zone, parameters)
        case "add-record.json":
            return save(zone, parameters, existing: nil)
        case "mod-record.json", "delete-record.json":
            guard let id = parameters["record-id"], let existing = api.record(zone, id: id) else {
                return Self.failed("Invalid record-id param.")
            }
            if request.parts[1] == "delete-record.json" {
                api.remove(zone, id: id)
                return Self.success("The record was deleted.")
            }
            return save(zone, parameters, existing: existing)
        default:
            return .json(404, .object([("status", .string("Failed")), ("statusDescription", .string("Not found"))]))
        }
    }

    private func list(_ zone: String, _ parameters: [String: String]) -> FakeReply {
        var records = api.stored(zone)
        if let host = parameters["host"] { records = records.filter { $0.host == host.lowercased() } }
        // An unknown type is ignored, as ClouDNS documents.
        if let type = parameters["type"]?.uppercased(), Self.types.contains(type) {
            records = records.filter { $0.type == type }
        }
        if let rows = parameters["rows-per-page"] {
            guard let size = Int(rows), [10, 20, 30, 50, 100].contains(size) else {
                return Self.failed("Wrong or missing required parameter 'rows-per-page'.")
            }
            records = api.page(records, number: parameters["page"].flatMap { Int($0) }, size: size).items
        }
        guard !records.isEmpty else { return .json(200, .array([])) }
        return .json(200, .object(records.map { ($0.id, Self.json($0)) }))
    }

    private func save(_ zone: String, _ parameters: [String: String], existing: StoredRecord?) -> FakeReply {
        guard let type = existing?.type ?? parameters["record-type"]?.uppercased() else {
            return Self.failed("Missing record-type.")
        }
        guard let host = parameters["host"]?.lowercased(), let value = parameters["record"], !value.isEmpty else {
            return Self.failed("Missing host or record.")
        }
        guard let ttl = parameters["ttl"].flatMap({ Int($0) }), Self.ttls.contains(ttl) else {
            return Self.failed("Invalid TTL. Choose from the list of the values we support.")
        }
        let number = { (name: String) in parameters[name].flatMap { Int($0) } }
        var record = StoredRecord(
            id: existing?.id ?? String(api.nextID()), host: host, type: type, record: value, ttl: ttl)
        if ["MX", "SRV"].contains(type) {
            guard let priority = number("priority"), (0...65535).contains(priority) else {
                return Self.failed("Invalid priority.")
            }
            record.priority = priority
        }
        if type == "SRV" {
            guard let weight = number("weight"), let port = number("port") else {
                return Self.failed("Invalid weight or port.")
            }
            (record.weight, record.port) = (weight, port)
        }
        if let problem = problem(zone, record) { return Self.failed(problem) }
        api.save(record, in: zone)
        return existing == nil
            ? .json(
                200,
                .object([
                    ("status", .string("Success")),
                    ("statusDescription", .string("The record was added successfully.")),
                    ("data", .object([("id", .number(record.id))])),
                ]))
            : Self.success("The record was modified successfully.")
    }

    /// Why ClouDNS refuses a record, or nil.
    private func problem(_ zone: String, _ record: StoredRecord) -> String? {
        guard Self.types.contains(record.type) else { return "Invalid record-type param." }
        guard !record.host.hasSuffix("."), !record.host.contains(" "), record.host.allSatisfy(\.isASCII),
            record.host != zone, !record.host.hasSuffix("." + zone)
        else { return "Invalid host." }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.record):
            return "Invalid IP address."
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.record)) == nil:
            return "Invalid IPv6 address."
        case "CNAME", "MX", "NS", "SRV":
            if record.record.contains(" ") || record.record.hasSuffix(".") { return "Invalid record." }
        default:
            break
        }
        let others = api.stored(zone).filter { $0.id != record.id && $0.host == record.host }
        if others.contains(where: { $0.type == record.type && $0.record == record.record }) {
            return "The record already exists."
        }
        if FakeRules.cnameConflict(record.type, with: others.map(\.type)) {
            return "CNAME record cannot be added to a host with other records."
        }
        return nil
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(record.id)), ("type", .string(record.type)), ("host", .string(record.host)),
            ("record", .string(record.record)), ("dynamicurl_status", .number("0")), ("failover", .string("0")),
            ("ttl", .string(String(record.ttl))), ("status", .number("1")),
        ]
        if let priority = record.priority { pairs.append(("priority", .string(String(priority)))) }
        if let weight = record.weight { pairs.append(("weight", .string(String(weight)))) }
        if let port = record.port { pairs.append(("port", .string(String(port)))) }
        return .object(pairs)
    }

    static func failed(_ description: String) -> FakeReply {
        .json(200, .object([("status", .string("Failed")), ("statusDescription", .string(description))]))
    }

    static func success(_ description: String) -> FakeReply {
        .json(200, .object([("status", .string("Success")), ("statusDescription", .string(description))]))
    }
}
