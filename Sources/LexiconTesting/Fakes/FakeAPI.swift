import Foundation
import Lexicon
import LexiconHTTP

/// The engine every fake provider API runs on: a loopback server, a store of zones and their records behind one
/// lock, generated ids, the request log, paging that can be told to ignore its parameters, and JSON replies.
///
/// A fake is its API's routes, envelopes, auth check and error bodies on top. Each request is handled whole under
/// the lock, and requests on separate connections are served concurrently, so races between separate requests
/// (a read, another client's write, a write back) happen as they do against the real API.
public final class FakeAPI<Item: Sendable>: @unchecked Sendable {
    // Recursive: routes run under the lock and call the store's accessors, which take it too.
    private let lock = NSRecursiveLock()
    private var zones: [String: [Item]]
    private var counter: Int
    private var ignoresPaging = false
    private var server: LoopbackHTTPServer?

    /// Creates the store; ``start(authorize:route:)`` starts serving.
    /// - Parameters:
    ///   - zones: The records of each zone, by the key the fake looks zones up by (a name, an id).
    ///   - firstID: The first id ``nextID()`` hands out.
    public init(zones: [String: [Item]] = [:], firstID: Int = 1) {
        self.zones = zones
        counter = firstID
    }

    /// Starts serving on a free loopback port.
    /// - Parameters:
    ///   - authorize: The auth check: a refusal, or nil to go on to the routes.
    ///   - route: The reply to an authorised request.
    public func start(
        authorize: @escaping @Sendable (FakeRequest) -> FakeReply? = { _ in nil },
        route: @escaping @Sendable (FakeRequest) -> FakeReply
    ) throws {
        server = try LoopbackHTTPServer { [unowned self] request in
            let request = FakeRequest(request)
            return locked { authorize(request) ?? route(request) }
        }
    }

    /// The server's base URL (`http://127.0.0.1:PORT`).
    public var url: String { server?.url ?? "" }
    /// The requests received so far.
    public var requests: [HTTPRequest] { server?.requests ?? [] }
    /// Stops serving.
    public func stop() { server?.stop() }

    /// Runs `body` under the store's lock (for state a fake keeps beside the store).
    public func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Store

    /// The keys of the zones, sorted.
    public var zoneKeys: [String] { locked { zones.keys.sorted() } }

    /// The records of a zone, in the order they were added; nil for a zone the store does not have.
    public func records(_ zone: String) -> [Item]? { locked { zones[zone] } }

    /// The records of a zone; empty for a zone the store does not have.
    public func stored(_ zone: String) -> [Item] { records(zone) ?? [] }

    /// Changes the records of a zone (creating the zone when it is new).
    @discardableResult
    public func edit<T>(_ zone: String, _ change: (inout [Item]) throws -> T) rethrows -> T {
        try locked { try change(&zones[zone, default: []]) }
    }

    /// A new id, one more than the last.
    public func nextID() -> Int {
        locked {
            defer { counter += 1 }
            return counter
        }
    }

    // MARK: - Paging

    /// Whether listings answer their first page whatever page is asked for.
    public var pagingIgnored: Bool { locked { ignoresPaging } }

    /// Makes listings answer the first page whatever page is asked for, as an API (or a proxy) that drops the
    /// paging parameters does.
    public func ignorePaging(_ ignored: Bool = true) { locked { ignoresPaging = ignored } }

    /// One page of a listing by page number (from 1) and size; the first page while paging is ignored.
    public func page<T>(_ items: [T], number: Int?, size: Int) -> FakePage<T> {
        let size = max(1, size)
        let number = pagingIgnored ? 1 : max(1, number ?? 1)
        return FakePage(
            items: Array(items.dropFirst((number - 1) * size).prefix(size)), number: number, size: size,
            total: items.count, pages: max(1, (items.count + size - 1) / size))
    }

    /// One page of a sorted listing from a cursor (the marker of the next page the API handed out): the items from
    /// the first one at or after the cursor; from the start without a cursor or while paging is ignored.
    /// - Returns: The page, and the first item of the next page (its marker), nil on the last page.
    public func page<T>(_ sorted: [T], from isAtOrAfterCursor: ((T) -> Bool)?, limit: Int) -> (items: [T], next: T?) {
        let start = pagingIgnored ? 0 : isAtOrAfterCursor.map { sorted.firstIndex(where: $0) ?? sorted.count } ?? 0
        let end = min(sorted.count, start + max(1, limit))
        return (Array(sorted[start..<end]), end < sorted.count ? sorted[end] : nil)
    }

    /// One page of a listing by offset and limit; from the start while paging is ignored.
    public func page<T>(_ items: [T], offset: Int?, limit: Int) -> [T] {
        Array(items.dropFirst(pagingIgnored ? 0 : max(0, offset ?? 0)).prefix(max(1, limit)))
    }
}

extension FakeAPI where Item: Identifiable {
    /// The record of a zone with an id.
    public func record(_ zone: String, id: Item.ID) -> Item? {
        records(zone)?.first { $0.id == id }
    }

    /// Stores a record: replaces the one with its id, or adds it.
    /// - Returns: Whether it replaced a record.
    @discardableResult
    public func save(_ item: Item, in zone: String) -> Bool {
        edit(zone) { items in
            guard let index = items.firstIndex(where: { $0.id == item.id }) else {
                items.append(item)
                return false
            }
            items[index] = item
            return true
        }
    }

    /// Removes the record with an id.
    /// - Returns: The record, or nil when the zone has none with that id.
    @discardableResult
    public func remove(_ zone: String, id: Item.ID) -> Item? {
        edit(zone) { items in items.firstIndex { $0.id == id }.map { items.remove(at: $0) } }
    }
}

/// One page of a listing, as ``FakeAPI`` cut it.
public struct FakePage<T> {
    /// The items on the page.
    public var items: [T]
    /// The page's number, from 1.
    public var number: Int
    /// The page size.
    public var size: Int
    /// The items in the whole listing.
    public var total: Int
    /// The pages in the whole listing (at least 1).
    public var pages: Int
}

/// A request as a fake's routes read it.
public struct FakeRequest: Sendable {
    /// The request as received.
    public var http: HTTPRequest
    /// The path's segments, percent-decoded (`/v2/domains/x` is `["v2", "domains", "x"]`).
    public var parts: [String]
    /// The query's pairs, in order.
    public var query: [(String, String)]

    /// Reads a request.
    public init(_ http: HTTPRequest) {
        self.http = http
        let (path, query) = URLQuery.split(http.path)
        parts = path.split(separator: "/").map { URLQuery.unescape($0) }
        self.query = query
    }

    /// The method.
    public var method: String { http.method }
    /// The value of a header, case-insensitively.
    public func header(_ name: String) -> String? { http.header(name) }
    /// The query's parameters; the last value of a repeated one.
    public var parameters: [String: String] { Dictionary(query, uniquingKeysWith: { _, last in last }) }
    /// A query parameter as a number.
    public func int(_ name: String) -> Int? { parameters[name].flatMap { Int($0) } }

    /// The body as JSON, when the content type says JSON and the body parses; nil otherwise.
    public var json: JSONValue? {
        guard http.header("content-type")?.hasPrefix("application/json") == true, let body = http.body else {
            return nil
        }
        return try? JSONValue(parsing: body)
    }

    /// The body as a JSON object, when the content type says JSON and the body is an object; nil otherwise.
    public var jsonObject: JSONValue? { json.flatMap { $0.object != nil ? $0 : nil } }
}

/// Checks fakes share: the ones every real API makes alike.
public enum FakeRules {
    /// Whether a record of `type` may not stand beside records of `others` at the same name (a CNAME is alone).
    public static func cnameConflict(_ type: String, with others: [String]) -> Bool {
        (type == "CNAME" && !others.isEmpty) || others.contains("CNAME")
    }

    /// Whether a value is not an IPv4 address.
    public static func notIPv4(_ value: String) -> Bool {
        (try? RecordContent.normalize(type: .a, content: value)) == nil
    }
}

/// What a fake answers a request.
public typealias FakeReply = LoopbackHTTPServer.Reply

extension LoopbackHTTPServer.Reply {
    /// A JSON answer.
    public static func json(_ status: Int, _ value: JSONValue, headers: [String: String] = [:]) -> Self {
        .respond(
            HTTPResponse(
                status: status, headers: headers.merging(["content-type": "application/json"]) { mine, _ in mine },
                body: value.encoded()))
    }

    /// An answer without a body (`204 No Content`).
    public static func empty(_ status: Int = 204) -> Self { .respond(HTTPResponse(status: status)) }

    /// A text answer (XML APIs).
    public static func text(_ status: Int, _ body: String, contentType: String = "text/xml") -> Self {
        .respond(HTTPResponse(status: status, headers: ["content-type": contentType], body: Array(body.utf8)))
    }
}
