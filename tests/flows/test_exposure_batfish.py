"""`exposure` agrees with Batfish's recorded answers on the corpus unit rigs: a flow Batfish drops is in
no exposure row; a flow Batfish delivers is in one, unless AWS drops its reply (the return leg, which
Batfish's one-way traceroute does not walk) or AWS's documented behaviour differs (listed)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from vpckit.flows import exposure
from vpckit.reach import answer, parse_query

from ..reach.test_batfish_corpus import AWS_DIFFERS, FAILURE, SUCCESS, _unit_cases, network
from .exposure_check import _holds

CASES, _ = _unit_cases()
_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}


@lru_cache(maxsize=None)
def _who_reaches(snapshot: str, destination: str):
    return exposure(network(snapshot), to=destination)


@lru_cache(maxsize=None)
def _what_reaches(snapshot: str, source: str):
    return exposure(network(snapshot), sources=source)


def _matches(row, query: dict) -> bool:
    protocol = query["protocol"]
    if isinstance(protocol, str) and protocol in _NUMBERS:
        if row.protocol != protocol:
            return False
        if protocol in ("tcp", "udp"):
            return row.low <= int(query["port"]) <= row.high
        point = query.get("icmp_type", 8) * 256 + query.get("icmp_code", 0)
        return row.low <= point <= row.high
    number = int(protocol)
    return row.protocol == str(number) or (row.protocol == "other" and str(number) not in (row.numbers or "").split(", "))


def _covered(case) -> bool:
    net = network(case.snapshot)
    query = case.query
    destination = net.resolve_endpoint(query["to"])
    if destination.kind in ("interface", "nat_gateway", "load_balancer"):
        rows = _who_reaches(case.snapshot, query["to"]).flows
        return any(_matches(r, query) and _holds(net, r.source, query["from"]) for r in rows)
    rows = _what_reaches(case.snapshot, query["from"]).flows
    return any(_matches(r, query) and _holds(net, r.destination, query["to"]) for r in rows)


ASKED = [c for c in CASES if c.id not in AWS_DIFFERS]


@pytest.mark.parametrize("case", ASKED, ids=[c.id for c in ASKED])
def test_exposure_agrees_with_batfish(case) -> None:
    covered = _covered(case)
    if case.batfish in FAILURE:
        assert not covered, f"{case.id}: Batfish {case.batfish}, but exposure lists the flow"
    else:
        assert case.batfish in SUCCESS
        result = answer(network(case.snapshot), parse_query(case.query))
        reply_only = result.blockers and all(b.leg == "return" for b in result.blockers)
        assert covered or reply_only, f"{case.id}: Batfish {case.batfish}, exposure does not list it ({result.verdict})"
