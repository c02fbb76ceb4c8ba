import Lexicon
import LexiconHTTP

/// A stateful fake of IBM NS1 Connect's v1 API on loopback, written from its API reference: the `X-NSONE-Key`
/// header, `GET /zones/{zone}` with the zone's `records` (`domain`, `type`, `ttl`, `short_answers`, `id`), record
/// sets at `/zones/{zone}/{domain}/{type}` (`GET` reads, `PUT` creates and refuses an existing set, `POST` replaces
/// an existing set, `DELETE` removes), answers as lists of rdata fields, and NS1's `{"message"}` error bodies.
public final class NSOneFake: @unchecked Sendable {
    /// One stored set.
    public struct StoredSet: Sendable {
        public var id: String
        public var domain: String
        public var type: String
        public var ttl: Int
        /// Each answer's rdata fields, as sent.
        public var answers: [[JSONValue]]
    }

    /// The API key.
    public let key = String((0..<20).map { _ in "0123456789abcdefABCDEF".randomElement()! })
    private let api: FakeAPI<StoredSet>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v1" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with zones, each with the apex NS set NS1 creates.
    public init(zones names: [String]) throws {
        api = FakeAPI(
            zones: Dictionary(
                uniqueKeysWithValues: names.map { zone in
                    let ns = ["dns1.p01.nsone.net", "dns2.p01.nsone.net"].map { [JSONValue.string($0)] }
                    return (zone, [StoredSet(id: "ns-\(zone)", domain: zone, type: "NS", ttl: 3600, answers: ns)])
                }))
        try api.start(
            authorize: { [key] request in
                request.header("x-nsone-key") == key ? nil : Self.error(401, "Unauthorized")
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The sets of a zone.
    public func stored(_ zone: String) -> [StoredSet] { api.stored(zone) }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 3, parts[0] == "v1", parts[1] == "zones" else { return Self.error(404, "Not Found") }
        let zone = parts[2]
        guard let sets = api.records(zone) else { return Self.error(404, "zone not found") }
        switch (request.method, parts.count) {
        case ("GET", 3):
            let records = sets.map { set -> JSONValue in
                .object([
                    ("domain", .string(set.domain)), ("short_answers", .array(set.answers.map(Self.short))),
                    ("link", .null), ("ttl", .int(set.ttl)), ("tier", .int(1)), ("type", .string(set.type)),
                    ("id", .string(set.id)),
                ])
            }
            return .json(
                200,
                .object([
                    ("zone", .string(zone)), ("ttl", .int(3600)), ("id", .string("zone-\(zone)")),
                    ("records", .array(records)),
                ]))
        case (_, 5):
            let (domain, type) = (parts[3], parts[4])
            let existing = sets.first { $0.domain == domain && $0.type == type }
            switch request.method {
            case "GET":
                return existing.map { .json(200, Self.json($0, zone: zone)) } ?? Self.error(404, "record not found")
            case "DELETE":
                guard existing != nil else { return Self.error(404, "record not found") }
                api.edit(zone) { $0.removeAll { $0.domain == domain && $0.type == type } }
                return .json(200, .object([]))
            case "PUT", "POST":
                if request.method == "PUT", existing != nil { return Self.error(400, "record already exists") }
                if request.method == "POST", existing == nil { return Self.error(404, "record not found") }
                return write(zone, domain: domain, type: type, request.jsonObject, replacing: existing)
            default:
                return Self.error(405, "Method Not Allowed")
            }
        default:
            return Self.error(404, "Not Found")
        }
    }

    private func write(_ zone: String, domain: String, type: String, _ json: JSONValue?, replacing: StoredSet?)
        -> FakeReply
    {
        guard let json else { return Self.error(400, "Input validation failed: body must be JSON") }
        guard domain == zone || domain.hasSuffix("." + zone) else {
            return Self.error(400, "Input validation failed: domain is not in zone")
        }
        guard
            ["A", "AAAA", "ALIAS", "CAA", "CNAME", "DS", "HINFO", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "TXT"]
                .contains(type)
        else { return Self.error(400, "Input validation failed: unsupported record type") }
        guard let answers = json["answers"]?.array, !answers.isEmpty else {
            return Self.error(400, "Input validation failed: answers must not be empty")
        }
        var fields: [[JSONValue]] = []
        for answer in answers {
            guard let parts = answer["answer"]?.array, !parts.isEmpty else {
                return Self.error(400, "Input validation failed: answer must be a list of rdata fields")
            }
            if type == "A", parts.count != 1 || FakeRules.notIPv4(parts[0].string ?? "") {
                return Self.error(400, "Input validation failed: invalid A answer")
            }
            if type == "MX", parts.count != 2 || Self.text(parts[0]).flatMap({ Int($0) }) == nil {
                return Self.error(400, "Input validation failed: MX answers are [preference, exchange]")
            }
            if type == "TXT", parts.count != 1 {
                return Self.error(400, "Input validation failed: TXT answers are one field")
            }
            fields.append(parts)
        }
        let others = api.stored(zone).filter { $0.domain == domain && $0.type != type }.map(\.type)
        if FakeRules.cnameConflict(type, with: others) {
            return Self.error(400, "CNAME records cannot coexist with other records")
        }
        let set = StoredSet(
            id: replacing?.id ?? "rec-\(api.nextID())", domain: domain, type: type,
            ttl: json["ttl"]?.int ?? replacing?.ttl ?? 3600, answers: fields)
        api.edit(zone) { sets in
            sets.removeAll { $0.domain == domain && $0.type == type }
            sets.append(set)
        }
        return .json(200, Self.json(set, zone: zone))
    }

    static func text(_ field: JSONValue) -> String? { field.string ?? field.int.map(String.init) }

    static func short(_ fields: [JSONValue]) -> JSONValue {
        .string(fields.compactMap(text).joined(separator: " "))
    }

    static func json(_ set: StoredSet, zone: String) -> JSONValue {
        .object([
            ("zone", .string(zone)), ("domain", .string(set.domain)), ("type", .string(set.type)),
            ("ttl", .int(set.ttl)), ("id", .string(set.id)), ("link", .null),
            ("answers", .array(set.answers.map { .object([("answer", .array($0))]) })),
        ])
    }

    static func error(_ status: Int, _ message: String) -> FakeReply {
        .json(status, .object([("message", .string(message))]))
    }
}
