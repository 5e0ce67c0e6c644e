"""Inspection endpoints (VPCE-06): Gateway Load Balancer and Network Firewall endpoints are route
targets that hand traffic to an appliance whose rules the input does not hold. The answer is
``undetermined`` — never a silent ``reachable`` — unless something vpckit can see blocks for sure.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vpckit.checks import run_checks
from vpckit.model import Design
from vpckit.network import build_network
from vpckit.reach import answer, parse_query

BASE: dict[str, Any] = {
    "region": "us-east-1",
    "vpcs": {"prod": {
        "cidr": "10.0.0.0/16",
        "internet_gateway": "igw",
        "subnets": {
            "public-a": {"az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "public"},
            "fw-a": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "route_table": "firewall"},
            "app-a": {"az": "us-east-1a", "cidr": "10.0.10.0/24", "route_table": "app"},
        },
        "nat_gateways": {"nat-a": {"subnet": "public-a"}},
        "route_tables": {
            "public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]},
            "firewall": {"routes": [{"destination": "0.0.0.0/0", "target": "nat-a"}]},
            "app": {"routes": [{"destination": "0.0.0.0/0", "target": "inspect"}]},
        },
        "endpoints": {"inspect": {"type": "gateway_load_balancer", "service": "com.amazonaws.vpce.us-east-1.vpce-svc-1",
                                  "subnets": ["fw-a"]}},
        "security_groups": {"app": {"egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]}},
        "instances": {"app-1": {"subnet": "app-a", "private_ip": "10.0.10.10", "security_groups": ["app"]}},
    }},
}


def _design(**changes: Any) -> Design:
    data = copy.deepcopy(BASE)
    vpc = data["vpcs"]["prod"]
    for key, value in changes.items():
        if key == "endpoint":
            vpc["endpoints"]["inspect"].update(value)
        elif key == "app_route_target":
            vpc["route_tables"]["app"]["routes"][0]["target"] = value
        elif key == "app_egress":
            vpc["security_groups"]["app"]["egress"] = value
        elif key == "firewall_routes":
            vpc["route_tables"]["firewall"]["routes"] = value
    return Design.model_validate(data)


def _ask(design: Design, **query: Any):
    return answer(build_network(design), parse_query({"from": "app-1", "to": "8.8.8.8", "port": 443, **query}))


@pytest.mark.parametrize(
    ("changes", "verdict", "codes", "undetermined"),
    [
        # VPCE-06: the appliance decides; everything vpckit can see lets the flow through
        ({}, "undetermined", [], ["PATH_THROUGH_GWLB_NOT_CHECKED"]),
        ({"endpoint": {"type": "network_firewall", "service": "network-firewall"}}, "undetermined", [],
         ["PATH_THROUGH_GWLB_NOT_CHECKED"]),
        # a definite blocker vpckit can see still makes it unreachable (SG-03: no egress rule)
        ({"app_egress": []}, "unreachable", ["SG_HAS_NO_RULES"], None),
        # after inspection the endpoint subnet's own route table routes the traffic (RT-04)
        ({"firewall_routes": []}, "unreachable", ["NO_ROUTE_TO_DESTINATION"], None),
        # an endpoint that is not available forwards nothing (RT-10)
        ({"endpoint": {"state": "pending"}}, "unreachable", ["BAD_STATE_ROUTE"], None),
        # a vpce- id that the input does not list (Network Firewall endpoints are not in describe-vpc-endpoints)
        ({"app_route_target": "vpce-0123456789abcdef0"}, "undetermined", [], ["PATH_THROUGH_GWLB_NOT_CHECKED"]),
    ],
    ids=["gwlb-endpoint", "network-firewall-endpoint", "sg-blocks-anyway", "no-route-after-inspection",
         "endpoint-pending", "unlisted-vpce-id"],
)
def test_inspection_endpoints(changes, verdict, codes, undetermined) -> None:
    result = _ask(_design(**changes))
    assert result.verdict == verdict, (result.blockers, result.notes)
    assert [b.code for b in result.blockers][:len(codes)] == codes
    if undetermined is not None:
        assert [u.code for u in result.undetermined] == undetermined
        assert result.undetermined[0].semantics == "VPCE-06"
        data = result.to_dict()
        assert data["verdict"] == "undetermined" and data["undetermined"][0]["component"].startswith("vpce:prod/")


def test_the_walk_goes_on_after_the_endpoint() -> None:
    hops = [h.component for h in _ask(_design()).forward]
    assert hops.index("vpce:prod/inspect") < hops.index("nat:prod/nat-a") < hops.index("igw:prod/igw")


def test_an_unlisted_endpoint_stops_the_walk_and_says_why() -> None:
    result = _ask(_design(app_route_target="vpce-0123456789abcdef0"))
    assert any("the path after endpoint vpce-0123456789abcdef0" in n for n in result.notes)


def test_an_expectation_of_reachable_is_not_met_through_an_appliance() -> None:
    design = _design()
    design.expectations.extend(Design.model_validate({"expectations": [
        {"from": "app-1", "to": "8.8.8.8", "port": 443, "expect": "reachable"},
        {"from": "app-1", "to": "8.8.8.8", "port": 443, "expect": "undetermined"},
    ]}).expectations)
    failed = [f for f in run_checks(design) if f.rule == "REACH001"]
    assert len(failed) == 1 and "undetermined" in failed[0].message


def test_text_answer_names_what_cannot_be_decided() -> None:
    from vpckit.reach.report import answer_text

    text = answer_text(_ask(_design()))
    assert text.splitlines()[0].endswith(": undetermined")
    assert "undetermined (cannot be decided offline):" in text and "check: check the appliance" in text
