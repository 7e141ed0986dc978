#!/usr/bin/env bash
# Cache-hit benchmark (issue 8): a tierdns resolver-cache (tier local), a tierdns edge (tier edge,
# subscribed to the zone) and Unbound, all forwarding to the same NSD serving the same generated
# zone, all started at once and pinned to the server core with one thread, dnsperf pinned to the
# other core. Every cache is warmed with the same query set (so every measured query is a cache
# hit: checked, the upstream-miss counters must not move), then ROUNDS interleaved rounds of
# dnsperf -l DURATION against each cache in turn (order rotated each round) give QPS and server
# CPU per answered query (utime+stime of the whole process from /proc, delta over the run); then
# LATENCY_ROUNDS interleaved fixed-rate runs per cache give latency percentiles (median of the runs). Medians and ratios (Unbound against each
# tierdns cache) go to bench/out/cache-RUN/results.md.
#
# Usage: bench/cache.sh [--servers "tierdns-cache tierdns-edge unbound"] [--duration 15]
#          [--rounds 5] [--warmup 5] [--clients 8] [--max-qps 200000] [--records 100000]
#          [--names 20000] [--threads N] [--latency-qps 50000] [--latency-duration 5]
#          [--latency-outstanding 2000] [--latency-rounds 3] [--latency-skip 1] [--server-cpu 1] [--client-cpu 0] [--no-pin] [--heap 1g]
#          [--java-opts OPTS] [--jar PATH]
# --jar defaults to node/target/tierdns.jar (copied first, so a rebuild during the run does not
# disturb it). --threads defaults to 1 when pinned, else nproc. --latency-qps 0 skips latency.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
SERVERS="tierdns-cache tierdns-edge unbound"
JAR=""
JAVA_OPTS_EXTRA=""  # more tierdns JVM options (word-split), e.g. "-XX:+UseG1GC"
DURATION=15      # seconds per measured run (dnsperf -l)
ROUNDS=5         # interleaved rounds; the table shows the median (runs vary by up to 30 %)
WARMUP=5         # seconds of full-rate load per cache before measuring (JIT, caches), not measured
CLIENTS=8        # dnsperf -c
MAX_QPS=200000   # dnsperf -Q: a ceiling so the load is bounded even against a fast server
RECORDS=100000   # zone size
NAMES=20000      # distinct questions in the warm set = the measured set
THREADS=""       # server threads (tierdns io-threads, Unbound num-threads, NSD server-count)
WARM_QPS=10000   # warm-up rate, low enough that no query is lost
LATENCY_QPS=50000
LATENCY_DURATION=5
LATENCY_ROUNDS=3     # interleaved fixed-rate runs per server; the median is reported
LATENCY_SKIP_SECONDS=1  # percentiles leave out each run's first seconds: dnsperf's start burst
LATENCY_OUTSTANDING=2000
SERVER_CPU=1
CLIENT_CPU=0
PIN=yes
HEAP=1g
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) SERVERS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --max-qps) MAX_QPS=$2; shift 2 ;;
    --records) RECORDS=$2; shift 2 ;;
    --names) NAMES=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --latency-qps) LATENCY_QPS=$2; shift 2 ;;
    --latency-duration) LATENCY_DURATION=$2; shift 2 ;;
    --latency-outstanding) LATENCY_OUTSTANDING=$2; shift 2 ;;
    --latency-rounds) LATENCY_ROUNDS=$2; shift 2 ;;
    --latency-skip) LATENCY_SKIP_SECONDS=$2; shift 2 ;;
    --server-cpu) SERVER_CPU=$2; shift 2 ;;
    --client-cpu) CLIENT_CPU=$2; shift 2 ;;
    --no-pin) PIN=no; shift ;;
    --heap) HEAP=$2; shift 2 ;;
    --java-opts) JAVA_OPTS_EXTRA=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
if [ -z "$THREADS" ]; then
  if [ "$PIN" = yes ]; then THREADS=1; else THREADS=$(nproc); fi
fi
JAR=${JAR:-$ROOT/node/target/tierdns.jar}
RUN=$ROOT/bench/out/cache-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/zones" "$RUN/nsd"
declare -A PID PORT HTTP VERSION
KEY=bench-$RANDOM$RANDOM

cleanup() {
  stop_all "${PID[@]:-}"
}
trap cleanup EXIT

need dnsperf; need dig; need python3; need named-checkzone; need nsd; need curl; need java
case " $SERVERS " in *" unbound "*) need unbound; need unbound-control ;; esac
[ "$PIN" = no ] || need taskset
[ -f "$JAR" ] || { echo "tierdns jar not found: $JAR" >&2; exit 1; }
cp "$JAR" "$RUN/tierdns.jar"
ARCHIVE_OPTS=$(class_archive "$RUN/tierdns.jar")

echo "== generating zone ($RECORDS records) and $NAMES distinct cacheable questions"
# Negative answers cached for an hour, as positive ones are: no cached answer reaches its prefetch
# point (90 % of its TTL) during a run, so every measured query stays a hit. With the generator's
# 300 s, the NXDOMAIN and NODATA answers warmed together reached it together about 270 s into the
# run, during the latency runs (docs/benchmarks.md, twelfth run).
python3 "$ROOT/bench/gen_zone.py" "$RUN/zones" "$RECORDS" 200000 --negative-ttl 3600 | tee "$RUN/generator.txt"
named-checkzone -q -i local bench.test. "$RUN/zones/bench.test.zone"
ZONE=$RUN/zones/bench.test.zone
# Referrals (www.del-N) are left out: an authoritative-only upstream answers them with a
# delegation that a forwarder cannot cache as an answer. Everything else (positive, CNAME,
# wildcard, NODATA, NXDOMAIN) is cacheable; the first NAMES distinct lines form the set.
awk -v n="$NAMES" '!/^www\.del-/ && !seen[$0]++ { print; if (++c >= n) exit }' "$RUN/zones/queries.txt" >"$RUN/zones/hits.txt"
QUERIES=$RUN/zones/hits.txt
echo "   $(wc -l <"$QUERIES") questions in $QUERIES"

# --- NSD, the shared upstream (idle while caches are measured) ---------------------------------
NSD_PORT=$(free_port)
start_nsd "$NSD_PORT" "$RUN/nsd" "$ZONE" 127.0.0.0/8
PID[nsd]=$(cat "$RUN/nsd/pid")
echo "== nsd (upstream) on 127.0.0.1:$NSD_PORT"
wait_soa "$NSD_PORT" "$RUN/nsd/server.log"
hold_pin "${PID[nsd]}" "$SERVER_CPU" nsd

start_tierdns() { # server dir tier
  local server=$1 dir=$2 tier=$3 subs=""
  if [ "$tier" = edge ]; then
    subs="    subscriptions:
      - zone: bench.test.
        upstreams: [\"127.0.0.1:$NSD_PORT\"]"
  fi
  cat >"$dir/tierdns.yml" <<CONF
tierdns:
  node-name: bench-$server
  listen: ["127.0.0.1:${PORT[$server]}"]
  wire:
    io-threads: $THREADS
  cache:
    tier: $tier
    upstreams: ["127.0.0.1:$NSD_PORT"]
    max-size-bytes: 268435456
    prefetch-fraction: 0.1
    serve-stale: true
$subs
  admin: {enabled: true, host: 127.0.0.1, port: ${HTTP[$server]}, api-key: "$KEY"}
CONF
  $(pin_cmd "$SERVER_CPU") java $JVM_DEFAULTS $ARCHIVE_OPTS "-Xms$HEAP" "-Xmx$HEAP" $JAVA_OPTS_EXTRA -jar "$RUN/tierdns.jar" run --config "$dir/tierdns.yml" \
    >"$dir/server.log" 2>&1 &
  PID[$server]=$!
}

start_unbound() { # server dir
  local dir=$2
  cat >"$dir/unbound.conf" <<CONF
server:
    interface: 127.0.0.1
    port: ${PORT[$1]}
    do-ip6: no
    num-threads: $THREADS
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: "$dir/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 1
    module-config: "iterator"
    do-not-query-localhost: no
    access-control: 127.0.0.0/8 allow
    qname-minimisation: no
    prefetch: no
    # the same memory budget as the tierdns caches (256 MiB), so neither evicts
    msg-cache-size: 128m
    rrset-cache-size: 128m
    # RFC 6761 test. is a built-in local zone in Unbound
    local-zone: "test." nodefault
remote-control:
    control-enable: yes
    control-interface: 127.0.0.1
    control-port: ${HTTP[$1]}
    control-use-cert: no
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$NSD_PORT
CONF
  $(pin_cmd "$SERVER_CPU") unbound -d -c "$dir/unbound.conf" >"$dir/server.log" 2>&1 &
  PID[$1]=$!
}

misses() { # server -> upstream queries (cache misses) so far
  case "$1" in
    tierdns-*) curl -sf --max-time 5 -H "X-API-Key: $KEY" "http://127.0.0.1:${HTTP[$1]}/api/v1/tierdns/cache/stats" \
                 | python3 -c 'import json,sys; print(json.load(sys.stdin)["misses"])' ;;
    unbound) unbound-control -c "$RUN/unbound/unbound.conf" stats_noreset | sed -n 's/^total.num.cachemiss=//p' ;;
  esac
}

perf() { # server outfile dnsperf-args...
  local server=$1 out=$2; shift 2
  hold_pin "${PID[$server]}" "$SERVER_CPU" "$server"
  pin "$CLIENT_CPU" timeout $((DURATION + LATENCY_DURATION + WARMUP + 120)) \
    dnsperf -s 127.0.0.1 -p "${PORT[$server]}" -d "$QUERIES" "$@" >"$out" 2>&1 || true
}

# --- start every cache at once ------------------------------------------------------------------
for server in $SERVERS; do
  dir=$RUN/$server; mkdir -p "$dir"
  PORT[$server]=$(free_port); HTTP[$server]=$(free_port)
  echo "== starting $server on 127.0.0.1:${PORT[$server]}$([ "$PIN" = yes ] && echo " (cpu $SERVER_CPU)"), $THREADS thread(s)"
  case "$server" in
    tierdns-cache) start_tierdns "$server" "$dir" local; VERSION[$server]=$(tierdns_version "$JAR") ;;
    tierdns-edge) start_tierdns "$server" "$dir" edge; VERSION[$server]="$(tierdns_version "$JAR"), tier edge, subscribed" ;;
    unbound) start_unbound "$server" "$dir"; VERSION[$server]="$(unbound -V | head -1 | sed 's/^Version/Unbound/')" ;;
    *) echo "unknown server: $server" >&2; exit 2 ;;
  esac
  printf '%s\t%s\n' "$server" "${VERSION[$server]}" >>"$RUN/versions.tsv"
done
for server in $SERVERS; do
  wait_soa "${PORT[$server]}" "$RUN/$server/server.log" bench.test. +rec
done

# Warm every cache with the whole set, twice (the second pass picks up anything lost in the
# first), at a bounded rate; then WARMUP seconds at full rate (JIT, thread warm-up).
for server in $SERVERS; do
  echo "== warming $server: 2 passes over $(wc -l <"$QUERIES") questions at <= $WARM_QPS qps, then ${WARMUP}s at full rate"
  perf "$server" "$RUN/$server/warmup.txt" -n 2 -c 4 -T 1 -Q "$WARM_QPS" -t 5
  grep -E "Queries (sent|completed|lost)|Response codes" "$RUN/$server/warmup.txt" | sed 's/^/   /'
  perf "$server" "$RUN/$server/warmup-load.txt" -l "$WARMUP" -c "$CLIENTS" -T 1 -Q "$MAX_QPS" -t 2
done

: >"$RUN/rounds.tsv"; : >"$RUN/misses.tsv"
read -r -a ALIVE <<<"$SERVERS"
n=${#ALIVE[@]}
for round in $(seq 1 "$ROUNDS"); do
  order=()
  for k in $(seq 0 $((n - 1))); do order+=("${ALIVE[$(((k + round - 1) % n))]}"); done
  echo "== round $round/$ROUNDS: ${order[*]}"
  pos=0
  for server in "${order[@]}"; do
    pos=$((pos + 1))
    out=$RUN/$server/round-$round.txt
    m0=$(misses "$server"); c0=$(cpu_ticks "${PID[$server]}")
    perf "$server" "$out" -l "$DURATION" -c "$CLIENTS" -T 1 -Q "$MAX_QPS" -t 2
    c1=$(cpu_ticks "${PID[$server]}"); m1=$(misses "$server")
    qps=$(dnsperf_field "$out" "Queries per second"); qps=${qps:-0}
    answered=$(dnsperf_field "$out" "Queries completed"); answered=${answered:-0}
    lost=$(dnsperf_field "$out" "Queries lost"); lost=${lost:-0}
    cpu_us=$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v a="$answered" \
      'BEGIN { if (a > 0) printf "%.3f", t / hz * 1e6 / a; else print "nan" }')
    printf '%s\t%d\t%d\t%s\t%s\t%s\t%s\n' "$server" "$round" "$pos" "$qps" "$cpu_us" "$answered" "$lost" >>"$RUN/rounds.tsv"
    printf '%s\t%d\t%s\n' "$server" "$round" "$((m1 - m0))" >>"$RUN/misses.tsv"
    echo "   $server: qps=$qps cpu_per_query_us=$cpu_us lost=$lost upstream_misses=$((m1 - m0))"
  done
done

if [ "$LATENCY_QPS" -gt 0 ]; then
  # -q: enough queries in flight that a slow answer does not lower the offered rate
  LATENCY_EXTRA="-c "$CLIENTS" -T 1 -q "$LATENCY_OUTSTANDING" -t 2"
  echo "== latency: $LATENCY_ROUNDS interleaved rounds at $LATENCY_QPS qps"
  declare -A LM0
  for server in $SERVERS; do LM0[$server]=$(misses "$server"); done
  latency_rounds "$LATENCY_ROUNDS" "$LATENCY_QPS" "$LATENCY_DURATION" $SERVERS
  for server in $SERVERS; do
    printf '%s\tlatency\t%s\n' "$server" "$(($(misses "$server") - ${LM0[$server]}))" >>"$RUN/latency-misses.tsv"
  done
else
  : >"$RUN/latency.tsv"
fi

{
  echo "# Cache-hit benchmark $(basename "$RUN")"
  echo
  machine_line
  echo "Upstream: $(nsd -v 2>&1 | head -1), zone of $RECORDS records; $(wc -l <"$QUERIES") distinct questions, warmed twice at $WARM_QPS qps, then ${WARMUP}s at full rate."
  echo "Load: \`dnsperf -s 127.0.0.1 -p PORT -d hits.txt -l $DURATION -c $CLIENTS -T 1 -Q $MAX_QPS -t 2\`, $ROUNDS interleaved rounds (order rotated);" \
    "server threads: $THREADS; $([ "$PIN" = yes ] && echo "caches pinned to CPU $SERVER_CPU, dnsperf to CPU $CLIENT_CPU" || echo "not pinned"); tierdns heap $HEAP."
  [ "$LATENCY_QPS" -gt 0 ] && echo "Latency: \`dnsperf ... -l $LATENCY_DURATION -Q $LATENCY_QPS -q $LATENCY_OUTSTANDING -v\`, $LATENCY_ROUNDS interleaved runs per server, percentiles of the answered queries' latencies after each run's first $LATENCY_SKIP_SECONDS s (dnsperf sends its -q queries at once when it starts; the whole run's p99 / p99.9 have a column of their own), the median of the runs."
  [ -z "${PID[tierdns-cache]:-}${PID[tierdns-edge]:-}" ] || echo "tierdns JVM: \`java $JVM_DEFAULTS${ARCHIVE_OPTS:+ $ARCHIVE_OPTS} -Xms$HEAP -Xmx$HEAP${JAVA_OPTS_EXTRA:+ $JAVA_OPTS_EXTRA}\`, garbage collector: $(jvm_gc "$SERVER_CPU" $JVM_DEFAULTS "-Xmx$HEAP" $JAVA_OPTS_EXTRA)."
  echo "Server CPU: utime+stime of the cache's whole process (/proc/PID/stat, all threads), delta over the run / answered queries."
  echo "Upstream misses during the measured rounds (must be 0: every measured query a hit):" \
    "$(awk -F'\t' '{ m[$1] += $3 } END { for (s in m) printf "%s %d; ", s, m[s] }' "$RUN/misses.tsv")"
  [ ! -s "$RUN/latency-misses.tsv" ] || echo "Upstream misses during the latency runs (0 when every query was a hit):" \
    "$(awk -F'\t' '{ printf "%s %d; ", $1, $3 }' "$RUN/latency-misses.tsv")"
  echo
  python3 "$ROOT/bench/results.py" "$RUN" "tierdns-cache tierdns-edge"
} | tee "$RUN/results.md"
echo
echo "raw output: $RUN"
