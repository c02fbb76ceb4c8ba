import Lexicon

/// JSON Web Tokens (RFC 7519) as the APIs here use them: signing an RS256 assertion (Google's service-account
/// grant), and reading the claims of a token a server issued (to learn when it expires).
public enum JWT {
    /// An RS256-signed token: `base64url(header).base64url(claims).base64url(signature)`, without padding
    /// (RFC 7515 §2), the header `{"alg":"RS256","typ":"JWT"}`.
    /// - Parameters:
    ///   - claims: The claims object, encoded as given.
    ///   - signer: The RSA private key.
    /// - Throws: ``LexiconError`` `config` if the key cannot sign.
    public static func rs256(claims: JSONValue, signer: RSASigner) throws -> String {
        let header = JSONValue.object([("alg", .string("RS256")), ("typ", .string("JWT"))])
        let input =
            Base64.encode(header.encoded(), urlSafe: true) + "." + Base64.encode(claims.encoded(), urlSafe: true)
        let signature = try signer.sign(Array(input.utf8), digest: .sha256)
        return input + "." + Base64.encode(signature, urlSafe: true)
    }

    /// The claims of a token, without checking its signature: for a client that only wants to know the token's
    /// `exp` (TransIP's bearer token is a JWT and its answer gives no lifetime).
    /// - Returns: nil when the token is not three base64url parts with a JSON object in the middle.
    public static func unverifiedClaims(of token: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64.decode(String(parts[1])),
            let claims = try? JSONValue(parsing: bytes), claims.object != nil
        else { return nil }
        return claims
    }
}
