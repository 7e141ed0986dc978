#!/usr/bin/env bash
# A tierdns primary of the 1,000,000-record bench zone that compacts its journal at every commit
# (journal-max-diffs: 1), pinned to core 1; six admin API PATCHes of one record, 3 s apart, each
# timed (HTTP round trip). What a commit that crosses a journal limit costs (docs/journal.md).
#
# Usage: bench/compaction.sh [JAR]   (default node/target/tierdns.jar; the zone from gen_zone.py)
# Bounded: the start waits at most 120 s; each PATCH at most 60 s.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${1:-$ROOT/node/target/tierdns.jar}
. "$ROOT/bench/lib.sh"
D=$(mktemp -d /tmp/tierdns-compaction.XXXX); mkdir -p $D/zones
pid=""
trap '[ -z "$pid" ] || kill $pid 2>/dev/null; rm -rf $D' EXIT
python3 "$ROOT/bench/gen_zone.py" $D/zones 1000000 --zone-only --serial 2 >/dev/null
P=$(free_port); A=$(free_port)
cat > $D/t.yml <<CONF
tierdns:
  listen: ["127.0.0.1:$P"]
  authoritative:
    zone-directory: "$D/zones"
    journal-max-diffs: 1
  admin: {enabled: true, host: 127.0.0.1, port: $A, api-key: bench}
CONF
taskset -c 1 java $(sed -e 's/#.*//' "$ROOT/jvm.options") -Xmx2g -jar "$JAR" run --config $D/t.yml > $D/log 2>&1 &
pid=$!
for i in $(seq 1 600); do curl -s -o /dev/null -H 'X-API-Key: bench' http://127.0.0.1:$A/api/v1/servers/localhost/zones/bench.test. -w '%{http_code}' 2>/dev/null | grep -q 200 && break; sleep 0.2; done
for i in 1 2 3 4 5 6; do
  curl -sS --max-time 60 -o /dev/null -w "%{http_code} %{time_total}\n" -X PATCH -H 'X-API-Key: bench' -H 'Content-Type: application/json' \
    http://127.0.0.1:$A/api/v1/servers/localhost/zones/bench.test. \
    -d "{\"rrsets\": [{\"name\": \"e$i.bench.test.\", \"type\": \"A\", \"ttl\": 300, \"changetype\": \"REPLACE\", \"records\": [{\"content\": \"192.0.2.$i\"}]}]}"
  sleep 3
done | awk '{ printf "%s %.0f ms; ", $1, $2 * 1000 } END { print "" }'
kill $pid; wait $pid 2>/dev/null || true
