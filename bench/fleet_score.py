#!/usr/bin/env python3
"""bench/fleet_score.py TRUTH ROWS: scores `fleet --json` rows against the
truth file of bench/fleet_lab.py (line N of the list is line N of TRUTH).

Prints, per class: lines, rows, found (the class's code among the row's
warning/error codes; for garbage: exit 3), recall, and the other codes seen.
False alarms: healthy zones whose row has any warning or error (or exit != 0).
Also: rows missing or doubled, and domains whose check took >= 800 ms (the
engine's first UDP wait: such a check waited out a retry or a timeout).
Exit 1 when a line has no row, a row is doubled, recall is not 100% or a
healthy zone has a false alarm."""
import collections
import json
import sys

truth = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
rows = {}
doubled = 0
slow = collections.Counter()
for line in open(sys.argv[2]):
    r = json.loads(line)
    if r["line"] in rows:
        doubled += 1
    rows[r["line"]] = r
stat = collections.OrderedDict()
for cls in ("healthy", "lame", "ns_mismatch", "serial", "dead", "not_delegated", "garbage"):
    stat[cls] = {"n": 0, "rows": 0, "found": 0, "other": collections.Counter(), "alarm": 0}
missing = 0
alarms = []
for i, (inp, cls, code) in enumerate(truth, 1):
    s = stat[cls]
    s["n"] += 1
    r = rows.get(i)
    if r is None:
        missing += 1
        continue
    s["rows"] += 1
    codes = {f["code"] for f in r.get("findings", []) if f.get("severity") in ("warning", "error")}
    if r.get("duration_ms", 0) >= 800:
        slow[cls] += 1
    if cls == "garbage":
        ok = r.get("exit") == 3 and "error" in r
    elif cls == "healthy":
        ok = not codes and r.get("exit") == 0
        if not ok:
            s["alarm"] += 1
            alarms.append(f"{inp}: exit {r.get('exit')} {sorted(codes)} {r.get('error', '')}")
    else:
        ok = code in codes
    s["found"] += ok
    for c in codes - {code}:
        s["other"][c] += 1

print(f"{'class':<14} {'lines':>6} {'rows':>6} {'found':>6} {'recall':>7}  other codes seen (domains)")
bad = missing or doubled
for cls, s in stat.items():
    if not s["n"]:
        continue
    rec = s["found"] / s["rows"] if s["rows"] else 0
    label = "ok" if cls == "healthy" else "found"
    other = ", ".join(f"{c} {n}" for c, n in s["other"].most_common()) or "-"
    print(f"{cls:<14} {s['n']:>6} {s['rows']:>6} {s['found']:>6} {100 * rec:>6.2f}%  {other}")
    if s["found"] != s["n"]:
        bad = True
print(f"false alarms on healthy zones: {stat['healthy']['alarm']} of {stat['healthy']['rows']}")
for a in alarms[:10]:
    print(f"  {a}")
print(f"lines without a row: {missing}; lines with more than one row: {doubled}")
print("checks that took >= 800 ms (a UDP retry or timeout inside): "
      + (", ".join(f"{c} {n}" for c, n in slow.items()) or "none"))
sys.exit(1 if bad else 0)
