#!/usr/bin/env bash
# Big-zone benchmark (issue 8): a 1,000,000-record zone from gen_zone.py, served by tierdns,
# Knot DNS, NSD and BIND one after the other (each alone on the machine, pinned to the server
# core), measuring per server:
#   - load: milliseconds from process start until it answers the zone's SOA with the new serial;
#   - memory: VmRSS of the server process (the whole JVM for tierdns) 2 s after load, and the
#     proportional set size (PSS) summed over its process tree (NSD forks xfrd and its server
#     processes, which share the zone copy-on-write: PSS counts shared pages once);
#   - AXFR out: the transfer time `kdig +noall +stats AXFR` (pinned to the client core) reports
#     for the whole zone, and the time of a reader that does not decode records (dnsprobe.py
#     axfr: the server's sending speed), medians of --axfr-runs, with the record count of every
#     run checked (records + 1: the SOA comes first and last). Before them, --axfr-warmup
#     transfers by the raw reader are not measured (as the UDP scripts warm every server up: a
#     JVM compiles the transfer path during its first transfers); the first one's time is
#     reported on its own, as the cold transfer;
# and for tierdns also a tierdns secondary (pinned to the client core): it first takes a small
# version (serial 1) of the zone from the tierdns primary; the primary is then restarted with
# the 1,000,000-record version (serial 2); NOTIFY -> the secondary serves serial 2, timed.
# Results go to bench/out/bigzone-RUN/results.md.
#
# Usage: bench/bigzone.sh [--records 1000000] [--servers "tierdns knot nsd bind"] [--axfr-runs 3] [--axfr-warmup 2]
#          [--heap 2g] [--secondary-heap 1500m] [--no-secondary] [--timeout 180]
#          [--server-cpu 1] [--client-cpu 0] [--no-pin] [--java-opts OPTS] [--jar PATH]
# Every tierdns JVM starts with jvm.options, as ./tierdns starts it; --heap is the primary's -Xmx (its
# -Xms is jvm.options' 64 MiB, so the resident size is what the JVM grew to);
# the secondary runs with -Xms = -Xmx = --secondary-heap, as in interop's MillionRecordAxfrIT.
# Every wait is bounded by --timeout seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
RECORDS=1000000
SERVERS="tierdns knot nsd bind"
AXFR_RUNS=3
AXFR_WARMUP=2
HEAP=2g
SEC_HEAP=1500m
SECONDARY=yes
TIMEOUT=180
SERVER_CPU=1
CLIENT_CPU=0
PIN=yes
THREADS=1
JAR=""
JAVA_OPTS_EXTRA=""  # more tierdns JVM options (word-split), e.g. "-XX:+UseG1GC"
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2 ;;
    --servers) SERVERS=$2; shift 2 ;;
    --axfr-runs) AXFR_RUNS=$2; shift 2 ;;
    --axfr-warmup) AXFR_WARMUP=$2; shift 2 ;;
    --heap) HEAP=$2; shift 2 ;;
    --secondary-heap) SEC_HEAP=$2; shift 2 ;;
    --no-secondary) SECONDARY=no; shift ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --server-cpu) SERVER_CPU=$2; shift 2 ;;
    --client-cpu) CLIENT_CPU=$2; shift 2 ;;
    --no-pin) PIN=no; shift ;;
    --java-opts) JAVA_OPTS_EXTRA=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
JAR=${JAR:-$ROOT/node/target/tierdns.jar}
RUN=$ROOT/bench/out/bigzone-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/zones/v1" "$RUN/zones/v2"
PIDS=()

cleanup() {
  stop_all "${PIDS[@]:-}"
}
trap cleanup EXIT

need kdig; need dig; need python3
[ "$PIN" = no ] || need taskset
PROBE="python3 $ROOT/bench/dnsprobe.py"

echo "== generating the zone: $RECORDS records (serial 2), and a small first version (serial 1)"
python3 "$ROOT/bench/gen_zone.py" "$RUN/zones/v2" "$RECORDS" --zone-only --serial 2 | tee "$RUN/generator.txt"
python3 "$ROOT/bench/gen_zone.py" "$RUN/zones/v1" 1000 --zone-only --serial 1 >/dev/null
ZONE=$RUN/zones/v2/bench.test.zone
COUNT=$(sed -n 's/^records=\([0-9]*\).*/\1/p' "$RUN/generator.txt")
EXPECT=$((COUNT + 1)) # an AXFR carries the SOA first and last
ARCHIVE_OPTS=""
if [ -f "$JAR" ]; then
  cp "$JAR" "$RUN/tierdns.jar"
  ARCHIVE_OPTS=$(class_archive "$RUN/tierdns.jar") # recorded now, before any start is timed
fi

start_tierdns() { # port dir zonefile
  start_tierdns_primary "$1" "$2" "$3" "$RUN/tierdns.jar" "$SERVER_CPU" "$THREADS" $ARCHIVE_OPTS "-Xmx$HEAP" $JAVA_OPTS_EXTRA
}

start_secondary() { # port dir primary-port another-primary-port
  start_tierdns_secondary "$1" "$2" "$3" "$4" "$RUN/tierdns.jar" "$CLIENT_CPU" $ARCHIVE_OPTS "-Xms$SEC_HEAP" "-Xmx$SEC_HEAP" $JAVA_OPTS_EXTRA
}

version_of() {
  case "$1" in
    tierdns) tierdns_version "$RUN/tierdns.jar" ;;
    nsd) nsd -v 2>&1 | head -1 || true ;;
    knot) knotd -V 2>&1 | head -1 || true ;;
    bind) named -v ;;
  esac
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$RUN/results.tsv"
SEC_RESULT="not measured"
for server in $SERVERS; do
  need "$(case $server in tierdns) echo java ;; knot) echo knotd ;; nsd) echo nsd ;; bind) echo named ;; esac)"
  [ "$server" != tierdns ] || [ -f "$RUN/tierdns.jar" ] || { echo "tierdns jar not found: $JAR" >&2; continue; }
  dir=$RUN/$server; mkdir -p "$dir"
  port=$(free_port)
  version=$(version_of "$server")
  sec_port=""
  if [ "$server" = tierdns ] && [ "$SECONDARY" = yes ]; then
    # The secondary first takes a small version from a tierdns primary on another port (a port
    # the first primary served TCP on cannot be bound again at once: TIME_WAIT), then that
    # primary stops; both ports are the secondary's primaries, the highest serial wins.
    echo "== tierdns secondary: taking the small first version (serial 1)"
    mkdir -p "$dir/v1" "$RUN/secondary"
    v1_port=$(free_port)
    start_tierdns "$v1_port" "$dir/v1" "$RUN/zones/v1/bench.test.zone"
    v1_pid=$(cat "$dir/v1/pid"); PIDS+=("$v1_pid")
    $PROBE wait-serial "$v1_port" bench.test. 1 "$TIMEOUT" >/dev/null || true
    sec_port=$(free_port)
    start_secondary "$sec_port" "$RUN/secondary" "$v1_port" "$port"
    sec_pid=$(cat "$RUN/secondary/pid"); PIDS+=("$sec_pid")
    if ! $PROBE wait-serial "$sec_port" bench.test. 1 "$TIMEOUT" >/dev/null; then
      echo "   the secondary did not serve serial 1; log:" >&2; tail -30 "$RUN/secondary/server.log" >&2
      stop_pid "$sec_pid"; sec_port=""
    fi
    stop_pid "$v1_pid"
  fi

  echo "== $server: loading $COUNT records on 127.0.0.1:$port"
  t0=$(date +%s%N)
  "start_$server" "$port" "$dir" "$ZONE" 127.0.0.0/8
  pid=$(cat "$dir/pid"); PIDS+=("$pid")
  load_ms=$($PROBE wait-serial "$port" bench.test. 2 "$TIMEOUT" "$t0" || true)
  if [ "$load_ms" = timeout ] || [ -z "$load_ms" ]; then
    echo "   $server did not serve serial 2 within ${TIMEOUT}s; log:" >&2; tail -30 "$dir/server.log" >&2
    printf '%s\t%s\tfailed\t\t\t\t\t\t\n' "$server" "$version" >>"$RUN/results.tsv"
    stop_pid "$pid"; [ -z "$sec_port" ] || stop_pid "$sec_pid"; continue
  fi
  hold_pin "$pid" "$SERVER_CPU" "$server"
  sleep 2
  rss=$(rss_kib "$pid")
  pss=$(pss_tree_kib "$pid")
  echo "   serves serial 2 after ${load_ms} ms; VmRSS $((rss / 1024)) MiB, PSS of the process tree $((pss / 1024)) MiB"

  cold_ms=nan
  for w in $(seq 1 "$AXFR_WARMUP"); do
    hold_pin "$pid" "$SERVER_CPU" "$server"
    read -r warm_ms warm_msgs warm_n warm_rcode < <(pin "$CLIENT_CPU" $PROBE axfr "$port" bench.test. "$TIMEOUT" 2>/dev/null || echo "nan 0 0 -1")
    [ "$w" != 1 ] || cold_ms=$warm_ms
    echo "   AXFR warm-up $w (not measured): raw reader $warm_ms ms, $warm_n records in $warm_msgs messages"
  done

  times=(); raw=(); counts=()
  for r in $(seq 1 "$AXFR_RUNS"); do
    hold_pin "$pid" "$SERVER_CPU" "$server"
    # kdig: the time it reports for the transfer ("in N ms": connect to the last message, records
    # parsed and formatted as they arrive: kdig prints an AXFR's records whatever +noall says, so
    # only its ";;" lines are kept), and the record count it received; +time: its idle timeout
    { pin "$CLIENT_CPU" timeout "$TIMEOUT" kdig @127.0.0.1 -p "$port" bench.test. AXFR +noall +stats \
        "+time=$TIMEOUT" 2>&1 || true; } | grep '^;;' >"$dir/axfr-$r.txt" || true
    n=$(sed -n 's/.*Received [0-9]* B (\([0-9]*\) messages, \([0-9]*\) records).*/\2/p' "$dir/axfr-$r.txt" | head -1)
    ms=$(sed -n 's/^;; From .* in \([0-9.]*\) ms$/\1/p' "$dir/axfr-$r.txt" | head -1)
    # a reader that does not decode records: the server's sending speed
    read -r raw_ms raw_msgs raw_n raw_rcode < <(pin "$CLIENT_CPU" $PROBE axfr "$port" bench.test. "$TIMEOUT" 2>/dev/null || echo "nan 0 0 -1")
    times+=("${ms:-nan}"); raw+=("$raw_ms"); counts+=("${n:-0}" "$raw_n")
    echo "   AXFR $r: kdig ${ms:-?} ms, ${n:-0} records; raw reader $raw_ms ms, $raw_n records in $raw_msgs messages (expected $EXPECT)"
  done
  axfr_ms=$(printf '%s\n' "${times[@]}" | median)
  raw_ms=$(printf '%s\n' "${raw[@]}" | median)
  ok=yes; for n in "${counts[@]}"; do [ "$n" = "$EXPECT" ] || ok=no; done

  if [ -n "$sec_port" ]; then
    echo "== NOTIFY -> the tierdns secondary serves serial 2"
    mark=$(wc -l <"$RUN/secondary/server.log")
    mapfile -t ack < <($PROBE notify "$sec_port" bench.test.)
    sec_ms=$($PROBE wait-serial "$sec_port" bench.test. 2 "$TIMEOUT" "${ack[1]}" || true)
    # its log line comes once the version is journaled too, which may be after it is served
    for _ in $(seq 1 50); do tail -n +"$((mark + 1))" "$RUN/secondary/server.log" | grep -q 'applied: serial' && break; sleep 0.1; done
    applied=$(tail -n +"$((mark + 1))" "$RUN/secondary/server.log" | grep -m1 'applied: serial' | sed 's/^.*zone=/zone=/' || true)
    sec_rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$sec_pid/status" 2>/dev/null || echo 0)
    SEC_RESULT="NOTIFY (${ack[0]}) -> serial 2 served after ${sec_ms} ms; secondary VmRSS $((sec_rss / 1024)) MiB (-Xms/-Xmx $SEC_HEAP); its log: ${applied:-no applied line}"
    echo "   $SEC_RESULT"
    stop_pid "$sec_pid"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$version" "$load_ms" "$((rss / 1024))" "$((pss / 1024))" \
    "$axfr_ms" "$(IFS=/; echo "${counts[*]}")" "$ok" "$raw_ms" "$cold_ms" >>"$RUN/results.tsv"
  stop_pid "$pid"
  rm -f "$dir/zones/bench.test.zone" # tierdns's copy of the zone (zones/v2 keeps the original)
done

{
  echo "# Big-zone benchmark $(basename "$RUN")"
  echo
  machine_line
  echo "Zone: bench.test., $COUNT records from gen_zone.py (serial 2); an AXFR carries $EXPECT records." \
    "$([ "$PIN" = yes ] && echo "Servers pinned to CPU $SERVER_CPU with $THREADS worker thread(s), kdig and the tierdns secondary to CPU $CLIENT_CPU." || echo "Not pinned.")" \
    "tierdns primary: java $JVM_DEFAULTS${ARCHIVE_OPTS:+ $ARCHIVE_OPTS} -Xmx$HEAP${JAVA_OPTS_EXTRA:+ $JAVA_OPTS_EXTRA} (jvm.options, then -Xmx), garbage collector $(jvm_gc "$SERVER_CPU" $JVM_DEFAULTS "-Xmx$HEAP" $JAVA_OPTS_EXTRA);" \
    "secondary jvm.options then -Xms/-Xmx $SEC_HEAP, garbage collector $(jvm_gc "$CLIENT_CPU" $JVM_DEFAULTS "-Xmx$SEC_HEAP" $JAVA_OPTS_EXTRA)."
  echo "Load = process start to the first SOA answer with serial 2 (polled every 5 ms). Memory 2 s after load."
  echo "AXFR (kdig) = the transfer time \`kdig @127.0.0.1 -p PORT bench.test. AXFR +noall +stats +time=$TIMEOUT\` reports (it parses and prints every record as it arrives);" \
    "AXFR (raw) = \`dnsprobe.py axfr\`, which reads the messages without decoding records: the server's sending speed. Medians of $AXFR_RUNS runs each, after $AXFR_WARMUP unmeasured raw-reader transfers; record counts of every run checked. First AXFR = the first of those, on a server that has sent none (cold)."
  echo
  echo "| server | version | load (ms) | VmRSS (MiB) | PSS of process tree (MiB) | AXFR kdig (ms) | AXFR raw (ms) | first AXFR raw, cold (ms) | records received | count ok | load ratio server/tierdns | memory (PSS) ratio server/tierdns | AXFR kdig ratio server/tierdns | AXFR raw ratio server/tierdns | first AXFR ratio server/tierdns |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|"
  awk -F'\t' '
    { row[NR] = $0; if ($1 == "tierdns" && $3 != "failed") { tl = $3; tm = $5; ta = $6; tr = $9; tc = $10 } }
    function ratio(a, b) { return (b > 0 && a != "" && a != "nan") ? sprintf("%.2f", a / b) : "n/a" }
    END { for (i = 1; i <= NR; i++) { split(row[i], f, "\t");
      if (f[3] == "failed") { printf "| %s | %s | failed | | | | | | | | | | | | |\n", f[1], f[2]; continue }
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], f[9], f[10], f[7], f[8],
        ratio(f[3], tl), ratio(f[5], tm), ratio(f[6], ta), ratio(f[9], tr), ratio(f[10], tc) } }' "$RUN/results.tsv"
  echo
  echo "Ratios: >= 1.00 means tierdns took no more time (load, AXFR) or memory than that server."
  echo
  echo "tierdns secondary (the $COUNT-record version after a 1,000-record one): $SEC_RESULT"
} | tee "$RUN/results.md"
echo
echo "raw output: $RUN"
