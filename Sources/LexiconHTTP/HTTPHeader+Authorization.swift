import Lexicon

extension HTTPHeader {
    /// `Authorization: Basic base64(user:password)` (RFC 7617).
    public static func basicAuthorization(user: String, password: String) -> HTTPHeader {
        HTTPHeader("Authorization", "Basic " + Base64.encode(Array("\(user):\(password)".utf8)))
    }
}
