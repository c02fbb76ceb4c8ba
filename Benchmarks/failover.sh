#!/usr/bin/env bash
# Benchmark: one failover round against a local PowerDNS and three web servers on 127.0.0.2-4 (all started here),
# this project's `lexicon failover once` side by side with the same round scripted around dns-lexicon 3.25.1 (curl
# for the three health checks, dns-lexicon to read the set and remove the value) and with bare curl making the same
# HTTP requests this project makes. Two rounds: a steady one (three checks, one read of the set) and one that
# removes a dead address (three checks, a read, a re-check, the delete and the read back). Then the idle memory and
# CPU of `lexicon failover run`. Not a timed test: it reports, it does not fail on numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/Benchmarks/.work/failover"
rm -rf "$work" && mkdir -p "$work"
runs=${RUNS:-20}
. "$root/Benchmarks/common.sh"

require_tools "hyperfine time curl pdns-server pdns-backend-sqlite3 sqlite3" hyperfine /usr/bin/time curl pdns_server sqlite3
theirs=$(dns_lexicon "$root/Benchmarks/.work/venv-powerdns" "dns-lexicon==3.25.1")
start_pdns "$work"

# Three backends answering /health; 127.0.0.4 is the one that dies.
port=$(free_port)
mkdir -p "$work/www"
echo OK > "$work/www/health"
backends=()
for host in 127.0.0.2 127.0.0.3 127.0.0.4; do
    python3 -m http.server "$port" --bind "$host" --directory "$work/www" > "$work/http-$host.log" 2>&1 &
    backends+=($!)
done
trap 'kill -9 $pdns "${backends[@]}" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.4:$port/health" >/dev/null && break; sleep 0.1; done

zone_url="$api/api/v1/servers/localhost/zones/example.com."
curl -sf -H "X-API-Key: $key" -H "Content-Type: application/json" "$api/api/v1/servers/localhost/zones" -d '{
  "name": "example.com.", "kind": "Native", "nameservers": ["ns1.example.com."],
  "rrsets": [{"name": "www.example.com.", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [
    {"content": "127.0.0.2", "disabled": false}, {"content": "127.0.0.3", "disabled": false},
    {"content": "127.0.0.4", "disabled": false}]}]}' >/dev/null
readd='{"rrsets": [{"name": "www.example.com.", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "127.0.0.2", "disabled": false}, {"content": "127.0.0.3", "disabled": false}, {"content": "127.0.0.4", "disabled": false}]}]}'
printf '%s' "$readd" > "$work/readd.json"
restore="curl -sf -o /dev/null -H X-API-Key:$key -X PATCH -H Content-Type:application/json --data-binary @$work/readd.json $zone_url"

cat > "$work/failover.yml" <<YAML
interval: 10
resync: 0
pools:
  - provider: powerdns
    domain: example.com
    name: www
    type: A
    ttl: 60
    addresses: [127.0.0.2, 127.0.0.3, 127.0.0.4]
    check: {kind: http, port: $port, path: /health, timeout: 2}
    options: {pdns_server: "$api", pdns_disable_notify: "true"}
YAML
export LEXICON_POWERDNS_AUTH_TOKEN="$key"
state="$work/state.json"
ours_round="$ours failover once --config $work/failover.yml --state-file $state"
# A state in which 127.0.0.4 has gone down (three failed checks) and is still published: the next round removes it.
$ours_round 2>/dev/null
python3 - "$state" "$work/down.json" <<'PY'
import json, sys
state = json.load(open(sys.argv[1]))
for pool in state["pools"].values():
    pool["health"]["127.0.0.4"].update(state="down", successes=0, failures=3, reason="3 checks failed in a row: bench")
json.dump(state, open(sys.argv[2], "w"))
PY
cp "$state" "$work/steady.json"
# The HTTP requests of each round, replayed by one curl process: checks on fresh connections as ours are, the
# API requests on one connection.
h=(-sf -o /dev/null)
checks="http://127.0.0.2:$port/health --next ${h[*]} http://127.0.0.3:$port/health --next ${h[*]} http://127.0.0.4:$port/health"
list="$theirs powerdns list example.com A --name www --auth-token $key --pdns-server $api"
theirs_steady="sh -c 'curl ${h[*]} $checks; $list >/dev/null'"
theirs_remove="sh -c 'curl ${h[*]} $checks; $list >/dev/null; curl ${h[*]} http://127.0.0.4:$port/health; $theirs powerdns delete example.com A --name www --content 127.0.0.4 --auth-token $key --pdns-server $api >/dev/null; $list >/dev/null'"
del='{"rrsets": [{"name": "www.example.com.", "type": "A", "ttl": 60, "changetype": "REPLACE", "records": [{"content": "127.0.0.2", "disabled": false}, {"content": "127.0.0.3", "disabled": false}]}]}'
printf '%s' "$del" > "$work/del.json"
api_h=(-sf -o /dev/null -H "X-API-Key:$key")
curl_steady="curl ${h[*]} $checks --next ${api_h[*]} $zone_url"
curl_remove="curl ${h[*]} $checks --next ${api_h[*]} $zone_url --next ${h[*]} http://127.0.0.4:$port/health --next ${api_h[*]} $zone_url --next ${api_h[*]} -X PATCH -H Content-Type:application/json --data-binary @$work/del.json $zone_url --next ${api_h[*]} $zone_url"

declare -A ms rss
hyperfine -N --warmup 1 --runs "$runs" --prepare "cp $work/steady.json $state" --export-json "$work/ours-steady.json" \
    "$ours_round" >/dev/null 2>&1
hyperfine --shell=none --warmup 1 --runs "$runs" --export-json "$work/theirs-steady.json" \
    "$theirs_steady" >/dev/null 2>&1
hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/curl-steady.json" "$curl_steady" >/dev/null 2>&1
# 127.0.0.4 dies: its checks are refused from now on.
kill "${backends[2]}"
wait "${backends[2]}" 2>/dev/null || true
echo "requests made by lexicon-swift's removal round:" >&2
cp "$work/down.json" "$state"
$ours_round --log-level DEBUG 2>&1 >/dev/null | grep 'HTTP ' | sed 's/^/  /' >&2 || true
eval "$restore"
hyperfine -N --warmup 1 --runs "$runs" --prepare "sh -c 'cp $work/down.json $state; $restore'" \
    --export-json "$work/ours-remove.json" "$ours_round" >/dev/null 2>&1
hyperfine --shell=none -i --warmup 1 --runs "$runs" --prepare "$restore" --export-json "$work/theirs-remove.json" \
    "$theirs_remove" >/dev/null 2>&1
hyperfine -N -i --warmup 1 --runs "$runs" --prepare "$restore" --export-json "$work/curl-remove.json" "$curl_remove" \
    >/dev/null 2>&1
for tool in ours theirs curl; do
    for round in steady remove; do ms[$tool-$round]=$(median_ms "$work/$tool-$round.json"); done
done
cp "$work/steady.json" "$state"
# shellcheck disable=SC2086
rss[ours]=$(rss_mib $ours_round)
rss[theirs]=$(rss_mib $list)
eval "$restore"

# Correctness once: the removal round takes 127.0.0.4 out and leaves the others.
cp "$work/down.json" "$state"
$ours_round 2>/dev/null
served=$(dig +short -p "$dns_port" @127.0.0.1 www.example.com A | sort | tr '\n' ' ')
echo "check: after the removal round PowerDNS serves: $served" >&2
eval "$restore"

# The monitor idle: three checks every 10 s (127.0.0.4 up again); memory and CPU after six rounds.
python3 -m http.server "$port" --bind 127.0.0.4 --directory "$work/www" > "$work/http-127.0.0.4.log" 2>&1 &
backends[2]=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.4:$port/health" >/dev/null && break; sleep 0.1; done
cp "$work/steady.json" "$state"
$ours failover run --config "$work/failover.yml" --state-file "$state" >/dev/null 2>&1 &
monitor=$!
sleep 2
cpu_start=$(awk '{print $14 + $15}' "/proc/$monitor/stat")
sleep 60
cpu_end=$(awk '{print $14 + $15}' "/proc/$monitor/stat")
idle_rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$monitor/status")
peak_rss=$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$monitor/status")
threads=$(awk '/Threads/ {print $2}' "/proc/$monitor/status")
kill -TERM $monitor
wait $monitor || true
ticks=$(getconf CLK_TCK)
cpu_ms=$(python3 -c "print(f'{($cpu_end - $cpu_start) * 1000 / $ticks / 6:.1f}')")

ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.1f}')"; }
ratio2() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
{
    echo "| round | lexicon-swift ms | curl + dns-lexicon 3.25.1 ms | bare curl ms | vs dns-lexicon | vs curl |"
    echo "|---|---|---|---|---|---|"
    for round in steady remove; do
        echo "| $round | ${ms[ours-$round]} | ${ms[theirs-$round]} | ${ms[curl-$round]} | $(ratio "${ms[theirs-$round]}" "${ms[ours-$round]}")x faster | $(ratio2 "${ms[ours-$round]}" "${ms[curl-$round]}")x curl |"
    done
    echo
    echo "peak RSS of one round: lexicon-swift ${rss[ours]} MiB; dns-lexicon's list alone ${rss[theirs]} MiB"
    echo "failover run, idle between rounds (interval 10 s, 3 http checks): RSS $idle_rss MiB (peak $peak_rss MiB), $threads threads, $cpu_ms ms CPU per round"
    echo
    echo "runs: $runs; $(nproc) cores. steady = 3 checks + 1 read of the set; remove = 3 checks + read + re-check + delete + read back."
} | tee "$work/../failover-results.md"
