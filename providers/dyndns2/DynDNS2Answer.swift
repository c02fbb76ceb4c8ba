import Lexicon

/// Reads what a dyndns2 update server answers (`good 192.0.2.1`, `nochg`, `badauth`, `911`, …): a file of its own,
/// with no HTTP in it, so `scripts/fuzz dyndns2` can compile it with the Lexicon core alone.
enum DynDNS2Answer {
    /// Checks an update's answer: the first word of the body's first line is the code.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - body: The body as text.
    ///   - host: The host name updated, for messages.
    /// - Returns: The answer's first line, to log, for `good` and `nochg`.
    /// - Throws: ``LexiconError`` saying what the user must do; codes that forbid retrying soon carry
    ///   ``LexiconError/holdSeconds``.
    static func check(status: Int, body: String, host: String) throws(LexiconError) -> String {
        let answer = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let code = answer.split(separator: " ").first.map(String.init) ?? ""
        if status == 401 || code == "badauth" {
            throw held(
                0,
                LexiconError(
                    .authentication,
                    "the service refused the user name or password (\(code == "badauth" ? code : "HTTP 401")); stopped until that is fixed.",
                    provider: "dyndns2", hint: "Check --auth-username and --auth-password."))
        }
        switch code {
        case "good", "nochg":
            return answer
        case "dnserr", "911":
            throw held(
                1800,
                LexiconError(
                    .network, "the service has a problem on its side (\(code)); retry no sooner than 30 minutes.",
                    provider: "dyndns2"))
        case "!donator", "notfqdn", "nohost", "numhost", "abuse", "badagent", "badsys", "!yours", "!active":
            throw held(
                0,
                LexiconError(
                    .provider,
                    "the service answered \(code) for \(host): \(meaning[code] ?? ""). Stopped until you act.",
                    provider: "dyndns2"))
        default:
            throw LexiconError(
                .provider,
                "the service answered \"\(String(answer.prefix(80)))\" (HTTP \(status)), not a dyndns2 code.",
                provider: "dyndns2")
        }
    }

    /// An error that tells callers not to send again for `seconds` (0: until the user acts).
    static func held(_ seconds: Int, _ error: LexiconError) -> LexiconError {
        var error = error
        error.holdSeconds = seconds
        return error
    }

    static let meaning: [String: String] = [
        "!donator": "the feature needs a paid account", "notfqdn": "the host name is not a full domain name",
        "nohost": "no such host in this account", "numhost": "too many hosts in one request",
        "abuse": "the host is blocked for abuse", "badagent": "the client is blocked",
        "badsys": "the system parameter is wrong", "!yours": "the host belongs to another account",
        "!active": "the host is not active",
    ]
}
