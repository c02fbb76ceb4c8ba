/// Tencent Cloud API 3.0's request signature, TC3-HMAC-SHA256, as the "Signature v3" page of its API documentation
/// describes it: a canonical request over the method, `/`, the query, the `content-type` and `host` headers and the
/// body's SHA-256; a string to sign with the timestamp and the credential scope `DATE/SERVICE/tc3_request`; and a key
/// derived from `TC3` + the secret key through the UTC date, the service and `tc3_request`.
public struct TencentCloudSignatureV3: Sendable {
    /// The SecretId.
    public let secretID: String
    /// The SecretKey.
    public let secretKey: String
    /// The service (`dnspod`).
    public let service: String

    /// Creates a signer.
    public init(secretID: String, secretKey: String, service: String) {
        self.secretID = secretID
        self.secretKey = secretKey
        self.service = service
    }

    /// The headers that sign a request: `X-TC-Action`, `X-TC-Version`, `X-TC-Timestamp` and `Authorization`.
    /// - Parameters:
    ///   - url: The absolute URL; its host (and port) is signed.
    ///   - method: The HTTP method.
    ///   - contentType: The `Content-Type` the request carries (signed).
    ///   - body: The body.
    ///   - action: The API action (`DescribeRecordList`).
    ///   - version: The API version (`2021-03-23`).
    ///   - timestamp: The time, in seconds since 1970.
    public func headers(
        url: String, method: String = "POST", contentType: String, body: [UInt8], action: String, version: String,
        timestamp: Int
    ) -> [HTTPHeader] {
        let (host, _, query) = AWSSignatureV4.split(url)
        return [
            HTTPHeader("X-TC-Action", action), HTTPHeader("X-TC-Version", version),
            HTTPHeader("X-TC-Timestamp", String(timestamp)),
            HTTPHeader(
                "Authorization",
                authorization(
                    method: method, query: query, contentType: contentType, host: host, body: body,
                    timestamp: timestamp)),
        ]
    }

    /// The `Authorization` value of a request.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - query: The query string (empty for a `POST`).
    ///   - contentType: The `Content-Type` header's value.
    ///   - host: The `Host` header's value.
    ///   - body: The body.
    ///   - timestamp: The `X-TC-Timestamp`, in seconds since 1970.
    public func authorization(
        method: String, query: String, contentType: String, host: String, body: [UInt8], timestamp: Int
    ) -> String {
        let headers = "content-type:\(contentType.lowercased())\nhost:\(host.lowercased())\n"
        let canonical = [
            method.uppercased(), "/", query, headers, "content-type;host", Digest.hex(Digest.hash(.sha256, body)),
        ].joined(separator: "\n")
        let date = Self.date(timestamp)
        let scope = "\(date)/\(service)/tc3_request"
        let stringToSign = [
            "TC3-HMAC-SHA256", String(timestamp), scope, Digest.hex(Digest.hash(.sha256, Array(canonical.utf8))),
        ].joined(separator: "\n")
        var key = Digest.hmac(.sha256, key: Array("TC3\(secretKey)".utf8), Array(date.utf8))
        for part in [service, "tc3_request"] { key = Digest.hmac(.sha256, key: key, Array(part.utf8)) }
        let signature = Digest.hex(Digest.hmac(.sha256, key: key, Array(stringToSign.utf8)))
        return
            "TC3-HMAC-SHA256 Credential=\(secretID)/\(scope), SignedHeaders=content-type;host, Signature=\(signature)"
    }

    /// `2026-12-01`, the UTC date of a timestamp, as the credential scope holds it.
    public static func date(_ timestamp: Int) -> String {
        let compact = Array(RequestDate.compact(timestamp))
        return String(compact[0..<4]) + "-" + String(compact[4..<6]) + "-" + String(compact[6..<8])
    }
}
