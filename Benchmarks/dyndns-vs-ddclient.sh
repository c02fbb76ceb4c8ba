#!/usr/bin/env bash
# Side by side with ddclient (Debian package) against the same local dyndns2 server and echo services:
# requests sent over ten cycles with an unchanged address and with one change, and the time of one detection when
# one of three echo services takes two seconds. Reports; does not fail on numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/Benchmarks/.work/ddclient"
rm -rf "$work" && mkdir -p "$work"
. "$root/Benchmarks/common.sh"
command -v ddclient >/dev/null || { echo "apt-get install ddclient" >&2; exit 1; }
port=$(free_port)
# The local server: /nic/update answers good and counts; /ip, /ip2 answer at once, /slow after 2 s.
cat > "$work/server.py" <<PY
import http.server, threading, time, sys
count = 0
address = "93.184.216.34"
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global count, address
        if self.path.startswith("/nic/update"):
            count += 1; body = ("good " + address).encode()
        elif self.path == "/count": body = str(count).encode()
        elif self.path.startswith("/set/"): address = self.path[5:]; body = b"ok"
        else:
            if self.path == "/slow": time.sleep(2)
            body = address.encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
class Quiet(http.server.ThreadingHTTPServer):
    def handle_error(self, *a): pass
Quiet(("127.0.0.1", $port), H).serve_forever()
PY
python3 "$work/server.py" & server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 0.5
base="http://127.0.0.1:$port"
count() { curl -s "$base/count"; }

cat > "$work/ddclient.conf" <<CONF
daemon=0
ssl=no
use=web, web=$base/ip
protocol=dyndns2
server=127.0.0.1:$port
login=user
password=secret
home.dyndns.example
CONF
chmod 600 "$work/ddclient.conf"
cat > "$work/dyndns.yml" <<YML
interval: 300
state_dir: $work/state
jobs:
  - provider: dyndns2
    domain: dyndns.example
    name: home
    type: A
    detect: ["web:$base/ip", "web:$base/ip2", "web:$base/slow"]
    quorum: 2
    options: {api_endpoint: "$base/nic/update", auth_username: user, auth_password: secret}
YML
dd() { ddclient -daemon=0 -foreground -file "$work/ddclient.conf" -cache "$work/ddclient.cache" -quiet >/dev/null 2>&1 || true; }
us() { "$ours" dyndns run --config "$work/dyndns.yml" --once >/dev/null 2>&1 || true; }

before=$(count); for _ in $(seq 10); do dd; done; dd_unchanged=$(( $(count) - before ))
curl -s "$base/set/93.184.216.35" >/dev/null
before=$(count); dd; dd_change=$(( $(count) - before ))
curl -s "$base/set/93.184.216.34" >/dev/null
before=$(count); for _ in $(seq 10); do us; done; us_unchanged=$(( $(count) - before ))
curl -s "$base/set/93.184.216.35" >/dev/null
before=$(count); us; us_change=$(( $(count) - before ))

# Detection time: ddclient with the slow service as its one source, ours with three where one is slow.
sed -i "s|web=$base/ip|web=$base/slow|" "$work/ddclient.conf"
rm -f "$work/ddclient.cache"
start=$(date +%s.%N); dd; dd_slow=$(python3 -c "print(f'{$(date +%s.%N)-$start:.2f}')")
start=$(date +%s.%N); "$ours" dyndns check --config "$work/dyndns.yml" >/dev/null 2>&1; check=$(python3 -c "print(f'{$(date +%s.%N)-$start:.2f}')")
rm -rf "$work/state"; curl -s "$base/set/93.184.216.36" >/dev/null
start=$(date +%s.%N); us; us_detect=$(python3 -c "print(f'{$(date +%s.%N)-$start:.2f}')")
{
    echo "| | ddclient $(dpkg-query -W -f='${Version}' ddclient 2>/dev/null) | lexicon-swift |"
    echo "|---|---|---|"
    echo "| update requests over 10 cycles, address unchanged (the first one publishes) | $dd_unchanged | $us_unchanged |"
    echo "| update requests after one change | $dd_change | $us_change |"
    echo "| one round with a 2 s echo service (ours: 3 sources, quorum 2) | ${dd_slow} s | ${us_detect} s |"
    echo "| dyndns check (asks all 3 sources, waits for each) | | ${check} s |"
} | tee "$work/../ddclient-results.md"
