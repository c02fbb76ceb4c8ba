#compdef lexicon
# zsh completion for lexicon; load with: source <(lexicon completion zsh)
_lexicon() {
  local -a words_ flags
  local w
  for w in ${words[2,CURRENT-1]}; do [[ $w == -* ]] || words_+=$w; done
  case ${words_[1]} in
    cloudflare) flags=(--auth-token --auth-username --zone-id --api-endpoint) ;;
    digitalocean) flags=(--auth-token --api-endpoint) ;;
    dnsimple) flags=(--auth-token --auth-username --auth-password --auth-2fa --api-endpoint) ;;
    duckdns) flags=(--auth-token --api-endpoint) ;;
    dyndns2) flags=(--auth-username --auth-password --preset --api-endpoint) ;;
    freedns) flags=(--auth-token --auth-username --auth-password --api-endpoint) ;;
    gandi) flags=(--auth-token --api-key-mode --api-endpoint) ;;
    godaddy) flags=(--auth-key --auth-secret --api-endpoint) ;;
    hetzner) flags=(--auth-token --api-endpoint) ;;
    linode4) flags=(--auth-token --api-endpoint) ;;
    localzone) flags=(--filename) ;;
    namecheap) flags=(--auth-token --auth-username --auth-client-ip --auth-sandbox --api-endpoint) ;;
    ovh) flags=(--auth-entrypoint --auth-application-key --auth-application-secret --auth-consumer-key --api-endpoint) ;;
    powerdns) flags=(--auth-token --pdns-server --pdns-server-id --pdns-disable-notify) ;;
    rfc2136) flags=(--auth-token --auth-key-file --ddns-server --ddns-timeout) ;;
    route53) flags=(--auth-access-key --auth-access-secret --auth-session-token --private-zone --zone-id --api-endpoint) ;;
  esac
  if [[ ${words[CURRENT]} == -* ]]; then
    compadd -- --allow-nonpublic --config-dir --content --delegated --detect --dry-run --help --identifier --ip --log-level --name --nameserver --no-follow-cname --output --priority --quorum --resolve-zone-name --resolver --state-dir --ttl --version --wait --wait-interval --wait-timeout $flags
  elif (( ${#words_} == 0 )); then
    compadd -- cloudflare digitalocean dnsimple duckdns dyndns2 freedns gandi godaddy hetzner linode4 localzone namecheap ovh powerdns rfc2136 route53 providers completion
  elif (( ${#words_} == 1 )); then
    compadd -- create list update delete
  elif (( ${#words_} == 3 )); then
    compadd -- A AAAA CNAME MX NS SOA TXT SRV CAA PTR LOC ANY
  fi
}
compdef _lexicon lexicon
