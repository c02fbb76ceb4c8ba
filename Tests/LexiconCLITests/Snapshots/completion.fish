# fish completion for lexicon; load with: lexicon completion fish | source
complete -c lexicon -f
complete -c lexicon -n '__fish_use_subcommand' -a 'localzone providers completion'
complete -c lexicon -n '__fish_seen_subcommand_from localzone' -a 'create list update delete'
complete -c lexicon -l config-dir
complete -c lexicon -l content
complete -c lexicon -l delegated
complete -c lexicon -l help
complete -c lexicon -l identifier
complete -c lexicon -l log-level
complete -c lexicon -l name
complete -c lexicon -l output
complete -c lexicon -l priority
complete -c lexicon -l ttl
complete -c lexicon -l version
complete -c lexicon -n '__fish_seen_subcommand_from localzone' -l filename -d 'The zone file to read and edit (BIND master format).'
