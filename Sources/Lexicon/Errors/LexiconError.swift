/// The one error type of the library: a category, a message that says what to do, and the provider involved.
///
/// Messages never contain secrets or raw server bodies. The command line maps ``code`` to its exit status.
public struct LexiconError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A category of failure. New categories can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's stable name.
        public let name: String

        /// The command line's exit status for this category (see the README's table).
        public let exitStatus: Int32

        private init(_ name: String, exitStatus: Int32) {
            self.name = name
            self.exitStatus = exitStatus
        }

        /// Credentials were refused, or the account does not manage the domain.
        public static let authentication = Code("authentication", exitStatus: 3)
        /// An update found no record to change.
        public static let notFound = Code("notFound", exitStatus: 4)
        /// An update matched several records and cannot choose one.
        public static let ambiguous = Code("ambiguous", exitStatus: 4)
        /// The provider cannot do this operation or record type.
        public static let unsupported = Code("unsupported", exitStatus: 2)
        /// A name, content, TTL or other value given by the user is invalid.
        public static let invalidInput = Code("invalidInput", exitStatus: 2)
        /// The command line was used wrongly.
        public static let usage = Code("usage", exitStatus: 2)
        /// A configuration file or value is invalid.
        public static let config = Code("config", exitStatus: 2)
        /// The network failed (connection, timeout).
        public static let network = Code("network", exitStatus: 1)
        /// The provider failed or answered something unexpected.
        public static let provider = Code("provider", exitStatus: 1)
        /// The change was made, but not every authoritative server served it within the wait (`--wait`).
        public static let propagation = Code("propagation", exitStatus: 5)
        /// The provider refused a conditional write because the data changed since it was read; reading again and
        /// merging again may succeed.
        public static let conflict = Code("conflict", exitStatus: 1)

        public var description: String { name }

        /// The category of a stable name (`authentication`), for categories kept in files.
        public static func named(_ name: String) -> Code? {
            [
                authentication, notFound, ambiguous, unsupported, invalidInput, usage, config, network, provider,
                propagation, conflict,
            ].first { $0.name == name }
        }
    }

    /// The category.
    public var code: Code
    /// One or two lines: what failed, why, and what to do, in terms that hold for library callers too.
    public var message: String
    /// What to do on the command line (a flag, an environment variable): the CLI prints it after the message;
    /// library callers get it from ``commandLineDescription`` only.
    public var hint: String?
    /// The provider involved, if any; the CLI prefixes it to the message.
    public var provider: String?
    /// For update services: how long the same request must not be sent again (nil: no rule; 0: until the user
    /// changes something).
    public var holdSeconds: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The category.
    ///   - message: What failed, why, and what to do.
    ///   - provider: The provider involved, if any.
    ///   - hint: What to do on the command line, if anything.
    public init(_ code: Code, _ message: String, provider: String? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.provider = provider
        self.hint = hint
    }

    public var description: String {
        if let provider { return "\(provider): \(message)" }
        return message
    }

    /// The description followed by the command-line hint, as `lexicon` prints it.
    public var commandLineDescription: String {
        hint.map { description + " " + $0 } ?? description
    }

    /// An invalid-input error.
    public static func invalidInput(_ message: String, provider: String? = nil) -> LexiconError {
        LexiconError(.invalidInput, message, provider: provider)
    }

    /// An error for a domain the account does not manage; the message starts with `No domain found`, as certbot expects.
    public static func domainNotFound(_ domain: String, provider: String, hint: String = "") -> LexiconError {
        let tail = hint.isEmpty ? "" : " " + hint
        return LexiconError(.authentication, "No domain found for \(domain).\(tail)", provider: provider)
    }

    /// The message without its final period, for embedding in a longer sentence (`…: <clause>; trying again`).
    public var clause: String {
        message.hasSuffix(".") && !message.hasSuffix("...") ? String(message.dropLast()) : message
    }

    /// Returns a copy with the provider set when it was not set yet.
    public func attributed(to provider: String) -> LexiconError {
        var copy = self
        if copy.provider == nil { copy.provider = provider }
        return copy
    }
}
