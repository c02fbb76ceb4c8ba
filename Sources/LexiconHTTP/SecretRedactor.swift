import Lexicon

/// Removes secrets from what traces show: credential headers and secret-looking query parameters.
public enum SecretRedactor {
    /// Whether a header carries a credential.
    public static func isSecretHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie"
            || ConfigResolver.isSecretKey(lower) || lower.contains("auth") || lower.contains("signature")
            || lower.contains("sign") || lower.contains("hmac")
    }

    /// The URL with the values of secret-looking query parameters (and any user:password) replaced.
    public static func url(_ url: String) -> String {
        var text = url
        if let scheme = text.firstRange(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
            !text[scheme.upperBound..<at].contains("/")
        {
            text.replaceSubrange(scheme.upperBound..<at, with: "<redacted>")
        }
        guard let question = text.firstIndex(of: "?") else { return text }
        let query = text[text.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map {
            pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let key = pair[..<equals]
            let lower = key.lowercased()
            let secret =
                ConfigResolver.isSecretKey(lower)
                || ["apikey", "apiuser", "sha", "pass", "pwd", "sig"].contains {
                    lower.contains($0)
                }
            return secret ? "\(key)=<redacted>" : String(pair)
        }
        return String(text[...question]) + query.joined(separator: "&")
    }

    /// Header fields with credential values replaced, as `Name: value` lines.
    public static func headers(_ headers: [HTTPHeader]) -> [String] {
        headers.map { "\($0.name): \(isSecretHeader($0.name) ? "<redacted>" : $0.value)" }
    }
}
