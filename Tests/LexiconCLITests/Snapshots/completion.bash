# bash completion for lexicon; load with: source <(lexicon completion bash)
_lexicon() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local common="--allow-nonpublic --config-dir --content --delegated --detect --dry-run --help --identifier --ip --log-level --name --nameserver --no-follow-cname --output --priority --quorum --resolve-zone-name --resolver --state-dir --ttl --version --wait --wait-interval --wait-timeout"
    case "$prev" in
        --output) COMPREPLY=($(compgen -W "TABLE TABLE-NO-HEADER JSON QUIET" -- "$cur")); return ;;
        --log-level|--log_level) COMPREPLY=($(compgen -W "CRITICAL ERROR WARNING INFO DEBUG" -- "$cur")); return ;;
        --config-dir|--filename) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    local words=() word provider=""
    for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        [[ "$word" == -* ]] || words+=("$word")
    done
    provider="${words[0]}"
    local flags=""
    case "$provider" in
        cloudflare) flags="--auth-token --auth-username --zone-id --api-endpoint" ;;
        digitalocean) flags="--auth-token --api-endpoint" ;;
        dnsimple) flags="--auth-token --auth-username --auth-password --auth-2fa --api-endpoint" ;;
        duckdns) flags="--auth-token --api-endpoint" ;;
        dyndns2) flags="--auth-username --auth-password --preset --api-endpoint" ;;
        freedns) flags="--auth-token --auth-username --auth-password --api-endpoint" ;;
        gandi) flags="--auth-token --api-key-mode --api-endpoint" ;;
        godaddy) flags="--auth-key --auth-secret --api-endpoint" ;;
        hetzner) flags="--auth-token --api-endpoint" ;;
        linode4) flags="--auth-token --api-endpoint" ;;
        localzone) flags="--filename" ;;
        namecheap) flags="--auth-token --auth-username --auth-client-ip --auth-sandbox --api-endpoint" ;;
        ovh) flags="--auth-entrypoint --auth-application-key --auth-application-secret --auth-consumer-key --api-endpoint" ;;
        powerdns) flags="--auth-token --pdns-server --pdns-server-id --pdns-disable-notify" ;;
        rfc2136) flags="--auth-token --auth-key-file --ddns-server --ddns-timeout" ;;
        route53) flags="--auth-access-key --auth-access-secret --auth-session-token --private-zone --zone-id --api-endpoint" ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$common $flags" -- "$cur"))
    elif [[ ${#words[@]} -eq 0 ]]; then
        COMPREPLY=($(compgen -W "cloudflare digitalocean dnsimple duckdns dyndns2 freedns gandi godaddy hetzner linode4 localzone namecheap ovh powerdns rfc2136 route53 providers completion" -- "$cur"))
    elif [[ ${#words[@]} -eq 1 && "$provider" == completion ]]; then
        COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur"))
    elif [[ ${#words[@]} -eq 1 ]]; then
        COMPREPLY=($(compgen -W "create list update delete" -- "$cur"))
    elif [[ ${#words[@]} -eq 3 ]]; then
        COMPREPLY=($(compgen -W "A AAAA CNAME MX NS SOA TXT SRV CAA PTR LOC ANY" -- "$cur"))
    fi
}
complete -F _lexicon lexicon
