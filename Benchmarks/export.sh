#!/usr/bin/env bash
# Benchmark (issue 16 §4): export of a RECORDS-record zone (default 20,000) from a local PowerDNS (started here on
# loopback, AXFR allowed to loopback), `lexicon powerdns export example.com --format bind` against `dig AXFR` of the
# same zone from the same server. Prints the median wall time (hyperfine, RUNS runs, default 10), the median peak RSS
# of five runs, and checks once that both outputs hold every record. Not a timed test: it reports numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/Benchmarks/.work/export"
rm -rf "$work" && mkdir -p "$work"
records=${RECORDS:-20000}
runs=${RUNS:-10}
. "$root/Benchmarks/common.sh"

require_tools "time curl dnsutils hyperfine pdns-server pdns-backend-sqlite3 sqlite3" \
    /usr/bin/time curl dig hyperfine pdns_server pdnsutil sqlite3
start_pdns "$work" disable-axfr=no allow-axfr-ips=127.0.0.0/8
export LEXICON_POWERDNS_AUTH_TOKEN="$key"

# The zone: `records` records of A, AAAA, TXT, MX and CNAME (one per name), loaded with pdnsutil.
python3 - "$records" "$work/zone.db" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as zone:
    zone.write("$ORIGIN example.com.\n$TTL 3600\n")
    zone.write("@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300\n")
    zone.write("@ IN NS ns1\nns1 300 IN A 127.0.0.1\n")
    for i in range(n):
        kind = i % 5
        if kind == 0:
            zone.write(f"h{i:05d} 300 IN A 192.0.2.{i % 250}\n")
        elif kind == 1:
            zone.write(f"h{i:05d} 300 IN AAAA 2001:db8::{i:x}\n")
        elif kind == 2:
            zone.write(f'h{i:05d} 300 IN TXT "value {i}"\n')
        elif kind == 3:
            zone.write(f"h{i:05d} 300 IN MX 10 mail{i}.example.net.\n")
        else:
            zone.write(f"h{i:05d} 300 IN CNAME h{i - 4:05d}\n")
PY
pdnsutil --config-dir="$work" load-zone example.com "$work/zone.db" >/dev/null 2>&1

ours_cmd="$ours powerdns export example.com --format bind --pdns-server $api"
dig_cmd="dig @127.0.0.1 -p $dns_port example.com AXFR"
# The same API request alone, as bare curl makes it (PowerDNS's share of the export).
curl_cmd="curl -s -o /dev/null -H X-API-Key:$key $api/api/v1/servers/localhost/zones/example.com."

# Once: both outputs must hold every record (the zone's own plus SOA, NS and ns1 A; AXFR repeats the SOA at its end).
$ours_cmd > "$work/ours.zone"
$dig_cmd > "$work/axfr.zone"
ours_count=$(grep -c -E '^[^;$ ]+[[:space:]]' "$work/ours.zone" || true)
axfr_count=$(grep -c -E '^[^;]+[[:space:]]IN[[:space:]]' "$work/axfr.zone" || true)

hyperfine -N -w 1 -r "$runs" --export-json "$work/ours.json" "$ours_cmd" >&2
hyperfine -N -w 1 -r "$runs" --export-json "$work/dig.json" "$dig_cmd" >&2
hyperfine -N -w 1 -r "$runs" --export-json "$work/curl.json" "$curl_cmd" >&2
curl_ms=$(median_ms "$work/curl.json")
ours_ms=$(median_ms "$work/ours.json")
dig_ms=$(median_ms "$work/dig.json")
# shellcheck disable=SC2086
ours_rss=$(rss_mib $ours_cmd)
# shellcheck disable=SC2086
dig_rss=$(rss_mib $dig_cmd)

{
    echo "| export of a $records-record PowerDNS zone | median wall ms | peak RSS MiB | lines with a record |"
    echo "|---|---|---|---|"
    echo "| lexicon-swift powerdns export --format bind (HTTP API) | $ours_ms | $ours_rss | $ours_count |"
    echo "| dig AXFR (DNS over TCP) | $dig_ms | $dig_rss | $axfr_count |"
    echo "| curl GET of the zone (the export's one API request, body discarded) | $curl_ms | | |"
    echo
    echo "ratio (lexicon / dig): $(python3 -c "print(f'{$ours_ms / $dig_ms:.2f}')")×; $runs runs each (hyperfine -N," \
        "one warm-up), RSS the median of five; the AXFR repeats the SOA at its end. $(nproc) cores;" \
        "PowerDNS gsqlite3 on loopback."
} | tee "$work/../export-results.md"
