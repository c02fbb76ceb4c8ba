/// AWS Signature Version 4 for a request: the canonical request, the string to sign and the derived key, as AWS's
/// "Signing AWS API requests" documentation describes them.
public struct AWSSignatureV4: Sendable {
    /// The access key id.
    public let accessKey: String
    /// The secret access key.
    public let secretKey: String
    /// The region (`us-east-1` for Route 53).
    public let region: String
    /// The service (`route53`).
    public let service: String
    /// A session token for temporary credentials, sent as `X-Amz-Security-Token`.
    public let sessionToken: String?

    /// Creates a signer.
    public init(accessKey: String, secretKey: String, region: String, service: String, sessionToken: String? = nil) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
        self.sessionToken = sessionToken
    }

    /// The request with `X-Amz-Date`, `X-Amz-Content-Sha256`, the session token and `Authorization` added.
    /// - Parameters:
    ///   - request: The request; its URL must be absolute.
    ///   - amzDate: The time, `YYYYMMDDTHHMMSSZ`.
    public func sign(_ request: HTTPRequest, amzDate: String) -> HTTPRequest {
        var signed = request
        let payloadHash = Digest.hex(Digest.hash(.sha256, request.body ?? []))
        let (host, path, query) = Self.split(request.url)
        var headers: [(String, String)] = [("host", host), ("x-amz-date", amzDate)]
        if let sessionToken { headers.append(("x-amz-security-token", sessionToken)) }
        headers.sort { $0.0 < $1.0 }
        let signedHeaders = headers.map(\.0).joined(separator: ";")
        let canonical = [
            request.method, Self.canonicalPath(path), Self.canonicalQuery(query),
            headers.map { "\($0.0):\($0.1)\n" }.joined(), signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let date = String(amzDate.prefix(8))
        let scope = "\(date)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, Digest.hex(Digest.hash(.sha256, Array(canonical.utf8))),
        ]
        .joined(separator: "\n")
        var key = Digest.hmac(.sha256, key: Array("AWS4\(secretKey)".utf8), Array(date.utf8))
        for part in [region, service, "aws4_request"] { key = Digest.hmac(.sha256, key: key, Array(part.utf8)) }
        let signature = Digest.hex(Digest.hmac(.sha256, key: key, Array(stringToSign.utf8)))
        signed.headers.append(HTTPHeader("X-Amz-Date", amzDate))
        signed.headers.append(HTTPHeader("X-Amz-Content-Sha256", payloadHash))
        if let sessionToken { signed.headers.append(HTTPHeader("X-Amz-Security-Token", sessionToken)) }
        signed.headers.append(
            HTTPHeader(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
            ))
        return signed
    }

    /// Host (with a non-default port), path and query of an absolute URL.
    static func split(_ url: String) -> (host: String, path: String, query: String) {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = String(rest[..<slash])
        let target = rest[slash...]
        guard let mark = target.firstIndex(of: "?") else { return (host, target.isEmpty ? "/" : String(target), "") }
        return (host, String(target[..<mark]), String(target[target.index(after: mark)...]))
    }

    /// The path with each segment percent-encoded once (Route 53 and other non-S3 services).
    static func canonicalPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { URLQuery.escape(URLQuery.unescape($0)) }
            .joined(separator: "/")
    }

    /// Query parameters percent-encoded and sorted by name, then value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        return URLQuery.split("?" + query).query.map { (URLQuery.escape($0.0), URLQuery.escape($0.1)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}
