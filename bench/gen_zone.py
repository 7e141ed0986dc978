#!/usr/bin/env python3
"""Generates the benchmark zone and a dnsperf query file, deterministically.

Usage: gen_zone.py OUTDIR [RECORDS] [QUERIES] [SEED]

Writes OUTDIR/bench.test.zone (RECORDS resource records, default 100000: hosts with A and
AAAA, MX and TXT, in-zone CNAMEs, a wildcard, delegations with glue) and OUTDIR/queries.txt
(dnsperf "name TYPE" lines, default 200000: existing names with several types, CNAMEs,
wildcard hits, referrals and about 10% NXDOMAIN). Same arguments, same files.
"""
import random
import sys

out = sys.argv[1]
records = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
nqueries = int(sys.argv[3]) if len(sys.argv) > 3 else 200000
rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1232)
origin = "bench.test."

lines = [
    "$ORIGIN bench.test.",
    "$TTL 3600",
    "@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300",
    "@ NS ns1",
    "@ NS ns2",
    "@ MX 10 mail",
    '@ TXT "v=spf1 -all"',
    "ns1 A 192.0.2.53",
    "ns2 A 192.0.2.54",
    "mail A 192.0.2.25",
    "*.wild A 192.0.2.99",
    '*.wild TXT "wildcard"',
]
hosts, cnames, delegations, mx = [], [], [], []
count = len(lines) - 2
i = 0
while count < records:
    kind = i % 10
    if kind < 6:
        name = "host-%d" % i
        lines.append("%s A 10.%d.%d.%d" % (name, i >> 16 & 255, i >> 8 & 255, i & 255))
        count += 1
        if i % 3 == 0:
            lines.append("%s AAAA 2001:db8::%x:%x" % (name, i >> 16, i & 0xffff))
            count += 1
        if i % 7 == 0:
            lines.append('%s TXT "host %d"' % (name, i))
            count += 1
        hosts.append(name)
    elif kind < 8 and hosts:
        name = "alias-%d" % i
        lines.append("%s CNAME %s" % (name, rnd.choice(hosts)))
        cnames.append(name)
        count += 1
    elif kind == 8 and hosts:
        name = "mx-%d" % i
        lines.append("%s MX 10 %s" % (name, rnd.choice(hosts)))
        lines.append("%s MX 20 mail" % name)
        mx.append(name)
        count += 2
    else:
        name = "del-%d" % i
        lines.append("%s NS ns1.%s" % (name, name))
        lines.append("ns1.%s A 192.0.2.%d" % (name, i % 250 + 1))
        delegations.append(name)
        count += 2
    i += 1

with open("%s/bench.test.zone" % out, "w") as f:
    f.write("\n".join(lines) + "\n")

with open("%s/queries.txt" % out, "w") as f:
    for q in range(nqueries):
        r = rnd.random()
        if r < 0.45:
            f.write("%s.%s A\n" % (rnd.choice(hosts), origin))
        elif r < 0.55:
            f.write("%s.%s AAAA\n" % (rnd.choice(hosts), origin))
        elif r < 0.62:
            f.write("%s.%s A\n" % (rnd.choice(cnames), origin))
        elif r < 0.67:
            f.write("%s.%s MX\n" % (rnd.choice(mx), origin))
        elif r < 0.72:
            f.write("%s.%s TXT\n" % (rnd.choice(hosts), origin))
        elif r < 0.77:
            f.write("q%d.wild.%s A\n" % (rnd.randrange(1000000), origin))
        elif r < 0.82:
            f.write("www.%s.%s A\n" % (rnd.choice(delegations), origin))
        elif r < 0.92:
            f.write("nx-%d.%s A\n" % (rnd.randrange(1000000), origin))
        else:
            f.write("%s SOA\n" % origin)

print("records=%d queries=%d" % (count, nqueries))
