import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Vultr's v2 DNS API on loopback, written from Vultr's API reference: Bearer auth, `domains`
/// and `records` listings paged by the `meta.links.next` cursor (two items a page, so listings page), uuid ids,
/// relative names with `""` for the apex, TXT data in double quotes, targets without a final dot, the priority of
/// MX and SRV in its own field, and the `{"error", "status"}` bodies for missing or wrong keys, unknown domains and
/// records, non-JSON bodies and invalid records.
public final class VultrFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// The order of creation, which listings follow and cursors point into.
        public var sequence: Int
        public var type: String
        public var name: String
        public var data: String
        public var priority: Int
        public var ttl: Int
    }

    /// The API key it accepts.
    public let token = String(UInt64.random(in: 0...UInt64.max), radix: 16).uppercased()
    /// The most items a listing page holds, whatever `per_page` asks (Vultr's default is 100, its maximum 500).
    public let pageSize = 2
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v2" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains (each with the NS records Vultr creates).
    public init(domains names: [String]) throws {
        var zones: [String: [StoredRecord]] = [:]
        var sequence = 0
        for name in names {
            zones[name] = ["ns1.vultr.com", "ns2.vultr.com"].map { server in
                sequence += 1
                return StoredRecord(
                    id: UUID().uuidString.lowercased(), sequence: sequence, type: "NS", name: "", data: server,
                    priority: 0, ttl: 300)
            }
        }
        api = FakeAPI(zones: zones, firstID: sequence + 1)
        try api.start(
            authorize: { [token] in
                $0.header("authorization") == "Bearer \(token)" ? nil : Self.error(401, "Invalid API token.")
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Makes listings answer the first page whatever cursor is given.
    public func ignorePaging() { api.ignorePaging() }

    private static let types = ["A", "AAAA", "CAA", "CNAME", "MX", "NS", "SRV", "SSHFP", "TXT"]

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 2, parts.count <= 5, parts[0] == "v2", parts[1] == "domains" else {
            return Self.error(404, "Not found.")
        }
        if parts.count == 2 {
            guard request.method == "GET" else { return Self.error(405, "Method not allowed.") }
            let domains = api.zoneKeys.enumerated().map { (position: $0.offset, json: Self.json(domain: $0.element)) }
            return list("domains", domains, request)
        }
        let domain = parts[2]
        guard let records = api.records(domain) else { return Self.error(404, "Domain not found.") }
        guard parts.count == 3 || parts[3] == "records" else { return Self.error(404, "Not found.") }
        let existing = parts.count == 5 ? api.record(domain, id: parts[4]) : nil
        if parts.count == 5 && existing == nil { return Self.error(404, "Record not found.") }
        switch (request.method, parts.count) {
        case ("GET", 3):
            return .json(200, .object([("domain", Self.json(domain: domain))]))
        case ("GET", 4):
            return list("records", records.map { (position: $0.sequence, json: Self.json($0)) }, request)
        case ("GET", 5):
            return .json(200, .object([("record", Self.json(existing!))]))
        case ("POST", 4), ("PATCH", 5):
            return save(domain, request, existing: existing)
        case ("DELETE", 5):
            api.remove(domain, id: parts[4])
            return .empty()
        default:
            return Self.error(405, "Method not allowed.")
        }
    }

    /// A listing page: the items from the cursor's position on, and the cursor of the next page (empty on the last).
    private func list(_ key: String, _ items: [(position: Int, json: JSONValue)], _ request: FakeRequest) -> FakeReply {
        let perPage = request.int("per_page") ?? 100
        guard (1...500).contains(perPage) else { return Self.error(400, "per_page must be between 1 and 500.") }
        var start: Int?
        if let cursor = request.parameters["cursor"], !cursor.isEmpty {
            guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
                text.hasPrefix("next__"), let position = Int(text.dropFirst(6))
            else { return Self.error(400, "Invalid cursor.") }
            start = position
        }
        let page = api.page(items, from: start.map { start in { $0.position >= start } }, limit: min(pageSize, perPage))
        let next = page.next.map { Data("next__\($0.position)".utf8).base64EncodedString() } ?? ""
        let meta: JSONValue = .object([
            ("total", .int(items.count)), ("links", .object([("next", .string(next)), ("prev", .string(""))])),
        ])
        return .json(200, .object([(key, .array(page.items.map(\.json))), ("meta", meta)]))
    }

    private func save(_ domain: String, _ request: FakeRequest, existing: StoredRecord?) -> FakeReply {
        guard let json = request.jsonObject else { return Self.error(400, "Invalid JSON.") }
        let type = existing?.type ?? json["type"]?.string ?? ""
        if let existing, let asked = json["type"]?.string, asked != existing.type {
            return Self.error(400, "The record type cannot be changed.")
        }
        guard let name = (json["name"]?.string ?? existing?.name)?.lowercased(),
            let data = json["data"]?.string ?? existing?.data
        else { return Self.error(400, "Name and data are required.") }
        let priority = json["priority"]?.int ?? existing?.priority
        if let problem = problem(domain, type: type, name: name, data: data, priority: priority, id: existing?.id) {
            return Self.error(400, problem)
        }
        let record = StoredRecord(
            id: existing?.id ?? UUID().uuidString.lowercased(), sequence: existing?.sequence ?? api.nextID(),
            type: type, name: name, data: data, priority: priority ?? 0, ttl: json["ttl"]?.int ?? existing?.ttl ?? 300)
        api.save(record, in: domain)
        return existing == nil ? .json(201, .object([("record", Self.json(record))])) : .empty()
    }

    /// Why Vultr refuses a record, or nil.
    private func problem(_ domain: String, type: String, name: String, data: String, priority: Int?, id: String?)
        -> String?
    {
        guard Self.types.contains(type) else { return "Invalid record type." }
        guard name != "@", !name.hasSuffix("."), name.allSatisfy(\.isASCII), !name.contains(" ") else {
            return "Invalid record name."
        }
        guard !data.isEmpty else { return "Invalid record data." }
        switch type {
        case "A" where FakeRules.notIPv4(data):
            return "Invalid IPv4 address."
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: data)) == nil:
            return "Invalid IPv6 address."
        case "TXT" where !Self.isOneQuotedString(data):
            return "TXT data must be enclosed in double quotes."
        case "CNAME", "NS", "MX":
            if data.hasSuffix(".") || data.contains(" ") { return "Invalid hostname." }
        case "SRV":
            let fields = data.split(separator: " ")
            guard fields.count == 3, Int(fields[0]) != nil, Int(fields[1]) != nil, !fields[2].hasSuffix(".") else {
                return "SRV data must be WEIGHT PORT TARGET."
            }
        default:
            break
        }
        if (type == "MX" || type == "SRV") && priority == nil { return "Priority is required for MX and SRV records." }
        let others = api.stored(domain).filter { $0.id != id && $0.name == name }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "A CNAME record cannot share its name with other records."
        }
        return nil
    }

    /// Whether data is one string in double quotes whose inner quotes are escaped.
    private static func isOneQuotedString(_ data: String) -> Bool {
        let bytes = Array(data.utf8)
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\"") else {
            return false
        }
        var index = 1
        while index < bytes.count - 1 {
            if bytes[index] == UInt8(ascii: "\"") { return false }
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        return index == bytes.count - 1
    }

    static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("type", .string(record.type)), ("name", .string(record.name)),
            ("data", .string(record.data)), ("priority", .int(record.priority)), ("ttl", .int(record.ttl)),
        ])
    }

    static func json(domain: String) -> JSONValue {
        .object([
            ("domain", .string(domain)), ("date_created", .string("2024-01-01T00:00:00+00:00")),
            ("dns_sec", .string("disabled")),
        ])
    }

    static func error(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("error", .string(message)), ("status", .int(status))]))
    }
}
