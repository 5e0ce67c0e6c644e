"""Answers shared between source classes toward one destination (`SharedAnswers`): every class that took
another's answer has exactly the rows its own `ports` question gives."""

from __future__ import annotations

import pytest

from vpckit.flows import exposure
from vpckit.model import Design
from vpckit.network import build_network

from .exposure_check import shared_disagreements


def _design(app_rule_cidr: str, nat_in: str | None = None) -> dict:
    subnets = {name: {"az": "us-east-1a", "cidr": cidr, "route_table": "private", "nacl": "inner"}
               for name, cidr in (("a1", "10.0.1.0/24"), ("a2", "10.0.2.0/24"), ("a3", "10.0.130.0/24"))}
    subnets["db"] = {"az": "us-east-1a", "cidr": "10.0.9.0/24"}
    subnets["pub"] = {"az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "public"}
    instances = {f"{s}-{g}-{n}": {"subnet": s, "security_groups": [g]} for s in ("a1", "a2", "a3")
                 for g in ("x", "y") for n in (1, 2)}
    instances["db-1"] = {"subnet": "db", "security_groups": ["db"]}
    vpc = {
        "cidr": "10.0.0.0/16", "internet_gateway": "igw", "subnets": subnets, "instances": instances,
        "route_tables": {"private": {"routes": [{"destination": "0.0.0.0/0", "target": "nat"}]},
                         "public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}},
        "nat_gateways": {"nat": {"subnet": nat_in or "pub"}},
        "nacls": {"inner": {"ingress": [{"rule": 100, "protocol": "all", "cidr": "0.0.0.0/0"}],
                            "egress": [{"rule": 100, "protocol": "all", "cidr": "0.0.0.0/0"}]}},
        "security_groups": {
            "x": {"egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]},
            "y": {"egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]},
            "db": {"ingress": [{"protocol": "tcp", "ports": 5432, "source": app_rule_cidr},
                               {"protocol": "tcp", "ports": 22, "source": "x"}]},
        },
    }
    return {"vpcs": {"p": vpc}}


@pytest.mark.parametrize("design, shared_at_least", [
    # x and y egress alike, but db's rule for tcp 22 references x: the consulted reference tells them
    # apart. db's rule by CIDR covers a1 and a2, not a3: a2's classes take a1's answers, a3's walk.
    (_design("10.0.0.0/17"), 2),
    # the rule covers a1 only: a3's classes take a2's answers (both outside it, the same cell)
    (_design("10.0.1.0/24"), 2),
    # a NAT gateway in a1 (not on the way to db): nothing changes
    (_design("10.0.0.0/17", nat_in="a1"), 2),
], ids=["cidr-covers-two-subnets", "cidr-covers-one", "nat-in-a-source-subnet"])
def test_shared_answers_equal_each_class_own(design: dict, shared_at_least: int) -> None:
    net = build_network(Design.model_validate(design))
    who = exposure(net, to="db-1")
    assert shared_disagreements(net, who, "db-1") == []
    assert who.shared >= shared_at_least
    reach_ssh = {row.source.name.split(" ")[0] for row in who.flows if row.protocol == "tcp" and row.ports == "22"}
    assert reach_ssh and all("-x-" in name for name in reach_ssh)
