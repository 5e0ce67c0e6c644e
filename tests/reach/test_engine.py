"""The packet walk on small variations of the aws-semantics §4.2 baseline (each case cites its rule).

The lead's tests/reach/test_scenarios.py holds the 64-scenario table; these cases pin the engine's
own behaviour (codes, legs, partial ports, hops) case by case.
"""

from __future__ import annotations

from typing import Any, Callable

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from reach_designs import base, design  # noqa: E402

from vpckit.errors import QueryError
from vpckit.network import build_network
from vpckit.reach import answer, parse_query


def _ask(data: dict[str, Any], **query: Any):
    return answer(build_network(design(data)), parse_query(query))


def _vary(change: Callable[[dict], None]) -> dict:
    data = base()
    change(data)
    return data


def _a(d: dict) -> dict:
    return d["vpcs"]["a"]


def _nacl(d: dict, subnets: tuple[str, ...], ingress: list, egress: list) -> None:
    _a(d)["nacls"] = {"custom": {"ingress": ingress, "egress": egress}}
    for s in subnets:
        _a(d)["subnets"][s]["nacl"] = "custom"


def _peered(d: dict) -> None:
    for name, cidr, pcx in (("b", "10.1", "pcx-ab"), ("c", "10.2", "pcx-ac")):
        d["vpcs"][name] = {
            "cidr": f"{cidr}.0.0/16",
            "subnets": {"s": {"az": "us-east-1a", "cidr": f"{cidr}.1.0/24", "route_table": "r"}},
            "route_tables": {"r": {"routes": [{"destination": "10.0.0.0/16", "target": pcx}]}},
            "security_groups": {"peer": {"ingress": [{"protocol": "all", "source": "10.0.0.0/8"}]}},
            "instances": {f"{name}i": {"subnet": "s", "security_groups": ["peer"]}},
        }
        _a(d)["route_tables"]["priv"]["routes"].append({"destination": f"{cidr}.0.0/16", "target": pcx})
    d["peering_connections"] = {"pcx-ab": {"requester": "a", "accepter": "b"}, "pcx-ac": {"requester": "a", "accepter": "c"}}
    _a(d)["security_groups"]["app"]["ingress"].append({"protocol": "tcp", "ports": 22, "source": "b/peer"})


def _tgw(d: dict) -> None:
    _a(d)["subnets"]["q2"] = {"az": "us-east-1b", "cidr": "10.0.5.0/24", "route_table": "priv"}
    _a(d)["instances"]["app2"] = {"subnet": "q2", "security_groups": ["app"]}
    _a(d)["route_tables"]["priv"]["routes"].append({"destination": "10.1.0.0/16", "target": "core"})
    _a(d)["security_groups"]["app"]["ingress"].append({"protocol": "tcp", "ports": 22, "source": "10.1.0.0/16"})
    d["vpcs"]["b"] = {
        "cidr": "10.1.0.0/16",
        "subnets": {"s": {"az": "us-east-1a", "cidr": "10.1.1.0/24", "route_table": "r"}},
        "route_tables": {"r": {"routes": [{"destination": "0.0.0.0/0", "target": "core"}]}},
        "security_groups": {"peer": {"ingress": [{"protocol": "all", "source": "10.0.0.0/8"}]}},
        "instances": {"bi": {"subnet": "s", "security_groups": ["peer"]}},
    }
    d["transit_gateways"] = {"core": {
        "attachments": {
            "att-a": {"vpc": "a", "subnets": ["q"], "route_table": "rt", "propagate_to": ["rt"]},
            "att-b": {"vpc": "b", "subnets": ["s"], "route_table": "rt", "propagate_to": ["rt"]},
        },
        "route_tables": {"rt": {}},
    }}


def _middlebox(check: bool) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        _a(d)["subnets"]["f"] = {"az": "us-east-1a", "cidr": "10.0.4.0/24"}
        _a(d)["instances"]["fw"] = {"subnet": "f", "source_dest_check": check, "security_groups": ["fw"]}
        _a(d)["security_groups"]["fw"] = {"ingress": [{"protocol": "all", "source": "10.0.0.0/16"}]}
        _a(d)["route_tables"]["priv"]["routes"].append({"destination": "10.0.3.0/24", "target": "fw"})
    return change


def _endpoints(d: dict) -> None:
    d["prefix_lists"] = {"s3": {"id": "pl-63a5400a", "cidrs": ["52.216.0.0/15"]}}
    _a(d)["endpoints"] = {
        "s3gw": {"service": "com.amazonaws.us-east-1.s3", "type": "gateway", "route_tables": ["priv"], "prefix_list": "s3"},
        "sqs": {"service": "com.amazonaws.us-east-1.sqs", "subnets": ["q"], "security_groups": ["ep"]},
    }
    _a(d)["security_groups"]["ep"] = {"ingress": [{"protocol": "tcp", "ports": 443, "source": "10.0.1.0/24"}]}


def _ipv6(d: dict) -> None:
    _a(d)["ipv6_cidrs"] = ["2600:1f18:1:100::/56"]
    _a(d)["subnets"]["p"]["ipv6_cidr"] = "2600:1f18:1:100::/64"
    _a(d)["instances"]["web"]["ipv6_addresses"] = ["2600:1f18:1:100::10"]
    _a(d)["security_groups"]["web"]["ingress"].append({"protocol": "tcp", "ports": 443, "source": "::/0"})
    _a(d)["security_groups"]["web"]["egress"] = [{"protocol": "all", "destination": "0.0.0.0/0"},
                                                 {"protocol": "all", "destination": "::/0"}]


def _then(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        for c in changes:
            c(d)
    return change


NAT_RETURN_32768 = lambda d: _nacl(d, ("p", "q"), [  # noqa: E731 - S12
    {"rule": 100, "protocol": "tcp", "ports": "32768-65535", "cidr": "0.0.0.0/0"},
    {"rule": 110, "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"}], [{"rule": 100, "cidr": "0.0.0.0/0"}])

CASES = [
    # (id, change, query, verdict, codes as (code, leg))
    ("S01 internet to web", None, {"from": "internet", "to": "web", "port": 443}, "reachable", []),
    ("S01 web to app (SG reference)", None, {"from": "web", "to": "app", "port": 8080}, "reachable", []),
    ("S01 app to db", None, {"from": "app", "to": "db", "port": 5432}, "reachable", []),
    ("S01 app to internet via NAT", None, {"from": "app", "to": "8.8.8.8", "port": 443}, "reachable", []),
    ("S02 IGW-04 no public ip", None, {"from": "internet", "to": "db", "port": 5432}, "unreachable",
     [("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "forward")]),
    ("S03 IGW-04 egress without public ip", lambda d: _a(d)["instances"]["web"].pop("elastic_ip"),
     {"from": "web", "to": "8.8.8.8", "port": 443}, "unreachable", [("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "forward")]),
    ("S04 no return route", lambda d: _a(d)["route_tables"]["pub"].update(routes=[]),
     {"from": "internet", "to": "web", "port": 443}, "unreachable", [("NO_ROUTE_TO_DESTINATION", "return")]),
    ("S06 ASYMMETRIC_RETURN via NAT", lambda d: _a(d)["instances"].update(
        x={"subnet": "q", "elastic_ip": "203.0.113.20", "security_groups": ["web"]}),
     {"from": "internet", "to": "x", "port": 22}, "unreachable", [("ASYMMETRIC_RETURN", "return")]),
    ("S07 NAT in private subnet", lambda d: _a(d)["nat_gateways"]["nat"].update(subnet="q"),
     {"from": "app", "to": "8.8.8.8", "port": 443}, "unreachable", [("NO_ROUTE_TO_DESTINATION", "forward")]),
    ("S08 RT-10 deleted NAT", lambda d: _a(d)["nat_gateways"]["nat"].update(state="deleted"),
     {"from": "app", "to": "8.8.8.8", "port": 443}, "unreachable", [("BAD_STATE_ROUTE", "forward")]),
    ("S09 SG-03 no egress rules", lambda d: _a(d)["security_groups"]["app"].update(egress=[]),
     {"from": "app", "to": "db", "port": 5432}, "unreachable", [("SG_HAS_NO_RULES", "forward")]),
    ("S10 SG-06 reference through middlebox", _middlebox(False), {"from": "app", "to": "db", "port": 5432},
     "unreachable", [("SG_REFERENCES_NOT_PRESERVED", "forward")]),
    ("S34 ENI-01 source/dest check on", _middlebox(True), {"from": "app", "to": "db", "port": 5432}, "unreachable",
     [("ENI_SOURCE_DEST_CHECK_RESTRICTION", "forward"), ("SG_REFERENCES_NOT_PRESERVED", "forward")]),
    ("S11 NACL-07 return denied", lambda d: _nacl(d, ("d",), [
        {"rule": 100, "protocol": "tcp", "ports": 5432, "cidr": "0.0.0.0/0"}], []),
     {"from": "app", "to": "db", "port": 5432}, "unreachable", [("SUBNET_ACL_RESTRICTION", "return")]),
    ("S12a windows client", NAT_RETURN_32768,
     {"from": "internet", "to": "web", "port": 443, "client_ports": "49152-65535"}, "reachable", []),
    ("S12c NAT ports partial", NAT_RETURN_32768, {"from": "app", "to": "8.8.8.8", "port": 443}, "partial",
     [("SUBNET_ACL_RESTRICTION", "return")]),
    ("S13 NACL-03 deny first", lambda d: _nacl(d, ("p",), [
        {"rule": 50, "protocol": "tcp", "ports": 22, "cidr": "203.0.113.5/32", "action": "deny"},
        {"rule": 100, "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0"}], [{"rule": 100, "cidr": "0.0.0.0/0"}]),
     {"from": "203.0.113.5", "to": "web", "port": 22}, "unreachable", [("SUBNET_ACL_RESTRICTION", "forward")]),
    ("S14 NACL-03 allow first", lambda d: _nacl(d, ("p",), [
        {"rule": 100, "protocol": "tcp", "ports": 22, "cidr": "203.0.113.5/32", "action": "deny"},
        {"rule": 50, "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0"}], [{"rule": 100, "cidr": "0.0.0.0/0"}]),
     {"from": "203.0.113.5", "to": "web", "port": 22}, "reachable", []),
    ("S15 NACL-08 same subnet", lambda d: (_nacl(d, ("q",), [], []), _a(d)["instances"].update(
        app2={"subnet": "q", "security_groups": ["app"]}), _a(d)["security_groups"]["app"]["ingress"].append(
        {"protocol": "tcp", "ports": 80, "source": "app"})), {"from": "app2", "to": "app", "port": 80}, "reachable", []),
    ("S17 NACL-06 empty custom NACL", lambda d: _nacl(d, ("d",), [], []), {"from": "app", "to": "db", "port": 5432},
     "unreachable", [("SUBNET_ACL_RESTRICTION", "forward"), ("SUBNET_ACL_RESTRICTION", "return")]),
    ("S18 SG-04 default group", lambda d: _a(d)["instances"].update(a1={"subnet": "p"}, a2={"subnet": "q"}),
     {"from": "a1", "to": "a2", "protocol": "all"}, "reachable", []),
    ("S19 NACL-09 protocol -1 ignores ports", lambda d: _nacl(d, ("d",), [
        {"rule": 100, "protocol": "all", "ports": 80, "cidr": "0.0.0.0/0"}], [{"rule": 100, "cidr": "0.0.0.0/0"}]),
     {"from": "app", "to": "db", "port": 5432}, "reachable", []),
    ("S20 SG-02 ESP", lambda d: _a(d)["security_groups"]["db"]["ingress"].append(
        {"protocol": 50, "ports": 1, "source": "10.0.0.0/16"}), {"from": "app", "to": "db", "protocol": 50}, "reachable", []),
    ("S21 peering without return route", _then(_peered, lambda d: d["vpcs"]["b"]["route_tables"]["r"].update(routes=[])),
     {"from": "app", "to": "bi", "port": 22}, "unreachable", [("NO_ROUTE_TO_DESTINATION", "return")]),
    ("PCX-05 peering both ways", _peered, {"from": "bi", "to": "app", "port": 22}, "reachable", []),
    ("S22 PCX-03 not transitive", _then(_peered, lambda d: d["vpcs"]["b"]["route_tables"]["r"]["routes"].append(
        {"destination": "10.2.0.0/16", "target": "pcx-ab"})), {"from": "bi", "to": "ci", "port": 22}, "unreachable",
     [("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "forward")]),
    ("S23 PCX-04 no edge to edge", _then(_peered, lambda d: d["vpcs"]["b"]["route_tables"]["r"]["routes"].append(
        {"destination": "0.0.0.0/0", "target": "pcx-ab"})), {"from": "bi", "to": "8.8.8.8", "port": 443}, "unreachable",
     [("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "forward")]),
    ("S27 SG-05 inter-region reference", _then(_peered, lambda d: d["vpcs"]["b"].update(region="eu-west-1")),
     {"from": "bi", "to": "app", "port": 22}, "unreachable", [("ENI_SG_RULES_MISMATCH", "forward")]),
    ("PCX-08 pending peering", _then(_peered, lambda d: d["peering_connections"]["pcx-ab"].update(state="pending-acceptance")),
     {"from": "app", "to": "bi", "port": 22}, "unreachable", [("BAD_STATE_ROUTE", "forward")]),
    ("TGW-03 both ways", _tgw, {"from": "bi", "to": "app", "port": 22}, "reachable", []),
    ("S39 TGW-02 AZ", _tgw, {"from": "app2", "to": "bi", "port": 22}, "unreachable", [("TGW_ROUTE_AZ_RESTRICTION", "forward")]),
    ("S40 TGW-03 association", _then(_tgw, lambda d: d["transit_gateways"]["core"]["attachments"]["att-b"].update(route_table=None)),
     {"from": "bi", "to": "app", "port": 22}, "unreachable", [("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", "forward")]),
    ("S41 TGW return route", _then(_tgw, lambda d: d["transit_gateways"]["core"]["attachments"]["att-b"].update(propagate_to=[])),
     {"from": "bi", "to": "app", "port": 22}, "unreachable", [("TGW_RTB_CANNOT_ROUTE", "return")]),
    ("S43 TGW-04 blackhole", _then(_tgw, lambda d: d["transit_gateways"]["core"]["route_tables"]["rt"].update(
        routes=[{"destination": "10.1.0.0/16", "blackhole": True}])), {"from": "app", "to": "bi", "port": 22}, "unreachable",
     [("TGW_RTB_BAD_STATE_ROUTE", "forward")]),
    ("S45 NAT-05 centralised egress", _then(_tgw, lambda d: d["transit_gateways"]["core"]["route_tables"]["rt"].update(
        routes=[{"destination": "0.0.0.0/0", "attachment": "att-a"}]), lambda d: _a(d)["route_tables"]["pub"]["routes"].append(
        {"destination": "10.1.0.0/16", "target": "core"})), {"from": "bi", "to": "8.8.8.8", "port": 443}, "reachable", []),
    ("S31 VPCE-01 prefix-list route", _endpoints, {"from": "app", "to": "52.216.1.1", "port": 443}, "reachable", []),
    ("S48 VPCE-03 UDP", _endpoints, {"from": "app", "to": "s3gw", "protocol": "udp", "port": 443}, "unreachable",
     [("VPCE_GATEWAY_PROTOCOL_RESTRICTION", "forward")]),
    ("S46 interface endpoint SG", _endpoints, {"from": "app", "to": "sqs", "port": 443}, "unreachable",
     [("ENI_SG_RULES_MISMATCH", "forward")]),
    ("VPCE-04 interface endpoint answers", _endpoints, {"from": "web", "to": "sqs", "port": 443}, "reachable", []),
    ("S47 VPCE-04 endpoint cannot initiate", _endpoints, {"from": "sqs", "to": "app", "port": 8080}, "unreachable",
     [("VPCE_INTRA_VPC_TRAFFIC", "forward")]),
    ("S38 NACL-12 DNS", lambda d: _nacl(d, ("q",), [], []), {"from": "app", "to": "10.0.0.2", "protocol": "udp", "port": 53},
     "reachable", []),
    ("NACL-12 IMDS", lambda d: _nacl(d, ("q",), [], []), {"from": "app", "to": "169.254.169.254", "port": 80}, "reachable", []),
    ("unowned address in a subnet", None, {"from": "app", "to": "10.0.2.99", "port": 80}, "unreachable",
     [("NO_POSSIBLE_DESTINATION", "forward")]),
    ("NAT-03 NAT answers no ping", None, {"from": "app", "to": "nat", "protocol": "icmp"}, "unreachable",
     [("NAT_GATEWAY_NOT_A_DESTINATION", "forward")]),
    ("S49 IGW-05 private destination", lambda d: _a(d)["route_tables"]["pub"]["routes"].append(
        {"destination": "10.50.0.0/16", "target": "igw"}), {"from": "web", "to": "10.50.1.1", "port": 443}, "unreachable",
     [("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", "forward")]),
    ("S51 NAT-02 private NAT to IGW", lambda d: _a(d)["nat_gateways"]["nat"].update(connectivity="private"),
     {"from": "app", "to": "8.8.8.8", "port": 443}, "unreachable", [("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "forward")]),
    ("S63 IGW-06 hairpin modelled", lambda d: _a(d)["instances"].update(
        web2={"subnet": "p", "elastic_ip": "203.0.113.11", "security_groups": ["web"]}),
     {"from": "web", "to": "203.0.113.11", "port": 443}, "reachable", []),
    ("S60 CIDR-10 IPv6 needs ::/0", _ipv6, {"from": "internet6", "to": "web", "port": 443}, "unreachable",
     [("NO_ROUTE_TO_DESTINATION", "return")]),
    ("S61 IGW-07 EIGW inbound", _then(_ipv6, lambda d: (_a(d).update(egress_only_internet_gateway="eigw"),
                                                         _a(d)["route_tables"]["pub"]["routes"].append(
                                                             {"destination": "::/0", "target": "eigw"}))),
     {"from": "internet6", "to": "web", "port": 443}, "unreachable", [("ASYMMETRIC_RETURN", "return")]),
    ("S61 IGW-07 EIGW outbound", _then(_ipv6, lambda d: (_a(d).update(egress_only_internet_gateway="eigw"),
                                                          _a(d)["route_tables"]["pub"]["routes"].append(
                                                              {"destination": "::/0", "target": "eigw"}))),
     {"from": "web", "to": "2001:db8::1", "port": 443}, "reachable", []),
    ("S62 NACL-10 IPv6 needs IPv6 rules", _then(_ipv6, lambda d: _a(d)["route_tables"]["pub"]["routes"].append(
        {"destination": "::/0", "target": "igw"}), lambda d: _nacl(d, ("p",), [{"rule": 100, "cidr": "0.0.0.0/0"}],
                                                                    [{"rule": 100, "cidr": "0.0.0.0/0"}])),
     {"from": "internet6", "to": "web", "port": 443}, "unreachable",
     [("SUBNET_ACL_RESTRICTION", "forward"), ("SUBNET_ACL_RESTRICTION", "return")]),
    ("ENI-02 stopped instance", lambda d: _a(d)["instances"]["db"].update(state="stopped"),
     {"from": "app", "to": "db", "port": 5432}, "unreachable", [("BAD_STATE", "forward")]),
]


@pytest.mark.parametrize("change, query, verdict, codes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_walk(change, query, verdict, codes) -> None:
    result = _ask(_vary(change) if change else base(), **query)
    assert result.verdict == verdict, [b.message for b in result.blockers]
    assert [(b.code, b.leg) for b in result.blockers] == codes


def test_partial_reports_failing_nat_ports() -> None:  # S12(c), NAT-04
    result = _ask(_vary(NAT_RETURN_32768), **{"from": "app", "to": "8.8.8.8", "port": 443})
    assert [p.to_text() for p in result.failing_client_ports] == ["1024-32767"]
    assert "only 32768-65535 get through" in result.blockers[0].message


def test_nat_pipeline_has_four_nacl_checks() -> None:  # §1.15 NAT pipeline
    result = _ask(base(), **{"from": "app", "to": "8.8.8.8", "port": 443})
    nacl_hops = [h for h in result.forward + result.return_path if h.kind == "subnet" and h.decision == "allow"]
    assert len(nacl_hops) == 6  # forward: Q out, P in, P out; return: P in, P out, Q in
    assert any(h.decision == "translate" and h.component == "nat:a/nat" for h in result.forward)


def test_return_message_names_client_ports_and_fix() -> None:  # NACL-07
    result = _ask(_vary(lambda d: _nacl(d, ("d",), [{"rule": 100, "protocol": "tcp", "ports": 5432, "cidr": "0.0.0.0/0"}], [])),
                  **{"from": "app", "to": "db", "port": 5432})
    blocker = result.blockers[0]
    assert "32768-60999" in blocker.message and blocker.setting == "nacl:a/custom"
    assert blocker.fix == "add an outbound allow rule to NACL custom for tcp 32768-60999 to 10.0.2.0/24"


def test_every_blocker_is_listed() -> None:  # blocked-path analysis: SG and NACL both reported
    def change(d):
        _a(d)["security_groups"]["app"]["egress"] = []
        _nacl(d, ("d",), [], [])
    result = _ask(_vary(change), **{"from": "app", "to": "db", "port": 5432})
    assert {b.code for b in result.blockers} == {"SG_HAS_NO_RULES", "SUBNET_ACL_RESTRICTION"}


def test_load_balancer_continues_to_targets(designs_dir) -> None:
    from vpckit.sources import load

    network = build_network(load(str(designs_dir / "three-tier.yaml")))
    ok = answer(network, parse_query({"from": "internet", "to": "web", "port": 443}))
    assert ok.verdict == "reachable"
    assert ok.forward[-1].component in ("eni:prod/app-1", "eni:prod/app-2")
    wrong_port = answer(network, parse_query({"from": "internet", "to": "web", "port": 80}))
    # The public subnets' NACL admits only 443, the load balancer's group too, and no listener is on 80.
    assert [b.code for b in wrong_port.blockers] == [
        "SUBNET_ACL_RESTRICTION", "ENI_SG_RULES_MISMATCH", "ELBV2_LISTENER_PORT_RESTRICTION"]


def test_load_balancer_with_unreachable_targets_is_unreachable(designs_dir) -> None:
    from vpckit.sources import load

    d = load(str(designs_dir / "three-tier.yaml"))
    d.vpcs["prod"].security_groups["app"].ingress.clear()
    result = answer(build_network(d), parse_query({"from": "internet", "to": "web", "port": 443}))
    assert result.verdict == "unreachable"
    assert {b.code for b in result.blockers} == {"SG_HAS_NO_RULES"}
    assert all("load balancer web -> target" in b.message for b in result.blockers)


@pytest.mark.parametrize("query, message", [
    ({"from": "nowhere", "to": "app", "port": 1}, "unknown endpoint 'nowhere'"),
    ({"from": "10.0.2.99", "to": "app", "port": 1}, "nothing sends from it"),
    ({"from": "internet", "to": "8.8.8.8", "port": 1}, "outside the network"),
])
def test_questions_that_make_no_sense(query, message) -> None:
    with pytest.raises(QueryError, match=message):
        _ask(base(), **query)


def test_answer_is_json_ready() -> None:
    import json

    result = _ask(base(), **{"from": "internet", "to": "web", "port": 443})
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) >= {"query", "verdict", "forward", "return", "blockers"}
    assert data["forward"][0]["direction"] == "forward" and data["return"][-1]["decision"] == "deliver"


@pytest.mark.parametrize("query, verdict", [
    ({"from": "q", "to": "d", "port": 5432}, "reachable"),
    ({"from": "internet", "to": "p", "port": 443}, "unreachable"),
])
def test_subnet_as_endpoint_checks_routes_and_nacls_only(query, verdict) -> None:
    result = _ask(base(), **query)
    assert result.verdict == verdict
    assert any("without security groups" in n for n in result.notes)


def test_detached_interface_is_bad_state() -> None:  # ENI-02
    result = _ask(_vary(lambda d: _a(d).update(network_interfaces={"spare": {"subnet": "q", "status": "available"}})),
                  **{"from": "app", "to": "spare", "protocol": "all"})
    assert result.verdict == "unreachable" and result.blockers[0].code == "BAD_STATE"


def test_identical_cidr_peers_follow_the_longest_prefix() -> None:  # S29, PCX-05/06
    def change(d):
        for name, pcx in (("b", "pcx-ab"), ("c", "pcx-ac")):
            d["vpcs"][name] = {"cidr": "10.1.0.0/16",
                               "subnets": {"s": {"az": "us-east-1a", "cidr": "10.1.2.0/24", "route_table": "r"}},
                               "route_tables": {"r": {"routes": [{"destination": "10.0.0.0/16", "target": pcx}]}},
                               "security_groups": {"peer": {"ingress": [{"protocol": "all", "source": "10.0.0.0/8"}]}},
                               "instances": {"host": {"subnet": "s", "private_ip": "10.1.2.5", "security_groups": ["peer"]}}}
        d["peering_connections"] = {"pcx-ab": {"requester": "a", "accepter": "b"},
                                    "pcx-ac": {"requester": "a", "accepter": "c"}}
        _a(d)["route_tables"]["priv"]["routes"] += [{"destination": "10.1.0.0/16", "target": "pcx-ac"},
                                                      {"destination": "10.1.2.5/32", "target": "pcx-ab"}]
    result = _ask(_vary(change), **{"from": "app", "to": "10.1.2.5", "port": 22})
    assert result.verdict == "reachable" and result.forward[-1].component == "eni:b/host"


def test_port_range_question_reports_blocked_service_ports() -> None:
    result = _ask(base(), **{"from": "internet", "to": "web", "port": "440-445"})
    assert result.verdict == "partial"
    assert [p.to_text() for p in result.failing_ports] == ["440-442", "444-445"]
    assert result.failing_client_ports == []


def test_icmp_other_than_echo_is_one_way() -> None:  # only echo requests get replies
    def change(d):
        _a(d)["security_groups"]["web"]["ingress"].append({"protocol": "icmp", "icmp_type": 3, "icmp_code": 4,
                                                            "source": "10.0.0.0/16"})
    result = _ask(_vary(change), **{"from": "app", "to": "web", "protocol": "icmp", "icmp_type": 3, "icmp_code": 4})
    assert result.verdict == "reachable" and result.return_path == []


def test_tgw_nacls_apply_even_in_the_attachment_subnet() -> None:  # AWS tgw-nacls: instance -> TGW, same subnet
    def change(d):
        _tgw(d)
        _nacl(d, ("q",), [{"rule": 100, "cidr": "0.0.0.0/0"}], [{"rule": 100, "protocol": "tcp", "ports": 22,
                                                                   "cidr": "10.1.0.0/16", "action": "deny"},
                                                                  {"rule": 200, "cidr": "0.0.0.0/0"}])
    result = _ask(_vary(change), **{"from": "app", "to": "bi", "port": 22})  # app and att-a share subnet q
    assert [(b.code, b.leg, b.component) for b in result.blockers] == [("SUBNET_ACL_RESTRICTION", "forward", "subnet:a/q")]
    back = _ask(_vary(change), **{"from": "bi", "to": "app", "port": 22})  # TGW -> app in q: q's NACL not evaluated
    assert back.verdict == "reachable"
