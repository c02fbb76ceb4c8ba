import Lexicon

extension HTTPResponse {
    /// The body as JSON, for answers that must hold JSON.
    /// - Parameters:
    ///   - operation: What was being done (`list records`), for the message.
    ///   - provider: The provider's name.
    ///   - service: The service's name in messages (`GoDaddy`).
    ///   - emptyIsNull: Whether an empty body is `null` (a write answered `204 No Content`) rather than an error.
    /// - Throws: ``LexiconError`` `provider` saying the body is not JSON, with the status, the content type and the
    ///   start of the body escaped (an HTML error page from a proxy, a cut-off answer).
    public func json(operation: String, provider: String, service: String, emptyIsNull: Bool = false) throws
        -> JSONValue
    {
        if body.isEmpty && emptyIsNull { return .null }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw LexiconError(
                .provider, "\(operation): \(service) answered HTTP \(status) with \(describe(error)).",
                provider: provider)
        }
    }

    /// What a body that is not JSON is, in one line, for the message of a failed request (`text/html, not JSON:
    /// "<html>…"`); nil when the body is JSON.
    public var notJSON: String? {
        do {
            _ = try JSONValue(parsing: body)
            return nil
        } catch {
            return describe(error)
        }
    }

    private func describe(_ parseError: JSONParseError) -> String {
        let type = headers["content-type"].map { $0.isEmpty ? "an empty content type" : $0 } ?? "no content type"
        let shownType = DisplayText.escaped(Array(type.utf8), limit: 60)
        if body.isEmpty { return "\(shownType) and an empty body, not JSON" }
        let declaresJSON = headers["content-type"]?.lowercased().contains("json") == true
        let cut = parseError.message.contains("ends early") ? ", cut off after \(body.count) bytes" : ""
        let what = declaresJSON ? "JSON that does not parse\(cut)" : "not JSON"
        let start = body.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        return "\(shownType), \(what): \"\(DisplayText.escaped(start))\""
    }
}
