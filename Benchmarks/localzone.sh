#!/usr/bin/env bash
# Benchmark: `lexicon localzone list` and `create` on a 2,000-record zone file, this project side by side with
# dns-lexicon 3.25.1 (from PyPI, in a throwaway virtualenv). Prints median wall time, peak RSS and the ratios.
# Not a timed test: it reports, it does not fail on numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work="$root/Benchmarks/.work"
mkdir -p "$work"
runs=${RUNS:-15}
. "$root/Benchmarks/common.sh"

for tool in hyperfine /usr/bin/time; do
    if ! command -v "$tool" >/dev/null; then
        apt-get install -y -qq hyperfine time >/dev/null 2>&1 || { echo "install hyperfine and time" >&2; exit 1; }
    fi
done

theirs=$(dns_lexicon "$work/venv" "dns-lexicon[localzone]==3.25.1")

zone="$work/zone.db"
python3 - "$zone" <<'PY'
import sys
lines = ["; benchmark zone, 2,000 records", "$ORIGIN example.com.", "$TTL 3600",
         "@ IN SOA ns1.example.com. hostmaster.example.com. 2026010100 7200 3600 1209600 300",
         "  IN NS ns1.example.com.", "  IN NS ns2.example.com."]
for i in range(2000):
    kind = i % 5
    host = f"host{i:04d}"
    if kind == 0:
        lines.append(f"{host} IN A 192.0.{i // 250}.{i % 250}")
    elif kind == 1:
        lines.append(f"{host} IN AAAA 2001:db8::{i:x}")
    elif kind == 2:
        lines.append(f"{host} IN CNAME host{i - 1:04d}")
    elif kind == 3:
        lines.append(f"{host} IN MX {10 + i % 50} mail{i % 7}.example.com.")
    else:
        lines.append(f'{host} IN TXT "value {i} with spaces"')
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
cp "$zone" "$work/ours-list.db"
cp "$zone" "$work/theirs-list.db"

declare -A ms rss
for tool in ours theirs; do
    bin=$([ $tool = ours ] && echo "$ours" || echo "$theirs")
    list="$bin localzone list example.com A --filename $work/$tool-list.db"
    create="$bin localzone create example.com TXT --name bench-\$RANDOM\$RANDOM --content value --filename $work/$tool-create.db"
    hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/$tool-list.json" "$list" >/dev/null 2>&1 \
        || hyperfine --warmup 2 --runs "$runs" --export-json "$work/$tool-list.json" "$list" >/dev/null
    hyperfine --warmup 2 --runs "$runs" --prepare "cp $zone $work/$tool-create.db" \
        --export-json "$work/$tool-create.json" "$create" >/dev/null
    ms[$tool-list]=$(median_ms "$work/$tool-list.json")
    ms[$tool-create]=$(median_ms "$work/$tool-create.json")
    rss[$tool-list]=$(rss_mib $bin localzone list example.com A --filename "$work/$tool-list.db")
    cp "$zone" "$work/$tool-create.db"
    rss[$tool-create]=$(rss_mib $bin localzone create example.com TXT --name rss --content value --filename "$work/$tool-create.db")
done

# Correctness once per tool: 2,000 records plus the new one; ours keeps the directives and comment.
for tool in ours theirs; do
    bin=$([ $tool = ours ] && echo "$ours" || echo "$theirs")
    cp "$zone" "$work/$tool-check.db"
    $bin localzone create example.com TXT --name checked --content ok --filename "$work/$tool-check.db" >/dev/null 2>&1 || true
    count=$(grep -c 'host[0-9]' "$work/$tool-check.db" || true)
    new=$(grep -c 'checked' "$work/$tool-check.db" || true)
    kept=$(grep -c -e '^\$ORIGIN' -e '^\$TTL' -e '^; benchmark' "$work/$tool-check.db" || true)
    echo "check $tool: $count original records, $new new, $kept of 3 directives/comments kept" >&2
done

ratio() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.1f}')"; }
ratio2() { python3 -c "print(f'{float(\"$1\")/float(\"$2\"):.2f}')"; }
{
    echo "| operation | tool | median ms | peak RSS MiB |"
    echo "|---|---|---|---|"
    for op in list create; do
        echo "| $op | lexicon-swift | ${ms[ours-$op]} | ${rss[ours-$op]} |"
        echo "| $op | dns-lexicon 3.25.1 | ${ms[theirs-$op]} | ${rss[theirs-$op]} |"
    done
    echo
    for op in list create; do
        echo "$op: $(ratio "${ms[theirs-$op]}" "${ms[ours-$op]}")x faster, $(ratio2 "${rss[ours-$op]}" "${rss[theirs-$op]}")x the memory"
    done
    echo "targets: at least 20x faster, at most 0.5x the memory (runs: $runs; $(nproc) cores)"
} | tee "$work/localzone-results.md"
