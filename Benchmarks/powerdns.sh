#!/usr/bin/env bash
# Benchmark: `create`, `list` and `delete` against one local PowerDNS (started here on loopback), this project side
# by side with dns-lexicon 3.25.1's powerdns provider (PyPI, throwaway virtualenv) and with bare curl making the
# same HTTP requests this project makes (one curl process, one connection). Prints medians, peak RSS and ratios.
# Not a timed test: it reports, it does not fail on numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/Benchmarks/.work/powerdns"
rm -rf "$work" && mkdir -p "$work"
runs=${RUNS:-20}
records=${RECORDS:-200}
. "$root/Benchmarks/common.sh"

require_tools "hyperfine time curl pdns-server pdns-backend-sqlite3 sqlite3" hyperfine /usr/bin/time curl pdns_server sqlite3
theirs=$(dns_lexicon "$root/Benchmarks/.work/venv-powerdns" "dns-lexicon==3.25.1")

start_pdns "$work"
python3 - "$records" > "$work/zone.json" <<'PY'
import json, sys
n = int(sys.argv[1])
rrsets = [{"name": "ns1.example.com.", "type": "A", "ttl": 300, "changetype": "REPLACE",
           "records": [{"content": "127.0.0.1", "disabled": False}]}]
for i in range(n):
    rrsets.append({"name": f"host{i:04d}.example.com.", "type": "A" if i % 2 else "TXT", "ttl": 300,
                   "changetype": "REPLACE",
                   "records": [{"content": f"192.0.2.{i % 250}" if i % 2 else f"\"value {i}\"", "disabled": False}]})
print(json.dumps({"name": "example.com.", "kind": "Master", "nameservers": ["ns1.example.com."], "rrsets": rrsets}))
PY
curl -sf -H "X-API-Key: $key" -H "Content-Type: application/json" -d @"$work/zone.json" \
    "$api/api/v1/servers/localhost/zones" >/dev/null
zone_url="$api/api/v1/servers/localhost/zones/example.com."

export LEXICON_POWERDNS_AUTH_TOKEN="$key"
common="--pdns-server $api"
ours_create="$ours powerdns create example.com TXT --name bench --content ours-value $common"
ours_list="$ours powerdns list example.com TXT $common"
ours_delete="$ours powerdns delete example.com TXT --name bench --content ours-value $common"
theirs_create="$theirs powerdns create example.com TXT --name bench --content theirs-value --auth-token $key --pdns-server $api"
theirs_list="$theirs powerdns list example.com TXT --auth-token $key --pdns-server $api"
theirs_delete="$theirs powerdns delete example.com TXT --name bench --content theirs-value --auth-token $key --pdns-server $api"

# The requests this project makes, shown by its DEBUG trace, replayed by one curl process (one connection).
echo "requests made by lexicon-swift:" >&2
$ours_create --log-level DEBUG 2>&1 >/dev/null | grep '^.*HTTP ' | sed 's/^/  create: /' >&2 || true
$ours_delete --log-level DEBUG 2>&1 >/dev/null | grep '^.*HTTP ' | sed 's/^/  delete: /' >&2 || true
hdr=(-s -o /dev/null -H "X-API-Key:$key")
patch_add='{"rrsets": [{"name": "bench.example.com.", "type": "TXT", "ttl": 3600, "changetype": "REPLACE", "records": [{"content": "\"curl-value\"", "disabled": false}]}]}'
patch_del='{"rrsets": [{"name": "bench.example.com.", "type": "TXT", "ttl": 3600, "changetype": "DELETE", "records": []}]}'
printf '%s' "$patch_add" > "$work/add.json"
printf '%s' "$patch_del" > "$work/del.json"
readback="$zone_url?rrset_name=bench.example.com.&rrset_type=TXT"
curl_create="curl ${hdr[*]} $zone_url --next ${hdr[*]} -X PATCH -H Content-Type:application/json --data-binary @$work/add.json $zone_url --next ${hdr[*]} -X PUT $zone_url/notify --next ${hdr[*]} $readback"
curl_list="curl ${hdr[*]} $zone_url"
curl_delete="curl ${hdr[*]} $zone_url --next ${hdr[*]} -X PATCH -H Content-Type:application/json --data-binary @$work/del.json $zone_url --next ${hdr[*]} -X PUT $zone_url/notify --next ${hdr[*]} $readback"


declare -A ms rss
for tool in ours theirs curl; do
    create_var="${tool}_create"; list_var="${tool}_list"; delete_var="${tool}_delete"
    # create and delete alternate so each create adds and each delete removes.
    hyperfine -N --warmup 1 --runs "$runs" --prepare "${!delete_var}" --export-json "$work/$tool-create.json" \
        "${!create_var}" >/dev/null 2>&1
    hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/$tool-list.json" "${!list_var}" >/dev/null 2>&1
    hyperfine -N --warmup 1 --runs "$runs" --prepare "${!create_var}" --export-json "$work/$tool-delete.json" \
        "${!delete_var}" >/dev/null 2>&1
    for op in create list delete; do ms[$tool-$op]=$(median_ms "$work/$tool-$op.json"); done
    # shellcheck disable=SC2086
    rss[$tool-list]=$(rss_mib ${!list_var})
    # shellcheck disable=SC2086
    rss[$tool-create]=$(rss_mib ${!create_var})
    eval "${!delete_var}" >/dev/null 2>&1 || true
done

# Correctness once: our create adds one value beside the others and lists it.
$ours powerdns create example.com TXT --name check --content one $common >/dev/null
$ours powerdns create example.com TXT --name check --content two $common >/dev/null
values=$($ours powerdns list example.com TXT --name check $common --output JSON | python3 -c 'import json,sys; print(sorted(r["content"] for r in json.load(sys.stdin)))')
echo "check: two creates on one name give $values" >&2

ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.1f}')"; }
ratio2() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
{
    echo "| operation | lexicon-swift ms | dns-lexicon 3.25.1 ms | bare curl ms | vs dns-lexicon | vs curl |"
    echo "|---|---|---|---|---|---|"
    for op in create list delete; do
        echo "| $op | ${ms[ours-$op]} | ${ms[theirs-$op]} | ${ms[curl-$op]} | $(ratio "${ms[theirs-$op]}" "${ms[ours-$op]}")x faster | $(ratio2 "${ms[ours-$op]}" "${ms[curl-$op]}")x curl |"
    done
    echo
    echo "| peak RSS MiB | lexicon-swift | dns-lexicon 3.25.1 | bare curl | ours / dns-lexicon |"
    echo "|---|---|---|---|---|"
    for op in list create; do
        echo "| $op | ${rss[ours-$op]} | ${rss[theirs-$op]} | ${rss[curl-$op]} | $(ratio2 "${rss[ours-$op]}" "${rss[theirs-$op]}") |"
    done
    echo
    echo "zone: $records records; runs: $runs; $(nproc) cores. Targets: >= 20x faster than dns-lexicon, <= 1.5x bare curl, < 0.5x its memory."
} | tee "$work/../powerdns-results.md"
