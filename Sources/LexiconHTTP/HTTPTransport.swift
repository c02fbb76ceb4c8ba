/// An HTTP request as providers build it.
public struct HTTPRequest: Sendable, Hashable {
    /// The method (`GET`, `POST`, `PATCH`, …).
    public var method: String
    /// The absolute URL.
    public var url: String
    /// Header fields in order.
    public var headers: [HTTPHeader]
    /// The body, if any.
    public var body: [UInt8]?
    /// Whether repeating the request cannot change the result: by its method (RFC 9110 §9.2.2), or by construction
    /// (a PATCH or POST that carries the whole intended set or zone). Such requests are retried after a timeout, a
    /// reset connection and a 500, 502 or 504 answer.
    public var isIdempotent: Bool

    /// Creates a request.
    /// - Parameters:
    ///   - method: The method.
    ///   - url: The absolute URL.
    ///   - headers: Header fields in order.
    ///   - body: The body, if any.
    ///   - idempotent: Whether repeating it is harmless; nil decides by the method.
    public init(
        method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil, idempotent: Bool? = nil
    ) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
        self.isIdempotent = idempotent ?? ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(self.method)
    }
}

/// One header field.
public struct HTTPHeader: Sendable, Hashable {
    /// The field name.
    public var name: String
    /// The field value.
    public var value: String

    /// Creates a field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP response.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// Header fields, names lower-cased (the last value wins).
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Sends HTTP requests. Providers receive one and never touch libcurl themselves.
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns the final response (after redirects and retries).
    /// - Throws: ``Lexicon/LexiconError`` `network` when no usable response arrives.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
