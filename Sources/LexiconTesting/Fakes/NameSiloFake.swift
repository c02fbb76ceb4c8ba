import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of NameSilo's API on loopback, written from NameSilo's API reference: every operation a `GET` of
/// `/api/OPERATION?version=1&type=xml&key=…`, answered with HTTP 200 and
/// `<namesilo><request>…</request><reply><code/><detail/>…</reply></namesilo>`, code 300 for success; 102–105 for a
/// missing or wrong version or type, 107 for an unknown operation, 108 for missing parameters, 109/110 for a missing
/// or wrong key, 200 for a domain the account does not hold, and 280 for a DNS change NameSilo refuses (invalid
/// records, a value already there, a CNAME beside other records, a TTL under 3600). Records have hex `record_id`s, are listed with their full
/// `host` and written with a relative `rrhost` (empty for the apex); `dnsUpdateRecord` issues a new `record_id`.
public final class NameSiloFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// Relative to the zone; `""` for the apex.
        public var host: String
        public var type: String
        public var value: String
        public var ttl: Int
        public var distance: Int
    }

    /// The API key it accepts.
    public let key = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    private let api: FakeAPI<StoredRecord>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/api" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, which hold no records.
    public init(domains names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 0x5a1_0001)
        try api.start(authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// The types NameSilo's DNS manager offers.
    public static let types = ["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA"]
    /// The shortest TTL it accepts.
    public static let minimumTTL = 3600

    private static let operations = [
        "getDomainInfo", "listDomains", "dnsListRecords", "dnsAddRecord", "dnsUpdateRecord", "dnsDeleteRecord",
    ]

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        let operation = request.parts.last ?? ""
        let parameters = request.parameters
        guard request.parts.count == 2, request.parts[0] == "api", Self.operations.contains(operation) else {
            return Self.reply(operation, 107, "Invalid API operation")
        }
        guard let version = parameters["version"] else { return Self.reply(operation, 102, "No version specified") }
        guard version == "1" else { return Self.reply(operation, 103, "Invalid API version") }
        // NameSilo also answers JSON; this fake answers XML only.
        guard let type = parameters["type"] else { return Self.reply(operation, 104, "No type specified") }
        guard type == "xml" else { return Self.reply(operation, 105, "Invalid API type") }
        guard let given = parameters["key"], !given.isEmpty else {
            return Self.reply(operation, 109, "No API key specified")
        }
        guard given == key else { return Self.reply(operation, 110, "Invalid API Key") }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let operation = request.parts[1]
        let parameters = request.parameters
        if operation == "listDomains" {
            return Self.reply(operation, 300, "success", "<domains>\(api.zoneKeys.map(Self.domain).joined())</domains>")
        }
        guard let domain = parameters["domain"], !domain.isEmpty else {
            return Self.reply(operation, 108, "Invalid number of parameters")
        }
        guard let records = api.records(domain.lowercased()) else {
            return Self.reply(operation, 200, "Domain is not active, or does not belong to this user")
        }
        let zone = domain.lowercased()
        switch operation {
        case "getDomainInfo":
            return Self.reply(
                operation, 300, "success",
                "<status>Active</status><nameservers><nameserver position=\"1\">ns1.dnsowl.com</nameserver>"
                    + "<nameserver position=\"2\">ns2.dnsowl.com</nameserver></nameservers>")
        case "dnsListRecords":
            return Self.reply(operation, 300, "success", records.map { Self.xml($0, zone: zone) }.joined())
        case "dnsAddRecord":
            return save(zone, parameters, existing: nil, operation: operation)
        case "dnsUpdateRecord", "dnsDeleteRecord":
            guard let id = parameters["rrid"], !id.isEmpty else {
                return Self.reply(operation, 108, "Invalid number of parameters")
            }
            guard let existing = api.record(zone, id: id) else {
                return Self.reply(operation, 280, "Invalid resource record ID")
            }
            if operation == "dnsDeleteRecord" {
                api.remove(zone, id: id)
                return Self.reply(operation, 300, "success")
            }
            return save(zone, parameters, existing: existing, operation: operation)
        default:
            return Self.reply(operation, 107, "Invalid API operation")
        }
    }

    private func save(_ zone: String, _ parameters: [String: String], existing: StoredRecord?, operation: String)
        -> FakeReply
    {
        // An update keeps the type; a create must name it.
        guard let type = existing?.type ?? parameters["rrtype"]?.uppercased(), let value = parameters["rrvalue"]
        else { return Self.reply(operation, 108, "Invalid number of parameters") }
        let host = (parameters["rrhost"] ?? "").lowercased()
        let ttl = parameters["rrttl"].map { Int($0) ?? -1 } ?? 7207
        let distance = parameters["rrdistance"].map { Int($0) ?? -1 } ?? 0
        if let problem = problem(
            zone, type: type, host: host, value: value, ttl: ttl, distance: distance, id: existing?.id)
        {
            return Self.reply(operation, 280, "DNS modification error: " + problem)
        }
        let record = StoredRecord(
            id: String(format: "%032x", api.nextID()), host: host, type: type, value: value, ttl: ttl,
            distance: ["MX", "SRV"].contains(type) ? distance : 0)
        // An update is a new record under a new id.
        if let existing { api.remove(zone, id: existing.id) }
        api.save(record, in: zone)
        return Self.reply(operation, 300, "success", "<record_id>\(record.id)</record_id>")
    }

    /// Why NameSilo refuses a record, or nil.
    private func problem(
        _ zone: String, type: String, host: String, value: String, ttl: Int, distance: Int, id: String?
    ) -> String? {
        guard Self.types.contains(type) else { return "Invalid record type" }
        guard !host.hasSuffix("."), !host.contains(" "), host.allSatisfy(\.isASCII), !host.hasSuffix(zone) else {
            return "Invalid host"
        }
        guard !value.isEmpty else { return "Invalid value" }
        guard ttl >= Self.minimumTTL else { return "TTL must be at least \(Self.minimumTTL)" }
        guard distance >= 0 else { return "Invalid distance" }
        switch type {
        case "A" where FakeRules.notIPv4(value):
            return "Invalid IPv4 address"
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: value)) == nil:
            return "Invalid IPv6 address"
        case "CNAME", "MX":
            if value.contains(" ") || value.hasSuffix(".") { return "Invalid value" }
        case "SRV":
            let fields = value.split(separator: " ")
            guard fields.count == 3, Int(fields[0]) != nil, Int(fields[1]) != nil else {
                return "SRV value must be WEIGHT PORT TARGET"
            }
        default:
            break
        }
        let others = api.stored(zone).filter { $0.id != id && $0.host == host }
        if others.contains(where: { $0.type == type && $0.value == value }) {
            return "The resource record already exists"
        }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return "A CNAME record cannot share a host with other records"
        }
        return nil
    }

    static func xml(_ record: StoredRecord, zone: String) -> String {
        let host = record.host.isEmpty ? zone : record.host + "." + zone
        return "<resource_record><record_id>\(record.id)</record_id><type>\(record.type)</type>"
            + "<host>\(XMLElement.escape(host))</host><value>\(XMLElement.escape(record.value))</value>"
            + "<ttl>\(record.ttl)</ttl><distance>\(record.distance)</distance></resource_record>"
    }

    static func domain(_ name: String) -> String { "<domain>\(XMLElement.escape(name))</domain>" }

    /// NameSilo's envelope, always with HTTP 200.
    static func reply(_ operation: String, _ code: Int, _ detail: String, _ body: String = "") -> FakeReply {
        .text(
            200,
            "<?xml version=\"1.0\"?><namesilo><request><operation>\(XMLElement.escape(operation))</operation>"
                + "<ip>127.0.0.1</ip></request><reply><code>\(code)</code><detail>\(XMLElement.escape(detail))</detail>"
                + body + "</reply></namesilo>")
    }
}
