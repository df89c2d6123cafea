"""Reading what `cryptography` refuses in a certificate a site sends.

A served certificate is described, never trusted, so a shape the library
will not load (an X.509 v2 certificate, a SAN with a byte outside ASCII)
is read here from the DER, just far enough to say what it names.
"""

from __future__ import annotations

_SEQUENCE, _EXTENSIONS, _OCTET_STRING, _DNS_NAME = 0x30, 0xA3, 0x04, 0x82
_SAN_OID = bytes.fromhex("0603551d11")
_VERSION_V2 = bytes.fromhex("a003020101")


def as_v3(der: bytes) -> bytes | None:
    """The certificate with its version field read as v3; None when it is not a v2 certificate.

    v2 only adds optional unique identifiers to v1, which v3 keeps, so the
    fields a report shows parse the same way.
    """
    try:
        _, tbs_start, _ = _header(der, 0)
        _, body_start, _ = _header(der, tbs_start)
    except IndexError:
        return None
    if der[body_start : body_start + len(_VERSION_V2)] != _VERSION_V2:
        return None
    at = body_start + len(_VERSION_V2) - 1
    return der[:at] + b"\x02" + der[at + 1 :]


def raw_dns_names(der: bytes) -> tuple[str, ...]:
    """The SAN's DNS names, bytes outside printable ASCII shown as `\\xNN`; () when unreadable."""
    try:
        _, tbs_start, _ = _header(der, 0)
        tag, start, end = _header(der, tbs_start)
        for tag, value in _children(der, start, end):
            if tag != _EXTENSIONS:
                continue
            _, seq_start, seq_end = _header(value, 0)
            for _, extension in _children(value, seq_start, seq_end):
                if not extension.startswith(_SAN_OID):
                    continue
                octets = next(v for t, v in _children(extension, 0, len(extension)) if t == _OCTET_STRING)
                _, names_start, names_end = _header(octets, 0)
                return tuple(_text(v) for t, v in _children(octets, names_start, names_end) if t == _DNS_NAME)
    except (IndexError, StopIteration, ValueError):
        return ()
    return ()


def _text(raw: bytes) -> str:
    return "".join(chr(b) if 0x21 <= b < 0x7F else f"\\x{b:02x}" for b in raw).lower()


def _header(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, where the value starts, where it ends) of the TLV at `at`."""
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + length > len(data):
        raise IndexError("truncated DER")
    return tag, at, at + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, bytes]]:
    out = []
    while start < end:
        tag, value_start, value_end = _header(data, start)
        out.append((tag, data[value_start:value_end]))
        start = value_end
    return out
