#!/usr/bin/env bash
# Benchmark (issue 16 §4): against one local PowerDNS (started here on loopback), RECORDS records (default 1,000)
# into an empty zone, then CHANGES of them (default 100) changed, four ways: one `lexicon powerdns apply` of a zone
# file; a shell loop of this project's `create` / `update`, one process per record; a loop of dns-lexicon 3.25.1's
# `create` / `update` over the first THEIRS records / THEIR_CHANGES changes (defaults 100 and 50), scaled; and
# octoDNS (`octodns-sync --doit`, PyPI octodns + octodns-powerdns) from a YamlProvider holding the same records.
# Prints wall time (apply and octoDNS: the median of RUNS runs, default 3; the loops run once), the API requests
# PowerDNS logged and peak RSS. Not a timed test: it reports, it does not fail on
# numbers. DNS_LEXICON=0 or OCTODNS=0 leaves a tool out.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/Benchmarks/.work/apply"
rm -rf "$work" && mkdir -p "$work"
records=${RECORDS:-1000}
changes=${CHANGES:-100}
theirs_records=${THEIRS:-100}
their_changes=${THEIR_CHANGES:-50}
. "$root/Benchmarks/common.sh"

require_tools "time curl pdns-server pdns-backend-sqlite3 sqlite3" /usr/bin/time curl pdns_server sqlite3
start_pdns "$work" loglevel=6 webserver-loglevel=normal
zone_url="$api/api/v1/servers/localhost/zones/example.com."
export LEXICON_POWERDNS_AUTH_TOKEN="$key"

# empty_zone: (re)creates example.com with only its SOA, NS and the NS's address.
empty_zone() {
    curl -s -o /dev/null -X DELETE -H "X-API-Key: $key" "$zone_url"
    curl -sf -o /dev/null -H "X-API-Key: $key" -H "Content-Type: application/json" \
        -d '{"name": "example.com.", "kind": "Master", "nameservers": ["ns1.example.com."], "rrsets": [{"name": "ns1.example.com.", "type": "A", "ttl": 300, "changetype": "REPLACE", "records": [{"content": "127.0.0.1", "disabled": false}]}]}' \
        "$api/api/v1/servers/localhost/zones"
}

# full_zone: the zone with all `records` records (by this project's apply; untimed), for the change runs.
full_zone() {
    empty_zone
    "$ours" powerdns apply example.com --file "$work/zone.db" --pdns-server "$api" >/dev/null
}

# zone_state: "N records, M changed" — what PowerDNS holds for the zone (with SOA, NS and ns1 A) and how many of
# them carry a changed value.
zone_state() {
    curl -sf -H "X-API-Key: $key" "$zone_url" | python3 -c '
import json, sys
records = [r["content"] for s in json.load(sys.stdin)["rrsets"] for r in s["records"]]
changed = sum(c.startswith("198.51.100.") or c.startswith("\"changed ") for c in records)
print(f"{len(records)} records, {changed} changed")'
}

# The desired zone: `records` records, A and TXT alternating, one per name; the first `changes` of them get a new
# value in the changed zone. The same lists drive the loops and octoDNS's YAML.
python3 - "$records" "$changes" "$work" <<'PY'
import sys
n, k, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def value(i, changed):
    if i % 2:
        return "A", f"198.51.100.{i % 250}" if changed else f"192.0.2.{i % 250}"
    return "TXT", f"changed {i}" if changed else f"value {i}"
for suffix, changed_below in (("", 0), ("-changed", k)):
    with open(f"{work}/zone{suffix}.db", "w") as zone, open(f"{work}/example.com{suffix}.yaml", "w") as yaml:
        zone.write("$ORIGIN example.com.\n$TTL 3600\n")
        zone.write("@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\n")
        zone.write("@ IN NS ns1\nns1 300 IN A 127.0.0.1\n")
        yaml.write("---\n")
        for i in range(n):
            rtype, content = value(i, i < changed_below)
            shown = f'"{content}"' if rtype == "TXT" else content
            zone.write(f"host{i:04d} 300 IN {rtype} {shown}\n")
            yaml.write(f"host{i:04d}:\n  type: {rtype}\n  ttl: 300\n  value: {content}\n")
        yaml.write("ns1:\n  type: A\n  ttl: 300\n  value: 127.0.0.1\n")
with open(f"{work}/records.txt", "w") as rows:
    for i in range(n):
        rtype, content = value(i, False)
        rows.write(f"{rtype} host{i:04d} {content.replace(' ', '_')}\n")
with open(f"{work}/changes.txt", "w") as rows:
    for i in range(k):
        (rtype, old), (_, new) = value(i, False), value(i, True)
        rows.write(f"{rtype} host{i:04d} {old.replace(' ', '_')} {new.replace(' ', '_')}\n")
PY

now() { date +%s.%N; }
seconds() { python3 -c "print(f'{float(\"$2\") - float(\"$1\"):.3f}')"; }
mib() { sort -n "$1" | tail -1 | awk '{printf "%.1f", $1/1024}'; }
scale() { python3 -c "print(f'{float(\"$1\") * $2 / $3:.${4:-0}f}')"; }
rows=()
octodns_version="" octodns_powerdns_version=""

# row LABEL PREPARE COMMAND...: runs PREPARE (a command, untimed) and then COMMAND under /usr/bin/time, RUNS times
# (default 3), and appends "| LABEL | median wall s | requests | RSS | state |" (the requests of the last run, the
# largest RSS).
row() {
    local label=$1 prepare=$2 start from to times=() requests
    shift 2
    : > "$work/one.rss"
    for _ in $(seq "${RUNS:-3}"); do
        $prepare
        from=$(api_mark)
        start=$(now)
        /usr/bin/time -f %M -a -o "$work/one.rss" "$@" > "$work/one.out" 2> "$work/one.err" ||
            { echo "failed: $label" >&2; cat "$work/one.err" >&2; }
        times+=("$(seconds "$start" "$(now)")")
        to=$(api_mark)
        requests=$(api_requests "$from" "$to")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}')
    rows+=("| $label | $median | $requests | $(mib "$work/one.rss") | $(zone_state) |")
}

# loop_row LABEL SCALE_TO SAMPLE FILE COMMAND...: runs COMMAND once per line of FILE (its fields are passed as
# arguments after COMMAND), appends a row like `row`'s; with SCALE_TO ≠ SAMPLE, wall time and requests are scaled.
loop_row() {
    local label=$1 to_n=$2 sample=$3 file=$4 start from to s requests
    shift 4
    : > "$work/loop.rss"
    from=$(api_mark)
    start=$(now)
    while read -r -a fields; do
        /usr/bin/time -f %M -a -o "$work/loop.rss" "$@" "${fields[@]}" > /dev/null 2>> "$work/loop.err" ||
            echo "failed: $label ${fields[*]}" >> "$work/loop.failed"
    done < <(head -n "$sample" "$file")
    s=$(seconds "$start" "$(now)")
    to=$(api_mark)
    requests=$(api_requests "$from" "$to")
    if [ "$to_n" != "$sample" ]; then
        label="$label ($sample, scaled to $to_n)"
        s=$(scale "$s" "$to_n" "$sample" 1)
        requests=$(scale "$requests" "$to_n" "$sample")
    fi
    rows+=("| $label | $s | $requests | $(mib "$work/loop.rss") | $(zone_state) |")
}

# The loops' commands: each gets the fields of one line of records.txt (TYPE NAME CONTENT) or changes.txt (TYPE
# NAME OLD NEW); an underscore in a value stands for a space.
ours_create() { "$ours" powerdns create example.com "$1" --name "$2" --content "${3//_/ }" --ttl 300 --pdns-server "$api"; }
ours_update() { "$ours" powerdns update example.com "$1" --name "$2" --content "${4//_/ }" --ttl 300 --pdns-server "$api"; }
theirs_create() {
    "$theirs" powerdns create example.com "$1" --name "$2" --content "${3//_/ }" --ttl 300 --auth-token "$key" \
        --pdns-server "$api"
}
# dns-lexicon's PowerDNS update needs the identifier of the value it replaces (TYPE/FQDN=CONTENT).
theirs_update() {
    "$theirs" powerdns update example.com "$1" --identifier "$1/$2.example.com.=${3//_/ }" --name "$2" \
        --content "${4//_/ }" --ttl 300 --auth-token "$key" --pdns-server "$api"
}
export -f ours_create ours_update theirs_create theirs_update
export ours api key

# 1. this project's apply: one process, one zone file into the empty zone; the changed file into the full zone; the
# changed file again. Each RUNS times, the median reported (so for octoDNS below).
row "lexicon-swift apply: $records into empty zone" empty_zone "$ours" powerdns apply example.com --file "$work/zone.db" \
    --pdns-server "$api"
row "lexicon-swift apply: change $changes" full_zone "$ours" powerdns apply example.com --file "$work/zone-changed.db" \
    --pdns-server "$api"
row "lexicon-swift apply: same file again (plans nothing)" true "$ours" powerdns apply example.com \
    --file "$work/zone-changed.db" --pdns-server "$api"

# 2. a shell loop of this project's create, then of its update, one process per record.
empty_zone
loop_row "loop of lexicon-swift create: $records into empty zone" "$records" "$records" "$work/records.txt" \
    bash -c 'ours_create "$@"' _
loop_row "loop of lexicon-swift update: change $changes" "$changes" "$changes" "$work/changes.txt" \
    bash -c 'ours_update "$@"' _

# 3. dns-lexicon 3.25.1: create over the first THEIRS records into an empty zone, update over the first
# THEIR_CHANGES changes of the full zone, each scaled.
if [ "${DNS_LEXICON:-1}" != 0 ]; then
    theirs=$(dns_lexicon "$root/Benchmarks/.work/venv-powerdns" "dns-lexicon==3.25.1")
    export theirs
    empty_zone
    loop_row "loop of dns-lexicon 3.25.1 create: into empty zone" "$records" "$theirs_records" "$work/records.txt" \
        bash -c 'theirs_create "$@"' _
    full_zone
    loop_row "loop of dns-lexicon 3.25.1 update: change" "$changes" "$their_changes" "$work/changes.txt" \
        bash -c 'theirs_update "$@"' _
fi

# 4. octoDNS syncing the zone from a YamlProvider holding the same records, then the changed records.
if [ "${OCTODNS:-1}" != 0 ]; then
    venv="$root/Benchmarks/.work/venv-octodns"
    [ -x "$venv/bin/octodns-sync" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q octodns octodns-powerdns >&2; }
    octodns_version=$("$venv/bin/pip" show octodns | sed -n 's/^Version: //p')
    octodns_powerdns_version=$("$venv/bin/pip" show octodns-powerdns | sed -n 's/^Version: //p')
    mkdir -p "$work/octodns/zones"
    cat > "$work/octodns/config.yaml" <<YAML
providers:
  config:
    class: octodns.provider.yaml.YamlProvider
    directory: $work/octodns/zones
    enforce_order: false
  powerdns:
    class: octodns_powerdns.PowerDnsProvider
    host: 127.0.0.1
    port: ${api##*:}
    scheme: http
    api_key: env/LEXICON_POWERDNS_AUTH_TOKEN
    # The same work as lexicon's apply, which asks PowerDNS to NOTIFY secondaries after a change (as dns-lexicon).
    notify: true
zones:
  example.com.:
    sources: [config]
    targets: [powerdns]
YAML
    cp "$work/example.com.yaml" "$work/octodns/zones/example.com.yaml"
    row "octoDNS $octodns_version sync: $records into empty zone" empty_zone "$venv/bin/octodns-sync" \
        --config-file "$work/octodns/config.yaml" --doit
    cp "$work/example.com-changed.yaml" "$work/octodns/zones/example.com.yaml"
    row "octoDNS $octodns_version sync: change $changes" full_zone "$venv/bin/octodns-sync" \
        --config-file "$work/octodns/config.yaml" --doit
    row "octoDNS $octodns_version sync: same config again" true "$venv/bin/octodns-sync" \
        --config-file "$work/octodns/config.yaml" --doit
fi

{
    echo "| PowerDNS zone, $records records | wall s | API requests | peak RSS MiB (largest process) | zone afterwards |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Zone counts include SOA, NS and ns1 A. Both lexicon and octoDNS ask for a NOTIFY after a change."\
        "octoDNS: octodns $octodns_version, octodns-powerdns $octodns_powerdns_version. $(nproc) cores; PowerDNS $(/usr/sbin/pdns_server --version 2>&1 |
            sed -n 's/.*PowerDNS Authoritative Server \([^ ]*\).*/\1/p' | head -1) gsqlite3 on loopback."
    [ -s "$work/loop.failed" ] && echo "failed loop commands: $(wc -l < "$work/loop.failed") (see $work/loop.err)"
    true
} | tee "$work/../apply-results.md"
