"""The benchmark's code path at a tiny N, so that `python -m bench` never rots.

No timing is asserted: only that every figure comes out and the table is
written. The farm binds its few addresses one by one on loopback (no network
namespace needed), and the sweep's black hole costs two 1.7 s probe budgets.
"""

from __future__ import annotations

import os

import pytest

from bench import blackbox
from bench.farm import HOLE, Population, client_hello_sni, dns_answer
from bench.run import Config, run


def test_a_tiny_benchmark_produces_every_figure(tmp_path):
    if blackbox.find() is None:
        message = "prometheus-blackbox-exporter is not installed (scripts/test installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    output = tmp_path / "benchmarks.md"
    config = Config(
        sizes=(20,),
        shared_size=40,
        shared_addresses=2,
        runs=1,
        single_checks=3,
        ack_probes=3,
        slow_checks=2,
        latency_ms=5,
        timeout=2.0,
        peer=False,
        netns=False,
        output=output,
        log=lambda line: None,
    )
    results = run(config)
    assert len(results.single) == 1 and results.single[0]["p50"] > 0
    assert results.single[0]["names"] == 2  # the renewal order: the apex and www.
    assert results.ack[0]["in_flight"] == 2
    [sweep] = results.sweeps[20]
    # The black hole is retried once; on a loaded machine a slow check may be too.
    assert sweep["n"] == 20 and sweep["checks"] >= 21 and sweep["retried"] >= 1
    assert sweep["sent"] == sweep["planned"] > 0
    [shared] = results.shared
    assert shared["checks"] >= 42 and 1 <= shared["pacing_peak"] <= shared["per_address"]
    [probes] = results.blackbox[20]
    assert probes["probes"] == 40 and probes["cpu_s"] >= 0
    # At most 17 open sites, both names (Basic auth and black holes fail; load may fail more).
    assert 0 < probes["succeeded"] <= 34
    [during] = results.ack_sweep
    assert during["probes"] > 0 and during["p99"] > 0
    text = output.read_text()
    assert "sweep 20: wall (s)" in text and "ack p99" in text
    assert "blackbox exporter, 20: CPU per domain (ms)" in text
    assert "shared hosting, 40 sites on 2 addresses" in text


def test_the_population_names_resolve_and_parse_back():
    population = Population(40)
    assert population.first(HOLE, 2) == ["hole-00019.bench.test", "hole-00039.bench.test"]
    assert [population.index(name) for name in population.names()] == list(range(40))
    assert population.index("open-00019.bench.test") is None  # 19 is a black hole
    assert population.index("www.open-00001.bench.test") == 1
    shared = Population(40, addresses=3)
    assert shared.all_addresses() == ["127.100.0.1", "127.100.0.2", "127.100.0.3"]
    assert shared.address(13) == "127.100.0.1" and shared.address(14) == "127.100.0.2"


def test_the_farm_dns_answers_a_and_refuses_strangers():
    import dns.message

    population = Population(40)
    query = dns.message.make_query("open-00001.bench.test", "A")
    answer = dns.message.from_wire(dns_answer(population, query.to_wire()))
    assert [rr.address for rr in answer.answer[0]] == [population.address(1)]
    nxdomain = dns.message.from_wire(
        dns_answer(population, dns.message.make_query("open-00099.bench.test", "A").to_wire())
    )
    assert nxdomain.rcode() == 3
    refused = dns.message.from_wire(dns_answer(population, dns.message.make_query("example.com", "A").to_wire()))
    assert refused.rcode() == 5


def test_the_sni_is_read_from_a_client_hello():
    import ssl

    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    tls = context.wrap_bio(incoming, outgoing, server_hostname="open-00001.bench.test")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    assert client_hello_sni(hello) == "open-00001.bench.test"
    assert client_hello_sni(hello[:20]) is None  # wait for the rest
