import Foundation
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
    private var domains: [String: [StoredSet]] = [:]
    private let lock = NSLock()
    private var server: LoopbackHTTPServer!

    /// The base URL to give as `api_endpoint`.
    public var endpoint: String { server.url + "/v5/livedns" }
    /// Requests received.
    public var requests: [HTTPRequest] { server.requests }

    /// Starts the fake with domains, each with the apex NS set LiveDNS creates.
    public init(domains names: [String]) throws {
        for name in names {
            domains[name] = [
                StoredSet(name: "@", type: "NS", ttl: 10800, values: ["ns-1.gandi.net.", "ns-2.gandi.net."])
            ]
        }
        server = try LoopbackHTTPServer { [unowned self] request in lock.withLock { self.handle(request) } }
    }

    /// Stops the fake.
    public func stop() { server.stop() }

    /// The sets of a domain.
    public func stored(_ domain: String) -> [StoredSet] { lock.withLock { domains[domain] ?? [] } }

    private func handle(_ request: HTTPRequest) -> LoopbackHTTPServer.Reply {
        let authorization = request.header("authorization")
        guard authorization == "Bearer \(token)" || authorization == "Apikey \(apiKey)" else {
            return Self.error(
                401, "HTTPUnauthorized", "Unauthorized",
                "The server could not verify that you are authorized to access the URL requested.")
        }
        let (path, query) = URLQuery.split(request.path)
        let parts = path.split(separator: "/").map { URLQuery.unescape($0) }
        guard parts.count >= 4, parts[0] == "v5", parts[1] == "livedns", parts[2] == "domains", domains[parts[3]] != nil
        else {
            return Self.error(404, "HTTPNotFound", "Not Found", "The resource could not be found.")
        }
        let domain = parts[3]
        switch (request.method, parts.count) {
        case ("GET", 4):
            return Self.json(200, .object([("fqdn", .string(domain)), ("automatic_snapshots", .bool(true))]))
        case ("GET", 5) where parts[4] == "records":
            let filters = Dictionary(query, uniquingKeysWith: { _, last in last })
            let size = 2
            let page = max(1, Int(filters["page"] ?? "1") ?? 1)
            let sets = domains[domain]!.sorted { ($0.name, $0.type) < ($1.name, $1.type) }
            let slice = sets.dropFirst((page - 1) * size).prefix(size).map(Self.json)
            return .respond(
                HTTPResponse(
                    status: 200, headers: ["content-type": "application/json", "total-count": String(sets.count)],
                    body: JSONValue.array(Array(slice)).encoded()))
        case ("PUT", 7) where parts[4] == "records":
            guard request.header("content-type")?.hasPrefix("application/json") == true, let body = request.body,
                let json = try? JSONValue(parsing: body), json.object != nil
            else { return Self.error(400, "HTTPBadRequest", "Bad Request", "The body must be JSON.") }
            return put(domain, name: parts[5], type: parts[6], json)
        case ("DELETE", 7) where parts[4] == "records":
            guard let index = domains[domain]!.firstIndex(where: { $0.name == parts[5] && $0.type == parts[6] }) else {
                return Self.error(404, "HTTPNotFound", "Not Found", "The resource could not be found.")
            }
            domains[domain]!.remove(at: index)
            return .respond(HTTPResponse(status: 204))
        default:
            return Self.error(405, "HTTPMethodNotAllowed", "Method Not Allowed", "The method is not allowed.")
        }
    }

    private func put(_ domain: String, name: String, type: String, _ json: JSONValue) -> LoopbackHTTPServer.Reply {
        func invalid(_ field: String, _ description: String) -> LoopbackHTTPServer.Reply {
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
            if type == "A", (try? RecordContent.normalize(type: .a, content: value)) == nil {
                return invalid("rrset_values", "Invalid IPv4 address")
            }
            if type == "TXT", !(value.hasPrefix("\"") && value.hasSuffix("\"")) {
                return invalid("rrset_values", "TXT values must be quoted")
            }
            if ["CNAME", "NS", "PTR"].contains(type), !value.hasSuffix(".") {
                return invalid("rrset_values", "Must be a fully qualified name ending with a dot")
            }
        }
        let others = domains[domain]!.filter { $0.name == name && $0.type != type }
        if (type == "CNAME" && !others.isEmpty) || others.contains(where: { $0.type == "CNAME" }) {
            return Self.error(409, "HTTPConflict", "Conflict", "A CNAME record cannot coexist with other records")
        }
        let set = StoredSet(name: name, type: type, ttl: ttl, values: values)
        if let index = domains[domain]!.firstIndex(where: { $0.name == name && $0.type == type }) {
            domains[domain]![index] = set
        } else {
            domains[domain]!.append(set)
        }
        return Self.json(201, .object([("message", .string("DNS Record Created"))]))
    }

    static func json(_ set: StoredSet) -> JSONValue {
        .object([
            ("rrset_name", .string(set.name)), ("rrset_type", .string(set.type)), ("rrset_ttl", .int(set.ttl)),
            ("rrset_values", .array(set.values.map { .string($0) })),
        ])
    }

    static func json(_ status: Int, _ value: JSONValue) -> LoopbackHTTPServer.Reply {
        .respond(HTTPResponse(status: status, headers: ["content-type": "application/json"], body: value.encoded()))
    }

    static func error(
        _ status: Int, _ object: String, _ cause: String, _ message: String, errors: [(String, String)] = []
    ) -> LoopbackHTTPServer.Reply {
        var pairs: [(String, JSONValue)] = [
            ("code", .int(status)), ("message", .string(message)), ("object", .string(object)),
            ("cause", .string(cause)),
        ]
        if !errors.isEmpty {
            pairs.append(
                (
                    "errors",
                    .array(
                        errors.map {
                            .object([
                                ("location", .string("body")), ("name", .string($0.0)), ("description", .string($0.1)),
                            ])
                        })
                ))
        }
        return json(status, .object(pairs))
    }
}
