#!/usr/bin/env python3
"""bench/critical_path.py HINTS DOMAIN: the round trips a check of DOMAIN
cannot avoid, one after another, on the lab named by the root hints file.

Walks the lab with `dig +norec` and simulates a prober that asks every
question the moment it can: the walk down to DOMAIN's delegation, then
every name server address of the zone at once (0 round trips where the
parent gave glue; otherwise a walk of its own, which reuses any zone cut
another walk has already learned by then), then one round trip to the
zone's servers, where SOA, NS, DNSKEY and the parent's DS can all go at
once; and when the zone's own NS answers name a server or an address the
parent did not (after looking it up, if need be), one more. Prints that
count. Used by bench/latency.sh.
"""
import subprocess
import sys

MAX_STEPS = 30
ANSWERS = {}  # (server, name, type) -> what dig() returned


def dig(server, name, qtype):
    """(authoritative, answer (A addresses or NS names), referral zone,
    its NS names, additional addresses by name) of one non-recursive
    question, asked once per (server, name, type)."""
    key = (server, name, qtype)
    if key in ANSWERS:
        return ANSWERS[key]
    out = subprocess.run(
        ["dig", "+norec", "+time=2", "+tries=1", "@" + server, name, qtype],
        capture_output=True, text=True, check=False).stdout
    aa, section = False, None
    answer, ns, glue, zone = [], [], {}, None
    for line in out.splitlines():
        if line.startswith(";; ->>HEADER") or line.startswith(";; flags:"):
            if line.startswith(";; flags:") and " aa" in line.split(";")[2]:
                aa = True
            continue
        if line.startswith(";; ") and "SECTION" in line:
            section = line.split()[1]
            continue
        f = line.split()
        if not f or line.startswith(";"):
            continue
        if len(f) >= 5 and f[3] == "A":
            if section == "ANSWER":
                answer.append(f[4])
            elif section == "ADDITIONAL":
                glue.setdefault(f[0].lower(), []).append(f[4])
        elif len(f) >= 5 and f[3] == "NS" and section == "AUTHORITY":
            zone = f[0].lower()
            ns.append(f[4].lower())
        elif len(f) >= 5 and f[3] == "NS" and section == "ANSWER":
            answer.append(f[4].lower())
    ANSWERS[key] = (aa, answer, zone, ns, glue)
    return ANSWERS[key]


class Lab:
    def __init__(self, hints):
        roots = []
        with open(hints) as fh:
            for line in fh:
                f = line.split()
                if len(f) >= 4 and f[2] == "A":
                    roots.append(f[3])
        # zone -> (time its servers are known, their addresses)
        self.cuts = {".": (0, roots)}
        self.changed = False

    def learn(self, zone, t, addrs):
        old = self.cuts.get(zone)
        if old is None or t < old[0]:
            self.cuts[zone] = (t, addrs)
            self.changed = True

    def start(self, name, t):
        """The deepest cut above NAME whose servers are known by time T."""
        labels = name.rstrip(".").split(".")
        for i in range(len(labels) + 1):
            z = ".".join(labels[i:]) + "." if i < len(labels) else "."
            c = self.cuts.get(z)
            if c and c[0] <= t:
                return z, c[1]
        raise SystemExit("no root in the hints")

    def walk(self, name, t, stop_at=None, depth=0):
        """For a walk starting at time T: (time NAME's A answer arrives,
        its addresses), or None. With STOP_AT, (time the referral to zone
        STOP_AT arrives, its NS names, its glue by name) instead."""
        if depth > 8:
            return None
        _, servers = self.start(name, t)
        for _ in range(MAX_STEPS):
            aa, answer, zone, ns, glue = dig(servers[0], name, "A")
            t += 1
            if stop_at and zone == stop_at:
                return t, ns, glue
            if aa or not ns:
                return (t, answer) if answer and not stop_at else None
            addrs = [a for n in ns for a in glue.get(n, [])]
            if addrs:
                self.learn(zone, t, addrs)
                servers = addrs
                continue
            best = None
            for n in ns:
                r = self.walk(n, t, depth=depth + 1)
                if r and (best is None or r[0] < best[0]):
                    best = r
            if best is None:
                return None
            t, servers = best
            self.learn(zone, t, servers)
        return None

    def critical(self, domain):
        domain = domain.rstrip(".").lower() + "."
        r = self.walk(domain, 0, stop_at=domain)
        if r is None:
            raise SystemExit(f"{domain}: no delegation found from the root")
        t, ns, glue = r
        worst, addrs = t, {a for n in ns for a in glue.get(n, [])}
        for n in ns:
            if n in glue:
                continue
            a = self.walk(n, t)
            if a:
                worst = max(worst, a[0])
                addrs.update(a[1])
        t = worst + 1
        # The zone's own NS sets and addresses (the additional sections of
        # the NS answers of all its servers) may name servers the parent
        # did not: those are found then, and asked one round trip later.
        if not addrs:
            return t
        zns, zglue = set(), {}
        for a in sorted(addrs):
            _, names, _, _, more = dig(a, domain, "NS")
            zns.update(names)
            for n, v in more.items():
                zglue.setdefault(n, []).extend(v)
        worst, fresh = t, False
        for n in zns:
            if set(zglue.get(n, [])) - addrs:
                fresh = True  # an address only the zone gives
            elif n not in ns:  # a server only the zone names
                a = self.walk(n, t)
                if a and set(a[1]) - addrs:
                    worst, fresh = max(worst, a[0]), True
        return worst + 1 if fresh else t


def main():
    if len(sys.argv) != 3:
        print("usage: critical_path.py ROOT_HINTS DOMAIN", file=sys.stderr)
        return 2
    lab = Lab(sys.argv[1])
    # Cuts learned late in one pass can shorten walks simulated earlier:
    # repeat until no cut is learned earlier.
    for _ in range(10):
        lab.changed = False
        n = lab.critical(sys.argv[2])
        if not lab.changed:
            break
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
