"""`exposure` on bundled designs, examples, corpus snapshots and generated networks: atoms answer like
their representatives, class members like theirs, and sampled flows inside and outside the answer
agree with `reach`."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given

from vpckit.flows import exposure
from vpckit.flows.atoms import interface_classes
from vpckit.model import Design
from vpckit.network import build_network

from .exposure_check import (atom_disagreements, class_disagreements, outside_disagreements, row_disagreements,
                             shared_disagreements)
from .test_ports_exact import ROOT, network
from .test_ports_generated import SETTINGS, networks

CORPUS = ROOT.parent / "shared" / "corpus" / "batfish-aws"
INPUTS = sorted(str(p) for p in (ROOT / "designs").glob("*.yaml")) + [
    str(ROOT / "examples" / "network.yaml"), str(ROOT / "examples" / "snapshot"),
    *sorted(str(p) for p in (CORPUS / "unit-rigs").iterdir() if p.is_dir()), str(CORPUS / "hybrid-cloud-aws"),
]


def _ends(net) -> tuple[list[str], list[str]]:
    interfaces = [k.representative for k in interface_classes(net)
                  if net.interfaces[k.representative].owner_kind not in ("transit_gateway", "nat_gateway")]
    lbs = [f"{lb.vpc}/{lb.name}" for lb in net.load_balancers.values()]
    return interfaces, lbs


def check_network(net, rng: random.Random) -> list[str]:
    interfaces, lbs = _ends(net)
    problems = []
    everything = exposure(net)
    problems += row_disagreements(net, everything, rng)
    outside = ["198.51.100.7", "203.0.113.99", "2001:db8::7", "8.8.8.8"]
    problems += outside_disagreements(net, everything, outside, interfaces + lbs, rng)
    for destination in (interfaces + lbs)[:3]:
        problems += atom_disagreements(net, destination, rng)
        who = exposure(net, to=destination)
        problems += row_disagreements(net, who, rng)
        problems += shared_disagreements(net, who, destination)
        problems += outside_disagreements(net, who, outside + interfaces, [destination], rng, count=15)
    if interfaces:
        source = interfaces[0]
        what = exposure(net, sources=source)
        problems += row_disagreements(net, what, rng)
        problems += outside_disagreements(net, what, [source], interfaces + lbs + ["8.8.8.8", "2001:db8::7"], rng,
                                          count=15)
        problems += class_disagreements(net, source, rng)
    return problems


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: Path(p).name)
def test_exposure_agrees_with_reach(path: str) -> None:
    assert check_network(network(path), random.Random(path)) == []


@SETTINGS
@given(networks())
def test_exposure_agrees_with_reach_on_generated_networks(design) -> None:
    net = build_network(Design.model_validate(design))
    assert check_network(net, random.Random(7)) == []
