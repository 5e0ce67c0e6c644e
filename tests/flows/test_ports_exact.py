"""`ports` is exact: on every bundled design, the examples and the corpus snapshots, each row agrees with
`reach` asked at the row's edges and inside it, and the rows tile every protocol's space."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from vpckit.errors import QueryError
from vpckit.network import build_network
from vpckit.network.build import Network
from vpckit.sources import load

from .exactness import covers_the_space, disagreements

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "batfish-aws"
INPUTS = sorted(str(p) for p in (ROOT / "designs").glob("*.yaml")) + [
    str(ROOT / "examples" / "network.yaml"), str(ROOT / "examples" / "snapshot"), str(ROOT / "examples" / "plan.json"),
    *sorted(str(p) for p in (CORPUS / "unit-rigs").iterdir() if p.is_dir()),
    str(CORPUS / "hybrid-cloud-aws"),
]


@lru_cache(maxsize=None)
def network(path: str) -> Network:
    return build_network(load(path))


def endpoints(net: Network, limit: int = 6) -> list[str]:
    """The internet plus up to ``limit`` interfaces of different kinds and subnets, by node id."""
    chosen, seen = ["internet"], set()
    for node, iface in sorted(net.interfaces.items()):
        key = (iface.owner_kind, iface.subnet)
        if key in seen or iface.owner_kind == "transit_gateway":
            continue
        seen.add(key)
        chosen.append(f"{iface.vpc}/{iface.owner}" if iface.owner_kind == "load_balancer" else node)
        if len(chosen) > limit:
            break
    return chosen


def pairs(net: Network) -> list[tuple[str, str]]:
    ends = endpoints(net)
    return [(a, b) for a in ends for b in ends if a != b]


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: Path(p).name)
def test_every_row_agrees_with_reach_at_its_edges(path: str) -> None:
    net = network(path)
    problems, answered = [], 0
    for source, destination in pairs(net):
        try:
            result = __import__("vpckit.flows", fromlist=["ports"]).ports(net, source, destination)
        except QueryError:
            continue  # e.g. nothing sends from that end; reach refuses the same question
        answered += 1
        problems += covers_the_space(result)
        problems += disagreements(net, source, destination, result=result)
    assert answered, "no pair of this input could be asked"
    assert problems == []
