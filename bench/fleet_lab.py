#!/usr/bin/env python3
"""bench/fleet_lab.py OUT: writes the fleet bench's lab under OUT.

A root (NSD) delegating the TLD flt. to NSD and Knot, flt. delegating ZONES
child zones with glue, the child zones on one NSD and one Knot process (each
listening on ADDRS addresses), faults at known rates, the list for `fleet`,
a truth file and dnsperf's query file. Addresses: 127.60.0.0/16 only (the lab
of lab/ uses 127.53.0.0/16). Run by bench/fleet.sh; see bench/README.md.

Environment: ZONES (20000), ADDRS (16 per child server), FAULT_PCT (2: the
share of the zones, in percent, given each fault), NOT_DELEGATED (FAULT_PCT%
of ZONES), GARBAGE (number of bad lines, 20), SEED (1).

OUT/truth.tsv: `input<TAB>class<TAB>code`, one line per line of OUT/domains.txt:
class is healthy, lame, ns_mismatch, serial, dead, not_delegated or garbage;
code the finding the class must give (empty for healthy, `exit3` for garbage).
"""
import os
import random
import sys

out = sys.argv[1]
ZONES = int(os.environ.get("ZONES", "20000"))
ADDRS = int(os.environ.get("ADDRS", "16"))
PCT = float(os.environ.get("FAULT_PCT", "2"))
NOTDEL = int(os.environ.get("NOT_DELEGATED", str(int(ZONES * PCT / 100))))
GARBAGE = int(os.environ.get("GARBAGE", "20"))
rng = random.Random(int(os.environ.get("SEED", "1")))
assert 1 <= ADDRS <= 250 and ZONES >= 1

ROOT_ADDRS = ["127.60.0.1", "127.60.0.2"]  # NSD (nsd-root)
TLD = [("ns1.nic.flt.", "127.60.1.1", "nsd"), ("ns2.nic.flt.", "127.60.1.2", "knot"),
       ("ns3.nic.flt.", "127.60.1.3", "nsd"), ("ns4.nic.flt.", "127.60.1.4", "knot")]
NSD_CHILD = [f"127.60.10.{i + 1}" for i in range(ADDRS)]
KNOT_CHILD = [f"127.60.20.{i + 1}" for i in range(ADDRS)]
LAME_ADDR = "127.60.30.1"  # NSD (nsd-lame): holds none of the child zones: REFUSED
DEAD_ADDR = "127.60.40.1"  # nothing listens
SERIAL = 2026120701
CLASS_CODE = {"healthy": "", "lame": "LAME_DELEGATION",
              "ns_mismatch": "DELEGATION_NS_MISMATCH",
              "serial": "SOA_SERIAL_MISMATCH", "dead": "NS_UNREACHABLE",
              "not_delegated": "DOMAIN_NOT_DELEGATED", "garbage": "exit3"}

for d in ("zones/c", "zones/k", "srv/nsd-root", "srv/nsd-tld", "srv/knot-tld",
          "srv/nsd-child", "srv/knot-child", "srv/nsd-lame", "srv/knot-tld/db",
          "srv/knot-child/db"):
    os.makedirs(f"{out}/{d}", exist_ok=True)


def soa(origin, serial):
    return (f"$ORIGIN {origin}\n$TTL 3600\n"
            f"@ SOA ns1.{origin} hostmaster.{origin} {serial} 3600 900 604800 300\n")


# Faults: each class takes PCT% of the zones, chosen at random, disjoint.
names = [f"z{i:06d}.flt." for i in range(ZONES)]
klass = ["healthy"] * ZONES
per = int(ZONES * PCT / 100)
picked = rng.sample(range(ZONES), min(ZONES, 4 * per))
for j, cls in enumerate(("lame", "ns_mismatch", "serial", "dead")):
    for i in picked[j * per:(j + 1) * per]:
        klass[i] = cls

tld = [soa("flt.", SERIAL)]
tld += [f"@ NS {n}\n" for n, _, _ in TLD] + [f"{n} A {a}\n" for n, a, _ in TLD]
knot_files = {}
for i, z in enumerate(names):
    cls = klass[i]
    a1, a2 = NSD_CHILD[i % ADDRS], KNOT_CHILD[i % ADDRS]
    if cls == "dead":
        a2 = DEAD_ADDR
    parent = [("ns1." + z, a1), ("ns2." + z, a2)]
    child = list(parent)
    if cls == "lame":
        parent.append(("ns3." + z, LAME_ADDR))
        child.append(("ns3." + z, LAME_ADDR))
    elif cls == "ns_mismatch":
        child.append(("ns3." + z, NSD_CHILD[(i + 1) % ADDRS]))
    for n, a in parent:
        tld.append(f"{z} NS {n}\n{n} A {a}\n")
    body = "".join(f"@ NS {n}\n" for n, _ in child)
    body += "".join(f"{n} A {a}\n" for n, a in child)
    body += "www A 127.60.200.1\n"
    with open(f"{out}/zones/c/{z}zone", "w") as f:
        f.write(soa(z, SERIAL) + body)
    if cls == "serial":
        with open(f"{out}/zones/k/{z}zone", "w") as f:
            f.write(soa(z, SERIAL - 1) + body)
        knot_files[z] = f"{out}/zones/k/{z}zone"
with open(f"{out}/zones/flt.zone", "w") as f:
    f.writelines(tld)
with open(f"{out}/zones/root.zone", "w") as f:
    f.write("$ORIGIN .\n$TTL 86400\n"
            ". SOA a.root-servers.flt. hostmaster.flt. 1 1800 900 604800 86400\n")
    for k, a in enumerate(ROOT_ADDRS):
        f.write(f". NS {'ab'[k]}.root-servers.flt.\n")
    for n, a, _ in TLD:
        f.write(f"flt. NS {n}\n{n} A {a}\n")
    # root-servers.flt is under flt.: its glue sits here, occluded
    for k, a in enumerate(ROOT_ADDRS):
        f.write(f"{'ab'[k]}.root-servers.flt. A {a}\n")
with open(f"{out}/zones/lame.zone", "w") as f:
    f.write(soa("lame-holder.invalid.", SERIAL) + "@ NS ns1.lame-holder.invalid.\n"
            f"ns1 A {LAME_ADDR}\n")
with open(f"{out}/root.hints", "w") as f:
    for k, a in enumerate(ROOT_ADDRS):
        n = f"{'AB'[k]}.ROOT-SERVERS.FLT."
        f.write(f".  3600000 NS {n}\n{n} 3600000 A {a}\n")
# flt. must also hold the root servers' names.
with open(f"{out}/zones/flt.zone", "a") as f:
    for k, a in enumerate(ROOT_ADDRS):
        f.write(f"{'ab'[k]}.root-servers A {a}\n")


def nsd_conf(name, addrs, zones):
    p = f"{out}/srv/{name}"
    with open(f"{p}/nsd.conf", "w") as f:
        f.write("server:\n" + "".join(f"    ip-address: {a}@53\n" for a in addrs))
        f.write(f"""    do-ip6: no
    username: ""
    chroot: ""
    database: ""
    zonelistfile: "{p}/zone.list"
    xfrdfile: "{p}/xfrd.state"
    xfrdir: "{p}"
    pidfile: "{p}/pid"
    logfile: "{p}/log"
    server-count: 1
    tcp-count: 256
    rrl-ratelimit: 0
    answer-cookie: no
    hide-version: yes
    verbosity: 1
remote-control:
    control-enable: no
""")
        for z, path in zones:
            f.write(f'zone:\n    name: "{z}"\n    zonefile: "{path}"\n')
    return f"{name} nsd -c {p}/nsd.conf\n"


def knot_conf(name, addrs, zones):
    p = f"{out}/srv/{name}"
    with open(f"{p}/knot.conf", "w") as f:
        f.write(f"""server:
    rundir: "{p}"
    user: root:root
    pidfile: "{p}/pid"
    udp-workers: 1
    tcp-workers: 1
    background-workers: 2
    listen: [ {", ".join(a + "@53" for a in addrs)} ]
database:
    storage: "{p}/db"
control:
    listen: "{p}/knot.sock"
log:
  - target: "{p}/log"
    any: warning
template:
  - id: default
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
""")
        for z, path in zones:
            f.write(f'  - domain: "{z}"\n    file: "{path}"\n')
    return f"{name} knotd -d -c {p}/knot.conf\n"


child = [(z, f"{out}/zones/c/{z}zone") for z in names]
with open(f"{out}/procs", "w") as f:
    f.write(nsd_conf("nsd-root", ROOT_ADDRS, [(".", f"{out}/zones/root.zone")]))
    flt = [("flt.", f"{out}/zones/flt.zone")]
    f.write(nsd_conf("nsd-tld", [a for _, a, s in TLD if s == "nsd"], flt))
    f.write(knot_conf("knot-tld", [a for _, a, s in TLD if s == "knot"], flt))
    f.write(nsd_conf("nsd-child", NSD_CHILD, child))
    f.write(knot_conf("knot-child", KNOT_CHILD,
                      [(z, knot_files.get(z, p)) for z, p in child]))
    f.write(nsd_conf("nsd-lame", [LAME_ADDR],
                     [("lame-holder.invalid.", f"{out}/zones/lame.zone")]))

# Readiness: one (address, zone) per child server address, and the last zone.
with open(f"{out}/ready", "w") as f:
    for a in ROOT_ADDRS:
        f.write(f"{a} .\n")
    for _, a, _ in TLD:
        f.write(f"{a} flt.\n")
    f.write(f"{LAME_ADDR} lame-holder.invalid.\n")
    for i in list(range(min(ZONES, ADDRS))) + rng.sample(range(ZONES), min(ZONES, 50)) + [ZONES - 1]:
        if klass[i] != "dead":
            f.write(f"{NSD_CHILD[i % ADDRS]} {names[i]}\n{KNOT_CHILD[i % ADDRS]} {names[i]}\n")

rows = [(z.rstrip("."), klass[i]) for i, z in enumerate(names)]
rows += [(f"n{i:06d}.flt", "not_delegated") for i in range(NOTDEL)]
bad = ["not/a domain", "bad..dots.flt", "x" * 70 + ".flt", "@@@", "-q.flt",
       "white space.flt", "a_b;c.flt", ".flt.", "--json", "trailing.flt --bogus"]
rows += [(bad[i % len(bad)] + ("" if i < len(bad) else f" #{i}"), "garbage")
         for i in range(GARBAGE)]
rng.shuffle(rows)
with open(f"{out}/domains.txt", "w") as f, open(f"{out}/truth.tsv", "w") as t:
    for d, cls in rows:
        f.write(d + "\n")
        t.write(f"{d}\t{cls}\t{CLASS_CODE[cls]}\n")
# dnsperf: SOA and NS of every child zone that both servers hold.
with open(f"{out}/dnsperf.txt", "w") as f:
    for i, z in enumerate(names):
        if klass[i] == "healthy":
            f.write(f"{z} SOA\n{z} NS\n")
