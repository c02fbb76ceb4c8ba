import Lexicon

/// Help text generated from the provider descriptors.
enum HelpText {
    static let version = "0.1.0"

    static func general(_ registry: ProviderRegistry) -> String {
        // The provider names, wrapped to fit 80 columns.
        var lines = ["Providers:"]
        for name in registry.descriptors.map(\.name) {
            if lines[lines.count - 1].count + name.count + 2 > 78 { lines.append(" ") }
            lines[lines.count - 1] += " " + name + ","
        }
        let names = String(lines.joined(separator: "\n").dropLast())
        return """
            Usage: lexicon [GLOBAL OPTIONS] <provider> <action> <domain> <type> [OPTIONS]
                   lexicon [GLOBAL OPTIONS] <provider> export|apply|batch <domain> [OPTIONS]

            Create, list, update and delete DNS records at many DNS providers with one command
            line (a drop-in for dns-lexicon: same arguments, config files and environment).

            Actions:
              create   add a value; nothing changes if the same value exists
              list     show records (narrow with --name and --content; type ANY lists all types)
              update   change one value, found by --identifier or by type and --name
              delete   remove one value (with --content), or the whole set of a name and type
              sync-ip  keep an A or AAAA record at this host's address (--ip, or --detect sources)

            Zone actions (lexicon <provider> <action> <domain>; each has its own --help page):
              export   print the zone: a zone file (--format bind), or its records in json or yaml
              apply    bring the zone to a file's records (--file FILE|-), printing the plan first
              batch    run operations read as JSON lines from standard input, one result line each

            Record options:
            \(optionLines(recordOptionHelp))

            Global options (accepted anywhere on the line):
            \(optionLines(globalOptionHelp))

            \(names)
              `lexicon providers` lists them with their capabilities;
              `lexicon <provider> --help` shows a provider's options.

            Other commands:
              lexicon providers                 list providers
              lexicon completion bash|zsh|fish  print a shell completion script
              lexicon manpage                   print the lexicon(1) manual page (roff)
              lexicon wait-propagation <fqdn> <type> [<value>]
                                                wait until every authoritative server serves the value
            \(optionLines(CommandLineParser.waitOptions.map { ($0.usage, $0.help) }).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
              lexicon dyndns run|check|status|clear --config FILE [--once] [--json] [--log-json]
                                                keep records at this host's address (daemon)
              lexicon dyndns presets            list the dyndns2 services --preset knows
              lexicon failover run|once|status --config FILE [--state-file FILE]
                  [--dry-run] [--json]          keep only answering pool addresses in DNS
              lexicon hook certbot|dehydrated|lego ...
                                                ACME DNS-01 hooks (provider from LEXICON_PROVIDER)
              lexicon auto <action> <domain> <type>
                                                pick the provider from the zone's NS records (options
                                                from the environment or config files)

            Examples:
              lexicon localzone create example.com A --name www --content 192.0.2.1 --filename example.com.zone
              lexicon localzone list example.com ANY --filename example.com.zone --output JSON
              lexicon rfc2136 create example.com TXT --name _acme-challenge --content token \\
                  --ddns-server ns1.example.com --auth-key-file update.key --wait

            Each command has its own page: lexicon dyndns --help, lexicon hook certbot --help, …

            Every option can also come from the environment (LEXICON_<PROVIDER>_<OPTION>) or from
            lexicon.yml / lexicon_<provider>.yml in --config-dir.

            Exit status: 0 done, 1 provider or network failure, 2 invalid input or usage,
            3 authentication failed or domain not managed, 4 no matching record or several.
            """
    }

    static func provider(_ descriptor: ProviderDescriptor) -> String {
        let providerLines = descriptor.options.map { option -> (String, String) in
            var notes: [String] = []
            if option.isRequired { notes.append("required") }
            if let value = option.defaultValue, !option.isSecret { notes.append("default \(value)") }
            notes.append("env \(option.environmentName(provider: descriptor.name))")
            let flag = option.isFlag ? option.flag : "\(option.flag) \(option.valueName)"
            return (flag, "\(option.help) (\(notes.joined(separator: "; ")))")
        }
        let types = writableTypes(descriptor, separator: ", ")
        let aliases = descriptor.aliases.isEmpty ? "" : "\nAlso called: \(descriptor.aliases.joined(separator: ", "))\n"
        return """
            Usage: lexicon \(descriptor.name) <action> <domain> <type> [OPTIONS]

            \(descriptor.summary)
            \(aliases)
            Operations: \(descriptor.operationNames.joined(separator: ", ")). Record types: \(types).

            Provider options (also LEXICON_\(descriptor.name.uppercased())_<OPTION>, or lexicon_\(descriptor.name).yml):
            \(optionLines(providerLines))

            Record options:
            \(optionLines(recordOptionHelp))

            Global options:
            \(optionLines(globalOptionHelp))
            """
    }

    static let recordOptionHelp = CommandLineParser.recordOptions.map { ($0.usage, $0.help) }

    static let globalOptionHelp =
        CommandLineParser.globalOptions.map { ($0.usage, $0.help) } + [
            ("--version", "print the version"), ("-h, --help", "show help"),
        ]

    static func optionLines(_ rows: [(String, String)]) -> String {
        let width = min(28, (rows.map(\.0.count).max() ?? 0) + 2)
        return rows.map { flag, help in
            let padding =
                flag.count + 2 <= width
                ? String(repeating: " ", count: width - flag.count) : "\n" + String(repeating: " ", count: width + 2)
            return "  " + flag + padding + help
        }.joined(separator: "\n")
    }

    /// The types a provider writes: its list, or `any named` (the types lexicon checks by their syntax); `TYPEnnn`
    /// where it also stores RFC 3597 data.
    static func writableTypes(_ descriptor: ProviderDescriptor, separator: String) -> String {
        let named = descriptor.recordTypes.map { $0.map(\.rawValue).joined(separator: separator) } ?? "any named"
        return descriptor.genericTypes ? named + separator + "TYPEnnn" : named
    }

    /// `lexicon providers --output JSON`: every provider with its operations, types and options.
    static func providersJSON(_ registry: ProviderRegistry) -> String {
        JSONValue.array(
            registry.descriptors.map { descriptor in
                .object([
                    ("name", .string(descriptor.name)), ("aliases", .array(descriptor.aliases.map(JSONValue.string))),
                    ("operations", .array(descriptor.operationNames.map(JSONValue.string))),
                    ("types", descriptor.recordTypes.map { .array($0.map { .string($0.rawValue) }) } ?? .string("any")),
                    ("summary", .string(descriptor.summary)),
                    (
                        "options",
                        .array(
                            descriptor.options.map { option in
                                .object([
                                    ("name", .string(option.name)), ("flag", .string(option.flag)),
                                    ("required", .bool(option.isRequired)), ("secret", .bool(option.isSecret)),
                                    ("environment", .string(option.environmentName(provider: descriptor.name))),
                                ])
                            })
                    ),
                ])
            }
        ).text
    }

    static func providers(_ registry: ProviderRegistry) -> String {
        var rows = [["NAME", "OPERATIONS", "TYPES", "DESCRIPTION"]]
        for descriptor in registry.descriptors {
            let name = ([descriptor.name] + descriptor.aliases.map { "(\($0))" }).joined(separator: " ")
            let types = writableTypes(descriptor, separator: ",")
            rows.append([name, descriptor.operationNames.joined(separator: ","), types, descriptor.summary])
        }
        var widths = [0, 0, 0]
        for row in rows { for index in 0..<3 { widths[index] = max(widths[index], row[index].count) } }
        return rows.map { row in
            (0..<3).map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count) }.joined(separator: "  ")
                + "  " + row[3]
        }.joined(separator: "\n")
    }
}
