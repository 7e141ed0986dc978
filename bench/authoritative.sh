#!/usr/bin/env bash
# Side-by-side authoritative benchmark: tierdns (quick form), NSD, Knot DNS and BIND serve the
# same 100,000-record zone on loopback, one after the other, and dnsperf measures each with the
# same settings. Prints a markdown table (QPS, average latency, lost queries, ratio to tierdns)
# and writes it, the raw dnsperf output and every server's log under bench/out/RUN/.
#
# Usage: bench/authoritative.sh [--servers "tierdns nsd knot bind"] [--duration 20] [--warmup 5]
#                               [--clients 8] [--max-qps 200000] [--records 100000] [--jar PATH]
# --jar defaults to node/target/tierdns.jar. (Not an environment variable: tierdns reads TIERDNS_*
# variables as configuration keys and rejects unknown ones.)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVERS="tierdns nsd knot bind"
JAR=""
DURATION=20      # seconds measured per server (dnsperf -l)
WARMUP=5         # seconds of warm-up per server, not measured
CLIENTS=8        # dnsperf -c (simulated clients, i.e. source ports)
MAX_QPS=200000   # dnsperf -Q: a ceiling so the load is bounded even against a fast server
RECORDS=100000
THREADS=2        # server worker threads, = nproc on the reference machine
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) SERVERS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --max-qps) MAX_QPS=$2; shift 2 ;;
    --records) RECORDS=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
JAR=${JAR:-$ROOT/node/target/tierdns.jar}
RUN=$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/zones"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "missing binary: $1" >&2; exit 1; }; }
need dnsperf; need dig; need python3; need named-checkzone

free_port() {
  python3 - <<'PY'
import socket, random
while True:
    p = random.randint(20000, 59999)
    try:
        t = socket.socket(); t.bind(("127.0.0.1", p))
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
        t.close(); u.close(); print(p); break
    except OSError:
        pass
PY
}

wait_soa() { # port log: poll SOA for up to 120 s
  for _ in $(seq 1 240); do
    if dig @127.0.0.1 -p "$1" bench.test. SOA +norec +time=1 +tries=1 +short 2>/dev/null | grep -q hostmaster; then
      return 0
    fi
    sleep 0.5
  done
  echo "server on port $1 did not answer SOA; log:" >&2; tail -50 "$2" >&2; return 1
}

echo "== generating zone ($RECORDS records) and queries"
python3 "$ROOT/bench/gen_zone.py" "$RUN/zones" "$RECORDS" 200000 | tee "$RUN/generator.txt"
named-checkzone -q -i local bench.test. "$RUN/zones/bench.test.zone"
ZONE=$RUN/zones/bench.test.zone

start_tierdns() { # port dir
  [ -f "$JAR" ] || { echo "tierdns jar not found: $JAR" >&2; return 1; }
  cp "$JAR" "$2/tierdns.jar"
  mkdir -p "$2/zones" && cp "$ZONE" "$2/zones/bench.test.zone"
  java -Xms1g -Xmx1g -jar "$2/tierdns.jar" run --authoritative "$2/zones" --listen "127.0.0.1:$1" >"$2/server.log" 2>&1 &
  PIDS+=($!); echo $! >"$2/pid"
}

start_nsd() {
  cat >"$2/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1
    port: $1
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$2"
    database: ""
    pidfile: "$2/nsd.pid"
    xfrdfile: "$2/xfrd.state"
    zonelistfile: "$2/zone.list"
    xfrdir: "$2"
    server-count: $THREADS
    verbosity: 1
    # Debian's NSD has response-rate limiting on by default; the others have none.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: bench.test.
    zonefile: "$ZONE"
CONF
  nsd -d -c "$2/nsd.conf" >"$2/server.log" 2>&1 &
  PIDS+=($!); echo $! >"$2/pid"
}

start_knot() {
  mkdir -p "$2/db"
  cat >"$2/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$1
    rundir: "$2"
    udp-workers: $THREADS
    tcp-workers: $THREADS
    background-workers: 1
database:
    storage: "$2/db"
log:
  - target: stderr
    any: notice
template:
  - id: default
    storage: "$2"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: bench.test.
    file: "$ZONE"
CONF
  knotd -c "$2/knot.conf" >"$2/server.log" 2>&1 &
  PIDS+=($!); echo $! >"$2/pid"
}

start_bind() {
  cat >"$2/named.conf" <<CONF
options {
    directory "$2";
    pid-file "$2/named.pid";
    session-keyfile "$2/session.key";
    listen-on port $1 { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
    allow-transfer { none; };
};
controls { };
zone "bench.test" { type primary; file "$ZONE"; };
CONF
  named -g -n "$THREADS" -c "$2/named.conf" >"$2/server.log" 2>&1 &
  PIDS+=($!); echo $! >"$2/pid"
}

version_of() {
  case "$1" in
    tierdns) echo "tierdns $(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo '?') (java $(java -version 2>&1 | head -1 | cut -d'"' -f2))" ;;
    nsd) nsd -v 2>&1 | head -1 || true ;;
    knot) knotd -V 2>&1 | head -1 || true ;;
    bind) named -v ;;
  esac
}

field() { # file label -> value after the label
  grep -m1 "$2" "$1" | sed -e "s/.*$2:* *//" -e 's/ .*//'
}

declare -A QPS LAT LOST SENT RCODES VERSION
for server in $SERVERS; do
  dir=$RUN/$server; mkdir -p "$dir"
  port=$(free_port)
  echo "== $server on 127.0.0.1:$port"
  VERSION[$server]=$(version_of "$server")
  if ! "start_$server" "$port" "$dir" || ! wait_soa "$port" "$dir/server.log"; then
    QPS[$server]=""; kill "$(cat "$dir/pid" 2>/dev/null)" 2>/dev/null || true; continue
  fi
  dnsperf -s 127.0.0.1 -p "$port" -d "$RUN/zones/queries.txt" -l "$WARMUP" -c "$CLIENTS" -T 1 -Q "$MAX_QPS" -t 2 >"$dir/warmup.txt" 2>&1 || true
  dnsperf -s 127.0.0.1 -p "$port" -d "$RUN/zones/queries.txt" -l "$DURATION" -c "$CLIENTS" -T 1 -Q "$MAX_QPS" -t 2 >"$dir/dnsperf.txt" 2>&1 || true
  QPS[$server]=$(field "$dir/dnsperf.txt" "Queries per second")
  LAT[$server]=$(field "$dir/dnsperf.txt" "Average Latency (s)")
  SENT[$server]=$(field "$dir/dnsperf.txt" "Queries sent")
  LOST[$server]=$(grep -m1 "Queries lost" "$dir/dnsperf.txt" | sed 's/.*lost: *//')
  RCODES[$server]=$(grep -m1 "Response codes" "$dir/dnsperf.txt" | sed 's/.*codes: *//')
  pid=$(cat "$dir/pid"); kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  echo "   qps=${QPS[$server]} avg_latency_s=${LAT[$server]} lost=${LOST[$server]}"
done

BASE=${QPS[tierdns]:-}
{
  echo "# Authoritative benchmark $(basename "$RUN")"
  echo
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr)."
  echo "Load: \`dnsperf -s 127.0.0.1 -p PORT -d queries.txt -l $DURATION -c $CLIENTS -T 1 -Q $MAX_QPS -t 2\` after a ${WARMUP}s warm-up; zone of $RECORDS records; server threads: $THREADS."
  echo
  echo "| server | version | QPS | avg latency (ms) | queries sent | lost | ratio to tierdns | response codes |"
  echo "|---|---|---:|---:|---:|---|---:|---|"
  for server in $SERVERS; do
    q=${QPS[$server]:-}
    if [ -z "$q" ]; then
      echo "| $server | ${VERSION[$server]} | failed to start | | | | | |"; continue
    fi
    lat=$(awk -v l="${LAT[$server]}" 'BEGIN { printf "%.3f", l * 1000 }')
    ratio=$( [ -n "$BASE" ] && awk -v q="$q" -v b="$BASE" 'BEGIN { printf "%.2f", q / b }' || echo "n/a")
    echo "| $server | ${VERSION[$server]} | $(printf '%.0f' "$q") | $lat | ${SENT[$server]} | ${LOST[$server]} | $ratio | ${RCODES[$server]} |"
  done
} | tee "$RUN/results.md"
echo
echo "raw output: $RUN"
