import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of hosting.de's DNS API on loopback, written from hosting.de's API documentation
/// (`https://www.hosting.de/api/#dns`): every call a `POST <prefix>/<method>` with the `authToken` in the JSON body,
/// answers in the envelope `{errors, metadata, warnings, status, response}` (HTTP 200 for errors too), filters of
/// `{field, value}` or `{subFilterConnective, subFilter}`, `zoneConfigsFind` and `recordsFind` paged by `limit` and
/// `page` with `totalEntries` and `totalPages`, and `zoneUpdate` that deletes (by id, or by name, type and content)
/// and adds records as one change, all checked before any is written. A zone can be made to answer `blocked` as it
/// does while an earlier change is processed. The same API serves http.net: the path prefix is a parameter.
public final class HostingDEFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// Absolute, without the final dot.
        public var name: String
        public var type: String
        /// As hosting.de stores it: TXT in double quotes.
        public var content: String
        public var ttl: Int
        public var priority: Int?
    }

    /// The API key it accepts.
    public let token = "hd" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private let api: FakeAPI<StoredRecord>
    private let prefix: [String]
    private let maximumLimit: Int
    private var zoneIDs: [String: String] = [:]
    private var blocked = 0

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/" + prefix.joined(separator: "/") }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with zones, each with the NS records hosting.de creates.
    /// - Parameters:
    ///   - names: The account's zones.
    ///   - prefix: The path of the DNS API (`/api/dns/v1/json`; http.net's is the same below its own host).
    ///   - maximumLimit: The most items a page holds, whatever `limit` asks (small, so listings page).
    ///   - nameservers: The NS records of each new zone.
    public init(
        zones names: [String], prefix: String = "/api/dns/v1/json", maximumLimit: Int = 3,
        nameservers: [String] = ["ns1.hosting.de", "ns2.hosting.de", "ns3.hosting.de"]
    ) throws {
        self.prefix = prefix.split(separator: "/").map(String.init)
        self.maximumLimit = maximumLimit
        var zones: [String: [StoredRecord]] = [:]
        for name in names {
            zoneIDs[name] = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            zones[name] = nameservers.map {
                StoredRecord(
                    id: UUID().uuidString.lowercased(), name: name, type: "NS", content: $0, ttl: 86400, priority: nil)
            }
        }
        api = FakeAPI(zones: zones)
        try api.start(route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// Makes the next `count` calls answer that the zone is blocked by a change still being processed.
    public func block(next count: Int) { api.locked { blocked = count } }

    /// Makes listings answer the first page whatever page is asked for.
    public func ignorePaging() { api.ignorePaging() }

    private static let types = [
        "A", "AAAA", "ALIAS", "CAA", "CNAME", "DS", "MX", "NS", "NSEC", "SRV", "SSHFP", "TLSA", "TXT",
    ]

    private func route(_ request: FakeRequest) -> FakeReply {
        guard request.method == "POST", request.parts.count == prefix.count + 1,
            Array(request.parts.prefix(prefix.count)) == prefix
        else { return .text(404, "Not Found", contentType: "text/html") }
        guard let body = request.jsonObject else {
            return Self.error(10100, "Request format is invalid", "", context: "")
        }
        guard body["authToken"]?.string == token else {
            return Self.error(10205, "Authentication failed", "", context: "authToken")
        }
        if blocked > 0 {
            blocked -= 1
            return Self.error(10401, "Object is blocked by another operation", "blocked", context: "zone")
        }
        switch request.parts.last ?? "" {
        case "zoneConfigsFind":
            let configs = zoneIDs.keys.sorted().map(config).filter { Self.matches(body["filter"], $0, Self.zoneField) }
            return listing(configs, body, type: "FindZoneConfigsResult")
        case "recordsFind":
            let records = zoneIDs.keys.sorted().flatMap { zone in
                api.stored(zone).map { Self.json($0, zoneID: zoneIDs[zone] ?? "") }
            }
            return listing(
                records.filter { Self.matches(body["filter"], $0, Self.recordField) }, body, type: "FindRecordsResult")
        case "zoneUpdate":
            return update(body)
        default:
            return Self.error(10100, "Method is unknown", request.parts.last ?? "", context: "")
        }
    }

    private func listing(_ items: [JSONValue], _ body: JSONValue, type: String) -> FakeReply {
        let limit = min(max(body["limit"]?.int ?? 25, 1), maximumLimit)
        let page = api.page(items, number: body["page"]?.int, size: limit)
        return Self.success(
            .object([
                ("data", .array(page.items)), ("limit", .int(limit)), ("page", .int(page.number)),
                ("totalEntries", .int(page.total)), ("totalPages", .int(page.pages)), ("type", .string(type)),
            ]))
    }

    /// Checks every deletion and addition, then writes them all; answers the zone's records and config.
    private func update(_ body: JSONValue) -> FakeReply {
        let given = body["zoneConfig"]
        guard
            let zone = zoneIDs.first(where: { zone, id in
                given?["id"]?.string == id || (given?["id"] == nil && given?["name"]?.string?.lowercased() == zone)
            })?.key
        else { return Self.error(10301, "Zone not found", given?["id"]?.string ?? "", context: "zoneConfig") }
        var records = api.stored(zone)
        for doomed in body["recordsToDelete"]?.array ?? [] {
            if let id = doomed["id"]?.string {
                records.removeAll { $0.id == id }
            } else {
                let content = Self.stored(doomed["type"]?.string ?? "", doomed["content"]?.string ?? "")
                records.removeAll {
                    $0.name == doomed["name"]?.string?.lowercased() && $0.type == doomed["type"]?.string
                        && $0.content == content
                }
            }
        }
        for added in body["recordsToAdd"]?.array ?? [] {
            let type = (added["type"]?.string ?? "").uppercased()
            let record = StoredRecord(
                id: UUID().uuidString.lowercased(), name: (added["name"]?.string ?? "").lowercased(), type: type,
                content: Self.stored(type, added["content"]?.string ?? ""), ttl: added["ttl"]?.int ?? 3600,
                priority: added["priority"]?.int)
            if let problem = problem(record, zone: zone, among: records) {
                return Self.error(problem.code, problem.text, record.name, context: "record")
            }
            records.append(record)
        }
        api.edit(zone) { $0 = records }
        return Self.success(
            .object([
                ("records", .array(records.map { Self.json($0, zoneID: zoneIDs[zone] ?? "") })),
                ("zoneConfig", config(zone)),
            ]))
    }

    /// Why hosting.de refuses a record, or nil.
    private func problem(_ record: StoredRecord, zone: String, among others: [StoredRecord]) -> (
        code: Int, text: String
    )? {
        guard record.name == zone || record.name.hasSuffix("." + zone) else {
            return (10310, "Record name is not part of the zone")
        }
        guard Self.types.contains(record.type) else { return (10311, "Record type is not supported") }
        guard (60...31_556_926).contains(record.ttl) else { return (10312, "TTL must be between 60 and 31556926") }
        guard !record.content.isEmpty else { return (10313, "Record content is empty") }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.content):
            return (10313, "Record content is not a valid IPv4 address")
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.content)) == nil:
            return (10313, "Record content is not a valid IPv6 address")
        case "MX" where record.priority == nil, "SRV" where record.priority == nil:
            return (10314, "Record priority is required")
        case "SRV" where record.content.split(separator: " ").count != 3:
            return (10313, "SRV content must be WEIGHT PORT TARGET")
        case "CNAME", "NS", "MX", "ALIAS":
            if record.content.contains(" ") || record.content.hasSuffix(".") {
                return (10313, "Record content is not a valid hostname")
            }
        default:
            break
        }
        let sameName = others.filter { $0.name == record.name }
        if sameName.contains(where: { $0.type == record.type && $0.content == record.content }) {
            return (10315, "Record already exists")
        }
        if FakeRules.cnameConflict(record.type, with: sameName.map(\.type)) {
            return (10316, "CNAME record cannot coexist with other records of the same name")
        }
        return nil
    }

    private func config(_ zone: String) -> JSONValue {
        .object([
            ("id", .string(zoneIDs[zone] ?? "")), ("accountId", .string("15010100000001")),
            ("status", .string("active")), ("name", .string(zone)), ("nameUnicode", .string(zone)),
            ("masterIp", .string("")), ("type", .string("NATIVE")), ("emailAddress", .string("hostmaster@" + zone)),
            ("zoneTransferWhitelist", .array([])), ("lastChangeDate", .string("2026-12-01T12:00:00Z")),
            ("dnsServerGroupId", .string("")), ("dnsSecMode", .string("off")),
            (
                "soaValues",
                .object([
                    ("refresh", .int(86400)), ("retry", .int(7200)), ("expire", .int(3_600_000)), ("ttl", .int(86400)),
                    ("negativeTtl", .int(900)),
                ])
            ),
        ])
    }

    /// TXT content as hosting.de stores it: quoted, unless it came quoted.
    private static func stored(_ type: String, _ content: String) -> String {
        guard type.uppercased() == "TXT", !content.hasPrefix("\"") else { return content }
        return TXTPresentation.encode(content)
    }

    private static func zoneField(_ field: String, _ item: JSONValue) -> String? {
        switch field.lowercased() {
        case "zonename": return item["name"]?.string
        case "zoneconfigid": return item["id"]?.string
        default: return nil
        }
    }

    private static func recordField(_ field: String, _ item: JSONValue) -> String? {
        switch field.lowercased() {
        case "zoneconfigid": return item["zoneId"]?.string
        case "recordname": return item["name"]?.string
        case "recordtype": return item["type"]?.string
        case "recordcontent": return item["content"]?.string
        case "recordid": return item["id"]?.string
        default: return nil
        }
    }

    /// Whether an item passes a filter: a `{field, value}` leaf (case-insensitive) or an AND/OR of sub-filters.
    private static func matches(
        _ filter: JSONValue?, _ item: JSONValue, _ field: (String, JSONValue) -> String?
    ) -> Bool {
        guard let filter, !filter.isNull else { return true }
        if let subs = filter["subFilter"]?.array {
            let results = subs.map { matches($0, item, field) }
            return filter["subFilterConnective"]?.string?.uppercased() == "OR"
                ? results.contains(true) : !results.contains(false)
        }
        guard let name = filter["field"]?.string, let value = filter["value"]?.string else { return false }
        return field(name, item)?.lowercased() == value.lowercased()
    }

    static func json(_ record: StoredRecord, zoneID: String) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("zoneId", .string(zoneID)), ("recordTemplateId", .null),
            ("name", .string(record.name)), ("type", .string(record.type)), ("content", .string(record.content)),
            ("ttl", .int(record.ttl)), ("priority", record.priority.map { .int($0) } ?? .null),
            ("lastChangeDate", .string("2026-12-01T12:00:00Z")),
        ])
    }

    private static func envelope(_ status: String, errors: [JSONValue], response: JSONValue) -> FakeReply {
        .json(
            200,
            .object([
                ("errors", .array(errors)),
                (
                    "metadata",
                    .object([
                        ("clientTransactionId", .string("")),
                        ("serverTransactionId", .string(UUID().uuidString.lowercased())),
                    ])
                ),
                ("warnings", .array([])), ("status", .string(status)), ("response", response),
            ]))
    }

    static func success(_ response: JSONValue) -> FakeReply { envelope("success", errors: [], response: response) }

    static func error(_ code: Int, _ text: String, _ value: String, context: String) -> FakeReply {
        envelope(
            "error",
            errors: [
                .object([
                    ("code", .int(code)), ("contextObject", .string(context)), ("contextPath", .string("")),
                    ("details", .array([])), ("text", .string(text)), ("value", .string(value)),
                ])
            ], response: .null)
    }
}
