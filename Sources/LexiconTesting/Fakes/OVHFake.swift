import Lexicon
import LexiconHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// A stateful fake of OVHcloud's `/domain/zone` API on loopback, written from OVH's API documentation: signed
/// requests (`X-Ovh-Application`, `X-Ovh-Consumer`, `X-Ovh-Timestamp`, `X-Ovh-Signature` = `$1$` + SHA-1 of secret,
/// consumer key, method, URL, body and timestamp), a server clock that may differ from the client's (`/auth/time`),
/// record ids, and changes that are only served after `POST …/refresh`. Errors carry OVH's `errorCode` and `message`.
public final class OVHFake: @unchecked Sendable {
    /// One stored record.
    public struct StoredRecord: Sendable, Equatable, Identifiable {
        public var id: Int
        public var fieldType: String
        public var subDomain: String
        public var target: String
        public var ttl: Int
    }

    /// The credentials it accepts.
    public let applicationKey = "ak" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    public let applicationSecret = "as" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    public let consumerKey = "ck" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    /// Seconds the fake's clock is ahead of this machine's.
    public let skew: Int
    /// The records each zone serves: as of its last refresh.
    private var served: [String: [StoredRecord]] = [:]
    private let api = FakeAPI<StoredRecord>(firstID: 5_000_000)

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/1.0" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with zones and a clock `skew` seconds ahead.
    public init(zones names: [String], skew: Int = 0) throws {
        self.skew = skew
        for name in names {
            let ns = StoredRecord(
                id: api.nextID(), fieldType: "NS", subDomain: "", target: "dns200.anycast.me.", ttl: 0)
            api.edit(name) { $0 = [ns] }
            served[name] = [ns]
        }
        try api.start(authorize: { [unowned self] in verify($0) }, route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The records of a zone, as edited.
    public func stored(_ zone: String) -> [StoredRecord] { api.stored(zone) }

    /// The records the zone serves: as of the last refresh.
    public func applied(_ zone: String) -> [StoredRecord] { api.locked { served[zone] ?? [] } }

    private func now() -> Int { Int(time(nil)) + skew }

    /// Checks the application key, the clock and the signature (the server's clock is open to all).
    private func verify(_ request: FakeRequest) -> FakeReply? {
        if request.parts == ["1.0", "auth", "time"] { return nil }
        guard request.header("x-ovh-application") == applicationKey else {
            return Self.error(403, "INVALID_KEY", "This application key is invalid")
        }
        guard let stamp = request.header("x-ovh-timestamp").flatMap({ Int($0) }), abs(stamp - now()) <= 30 else {
            return Self.error(400, "QUERY_TIME_OUT", "Query out of time")
        }
        let body = request.http.body.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let consumer = request.header("x-ovh-consumer") ?? ""
        let expected =
            "$1$"
            + Digest.hex(
                Digest.hash(
                    .sha1,
                    Array(
                        [applicationSecret, consumer, request.method, request.http.url, body, String(stamp)].joined(
                            separator: "+"
                        ).utf8)))
        guard request.header("x-ovh-signature") == expected else {
            return Self.error(400, "INVALID_SIGNATURE", "Invalid signature")
        }
        guard consumer == consumerKey else {
            return Self.error(403, "INVALID_CREDENTIAL", "This credential does not exist")
        }
        return nil
    }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        if parts == ["1.0", "auth", "time"] { return .json(200, .int(now())) }
        guard parts.count >= 4, parts[0] == "1.0", parts[1] == "domain", parts[2] == "zone",
            let records = api.records(parts[3])
        else {
            return Self.error(404, nil, "This service does not exist")
        }
        let zone = parts[3]
        switch (request.method, parts.count) {
        case ("GET", 4):
            return .json(200, .object([("name", .string(zone)), ("dnssecSupported", .bool(true))]))
        case ("POST", 5) where parts[4] == "refresh":
            served[zone] = records
            return .json(200, .null)
        case ("GET", 5) where parts[4] == "record":
            let filters = request.parameters
            let ids = records.filter { record in
                (filters["fieldType"].map { $0 == record.fieldType } ?? true)
                    && (filters["subDomain"].map { $0 == record.subDomain } ?? true)
            }.map { JSONValue.int($0.id) }
            return .json(200, .array(ids))
        case ("POST", 5) where parts[4] == "record", ("PUT", 6) where parts[4] == "record":
            guard let json = request.jsonObject else { return Self.error(400, nil, "Invalid JSON body") }
            let existing = parts.count == 6 ? records.first { String($0.id) == parts[5] } : nil
            if parts.count == 6 && existing == nil {
                return Self.error(404, nil, "The requested object (id = \(parts[5])) does not exist")
            }
            return save(zone, json, existing: existing)
        case ("GET", 6) where parts[4] == "record", ("DELETE", 6) where parts[4] == "record":
            guard let record = records.first(where: { String($0.id) == parts[5] }) else {
                return Self.error(404, nil, "The requested object (id = \(parts[5])) does not exist")
            }
            if request.method == "GET" { return .json(200, Self.json(record, zone: zone)) }
            api.remove(zone, id: record.id)
            return .json(200, .null)
        default:
            return Self.error(404, nil, "The requested object does not exist")
        }
    }

    private func save(_ zone: String, _ json: JSONValue, existing: StoredRecord?) -> FakeReply {
        if existing != nil && json["fieldType"] != nil { return Self.error(400, nil, "fieldType cannot be changed") }
        let type = existing?.fieldType ?? json["fieldType"]?.string ?? ""
        guard
            [
                "A", "AAAA", "CAA", "CNAME", "DKIM", "DMARC", "DNAME", "LOC", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV",
                "SSHFP", "TLSA", "TXT",
            ].contains(type)
        else { return Self.error(400, nil, "Invalid value for fieldType") }
        let sub = (json["subDomain"]?.string ?? existing?.subDomain ?? "").lowercased()
        if sub.hasSuffix(".") || sub.hasSuffix(zone) {
            return Self.error(400, nil, "subDomain must be relative to the zone")
        }
        guard let target = json["target"]?.string ?? existing?.target, !target.isEmpty else {
            return Self.error(400, nil, "Missing parameter: target")
        }
        if type == "A", FakeRules.notIPv4(target) {
            return Self.error(400, nil, "Invalid IPv4 address: \(target)")
        }
        if type == "MX" && target.split(separator: " ").count != 2 {
            return Self.error(400, nil, "MX target must be 'priority host'")
        }
        let others = api.stored(zone).filter { $0.id != existing?.id && $0.subDomain == sub }
        if FakeRules.cnameConflict(type, with: others.map(\.fieldType)) {
            return Self.error(400, nil, "A CNAME record cannot coexist with other records for \(sub)")
        }
        let record = StoredRecord(
            id: existing?.id ?? api.nextID(), fieldType: type, subDomain: sub, target: target,
            ttl: json["ttl"]?.int ?? existing?.ttl ?? 0)
        return api.save(record, in: zone) ? .json(200, .null) : .json(200, Self.json(record, zone: zone))
    }

    static func json(_ record: StoredRecord, zone: String) -> JSONValue {
        .object([
            ("id", .int(record.id)), ("zone", .string(zone)), ("fieldType", .string(record.fieldType)),
            ("subDomain", .string(record.subDomain)), ("target", .string(record.target)), ("ttl", .int(record.ttl)),
        ])
    }

    static func error(_ status: Int, _ code: String?, _ message: String) -> FakeReply {
        var pairs: [(String, JSONValue)] = [("message", .string(message))]
        if let code { pairs += [("errorCode", .string(code)), ("httpCode", .string("\(status)"))] }
        return .json(status, .object(pairs))
    }
}
