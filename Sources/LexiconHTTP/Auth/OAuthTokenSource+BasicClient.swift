import Lexicon

extension OAuthTokenSource.Grant {
    /// The client-credentials grant with the client authenticated by HTTP Basic (RFC 6749 §2.3.1,
    /// `client_secret_basic`): `POST` form `grant_type=client_credentials` with `Authorization: Basic
    /// base64(id:secret)`, as Mythic Beasts' auth service wants it.
    /// - Parameters:
    ///   - tokenURL: The token endpoint.
    ///   - clientID: The client (key) id.
    ///   - clientSecret: The client secret.
    public static func clientCredentialsBasic(tokenURL: String, clientID: String, clientSecret: String) -> Self {
        let body = Array(URLQuery.encode([("grant_type", "client_credentials")]).utf8)
        let identity = [tokenURL, clientID, Digest.hex(Digest.hash(.sha256, Array(clientSecret.utf8)))]
        return Self(identity: identity.joined(separator: "\n"), secrets: [clientSecret]) { _ in
            // Buying a second token is harmless, so the transport may retry the POST.
            HTTPRequest(
                method: "POST", url: tokenURL,
                headers: [
                    .basicAuthorization(user: clientID, password: clientSecret),
                    HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
                    HTTPHeader("Accept", "application/json"),
                ], body: body, idempotent: true)
        }
    }
}
