import Foundation
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
    public struct StoredRecord: Sendable, Equatable {
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
    private var zones: [String: [StoredRecord]] = [:]
    private var served: [String: [StoredRecord]] = [:]
    private var nextID = 5_000_000
    private let lock = NSLock()
    private var server: LoopbackHTTPServer!

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { server.url + "/1.0" }
    /// Requests received.
    public var requests: [HTTPRequest] { server.requests }

    /// Starts the fake with zones and a clock `skew` seconds ahead.
    public init(zones names: [String], skew: Int = 0) throws {
        self.skew = skew
        for name in names {
            zones[name] = [
                StoredRecord(id: nextID, fieldType: "NS", subDomain: "", target: "dns200.anycast.me.", ttl: 0)
            ]
            nextID += 1
            served[name] = zones[name]
        }
        server = try LoopbackHTTPServer { [unowned self] request in lock.withLock { self.handle(request) } }
    }

    /// Stops the fake.
    public func stop() { server.stop() }

    /// The records of a zone, as edited.
    public func stored(_ zone: String) -> [StoredRecord] { lock.withLock { zones[zone] ?? [] } }

    /// The records the zone serves: as of the last refresh.
    public func applied(_ zone: String) -> [StoredRecord] { lock.withLock { served[zone] ?? [] } }

    private func now() -> Int { Int(time(nil)) + skew }

    private func handle(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply {
        let (path, query) = URLQuery.split(request.path)
        if path == "/1.0/auth/time" {
            return .respond(
                HTTPResponse(
                    status: 200, headers: ["content-type": "application/json"], body: Array(String(now()).utf8)))
        }
        guard request.header("x-ovh-application") == applicationKey else {
            return Self.error(403, "INVALID_KEY", "This application key is invalid")
        }
        guard let stamp = request.header("x-ovh-timestamp").flatMap({ Int($0) }), abs(stamp - now()) <= 30 else {
            return Self.error(400, "QUERY_TIME_OUT", "Query out of time")
        }
        let body = request.body.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let consumer = request.header("x-ovh-consumer") ?? ""
        let expected =
            "$1$"
            + Digest.hex(
                Digest.hash(
                    .sha1,
                    Array(
                        [applicationSecret, consumer, request.method, request.url, body, String(stamp)].joined(
                            separator: "+"
                        ).utf8)))
        guard request.header("x-ovh-signature") == expected else {
            return Self.error(400, "INVALID_SIGNATURE", "Invalid signature")
        }
        guard consumer == consumerKey else {
            return Self.error(403, "INVALID_CREDENTIAL", "This credential does not exist")
        }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 4, parts[0] == "1.0", parts[1] == "domain", parts[2] == "zone", zones[parts[3]] != nil
        else {
            return Self.error(404, nil, "This service does not exist")
        }
        let zone = parts[3]
        switch (request.method, parts.count) {
        case ("GET", 4):
            return Self.json(200, .object([("name", .string(zone)), ("dnssecSupported", .bool(true))]))
        case ("POST", 5) where parts[4] == "refresh":
            served[zone] = zones[zone]
            return Self.json(200, .null)
        case ("GET", 5) where parts[4] == "record":
            let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
            let ids = zones[zone]!.filter { record in
                (filters["fieldType"].map { $0 == record.fieldType } ?? true)
                    && (filters["subDomain"].map { $0 == record.subDomain } ?? true)
            }.map { JSONValue.int($0.id) }
            return Self.json(200, .array(ids))
        case ("POST", 5) where parts[4] == "record", ("PUT", 6) where parts[4] == "record":
            guard request.header("content-type")?.hasPrefix("application/json") == true,
                let json = try? JSONValue(parsing: Array(body.utf8)),
                json.object != nil
            else { return Self.error(400, nil, "Invalid JSON body") }
            let existing = parts.count == 6 ? zones[zone]!.first { String($0.id) == parts[5] } : nil
            if parts.count == 6 && existing == nil {
                return Self.error(404, nil, "The requested object (id = \(parts[5])) does not exist")
            }
            return save(zone, json, existing: existing)
        case ("GET", 6) where parts[4] == "record", ("DELETE", 6) where parts[4] == "record":
            guard let index = zones[zone]!.firstIndex(where: { String($0.id) == parts[5] }) else {
                return Self.error(404, nil, "The requested object (id = \(parts[5])) does not exist")
            }
            if request.method == "GET" { return Self.json(200, Self.json(zones[zone]![index], zone: zone)) }
            zones[zone]!.remove(at: index)
            return Self.json(200, .null)
        default:
            return Self.error(404, nil, "The requested object does not exist")
        }
    }

    private func save(_ zone: String, _ json: JSONValue, existing: StoredRecord?) -> LoopbackHTTPServer.Reply {
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
        if type == "A", (try? RecordContent.normalize(type: .a, content: target)) == nil {
            return Self.error(400, nil, "Invalid IPv4 address: \(target)")
        }
        if type == "MX" && target.split(separator: " ").count != 2 {
            return Self.error(400, nil, "MX target must be 'priority host'")
        }
        let others = zones[zone]!.filter { $0.id != existing?.id && $0.subDomain == sub }
        if (type == "CNAME" && !others.isEmpty) || others.contains(where: { $0.fieldType == "CNAME" }) {
            return Self.error(400, nil, "A CNAME record cannot coexist with other records for \(sub)")
        }
        let record = StoredRecord(
            id: existing?.id
                ?? {
                    nextID += 1; return nextID
                }(), fieldType: type, subDomain: sub, target: target,
            ttl: json["ttl"]?.int ?? existing?.ttl ?? 0)
        if let existing, let index = zones[zone]!.firstIndex(where: { $0.id == existing.id }) {
            zones[zone]![index] = record
            return Self.json(200, .null)
        }
        zones[zone]!.append(record)
        return Self.json(200, Self.json(record, zone: zone))
    }

    static func json(_ record: StoredRecord, zone: String) -> JSONValue {
        .object([
            ("id", .int(record.id)), ("zone", .string(zone)), ("fieldType", .string(record.fieldType)),
            ("subDomain", .string(record.subDomain)), ("target", .string(record.target)), ("ttl", .int(record.ttl)),
        ])
    }

    static func json(_ status: Int, _ value: JSONValue) -> LoopbackHTTPServer.Reply {
        .respond(HTTPResponse(status: status, headers: ["content-type": "application/json"], body: value.encoded()))
    }

    static func error(_ status: Int, _ code: String?, _ message: String) -> LoopbackHTTPServer.Reply {
        var pairs: [(String, JSONValue)] = [("message", .string(message))]
        if let code { pairs += [("errorCode", .string(code)), ("httpCode", .string("\(status)"))] }
        return json(status, .object(pairs))
    }
}
