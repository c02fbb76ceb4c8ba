import Lexicon

/// Exoscale's API v2 request signature, `Authorization: EXO2-HMAC-SHA256 credential=KEY[,signed-query-args=A;B],
/// expires=UNIX,signature=BASE64`, as Exoscale's SDKs make it: the HMAC-SHA256 under the secret of five lines,
/// `METHOD /path`, the body, the values of the single-valued query parameters sorted by name and concatenated,
/// the signed headers (none), and the expiry time.
public struct ExoscaleSignature: Sendable {
    /// The API key (`EXO…`).
    public let key: String
    /// The API secret.
    public let secret: String

    /// Creates a signer.
    public init(key: String, secret: String) {
        self.key = key
        self.secret = secret
    }

    /// The request with its `Authorization` header.
    /// - Parameters:
    ///   - request: The request; its URL must be absolute.
    ///   - expires: When the signature stops being valid, in seconds since 1970.
    public func sign(_ request: HTTPRequest, expires: Int) -> HTTPRequest {
        var signed = request
        signed.headers.removeAll { $0.name.lowercased() == "authorization" }
        signed.headers.append(HTTPHeader("Authorization", authorization(request, expires: expires)))
        return signed
    }

    /// The `Authorization` value of a request.
    public func authorization(_ request: HTTPRequest, expires: Int) -> String {
        let (path, query) = Self.target(request.url)
        let (names, message) = Self.message(
            method: request.method, path: path, query: query, body: request.body ?? [], expires: expires)
        let signature = Base64.encode(Digest.hmac(.sha256, key: Array(secret.utf8), message))
        return "EXO2-HMAC-SHA256 credential=\(key)"
            + (names.isEmpty ? "" : ",signed-query-args=" + names.joined(separator: ";"))
            + ",expires=\(expires),signature=\(signature)"
    }

    /// The signed query parameters' names and the bytes to sign.
    /// - Parameters:
    ///   - path: The path as sent (percent-encoded).
    ///   - query: The query's pairs, decoded.
    public static func message(
        method: String, path: String, query: [(String, String)], body: [UInt8], expires: Int
    ) -> (names: [String], message: [UInt8]) {
        // Only parameters given exactly once are signed, sorted by name.
        var counts: [String: Int] = [:]
        for (name, _) in query { counts[name, default: 0] += 1 }
        let names = counts.filter { $0.value == 1 }.keys.sorted()
        let values = names.map { name in query.first { $0.0 == name }?.1 ?? "" }.joined()
        var message = Array("\(method) \(path)\n".utf8)
        message += body
        message += Array("\n\(values)\n\n\(expires)".utf8)
        return (names, message)
    }

    /// The path (still encoded) and the decoded query of an absolute URL.
    public static func target(_ url: String) -> (path: String, query: [(String, String)]) {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let target = rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...]
        guard let mark = target.firstIndex(of: "?") else { return (target.isEmpty ? "/" : String(target), []) }
        return (String(target[..<mark]), URLQuery.split(String(target)).query)
    }
}
