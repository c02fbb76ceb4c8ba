/// Why bytes could not be read as a DNS message, or a message could not be built. Readers of untrusted bytes throw
/// this; they never trap.
public struct DNSWireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words a user can act on.
    public let message: String

    /// Creates an error.
    /// - Parameter message: What is wrong.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static let truncated = DNSWireError("the DNS message ends early")
}
