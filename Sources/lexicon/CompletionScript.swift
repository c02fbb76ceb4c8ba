import Lexicon

/// Shell completion scripts generated from the provider descriptors.
enum CompletionScript {
    static func script(for shell: String, registry: ProviderRegistry) throws -> String {
        let providers = registry.descriptors.flatMap { [$0.name] + $0.aliases } + [CommandLineParser.autoProvider]
        let actions = ["create", "list", "update", "delete", "sync-ip", "export", "apply", "batch"]
        let types = RecordType.common.map(\.rawValue) + ["ANY"]
        let common =
            (CommandLineParser.globalOptions.map { $0.flags[0] } + [
                "--help", "--version",
            ])
            .sorted()
        func providerFlags(_ descriptor: ProviderDescriptor) -> [String] {
            (CommandLineParser.recordOptions + CommandLineParser.zoneOptions).map { $0.flags[0] }
                + descriptor.options.map(\.flag)
        }
        // The commands that are not providers: their sub-commands and flags, from the parser's tables.
        let commands: [(name: String, subcommands: [String], flags: [String])] = [
            (
                "dyndns", ["run", "check", "status", "clear", "presets"],
                CommandLineParser.dyndnsOptions.map { $0.flags[0] }
            ),
            ("failover", ["run", "once", "status"], CommandLineParser.failoverOptions.map { $0.flags[0] }),
            ("hook", ["certbot", "dehydrated", "lego", "install"], []),
            ("wait-propagation", [], CommandLineParser.waitOptions.map { $0.flags[0] }),
        ]
        let firstWords = (providers + ["providers", "completion", "manpage", "help"] + commands.map(\.name)).joined(
            separator: " ")
        // Options that take a value (skipped with their value when finding the provider), and those whose value is a
        // file or directory.
        let specs =
            CommandLineParser.globalOptions + CommandLineParser.recordOptions + CommandLineParser.zoneOptions
            + CommandLineParser.waitOptions
            + CommandLineParser.dyndnsOptions + CommandLineParser.failoverOptions
        let providerOptions = registry.descriptors.flatMap(\.options)
        let valued = Set(
            specs.filter(\.takesValue).flatMap(\.flags) + providerOptions.filter { !$0.isFlag }.map(\.flag)
        ).sorted()
        let fileValues = ["FILE", "DIR"]
        let files = Set(
            specs.filter { fileValues.contains($0.valueName ?? "") }.flatMap(\.flags)
                + providerOptions.filter { fileValues.contains($0.valueName) }.map(\.flag)
        ).sorted()
        // The third word after `hook CLIENT`.
        let hookPhases = [
            ("certbot", "auth cleanup"), ("dehydrated", "deploy_challenge clean_challenge"),
            ("lego", "present cleanup"),
        ]
        func caseLabel(_ descriptor: ProviderDescriptor) -> String {
            ([descriptor.name] + descriptor.aliases).joined(separator: "|")
        }
        switch shell {
        case "bash":
            let cases =
                (registry.descriptors.map { descriptor in
                    "        \(caseLabel(descriptor))) flags=\"\(providerFlags(descriptor).joined(separator: " "))\" ;;"
                }
                + [
                    "        \(CommandLineParser.autoProvider)) flags=\"\(CommandLineParser.recordOptions.map { $0.flags[0] }.joined(separator: " "))\" ;;"
                ]
                + commands.map { command in
                    "        \(command.name)) flags=\"\(command.flags.joined(separator: " "))\" subs=\"\(command.subcommands.joined(separator: " "))\" ;;"
                }).joined(separator: "\n")
            let phases = hookPhases.map { "            \($0.0)) COMPREPLY=($(compgen -W \"\($0.1)\" -- \"$cur\")) ;;" }
                .joined(
                    separator: "\n")
            return """
                # bash completion for lexicon; load with: source <(lexicon completion bash)
                _lexicon() {
                    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
                    local common="\(common.joined(separator: " "))"
                    case "$prev" in
                        --output) COMPREPLY=($(compgen -W "TABLE TABLE-NO-HEADER JSON QUIET" -- "$cur")); return ;;
                        --log-level|--log_level) COMPREPLY=($(compgen -W "CRITICAL ERROR WARNING INFO DEBUG" -- "$cur")); return ;;
                        \(files.joined(separator: "|"))) COMPREPLY=($(compgen -f -- "$cur")); return ;;
                    esac
                    local valued=" \(valued.joined(separator: " ")) "
                    local words=() word provider="" skip=""
                    for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
                        if [[ -n "$skip" ]]; then skip=""; continue; fi
                        if [[ "$word" == -* ]]; then
                            [[ "$word" != *=* && "$valued" == *" $word "* ]] && skip=1
                            continue
                        fi
                        words+=("$word")
                    done
                    provider="${words[0]}"
                    local flags="" subs="" command=""
                    case "$provider" in
                \(cases)
                    esac
                    if [[ "$cur" == -* ]]; then
                        COMPREPLY=($(compgen -W "$common $flags" -- "$cur"))
                    elif [[ ${#words[@]} -eq 0 ]]; then
                        COMPREPLY=($(compgen -W "\(firstWords)" -- "$cur"))
                    elif [[ ${#words[@]} -eq 1 && "$provider" == completion ]]; then
                        COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur"))
                    elif [[ "$provider" == hook && ${#words[@]} -eq 2 ]]; then
                        case "${words[1]}" in
                \(phases)
                        esac
                    elif [[ " \(commands.map(\.name).joined(separator: " ")) " == *" $provider "* ]]; then
                        [[ ${#words[@]} -eq 1 ]] && COMPREPLY=($(compgen -W "$subs" -- "$cur"))
                    elif [[ ${#words[@]} -eq 1 ]]; then
                        COMPREPLY=($(compgen -W "\(actions.joined(separator: " "))" -- "$cur"))
                    elif [[ ${#words[@]} -eq 3 ]]; then
                        COMPREPLY=($(compgen -W "\(types.joined(separator: " "))" -- "$cur"))
                    fi
                }
                complete -F _lexicon lexicon
                """
        case "zsh":
            let cases =
                (registry.descriptors.map { descriptor in
                    "    \(caseLabel(descriptor))) flags=(\(providerFlags(descriptor).joined(separator: " "))) ;;"
                }
                + [
                    "    \(CommandLineParser.autoProvider)) flags=(\(CommandLineParser.recordOptions.map { $0.flags[0] }.joined(separator: " "))) ;;"
                ]
                + commands.map { command in
                    "    \(command.name)) flags=(\(command.flags.joined(separator: " "))) subs=(\(command.subcommands.joined(separator: " "))) ;;"
                }).joined(separator: "\n")
            return """
                #compdef lexicon
                # zsh completion for lexicon; load with: source <(lexicon completion zsh)
                _lexicon() {
                  local -a words_ flags subs
                  local w skip=0 valued=" \(valued.joined(separator: " ")) "
                  case ${words[CURRENT-1]} in
                    \(files.joined(separator: "|"))) _files; return ;;
                  esac
                  for w in ${words[2,CURRENT-1]}; do
                    if (( skip )); then skip=0; continue; fi
                    if [[ $w == -* ]]; then
                      [[ $w != *=* && $valued == *" $w "* ]] && skip=1
                      continue
                    fi
                    words_+=$w
                  done
                  case ${words_[1]} in
                \(cases)
                  esac
                  if [[ ${words[CURRENT]} == -* ]]; then
                    compadd -- \(common.joined(separator: " ")) $flags
                  elif (( ${#words_} == 0 )); then
                    compadd -- \(firstWords)
                  elif [[ ${words_[1]} == hook ]] && (( ${#words_} == 2 )); then
                    case ${words_[2]} in
                \(hookPhases.map { "      \($0.0)) compadd -- \($0.1) ;;" }.joined(separator: "\n"))
                    esac
                  elif (( ${#subs} )); then
                    (( ${#words_} == 1 )) && compadd -- $subs
                  elif (( ${#words_} == 1 )); then
                    compadd -- \(actions.joined(separator: " "))
                  elif (( ${#words_} == 3 )); then
                    compadd -- \(types.joined(separator: " "))
                  fi
                }
                compdef _lexicon lexicon
                """
        case "fish":
            var lines = [
                "# fish completion for lexicon; load with: lexicon completion fish | source",
                "complete -c lexicon -f",
                "complete -c lexicon -n '__fish_use_subcommand' -a '\(firstWords)'",
                "complete -c lexicon -n '__fish_seen_subcommand_from \(providers.joined(separator: " "))' -a '\(actions.joined(separator: " "))'",
            ]
            for flag in common { lines.append("complete -c lexicon -l \(flag.dropFirst(2))") }
            for option in CommandLineParser.recordOptions {
                lines.append(
                    "complete -c lexicon -n '__fish_seen_subcommand_from \(providers.joined(separator: " "))' -l \(option.flags[0].dropFirst(2))"
                )
            }
            for command in commands {
                if !command.subcommands.isEmpty {
                    lines.append(
                        "complete -c lexicon -n '__fish_seen_subcommand_from \(command.name)' -a '\(command.subcommands.joined(separator: " "))'"
                    )
                }
                for flag in command.flags {
                    lines.append(
                        "complete -c lexicon -n '__fish_seen_subcommand_from \(command.name)' -l \(flag.dropFirst(2))")
                }
            }
            for (client, phases) in hookPhases {
                lines.append("complete -c lexicon -n '__fish_seen_subcommand_from \(client)' -a '\(phases)'")
            }
            for flag in files {
                lines.append("complete -c lexicon -l \(flag.dropFirst(2)) -r -F")
            }
            for descriptor in registry.descriptors {
                for option in descriptor.options {
                    let help = option.help.filter { $0 != "'" }
                    lines.append(
                        "complete -c lexicon -n '__fish_seen_subcommand_from \(([descriptor.name] + descriptor.aliases).joined(separator: " "))' -l \(option.flag.dropFirst(2)) -d '\(help)'"
                    )
                }
            }
            return lines.joined(separator: "\n")
        default:
            throw LexiconError(.usage, "unknown shell \"\(shell)\"; use bash, zsh or fish.")
        }
    }
}
