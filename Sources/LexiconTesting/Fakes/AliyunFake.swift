import Foundation
import Lexicon
import LexiconHTTP

/// A stateful fake of Alibaba Cloud DNS's RPC API (version 2015-01-09) on loopback, written from Alibaba's API
/// reference: every action a `GET /?Action=…` whose query carries the common parameters and a signature version 1.0
/// (HMAC-SHA1 over the sorted, percent-encoded query under `secret&`), recomputed here; a reused `SignatureNonce` or a
/// `Timestamp` more than 15 minutes off is refused. Answers are JSON; errors are HTTP 4xx with
/// `{RequestId, HostId, Code, Message}`. Records have numeric string `RecordId`s that an update keeps, `RR` relative
/// to the domain (`@` for the apex), TTLs of 600 to 86400 (the free edition's range), MX priorities of 1 to 50, and
/// are listed newest first in pages of at most five (so listings page), filtered by `TypeKeyWord` (exact) and
/// `RRKeyWord` (a substring), both case-insensitive.
public final class AliyunFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: String
        /// Relative to the domain; `@` for the apex.
        public var rr: String
        public var type: String
        public var value: String
        public var ttl: Int
        public var priority: Int?
    }

    /// The AccessKey id it accepts.
    public let keyID = "LTAI" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    /// The AccessKey secret it accepts.
    public let secret = String(UInt64.random(in: 0...UInt64.max), radix: 36) + "S"
    private let api: FakeAPI<StoredRecord>
    private var nonces: Set<String> = []
    private var throttled = 0

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, which hold no records.
    public init(domains names: [String]) throws {
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, []) }), firstID: 1_903_000_001)
        try api.start(authorize: { [unowned self] in authorize($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a domain, oldest first.
    public func stored(_ domain: String) -> [StoredRecord] { api.stored(domain) }

    /// Makes listings answer the first page whatever page is asked for.
    public func ignorePaging(_ ignored: Bool = true) { api.ignorePaging(ignored) }

    /// Answers the next `count` requests with `Throttling.User`.
    public func throttle(next count: Int) { api.locked { throttled = count } }

    /// The types it accepts.
    public static let types = ["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA"]
    /// The TTL range of the free edition.
    public static let ttlRange = 600...86400
    /// The most records a page holds here (Alibaba allows 500; small pages exercise paging).
    public static let pageLimit = 5
    /// How far a request's `Timestamp` may be from the fake's clock.
    public static let clockTolerance: TimeInterval = 15 * 60

    // MARK: - Checks

    private func authorize(_ request: FakeRequest) -> FakeReply? {
        let parameters = request.parameters
        if throttled > 0 {
            throttled -= 1
            return Self.error(400, "Throttling.User", "Request was denied due to user flow control.")
        }
        guard request.method == "GET", request.parts.isEmpty else {
            return Self.error(
                404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        }
        for name in ["Action", "Version", "AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "Timestamp"]
        where (parameters[name] ?? "").isEmpty {
            return Self.error(400, "Missing" + name, "\(name) is mandatory for this action.")
        }
        guard parameters["Format"] == "JSON" else {
            return Self.error(400, "InvalidParameter.Format", "This fake answers Format=JSON only.")
        }
        guard parameters["Version"] == "2015-01-09" else {
            return Self.error(400, "InvalidVersion", "Specified parameter Version is not valid.")
        }
        guard parameters["SignatureMethod"] == "HMAC-SHA1", parameters["SignatureVersion"] == "1.0" else {
            return Self.error(400, "InvalidSignatureMethod", "Specified signature method is not valid.")
        }
        guard parameters["AccessKeyId"] == keyID else {
            return Self.error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        }
        let signed = request.query.filter { $0.0 != "Signature" }
        guard
            AlibabaRPCSignature.signature(method: "GET", parameters: signed, secret: secret) == parameters["Signature"]
        else {
            return Self.error(
                400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
        }
        guard let stamp = parameters["Timestamp"], let date = ISO8601DateFormatter().date(from: stamp) else {
            return Self.error(
                400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
        }
        guard abs(date.timeIntervalSinceNow) <= Self.clockTolerance else {
            return Self.error(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        }
        guard nonces.insert(parameters["SignatureNonce"] ?? "").inserted else {
            return Self.error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parameters = request.parameters
        switch parameters["Action"] ?? "" {
        case "DescribeDomainInfo":
            return withDomain(parameters) { domain, _ in
                Self.ok([
                    ("DomainName", .string(domain)), ("DomainId", .string("00000000-\(domain.count)")),
                    (
                        "DnsServers",
                        .object([("DnsServer", .array([.string("dns1.hichina.com"), .string("dns2.hichina.com")]))])
                    ),
                ])
            }
        case "DescribeDomainRecords":
            return withDomain(parameters) { domain, records in list(domain, records, parameters) }
        case "AddDomainRecord":
            return withDomain(parameters) { domain, _ in save(domain, parameters, existing: nil) }
        case "UpdateDomainRecord", "DeleteDomainRecord":
            guard let id = parameters["RecordId"], !id.isEmpty else {
                return Self.error(400, "MissingRecordId", "RecordId is mandatory for this action.")
            }
            guard let (domain, existing) = find(id) else {
                return Self.error(400, "DomainRecordNotBelongToUser", "The DNS record does not belong to you.")
            }
            if parameters["Action"] == "UpdateDomainRecord" { return save(domain, parameters, existing: existing) }
            api.remove(domain, id: id)
            return Self.ok([("RecordId", .string(id))])
        default:
            return Self.error(
                404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        }
    }

    private func withDomain(_ parameters: [String: String], _ body: (String, [StoredRecord]) -> FakeReply) -> FakeReply
    {
        guard let name = parameters["DomainName"], !name.isEmpty else {
            return Self.error(400, "MissingDomainName", "DomainName is mandatory for this action.")
        }
        guard let records = api.records(name.lowercased()) else {
            return Self.error(400, "IncorrectDomainUser", "The domain name does not belong to this user.")
        }
        return body(name.lowercased(), records)
    }

    private func find(_ id: String) -> (String, StoredRecord)? {
        for domain in api.zoneKeys { if let record = api.record(domain, id: id) { return (domain, record) } }
        return nil
    }

    private func list(_ domain: String, _ records: [StoredRecord], _ parameters: [String: String]) -> FakeReply {
        let size = Int(parameters["PageSize"] ?? "20") ?? 0
        let number = Int(parameters["PageNumber"] ?? "1") ?? 0
        guard (1...500).contains(size), number >= 1 else {
            return Self.error(400, "InvalidParameter", "Specified parameter PageSize or PageNumber is not valid.")
        }
        var matching = Array(records.reversed())
        if let type = parameters["TypeKeyWord"], !type.isEmpty {
            matching = matching.filter { $0.type.caseInsensitiveCompare(type) == .orderedSame }
        }
        if let rr = parameters["RRKeyWord"]?.lowercased(), !rr.isEmpty {
            matching = matching.filter { $0.rr.contains(rr) }
        }
        let page = api.page(matching, number: number, size: min(size, Self.pageLimit))
        return Self.ok([
            ("TotalCount", .int(page.total)), ("PageNumber", .int(page.number)), ("PageSize", .int(page.size)),
            ("DomainRecords", .object([("Record", .array(page.items.map { Self.json($0, domain: domain) }))])),
        ])
    }

    private func save(_ domain: String, _ parameters: [String: String], existing: StoredRecord?) -> FakeReply {
        guard let rr = parameters["RR"], !rr.isEmpty, let type = parameters["Type"]?.uppercased(),
            let value = parameters["Value"], !value.isEmpty
        else { return Self.error(400, "MissingParameter", "RR, Type and Value are mandatory for this action.") }
        let ttl = parameters["TTL"].map { Int($0) ?? -1 } ?? 600
        let priority = parameters["Priority"].map { Int($0) ?? -1 }
        let record = StoredRecord(
            id: existing?.id ?? String(api.nextID()), rr: rr.lowercased(), type: type, value: value, ttl: ttl,
            priority: type == "MX" ? priority : nil)
        if let (code, message) = problem(domain, record) { return Self.error(400, code, message) }
        if let existing, existing == record {
            return Self.error(400, "DomainRecordDuplicate", "The DNS record already exists.")
        }
        api.save(record, in: domain)
        return Self.ok([("RecordId", .string(record.id))])
    }

    /// Why Alibaba refuses a record, as its error code and message, or nil.
    private func problem(_ domain: String, _ record: StoredRecord) -> (String, String)? {
        guard Self.types.contains(record.type) else { return ("InvalidType", "The DNS record type is invalid.") }
        guard
            record.rr == "@"
                || (!record.rr.hasSuffix(".") && !record.rr.contains(" ") && record.rr.allSatisfy(\.isASCII))
        else { return ("InvalidRR.Format", "The format of the host record is invalid.") }
        guard Self.ttlRange.contains(record.ttl) else {
            return ("DomainRecordTTL.Invalid", "The TTL must be between 600 and 86400 for this edition.")
        }
        if record.type == "MX", !(1...50).contains(record.priority ?? 0) {
            return ("InvalidPriority", "The MX priority must be between 1 and 50.")
        }
        switch record.type {
        case "A" where FakeRules.notIPv4(record.value):
            return ("InvalidValue.Format", "The IPv4 address is invalid.")
        case "AAAA" where (try? RecordContent.normalize(type: .aaaa, content: record.value)) == nil:
            return ("InvalidValue.Format", "The IPv6 address is invalid.")
        case "SRV" where record.value.split(separator: " ").count != 4:
            return ("InvalidValue.Format", "The SRV value must be PRIORITY WEIGHT PORT TARGET.")
        default:
            break
        }
        let others = api.stored(domain).filter { $0.id != record.id && $0.rr == record.rr }
        if others.contains(where: { $0.type == record.type && $0.value == record.value }) {
            return ("DomainRecordDuplicate", "The DNS record already exists.")
        }
        if FakeRules.cnameConflict(record.type, with: others.map(\.type)) {
            return ("DomainRecordConflict", "The DNS record conflicts with other records.")
        }
        return nil
    }

    static func json(_ record: StoredRecord, domain: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("DomainName", .string(domain)), ("RecordId", .string(record.id)), ("RR", .string(record.rr)),
            ("Type", .string(record.type)), ("Value", .string(record.value)), ("TTL", .int(record.ttl)),
            ("Line", .string("default")), ("Status", .string("ENABLE")), ("Locked", .bool(false)),
        ]
        if let priority = record.priority { fields.append(("Priority", .int(priority))) }
        return .object(fields)
    }

    static func requestID() -> String { String(UInt64.random(in: 0...UInt64.max), radix: 16).uppercased() }

    static func ok(_ fields: [(String, JSONValue)]) -> FakeReply {
        .json(200, .object([("RequestId", .string(requestID()))] + fields))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> FakeReply {
        .json(
            status,
            .object([
                ("RequestId", .string(requestID())), ("HostId", .string("alidns.aliyuncs.com")),
                ("Code", .string(code)), ("Message", .string(message)),
            ]))
    }
}
