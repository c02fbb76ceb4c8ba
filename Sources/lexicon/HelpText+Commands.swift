import Lexicon

/// The help pages of the commands that are not providers: `dyndns`, `failover`, `wait-propagation`, `hook` (and each
/// ACME client), `auto`, `completion`, `providers`. Options come from the parser's tables.
extension HelpText {
    /// The page of a command, or nil when the word names no command (`hook certbot` is `["hook", "certbot"]`).
    static func command(_ words: [String], registry: ProviderRegistry) -> String? {
        switch words.first {
        case "dyndns": return dyndns
        case "failover": return failover
        case "wait-propagation": return waitPropagation
        case "hook": return hook(client: words.dropFirst().first)
        case CommandLineParser.autoProvider: return auto(registry)
        case "completion": return completion
        case "providers": return providers
        case "export": return export
        case "apply": return apply
        case "batch": return batch
        default: return nil
        }
    }

    static var dyndns: String {
        """
        Usage: lexicon dyndns run|check|status|clear --config FILE [--once] [--json] [--log-json]
               lexicon dyndns presets

        Keeps DNS records pointed at this host's public address, for any mix of providers: each job
        detects the address (several sources must agree), compares it with the record and changes it
        only when it differs. Update-only services (dyndns2, duckdns, freedns) are compared with a
        state file instead of a listing.

        Sub-commands:
          run       update every job, then again every `interval` seconds (SIGTERM/SIGINT stop,
                    SIGHUP reloads the file); with --once, one round for cron or a systemd timer
          check     ask every detection source and print what each answers; change nothing
          status    print each job's last published address, when, and any hold (--json: one document)
          clear     lift every hold (after badauth, nohost, … once fixed; after 911 / dnserr at once)
          presets   list the dyndns2 services that `preset:` knows

        Options:
        \(optionLines(CommandLineParser.dyndnsOptions.map { ($0.usage, $0.help) }))

        Configuration (YAML):
          interval: 300            seconds between rounds (at least 30; 0-10 % jitter is added)
          state_dir: DIR           last published address per record and family
          jobs:                    one entry per record
            - provider: NAME       any provider (lexicon providers)
              domain: example.net
              name: home           the record (@ for the domain itself)
              type: A              A, AAAA, or A+AAAA (both families from one host)
              detect: [SOURCE]     web:URL, dns:NAME@SERVER, iface:IF, route, cmd:COMMAND
              quorum: 2            sources that must agree
              allow_nonpublic: false   publish private, CGNAT, loopback … addresses too
              options: {KEY: VALUE}    provider options (secrets better from LEXICON_* variables)
              hook: COMMAND        run after a change ($LEXICON_OLD_ADDRESS, $LEXICON_NEW_ADDRESS)

        Example:
          lexicon dyndns check --config /etc/lexicon/dyndns.yml
          lexicon dyndns run --config /etc/lexicon/dyndns.yml --once

        See config/dyndns.yml and the systemd units in config/.
        """
    }

    static var failover: String {
        """
        Usage: lexicon failover run|once|status --config FILE [--state-file FILE] [--dry-run] [--json]

        Keeps only answering addresses in round-robin records: checks every address of each pool, removes
        one that failed `fall` checks in a row (never below `min_healthy`), adds it back after `rise`
        passes, and when every address is down publishes them all (fail open).

        Sub-commands:
          run       check and change every `interval` seconds (SIGTERM/SIGINT finish the round, SIGHUP
                    reloads the file)
          once      one round, keeping health in the state file between runs (cron)
          status    the live record set and each address's health, why and since when (--json: one
                    document)

        Options:
        \(optionLines(CommandLineParser.failoverOptions.map { ($0.usage, $0.help) }))

        Configuration (YAML):
          interval: 10  concurrency: 8  resync: 300  state_file: FILE  hook: COMMAND
          pools:
            - provider: NAME  domain: example.com  name: www  type: A|AAAA  ttl: 60
              addresses: [192.0.2.10, 192.0.2.11]
              check: {kind: http|https|tcp|exec, port, path, method, host, expect, body,
                      tls_verify, ca_file, command, timeout, connect_timeout}
              fall: 3  rise: 2  min_healthy: 1  max_removals_per_round: 1
              options: {KEY: VALUE}  hook: COMMAND

        Example:
          lexicon failover once --config failover.yml --dry-run
          lexicon failover status --config failover.yml --json

        See config/failover.yml and config/lexicon-failover.service.
        """
    }

    static var waitPropagation: String {
        """
        Usage: lexicon wait-propagation <fqdn> <type> <value> [OPTIONS]
               lexicon wait-propagation <fqdn> <type> [<value>] --absent [OPTIONS]

        Waits until every authoritative server of the zone serves the value (or, with --absent, no
        longer serves it): finds the zone with SOA queries, its NS set and their addresses, and asks
        each server directly. A CNAME at _acme-challenge is followed (acme-dns delegation).

        Options:
        \(optionLines(CommandLineParser.waitOptions.map { ($0.usage, $0.help) } + dnsOptionHelp))

        Example:
          lexicon wait-propagation _acme-challenge.example.com TXT "token" --timeout 300
        """
    }

    static func hook(client: String?) -> String {
        switch client {
        case "certbot":
            return """
                Usage: lexicon hook certbot auth|cleanup

                certbot's manual hooks: auth adds CERTBOT_VALIDATION at _acme-challenge.CERTBOT_DOMAIN and
                waits until every authoritative server serves it; cleanup removes exactly that value (the
                base domain and its wildcard share the name: neither touches the other's value).

                Example:
                  LEXICON_PROVIDER=cloudflare LEXICON_CLOUDFLARE_AUTH_TOKEN_FILE=/etc/lexicon/cf-token \\
                  certbot certonly --manual --preferred-challenges dns -d example.com -d '*.example.com' \\
                    --manual-auth-hook 'lexicon hook certbot auth' \\
                    --manual-cleanup-hook 'lexicon hook certbot cleanup'
                \(hookEnvironment)
                """
        case "dehydrated":
            return """
                Usage: lexicon hook dehydrated HANDLER ARGS...   (or the program lexicon-hook-dehydrated)

                dehydrated's hook: deploy_challenge DOMAIN TOKEN_FILENAME VALUE adds the value (several
                triples with HOOK_CHAIN=yes) and waits for propagation; clean_challenge removes it; every
                other handler exits 0. dehydrated runs HOOK as one program, and reads HOOK and HOOK_CHAIN
                only from its config file.

                Example (dehydrated's config file, after lexicon hook install /usr/local/bin):
                  CHALLENGETYPE=dns-01
                  HOOK=/usr/local/bin/lexicon-hook-dehydrated
                  HOOK_CHAIN=yes
                \(hookEnvironment)
                """
        case "lego":
            return """
                Usage: lexicon hook lego present|cleanup FQDN VALUE   (or the program lexicon-hook-lego)
                       lexicon hook lego present|cleanup -- DOMAIN TOKEN KEYAUTH   (EXEC_MODE=RAW)

                lego's exec provider: present adds the value and waits for propagation, cleanup removes it.
                lego runs EXEC_PATH as one program, not a command line.

                Example (after lexicon hook install /usr/local/bin; the hook has waited, so lego need not):
                  EXEC_PATH=/usr/local/bin/lexicon-hook-lego EXEC_SEQUENCE_INTERVAL=0 \\
                    lego --accept-tos --email you@example.com \\
                    --dns exec --dns.disable-cp -d example.com -d '*.example.com' run
                \(hookEnvironment)
                """
        case "install":
            return """
                Usage: lexicon hook install [DIR]

                Makes lexicon-hook-certbot, lexicon-hook-dehydrated and lexicon-hook-lego: symbolic links
                to this binary, beside it or in DIR. Called by one of those names, lexicon runs as
                `lexicon hook CLIENT`: lego (EXEC_PATH) and dehydrated (HOOK) run their hook as one
                program name, never a command line. A name that is already such a link stays; anything
                else of that name stops it, and nothing is replaced.

                Example:
                  lexicon hook install /usr/local/bin
                """
        default:
            return """
                Usage: lexicon hook certbot|dehydrated|lego ARGS...
                       lexicon hook install [DIR]

                ACME DNS-01 hooks: each adds the challenge value at _acme-challenge, waits until every
                authoritative server serves it, and removes exactly that value afterwards.

                Clients (`lexicon hook CLIENT --help` for each):
                  certbot      lexicon hook certbot auth|cleanup
                  dehydrated   lexicon hook dehydrated HANDLER ARGS...   (program: lexicon-hook-dehydrated)
                  lego         lexicon hook lego present|cleanup FQDN VALUE   (program: lexicon-hook-lego)
                  install      makes the programs lexicon-hook-CLIENT (links to this binary)

                Example:
                  certbot certonly --manual --preferred-challenges dns -d example.com \\
                    --manual-auth-hook 'lexicon hook certbot auth' --manual-cleanup-hook 'lexicon hook certbot cleanup'
                \(hookEnvironment)
                """
        }
    }

    static let hookEnvironment = """

        The provider and its options come from the environment or config files: LEXICON_PROVIDER, and
        LEXICON_<PROVIDER>_<OPTION> (or LEXICON_<PROVIDER>_<OPTION>_FILE for a secret in a file);
        LEXICON_CONFIG_DIR for lexicon.yml; LEXICON_LOG_LEVEL; LEXICON_PROPAGATION_TIMEOUT (seconds,
        default 300, 0 skips the wait); LEXICON_PROPAGATION_NAMESERVERS=HOST[:PORT],… to check given
        servers instead of the discovered ones; LEXICON_PROPAGATION_RESOLVER=HOST[:PORT] to discover
        them through another resolver.
        """

    static func auto(_ registry: ProviderRegistry) -> String {
        let patterns = registry.descriptors.filter { !$0.nameserverPatterns.isEmpty }.map {
            ("\($0.name)", $0.nameserverPatterns.joined(separator: ", "))
        }
        return """
            Usage: lexicon auto <action> <domain> <type> [OPTIONS]

            Picks the provider from the zone's NS records: the provider whose nameserver patterns match
            is used, with its options from the environment or config files (LEXICON_<PROVIDER>_<OPTION>).
            When none matches, it says which nameservers it found.

            Nameserver patterns:
            \(optionLines(patterns))

            Options: the record options of every provider (lexicon --help), and
            \(optionLines(dnsOptionHelp))

            Example:
              LEXICON_CLOUDFLARE_AUTH_TOKEN_FILE=~/.cf-token lexicon auto list example.com A
            """
    }

    static var completion: String {
        """
        Usage: lexicon completion bash|zsh|fish

        Prints a completion script for the shell: providers, actions, record types, every option of
        the provider on the line, the commands and their sub-commands.

        Example:
          source <(lexicon completion bash)          # in ~/.bashrc
          lexicon completion zsh > "${fpath[1]}/_lexicon"
          lexicon completion fish > ~/.config/fish/completions/lexicon.fish
        """
    }

    static var providers: String {
        """
        Usage: lexicon providers

        Lists every provider with the operations it supports and the record types it writes.
        `lexicon <provider> --help` shows one provider's options.
        """
    }

    /// The options of DNS lookups that `auto` and `wait-propagation` use.
    static var dnsOptionHelp: [(String, String)] {
        CommandLineParser.globalOptions.filter { ["resolver", "nameserver", "no_follow_cname"].contains($0.key) }.map {
            ($0.usage, $0.help)
        }
    }
}
