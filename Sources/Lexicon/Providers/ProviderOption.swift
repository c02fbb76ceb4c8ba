/// One option of a provider, declared once in its descriptor; CLI flags, help, environment names and completion
/// are generated from it.
public struct ProviderOption: Sendable, Hashable {
    /// The config key's last segment in snake_case, as dns-lexicon names it (`auth_token`).
    public var name: String
    /// One line of help.
    public var help: String
    /// Whether the provider cannot work without it.
    public var isRequired: Bool
    /// Whether the value is a secret (never printed).
    public var isSecret: Bool
    /// Whether the option is a switch without a value (`--pdns-disable-notify`).
    public var isFlag: Bool
    /// The value used when nothing sets it, shown in help; never set for secrets.
    public var defaultValue: String?
    /// The placeholder shown in help (`TOKEN`, `FILE`).
    public var valueName: String
    /// Whether the flag keeps the name's underscores (`--secret_id`), as dns-lexicon spells a few.
    public var keepsUnderscores = false

    /// Declares an option.
    /// - Parameters:
    ///   - name: The snake_case key (`auth_token`).
    ///   - help: One line of help.
    ///   - isRequired: Whether it must be set.
    ///   - isSecret: Whether the value is secret; defaults to ``ConfigResolver/isSecretKey(_:)`` of the name.
    ///   - isFlag: Whether it is a switch.
    ///   - defaultValue: The default, if any.
    ///   - valueName: The help placeholder; defaults to the upper-cased last word of the name.
    public init(
        _ name: String, help: String, isRequired: Bool = false, isSecret: Bool? = nil, isFlag: Bool = false,
        defaultValue: String? = nil, valueName: String? = nil
    ) {
        self.name = name
        self.help = help
        self.isRequired = isRequired
        self.isSecret = isSecret ?? ConfigResolver.isSecretKey(name)
        self.isFlag = isFlag
        self.defaultValue = defaultValue
        self.valueName = valueName ?? (name.split(separator: "_").last.map { $0.uppercased() } ?? "VALUE")
    }

    /// The command-line flag (`--auth-token`).
    public var flag: String { "--" + (keepsUnderscores ? name : String(name.map { $0 == "_" ? "-" : $0 })) }

    /// The option with its flag spelled with underscores (`--secret_id`); `--secret-id` is accepted too.
    public func spelledWithUnderscores() -> ProviderOption {
        var option = self
        option.keepsUnderscores = true
        return option
    }

    /// The environment variable for a provider (`LEXICON_CLOUDFLARE_AUTH_TOKEN`).
    public func environmentName(provider: String) -> String {
        ConfigResolver.environmentName(for: "lexicon:\(provider):\(name)")
    }
}
