#!/usr/bin/env python3
"""Misbehaving name servers for the foreign lab (loopback only).

  helper.py silent ADDR...            bind UDP and TCP port 53 on each ADDR and
                                      never answer (a server that times out)
  helper.py udprelay TARGET ADDR...   answer UDP on each ADDR by relaying the
                                      query to TARGET:53; no TCP listener at all
"""
import selectors
import socket
import sys


def fam(a):
    return socket.AF_INET6 if ":" in a else socket.AF_INET


def lab_only(a):
    if not (a.startswith("127.99.") or a.lower().startswith("fd53:")):
        sys.exit("helper.py: refusing non-lab address " + a)


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    sel = selectors.DefaultSelector()
    keep = []
    if mode == "silent":
        for a in args:
            lab_only(a)
            u = socket.socket(fam(a), socket.SOCK_DGRAM)
            u.bind((a, 53))
            t = socket.socket(fam(a), socket.SOCK_STREAM)
            t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            t.bind((a, 53))
            t.listen(64)  # never accepted, never answered
            sel.register(u, selectors.EVENT_READ, None)
            keep += [u, t]
        while True:
            for key, _ in sel.select():
                key.fileobj.recvfrom(65535)  # drop
    elif mode == "udprelay":
        target, addrs = args[0], args[1:]
        lab_only(target)
        for a in addrs:
            lab_only(a)
            u = socket.socket(fam(a), socket.SOCK_DGRAM)
            u.bind((a, 53))
            sel.register(u, selectors.EVENT_READ, None)
            keep.append(u)
        while True:
            for key, _ in sel.select():
                s = key.fileobj
                q, peer = s.recvfrom(65535)
                f = socket.socket(fam(target), socket.SOCK_DGRAM)
                f.settimeout(2)
                try:
                    f.sendto(q, (target, 53))
                    r, _ = f.recvfrom(65535)
                    s.sendto(r, peer)
                except OSError:
                    pass
                finally:
                    f.close()
    else:
        sys.exit("helper.py: unknown mode " + mode)


if __name__ == "__main__":
    main()
