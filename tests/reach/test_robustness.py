"""Any question about the bundled designs gets an answer or a QueryError: never another exception."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from vpckit.errors import QueryError
from vpckit.network import build_network
from vpckit.reach import answer, parse_query
from vpckit.sources import load

DESIGNS = sorted((Path(__file__).resolve().parents[2] / "designs").glob("*.yaml"))
EXTRA = ["internet", "internet6", "8.8.8.8", "10.0.0.2", "169.254.169.254", "192.168.1.1", "2001:db8::1"]
QUESTIONS = [{"protocol": "tcp", "port": 443}, {"protocol": "icmp"}, {"protocol": "all"}, {"protocol": "udp", "port": 53},
             {"protocol": "tcp", "port": "1000-2000"}, {"protocol": 50}]


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: p.name)
def test_every_question_is_answered_or_refused(path: Path) -> None:
    network = build_network(load(str(path)))
    names = sorted({*network._names, *network._subnet_names, *EXTRA})
    pairs = [(a, b) for a in names for b in names]
    random.Random(path.name).shuffle(pairs)
    for source, destination in pairs[:150]:
        for question in QUESTIONS:
            try:
                result = answer(network, parse_query({"from": source, "to": destination, **question}))
            except QueryError:
                continue
            assert result.verdict in ("reachable", "partial", "unreachable")
            assert result.verdict == "reachable" or result.blockers or result.verdict == "partial"


def test_gateways_are_not_endpoints(designs_dir) -> None:
    network = build_network(load(str(designs_dir / "three-tier.yaml")))
    with pytest.raises(QueryError, match="is an internet gateway"):
        answer(network, parse_query({"from": "app-1", "to": "igw-prod", "port": 443}))
