#!/usr/bin/env bash
# Side-by-side authoritative benchmark (issue 8): tierdns (quick form), NSD, Knot DNS and BIND
# serve the same generated zone on loopback, all started at once, each pinned to the server core
# (taskset) with one worker thread, dnsperf pinned to the other core. After a warm-up per server,
# ROUNDS interleaved rounds each run dnsperf -l DURATION against every server in turn (the order
# rotates every round); per run the server's CPU per answered query (utime+stime of the whole
# process tree from /proc, delta over the run, divided by the responses dnsperf received) is
# taken next to QPS. Then LATENCY_ROUNDS interleaved fixed-rate runs per server (-Q LATENCY_QPS, dnsperf -v) give latency
# percentiles. Medians over rounds and ratios to tierdns go to bench/out/RUN/results.md.
#
# Usage: bench/authoritative.sh [--servers "tierdns nsd knot bind"] [--duration 15] [--rounds 5]
#          [--warmup 5] [--clients 8] [--max-qps 200000] [--records 100000] [--queries 200000]
#          [--latency-qps 50000] [--latency-duration 5] [--latency-outstanding 2000] [--latency-rounds 3] [--latency-skip 1] [--threads N] [--server-cpu 1]
#          [--client-cpu 0] [--no-pin] [--heap 1g] [--java-opts OPTS] [--jar PATH]
# --jar defaults to node/target/tierdns.jar, copied first so a rebuild during the run does not
# disturb it. (Not an environment variable: tierdns reads TIERDNS_* variables as configuration
# keys.) --latency-qps 0 skips the latency runs. --threads defaults to 1 when pinned, else nproc.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
SERVERS="tierdns nsd knot bind"
JAR=""
JAVA_OPTS_EXTRA=""  # more tierdns JVM options (word-split), e.g. "-XX:+UseG1GC"
DURATION=15          # seconds per measured run (dnsperf -l)
ROUNDS=5             # interleaved rounds; the table shows the median (runs vary by up to 30 %)
WARMUP=5             # seconds of warm-up per server, not measured
CLIENTS=8            # dnsperf -c (simulated clients, i.e. source ports)
MAX_QPS=200000       # dnsperf -Q: a ceiling so the load is bounded even against a fast server
RECORDS=100000
QUERIES=200000
LATENCY_QPS=50000    # fixed rate of the latency run (dnsperf -Q), 0 = no latency run
LATENCY_DURATION=5   # seconds of the latency run
LATENCY_ROUNDS=3     # interleaved fixed-rate runs per server; the median is reported
LATENCY_SKIP_SECONDS=1  # percentiles leave out each run's first seconds: dnsperf's start burst
LATENCY_OUTSTANDING=2000  # dnsperf -q of the latency run (40 ms of queries at 50k qps)
THREADS=""
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
    --queries) QUERIES=$2; shift 2 ;;
    --latency-qps) LATENCY_QPS=$2; shift 2 ;;
    --latency-duration) LATENCY_DURATION=$2; shift 2 ;;
    --latency-outstanding) LATENCY_OUTSTANDING=$2; shift 2 ;;
    --latency-rounds) LATENCY_ROUNDS=$2; shift 2 ;;
    --latency-skip) LATENCY_SKIP_SECONDS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
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
RUN=$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/zones"
declare -A PID PORT VERSION

cleanup() {
  stop_all "${PID[@]:-}"
}
trap cleanup EXIT

need dnsperf; need dig; need python3; need named-checkzone
[ "$PIN" = no ] || need taskset

echo "== generating zone ($RECORDS records) and $QUERIES queries"
python3 "$ROOT/bench/gen_zone.py" "$RUN/zones" "$RECORDS" "$QUERIES" | tee "$RUN/generator.txt"
named-checkzone -q -i local bench.test. "$RUN/zones/bench.test.zone"
ZONE=$RUN/zones/bench.test.zone

ARCHIVE_OPTS=""
if [ -f "$JAR" ]; then
  cp "$JAR" "$RUN/tierdns.jar"
  ARCHIVE_OPTS=$(class_archive "$RUN/tierdns.jar")
fi

start_tierdns() { # port dir (zone: $ZONE)
  [ -f "$RUN/tierdns.jar" ] || { echo "tierdns jar not found: $JAR" >&2; return 1; }
  mkdir -p "$2/zones" && cp "$ZONE" "$2/zones/bench.test.zone"
  TIERDNS_WIRE_IO_THREADS=$THREADS $(pin_cmd "$SERVER_CPU") java $JVM_DEFAULTS $ARCHIVE_OPTS "-Xms$HEAP" "-Xmx$HEAP" $JAVA_OPTS_EXTRA -jar "$RUN/tierdns.jar" \
    run --authoritative "$2/zones" --listen "127.0.0.1:$1" >"$2/server.log" 2>&1 &
  echo $! >"$2/pid"
}




version_of() {
  case "$1" in
    tierdns) tierdns_version "$JAR" ;;
    nsd) nsd -v 2>&1 | head -1 || true ;;
    knot) knotd -V 2>&1 | head -1 || true ;;
    bind) named -v ;;
  esac
}

perf() { # server outfile dnsperf-args...: dnsperf on the client core against one server
  local server=$1 out=$2; shift 2
  hold_pin "${PID[$server]}" "$SERVER_CPU" "$server"
  pin "$CLIENT_CPU" timeout $((DURATION + LATENCY_DURATION + WARMUP + 60)) \
    dnsperf -s 127.0.0.1 -p "${PORT[$server]}" -d "$RUN/zones/queries.txt" -c "$CLIENTS" -T 1 -t 2 "$@" \
    >"$out" 2>&1 || true
}

# --- start every server at once, then wait for all of them ------------------------------------
ALIVE=()
for server in $SERVERS; do
  dir=$RUN/$server; mkdir -p "$dir"
  PORT[$server]=$(free_port)
  VERSION[$server]=$(version_of "$server")
  printf '%s\t%s\n' "$server" "${VERSION[$server]}" >>"$RUN/versions.tsv"
  echo "== starting $server on 127.0.0.1:${PORT[$server]}$([ "$PIN" = yes ] && echo " (cpu $SERVER_CPU)"), $THREADS thread(s)"
  if "start_$server" "${PORT[$server]}" "$dir" "$ZONE"; then
    PID[$server]=$(cat "$dir/pid")
  fi
done
for server in $SERVERS; do
  if [ -n "${PID[$server]:-}" ] && wait_soa "${PORT[$server]}" "$RUN/$server/server.log"; then
    ALIVE+=("$server")
    hold_pin "${PID[$server]}" "$SERVER_CPU" "$server"
  else
    echo "   $server failed to start; left out" >&2
    stop_pid "${PID[$server]:-}"; unset "PID[$server]"
  fi
done
[ ${#ALIVE[@]} -gt 0 ] || { echo "no server started" >&2; exit 1; }

LOAD="dnsperf -s 127.0.0.1 -p PORT -d queries.txt -l $DURATION -c $CLIENTS -T 1 -Q $MAX_QPS -t 2"
for server in "${ALIVE[@]}"; do
  echo "== warming $server: ${WARMUP}s at full rate"
  perf "$server" "$RUN/$server/warmup.txt" -l "$WARMUP" -Q "$MAX_QPS"
done

# --- interleaved rounds ------------------------------------------------------------------------
: >"$RUN/rounds.tsv"
n=${#ALIVE[@]}
for round in $(seq 1 "$ROUNDS"); do
  order=()
  for k in $(seq 0 $((n - 1))); do order+=("${ALIVE[$(((k + round - 1) % n))]}"); done
  echo "== round $round/$ROUNDS: ${order[*]}"
  pos=0
  for server in "${order[@]}"; do
    pos=$((pos + 1))
    out=$RUN/$server/round-$round.txt
    before=$(cpu_ticks "${PID[$server]}")
    perf "$server" "$out" -l "$DURATION" -Q "$MAX_QPS"
    after=$(cpu_ticks "${PID[$server]}")
    qps=$(dnsperf_field "$out" "Queries per second"); qps=${qps:-0}
    answered=$(dnsperf_field "$out" "Queries completed"); answered=${answered:-0}
    lost=$(dnsperf_field "$out" "Queries lost"); lost=${lost:-0}
    cpu_us=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v a="$answered" \
      'BEGIN { if (a > 0) printf "%.3f", t / hz * 1e6 / a; else print "nan" }')
    printf '%s\t%d\t%d\t%s\t%s\t%s\t%s\n' "$server" "$round" "$pos" "$qps" "$cpu_us" "$answered" "$lost" >>"$RUN/rounds.tsv"
    echo "   $server: qps=$qps cpu_per_query_us=$cpu_us lost=$lost ($(grep -m1 'Response codes' "$out" | sed 's/.*codes: *//'))"
  done
done

# --- latency at a fixed rate -------------------------------------------------------------------
if [ "$LATENCY_QPS" -gt 0 ]; then
  # -q: enough queries in flight that a slow answer does not lower the offered rate
  LATENCY_EXTRA="-q "$LATENCY_OUTSTANDING""
  echo "== latency: $LATENCY_ROUNDS interleaved rounds at $LATENCY_QPS qps"
  latency_rounds "$LATENCY_ROUNDS" "$LATENCY_QPS" "$LATENCY_DURATION" "${ALIVE[@]}"
else
  : >"$RUN/latency.tsv"
fi

{
  echo "# Authoritative benchmark $(basename "$RUN")"
  echo
  machine_line
  echo "Zone of $RECORDS records, $QUERIES queries ($(cut -d' ' -f3- "$RUN/generator.txt")); server threads: $THREADS;" \
    "$([ "$PIN" = yes ] && echo "servers pinned to CPU $SERVER_CPU, dnsperf to CPU $CLIENT_CPU" || echo "not pinned"); tierdns heap $HEAP."
  echo "Load: \`$LOAD\` per server and round, $ROUNDS interleaved rounds (order rotated), after a ${WARMUP}s warm-up each."
  [ "$LATENCY_QPS" -gt 0 ] && echo "Latency: \`dnsperf ... -l $LATENCY_DURATION -Q $LATENCY_QPS -q $LATENCY_OUTSTANDING -v\`, $LATENCY_ROUNDS interleaved runs per server, percentiles of the answered queries' latencies after each run's first $LATENCY_SKIP_SECONDS s (dnsperf sends its -q queries at once when it starts; the whole run's p99 / p99.9 have a column of their own), the median of the runs."
  [ -z "${PID[tierdns]:-}" ] || echo "tierdns JVM: \`java $JVM_DEFAULTS${ARCHIVE_OPTS:+ $ARCHIVE_OPTS} -Xms$HEAP -Xmx$HEAP${JAVA_OPTS_EXTRA:+ $JAVA_OPTS_EXTRA}\`, garbage collector: $(jvm_gc "$SERVER_CPU" $JVM_DEFAULTS "-Xmx$HEAP" $JAVA_OPTS_EXTRA)."
  echo "Server CPU: utime+stime of the server's whole process tree (/proc/PID/stat, all threads), delta over the run / answered queries."
  echo
  python3 "$ROOT/bench/results.py" "$RUN" tierdns
} | tee "$RUN/results.md"
echo
echo "raw output: $RUN"
