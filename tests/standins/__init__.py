"""Stand-ins for the public services issue 11 asks: an ACME server's renewalInfo
(`ari.py`), crt.sh and Cert Spotter (`ct.py`), and a CA hierarchy with TLS
servers that send whole, short or stale chains (`hierarchy.py`).

Each is a real server on its own loopback address, started and stopped by
its own handle, like the test internet in `tests/internet/`.
"""
