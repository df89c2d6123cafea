"""The SSRF guard's address classification."""

import ipaddress

import pytest

from checks.guard import AddressGuard, reserved_kind


@pytest.mark.parametrize(
    "address,kind",
    [
        ("127.0.0.1", "loopback"),
        ("127.77.0.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12::1", "private"),
        ("100.64.0.1", "shared"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("169.254.10.10", "link_local"),
        ("fe80::1", "link_local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "metadata"),
        ("64:ff9b::a00:1", "private"),
        ("2002:7f00:1::", "loopback"),
        ("0.0.0.0", "private"),
        ("240.0.0.1", "private"),
        ("192.0.2.7", "private"),
    ],
)
def test_reserved_addresses_are_refused(address, kind):
    assert reserved_kind(address) == kind
    assert not AddressGuard().allows(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert reserved_kind(address) is None
    assert AddressGuard().allows(address)


def test_lab_networks_allow_only_what_they_name():
    guard = AddressGuard((ipaddress.ip_network("127.77.0.0/16"), ipaddress.ip_network("::1/128")))
    assert guard.allows("127.77.3.4") and guard.allows("::1")
    assert not guard.allows("127.99.0.1")
    assert guard.refusal("10.0.0.1") == "private"
