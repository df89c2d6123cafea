"""The polite sweep: few checks at once per destination address, the rest queued, not held."""

from __future__ import annotations

import pytest

from bot.nightly.pacing import AddressPacing


def test_an_address_at_its_limit_queues_the_next_domain_and_hands_it_on():
    pacing = AddressPacing(per_address=2, rate=100)
    assert pacing.admit("192.0.2.1", "a.example") and pacing.admit("192.0.2.1", "b.example")
    assert not pacing.admit("192.0.2.1", "c.example")  # queued, no worker held
    assert not pacing.admit("192.0.2.1", "d.example")
    assert pacing.admit("198.51.100.9", "elsewhere.example")  # another address is not slowed
    assert pacing.release("192.0.2.1") == "c.example"  # the freed slot passes on, in order
    assert pacing.release("192.0.2.1") == "d.example"
    assert pacing.release("192.0.2.1") is None
    assert pacing.release("192.0.2.1") is None
    assert pacing.admit("192.0.2.1", "e.example") and pacing.admit("192.0.2.1", "f.example")
    assert pacing.peak == 2


def test_a_domain_without_an_address_is_never_held():
    pacing = AddressPacing(per_address=1, rate=1)
    assert all(pacing.admit(None, f"d{i}.example") for i in range(5))
    assert pacing.release(None) is None


def test_pacing_needs_a_usable_limit():
    with pytest.raises(ValueError):
        AddressPacing(per_address=0, rate=1)
