#!/usr/bin/env python3
"""Generates the benchmark zone and a dnsperf query file, deterministically.

Usage: gen_zone.py OUTDIR [RECORDS] [QUERIES] [SEED] [--zone-only] [--serial N] [--origin NAME]
                   [--negative-ttl SECONDS]

Writes OUTDIR/bench.test.zone (RECORDS resource records, default 100000: hosts with A, some
with AAAA and TXT, MX owners, in-zone CNAMEs, a wildcard, delegations with glue) and
OUTDIR/queries.txt (dnsperf "name TYPE" lines, default 200000) in the query mix of issue 8:

  80%  existing name and type (a positive answer): 50% A, 13% AAAA, 7% MX, 5% TXT at hosts,
       5% apex SOA/NS/MX/TXT
  10%  NXDOMAIN: names that do not exist (checked: not an owner, not an empty non-terminal,
       not below the wildcard or a delegation)
   5%  NODATA: an existing name asked for a type it does not have (AAAA, TXT or MX at a host)
   5%  CNAME / wildcard / referral, a third each: A at an in-zone CNAME, A below *.wild, A below
       a delegation (www.del-N)

Same arguments, same files (SEED defaults to 1232). Every query is checked against the
generated zone before it is written; the counts per class are printed. --zone-only writes only
the zone (the 1,000,000-record zone of bigzone.sh needs no query file); --serial sets the SOA
serial (default 2024010101); --origin names the zone (default bench.test.); --negative-ttl sets
the SOA's minimum, the TTL of negative answers (default 300).
"""
import random
import sys

args, opts = [], {}
argv = sys.argv[1:]
while argv:
    a = argv.pop(0)
    if a == "--zone-only":
        opts[a] = True
    elif a in ("--serial", "--origin", "--negative-ttl"):
        opts[a] = argv.pop(0)
    else:
        args.append(a)
zone_only = opts.get("--zone-only", False)
serial = int(opts.get("--serial", "2024010101"))
origin = opts.get("--origin", "bench.test.")
negative_ttl = int(opts.get("--negative-ttl", "300"))
if not origin.endswith("."):
    origin += "."

out = args[0]
records = int(args[1]) if len(args) > 1 else 100000
nqueries = int(args[2]) if len(args) > 2 else 200000
seed = int(args[3]) if len(args) > 3 else 1232
rnd = random.Random(seed)

lines = [
    "$ORIGIN %s" % origin,
    "$TTL 3600",
    "@ IN SOA ns1 hostmaster %d 7200 3600 1209600 %d" % (serial, negative_ttl),
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
# owner (relative) -> set of types, for checking every query against the zone
types = {"@": {"SOA", "NS", "MX", "TXT"}, "ns1": {"A"}, "ns2": {"A"}, "mail": {"A"},
         "*.wild": {"A", "TXT"}}
hosts, aaaa_hosts, txt_hosts, cnames, delegations, mx = [], [], [], [], [], []
count = len(lines) - 2
i = 0
while count < records:
    kind = i % 10
    if kind < 6:
        name = "host-%d" % i
        lines.append("%s A 10.%d.%d.%d" % (name, i >> 16 & 255, i >> 8 & 255, i & 255))
        types[name] = {"A"}
        count += 1
        if i % 3 == 0:
            lines.append("%s AAAA 2001:db8::%x:%x" % (name, i >> 16, i & 0xffff))
            types[name].add("AAAA")
            aaaa_hosts.append(name)
            count += 1
        if i % 7 == 0:
            lines.append('%s TXT "host %d"' % (name, i))
            types[name].add("TXT")
            txt_hosts.append(name)
            count += 1
        hosts.append(name)
    elif kind < 8 and hosts:
        name = "alias-%d" % i
        lines.append("%s CNAME %s" % (name, rnd.choice(hosts)))
        types[name] = {"CNAME"}
        cnames.append(name)
        count += 1
    elif kind == 8 and hosts:
        name = "mx-%d" % i
        lines.append("%s MX 10 %s" % (name, rnd.choice(hosts)))
        lines.append("%s MX 20 mail" % name)
        types[name] = {"MX"}
        mx.append(name)
        count += 2
    else:
        name = "del-%d" % i
        lines.append("%s NS ns1.%s" % (name, name))
        lines.append("ns1.%s A 192.0.2.%d" % (name, i % 250 + 1))
        types[name] = {"NS"}
        types["ns1." + name] = {"A"}
        delegations.append(name)
        count += 2
    i += 1

with open("%s/%s" % (out, "bench.test.zone" if origin == "bench.test." else origin + "zone"), "w") as f:
    f.write("\n".join(lines) + "\n")

if zone_only:
    print("records=%d serial=%d origin=%s" % (count, serial, origin))
    sys.exit(0)

# Empty non-terminals: names with no records of their own but with names below them.
ents = set()
for owner in types:
    labels = owner.split(".")
    for k in range(1, len(labels)):
        parent = ".".join(labels[k:])
        if parent not in types:
            ents.add(parent)


def check(rel, qtype, expect):
    """Asserts what the zone answers for (rel, qtype): the class the query was generated for."""
    labels = rel.split(".")
    cut = next((".".join(labels[k:]) for k in range(1, len(labels))
                if "NS" in types.get(".".join(labels[k:]), ())), None)
    if expect == "referral":
        ok = cut is not None
    elif cut is not None:
        ok = False
    elif expect == "nxdomain":
        wildcard = len(labels) > 1 and "*." + ".".join(labels[1:]) in types
        ok = rel not in types and rel not in ents and not wildcard
    elif expect == "wildcard":
        ok = rel not in types and "*." + ".".join(labels[1:]) in types
    elif expect == "cname":
        ok = types.get(rel) == {"CNAME"}
    elif expect == "nodata":
        ok = rel in types and qtype not in types[rel] and "CNAME" not in types[rel]
    else:  # existing
        ok = qtype in types.get(rel, ())
    if not ok:
        raise SystemExit("generator bug: %s %s is not %s" % (rel, qtype, expect))


def fqdn(rel):
    return origin if rel == "@" else "%s.%s" % (rel, origin)


classes = {"existing": 0, "nxdomain": 0, "nodata": 0, "cname": 0, "wildcard": 0, "referral": 0}
no_aaaa = [h for h in hosts if "AAAA" not in types[h]]
no_txt = [h for h in hosts if "TXT" not in types[h]]
apex = [("@", "SOA"), ("@", "NS"), ("@", "MX"), ("@", "TXT")]
with open("%s/queries.txt" % out, "w") as f:
    for q in range(nqueries):
        r = rnd.random()
        if r < 0.80:
            kind = "existing"
            if r < 0.50:
                rel, qtype = rnd.choice(hosts), "A"
            elif r < 0.63:
                rel, qtype = rnd.choice(aaaa_hosts), "AAAA"
            elif r < 0.70:
                rel, qtype = rnd.choice(mx), "MX"
            elif r < 0.75:
                rel, qtype = rnd.choice(txt_hosts), "TXT"
            else:
                rel, qtype = rnd.choice(apex)
        elif r < 0.90:
            kind, rel, qtype = "nxdomain", "nx-%d" % rnd.randrange(10000000), "A"
        elif r < 0.95:
            kind = "nodata"
            s = rnd.random()
            if s < 0.4:
                rel, qtype = rnd.choice(no_aaaa), "AAAA"
            elif s < 0.8:
                rel, qtype = rnd.choice(no_txt), "TXT"
            else:
                rel, qtype = rnd.choice(hosts), "MX"
        else:
            s = rnd.random()
            if s < 1 / 3:
                kind, rel, qtype = "cname", rnd.choice(cnames), "A"
            elif s < 2 / 3:
                kind, rel, qtype = "wildcard", "q%d.wild" % rnd.randrange(1000000), "A"
            else:
                kind, rel, qtype = "referral", "www." + rnd.choice(delegations), "A"
        check(rel, qtype, kind)
        classes[kind] += 1
        f.write("%s %s\n" % (fqdn(rel), qtype))

print("records=%d queries=%d %s" % (count, nqueries,
      " ".join("%s=%.1f%%" % (k, 100.0 * v / nqueries) for k, v in classes.items())))
