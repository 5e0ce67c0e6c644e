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
    *sorted(str(p) for p in (CORPUS.parent / "terraform" / "plan-json").rglob("*.json")),
    *sorted(str(p) for pattern in ("*.yaml", "*.yml", "*.json", "*.template")
            for p in (CORPUS.parent / "cloudformation").rglob(pattern)),
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
    for info in sorted(net.subnets.values(), key=lambda s: s.node)[:2]:  # a stand-in host of a subnet
        chosen.append(f"{info.vpc}/{info.name}")
    return chosen


def pairs(net: Network) -> list[tuple[str, str]]:
    ends = endpoints(net)
    return [(a, b) for a in ends for b in ends if a != b]


#: Templates that hold no subnet (a NAT gateway into an imported VPC, a lone NACL) have nothing to ask.
ASKABLE = [path for path in INPUTS if network(path).subnets]


def test_most_inputs_can_be_asked() -> None:
    assert len(ASKABLE) >= 25 and len(ASKABLE) >= len(INPUTS) - 10


@pytest.mark.parametrize("path", ASKABLE, ids=lambda p: Path(p).name)
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
