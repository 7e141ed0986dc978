#!/usr/bin/env bash
# The tierdns secondary of bench/bigzone.sh alone, repeated, to compare jars or JVM options: a
# primary (pinned to the server core) serves a 1,000-record version (serial 1) of the bench zone,
# the secondary (pinned to the client core, -Xms = -Xmx = --secondary-heap) takes it; a second
# primary serves the RECORDS-record version (serial 2) and is warmed with two AXFRs; then
# NOTIFY -> the secondary serves serial 2, timed. Per run it prints that time, the secondary's
# own log line (transfer, build, checks), the CPU each of its thread groups used in that window
# (from /proc: the follower, C2 and C1, the collector's VM thread) and the collector's pauses.
# With --again, one record of the zone is then changed through the primary's admin API (PATCH,
# serial 3; its time is printed) and, once the secondary is idle again (its journal written),
# NOTIFY -> serial 3 is timed the same way: an IXFR of one change to a million-record zone.
# With --edits N, N more one-record PATCHes follow, one at a time (each a new name, --gap-ms
# apart): per edit the PATCH's round trip and NOTIFY -> the secondary serves it, in edits.tsv, and
# their median, 90th percentile and maximum: what a stream of changes to a big zone costs.
# With --axfr-again, a third primary then serves another whole version (serial 1000, the same
# records; it has no journal to answer an IXFR from) in place of the second, and NOTIFY -> the
# secondary serves it is timed the same way: a full transfer into a secondary that has taken one
# before, as a running secondary does (the first is also the first of its JVM: its JIT cold).
#
# Usage: bench/secondary.sh [--records 1000000] [--runs 3] [--jar PATH] [--primary-jar PATH]
#          [--secondary-heap 1500m] [--java-opts OPTS] [--timeout 180] [--again]
#          [--edits N] [--gap-ms 200] [--axfr-again]
# --jar is the secondary's (default node/target/tierdns.jar); --primary-jar defaults to --jar.
# Runs of two jars or option sets are comparable only when interleaved: call the script
# alternately with each, as docs/benchmarks.md did. Every wait is bounded by --timeout seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
RECORDS=1000000
RUNS=3
JAR=$ROOT/node/target/tierdns.jar
PJAR=""
SEC_HEAP=1500m
JAVA_OPTS_EXTRA=""
TIMEOUT=180
AGAIN=no
EDITS=0
GAP_MS=200
AXFR_AGAIN=no
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --primary-jar) PJAR=$2; shift 2 ;;
    --secondary-heap) SEC_HEAP=$2; shift 2 ;;
    --java-opts) JAVA_OPTS_EXTRA=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --again) AGAIN=yes; shift ;;
    --edits) EDITS=$2; shift 2 ;;
    --gap-ms) GAP_MS=$2; shift 2 ;;
    --axfr-again) AXFR_AGAIN=yes; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
PJAR=${PJAR:-$JAR}
need java; need taskset; need python3; need curl
PROBE="python3 $ROOT/bench/dnsprobe.py"
RUN=$ROOT/bench/out/secondary-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN/zones/v1" "$RUN/zones/v2" "$RUN/zones/v3"
cp "$JAR" "$RUN/secondary.jar"; cp "$PJAR" "$RUN/primary.jar"
SEC_ARCHIVE=$(class_archive "$RUN/secondary.jar"); PRI_ARCHIVE=$(class_archive "$RUN/primary.jar")
python3 "$ROOT/bench/gen_zone.py" "$RUN/zones/v2" "$RECORDS" --zone-only --serial 2 >/dev/null
python3 "$ROOT/bench/gen_zone.py" "$RUN/zones/v1" 1000 --zone-only --serial 1 >/dev/null
if [ "$AXFR_AGAIN" = yes ]; then
  python3 "$ROOT/bench/gen_zone.py" "$RUN/zones/v3" "$RECORDS" --zone-only --serial 1000 >/dev/null
fi
PIDS=()
trap 'stop_all "${PIDS[@]:-}"' EXIT

# CPU ticks of the secondary's threads by name (digits dropped: "C2 CompilerThread0" and 1 add up)
threads() { # pid
  for t in /proc/"$1"/task/*; do
    echo "$(tr ' ' _ <"$t/comm") $(awk '{ print $14 + $15 }' "$t/stat")"
  done | awk '{ n = $1; sub(/[0-9]+$/, "", n); s[n] += $2 } END { for (k in s) print k, s[k] }' | sort
}

# timed_notify FROM TO: NOTIFY -> the secondary serves serial TO, timed; prints that time, its log
# line, the CPU of its thread groups and the collector's pauses in that window.
timed_notify() {
  local from=$1 to=$2 pauses ms
  sleep 1
  threads "$sec" >"$dir/cpu-before"
  pauses=$(grep -c Pause "$dir/sec/gc.log" || true)
  ms=$($PROBE notify-wait "$ps" bench.test. "$to" "$TIMEOUT")
  threads "$sec" >"$dir/cpu-after"
  # the log line comes once the transfer is journaled too, which may be after the serial is served
  for _ in $(seq 1 "$((TIMEOUT * 10))"); do grep -q "applied: serial $from -> $to" "$dir/sec/server.log" && break; sleep 0.1; done
  echo "run $run: served serial $to after ${ms} ms; $(grep "applied: serial $from -> $to" "$dir/sec/server.log" | tail -1 | sed 's/.*records, //')"
  join "$dir/cpu-before" "$dir/cpu-after" | awk -v hz="$(getconf CLK_TCK)" \
    '{ d = ($3 - $2) * 1000 / hz; if (d > 0) printf "  %s %d ms\n", $1, d }' | sort -k2 -n -r | head -6
  tail -n +"$((pauses + 1))" "$dir/sec/gc.log" | { grep Pause || true; } |
    awk '{ gsub("ms", "", $NF); s += $NF; n++ } END { printf "  collector: %d pauses, %.0f ms\n", n, s }'
}

# patch NAME ADDRESS: one-record REPLACE through the second primary's admin API; prints
# "HTTP-CODE SECONDS"
patch() {
  patch_a_record "$api" "$1" "$2" "$TIMEOUT" "$dir/patch.out"
}

# edits FROM_SERIAL: --edits one-record changes, each PATCHed, NOTIFYed and waited for at the
# secondary; per edit "n patch-ms served-ms" in edits.tsv, then the summary line
edits() {
  local serial=$1 i edit ms
  : >"$dir/edits.tsv"
  threads "$sec" >"$dir/cpu-before"
  for i in $(seq 1 "$EDITS"); do
    serial=$((serial + 1))
    edit=$(patch "stream-$i.bench.test." "192.0.2.$((i % 250 + 1))")
    [ "${edit% *}" = 200 ] || [ "${edit% *}" = 204 ] || { echo "edit $i: HTTP ${edit% *}" >&2; return 1; }
    ms=$($PROBE notify-wait "$ps" bench.test. "$serial" "$TIMEOUT")
    echo "$i $(awk -v t="${edit#* }" 'BEGIN { printf "%.1f", t * 1000 }') $ms" >>"$dir/edits.tsv"
    sleep "$(awk -v g="$GAP_MS" 'BEGIN { print g / 1000 }')"
  done
  python3 - "$dir/edits.tsv" "$run" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
def stats(col):
    v = sorted(float(r[col]) for r in rows)
    return "median %.1f, p90 %.1f, max %.1f ms" % (v[len(v) // 2], v[int(len(v) * 0.9)], v[-1])
print("run %s: %d edits: PATCH %s; served at the secondary after NOTIFY %s" % (sys.argv[2], len(rows), stats(1), stats(2)))
PY
  threads "$sec" >"$dir/cpu-after"
  echo "  the secondary's CPU over the edits, by thread group:"
  join "$dir/cpu-before" "$dir/cpu-after" | awk -v hz="$(getconf CLK_TCK)" \
    '{ d = ($3 - $2) * 1000 / hz; if (d > 0) printf "  %s %d ms\n", $1, d }' | sort -k2 -n -r | head -6
}

# wait_idle PID: until the process used less than 50 ms of CPU in a second (bounded by --timeout)
wait_idle() {
  local before after
  for _ in $(seq 1 "$TIMEOUT"); do
    before=$(awk '{ print $14 + $15 }' "/proc/$1/stat"); sleep 1; after=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
    [ $(((after - before) * 1000 / $(getconf CLK_TCK))) -lt 50 ] && return 0
  done
}

for run in $(seq 1 "$RUNS"); do
  dir=$RUN/run-$run
  pa=$(free_port); pb=$(free_port); ps=$(free_port)
  start_tierdns_primary "$pa" "$dir/p1" "$RUN/zones/v1/bench.test.zone" "$RUN/primary.jar" 1 1 $PRI_ARCHIVE -Xmx2g
  p1=$(cat "$dir/p1/pid"); PIDS+=("$p1")
  $PROBE wait-serial "$pa" bench.test. 1 "$TIMEOUT" >/dev/null
  mkdir -p "$dir/sec"
  start_tierdns_secondary "$ps" "$dir/sec" "$pa" "$pb" "$RUN/secondary.jar" 0 $SEC_ARCHIVE \
    "-Xms$SEC_HEAP" "-Xmx$SEC_HEAP" $JAVA_OPTS_EXTRA -Xlog:gc:file="$dir/sec/gc.log"
  sec=$(cat "$dir/sec/pid"); PIDS+=("$sec")
  $PROBE wait-serial "$ps" bench.test. 1 "$TIMEOUT" >/dev/null
  stop_pid "$p1"
  api=$(free_port)
  ADMIN_PORT=$api start_tierdns_primary "$pb" "$dir/p2" "$RUN/zones/v2/bench.test.zone" "$RUN/primary.jar" 1 1 $PRI_ARCHIVE -Xmx2g
  p2=$(cat "$dir/p2/pid"); PIDS+=("$p2")
  $PROBE wait-serial "$pb" bench.test. 2 "$TIMEOUT" >/dev/null
  for w in 1 2; do pin 0 $PROBE axfr "$pb" bench.test. "$TIMEOUT" >/dev/null; done
  timed_notify 1 2
  if [ "$AGAIN" = yes ]; then
    edit=$(patch edited.bench.test. 192.0.2.3)
    echo "run $run: PATCH of one record at the primary: HTTP ${edit% *} after $(awk -v t="${edit#* }" 'BEGIN { printf "%.1f", t * 1000 }') ms"
    $PROBE wait-serial "$pb" bench.test. 3 "$TIMEOUT" >/dev/null
    for w in 1 2; do pin 0 $PROBE axfr "$pb" bench.test. "$TIMEOUT" >/dev/null; done
    wait_idle "$sec"
    timed_notify 2 3
  fi
  if [ "$EDITS" -gt 0 ]; then
    wait_idle "$sec"
    edits "$([ "$AGAIN" = yes ] && echo 3 || echo 2)"
  fi
  if [ "$AXFR_AGAIN" = yes ]; then
    last=$((2 + $([ "$AGAIN" = yes ] && echo 1 || echo 0) + EDITS))
    wait_idle "$sec"
    stop_pid "$p2"
    # the third primary takes the first one's port, which the secondary still lists
    start_tierdns_primary "$pa" "$dir/p3" "$RUN/zones/v3/bench.test.zone" "$RUN/primary.jar" 1 1 $PRI_ARCHIVE -Xmx2g
    p3=$(cat "$dir/p3/pid"); PIDS+=("$p3")
    $PROBE wait-serial "$pa" bench.test. 1000 "$TIMEOUT" >/dev/null
    for w in 1 2; do pin 0 $PROBE axfr "$pa" bench.test. "$TIMEOUT" >/dev/null; done
    wait_idle "$sec"
    timed_notify "$last" 1000
    stop_pid "$p3"
  fi
  stop_pid "$sec"; stop_pid "$p2"
done
echo "raw output: $RUN"
