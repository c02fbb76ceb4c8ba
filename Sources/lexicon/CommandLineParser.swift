import Lexicon

/// Parses dns-lexicon's grammar: `lexicon [GLOBAL] <provider> <action> <domain> <type> [OPTIONS]`, with global
/// options accepted anywhere and `--opt=value` as well as `--opt value`.
struct CommandLineParser {
    /// An option the parser knows: its flags, key, value name (nil for a switch) and help.
    struct OptionSpec {
        var flags: [String]
        var key: String
        var valueName: String?
        var help: String
        var takesValue: Bool { valueName != nil }

        init(_ flags: [String], key: String, value: String? = nil, help: String) {
            self.flags = flags
            self.key = key
            self.valueName = value
            self.help = help
        }

        /// The help column: `--name NAME`.
        var usage: String { flags[0] + (valueName.map { " " + $0 } ?? "") }
    }

    let registry: ProviderRegistry

    /// Options valid everywhere.
    static let globalOptions: [OptionSpec] = [
        OptionSpec(
            ["--delegated"], key: "delegated", value: "ZONE",
            help: "the zone is delegated below the registered domain (sub or sub.example.com)"),
        OptionSpec(
            ["--resolve-zone-name"], key: "resolve_zone_name",
            help: "find the zone with SOA queries instead of the public suffix list"),
        OptionSpec(
            ["--config-dir"], key: "config_dir", value: "DIR",
            help: "where lexicon.yml and lexicon_<provider>.yml are read (default: .)"),
        OptionSpec(
            ["--log-level", "--log_level"], key: "log_level", value: "LEVEL",
            help: "CRITICAL, ERROR, WARNING (default), INFO or DEBUG; logs go to stderr"),
        OptionSpec(
            ["--output"], key: "output", value: "FORMAT", help: "TABLE (default), TABLE-NO-HEADER, JSON or QUIET"),
        OptionSpec(
            ["--http-timeout"], key: "http_timeout", value: "SECONDS",
            help: "seconds an API request may take (default 30)"),
        OptionSpec(
            ["--resolver"], key: "resolver", value: "HOST[:PORT]",
            help: "the DNS server for zone and nameserver discovery (default: /etc/resolv.conf)"),
        OptionSpec(
            ["--nameserver"], key: "nameserver", value: "HOST[:PORT]",
            help: "check exactly this server for propagation instead of discovering them (repeatable)"),
        OptionSpec(
            ["--no-follow-cname"], key: "no_follow_cname",
            help: "do not follow a CNAME at _acme-challenge when checking propagation"),
    ]

    /// Options of the record actions.
    static let recordOptions: [OptionSpec] = [
        OptionSpec(
            ["--name"], key: "name", value: "NAME",
            help: "record name: relative (www), full (www.example.com), FQDN (www.example.com.) or @"),
        OptionSpec(
            ["--content"], key: "content", value: "CONTENT",
            help: "record content (TXT without quotes; MX as host, with --priority)"),
        OptionSpec(
            ["--ttl"], key: "ttl", value: "SECONDS",
            help: "time to live; 0 means the provider default; update keeps the TTL without it"),
        OptionSpec(["--priority"], key: "priority", value: "N", help: "MX priority"),
        OptionSpec(
            ["--identifier"], key: "identifier", value: "ID", help: "the record's id from list, for update and delete"),
        OptionSpec(
            ["--wait"], key: "wait",
            help: "after create, update or delete, wait until every authoritative server agrees"),
        OptionSpec(
            ["--wait-timeout"], key: "wait_timeout", value: "SECONDS", help: "give up waiting after this (default 120)"),
        OptionSpec(
            ["--wait-interval"], key: "wait_interval", value: "SECONDS",
            help: "seconds between checks while waiting (default 2)"),
        OptionSpec(
            ["--ip"], key: "ip", value: "ADDRESS", help: "sync-ip: publish this address instead of detecting it"),
        OptionSpec(
            ["--detect"], key: "detect", value: "SOURCE",
            help: "sync-ip: web:URL, dns:NAME@SERVER, iface:IF, route or cmd:CMD (repeatable)"),
        OptionSpec(["--quorum"], key: "quorum", value: "K", help: "sync-ip: sources that must agree (default 2, or 1)"),
        OptionSpec(
            ["--allow-nonpublic"], key: "allow_nonpublic",
            help: "sync-ip: also publish private, loopback, CGNAT and other addresses"),
        OptionSpec(
            ["--state-dir"], key: "state_dir", value: "DIR", help: "sync-ip: where the last published address is kept"),
        OptionSpec(["--dry-run"], key: "dry_run", help: "sync-ip: say what would change, change nothing"),
    ]

    /// Options of `export`, `apply` and `batch`.
    static let zoneOptions: [OptionSpec] = [
        OptionSpec(
            ["--format"], key: "format", value: "FORMAT",
            help: "export: bind (default), json or yaml; apply: the file's format (default: guessed)"),
        OptionSpec(["--file"], key: "file", value: "FILE", help: "apply: the desired zone (- for standard input)"),
        OptionSpec(["--plan"], key: "plan", help: "apply: print the plan, change nothing (also --dry-run)"),
        OptionSpec(["--prune"], key: "prune", help: "apply: delete record sets the file does not have"),
        OptionSpec(
            ["--force"], key: "force", help: "apply: apply a plan that changes more than the threshold of the zone"),
        OptionSpec(
            ["--ignore"], key: "ignore", value: "PATTERN",
            help: "apply: leave these names alone (_acme-challenge, *.internal; repeatable)"),
        OptionSpec(
            ["--threshold"], key: "threshold", value: "PERCENT",
            help: "apply: most of the zone's record sets changed or deleted without --force (default 25)"),
        OptionSpec(["--manage-apex-ns"], key: "manage_apex_ns", help: "apply: also change the apex NS records"),
    ]

    /// The actions on a zone as a whole.
    static let zoneActions: Set<String> = ["export", "apply", "batch"]

    /// Options only `sync-ip` takes.
    static let syncOptions: Set<String> = ["ip", "detect", "quorum", "allow_nonpublic", "state_dir", "dry_run"]

    /// Options of `wait-propagation`.
    static let waitOptions: [OptionSpec] = [
        OptionSpec(["--timeout"], key: "wait_timeout", value: "SECONDS", help: "give up after this (default 120)"),
        OptionSpec(["--interval"], key: "wait_interval", value: "SECONDS", help: "seconds between checks (default 2)"),
        OptionSpec(["--absent"], key: "absent", help: "wait until the value (or, without one, every value) is gone"),
    ]

    /// Options of `lexicon dyndns`.
    static let dyndnsOptions: [OptionSpec] = [
        OptionSpec(["--config"], key: "config", value: "FILE", help: "the jobs (see config/dyndns.yml)"),
        OptionSpec(["--once"], key: "once", help: "one round, then exit (cron, systemd timers)"),
        OptionSpec(["--json"], key: "json", help: "status: one JSON document"),
        OptionSpec(["--log-json"], key: "log_json", help: "log one JSON object per line"),
    ]

    /// Options of `lexicon failover`.
    static let failoverOptions: [OptionSpec] = [
        OptionSpec(["--config"], key: "config", value: "FILE", help: "the pools (see config/failover.yml)"),
        OptionSpec(
            ["--state-file"], key: "state_file", value: "FILE",
            help: "health kept between runs (default in LEXICON_STATE_DIR)"),
        OptionSpec(["--dry-run"], key: "dry_run", help: "print the changes it would make, change nothing"),
        OptionSpec(["--json"], key: "json", help: "status: one JSON document"),
        OptionSpec(["--log-json"], key: "log_json", help: "log one JSON object per line"),
    ]

    /// Options that may be given several times; their values are joined with commas.
    static let repeatable: Set<String> = ["nameserver", "detect", "ignore"]

    /// The pseudo-provider that picks a provider from the zone's nameservers.
    static let autoProvider = "auto"

    /// Flags to specs.
    static func table(_ specs: [OptionSpec]...) -> [String: OptionSpec] {
        var table: [String: OptionSpec] = [:]
        for spec in specs.joined() { for flag in spec.flags where table[flag] == nil { table[flag] = spec } }
        return table
    }

    /// The commands that are not providers.
    static let commands: Set<String> = [
        "providers", "completion", "help", "wait-propagation", "dyndns", "failover", "manpage",
    ]

    /// Parses arguments (without the program name).
    /// - Throws: ``LexiconError`` `usage` with a message saying what to fix.
    func parse(_ arguments: [String]) throws -> Invocation {
        let providerName = firstCommand(arguments)
        var table =
            providerName == "wait-propagation"
            ? Self.table(Self.globalOptions, Self.waitOptions)
            : providerName == "dyndns"
                ? Self.table(Self.globalOptions, Self.dyndnsOptions)
                : providerName == "failover"
                    ? Self.table(Self.globalOptions, Self.failoverOptions)
                    : Self.table(Self.globalOptions, Self.recordOptions, Self.zoneOptions)
        let descriptor = providerName.flatMap { registry.descriptor(named: $0) }
        for option in descriptor?.options ?? [] {
            table[option.flag] = OptionSpec(
                [option.flag], key: option.name, value: option.isFlag ? nil : option.valueName, help: option.help)
            for alias in ["--" + option.name, "--" + option.name.replacing("_", with: "-")] where table[alias] == nil {
                table[alias] = table[option.flag]
            }
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
                if descriptor == nil, let providerName, !Self.commands.contains(providerName),
                    providerName != Self.autoProvider
                {
                    _ = try registry.require(providerName)
                }
                let context =
                    descriptor.map { " for \($0.name); run `lexicon \($0.name) --help`" } ?? "; run `lexicon --help`"
                let hint = NearestName.hint(for: flag, among: table.keys.sorted())
                throw LexiconError(.usage, "unknown option \(flag)\(hint)\(context).")
            }
            if spec.takesValue {
                var value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw LexiconError(.usage, "\(flag) needs a value.") }
                    value = arguments[index]
                    index += 1
                }
                // Detection sources may contain commas (URLs, commands): join those with newlines.
                if Self.repeatable.contains(spec.key), let earlier = options[spec.key] {
                    value = earlier + (spec.key == "detect" ? "\n" : ",") + value
                }
                options[spec.key] = value
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
            var target = positionals.first == "help" ? positionals.dropFirst().first : positionals.first
            // `lexicon <provider> apply --help`: the zone action's own page.
            let words = positionals.first == "help" ? Array(positionals.dropFirst()) : positionals
            if let action = words.first(where: Self.zoneActions.contains) { target = action }
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
        case "manpage":
            guard positionals.count == 1 else { throw LexiconError(.usage, "`lexicon manpage` takes no arguments.") }
            return Invocation(command: .manpage, options: options)
        case "completion":
            guard positionals.count == 2 else {
                throw LexiconError(.usage, "usage: lexicon completion bash|zsh|fish")
            }
            return Invocation(command: .completion(shell: positionals[1]), options: options)
        case "dyndns":
            let usage =
                "usage: lexicon dyndns run|check|status|clear --config FILE [--once] [--json] [--log-json], or lexicon dyndns presets"
            guard positionals.count == 2 else { throw LexiconError(.usage, usage) }
            switch positionals[1] {
            case "presets": return Invocation(command: .dyndnsPresets, options: options)
            case "run", "check", "status", "clear":
                guard options["config"] != nil else {
                    throw LexiconError(.usage, "lexicon dyndns \(positionals[1]) needs --config FILE.")
                }
                if options["json"] != nil && positionals[1] != "status" {
                    throw LexiconError(.usage, "--json applies to dyndns status (use --log-json for logs).")
                }
                return Invocation(command: .dyndns(positionals[1]), options: options)
            default: throw LexiconError(.usage, usage)
            }
        case "failover":
            let usage =
                "usage: lexicon failover run|once|status --config FILE [--state-file FILE] [--dry-run] [--json]"
            guard positionals.count == 2, ["run", "once", "status"].contains(positionals[1]) else {
                throw LexiconError(.usage, usage)
            }
            guard options["config"] != nil else {
                throw LexiconError(.usage, "lexicon failover \(positionals[1]) needs --config FILE.")
            }
            if options["json"] != nil && positionals[1] != "status" {
                throw LexiconError(.usage, "--json applies to failover status (use --log-json for logs).")
            }
            if options["dry_run"] != nil && positionals[1] == "status" {
                throw LexiconError(.usage, "--dry-run applies to failover run and once.")
            }
            return Invocation(command: .failover(positionals[1]), options: options)
        case "wait-propagation":
            let usage = "usage: lexicon wait-propagation <fqdn> <type> <value> [--timeout S] [--interval S] [--absent]"
            let wantsAbsent = options["absent"].map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false
            guard positionals.count == 4 || (wantsAbsent && positionals.count == 3) else {
                throw LexiconError(.usage, usage + " (the value may be left out only with --absent).")
            }
            return Invocation(
                command: .waitPropagation(
                    fqdn: positionals[1], type: positionals[2], value: positionals.count == 4 ? positionals[3] : nil),
                options: options)
        default:
            break
        }
        let descriptorForName: ProviderDescriptor? = first == Self.autoProvider ? nil : try registry.require(first)
        let chosenProvider = descriptorForName?.name ?? Self.autoProvider
        guard positionals.count >= 2 else {
            throw LexiconError(
                .usage,
                "no action given. Usage: lexicon \(chosenProvider) create|list|update|delete <domain> <type>.")
        }
        let action = positionals[1]
        if Self.zoneActions.contains(action) { return try zoneInvocation(chosenProvider, positionals, options) }
        guard ["create", "list", "update", "delete", "sync-ip"].contains(action) else {
            throw LexiconError(
                .usage,
                "unknown action \"\(action)\"; use create, list, update, delete, sync-ip, export, apply or batch.")
        }
        if let key = options.keys.first(where: Set(Self.zoneOptions.map(\.key)).contains) {
            throw LexiconError(.usage, "--\(key.replacingUnderscores) applies to export, apply and batch.")
        }
        if action != "sync-ip", let key = options.keys.first(where: Self.syncOptions.contains) {
            throw LexiconError(.usage, "--\(key.replacingUnderscores) applies to sync-ip only.")
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
                provider: chosenProvider, action: action, domain: positionals[2], type: positionals[3]),
            options: options)
    }

    /// `lexicon <provider> export|apply|batch <domain>`.
    private func zoneInvocation(_ provider: String, _ positionals: [String], _ options: [String: String]) throws
        -> Invocation
    {
        let action = positionals[1]
        let usage: String
        switch action {
        case "export": usage = "usage: lexicon \(provider) export <domain> [--format bind|json|yaml]"
        case "apply":
            usage =
                "usage: lexicon \(provider) apply <domain> --file FILE|- [--plan] [--prune] [--force] [--ignore PATTERN]"
        default: usage = "usage: lexicon \(provider) batch <domain> < operations.jsonl"
        }
        guard positionals.count == 3 else {
            throw LexiconError(.usage, positionals.count < 3 ? "no domain given; \(usage)" : usage)
        }
        let allowed: Set<String> =
            switch action {
            case "export": ["format"]
            case "apply": Set(Self.zoneOptions.map(\.key)).union(["dry_run"])
            default: []
            }
        let actionKeys = Set((Self.recordOptions + Self.zoneOptions).map(\.key))
        if let key = options.keys.sorted().first(where: { actionKeys.contains($0) && !allowed.contains($0) }) {
            throw LexiconError(.usage, "--\(key.replacingUnderscores) does not apply to \(action); \(usage).")
        }
        if action == "apply" && options["file"] == nil {
            throw LexiconError(.usage, "apply needs --file FILE (or --file - for standard input); \(usage).")
        }
        return Invocation(command: .zone(provider: provider, action: action, domain: positionals[2]), options: options)
    }

    /// The first bare word that names a provider or command, skipping the values of known options.
    private func firstCommand(_ arguments: [String]) -> String? {
        var index = 0
        var firstBare: String?
        let known = Self.table(
            Self.globalOptions, Self.recordOptions, Self.zoneOptions, Self.waitOptions, Self.dyndnsOptions,
            Self.failoverOptions)
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.hasPrefix("-") {
                if !argument.contains("="), known[argument]?.takesValue == true { index += 1 }
                continue
            }
            if registry.descriptor(named: argument) != nil || Self.commands.contains(argument)
                || argument == Self.autoProvider
            {
                return argument
            }
            if firstBare == nil { firstBare = argument }
        }
        return firstBare
    }
}

extension String {
    /// `allow_nonpublic` as a flag name.
    var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}
