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
        let identity = [tokenURL, clientID, fingerprint(clientSecret)]
        return Self(identity: identity.joined(separator: "\n"), secrets: [clientSecret]) { _ in
            formRequest(tokenURL, body, headers: [.basicAuthorization(user: clientID, password: clientSecret)])
        }
    }
}
