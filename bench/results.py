#!/usr/bin/env python3
"""Turns the per-round measurements of authoritative.sh / cache.sh into the results table.

Usage: results.py RUNDIR BASES

RUNDIR holds rounds.tsv (server, round, position in the round, QPS, server CPU µs per answered
query, answered, lost), latency.tsv (server, p50 ms, p99 ms, p99.9 ms, answered, lost, target
qps, achieved qps, round, and the whole run's p99 and p99.9 ms; the first three leave out the
first second of the run, dnsperf's start burst (bench/lib.sh, latency_rounds); one row per
fixed-rate run, the medians are shown; optional) and versions.tsv (server, version). BASES is a space-separated list of the
tierdns servers the others are compared with. Prints markdown: the medians per server, then
one ratio table per base, oriented so that a ratio >= 1.00 means tierdns is at least as good:

  CPU ratio  = peer CPU per query / tierdns CPU per query
  QPS ratio  = tierdns QPS / peer QPS
  p99 ratio  = peer p99 / tierdns p99 (and the same for the whole runs' p99)
"""
import statistics
import sys

run, bases = sys.argv[1], sys.argv[2].split()


def rows(name):
    try:
        with open("%s/%s" % (run, name)) as f:
            return [line.rstrip("\n").split("\t") for line in f if line.strip()]
    except FileNotFoundError:
        return []


order, rounds = [], {}
for server, rnd, pos, qps, cpu, answered, lost in rows("rounds.tsv"):
    if server not in order:
        order.append(server)
    rounds.setdefault(server, []).append(
        (int(rnd), int(pos), float(qps), float(cpu) if cpu != "nan" else float("nan"), int(answered), int(lost)))
latency_runs = {}
for r in rows("latency.tsv"):
    latency_runs.setdefault(r[0], []).append(r[1:])
versions = {r[0]: r[1] for r in rows("versions.tsv")}
for server in list(latency_runs) + list(versions):
    if server not in order:
        order.append(server)


def median(values):
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")


summary = {}
for server in order:
    rs = rounds.get(server, [])
    runs = latency_runs.get(server, [])
    summary[server] = {
        "qps": median([r[2] for r in rs]),
        "cpu": median([r[3] for r in rs]),
        "cpu_min": min([r[3] for r in rs], default=float("nan")),
        "cpu_max": max([r[3] for r in rs], default=float("nan")),
        "lost": sum(r[5] for r in rs),
        "answered": sum(r[4] for r in rs),
        "n": len(rs),
        "p50": median([float(r[0]) for r in runs]),
        "p99": median([float(r[1]) for r in runs]),
        "p999": median([float(r[2]) for r in runs]),
        "whole99": median([float(r[8]) for r in runs if len(r) > 8]),
        "whole999": median([float(r[9]) for r in runs if len(r) > 9]),
        "lat_lost": str(sum(int(r[4]) for r in runs)) if runs else "",
        "lat_rate": ("%s (%.0f)" % (runs[0][5], median([float(r[6]) for r in runs])))
        if runs and len(runs[0]) > 6 else "n/a",
        "lat_n": len(runs),
    }


def f(v, fmt):
    return "n/a" if v != v else fmt % v


def ratio(a, b):
    return "n/a" if a != a or b != b or b == 0 else "%.2f" % (a / b)


print("| server | version | rounds | QPS (median) | server CPU per answered query, µs (median; min–max) "
      "| latency runs qps (achieved, median) | p50 ms | p99 ms | p99.9 ms | whole run p99 / p99.9 ms "
      "| lost (rounds; latency runs) |")
print("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|")
for s in order:
    m = summary[s]
    print("| %s | %s | %d | %s | %s (%s–%s) | %s | %s | %s | %s | %s / %s | %d; %s |" % (
        s, versions.get(s, "?"), m["n"], f(m["qps"], "%.0f"), f(m["cpu"], "%.2f"),
        f(m["cpu_min"], "%.2f"), f(m["cpu_max"], "%.2f"), m["lat_rate"], f(m["p50"], "%.3f"), f(m["p99"], "%.3f"),
        f(m["p999"], "%.3f"), f(m["whole99"], "%.3f"), f(m["whole999"], "%.3f"), m["lost"], m["lat_lost"] or "n/a"))
for base in bases:
    if base not in summary:
        continue
    b = summary[base]
    peers = [s for s in order if s not in bases]
    if not peers:
        continue
    print()
    print("Ratios against %s (>= 1.00: %s is at least as good as the peer):" % (base, base))
    print()
    print("| peer | CPU per query, peer / %s | QPS, %s / peer | p99, peer / %s | whole run p99, peer / %s |"
          % (base, base, base, base))
    print("|---|---:|---:|---:|---:|")
    for s in peers:
        m = summary[s]
        print("| %s | %s | %s | %s | %s |" % (s, ratio(m["cpu"], b["cpu"]), ratio(b["qps"], m["qps"]),
                                             ratio(m["p99"], b["p99"]), ratio(m["whole99"], b["whole99"])))
print()
print("Every round (position = place in that round's order):")
print()
print("| server | round | position | QPS | CPU µs/query | answered | lost |")
print("|---|---:|---:|---:|---:|---:|---:|")
for s in order:
    for r in sorted(rounds.get(s, [])):
        print("| %s | %d | %d | %.0f | %s | %d | %d |" % (s, r[0], r[1], r[2], f(r[3], "%.2f"), r[4], r[5]))
