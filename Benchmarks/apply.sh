#!/usr/bin/env bash
# Benchmark: 1,000 records into an empty zone of a local PowerDNS (started here on loopback), by one `apply` of a
# zone file against a shell loop of this project's `create`, one process per record (and, unless DNS_LEXICON=0, a
# loop of dns-lexicon 3.25.1's `create` over THEIRS records, default 100, scaled to RECORDS). Prints wall time, HTTP
# requests sent (from each tool's DEBUG trace) and peak RSS. Not a timed test: it reports, it does not fail on numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/Benchmarks/.work/apply"
rm -rf "$work" && mkdir -p "$work"
records=${RECORDS:-1000}
theirs_records=${THEIRS:-100}
. "$root/Benchmarks/common.sh"

require_tools "time curl pdns-server pdns-backend-sqlite3 sqlite3" /usr/bin/time curl pdns_server sqlite3
start_pdns "$work"
zone_url="$api/api/v1/servers/localhost/zones/example.com."
export LEXICON_POWERDNS_AUTH_TOKEN="$key"

# empty_zone: (re)creates example.com with only its SOA, NS and the NS's address.
empty_zone() {
    curl -s -o /dev/null -X DELETE -H "X-API-Key: $key" "$zone_url"
    curl -sf -o /dev/null -H "X-API-Key: $key" -H "Content-Type: application/json" \
        -d '{"name": "example.com.", "kind": "Master", "nameservers": ["ns1.example.com."], "rrsets": [{"name": "ns1.example.com.", "type": "A", "ttl": 300, "changetype": "REPLACE", "records": [{"content": "127.0.0.1", "disabled": false}]}]}' \
        "$api/api/v1/servers/localhost/zones"
}

# count_records: the records PowerDNS holds for the zone.
count_records() {
    curl -sf -H "X-API-Key: $key" "$zone_url" |
        python3 -c 'import json,sys; print(sum(len(s["records"]) for s in json.load(sys.stdin)["rrsets"]))'
}

# The desired zone: `records` records, A and TXT alternating, one per name; the same list drives the loops.
python3 - "$records" "$work" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(f"{work}/zone.db", "w") as zone, open(f"{work}/records.txt", "w") as rows:
    zone.write("$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\n")
    zone.write("@ IN NS ns1\nns1 300 IN A 127.0.0.1\n")
    for i in range(n):
        if i % 2:
            zone.write(f"host{i:04d} 300 IN A 192.0.2.{i % 250}\n")
            rows.write(f"A host{i:04d} 192.0.2.{i % 250}\n")
        else:
            zone.write(f'host{i:04d} 300 IN TXT "value {i}"\n')
            rows.write(f"TXT host{i:04d} value_{i}\n")
PY

now() { date +%s.%N; }
seconds() { python3 -c "print(f'{float(\"$2\") - float(\"$1\"):.2f}')"; }

# 1. apply: one process, one zone file.
empty_zone
start=$(now)
/usr/bin/time -f %M -o "$work/apply.rss" "$ours" powerdns apply example.com --file "$work/zone.db" \
    --pdns-server "$api" --log-level DEBUG > "$work/apply.out" 2> "$work/apply.log"
end=$(now)
apply_s=$(seconds "$start" "$end")
apply_requests=$(grep -c 'HTTP [A-Z]* http' "$work/apply.log" || true)
apply_rss=$(awk '{printf "%.1f", $1/1024}' "$work/apply.rss")
apply_count=$(count_records)
start=$(now)
"$ours" powerdns apply example.com --file "$work/zone.db" --pdns-server "$api" > "$work/again.out"
again_s=$(seconds "$start" "$(now)")

# 2. a shell loop of this project's create, one process per record.
empty_zone
: > "$work/loop.log"
: > "$work/loop.rss"
start=$(now)
while read -r type name content; do
    /usr/bin/time -f %M -a -o "$work/loop.rss" "$ours" powerdns create example.com "$type" --name "$name" \
        --content "${content//_/ }" --ttl 300 --pdns-server "$api" --log-level DEBUG >/dev/null 2>> "$work/loop.log" \
        || echo "failed: $name" >> "$work/loop.failed"
done < "$work/records.txt"
loop_s=$(seconds "$start" "$(now)")
loop_requests=$(grep -c 'HTTP [A-Z]* http' "$work/loop.log" || true)
loop_rss=$(sort -n "$work/loop.rss" | tail -1 | awk '{printf "%.1f", $1/1024}')
loop_count=$(count_records)

# 3. dns-lexicon 3.25.1's create over the first `theirs_records` records, scaled to `records`.
theirs_line=""
if [ "${DNS_LEXICON:-1}" != 0 ]; then
    theirs=$(dns_lexicon "$root/Benchmarks/.work/venv-powerdns" "dns-lexicon==3.25.1")
    empty_zone
    : > "$work/theirs.log"
    : > "$work/theirs.rss"
    start=$(now)
    head -n "$theirs_records" "$work/records.txt" | while read -r type name content; do
        /usr/bin/time -f %M -a -o "$work/theirs.rss" "$theirs" powerdns create example.com "$type" \
            --name "$name" --content "${content//_/ }" --ttl 300 --auth-token "$key" --pdns-server "$api" \
            --log_level DEBUG >> "$work/theirs.log" 2>&1 || echo "failed: $name" >> "$work/theirs.failed"
    done
    theirs_s=$(seconds "$start" "$(now)")
    theirs_requests=$(grep -c 'HTTP/1.1"' "$work/theirs.log" || true)
    theirs_count=$(count_records)
    theirs_rss=$(sort -n "$work/theirs.rss" | tail -1 | awk '{printf "%.1f", $1/1024}')
    scale() { python3 -c "print(f'{float(\"$1\") * $records / $theirs_records:.0f}')"; }
    theirs_line="| loop of dns-lexicon 3.25.1 create ($theirs_records records, scaled to $records) | $(scale "$theirs_s") | $(scale "$theirs_requests") | $theirs_rss |"
fi

{
    echo "| $records records into an empty PowerDNS zone | wall s | HTTP requests | peak RSS MiB (largest process) |"
    echo "|---|---|---|---|"
    echo "| lexicon-swift apply (one process) | $apply_s | $apply_requests | $apply_rss |"
    echo "| loop of lexicon-swift create | $loop_s | $loop_requests | $loop_rss |"
    [ -n "$theirs_line" ] && echo "$theirs_line"
    echo
    echo "records in the zone afterwards: apply $apply_count, create loop $loop_count${theirs_count:+, dns-lexicon loop $theirs_count} (each with SOA, NS, ns1 A);"
    echo "second apply of the same file (plans nothing): $again_s s, output: $(tail -1 "$work/again.out")"
    echo "$(nproc) cores; PowerDNS gsqlite3 on loopback."
} | tee "$work/../apply-results.md"
