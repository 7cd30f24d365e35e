#!/usr/bin/env python3
"""Writes the lab's RDAP: what nginx serves on 127.53.80.1 and the bootstrap
files that point dnsdoctor at it (tests/lab/rdap.bats).

Usage: rdap_fixtures.py DIR

Each scenario is a folder DIR/www/SCENARIO/domain/NAME holding a domain
object shaped as gTLD registries answer under the ICANN RDAP Response
Profile (objectClassName, handle, ldhName, status in RFC 8056 words,
events, a registrar entity with vcardArray, publicIds and an abuse
contact, nameservers, secureDNS, links, notices, rdapConformance), and a
bootstrap DIR/boot-SCENARIO.json (RFC 9224) sending com, net and org to
http://127.53.80.1/SCENARIO/. Dates are made relative to now, so
"expires in 10 days" stays true whenever the lab starts. The hostile
folders are shaped by nginx's configuration (rdap.bats)."""
import datetime
import json
import os
import sys

BASE = "http://127.53.80.1"
OLD = ["ns-549.awsdns-04.net", "ns-1452.awsdns-53.org",
       "ns-216.awsdns-27.com", "ns-1662.awsdns-15.co.uk"]
NEW = ["ns-2034.awsdns-62.co.uk", "ns-667.awsdns-19.net",
       "ns-1267.awsdns-30.org", "ns-145.awsdns-18.com"]
HEALTHY = ["a.healthy.alpha-dns.net", "b.healthy.beta-dns.org",
           "c.healthy.gamma-dns.com"]
NOT_DELEGATED = ["a.not-delegated.gamma-dns.com",
                 "b.not-delegated.alpha-dns.net"]
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def when(days=0, minutes=0):
    t = NOW + datetime.timedelta(days=days, minutes=minutes)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def registrar(name="Lab Registrar, Inc.", iana="9999"):
    return {
        "objectClassName": "entity",
        "handle": iana,
        "roles": ["registrar"],
        "publicIds": [{"type": "IANA Registrar ID", "identifier": iana}],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                 ["fn", {}, "text", name]]],
        "links": [{"value": "https://registrar.lab.example/",
                   "rel": "about", "type": "text/html",
                   "href": "https://registrar.lab.example/"}],
        "entities": [{
            "objectClassName": "entity",
            "roles": ["abuse"],
            "vcardArray": ["vcard", [
                ["version", {}, "text", "4.0"], ["fn", {}, "text", ""],
                ["tel", {"type": "voice"}, "uri", "tel:+1.5555550100"],
                ["email", {}, "text", "abuse@registrar.lab.example"]]],
        }],
    }


def domain(name, ns, status=("client transfer prohibited",),
           expires_days=300, changed_minutes=-60 * 24 * 40, ds=None,
           registrar_name="Lab Registrar, Inc."):
    o = {
        "objectClassName": "domain",
        "handle": name.upper().replace(".", "_") + "-LAB",
        "ldhName": name.upper(),
        "links": [{"value": f"{BASE}/domain/{name}", "rel": "self",
                   "href": f"{BASE}/domain/{name}",
                   "type": "application/rdap+json"}],
        "status": list(status),
        "entities": [registrar(registrar_name)],
        "events": [
            {"eventAction": "registration", "eventDate": when(-900)},
            {"eventAction": "expiration",
             "eventDate": when(expires_days)},
            {"eventAction": "last changed",
             "eventDate": when(minutes=changed_minutes)},
            {"eventAction": "last update of RDAP database",
             "eventDate": when()},
        ],
        "secureDNS": {"delegationSigned": bool(ds)},
        "nameservers": [{"objectClassName": "nameserver",
                         "ldhName": n.upper()} for n in ns],
        "rdapConformance": ["rdap_level_0", "icann_rdap_technical_"
                            "implementation_guide_0",
                            "icann_rdap_response_profile_0"],
        "notices": [{"title": "Terms of Use",
                     "description": ["Service subject to Terms of Use."],
                     "links": [{"href": "https://lab.example/terms",
                                "type": "text/html"}]}],
    }
    if ds:
        o["secureDNS"]["dsData"] = ds
    return o


def scenarios():
    bad_ds = [{"keyTag": 4242, "algorithm": 13, "digestType": 2,
               "digest": "0123456789ABCDEF0123456789ABCDEF"
                         "0123456789ABCDEF0123456789ABCDEF"}]
    esc = "\u001b[31mEvil\u001b]0;pwned\u0007 Registrar\u001b[0m"
    return {
        # Seed 000: the registry still holds the deleted zone's servers,
        # as the parent does.
        "seed": {"seed-refused.com": domain("seed-refused.com", OLD),
                 "seed-stale.com": domain("seed-stale.com", OLD)},
        # The registrar was fixed ten minutes ago; com. not yet.
        "inflight": {"seed-refused.com": domain(
            "seed-refused.com", NEW, changed_minutes=-10)},
        "clienthold": {"not-delegated.org": domain(
            "not-delegated.org", NOT_DELEGATED,
            status=("client hold", "client transfer prohibited"))},
        "serverhold": {"not-delegated.org": domain(
            "not-delegated.org", NOT_DELEGATED, status=("server hold",))},
        "redemption": {"not-delegated.org": domain(
            "not-delegated.org", NOT_DELEGATED,
            status=("redemption period",), expires_days=-40)},
        "expiring": {"healthy.com": domain("healthy.com", HEALTHY,
                                           expires_days=10)},
        "expired": {"healthy.com": domain("healthy.com", HEALTHY,
                                          expires_days=-3)},
        "oddregistry": {"healthy.com": domain("healthy.com", OLD[:2])},
        "healthy": {"healthy.com": domain("healthy.com", HEALTHY)},
        "dsbad": {"dnssec-healthy.com": domain(
            "dnssec-healthy.com",
            ["a.dnssec-healthy.alpha-dns.net",
             "b.dnssec-healthy.beta-dns.org",
             "c.dnssec-healthy.gamma-dns.com"], ds=bad_ds)},
        "escape": {"healthy.com": domain("healthy.com", HEALTHY,
                                         registrar_name=esc)},
        # Hostile servers, shaped by nginx (rdap.bats): each answers
        # for healthy.com.
        "badjson": {"healthy.com": '{"objectClassName": "domain", "ldhN'},
        "shape": {"healthy.com": [1, 2, {"objectClassName": "entity"}]},
        "ctype": {"healthy.com": domain("healthy.com", HEALTHY)},
        "trickle": {"healthy.com": domain("healthy.com", HEALTHY)},
    }


def bootstrap(path, base, tlds=("com", "net", "org")):
    with open(path, "w") as f:
        json.dump({"version": "1.0", "publication": when(),
                   "description": "lab RDAP bootstrap",
                   "services": [[list(tlds), [base]]]}, f)


def main():
    top = sys.argv[1]
    www = os.path.join(top, "www")
    for scen, objs in scenarios().items():
        d = os.path.join(www, scen, "domain")
        os.makedirs(d, exist_ok=True)
        for name, obj in objs.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(obj if isinstance(obj, str) else json.dumps(obj))
        bootstrap(os.path.join(top, f"boot-{scen}.json"), f"{BASE}/{scen}/")
    for scen in ("big", "loop", "private", "ratelimit", "missing"):
        bootstrap(os.path.join(top, f"boot-{scen}.json"), f"{BASE}/{scen}/")
    # A bootstrap with no service for uk (nor co.uk), as for a ccTLD
    # without RDAP; and one served over HTTP.
    bootstrap(os.path.join(top, "boot-nouk.json"), f"{BASE}/healthy/")
    bootstrap(os.path.join(www, "bootstrap.json"), f"{BASE}/healthy/")
    # 50 MB of a JSON string that never ends.
    os.makedirs(os.path.join(www, "big", "domain"), exist_ok=True)
    with open(os.path.join(www, "big", "domain", "healthy.com"), "wb") as f:
        f.write(b'{"objectClassName": "domain", "x": "')
        chunk = b"A" * (1 << 20)
        for _ in range(50):
            f.write(chunk)


if __name__ == "__main__":
    main()
