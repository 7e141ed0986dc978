#!/usr/bin/env bash
# Cache-hit benchmark: a tierdns cache and Unbound, both forwarding to the same NSD serving the
# same generated zone, both warmed with the same query set (so every measured query is a cache
# hit), measured one after the other by dnsperf with identical settings. Prints a markdown table
# (QPS, average latency, lost queries, upstream misses during the measurement, ratio
# Unbound/tierdns) and writes it, the raw dnsperf output and every server's log under
# bench/out/cache-RUN/.
#
# Usage: bench/cache.sh [--duration 20] [--warmup 5] [--clients 8] [--max-qps 200000] [--records 100000]
#                       [--names 20000] [--threads 2] [--jar PATH]
# --jar defaults to node/target/tierdns.jar (copied first, so a rebuild during the run does not
# disturb it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=""
DURATION=20      # seconds measured per cache (dnsperf -l)
WARMUP=5         # seconds of full-rate load per cache before measuring (JIT, caches), not measured
CLIENTS=8        # dnsperf -c
MAX_QPS=200000   # dnsperf -Q: a ceiling so the load is bounded even against a fast server
RECORDS=100000   # zone size
NAMES=20000      # distinct questions in the warm set = the measured set
THREADS=2        # server threads (NSD server-count, Unbound num-threads), = nproc on the reference machine
WARM_QPS=10000   # warm-up rate, low enough that no query is lost
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --max-qps) MAX_QPS=$2; shift 2 ;;
    --records) RECORDS=$2; shift 2 ;;
    --names) NAMES=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
JAR=${JAR:-$ROOT/node/target/tierdns.jar}
RUN=$ROOT/bench/out/cache-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/zones" "$RUN/nsd" "$RUN/tierdns" "$RUN/unbound"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "missing binary: $1" >&2; exit 1; }; }
need dnsperf; need dig; need python3; need named-checkzone; need nsd; need unbound; need unbound-control; need curl; need java
[ -f "$JAR" ] || { echo "tierdns jar not found: $JAR" >&2; exit 1; }

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

wait_soa() { # port log [+rec]: poll SOA for up to 120 s
  for _ in $(seq 1 240); do
    if dig @127.0.0.1 -p "$1" bench.test. SOA "${3:-+norec}" +time=1 +tries=1 +short 2>/dev/null | grep -q hostmaster; then
      return 0
    fi
    sleep 0.5
  done
  echo "server on port $1 did not answer SOA; log:" >&2; tail -50 "$2" >&2; return 1
}

echo "== generating zone ($RECORDS records) and $NAMES distinct cacheable questions"
python3 "$ROOT/bench/gen_zone.py" "$RUN/zones" "$RECORDS" 200000 | tee "$RUN/generator.txt"
named-checkzone -q -i local bench.test. "$RUN/zones/bench.test.zone"
ZONE=$RUN/zones/bench.test.zone
# Referrals (www.del-N) are left out: an authoritative-only upstream answers them with a
# delegation that a forwarder cannot cache as an answer. Everything else (positive, CNAME,
# wildcard, NODATA, NXDOMAIN) is cacheable; the first NAMES distinct lines form the set.
awk -v n="$NAMES" '!/^www\.del-/ && !seen[$0]++ { print; if (++c >= n) exit }' "$RUN/zones/queries.txt" >"$RUN/zones/hits.txt"
QUERIES=$RUN/zones/hits.txt
echo "   $(wc -l <"$QUERIES") questions in $QUERIES"

# --- NSD, the shared upstream ----------------------------------------------------------------
NSD_PORT=$(free_port)
cat >"$RUN/nsd/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1
    port: $NSD_PORT
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$RUN/nsd"
    database: ""
    pidfile: "$RUN/nsd/nsd.pid"
    xfrdfile: "$RUN/nsd/xfrd.state"
    zonelistfile: "$RUN/nsd/zone.list"
    xfrdir: "$RUN/nsd"
    server-count: $THREADS
    verbosity: 1
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: bench.test.
    zonefile: "$ZONE"
CONF
nsd -d -c "$RUN/nsd/nsd.conf" >"$RUN/nsd/server.log" 2>&1 &
PIDS+=($!)
echo "== nsd on 127.0.0.1:$NSD_PORT"
wait_soa "$NSD_PORT" "$RUN/nsd/server.log"

# --- tierdns cache ---------------------------------------------------------------------------
T_PORT=$(free_port); T_HTTP=$(free_port); T_KEY=bench-$RANDOM$RANDOM
cp "$JAR" "$RUN/tierdns/tierdns.jar"
cat >"$RUN/tierdns/tierdns.yml" <<CONF
tierdns:
  node-name: bench-cache
  listen: ["127.0.0.1:$T_PORT"]
  cache:
    tier: local
    upstreams: ["127.0.0.1:$NSD_PORT"]
    max-size-bytes: 268435456
    prefetch-fraction: 0.1
    serve-stale: true
  admin: {enabled: true, host: 127.0.0.1, port: $T_HTTP, api-key: "$T_KEY"}
CONF
java -Xms1g -Xmx1g -jar "$RUN/tierdns/tierdns.jar" run --config "$RUN/tierdns/tierdns.yml" >"$RUN/tierdns/server.log" 2>&1 &
PIDS+=($!)
echo "== tierdns cache on 127.0.0.1:$T_PORT (admin :$T_HTTP)"
wait_soa "$T_PORT" "$RUN/tierdns/server.log" +rec

# --- Unbound ---------------------------------------------------------------------------------
U_PORT=$(free_port); U_CTL=$(free_port)
cat >"$RUN/unbound/unbound.conf" <<CONF
server:
    interface: 127.0.0.1
    port: $U_PORT
    do-ip6: no
    num-threads: $THREADS
    username: ""
    chroot: ""
    directory: "$RUN/unbound"
    pidfile: "$RUN/unbound/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 1
    module-config: "iterator"
    do-not-query-localhost: no
    access-control: 127.0.0.0/8 allow
    qname-minimisation: no
    prefetch: no
    # the same memory budget as the tierdns cache (256 MiB), so neither evicts
    msg-cache-size: 128m
    rrset-cache-size: 128m
    # RFC 6761 test. is a built-in local zone in Unbound
    local-zone: "test." nodefault
remote-control:
    control-enable: yes
    control-interface: 127.0.0.1
    control-port: $U_CTL
    control-use-cert: no
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$NSD_PORT
CONF
unbound -d -c "$RUN/unbound/unbound.conf" >"$RUN/unbound/server.log" 2>&1 &
PIDS+=($!)
echo "== unbound on 127.0.0.1:$U_PORT"
wait_soa "$U_PORT" "$RUN/unbound/server.log" +rec

misses() { # server -> upstream queries so far
  case "$1" in
    tierdns) curl -sf -H "X-API-Key: $T_KEY" "http://127.0.0.1:$T_HTTP/api/v1/tierdns/cache/stats" \
               | python3 -c 'import json,sys; print(json.load(sys.stdin)["misses"])' ;;
    unbound) unbound-control -c "$RUN/unbound/unbound.conf" stats_noreset | sed -n 's/^total.num.cachemiss=//p' ;;
  esac
}

field() { grep -m1 "$2" "$1" | sed -e "s/.*$2:* *//" -e 's/ .*//'; }

declare -A PORT=([tierdns]=$T_PORT [unbound]=$U_PORT)
declare -A QPS LAT SENT LOST RCODES MISS VERSION
VERSION[tierdns]="tierdns jar sha256 $(sha256sum "$RUN/tierdns/tierdns.jar" | cut -c1-12), tree $(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo '?') (java $(java -version 2>&1 | head -1 | cut -d'"' -f2))"
VERSION[unbound]="$(unbound -V | head -1 | sed 's/^Version/Unbound/')"

# Warm both caches with the whole set, twice (the second pass picks up anything lost in the
# first), at a bounded rate.
for server in tierdns unbound; do
  echo "== warming $server: 2 passes over $(wc -l <"$QUERIES") questions at <= $WARM_QPS qps"
  dnsperf -s 127.0.0.1 -p "${PORT[$server]}" -d "$QUERIES" -n 2 -c 4 -T 1 -Q "$WARM_QPS" -t 5 \
    >"$RUN/$server/warmup.txt" 2>&1 || true
  grep -E "Queries (sent|completed|lost)|Response codes" "$RUN/$server/warmup.txt" | sed 's/^/   /'
done

for server in tierdns unbound; do
  echo "== measuring $server: dnsperf -l $DURATION -c $CLIENTS -T 1 -Q $MAX_QPS"
  dnsperf -s 127.0.0.1 -p "${PORT[$server]}" -d "$QUERIES" -l "$WARMUP" -c "$CLIENTS" -T 1 -Q "$MAX_QPS" -t 2 \
    >"$RUN/$server/warmup-load.txt" 2>&1 || true
  before=$(misses "$server")
  dnsperf -s 127.0.0.1 -p "${PORT[$server]}" -d "$QUERIES" -l "$DURATION" -c "$CLIENTS" -T 1 -Q "$MAX_QPS" -t 2 \
    >"$RUN/$server/dnsperf.txt" 2>&1 || true
  after=$(misses "$server")
  MISS[$server]=$((after - before))
  QPS[$server]=$(field "$RUN/$server/dnsperf.txt" "Queries per second")
  LAT[$server]=$(field "$RUN/$server/dnsperf.txt" "Average Latency (s)")
  SENT[$server]=$(field "$RUN/$server/dnsperf.txt" "Queries sent")
  LOST[$server]=$(grep -m1 "Queries lost" "$RUN/$server/dnsperf.txt" | sed 's/.*lost: *//')
  RCODES[$server]=$(grep -m1 "Response codes" "$RUN/$server/dnsperf.txt" | sed 's/.*codes: *//')
  echo "   qps=${QPS[$server]} avg_latency_s=${LAT[$server]} lost=${LOST[$server]} upstream_misses=${MISS[$server]}"
done

{
  echo "# Cache-hit benchmark $(basename "$RUN")"
  echo
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr)."
  echo "Upstream: $(nsd -v 2>&1 | head -1), zone of $RECORDS records; $(wc -l <"$QUERIES") distinct questions, warmed twice."
  echo "Load: \`dnsperf -s 127.0.0.1 -p PORT -d hits.txt -l $DURATION -c $CLIENTS -T 1 -Q $MAX_QPS -t 2\` after a ${WARMUP}s full-rate warm-up (not measured); server threads: $THREADS."
  echo
  echo "| cache | version | QPS | avg latency (ms) | queries sent | lost | upstream misses | response codes |"
  echo "|---|---|---:|---:|---:|---|---:|---|"
  for server in tierdns unbound; do
    lat=$(awk -v l="${LAT[$server]:-0}" 'BEGIN { printf "%.3f", l * 1000 }')
    echo "| $server | ${VERSION[$server]} | $(printf '%.0f' "${QPS[$server]:-0}") | $lat | ${SENT[$server]} | ${LOST[$server]} | ${MISS[$server]} | ${RCODES[$server]} |"
  done
  echo
  echo "QPS ratio Unbound/tierdns: $(awk -v u="${QPS[unbound]:-0}" -v t="${QPS[tierdns]:-0}" 'BEGIN { if (t > 0) printf "%.2f", u / t; else print "n/a" }')"
  echo "Latency ratio Unbound/tierdns: $(awk -v u="${LAT[unbound]:-0}" -v t="${LAT[tierdns]:-0}" 'BEGIN { if (t > 0) printf "%.2f", u / t; else print "n/a" }')"
} | tee "$RUN/results.md"
echo
echo "raw output: $RUN"
