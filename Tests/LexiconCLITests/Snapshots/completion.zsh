#compdef lexicon
# zsh completion for lexicon; load with: source <(lexicon completion zsh)
_lexicon() {
  local -a words_ flags subs
  local w
  for w in ${words[2,CURRENT-1]}; do [[ $w == -* ]] || words_+=$w; done
  case ${words_[1]} in
    cloudflare) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --auth-username --zone-id --api-endpoint) ;;
    digitalocean) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --api-endpoint) ;;
    dnsimple) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --auth-username --auth-password --auth-2fa --api-endpoint) ;;
    duckdns) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --api-endpoint) ;;
    dyndns2) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-username --auth-password --preset --api-endpoint) ;;
    freedns) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --auth-username --auth-password --api-endpoint) ;;
    gandi) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --api-key-mode --api-endpoint) ;;
    godaddy) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-key --auth-secret --api-endpoint) ;;
    hetzner) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --api-endpoint) ;;
    linode4) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --api-endpoint) ;;
    localzone) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --filename) ;;
    namecheap) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --auth-username --auth-client-ip --auth-sandbox --api-endpoint) ;;
    ovh) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-entrypoint --auth-application-key --auth-application-secret --auth-consumer-key --api-endpoint) ;;
    powerdns) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --pdns-server --pdns-server-id --pdns-disable-notify) ;;
    rfc2136) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-token --auth-key-file --ddns-server --ddns-timeout) ;;
    route53) flags=(--name --content --ttl --priority --identifier --wait --wait-timeout --wait-interval --ip --detect --quorum --allow-nonpublic --state-dir --dry-run --auth-access-key --auth-access-secret --auth-session-token --private-zone --zone-id --api-endpoint) ;;
    dyndns) flags=(--config --once --log-json) subs=(run check status presets) ;;
    failover) flags=(--config --state-file --dry-run --json --log-json) subs=(run once status) ;;
    hook) flags=() subs=(certbot dehydrated lego) ;;
    wait-propagation) flags=(--timeout --interval --absent) subs=() ;;
  esac
  if [[ ${words[CURRENT]} == -* ]]; then
    compadd -- --config-dir --delegated --help --http-timeout --log-level --nameserver --no-follow-cname --output --resolve-zone-name --resolver --version $flags
  elif (( ${#words_} == 0 )); then
    compadd -- cloudflare digitalocean dnsimple duckdns dyndns2 freedns gandi godaddy hetzner linode4 localzone namecheap ovh powerdns rfc2136 route53 providers completion dyndns failover hook wait-propagation
  elif (( ${#subs} )); then
    (( ${#words_} == 1 )) && compadd -- $subs
  elif (( ${#words_} == 1 )); then
    compadd -- create list update delete
  elif (( ${#words_} == 3 )); then
    compadd -- A AAAA CNAME MX NS SOA TXT SRV CAA PTR LOC ANY
  fi
}
compdef _lexicon lexicon
