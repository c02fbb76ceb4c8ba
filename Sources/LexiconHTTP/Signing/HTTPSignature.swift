import Lexicon

/// Oracle Cloud Infrastructure's request signature (version 1, after draft-cavage-http-signatures-08):
/// `Authorization: Signature version="1",keyId="TENANCY/USER/FINGERPRINT",algorithm="rsa-sha256",headers="…",
/// signature="…"`, the RSA-SHA256 signature of the signing string, the lines `name: value` of `(request-target)`,
/// `date` and `host`, and for a body also `x-content-sha256` (its base64 SHA-256), `content-type` and
/// `content-length`.
public struct HTTPSignature: Sendable {
    /// `tenancy/user/fingerprint`.
    public let keyID: String
    /// The API signing key.
    public let signer: RSASigner

    /// Creates a signer.
    public init(keyID: String, signer: RSASigner) {
        self.keyID = keyID
        self.signer = signer
    }

    /// The headers a request's signature covers: the three of every request, and the three of a body for the
    /// methods that send one.
    public static func signedHeaders(method: String) -> [String] {
        ["date", "(request-target)", "host"]
            + (["POST", "PUT", "PATCH"].contains(method.uppercased())
                ? ["x-content-sha256", "content-type", "content-length"] : [])
    }

    /// The request with `Date`, `x-content-sha256` (for a body) and `Authorization` added.
    /// - Parameters:
    ///   - request: The request; its URL must be absolute.
    ///   - date: The `Date` header (RFC 1123).
    /// - Throws: ``LexiconError`` `config` if the key cannot sign.
    public func sign(_ request: HTTPRequest, date: String) throws -> HTTPRequest {
        var signed = request
        let names = Self.signedHeaders(method: request.method)
        let body = request.body ?? []
        signed.headers.removeAll { ["date", "x-content-sha256", "authorization"].contains($0.name.lowercased()) }
        signed.headers.append(HTTPHeader("Date", date))
        if names.contains("x-content-sha256") {
            signed.headers.append(HTTPHeader("x-content-sha256", Base64.encode(Digest.hash(.sha256, body))))
            if value(of: "content-type", in: signed) == nil {
                signed.headers.append(HTTPHeader("Content-Type", "application/json"))
            }
        }
        let (host, target) = Self.split(request.url)
        let values = names.map { name -> String in
            switch name {
            case "(request-target)": return request.method.lowercased() + " " + target
            case "host": return host
            case "content-length": return String(body.count)
            default: return value(of: name, in: signed) ?? ""
            }
        }
        let text = Self.signingString(names: names, values: values)
        let signature = Base64.encode(try signer.sign(Array(text.utf8), digest: .sha256))
        signed.headers.append(
            HTTPHeader(
                "Authorization",
                "Signature version=\"1\",keyId=\"\(keyID)\",algorithm=\"rsa-sha256\",headers=\""
                    + names.joined(separator: " ") + "\",signature=\"\(signature)\""))
        return signed
    }

    private func value(of name: String, in request: HTTPRequest) -> String? {
        request.headers.last { $0.name.lowercased() == name }?.value
    }

    /// The signing string: `name: value` lines, in the order the `headers` parameter lists them.
    public static func signingString(names: [String], values: [String]) -> String {
        zip(names, values).map { "\($0): \($1)" }.joined(separator: "\n")
    }

    /// The host (with a port when the URL gives one) and the path with its query.
    public static func split(_ url: String) -> (host: String, target: String) {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let target = rest[slash...]
        return (String(rest[..<slash]), target.isEmpty ? "/" : target.hasPrefix("?") ? "/" + target : String(target))
    }
}
