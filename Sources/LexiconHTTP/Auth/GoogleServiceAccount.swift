import Lexicon

/// A Google Cloud service account, read from its JSON key file as dns-lexicon's `--auth-service-account-info`
/// takes it (`file::PATH` or `base64::…`), and the signed JWT assertion that buys a bearer token with it.
public struct GoogleServiceAccount: Sendable {
    /// The account (`name@project.iam.gserviceaccount.com`), the JWT's issuer.
    public let clientEmail: String
    /// The project whose zones the account manages.
    public let projectID: String
    /// Where tokens are bought (`token_uri`), also the JWT's audience.
    public let tokenURI: String
    /// The account's private key.
    public let signer: RSASigner

    /// The token endpoint when the file names none.
    public static let defaultTokenURI = "https://oauth2.googleapis.com/token"
    /// The scope for Cloud DNS changes, as dns-lexicon asks for it.
    public static let cloudDNSScope = "https://www.googleapis.com/auth/ndev.clouddns.readwrite"

    /// Reads the account from an option's value.
    /// - Parameters:
    ///   - optionValue: `file::PATH` (a JSON key file) or `base64::…` (the file's content in base64).
    ///   - option: The option's name for messages.
    ///   - provider: The provider's name for messages.
    /// - Throws: ``LexiconError`` `config` for another form, an unreadable file, or content that is not a
    ///   service-account key; messages never show the content.
    public init(
        optionValue: String, option: String = "--auth-service-account-info", provider: String? = nil
    ) throws {
        let json: [UInt8]
        if optionValue.hasPrefix("file::") {
            do {
                json = try FileIO.read(String(optionValue.dropFirst(6)))
            } catch var error as LexiconError {
                error.message = "\(option): \(error.message)"
                if let provider { error = error.attributed(to: provider) }
                throw error
            }
        } else if optionValue.hasPrefix("base64::") {
            let text = String(optionValue.dropFirst(8).filter { !" \t\r\n".contains($0) })
            guard let decoded = Base64.decode(text) else {
                throw LexiconError(.config, "The value of \(option) after base64:: is not base64.", provider: provider)
            }
            json = decoded
        } else {
            throw LexiconError(
                .config,
                "The value of \(option) must be file::PATH (the service account's JSON key file) or base64:: "
                    + "followed by that file in base64.", provider: provider)
        }
        try self.init(json: json, option: option, provider: provider)
    }

    /// Reads the account from the JSON key file's content.
    /// - Parameters:
    ///   - json: The file's bytes.
    ///   - option: The option that gave them, for messages.
    ///   - provider: The provider's name for messages.
    /// - Throws: ``LexiconError`` `config` when it is not JSON, not a service account, or misses `client_email`,
    ///   `private_key` or `project_id`.
    public init(json: [UInt8], option: String = "--auth-service-account-info", provider: String? = nil) throws {
        guard let info = try? JSONValue(parsing: json), info.object != nil else {
            throw LexiconError(
                .config, "The service account key given by \(option) is not a JSON object.", provider: provider)
        }
        if let type = info["type"]?.string, type != "service_account" {
            throw LexiconError(
                .config,
                "The key given by \(option) is of type \"\(DisplayText.escaped(Array(type.utf8), limit: 40))\"; "
                    + "a service account key (type service_account) is needed.", provider: provider)
        }
        func field(_ name: String) throws -> String {
            guard let value = info[name]?.string, !value.isEmpty else {
                throw LexiconError(
                    .config, "The service account key given by \(option) has no \(name).", provider: provider)
            }
            return value
        }
        clientEmail = try field("client_email")
        projectID = try field("project_id")
        tokenURI = info["token_uri"]?.string ?? Self.defaultTokenURI
        signer = try RSASigner(pem: try field("private_key"), option: "\(option) (private_key)", provider: provider)
    }

    /// The signed assertion for the JWT-bearer grant (RFC 7523), as Google's "Using OAuth 2.0 for server to server
    /// applications" describes it.
    /// - Parameters:
    ///   - scope: Space-separated scopes.
    ///   - audience: The token endpoint the assertion is for; nil uses ``tokenURI``.
    ///   - issuedAt: Now, in seconds since 1970 (`iat`).
    ///   - lifetime: Seconds until `exp`; Google accepts at most 3600.
    /// - Throws: ``LexiconError`` `config` if the key cannot sign.
    public func assertion(scope: String, audience: String? = nil, issuedAt: Int, lifetime: Int = 3600) throws
        -> String
    {
        let claims = JSONValue.object([
            ("iss", .string(clientEmail)), ("scope", .string(scope)), ("aud", .string(audience ?? tokenURI)),
            ("iat", .int(issuedAt)), ("exp", .int(issuedAt + lifetime)),
        ])
        return try JWT.rs256(claims: claims, signer: signer)
    }
}
