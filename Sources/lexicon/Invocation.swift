import Lexicon

/// What the command line asks for, after parsing.
struct Invocation: Sendable {
    enum Command: Sendable, Equatable {
        /// A record operation: `lexicon <provider> <action> <domain> <type>`.
        case record(provider: String, action: String, domain: String, type: String)
        /// A zone as a whole: `lexicon <provider> export|apply|batch <domain>`.
        case zone(provider: String, action: String, domain: String)
        /// `lexicon providers`.
        case providers
        /// `lexicon manpage`.
        case manpage
        /// `lexicon completion <shell>`.
        case completion(shell: String)
        /// `--help`, for a provider or in general.
        case help(provider: String?)
        /// `--version`.
        case version
        /// `lexicon dyndns presets`.
        case dyndnsPresets
        /// `lexicon dyndns run|check|status|clear`.
        case dyndns(String)
        /// `lexicon failover run|once|status`.
        case failover(String)
        /// `lexicon wait-propagation <fqdn> <type> [<value>]`.
        case waitPropagation(fqdn: String, type: String, value: String?)
    }

    var command: Command
    /// Options by snake_case key (`auth_token`), as given.
    var options: [String: String] = [:]
}
