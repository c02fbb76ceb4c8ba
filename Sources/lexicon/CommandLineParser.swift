import Lexicon

/// Parses dns-lexicon's grammar: `lexicon [GLOBAL] <provider> <action> <domain> <type> [OPTIONS]`, with global
/// options accepted anywhere and `--opt=value` as well as `--opt value`.
struct CommandLineParser {
    /// An option the parser knows: its key and whether it takes a value.
    struct OptionSpec {
        var key: String
        var takesValue: Bool
    }

    let registry: ProviderRegistry

    /// Options valid everywhere, with their aliases.
    static let globalOptions: [String: OptionSpec] = [
        "--delegated": OptionSpec(key: "delegated", takesValue: true),
        "--config-dir": OptionSpec(key: "config_dir", takesValue: true),
        "--log-level": OptionSpec(key: "log_level", takesValue: true),
        "--log_level": OptionSpec(key: "log_level", takesValue: true),
        "--output": OptionSpec(key: "output", takesValue: true),
    ]

    /// Options of the record actions.
    static let recordOptions: [String: OptionSpec] = [
        "--name": OptionSpec(key: "name", takesValue: true),
        "--content": OptionSpec(key: "content", takesValue: true),
        "--ttl": OptionSpec(key: "ttl", takesValue: true),
        "--priority": OptionSpec(key: "priority", takesValue: true),
        "--identifier": OptionSpec(key: "identifier", takesValue: true),
    ]

    /// The commands that are not providers.
    static let commands: Set<String> = ["providers", "completion", "help"]

    /// Parses arguments (without the program name).
    /// - Throws: ``LexiconError`` `usage` with a message saying what to fix.
    func parse(_ arguments: [String]) throws -> Invocation {
        let providerName = firstCommand(arguments)
        var table = Self.globalOptions.merging(Self.recordOptions) { first, _ in first }
        let descriptor = providerName.flatMap { registry.descriptor(named: $0) }
        for option in descriptor?.options ?? [] {
            table[option.flag] = OptionSpec(key: option.name, takesValue: !option.isFlag)
            let underscored = "--" + option.name
            if table[underscored] == nil { table[underscored] = table[option.flag] }
        }
        var positionals: [String] = []
        var options: [String: String] = [:]
        var wantsHelp = false
        var wantsVersion = false
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            switch argument {
            case "--":
                onlyPositionals = true
                continue
            case "-h", "--help":
                wantsHelp = true
                continue
            case "--version":
                wantsVersion = true
                continue
            case "--resolve-zone-name":
                throw LexiconError(
                    .usage,
                    "--resolve-zone-name needs DNS queries, which this version does not make yet; use --delegated.")
            default:
                break
            }
            var flag = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let spec = table[flag] else {
                if descriptor == nil, let providerName, !Self.commands.contains(providerName) {
                    _ = try registry.require(providerName)
                }
                let context =
                    descriptor.map { " for \($0.name); run `lexicon \($0.name) --help`" } ?? "; run `lexicon --help`"
                throw LexiconError(.usage, "unknown option \(flag)\(context).")
            }
            if spec.takesValue {
                if let inlineValue {
                    options[spec.key] = inlineValue
                } else {
                    guard index < arguments.count else { throw LexiconError(.usage, "\(flag) needs a value.") }
                    options[spec.key] = arguments[index]
                    index += 1
                }
            } else {
                if let inlineValue {
                    guard ["true", "false", "yes", "no", "1", "0"].contains(inlineValue.lowercased()) else {
                        throw LexiconError(.usage, "\(flag) is a switch; give it without a value.")
                    }
                    options[spec.key] = inlineValue
                } else {
                    options[spec.key] = "true"
                }
            }
        }
        if wantsVersion { return Invocation(command: .version, options: options) }
        if wantsHelp || positionals.first == "help" {
            let target = positionals.first == "help" ? positionals.dropFirst().first : positionals.first
            return Invocation(command: .help(provider: target), options: options)
        }
        guard let first = positionals.first else {
            throw LexiconError(
                .usage, "no provider given. Usage: lexicon <provider> <action> <domain> <type>; try `lexicon --help`.")
        }
        switch first {
        case "providers":
            guard positionals.count == 1 else { throw LexiconError(.usage, "`lexicon providers` takes no arguments.") }
            return Invocation(command: .providers, options: options)
        case "completion":
            guard positionals.count == 2 else {
                throw LexiconError(.usage, "usage: lexicon completion bash|zsh|fish")
            }
            return Invocation(command: .completion(shell: positionals[1]), options: options)
        default:
            break
        }
        let descriptorForName = try registry.require(first)
        guard positionals.count >= 2 else {
            throw LexiconError(
                .usage,
                "no action given. Usage: lexicon \(descriptorForName.name) create|list|update|delete <domain> <type>.")
        }
        let action = positionals[1]
        guard ["create", "list", "update", "delete"].contains(action) else {
            throw LexiconError(.usage, "unknown action \"\(action)\"; use create, list, update or delete.")
        }
        guard positionals.count >= 3 else { throw LexiconError(.usage, "no domain given (e.g. example.com).") }
        guard positionals.count >= 4 else {
            throw LexiconError(.usage, "no record type given (e.g. A, TXT; ANY lists every type).")
        }
        guard positionals.count == 4 else {
            throw LexiconError(
                .usage, "unexpected argument \"\(positionals[4])\"; options start with -- (e.g. --content).")
        }
        return Invocation(
            command: .record(
                provider: descriptorForName.name, action: action, domain: positionals[2], type: positionals[3]),
            options: options)
    }

    /// The first bare word that names a provider or command, skipping the values of known options.
    private func firstCommand(_ arguments: [String]) -> String? {
        var index = 0
        var firstBare: String?
        let known = Self.globalOptions.merging(Self.recordOptions) { first, _ in first }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.hasPrefix("-") {
                if !argument.contains("="), known[argument]?.takesValue == true { index += 1 }
                continue
            }
            if registry.descriptor(named: argument) != nil || Self.commands.contains(argument) { return argument }
            if firstBare == nil { firstBare = argument }
        }
        return firstBare
    }
}
