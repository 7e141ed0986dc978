#!/usr/bin/env bash
# A tierdns primary of the 1,000,000-record bench zone that compacts its journal at every commit
# (journal-max-diffs: 1), pinned to core 1; EDITS admin API PATCHes of one record (6), GAP seconds
# apart (3), each timed (HTTP round trip), then their median, p90 and maximum. What a commit that
# crosses a journal limit costs, and (with a GAP shorter than a compaction, about a second) what
# the commits that come while one is written wait for it (docs/journal.md).
# The primary starts as bigzone.sh's does (bench/lib.sh), from the class archive unless
# CLASS_ARCHIVE=off.
#
# Usage: bench/compaction.sh [JAR] [EDITS] [GAP]   (JAR: node/target/tierdns.jar by default)
#        bench/compaction.sh node/target/tierdns.jar 30 0.2   # commits during compactions
# Bounded: the start waits at most 120 s; each PATCH at most 60 s; at most 200 EDITS.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${1:-$ROOT/node/target/tierdns.jar}
EDITS=${2:-6}
GAP=${3:-3}
[ "$EDITS" -le 200 ] || { echo "at most 200 edits" >&2; exit 2; }
. "$ROOT/bench/lib.sh"
D=$(mktemp -d /tmp/tierdns-compaction.XXXX); mkdir -p $D/gen
pid=""
trap '[ -z "$pid" ] || kill $pid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf $D' EXIT
python3 "$ROOT/bench/gen_zone.py" $D/gen 1000000 --zone-only --serial 2 >/dev/null
cp "$JAR" $D/tierdns.jar
ARCHIVE_OPTS=$(class_archive $D/tierdns.jar)
P=$(free_port); A=$(free_port)
# shellcheck disable=SC2086 # a list of options
ADMIN_PORT=$A start_tierdns_primary "$P" $D/p $D/gen/bench.test.zone $D/tierdns.jar 1 1 $ARCHIVE_OPTS -Xmx2g \
  -Dtierdns.authoritative.journal-max-diffs=1
pid=$(cat $D/p/pid)
for i in $(seq 1 600); do curl -s -o /dev/null -H 'X-API-Key: bench' http://127.0.0.1:$A/api/v1/servers/localhost/zones/bench.test. -w '%{http_code}' 2>/dev/null | grep -q 200 && break; sleep 0.2; done
for i in $(seq 1 "$EDITS"); do
  patch_a_record "$A" "e$i.bench.test." "192.0.2.$((i % 250 + 1))" 60 /dev/null
  echo
  sleep "$GAP"
done >$D/patches
awk '{ printf "%s %.0f ms; ", $1, $2 * 1000 } END { print "" }' $D/patches
awk '{ print $2 * 1000 }' $D/patches | sort -n | awk '{ v[NR] = $1 } END {
  printf "%d PATCHes %s s apart: median %.0f ms, p90 %.0f ms, max %.0f ms\n", NR, gap, v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], v[NR] }' gap="$GAP"
echo "$(grep -c "journal compacted" $D/p/server.log || true) compactions logged by then"
kill $pid; wait $pid 2>/dev/null || true
