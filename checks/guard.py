"""The SSRF guard: which addresses certcheck may open a connection to.

The bot fetches URLs that strangers type, so in production it must never
reach loopback, private, link-local (cloud metadata lives there), CGNAT,
multicast or reserved space, whether the address came from DNS or from a
redirect. Callers vet an address here and then connect to exactly that
address, so a second DNS answer (rebinding) can never slip in.
"""

from __future__ import annotations

import ipaddress

from .options import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
# RFC 9637 (2024): documentation, in IANA's registry but unknown to Python 3.11's `ipaddress`.
_DOCUMENTATION_V6 = ipaddress.ip_network("3fff::/20")


def reserved_kind(address: IPAddress | str) -> str | None:
    """None for a public unicast address, else what kind of reserved space it is."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 is as dangerous as the IPv4 one.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return reserved_kind(embedded)
        if ip.teredo or ip in _DOCUMENTATION_V6:
            return "reserved"
    if ip in _METADATA:
        return "metadata"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared"
    if ip.is_private:
        return "private"
    if ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "reserved"
    return None


class AddressGuard:
    """Decides, for one check, whether an address may be connected to."""

    def __init__(self, lab_networks: tuple[IPNetwork, ...] = ()) -> None:
        self._lab = lab_networks

    def refusal(self, address: str) -> str | None:
        """None when allowed; else the reserved kind that forbids it."""
        ip = ipaddress.ip_address(address)
        if any(ip.version == net.version and ip in net for net in self._lab):
            return None
        return reserved_kind(ip)

    def allows(self, address: str) -> bool:
        return self.refusal(address) is None

    def ca_refusal(self, address: str) -> str | None:
        """Why the CA would not use `address`, None when it would.

        Boulder drops every address in IANA's special-purpose registries
        (`va/dns.go` `getAddrs` with `iana.IsReservedAddr`), which holds the
        IPv4-mapped, 6to4, NAT64 and Teredo blocks whatever IPv4 address they
        carry: such an address is never the CA's even when the SSRF guard would
        allow it, so it is neither probed nor counted as the CA's.
        """
        refused = self.refusal(address)
        if refused is not None:
            return refused
        ip = ipaddress.ip_address(address)
        if isinstance(ip, ipaddress.IPv6Address) and not self._lab_allows(ip):
            if ip.ipv4_mapped or ip.sixtofour or ip.teredo or ip in _NAT64 or ip in _NAT64_LOCAL:
                return "translated"
        return None

    def _lab_allows(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self._lab if net.prefixlen)
