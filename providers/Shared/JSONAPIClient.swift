import Lexicon
import LexiconHTTP

/// Requests to a JSON REST API, set up once per provider: the base URL (the `api_endpoint` option or the
/// provider's default), the auth headers, JSON bodies, strict decoding of what a `GET` answers, and every answer
/// outside 2xx turned into a one-line ``LexiconError`` through the provider's ``HTTPFailure``.
struct JSONAPIClient: Sendable {
    /// What a 404 means to one request.
    enum Missing: Sendable {
        /// A failure like any other status.
        case fails
        /// Nothing there, which is fine (a record already deleted): the answer is `null`.
        case isFine
        /// The zone is not at the provider (authentication status 3, `No domain found`), with a hint.
        case isUnknownZone(hint: String)
    }

    /// The base URL, without a trailing slash.
    let base: String
    /// The headers every request carries (credentials).
    let headers: [HTTPHeader]
    let transport: any HTTPTransport
    /// The messages for failed answers.
    let failure: HTTPFailure
    /// The zone, for `No domain found`.
    let zone: String
    /// The API's explanation in an error body, for the message; the body is nil when it is not JSON.
    var detail: @Sendable (JSONValue?) -> String = { $0?["message"]?.string ?? "" }
    /// The error for an answer the provider words itself (a conflict, a refusal with advice); nil for the usual.
    var special: @Sendable (HTTPResponse, JSONValue?, String) -> LexiconError? = { _, _, _ in nil }

    /// A ``detail`` for error bodies that explain themselves in a few string fields (`{"code", "message"}`, or
    /// under `error`): the non-empty ones at these key paths, in order, joined by `: `.
    /// - Parameter paths: Each field's keys from the body's top, e.g. `["error", "message"]`.
    static func detail(joining paths: [String]...) -> @Sendable (JSONValue?) -> String {
        { json in
            paths.compactMap { path in path.reduce(json) { $0?[$1] }?.string }.filter { !$0.isEmpty }
                .joined(separator: ": ")
        }
    }

    /// Sets up the client for a provider.
    /// - Parameters:
    ///   - context: The zone and options; `api_endpoint` overrides `endpoint`.
    ///   - endpoint: The API's default base URL.
    ///   - transport: The HTTP transport; libcurl by default.
    ///   - headers: The headers every request carries.
    ///   - failure: The messages for failed answers.
    init(
        context: ProviderContext, endpoint: String, transport: (any HTTPTransport)?, headers: [HTTPHeader],
        failure: HTTPFailure
    ) {
        base = context.endpoint(default: endpoint)
        self.transport = transport ?? CurlTransport(context: context)
        self.headers = headers
        self.failure = failure
        zone = context.zone
    }

    /// Sends a request and answers its response when the status is 2xx.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The path and query after the base URL.
    ///   - body: The JSON body, if any.
    ///   - extraHeaders: Headers for this request only (a signature).
    ///   - operation: What is being done (`list records`), for messages.
    ///   - missing: What a 404 means.
    ///   - idempotent: Whether repeating the request is harmless (a write that carries a whole set); by method when nil.
    /// - Returns: The response, or nil for a 404 that `missing` accepts.
    /// - Throws: ``LexiconError`` for any other status.
    func send(
        _ method: String, _ path: String, body: [UInt8]? = nil, extraHeaders: [HTTPHeader] = [], operation: String,
        missing: Missing = .fails, idempotent: Bool? = nil
    ) async throws -> HTTPResponse? {
        var all = headers + extraHeaders + [HTTPHeader("Accept", "application/json")]
        if body != nil { all.append(HTTPHeader("Content-Type", "application/json")) }
        let response = try await transport.send(
            HTTPRequest(method: method, url: base + path, headers: all, body: body, idempotent: idempotent))
        if (200..<300).contains(response.status) { return response }
        let json = try? JSONValue(parsing: response.body)
        if let error = special(response, json, operation) { throw error }
        switch (response.status, missing) {
        case (404, .isFine):
            return nil
        case (404, .isUnknownZone(let hint)):
            throw LexiconError.domainNotFound(zone, provider: failure.provider, hint: hint)
        default:
            throw failure.error(response, operation: operation, detail: detail(json))
        }
    }

    /// Sends a request and answers its JSON: a `GET`'s answer must be JSON; a write's may be empty (`null`).
    @discardableResult
    func call(
        _ method: String, _ path: String, body: JSONValue? = nil, extraHeaders: [HTTPHeader] = [],
        operation: String, missing: Missing = .fails, idempotent: Bool? = nil
    ) async throws -> JSONValue {
        guard
            let response = try await send(
                method, path, body: body?.encoded(), extraHeaders: extraHeaders, operation: operation,
                missing: missing, idempotent: idempotent)
        else { return .null }
        guard method == "GET" else { return (try? JSONValue(parsing: response.body)) ?? .null }
        return try response.json(operation: operation, provider: failure.provider, service: failure.service)
    }

    /// `GET`s JSON.
    @discardableResult
    func get(_ path: String, operation: String, missing: Missing = .fails) async throws -> JSONValue {
        try await call("GET", path, operation: operation, missing: missing)
    }

    /// `POST`s a JSON body.
    @discardableResult
    func post(_ path: String, _ body: JSONValue?, operation: String, idempotent: Bool? = nil) async throws
        -> JSONValue
    {
        try await call("POST", path, body: body, operation: operation, idempotent: idempotent)
    }

    /// `PUT`s a JSON body.
    @discardableResult
    func put(_ path: String, _ body: JSONValue, operation: String) async throws -> JSONValue {
        try await call("PUT", path, body: body, operation: operation)
    }

    /// `PATCH`es a JSON body.
    @discardableResult
    func patch(_ path: String, _ body: JSONValue, operation: String) async throws -> JSONValue {
        try await call("PATCH", path, body: body, operation: operation)
    }

    /// `DELETE`s; a 404 is fine unless `missing` says otherwise (what is to go is gone).
    @discardableResult
    func delete(_ path: String, operation: String, missing: Missing = .isFine) async throws -> JSONValue {
        try await call("DELETE", path, operation: operation, missing: missing)
    }

    /// The error for an answer of an unexpected shape.
    func unexpected(_ operation: String) -> LexiconError {
        LexiconError(
            .provider, "\(operation): \(failure.service) answered JSON of an unexpected shape.",
            provider: failure.provider)
    }
}

extension ProviderOption {
    /// The `api_endpoint` option every HTTP provider takes, so tests and regional or self-hosted endpoints need no
    /// code change.
    /// - Parameters:
    ///   - defaultValue: The provider's default base URL, shown in help.
    ///   - help: The help line.
    static func apiEndpoint(_ defaultValue: String?, help: String = "The API's base URL.") -> ProviderOption {
        ProviderOption("api_endpoint", help: help, isSecret: false, defaultValue: defaultValue, valueName: "URL")
    }
}
