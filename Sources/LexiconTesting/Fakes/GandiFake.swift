import Lexicon
import LexiconHTTP

/// A stateful fake of Gandi's LiveDNS v5 API on loopback, written from Gandi's API reference: `Bearer` personal
/// access tokens and legacy `Apikey` keys, record sets under `/domains/{fqdn}/records/{name}/{type}` written with
/// `PUT` (`rrset_ttl`, `rrset_values`), listings paged with `Total-Count` (two sets a page), and Gandi's error
/// bodies (`code`, `message`, `cause`, `errors[].description`) for bad credentials, unknown domains and invalid sets.
public final class GandiFake: @unchecked Sendable {
    /// One stored set.
    public struct StoredSet: Sendable, Equatable {
        public var name: String
        public var type: String
        public var ttl: Int
        public var values: [String]
    }

    /// A personal access token (40 characters) and a legacy API key (24 characters).
    public let token = String((0..<40).map { _ in "0123456789abcdef".randomElement()! })
    public let apiKey = String((0..<24).map { _ in "ABCDEFGHJKLMNPQRSTUVWXYZ".randomElement()! })
    private let api: FakeAPI<StoredSet>

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { api.url + "/v5/livedns" }
    /// Requests received.
    public var requests: [HTTPRequest] { api.requests }

    /// Starts the fake with domains, each with the apex NS set LiveDNS creates.
    public init(domains names: [String]) throws {
        let apex = StoredSet(name: "@", type: "NS", ttl: 10800, values: ["ns-1.gandi.net.", "ns-2.gandi.net."])
        api = FakeAPI(zones: Dictionary(uniqueKeysWithValues: names.map { ($0, [apex]) }))
        try api.start(
            authorize: { [token, apiKey] request in
                let authorization = request.header("authorization")
                guard authorization == "Bearer \(token)" || authorization == "Apikey \(apiKey)" else {
                    return Self.error(
                        401, "HTTPUnauthorized", "Unauthorized",
                        "The server could not verify that you are authorized to access the URL requested.")
                }
                return nil
            },
            route: { [unowned self] in route($0) })
    }

    /// Stops the fake.
    public func stop() { api.stop() }

    /// The sets of a domain.
    public func stored(_ domain: String) -> [StoredSet] { api.stored(domain) }

    private func route(_ request: FakeRequest) -> FakeReply {
        let parts = request.parts
        guard parts.count >= 4, parts[0] == "v5", parts[1] == "livedns", parts[2] == "domains",
            let sets = api.records(parts[3])
        else {
            return Self.error(404, "HTTPNotFound", "Not Found", "The resource could not be found.")
        }
        let domain = parts[3]
        switch (request.method, parts.count) {
        case ("GET", 4):
            return .json(200, .object([("fqdn", .string(domain)), ("automatic_snapshots", .bool(true))]))
        case ("GET", 5) where parts[4] == "records":
            let sorted = sets.sorted { ($0.name, $0.type) < ($1.name, $1.type) }
            let page = api.page(sorted, number: request.int("page"), size: 2)
            return .json(200, .array(page.items.map(Self.json)), headers: ["total-count": String(page.total)])
        case ("PUT", 7) where parts[4] == "records":
            guard let json = request.jsonObject else {
                return Self.error(400, "HTTPBadRequest", "Bad Request", "The body must be JSON.")
            }
            return put(domain, name: parts[5], type: parts[6], json)
        case ("DELETE", 7) where parts[4] == "records":
            let removed = api.edit(domain) { sets in
                sets.firstIndex { $0.name == parts[5] && $0.type == parts[6] }.map { sets.remove(at: $0) }
            }
            return removed == nil
                ? Self.error(404, "HTTPNotFound", "Not Found", "The resource could not be found.") : .empty()
        default:
            return Self.error(405, "HTTPMethodNotAllowed", "Method Not Allowed", "The method is not allowed.")
        }
    }

    private func put(_ domain: String, name: String, type: String, _ json: JSONValue) -> FakeReply {
        func invalid(_ field: String, _ description: String) -> FakeReply {
            Self.error(400, "HTTPBadRequest", "Bad Request", "Validation error", errors: [(field, description)])
        }
        guard
            [
                "A", "AAAA", "ALIAS", "CAA", "CDS", "CNAME", "DNAME", "DS", "KEY", "LOC", "MX", "NAPTR", "NS",
                "OPENPGPKEY", "PTR", "SPF", "SRV", "SSHFP", "TLSA", "TXT", "WKS",
            ].contains(type)
        else { return invalid("rrset_type", "Unknown rrset type") }
        guard !name.hasSuffix("."), name == "@" || !name.hasSuffix(domain) else {
            return invalid("rrset_name", "Must be relative to the domain")
        }
        let ttl = json["rrset_ttl"]?.int ?? 10800
        guard (300...2_592_000).contains(ttl) else { return invalid("rrset_ttl", "Must be between 300 and 2592000") }
        guard let values = json["rrset_values"]?.array?.compactMap(\.string), !values.isEmpty else {
            return invalid("rrset_values", "Shorter than minimum length 1")
        }
        for value in values {
            if type == "A", FakeRules.notIPv4(value) { return invalid("rrset_values", "Invalid IPv4 address") }
            if type == "TXT", !(value.hasPrefix("\"") && value.hasSuffix("\"")) {
                return invalid("rrset_values", "TXT values must be quoted")
            }
            if ["CNAME", "NS", "PTR"].contains(type), !value.hasSuffix(".") {
                return invalid("rrset_values", "Must be a fully qualified name ending with a dot")
            }
        }
        let others = api.stored(domain).filter { $0.name == name && $0.type != type }
        if FakeRules.cnameConflict(type, with: others.map(\.type)) {
            return Self.error(409, "HTTPConflict", "Conflict", "A CNAME record cannot coexist with other records")
        }
        let set = StoredSet(name: name, type: type, ttl: ttl, values: values)
        api.edit(domain) { sets in
            if let index = sets.firstIndex(where: { $0.name == name && $0.type == type }) {
                sets[index] = set
            } else {
                sets.append(set)
            }
        }
        return .json(201, .object([("message", .string("DNS Record Created"))]))
    }

    static func json(_ set: StoredSet) -> JSONValue {
        .object([
            ("rrset_name", .string(set.name)), ("rrset_type", .string(set.type)), ("rrset_ttl", .int(set.ttl)),
            ("rrset_values", .array(set.values.map { .string($0) })),
        ])
    }

    static func error(
        _ status: Int, _ object: String, _ cause: String, _ message: String, errors: [(String, String)] = []
    ) -> FakeReply {
        var pairs: [(String, JSONValue)] = [
            ("code", .int(status)), ("message", .string(message)), ("object", .string(object)),
            ("cause", .string(cause)),
        ]
        if !errors.isEmpty {
            let list = errors.map { name, description -> JSONValue in
                .object([("location", .string("body")), ("name", .string(name)), ("description", .string(description))])
            }
            pairs.append(("errors", .array(list)))
        }
        return .json(status, .object(pairs))
    }
}
