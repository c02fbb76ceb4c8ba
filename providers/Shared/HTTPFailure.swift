import Lexicon
import LexiconHTTP

/// The failures REST providers report alike: a refused credential (status 3, naming what to check), a rate limit
/// that outlasted the transport's retries, and any other status with the API's own explanation in one line.
struct HTTPFailure: Sendable {
    /// The provider's name (`digitalocean`).
    var provider: String
    /// The service's name in messages (`DigitalOcean`).
    var service: String
    /// What to check after a 401 or 403 (`--auth-token or LEXICON_DIGITALOCEAN_AUTH_TOKEN`).
    var credentials: String
    /// What to do after a rate limit, if the service says.
    var rateLimitAdvice: String?

    /// The error for an answer outside 2xx that the provider does not handle itself; without a detail from the
    /// API's JSON, what the body is when it is not JSON (a proxy's HTML page).
    func error(_ response: HTTPResponse, operation: String, detail: String) -> LexiconError {
        error(response.status, operation: operation, detail: detail.isEmpty ? response.notJSONDetail : detail)
    }

    /// The error for a status outside 2xx that the provider does not handle itself.
    func error(_ status: Int, operation: String, detail: String) -> LexiconError {
        switch status {
        case 401, 403:
            return LexiconError(
                .authentication, "authentication failed (HTTP \(status)) to \(operation).", provider: provider,
                hint: credentials.isEmpty ? nil : "Check \(credentials).")
        case 429:
            return LexiconError(
                .network,
                "\(service) kept answering 429 (rate limited) to \(operation)\(rateLimitAdvice.map { "; " + $0 } ?? "").",
                provider: provider)
        default:
            return LexiconError(
                .provider, "\(operation) failed with HTTP \(status)\(detail.isEmpty ? "" : ": " + detail).",
                provider: provider)
        }
    }
}

extension HTTPResponse {
    /// For a failed request's message: `the answer is text/html, not JSON: "<html>…"`, or empty when the body is
    /// JSON or empty.
    var notJSONDetail: String {
        guard !body.isEmpty, let what = notJSON else { return "" }
        return "the answer is " + what
    }
}
