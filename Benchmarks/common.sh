# Shared by the benchmark scripts, which source it after setting `root` (the checkout) and `work` (their scratch
# folder). Defines `ours` (this project's release binary, built when missing; LEXICON_BIN overrides) and helpers.

ours=${LEXICON_BIN:-$root/.build/release/lexicon}
if [ ! -x "$ours" ]; then
    (cd "$root" && swift build -c release --product lexicon --static-swift-stdlib >&2) ||
        { echo "cannot build $ours" >&2; exit 1; }
fi

# dns_lexicon VENV PIP_SPEC: prints the path of dns-lexicon 3.25.1's `lexicon` in the virtualenv VENV, creating it
# and installing PIP_SPEC (e.g. "dns-lexicon[localzone]==3.25.1") from PyPI when it is not there yet.
dns_lexicon() {
    local venv=$1 spec=$2
    if ! "$venv/bin/pip" show dns-lexicon 2>/dev/null | grep -q '^Version: 3.25.1$'; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q "$spec" >&2
    fi
    echo "$venv/bin/lexicon"
}

# require_tools PACKAGES TOOL...: exits, naming the Debian PACKAGES to install, unless every TOOL is on the PATH (or in
# /usr/sbin).
require_tools() {
    local packages=$1 tool
    shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || {
            echo "missing $tool: apt-get install $packages" >&2
            exit 1
        }
    done
}

# free_port: a free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# median_ms FILE: the median of a hyperfine JSON export, in milliseconds.
median_ms() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"{r['median']*1000:.1f}\")" "$1"; }

# rss_mib COMMAND...: the median peak RSS over 5 runs of COMMAND, in MiB.
rss_mib() {
    local values=()
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f %M -o "$work/rss.txt" "$@" >/dev/null 2>&1 || true
        values+=("$(tail -1 "$work/rss.txt")")
    done
    printf '%s\n' "${values[@]}" | sort -n | sed -n 3p | awk '{printf "%.1f", $1/1024}'
}

# start_pdns DIR [SETTING...]: a PowerDNS of our own on free loopback ports (gsqlite3 in DIR, API, as the tests start
# it; FACTS.md §1), killed when the script exits; each SETTING (`name=value`) is appended to its pdns.conf, where a
# later line wins. Sets `api` (the API's base URL), `key` (its API key), `dns_port` and `pdns`.
start_pdns() {
    local dir=$1 api_port
    shift
    dns_port=$(free_port)
    api_port=$(free_port)
    key="bench-$RANDOM$RANDOM"
    sqlite3 "$dir/pdns.sqlite3" < /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
    cat > "$dir/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$dir/pdns.sqlite3
local-address=127.0.0.1
local-port=$dns_port
socket-dir=$dir
api=yes
api-key=$key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$api_port
webserver-allow-from=127.0.0.0/8
daemon=no
guardian=no
disable-syslog=yes
security-poll-suffix=
primary=yes
loglevel=3
CONF
    [ $# -eq 0 ] || printf '%s\n' "$@" >> "$dir/pdns.conf"
    /usr/sbin/pdns_server --config-dir="$dir" > "$dir/pdns.log" 2>&1 &
    pdns=$!
    trap 'kill -9 $pdns 2>/dev/null || true' EXIT
    api="http://127.0.0.1:$api_port"
    for _ in $(seq 50); do curl -sf -H "X-API-Key: $key" "$api/api/v1/servers/localhost" >/dev/null && break; sleep 0.1; done
}

# API request counting, for a PowerDNS started with `start_pdns DIR loglevel=6 webserver-loglevel=normal`, which logs
# one `[webserver]` line per API request to DIR/pdns.log. `api_mark` sends a request of its own (a 404 to a unique
# path), waits until PowerDNS has logged it and prints its line number; `api_requests FROM TO` counts the requests
# logged between two marks.
api_mark() {
    local mark="/api/v1/bench-mark-$RANDOM$RANDOM" line
    curl -s -o /dev/null -H "X-API-Key: $key" "$api$mark"
    for _ in $(seq 100); do
        line=$(grep -n -F "$mark " "$work/pdns.log" | cut -d: -f1)
        [ -n "$line" ] && { echo "$line"; return; }
        sleep 0.05
    done
    echo "PowerDNS did not log $mark" >&2
    exit 1
}
api_requests() { awk -v from="$1" -v to="$2" 'NR > from && NR < to && /\[webserver\] .* "[A-Z]+ \//' "$work/pdns.log" | wc -l; }
