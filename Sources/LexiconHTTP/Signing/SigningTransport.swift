/// A transport that signs every request just before another transport sends it, for APIs whose signature covers
/// the method, path, body and a time (Exoscale's EXO2-HMAC-SHA256, OCI's HTTP Signatures), so a provider can keep
/// using a client that builds the requests.
public struct SigningTransport: HTTPTransport {
    /// The transport that sends the signed requests.
    public let base: any HTTPTransport
    /// Adds the signature to a request.
    public let sign: @Sendable (HTTPRequest) throws -> HTTPRequest

    /// Wraps a transport.
    /// - Parameters:
    ///   - base: The transport that sends.
    ///   - sign: Adds the signature (headers) to a request; it may throw when the signature cannot be made.
    public init(_ base: any HTTPTransport, sign: @escaping @Sendable (HTTPRequest) throws -> HTTPRequest) {
        self.base = base
        self.sign = sign
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await base.send(try sign(request))
    }
}
