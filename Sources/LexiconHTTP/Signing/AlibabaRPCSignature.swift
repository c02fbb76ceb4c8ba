import Lexicon

/// Alibaba Cloud's RPC request signature, version 1.0 (HMAC-SHA1), as the "Signature mechanism" page of its API
/// documentation describes it: the parameters sorted by name and percent-encoded (RFC 3986, so a space is `%20`, `*`
/// is `%2A` and `~` stays), `METHOD&%2F&` followed by that query encoded once more, and the base64 HMAC-SHA1 of it
/// under the AccessKey secret followed by `&`.
public enum AlibabaRPCSignature {
    /// The signature of a request's parameters (every one but `Signature`).
    /// - Parameters:
    ///   - method: The HTTP method (`GET`).
    ///   - parameters: The common and the action's parameters.
    ///   - secret: The AccessKey secret.
    public static func signature(method: String, parameters: [(String, String)], secret: String) -> String {
        let canonical = parameters.map { (URLQuery.escape($0.0), URLQuery.escape($0.1)) }
            .sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            .map { $0.0 + "=" + $0.1 }.joined(separator: "&")
        let stringToSign = method.uppercased() + "&" + URLQuery.escape("/") + "&" + URLQuery.escape(canonical)
        return Base64.encode(Digest.hmac(.sha1, key: Array((secret + "&").utf8), Array(stringToSign.utf8)))
    }

    /// The query of a signed request: the parameters, the common ones (`Format=JSON`, the version, the key id, the
    /// signature method and version, the nonce and the timestamp) and `Signature` last.
    /// - Parameters:
    ///   - parameters: The action's parameters, `Action` included.
    ///   - version: The API version (`2015-01-09`).
    ///   - accessKeyID: The AccessKey id.
    ///   - secret: The AccessKey secret.
    ///   - nonce: A value never sent before with this key.
    ///   - seconds: The time, in seconds since 1970.
    public static func signedQuery(
        _ parameters: [(String, String)], version: String, accessKeyID: String, secret: String, nonce: String,
        seconds: Int = RequestDate.now()
    ) -> String {
        let all =
            parameters + [
                ("Format", "JSON"), ("Version", version), ("AccessKeyId", accessKeyID),
                ("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0"), ("SignatureNonce", nonce),
                ("Timestamp", timestamp(seconds)),
            ]
        let signature = signature(method: "GET", parameters: all, secret: secret)
        return URLQuery.encode(all + [("Signature", signature)])
    }

    /// `2026-12-01T14:59:09Z` (ISO 8601 in UTC), the `Timestamp` parameter.
    public static func timestamp(_ seconds: Int) -> String {
        let compact = Array(RequestDate.compact(seconds))
        let date = String(compact[0..<4]) + "-" + String(compact[4..<6]) + "-" + String(compact[6..<8])
        let time = String(compact[9..<11]) + ":" + String(compact[11..<13]) + ":" + String(compact[13..<15])
        return date + "T" + time + "Z"
    }

    /// A fresh `SignatureNonce`: 128 random bits in hex.
    public static func nonce() -> String {
        (0..<2).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined(separator: "-")
    }
}
