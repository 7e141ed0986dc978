#!/usr/bin/env bash
# Propagation benchmark: how long an admin-API edit takes to be visible at both secondaries and
# both edge caches of `./tierdns up` (primary -> secondaries -> regional cache -> edges, cache
# subscriptions on).
#
# Starts `up` on a fresh data directory (or uses a running one with --running), warms the nodes
# with the measured name, makes --warmup edits that are not counted (the JVM compiles the
# propagation path during the first ones), then for each edit PATCHes www.example.test A (a new
# address each time) through the admin API and polls the four nodes at once from one in-process
# UDP client (no process per poll; one query in flight per node, at most one per 0.5 ms) until
# each answers the new address. Two times per node and edit:
# from the primary's acknowledgement (the PATCH's 204) and from just before the PATCH was sent.
# Prints p50/p90/p99/max per node and writes the raw samples under bench/out/propagation-RUN/.
#
# Usage: bench/propagation.sh [--edits 200] [--warmup 30] [--gap-ms 100] [--timeout-ms 3000]
#                             [--max-seconds 120] [--data DIR] [--running] [--home DIR]
#   --running    measure the `up` already listening on the DESIGN.md ports (key from DATA/api-key
#                or TIERDNS_API_KEY); otherwise `HOME/tierdns up --data DIR` is started on a fresh
#                DIR (default: a new temporary directory) and stopped at the end.
#   --home       the tree whose ./tierdns launcher is run (default: this checkout).
# Bounded: at most --edits edits, each waits at most --timeout-ms, the whole measurement stops
# after --max-seconds. Everything is on 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOME_DIR=$ROOT
EDITS=200
WARMUP=30
GAP_MS=100
TIMEOUT_MS=3000
MAX_SECONDS=120
DATA=""
RUNNING=0
while [ $# -gt 0 ]; do
  case "$1" in
    --edits) EDITS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --gap-ms) GAP_MS=$2; shift 2 ;;
    --timeout-ms) TIMEOUT_MS=$2; shift 2 ;;
    --max-seconds) MAX_SECONDS=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --running) RUNNING=1; shift ;;
    --home) HOME_DIR=$(cd "$2" && pwd); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "missing binary: python3" >&2; exit 1; }
RUN=$ROOT/bench/out/propagation-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"
UP_PID=""

cleanup() {
  if [ -n "$UP_PID" ]; then
    kill "$UP_PID" 2>/dev/null || true
    wait "$UP_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [ "$RUNNING" = 0 ]; then
  if [ -z "$DATA" ]; then
    DATA=$(mktemp -d /tmp/tierdns-prop-XXXXXX)
  elif [ -e "$DATA" ]; then
    echo "data directory $DATA exists; give a fresh one, or --running to use a running up" >&2
    exit 2
  fi
  if python3 -c 'import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(("127.0.0.1",8053))!=0)'; then
    echo "something already listens on 127.0.0.1:8053 (another up?); stop it or use --running" >&2
    exit 2
  fi
  (cd "$HOME_DIR" && exec ./tierdns up --data "$DATA") >"$RUN/up.log" 2>&1 &
  UP_PID=$!
  echo "started up (pid $UP_PID, data $DATA, log $RUN/up.log)" >&2
fi
DATA=${DATA:-$ROOT/.tierdns}
KEY=${TIERDNS_API_KEY:-}

python3 - "$RUN" "$DATA" "$KEY" "$EDITS" "$GAP_MS" "$TIMEOUT_MS" "$MAX_SECONDS" "$WARMUP" <<'PY'
import http.client, json, os, random, socket, struct, sys, time

run, data, key, edits, gap_ms, timeout_ms, max_seconds, warmup = sys.argv[1:9]
edits, gap_ms, timeout_ms, max_seconds, warmup = int(edits), int(gap_ms), int(timeout_ms), int(max_seconds), int(warmup)
EDGES = [("secondary-1", 5301), ("secondary-2", 5302), ("edge-1", 5320), ("edge-2", 5321)]
NAME, ZONE = "www.example.test.", "example.test."

def wait_for(what, check, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"timed out waiting for {what}")

def qname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"

def skip_name(buf, i):
    while True:
        n = buf[i]
        if n == 0:
            return i + 1
        if n & 0xC0 == 0xC0:
            return i + 2
        i += 1 + n

QUESTION = qname(NAME) + struct.pack("!HH", 1, 1)

def answer_a(buf, qid):
    """The A addresses of a response to our query, or None when it is not one."""
    if len(buf) < 12:
        return None
    rid, flags, qd, an = struct.unpack("!HHHH", buf[:8])
    if rid != qid or not flags & 0x8000 or flags & 0xF:
        return None
    i = 12
    for _ in range(qd):
        i = skip_name(buf, i) + 4
    addrs = set()
    for _ in range(an):
        i = skip_name(buf, i)
        rtype, _, _, rdlen = struct.unpack("!HHIH", buf[i:i + 10])
        i += 10
        if rtype == 1 and rdlen == 4:
            addrs.add(socket.inet_ntoa(buf[i:i + 4]))
        i += rdlen
    return addrs

class Poller:
    """One UDP socket per edge; one query in flight per edge; a lost answer is re-asked."""
    def __init__(self):
        self.socks = []
        for _, port in EDGES:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect(("127.0.0.1", port))
            s.settimeout(0.2)
            self.socks.append(s)
        self.qid = random.randrange(65536)

    def ask(self, k):
        self.qid = (self.qid + 1) & 0xFFFF
        qid = self.qid
        self.socks[k].send(struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + QUESTION)
        deadline = time.monotonic() + 0.2
        while time.monotonic() < deadline:
            try:
                got = answer_a(self.socks[k].recv(4096), qid)
            except socket.timeout:
                return None
            if got is not None:
                return got
        return None

    def watch(self, addr, t0, timeout):
        """Polls every node at once until each answers {addr}: one query in flight per node, the
        next one 0.5 ms after the last was sent (or at once if its answer took longer), a lost one
        asked again after 200 ms. A slow node (a cache miss) does not hold up the others.
        Returns, per node, the monotonic time of its first answer with addr, or None."""
        import selectors
        n = len(self.socks)
        sel = selectors.DefaultSelector()
        for k, s in enumerate(self.socks):
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ, k)
        seen, qids, sent, due = [None] * n, [None] * n, [0.0] * n, [0.0] * n
        def send(k):
            self.qid = (self.qid + 1) & 0xFFFF
            qids[k] = self.qid
            sent[k] = time.monotonic()
            self.socks[k].send(struct.pack("!HHHHHH", self.qid, 0x0100, 1, 0, 0, 0) + QUESTION)
            due[k] = None
        try:
            for k in range(n):
                send(k)
            while any(x is None for x in seen) and time.monotonic() - t0 < timeout:
                now = time.monotonic()
                for k in range(n):
                    if seen[k] is None and ((due[k] is not None and now >= due[k]) or now - sent[k] > 0.2):
                        send(k)
                waits = [due[k] - now for k in range(n) if seen[k] is None and due[k] is not None]
                for key, _ in sel.select(max(0.0, min(waits + [0.01]))):
                    k = key.data
                    try:
                        got = answer_a(self.socks[k].recv(4096), qids[k])
                    except BlockingIOError:
                        continue
                    if got is None or seen[k] is not None:
                        continue
                    if got == {addr}:
                        seen[k] = time.monotonic()
                    else:
                        due[k] = sent[k] + 0.0005
        finally:
            sel.close()
            for s in self.socks:
                s.setblocking(True)
                s.settimeout(0.2)
        return seen

poller = Poller()
wait_for("the edges to answer", lambda: all(poller.ask(k) for k in range(len(EDGES))))
if not key:
    wait_for("DATA/api-key", lambda: os.path.isfile(os.path.join(data, "api-key")))
    key = open(os.path.join(data, "api-key")).read().strip()
api = http.client.HTTPConnection("127.0.0.1", 8053, timeout=5)

def patch(addr):
    body = json.dumps({"rrsets": [{"name": NAME, "type": "A", "ttl": 300, "changetype": "REPLACE",
                                   "records": [{"content": addr, "disabled": False}]}]})
    api.request("PATCH", f"/api/v1/servers/localhost/zones/{ZONE}", body,
                {"X-API-Key": key, "Content-Type": "application/json"})
    r = api.getresponse()
    r.read()
    if r.status != 204:
        sys.exit(f"PATCH answered {r.status}")
    return r.getheader("X-Tierdns-Serial")

# Settle: subscriptions take their baselines at start-up; one edit seen everywhere, then warm.
patch("192.0.2.1")
wait_for("the first edit at the edges", lambda: all(poller.ask(k) == {"192.0.2.1"} for k in range(len(EDGES))), 30)
for _ in range(20):
    for k in range(len(EDGES)):
        poller.ask(k)

samples = {name: [] for name, _ in EDGES}   # ms from the PATCH's acknowledgement
sent = {name: [] for name, _ in EDGES}      # ms from just before the PATCH was sent
missed = {name: 0 for name, _ in EDGES}
rows = []
started = time.monotonic()
done = 0
for n in range(-warmup, edits):
    if n == 0:
        started = time.monotonic()
    if n >= 0 and time.monotonic() - started > max_seconds:
        break
    addr = f"192.0.2.{(n % 250) + 2}"
    time.sleep(gap_ms / 1000 * (0.5 + random.random()))
    wall = time.time()
    t0 = time.monotonic()
    serial = patch(addr)
    t_ack = time.monotonic()
    seen = poller.watch(addr, t0, timeout_ms / 1000)
    if n >= 0:
        done += 1
        for k, (name, _) in enumerate(EDGES):
            if seen[k] is None:
                missed[name] += 1
            else:
                samples[name].append((seen[k] - t_ack) * 1000)
                sent[name].append((seen[k] - t0) * 1000)
        rows.append((n, serial, time.strftime("%H:%M:%S", time.localtime(wall)) + ".%03d" % (wall % 1 * 1000), round((t_ack - t0) * 1000, 1))
                    + tuple(None if s is None else round((s - t_ack) * 1000, 2) for s in seen))
    # Wait until every node shows this edit before the next one (a missed one: re-sync).
    wait_for("edit %d everywhere" % n, lambda: all(poller.ask(k) == {addr} for k in range(len(EDGES))), 30)

def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]

with open(os.path.join(run, "samples.csv"), "w") as f:
    f.write("edit,serial,sent_at,api_ms," + ",".join(n + "_ms_after_ack" for n, _ in EDGES) + "\n")
    for r in rows:
        f.write(",".join("" if v is None else str(v) for v in r) + "\n")
lines = [f"edits: {done} measured after {warmup} warm-up edits (www.example.test A, TTL 300), poll: in-process UDP",
         "", "| node | n | p50 ms | p90 ms | p99 ms | max ms | p50 / p99 ms from sending the PATCH | not visible in %d ms |" % timeout_ms,
         "|---|---:|---:|---:|---:|---:|---:|---:|"]
def row(name, xs, ys, miss):
    mx = max(xs) if xs else float('nan')
    return f"| {name} | {len(xs)} | {pct(xs,50):.1f} | {pct(xs,90):.1f} | {pct(xs,99):.1f} | {mx:.1f} | {pct(ys,50):.1f} / {pct(ys,99):.1f} | {miss} |"
for name, _ in EDGES:
    lines.append(row(name, samples[name], sent[name], missed[name]))
for group in ("secondary", "edge"):
    names = [name for name, _ in EDGES if name.startswith(group)]
    lines.append(row(f"both {group}s", sum((samples[n] for n in names), []), sum((sent[n] for n in names), []), sum(missed[n] for n in names)))
lines.append("")
lines.append("Times are from the primary's acknowledgement (the PATCH's 204) to the first answer with the new address.")
api_ms = [r[3] for r in rows]
lines.append("")
lines.append(f"admin API PATCH round trip: p50 {pct(api_ms,50):.1f} ms, max {max(api_ms):.1f} ms")
out = "\n".join(lines)
print(out)
open(os.path.join(run, "results.md"), "w").write(out + "\n")
PY
echo "raw samples: $RUN/samples.csv" >&2
