# bash completion for lexicon; load with: source <(lexicon completion bash)
_lexicon() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local common="--config-dir --delegated --help --http-timeout --log-level --nameserver --no-follow-cname --output --resolve-zone-name --resolver --version"
    case "$prev" in
        --output) COMPREPLY=($(compgen -W "TABLE TABLE-NO-HEADER JSON QUIET" -- "$cur")); return ;;
        --log-level|--log_level) COMPREPLY=($(compgen -W "CRITICAL ERROR WARNING INFO DEBUG" -- "$cur")); return ;;
        --auth-config-file|--auth-key-file|--config|--config-dir|--file|--filename|--state-dir|--state-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    local valued=" --api-endpoint --api-key --api-zone --auth-2fa --auth-access-key --auth-access-secret --auth-api-key --auth-api-password --auth-application-key --auth-application-secret --auth-client-id --auth-client-ip --auth-client-secret --auth-config-file --auth-consumer-key --auth-customer-id --auth-entrypoint --auth-fingerprint --auth-id --auth-key --auth-key-content --auth-key-file --auth-key-id --auth-pass-phrase --auth-password --auth-profile --auth-region --auth-secret --auth-secret-key --auth-service-account-info --auth-session-token --auth-shared-secret --auth-subid --auth-subscription-id --auth-subuser --auth-tenancy --auth-tenant-id --auth-token --auth-totp-secret --auth-type --auth-user --auth-username --config --config-dir --content --ddns-server --ddns-timeout --delegated --detect --file --filename --format --http-timeout --identifier --ignore --interval --ip --log-level --log_level --name --nameserver --output --pdns-server --pdns-server-id --port --preset --priority --quorum --resolver --resource-group --secret_id --secret_key --state-dir --state-file --team-id --threshold --timeout --token-endpoint --ttl --wait-interval --wait-timeout --weight --zone-id "
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
        aliyun) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-key-id --auth-secret --api-endpoint" ;;
        azure) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-client-id --auth-client-secret --auth-tenant-id --auth-subscription-id --resource-group --api-endpoint --token-endpoint" ;;
        cloudflare) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --auth-username --zone-id --api-endpoint" ;;
        cloudns) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-id --auth-subid --auth-subuser --auth-password --weight --port --api-endpoint" ;;
        constellix) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-token --api-endpoint" ;;
        desec) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --auth-username --auth-password --api-endpoint" ;;
        digitalocean) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        dnsimple) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --auth-username --auth-password --auth-2fa --api-endpoint" ;;
        dnsmadeeasy) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-token --api-endpoint" ;;
        dnspod) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-token --api-endpoint" ;;
        dreamhost) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        duckdns) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        dyndns2) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-password --preset --api-endpoint" ;;
        dynu) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        easydns) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-token --api-endpoint" ;;
        exoscale) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-key --auth-secret --api-zone --api-endpoint" ;;
        freedns) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --auth-username --auth-password --api-endpoint" ;;
        gandi) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-key-mode --api-endpoint" ;;
        godaddy) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-key --auth-secret --api-endpoint" ;;
        googleclouddns) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-service-account-info --token-endpoint --api-endpoint" ;;
        hetzner) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        hostingde) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        hover) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-password --auth-totp-secret --api-endpoint" ;;
        infomaniak) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        inwx) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-password --auth-shared-secret --api-endpoint" ;;
        ionos) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --api-key --api-endpoint" ;;
        linode4|linode) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        localzone) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --filename" ;;
        luadns) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-token --api-endpoint" ;;
        mythicbeasts) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --auth-username --auth-password --api-endpoint --token-endpoint" ;;
        namecheap) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --auth-username --auth-client-ip --auth-sandbox --api-endpoint" ;;
        namecom) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-token --api-endpoint" ;;
        namesilo) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        netcup) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-customer-id --auth-api-key --auth-api-password --api-endpoint" ;;
        njalla) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        nsone) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        oci) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-config-file --auth-profile --auth-user --auth-tenancy --auth-fingerprint --auth-key-content --auth-key-file --auth-pass-phrase --auth-region --auth-type --api-endpoint" ;;
        ovh) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-entrypoint --auth-application-key --auth-application-secret --auth-consumer-key --api-endpoint" ;;
        porkbun) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-key --auth-secret --api-endpoint" ;;
        powerdns) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --pdns-server --pdns-server-id --pdns-disable-notify" ;;
        qcloud) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --secret_id --secret_key --api-endpoint" ;;
        rfc2136|ddns) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --auth-key-file --ddns-server --ddns-timeout" ;;
        route53) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-access-key --auth-access-secret --auth-session-token --private-zone --zone-id --api-endpoint" ;;
        scaleway) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-secret-key --api-endpoint" ;;
        transip) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-username --auth-api-key --auth-key-is-global --api-endpoint" ;;
        vercel|zeit) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --team-id --api-endpoint" ;;
        vultr) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --format --file --plan --prune --force --ignore --threshold --manage-apex-ns --auth-token --api-endpoint" ;;
        auto) flags="--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run" ;;
        dyndns) flags="--config --once --json --log-json" subs="run check status clear presets" ;;
        failover) flags="--config --state-file --dry-run --json --log-json" subs="run once status" ;;
        hook) flags="" subs="certbot dehydrated lego install" ;;
        wait-propagation) flags="--timeout --interval --absent" subs="" ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$common $flags" -- "$cur"))
    elif [[ ${#words[@]} -eq 0 ]]; then
        COMPREPLY=($(compgen -W "aliyun azure cloudflare cloudns constellix desec digitalocean dnsimple dnsmadeeasy dnspod dreamhost duckdns dyndns2 dynu easydns exoscale freedns gandi godaddy googleclouddns hetzner hostingde hover infomaniak inwx ionos linode4 linode localzone luadns mythicbeasts namecheap namecom namesilo netcup njalla nsone oci ovh porkbun powerdns qcloud rfc2136 ddns route53 scaleway transip vercel zeit vultr auto providers completion manpage help dyndns failover hook wait-propagation" -- "$cur"))
    elif [[ ${#words[@]} -eq 1 && "$provider" == completion ]]; then
        COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur"))
    elif [[ "$provider" == hook && ${#words[@]} -eq 2 ]]; then
        case "${words[1]}" in
            certbot) COMPREPLY=($(compgen -W "auth cleanup" -- "$cur")) ;;
            dehydrated) COMPREPLY=($(compgen -W "deploy_challenge clean_challenge" -- "$cur")) ;;
            lego) COMPREPLY=($(compgen -W "present cleanup" -- "$cur")) ;;
        esac
    elif [[ " dyndns failover hook wait-propagation " == *" $provider "* ]]; then
        [[ ${#words[@]} -eq 1 ]] && COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    elif [[ ${#words[@]} -eq 1 ]]; then
        COMPREPLY=($(compgen -W "create list update delete sync-ip export apply batch" -- "$cur"))
    elif [[ ${#words[@]} -eq 3 ]]; then
        COMPREPLY=($(compgen -W "A AAAA CNAME MX NS SOA TXT SRV CAA PTR LOC ANY" -- "$cur"))
    fi
}
complete -F _lexicon lexicon
