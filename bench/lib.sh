# Shared helpers of the bench/*.sh scripts (sourced, not run): ports, waiting, pinning, CPU and
# memory from /proc, dnsperf output. Every function is bounded in time.

CLK_TCK=$(getconf CLK_TCK)

need() { command -v "$1" >/dev/null || { echo "missing binary: $1" >&2; exit 1; }; }

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

# wait_soa PORT LOG [ZONE] [+norec|+rec] [SECONDS]: poll the zone's SOA until it answers.
wait_soa() {
  local port=$1 log=$2 zone=${3:-bench.test.} rec=${4:-+norec} secs=${5:-120} end
  end=$((SECONDS + secs))
  while [ "$SECONDS" -lt "$end" ]; do
    if dig @127.0.0.1 -p "$port" "$zone" SOA "$rec" +time=1 +tries=1 +short 2>/dev/null | grep -q hostmaster; then
      return 0
    fi
    sleep 0.2
  done
  echo "server on port $port did not answer SOA of $zone within ${secs}s; log:" >&2; tail -50 "$log" >&2; return 1
}

# pin_cmd CPU: the command prefix that pins to that CPU ("taskset -c CPU"; nothing with PIN=no).
# Used unquoted in front of a server started in the background, `$(pin_cmd 1) nsd ... &`, so that
# $! is the server's own PID (taskset execs it); a shell function run with & would be a subshell.
pin_cmd() {
  if [ "${PIN:-yes}" = yes ]; then echo "taskset -c $1"; fi
}

# start_tierdns_primary PORT DIR ZONEFILE JAR CPU THREADS [JVM options...]: a tierdns primary of
# bench.test. from ZONEFILE (copied to DIR/zones), transfers allowed to loopback, on 127.0.0.1:PORT
# with THREADS I/O threads, pinned to CPU, started with jvm.options then the options given; its
# PID in DIR/pid, its log appended to DIR/server.log (bigzone.sh, secondary.sh). With ADMIN_PORT
# set, its admin API listens on 127.0.0.1:ADMIN_PORT with the API key "bench".
start_tierdns_primary() {
  local port=$1 dir=$2 zone=$3 jar=$4 cpu=$5 threads=$6
  shift 6
  mkdir -p "$dir/zones" && cp "$zone" "$dir/zones/bench.test.zone"
  cat >"$dir/tierdns.yml" <<CONF
tierdns:
  node-name: bench-primary
  listen: ["127.0.0.1:$port"]
  wire:
    io-threads: $threads
  authoritative:
    zone-directory: "$dir/zones"
    zone-defaults:
      allow-transfer: ["127.0.0.0/8"]
CONF
  if [ -n "${ADMIN_PORT:-}" ]; then
    echo "  admin: {enabled: true, host: 127.0.0.1, port: $ADMIN_PORT, api-key: bench}" >>"$dir/tierdns.yml"
  fi
  $(pin_cmd "$cpu") java $JVM_DEFAULTS "$@" -jar "$jar" run --config "$dir/tierdns.yml" >>"$dir/server.log" 2>&1 &
  echo $! >"$dir/pid"
}

# patch_a_record API-PORT NAME ADDRESS MAX-SECONDS OUT-FILE: one-record A REPLACE in bench.test.
# through the admin API of a primary started with ADMIN_PORT (key "bench"); the body goes to
# OUT-FILE; prints "HTTP-CODE SECONDS" (curl's round trip).
patch_a_record() {
  curl -sS -o "$5" -w '%{http_code} %{time_total}' -X PATCH -H 'X-API-Key: bench' \
    -H 'Content-Type: application/json' --max-time "$4" \
    "http://127.0.0.1:$1/api/v1/servers/localhost/zones/bench.test." \
    -d '{"rrsets": [{"name": "'"$2"'", "type": "A", "ttl": 300, "changetype": "REPLACE", "records": [{"content": "'"$3"'"}]}]}'
}

# start_tierdns_secondary PORT DIR PRIMARY-PORT ANOTHER-PRIMARY-PORT JAR CPU [JVM options...]: a
# tierdns secondary of bench.test. from both primaries on 127.0.0.1 (the highest serial wins),
# NOTIFY acted on at once, journal in DIR/journal, pinned to CPU; PID in DIR/pid, log in
# DIR/server.log.
start_tierdns_secondary() {
  local port=$1 dir=$2 p1=$3 p2=$4 jar=$5 cpu=$6
  shift 6
  mkdir -p "$dir/journal"
  cat >"$dir/tierdns.yml" <<CONF
tierdns:
  node-name: bench-secondary
  listen: ["127.0.0.1:$port"]
  secondary:
    journal-directory: "$dir/journal"
    notify-delay: 0s
    zones:
      - name: bench.test.
        primaries: ["127.0.0.1:$p1", "127.0.0.1:$p2"]
        allow-transfer: ["127.0.0.0/8"]
CONF
  $(pin_cmd "$cpu") java $JVM_DEFAULTS "$@" -jar "$jar" run --config "$dir/tierdns.yml" >"$dir/server.log" 2>&1 &
  echo $! >"$dir/pid"
}

# pin CPU COMMAND...: runs COMMAND in the foreground on that CPU (unpinned with PIN=no).
pin() {
  local cpu=$1; shift
  if [ "${PIN:-yes}" = yes ]; then taskset -c "$cpu" "$@"; else "$@"; fi
}

# hold_pin PID CPU [NAME]: every thread of PID and its descendants back on CPU. A server may set
# its own threads' affinity after taskset started it (Knot DNS pins UDP worker i to CPU i modulo
# the CPU count, which puts its only worker on dnsperf's core); the benchmarks pin servers to one
# core and dnsperf to the other, so any thread found elsewhere is moved back, and said so on
# stderr and in RUN/affinity.log. Called once a server answers and before every measured run
# (threads started later inherit the affinity of their process). No-op with PIN=no.
hold_pin() {
  [ "${PIN:-yes}" = yes ] || return 0
  local pid=$1 cpu=$2 name=${3:-$1} p t list moved=""
  for p in $(tree_pids "$pid"); do
    for t in /proc/"$p"/task/*; do
      t=${t##*/}
      list=$(taskset -c -p "$t" 2>/dev/null | sed 's/.*: //') || continue
      if [ -n "$list" ] && [ "$list" != "$cpu" ]; then
        taskset -c -p "$cpu" "$t" >/dev/null 2>&1 && moved="$moved $t($list)"
      fi
    done
  done
  if [ -n "$moved" ]; then
    echo "   $name: threads had left CPU $cpu, moved back:$moved" | tee -a "${RUN:-/tmp}/affinity.log" >&2
  fi
}

# The peer servers, configured alike in every script: listening on 127.0.0.1:PORT only, THREADS
# worker threads, pinned to SERVER_CPU (pin_cmd), the zone bench.test. from ZONEFILE, files and
# log (server.log) in DIR, the PID in DIR/pid. XFR_ACL (optional, e.g. 127.0.0.0/8) is who may
# transfer the zone; none when empty.
#   start_nsd PORT DIR ZONEFILE [XFR_ACL]; start_knot ...; start_bind ...
start_nsd() {
  local port=$1 dir=$2 zone=$3 acl=${4:-}
  cat >"$dir/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1
    port: $port
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$dir"
    database: ""
    pidfile: "$dir/nsd.pid"
    xfrdfile: "$dir/xfrd.state"
    zonelistfile: "$dir/zone.list"
    xfrdir: "$dir"
    server-count: $THREADS
    verbosity: 1
    # Debian's NSD has response-rate limiting on by default; the others have none.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: bench.test.
    zonefile: "$zone"
CONF
  [ -z "$acl" ] || echo "    provide-xfr: $acl NOKEY" >>"$dir/nsd.conf"
  $(pin_cmd "$SERVER_CPU") nsd -d -c "$dir/nsd.conf" >"$dir/server.log" 2>&1 &
  echo $! >"$dir/pid"
}

start_knot() {
  local port=$1 dir=$2 zone=$3 acl=${4:-}
  mkdir -p "$dir/db"
  cat >"$dir/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$port
    rundir: "$dir"
    udp-workers: $THREADS
    tcp-workers: $THREADS
    background-workers: 1
database:
    storage: "$dir/db"
log:
  - target: stderr
    any: notice
$([ -z "$acl" ] || printf 'acl:\n  - id: xfr\n    address: %s\n    action: transfer\n' "$acl")
template:
  - id: default
    storage: "$dir"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: bench.test.
    file: "$zone"
$([ -z "$acl" ] || echo "    acl: xfr")
CONF
  $(pin_cmd "$SERVER_CPU") knotd -c "$dir/knot.conf" >"$dir/server.log" 2>&1 &
  echo $! >"$dir/pid"
}

start_bind() {
  local port=$1 dir=$2 zone=$3 acl=${4:-}
  cat >"$dir/named.conf" <<CONF
options {
    directory "$dir";
    pid-file "$dir/named.pid";
    session-keyfile "$dir/session.key";
    listen-on port $port { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
    allow-transfer { ${acl:-none}; };
};
controls { };
zone "bench.test" { type primary; file "$zone"; };
CONF
  $(pin_cmd "$SERVER_CPU") named -g -n "$THREADS" -c "$dir/named.conf" >"$dir/server.log" 2>&1 &
  echo $! >"$dir/pid"
}

# cpu_ticks PID: utime+stime in clock ticks of PID and all its descendants (every thread of each:
# the whole JVM; NSD's forked server processes), read from /proc/*/stat.
cpu_ticks() {
  python3 - "$1" <<'PY'
import os, sys
root = int(sys.argv[1])
stats = {}
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rindex(")") + 2:].split()
        # fields after the name: state(3) ppid(4) ... utime(14) stime(15)
        stats[int(d)] = (int(rest[1]), int(rest[11]) + int(rest[12]))
children = {}
for pid, (ppid, _) in stats.items():
    children.setdefault(ppid, []).append(pid)
total, todo = 0, [root]
while todo:
    p = todo.pop()
    if p in stats:
        total += stats[p][1]
        todo.extend(children.get(p, []))
print(total)
PY
}

# tree_pids PID: PID and all its descendants.
tree_pids() {
  python3 - "$1" <<'PY'
import os, sys
parent = {}
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
            parent[int(d)] = int(s[s.rindex(")") + 2:].split()[1])
        except OSError:
            pass
todo, seen = [int(sys.argv[1])], []
while todo:
    p = todo.pop()
    seen.append(p)
    todo.extend(c for c, pp in parent.items() if pp == p)
print(" ".join(map(str, seen)))
PY
}

# rss_kib PID: VmRSS of PID alone, in KiB (all threads of a JVM share one address space).
rss_kib() {
  sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null || echo 0
}

# pss_tree_kib PID: proportional set size summed over PID and its descendants, in KiB: the
# memory of a forking server (NSD) without counting shared pages twice.
pss_tree_kib() {
  local total=0 p v
  for p in $(tree_pids "$1"); do
    v=$(sed -n 's/^Pss:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# stop_pid PID: TERM, wait up to 10 s, then KILL.
stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
}

# dnsperf_field FILE LABEL: the first number after LABEL in a dnsperf report.
dnsperf_field() {
  grep -m1 "$2" "$1" | sed -e "s/.*$2:* *//" -e 's/ .*//'
}

# latency_percentiles FILE [SKIP]: "p50_ms p99_ms p999_ms answered lost whole_p99_ms whole_p999_ms"
# from `dnsperf -v` output (one "> RCODE NAME TYPE SECONDS" line per response, in the order they
# came; a lost query is "> T NAME TYPE"). p50/p99/p99.9 leave out the first SKIP answers (0: none);
# the last two are over every answer.
latency_percentiles() {
  python3 - "$1" "${2:-0}" <<'PY'
import sys
lat, lost = [], 0
skip = int(sys.argv[2])
with open(sys.argv[1], errors="replace") as f:
    for line in f:
        if not line.startswith("> "):
            continue
        p = line.split()
        if p[1] == "T":
            lost += 1
            continue
        try:
            lat.append(float(p[-1]))
        except ValueError:
            pass
def pct(values, q):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))] * 1000
steady = sorted(lat[skip:])
whole = sorted(lat)
print("%.3f %.3f %.3f %d %d %.3f %.3f" % (pct(steady, 0.50), pct(steady, 0.99), pct(steady, 0.999),
                                          len(lat), lost, pct(whole, 0.99), pct(whole, 0.999)))
PY
}

# latency_rounds ROUNDS QPS DURATION SERVER... : ROUNDS interleaved fixed-rate runs per server (the
# order rotated each round), each `perf SERVER FILE -l DURATION -Q QPS -v EXTRA...` with the
# caller's `perf` function and LATENCY_EXTRA (more dnsperf options); one latency.tsv row per run
# (server, p50, p99, p99.9, answered, lost, target qps, achieved qps, round, p99 and p99.9 of the
# whole run). results.py takes the median of the runs. One fixed-rate run is at the mercy of one
# scheduling hiccup of the shared machine; the median of interleaved runs is what the throughput
# rounds report too.
#
# The percentiles leave out the answers of the first LATENCY_SKIP_SECONDS (1) of each run (QPS x
# that many answers): dnsperf starts by sending its -q outstanding queries at once, not at the
# fixed rate, and the queue that burst makes at any server held nearly all of a run's answers
# slower than 1 ms (docs/benchmarks.md); a whole run's p99 measured that burst, not the server at
# QPS. The whole run's p99 and p99.9 are kept next to them.
latency_rounds() {
  local rounds=$1 qps=$2 duration=$3; shift 3
  local servers=("$@") n=$# round k server out p50 p99 p999 answered lost achieved whole99 whole999
  local skip=$((qps * ${LATENCY_SKIP_SECONDS:-1}))
  : >"$RUN/latency.tsv"
  for round in $(seq 1 "$rounds"); do
    for k in $(seq 0 $((n - 1))); do
      server=${servers[$(((k + round - 1) % n))]}
      out=$RUN/$server/latency-$round.txt
      perf "$server" "$out" -l "$duration" -Q "$qps" $LATENCY_EXTRA -v
      read -r p50 p99 p999 answered lost whole99 whole999 < <(latency_percentiles "$out" "$skip")
      achieved=$(dnsperf_field "$out" "Queries per second")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%d\t%s\t%s\n' "$server" "$p50" "$p99" "$p999" "$answered" "$lost" "$qps" "${achieved:-0}" "$round" "$whole99" "$whole999" >>"$RUN/latency.tsv"
      echo "   $server at $qps qps, round $round/$rounds (achieved ${achieved:-?}): after the first ${LATENCY_SKIP_SECONDS:-1} s p50=${p50}ms p99=${p99}ms p99.9=${p999}ms; whole run p99=${whole99}ms p99.9=${whole999}ms; answered=$answered lost=$lost"
      grep -v '^> ' "$out" >"$out.summary" || true
      gzip -f "$out"
    done
  done
}

machine_line() {
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr), load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
}

# The JVM options ./tierdns starts every node with (jvm.options, docs/configuration.md "Memory").
# The scripts put them first, as the launcher does, so that a tierdns JVM here runs as an operator's
# does; the scripts' own heap options and --java-opts come after them and win.
# Read by the launcher itself (one parser); joined here, as the scripts split them on whitespace.
JVM_DEFAULTS=$("$ROOT/tierdns" jvm-options | paste -sd ' ')

# class_archive JAR: the JVM options with which ./tierdns starts JAR from its class-data archive
# (recorded beside JAR by the launcher's training run the first time, a few seconds on both cores:
# call it before anything is measured); nothing with CLASS_ARCHIVE=off. The archive names JAR's
# path, so a script records it for the copy it starts and starts that copy every round.
class_archive() {
  [ "${CLASS_ARCHIVE:-on}" = off ] || TIERDNS_JAR=$1 "$ROOT/tierdns" class-archive
}

tierdns_version() { # JAR
  echo "tierdns jar sha256 $(sha256sum "$1" | cut -c1-12), tree $(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo '?') (java $(java -version 2>&1 | head -1 | cut -d'"' -f2))"
}

# jvm_gc CPU JAVA_OPTIONS...: the garbage collector the JVM picks when started like the server
# (pinned to one CPU, a JVM without GC options takes Serial GC; on 2 CPUs, G1).
jvm_gc() {
  local cpu=$1; shift
  $(pin_cmd "$cpu") java "$@" -Xlog:gc -version 2>&1 | sed -n 's/.*Using //p' | head -1
}

# stop_all PID...: TERM to all, wait up to 10 s for all to exit, then KILL what is left.
stop_all() {
  local pid alive
  for pid in "$@"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    alive=no
    for pid in "$@"; do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && alive=yes; done
    [ "$alive" = yes ] || return 0
    sleep 0.25
  done
  for pid in "$@"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; done
}
