#!/usr/bin/env bash
# Concurrency trial: N processes at once creating distinct TXT values at one name (what certificates for a domain and
# its wildcard on several hosts do), then N/2 creates racing N/2 deletes of other values, against one local PowerDNS
# (started here on loopback). Run for this project and for dns-lexicon 3.25.1 (PyPI, throwaway virtualenv) with the
# same script; prints how many commands exited 0, how many values are there, and how many that exited 0 are missing.
# Not a timed test: it reports, it does not fail on numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/Benchmarks/.work/concurrency"
rm -rf "$work" && mkdir -p "$work"
writers=${WRITERS:-20}
rounds=${ROUNDS:-3}
. "$root/Benchmarks/common.sh"

require_tools "curl pdns-server pdns-backend-sqlite3 sqlite3" curl pdns_server sqlite3
theirs=$(dns_lexicon "$root/Benchmarks/.work/venv-powerdns" "dns-lexicon==3.25.1")
start_pdns "$work"
export LEXICON_POWERDNS_AUTH_TOKEN="$key" LEXICON_LOCK_DIR="$work/locks"
zones="$api/api/v1/servers/localhost/zones"

# values ZONE: the TXT values at _acme-challenge.ZONE, one a line, without quotes.
values() {
    curl -sf -H "X-API-Key: $key" "$zones/$1.?rrset_name=_acme-challenge.$1.&rrset_type=TXT" |
        python3 -c 'import json,sys; [print(r["content"].strip("\"")) for s in json.load(sys.stdin)["rrsets"] for r in s["records"]]'
}

# race TOOL ZONE ACTION:VALUE...: runs every command at once, one status file per command.
race() {
    local tool=$1 zone=$2 pids=() spec action value
    shift 2
    for spec in "$@"; do
        action=${spec%%:*} value=${spec#*:}
        if [ "$tool" = ours ]; then
            ( rc=0; "$ours" powerdns "$action" "$zone" TXT --name _acme-challenge --content "$value" \
                --pdns-server "$api" --output QUIET >/dev/null 2>>"$work/$tool.err" || rc=$?
              echo $rc > "$work/status.$value" ) &
        else
            ( rc=0; "$theirs" powerdns "$action" "$zone" TXT --name _acme-challenge --content "$value" \
                --auth-token "$key" --pdns-server "$api" --output QUIET >/dev/null 2>>"$work/$tool.err" || rc=$?
              echo $rc > "$work/status.$value" ) &
        fi
        pids+=($!)
    done
    wait "${pids[@]}"
}

printf '%-13s %5s %-28s %-28s\n' tool round "$writers creates: ok/kept/lied" "$((writers / 2))+$((writers / 2)) mixed: ok/right"
for tool in ours theirs; do
    for round in $(seq "$rounds"); do
        zone="r$round-$tool.com"
        curl -sf -H "X-API-Key: $key" -H "Content-Type: application/json" \
            -d "{\"name\": \"$zone.\", \"kind\": \"Native\", \"nameservers\": [\"ns1.$zone.\"]}" "$zones" >/dev/null
        rm -f "$work"/status.*
        creates=()
        for i in $(seq 0 $((writers - 1))); do creates+=("create:v$i"); done
        race "$tool" "$zone" "${creates[@]}"
        ok=$(cat "$work"/status.* | grep -c "^0$" || true)
        present=$(values "$zone")
        kept=$(grep -c '^v' <<< "$present" || true)
        lied=0
        for i in $(seq 0 $((writers - 1))); do
            if [ "$(cat "$work/status.v$i")" = 0 ] && ! grep -qx "v$i" <<< "$present"; then lied=$((lied + 1)); fi
        done
        # Put the set back to exactly v0..v(N-1) before the mixed race, so both tools start from the same set.
        records=$(python3 -c "import json; print(json.dumps([{'content': '\"v%d\"' % i, 'disabled': False} for i in range($writers)]))")
        curl -sf -X PATCH -H "X-API-Key: $key" -H "Content-Type: application/json" \
            -d "{\"rrsets\": [{\"name\": \"_acme-challenge.$zone.\", \"type\": \"TXT\", \"ttl\": 3600, \"changetype\": \"REPLACE\", \"records\": $records}]}" \
            "$zones/$zone." >/dev/null
        rm -f "$work"/status.*
        mixed=()
        for i in $(seq 0 $((writers / 2 - 1))); do mixed+=("create:c$i" "delete:v$i"); done
        race "$tool" "$zone" "${mixed[@]}"
        mixed_ok=$(cat "$work"/status.* | grep -c "^0$" || true)
        expected=$( (for i in $(seq $((writers / 2)) $((writers - 1))); do echo "v$i"; done
            for i in $(seq 0 $((writers / 2 - 1))); do echo "c$i"; done) | sort)
        right=no
        [ "$(values "$zone" | sort)" = "$expected" ] && right=yes
        printf '%-13s %5s %-28s %-28s\n' "$([ "$tool" = ours ] && echo lexicon-swift || echo dns-lexicon)" "$round" \
            "$ok/$kept/$lied" "$mixed_ok/$right"
    done
done
echo "(ok: commands that exited 0; kept: values present afterwards; lied: exited 0 but the value is gone;"
echo " right: the set after the mixed race is exactly the expected one)"
echo "first errors of each tool:"
for tool in ours theirs; do
    [ -s "$work/$tool.err" ] && sort "$work/$tool.err" | uniq -c | sort -rn | head -3 | sed "s/^/  $tool: /"
done
exit 0
