"""The interactive view's details panel: what it says about the components that connect VPCs."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpckit.network import build_network
from vpckit.render.html import component_facts

DESIGNS = Path(__file__).resolve().parents[2] / "designs"


@pytest.mark.parametrize("design, node, lines", [
    ("peered-vpcs", "pcx:app-data", ["state active", "VPC app (10.10.0.0/16) and VPC data (10.20.0.0/16)",
                                     "same Region", "route in app/public: 10.20.0.0/16", "route in data/peer: 10.10.0.0/16"]),
    ("hub-and-spoke", "tgw:hub", ["attachment dev: vpc of VPC dev, TGW route table spokes",
                                  "attachment prod: vpc of VPC prod, TGW route table spokes",
                                  "attachment shared: vpc of VPC shared, TGW route table shared"]),
    ("hub-and-spoke", "tgw-attach:hub/prod", ["state available", "subnets tgw-a, tgw-b",
                                              "TGW route table spokes: 0.0.0.0/0 -> shared",
                                              "TGW route table spokes: 10.0.0.0/8 -> blackhole [blackhole]",
                                              "TGW route table spokes: 10.0.0.0/16 -> shared (propagated)",
                                              "route in prod/to-hub: 0.0.0.0/0"]),
])
def test_connecting_components_say_what_they_connect(design: str, node: str, lines: list[str]) -> None:
    facts = component_facts(build_network(DESIGNS / f"{design}.yaml"), {node})
    assert facts[node]["about"] == lines
