import Lexicon

/// An error answer of a remote procedure call: JSON-RPC's `error` member or XML-RPC's `<fault>`. Providers read the
/// code to handle the ones they expect (an object that already exists) and turn the others into a
/// ``LexiconError`` with ``error(operation:provider:service:code:)``.
public struct RPCFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The numeric code (`faultCode`, JSON-RPC's `code`).
    public var code: Int
    /// The server's message (`faultString`, JSON-RPC's `message`), as sent.
    public var message: String
    /// JSON-RPC's optional `data` member; nil for XML-RPC.
    public var data: JSONValue?

    /// Creates a fault.
    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// The code and the message, the message made safe for one line.
    public var description: String { "fault \(code): \(DisplayText.escaped(Array(message.utf8), limit: 200))" }

    /// The fault as the error users see.
    /// - Parameters:
    ///   - operation: What was being done (`list records`).
    ///   - provider: The provider's name.
    ///   - service: The service's name in messages (`INWX`).
    ///   - code: The error's category; `provider` unless the caller knows better (`authentication` for a refused
    ///     login).
    public func error(operation: String, provider: String, service: String, code: LexiconError.Code = .provider)
        -> LexiconError
    {
        LexiconError(code, "\(operation): \(service) answered \(description).", provider: provider)
    }
}
