"""`ports` row by row, as a table of cases: each names the AWS rule (aws-semantics.md) it rests on.

Every case is also checked for exactness against `reach` (tests/flows/exactness.py).
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import pytest

from vpckit.flows import ports
from vpckit.model import Design
from vpckit.network import build_network

from ..reach.reach_designs import base
from ..reach.test_inspection import BASE as INSPECTED
from .exactness import covers_the_space, disagreements


def _vary(change: Callable[[dict], None], start: Callable[[], dict] = base) -> dict:
    data = copy.deepcopy(start())
    change(data)
    return data


def _nacl_on(subnets: list[str], ingress: list[dict], egress: list[dict]) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        vpc = data["vpcs"]["a"]
        vpc.setdefault("nacls", {})["n"] = {"ingress": ingress, "egress": egress}
        for name in subnets:
            vpc["subnets"][name]["nacl"] = "n"
    return change


ALL = [{"rule": 200, "protocol": "all", "cidr": "0.0.0.0/0"}]


def _row(result, protocol: str, point: int, family: int = 4):
    return next(r for r in result.flows if r.protocol == protocol and r.family == family and r.low <= point <= r.high)


#: (case, AWS rule, design, from, to, client_ports, protocol, point, status, blocker codes / settings, extra check)
CASES: list[tuple[Any, ...]] = [
    ("a range closed by a NACL and a group names both", "NACL-03, SG-01",
     _vary(_nacl_on(["d"], [{"rule": 100, "protocol": "tcp", "ports": "5000-6000", "cidr": "10.0.0.0/16"}], ALL)),
     "app", "db", None, "tcp", 22, "closed", {"nacl:a/n", "sg:a/db"}, None),
    ("the port the group opens but the NACL denies is closed by the NACL alone", "NACL-06",
     _vary(_nacl_on(["d"], [{"rule": 100, "protocol": "tcp", "ports": "5000-5431", "cidr": "10.0.0.0/16"}], ALL)),
     "app", "db", None, "tcp", 5432, "closed", {"nacl:a/n"}, None),
    ("closed only on the return leg says so", "NACL-07",
     _vary(_nacl_on(["d"], ALL, [{"rule": 100, "protocol": "tcp", "ports": "0-1023", "cidr": "0.0.0.0/0"}])),
     "app", "db", None, "tcp", 5432, "closed", {"nacl:a/n"}, lambda row: row.closed_on == "return"),
    ("replies to some client ports only: partial, with the failing ports", "NACL-07, §1.7",
     _vary(_nacl_on(["d"], ALL, [{"rule": 100, "protocol": "tcp", "ports": "32768-40000", "cidr": "0.0.0.0/0"}])),
     "app", "db", None, "tcp", 5432, "partial", {"nacl:a/n"},
     lambda row: row.failing_client_ports == ((40001, 60999),)),
    ("the client's own ports decide partial", "§1.7",
     _vary(_nacl_on(["d"], ALL, [{"rule": 100, "protocol": "tcp", "ports": "32768-40000", "cidr": "0.0.0.0/0"}])),
     "app", "db", "32768-40000", "tcp", 5432, "open", set(), None),
    ("a port no listener hears is closed at the load balancer, a listener's port reaches its targets",
     "ELB listeners", None, "internet", "a/lb", None, "tcp", 80, "closed", {"lb:a/lb"}, None),
    ("the listener's port is open through the load balancer", "ELB listeners", None, "internet", "a/lb", None,
     "tcp", 443, "open", set(), lambda row: "lb:a/lb" in row.via),
    ("the VPC's DNS resolver answers 53 only, unfiltered", "NACL-12",
     _vary(_nacl_on(["q"], [], [])), "app", "10.0.0.2", None, "udp", 53, "open", set(), None),
    ("and refuses the other ports", "NACL-12", _vary(_nacl_on(["q"], [], [])), "app", "10.0.0.2", None,
     "udp", 54, "closed", {"router:a"}, None),
    ("every code of the echo type gets a reply walk", "ICMP echo", base(), "app", "db", None, "icmp", 8 * 256 + 3,
     "closed", {"sg:a/db"}, None),
    ("an appliance behind a GWLB endpoint decides: undetermined", "VPCE-06", INSPECTED, "app-1", "8.8.8.8", None,
     "tcp", 443, "undetermined", set(), lambda row: row.undetermined[0].code == "PATH_THROUGH_GWLB_NOT_CHECKED"),
]


def _lb_design() -> dict:
    def change(data: dict) -> None:
        vpc = data["vpcs"]["a"]
        vpc["security_groups"]["lb"] = {"ingress": [{"protocol": "tcp", "ports": "0-65535", "source": "0.0.0.0/0"}],
                                        "egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]}
        vpc["security_groups"]["app"]["ingress"].append({"protocol": "tcp", "ports": 8080, "source": "lb"})
        vpc["target_groups"] = {"tg": {"protocol": "HTTP", "port": 8080, "targets": ["app"]}}
        vpc["load_balancers"] = {"lb": {"type": "application", "scheme": "internet-facing", "subnets": ["p"],
                                        "security_groups": ["lb"],
                                        "listeners": [{"protocol": "HTTPS", "port": 443, "target_group": "tg"}]}}
    return _vary(change)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_ports_case(case) -> None:
    name, rule, data, source, destination, client, protocol, point, status, settings, check = case
    network = build_network(Design.model_validate(data if data is not None else _lb_design()))
    result = ports(network, source, destination, client_ports=client)
    row = _row(result, protocol, point)
    assert row.status == status, f"{name} ({rule}): {row}"
    named = {b.setting for b in row.blockers} | {b.component for b in row.blockers}
    assert settings <= named, f"{name} ({rule}): {named}"
    if check is not None:
        assert check(row), f"{name} ({rule}): {row}"
    assert covers_the_space(result) == []
    assert disagreements(network, source, destination, client, result=result) == []


def test_a_listener_hop_names_its_own_port() -> None:
    """A reach over a port range through a load balancer states the listener's port, not the range."""
    from vpckit.reach import answer, parse_query

    network = build_network(Design.model_validate(_lb_design()))
    result = answer(network, parse_query({"from": "internet", "to": "a/lb", "port": "1-65535"}))
    assert any(h.rule and "listener HTTPS 443 ->" in h.rule for h in result.forward)
    listener = next(b for b in result.blockers if b.code == "ELBV2_LISTENER_PORT_RESTRICTION")
    assert listener.ports == ((1, 442), (444, 65535))
