"""Where AWS is subtle: scenarios found by experiment, each with the AWS documentation it follows.

Built on the §4.2 base design of test_scenarios (VPC-A with public P, private Q, db D).
"""

from __future__ import annotations

from typing import Any, Callable

import pytest

from vpckit.model import Design
from vpckit.network import build_network
from vpckit.reach import answer, parse_query

from .test_scenarios import INTERNET6_HOST, _dual_stack, add_route, apply, set_

EIGW_DOC = "https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html"

_WITHOUT_IGW = (_dual_stack, set_("vpcs.a.egress_only_internet_gateway", "eigw"), set_("vpcs.a.internet_gateway", None),
                set_("vpcs.a.route_tables.rt-pub.routes", []), set_("vpcs.a.nat_gateways", {}),
                set_("vpcs.a.route_tables.rt-priv.routes", []), add_route("rt-priv", "::/0", "eigw"))


def _returns_through(node: str, not_through: str | None = None) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        back = [hop.component for hop in result.return_path]
        assert node in back, back
        if not_through:
            assert not_through not in back, back
    return check


#: (id, AWS source, changes, query, verdict, check)
CASES: list[tuple[str, str, tuple, dict, str, Callable[[Any], None] | None]] = [
    # "An egress-only internet gateway is stateful: it forwards traffic from the instances in the subnet to
    # the internet ..., and then sends the response back to the instances." No internet gateway is needed.
    ("eigw-without-igw", EIGW_DOC, _WITHOUT_IGW, {"from": "app", "to": INTERNET6_HOST, "port": 443}, "reachable",
     _returns_through("eigw:a/eigw")),
    # The reply to a connection that left through the egress-only gateway comes back through it, even when
    # the VPC also has an internet gateway that the subnet does not use for IPv6.
    ("eigw-beside-an-unused-igw", EIGW_DOC, (_dual_stack, set_("vpcs.a.egress_only_internet_gateway", "eigw"),
                                             add_route("rt-priv", "::/0", "eigw")),
     {"from": "app", "to": INTERNET6_HOST, "port": 443}, "reachable", _returns_through("eigw:a/eigw", "igw:a/igw")),
    # ... and it still lets nothing from the internet start a connection.
    ("eigw-refuses-inbound", EIGW_DOC, _WITHOUT_IGW, {"from": INTERNET6_HOST, "to": "2600:1f18:aaaa:102::10",
                                                      "port": 443}, "unreachable", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_subtle_case(case) -> None:
    name, source, changes, query, verdict, check = case
    result = answer(build_network(Design.model_validate(apply(*changes))), parse_query(query))
    assert result.verdict == verdict, f"{name} ({source}): {result.verdict} {[b.code for b in result.blockers]}"
    if check is not None:
        check(result)


VPN_DOC = "https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-cloudwatch-vpn.html (TunnelState: 0 = DOWN)"


def test_a_transit_gateway_vpn_whose_tunnels_are_all_down_carries_nothing() -> None:
    """The transit gateway's VPN attachment, like a VPN gateway, carries nothing when every tunnel is DOWN."""
    from .test_states_and_onprem import BASE as ONPREM
    import copy

    data = copy.deepcopy(ONPREM)
    data["transit_gateways"]["hub"]["attachments"]["dc"]["type"] = "vpn"
    for state, verdict in (("available", "reachable"), ("down", "unreachable")):
        data["on_premises"] = {"site": {"cidrs": ["172.20.0.0/16"], "via": "dc", "state": state}}
        network = build_network(Design.model_validate(data))
        for source, destination in (("app-1", "172.20.5.10"), ("172.20.5.10", "app-1")):
            result = answer(network, parse_query({"from": source, "to": destination, "port": 443}))
            assert result.verdict == verdict, (VPN_DOC, state, source, [b.message for b in result.blockers])
            if verdict == "unreachable":
                assert [b.code for b in result.blockers] == ["BAD_STATE_VPN"]


ELB_AZ_DOC = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-subnets.html: "
              "\"If you register targets in an Availability Zone but do not enable the Availability Zone, these "
              "registered targets do not receive traffic from the load balancer.\"")


def _lb_with_target_in(zone: str) -> dict:
    from .reach_designs import base

    data = base()
    vpc = data["vpcs"]["a"]
    vpc["subnets"]["q2"] = {"az": zone, "cidr": "10.0.12.0/24", "route_table": "priv"}
    vpc["instances"]["app2"] = {"subnet": "q2", "private_ip": "10.0.12.10", "security_groups": ["app"]}
    vpc["security_groups"]["lb"] = {"ingress": [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"}],
                                    "egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]}
    vpc["security_groups"]["app"]["ingress"].append({"protocol": "tcp", "ports": 8080, "source": "lb"})
    vpc["target_groups"] = {"tg": {"protocol": "HTTP", "port": 8080, "targets": ["app2"]}}
    vpc["load_balancers"] = {"lb": {"type": "application", "scheme": "internet-facing", "subnets": ["p"],
                                    "security_groups": ["lb"],
                                    "listeners": [{"protocol": "HTTPS", "port": 443, "target_group": "tg"}]}}
    return data


@pytest.mark.parametrize(("zone", "verdict"), [("us-east-1a", "reachable"), ("us-east-1b", "unreachable")])
def test_a_target_in_an_availability_zone_the_load_balancer_does_not_enable_gets_nothing(zone, verdict) -> None:
    from vpckit.checks import run_checks

    design = Design.model_validate(_lb_with_target_in(zone))
    result = answer(build_network(design), parse_query({"from": "internet", "to": "a/lb", "port": 443}))
    assert result.verdict == verdict, (ELB_AZ_DOC, [b.message for b in result.blockers])
    findings = [f for f in run_checks(design) if f.rule == "ELB001"]
    if verdict == "unreachable":
        assert [b.code for b in result.blockers] == ["ELB_INSTALLED_AZ_RESTRICTION"]
        assert len(findings) == 1 and "us-east-1b" in findings[0].message
    else:
        assert findings == []


TGW_SG_DOC = ("https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html (security group referencing: "
              "supported for inbound rules only; outbound rules cannot reference a group across a transit gateway)")


def _referencing_hub(egress_rule: dict | None, ingress_source: str) -> dict:
    from .test_scenarios import apply as apply_changes, tgw_hub

    data = apply_changes(tgw_hub())
    for attachment in data["transit_gateways"]["hub"]["attachments"].values():
        attachment["security_group_referencing"] = True
    data["vpcs"]["s"]["security_groups"]["host"]["ingress"] = [{"protocol": "tcp", "ports": 22, "source": ingress_source}]
    app = data["vpcs"]["a"]["security_groups"]["app"]
    app["egress"] = [egress_rule] if egress_rule else [{"protocol": "all", "destination": "0.0.0.0/0"}]
    return data


@pytest.mark.parametrize(("egress", "ingress_source", "verdict"), [
    (None, "a/app", "reachable"),                                                       # inbound reference: works
    ({"protocol": "tcp", "ports": 22, "destination": "s/host"}, "10.0.0.0/8", "unreachable"),  # outbound: nothing
])
def test_group_references_across_a_transit_gateway_work_inbound_only(egress, ingress_source, verdict) -> None:
    design = Design.model_validate(_referencing_hub(egress, ingress_source))
    result = answer(build_network(design), parse_query({"from": "app", "to": "s-host", "port": 22}))
    assert result.verdict == verdict, (TGW_SG_DOC, [b.message for b in result.blockers])
    if verdict == "unreachable":
        blocker = next(b for b in result.blockers if b.code == "ENI_SG_RULES_MISMATCH")
        assert "inbound rules only" in blocker.message


LAMBDA_DOC = ("https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html: \"Connecting a function "
              "to a public subnet doesn't give it internet access or a public IP address\" — it needs a NAT gateway")


@pytest.mark.parametrize(("source", "destination", "says"), [
    ("fn", "8.8.8.8", "through a NAT gateway: AWS never gives a Lambda function interface a public address"),
    ("internet", "fn", "nothing on the internet can connect to a Lambda function interface"),
])
def test_a_fix_never_asks_for_what_aws_cannot_do(source, destination, says) -> None:
    """A Lambda function's interface never has a public address: the fix routes through a NAT gateway instead."""
    from .reach_designs import base

    data = base()
    vpc = data["vpcs"]["a"]
    vpc["security_groups"]["fn"] = {"ingress": [{"protocol": "all", "source": "0.0.0.0/0"}],
                                    "egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]}
    vpc["lambda_functions"] = {"fn": {"subnets": ["p"], "security_groups": ["fn"]}}
    result = answer(build_network(Design.model_validate(data)), parse_query({"from": source, "to": destination,
                                                                            "port": 443}))
    assert result.verdict == "unreachable"
    fixes = [b.fix for b in result.blockers]
    assert any(says in fix for fix in fixes), (LAMBDA_DOC, fixes)
    assert not any("give fn a public" in fix for fix in fixes)


EIP_DOC = ("https://docs.aws.amazon.com/vpc/latest/userguide/vpc-eips.html (an elastic IP stays allocated to the "
           "account until released; associated with nothing, it answers nothing) and "
           "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html (deleting a NAT gateway "
           "disassociates its address)")


@pytest.mark.parametrize(("released", "verdict", "code"), [
    (False, "unreachable", "NO_POSSIBLE_DESTINATION"),   # allocated, unused: nothing answers there
    (True, "undetermined", "RELEASED_ADDRESS"),          # released with a deleted NAT: held by whom, unknown
])
def test_an_address_no_live_resource_holds_is_never_an_internet_host(released, verdict, code) -> None:
    from .reach_designs import base

    data = base()
    data["vpcs"]["a"]["security_groups"]["app"]["egress"] = [{"protocol": "all", "destination": "0.0.0.0/0"}]
    data["elastic_ips"] = {"spare": {"address": "198.51.100.250", "nat_gateway": "nat-gone", "released": released}}
    network = build_network(Design.model_validate(data))
    assert answer(network, parse_query({"from": "app", "to": "198.51.100.251", "port": 443})).verdict == "reachable"
    result = answer(network, parse_query({"from": "app", "to": "198.51.100.250", "port": 443}))
    assert result.verdict == verdict, (EIP_DOC, [b.message for b in result.blockers])
    assert code in [b.code for b in (*result.blockers, *result.undetermined)]


def test_a_snapshot_nat_gateway_deleted_with_its_vpc_leaves_a_released_address(tmp_path) -> None:
    """The reader keeps the address of a deleted NAT gateway whose VPC is gone, as released."""
    import json
    import shutil
    from pathlib import Path

    from vpckit.sources import load

    snapshot = Path(__file__).resolve().parents[2] / "examples" / "snapshot"
    copy_ = tmp_path / "snapshot"
    shutil.copytree(snapshot, copy_)
    nat_file = next(copy_.rglob("NatGateways.json"))
    data = json.loads(nat_file.read_text())
    data["NatGateways"].append({"NatGatewayId": "nat-0dead0000000000001", "VpcId": "vpc-0gone000000000001",
                                "SubnetId": "subnet-0gone00000000001", "State": "deleted",
                                "NatGatewayAddresses": [{"PublicIp": "3.90.0.99", "IsPrimary": True}]})
    nat_file.write_text(json.dumps(data))
    design = load(str(copy_))
    assert [(str(e.address), e.released) for e in design.elastic_ips.values()] == [("3.90.0.99", True)]
    network = build_network(design)
    instance = next(n for n, i in network.interfaces.items() if i.owner_kind == "instance")
    result = answer(network, parse_query({"from": instance, "to": "3.90.0.99", "port": 443}))
    assert result.verdict in ("undetermined", "unreachable") and result.verdict != "reachable"


INGRESS_DOC = ("https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html (ingress routing: the "
               "gateway route table sends inbound traffic to an appliance; the return traffic must be routed back "
               "through it) and Reachability Analyzer's INGRESS_RTB_TRAFFIC_REDIRECTION")


def _ingress_routed(target: str, symmetric: bool) -> dict:
    from .reach_designs import base

    data = base()
    vpc = data["vpcs"]["a"]
    vpc["subnets"]["f"] = {"az": "us-east-1a", "cidr": "10.0.4.0/24", "route_table": "rt-fw"}
    vpc["route_tables"]["rt-fw"] = {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}
    vpc["security_groups"]["fw"] = {"ingress": [{"protocol": "all", "source": "0.0.0.0/0"}],
                                    "egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]}
    vpc["instances"]["fw"] = {"subnet": "f", "private_ip": "10.0.4.10", "security_groups": ["fw"],
                              "source_dest_check": False, "public_ip": "198.51.100.40"}
    vpc["endpoints"] = {"inspect": {"type": "gateway_load_balancer", "subnets": ["f"],
                                    "service": "com.amazonaws.vpce.us-east-1.vpce-svc-1"}}
    vpc["route_tables"]["rt-edge"] = {"edge_associations": ["igw"],
                                      "routes": [{"destination": "10.0.1.0/24", "target": target}]}
    if symmetric:
        vpc["route_tables"]["pub"]["routes"] = [{"destination": "0.0.0.0/0", "target": target}]
    return data


@pytest.mark.parametrize(("target", "symmetric", "verdict", "codes"), [
    ("fw", False, "undetermined", {"INGRESS_RTB_TRAFFIC_REDIRECTION"}),     # the reply bypasses the appliance
    ("fw", True, "reachable", set()),                                       # both ways through it
    ("inspect", False, "undetermined", {"PATH_THROUGH_GWLB_NOT_CHECKED", "INGRESS_RTB_TRAFFIC_REDIRECTION"}),
    ("inspect", True, "undetermined", {"PATH_THROUGH_GWLB_NOT_CHECKED"}),
])
def test_ingress_routing_goes_through_the_appliance_and_back(target, symmetric, verdict, codes) -> None:
    data = _ingress_routed(target, symmetric)
    result = answer(build_network(Design.model_validate(data)), parse_query({"from": "internet", "to": "web",
                                                                            "port": 443}))
    forward = [hop.component for hop in result.forward]
    node = "eni:a/fw" if target == "fw" else next(c for c in forward if "inspect" in c)
    assert node in forward, (INGRESS_DOC, forward)
    assert result.verdict == verdict, (INGRESS_DOC, result.verdict, [b.message for b in result.blockers])
    assert {u.code for u in result.undetermined} == codes


APPLIANCE_MODE_DOC = ("https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html: without "
                      "appliance mode a transit gateway keeps traffic in the Availability Zone it came from, so the "
                      "reply of a flow between AZs can pass another appliance, which drops it")


def _inspection_hub(appliance_mode: bool) -> dict:
    open_group = {"ingress": [{"protocol": "all", "source": "10.0.0.0/8"}],
                  "egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]}

    def spoke(cidr: str, az: str, host: str, ip: str) -> dict:
        return {"cidr": cidr, "subnets": {"s": {"az": az, "cidr": cidr.replace("0.0/16", "1.0/24"), "route_table": "r"}},
                "route_tables": {"r": {"routes": [{"destination": "10.0.0.0/8", "target": "hub"}]}},
                "security_groups": {"open": open_group},
                "instances": {host: {"subnet": "s", "private_ip": ip, "security_groups": ["open"]}}}

    inspection = {
        "cidr": "10.9.0.0/16",
        "subnets": {"tgw-a": {"az": "us-east-1a", "cidr": "10.9.1.0/24", "route_table": "to-fw1"},
                    "tgw-b": {"az": "us-east-1b", "cidr": "10.9.2.0/24", "route_table": "to-fw2"},
                    "fw-a": {"az": "us-east-1a", "cidr": "10.9.11.0/24", "route_table": "back"},
                    "fw-b": {"az": "us-east-1b", "cidr": "10.9.12.0/24", "route_table": "back"}},
        "route_tables": {"to-fw1": {"routes": [{"destination": "0.0.0.0/0", "target": "fw1"}]},
                         "to-fw2": {"routes": [{"destination": "0.0.0.0/0", "target": "fw2"}]},
                         "back": {"routes": [{"destination": "10.0.0.0/8", "target": "hub"}]}},
        "security_groups": {"open": open_group},
        "instances": {"fw1": {"subnet": "fw-a", "private_ip": "10.9.11.10", "security_groups": ["open"],
                              "source_dest_check": False},
                      "fw2": {"subnet": "fw-b", "private_ip": "10.9.12.10", "security_groups": ["open"],
                              "source_dest_check": False}},
    }
    return {"vpcs": {"a": spoke("10.0.0.0/16", "us-east-1a", "x", "10.0.1.10"),
                     "b": spoke("10.1.0.0/16", "us-east-1b", "y", "10.1.1.10"), "insp": inspection},
            "transit_gateways": {"hub": {
                "route_tables": {"spokes": {"routes": [{"destination": "0.0.0.0/0", "attachment": "insp"}]},
                                 "insp": {}},
                "attachments": {
                    "a": {"vpc": "a", "subnets": ["s"], "route_table": "spokes", "propagate_to": ["insp"]},
                    "b": {"vpc": "b", "subnets": ["s"], "route_table": "spokes", "propagate_to": ["insp"]},
                    "insp": {"vpc": "insp", "subnets": ["tgw-a", "tgw-b"], "route_table": "insp",
                             "appliance_mode": appliance_mode}}}}}


@pytest.mark.parametrize(("appliance_mode", "verdict"), [(False, "undetermined"), (True, "reachable")])
def test_transit_gateway_appliance_mode_keeps_a_flow_on_one_appliance(appliance_mode, verdict) -> None:
    design = Design.model_validate(_inspection_hub(appliance_mode))
    result = answer(build_network(design), parse_query({"from": "x", "to": "y", "port": 443}))
    forward = [h.component for h in result.forward]
    back = [h.component for h in result.return_path]
    assert "eni:insp/fw1" in forward
    assert result.verdict == verdict, (APPLIANCE_MODE_DOC, result.verdict, forward, back)
    if appliance_mode:
        assert "eni:insp/fw1" in back and "eni:insp/fw2" not in back
    else:
        assert "eni:insp/fw2" in back
        (item,) = result.undetermined
        assert item.code == "ASYMMETRIC_APPLIANCE_PATH" and "enable appliance mode" in item.fix


NLB_DOC = ("https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html"
           "#client-ip-preservation: on by default for instance targets and UDP/TCP_UDP, off for IP targets over "
           "TCP/TLS; the targets' groups and NACLs must then admit the clients' addresses; NAT loopback "
           "(hairpinning) is not supported")


def _nlb(target: str, preserve: bool | None, app_from: str) -> dict:
    from .reach_designs import base

    data = base()
    vpc = data["vpcs"]["a"]
    vpc["security_groups"]["app"] = {"ingress": [{"protocol": "tcp", "ports": 8080, "source": app_from}],
                                     "egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]}
    group = {"protocol": "TCP", "port": 8080, "targets": [target]}
    if preserve is not None:
        group["preserve_client_ip"] = preserve
    vpc["target_groups"] = {"tg": group}
    vpc["load_balancers"] = {"nlb": {"type": "network", "scheme": "internet-facing", "subnets": ["p"],
                                     "listeners": [{"protocol": "TCP", "port": 443, "target_group": "tg"}]}}
    return data


@pytest.mark.parametrize(("target", "preserve", "app_from", "verdict", "code"), [
    ("app", None, "10.0.1.0/24", "unreachable", "ENI_SG_RULES_MISMATCH"),  # instance target: the client's address
    ("app", False, "10.0.1.0/24", "reachable", None),                      # preservation off: the NLB's address
    ("app", None, "0.0.0.0/0", "reachable", None),                         # the group admits the clients
    ("10.0.2.10", None, "10.0.1.0/24", "reachable", None),                 # IP target over TCP: off by default
    ("10.0.2.10", True, "10.0.1.0/24", "unreachable", "ENI_SG_RULES_MISMATCH"),
])
def test_nlb_client_ip_preservation(target, preserve, app_from, verdict, code) -> None:
    design = Design.model_validate(_nlb(target, preserve, app_from))
    result = answer(build_network(design), parse_query({"from": "internet", "to": "a/nlb", "port": 443}))
    assert result.verdict == verdict, (NLB_DOC, [b.message for b in result.blockers])
    if code:
        assert code in [b.code for b in result.blockers]


@pytest.mark.parametrize(("preserve", "verdict"), [(None, "unreachable"), (False, "reachable")])
def test_a_target_reaching_itself_through_its_nlb_times_out_with_client_ip_preservation(preserve, verdict) -> None:
    design = Design.model_validate(_nlb("app", preserve, "10.0.0.0/16"))
    result = answer(build_network(design), parse_query({"from": "app", "to": "a/nlb", "port": 443}))
    assert result.verdict == verdict, (NLB_DOC, [b.message for b in result.blockers])
    if verdict == "unreachable":
        assert [b.code for b in result.blockers] == ["NLB_HAIRPIN_WITH_CLIENT_IP_PRESERVATION"]


TGW_PEERING_DOC = ("https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html: a peering attachment takes static "
                   "routes only; traffic continues in the peer transit gateway's route table associated with it")


def _peered_hubs(peer: str | None = "hub2", connect: bool = False, propagate: bool = False) -> dict:
    from .test_states_and_onprem import _vpc

    data = {"vpcs": {"a": _vpc("10.0.0.0/16", "a"), "b": _vpc("10.1.0.0/16", "b")}}
    data["vpcs"]["a"]["route_tables"]["app"]["routes"] = [{"destination": "10.1.0.0/16", "target": "hub1"}]
    data["vpcs"]["b"]["route_tables"]["app"]["routes"] = [{"destination": "10.0.0.0/16", "target": "hub2"}]
    kind = "connect" if connect else "peering"
    data["transit_gateways"] = {
        "hub1": {"route_tables": {"main": {"routes": [{"destination": "10.1.0.0/16", "attachment": "to-2"}]}},
                 "attachments": {"a": {"vpc": "a", "subnets": ["app-a"], "route_table": "main", "propagate_to": ["main"]},
                                 "to-2": {"type": kind, "peer": peer, "route_table": "main",
                                          "propagate_to": ["main"] if propagate else []}}},
        "hub2": {"route_tables": {"main": {"routes": [{"destination": "10.0.0.0/16", "attachment": "to-1"}]}},
                 "attachments": {"b": {"vpc": "b", "subnets": ["app-a"], "route_table": "main", "propagate_to": ["main"]},
                                 "to-1": {"type": "peering", "peer": "hub1", "route_table": "main"}}},
    }
    return data


@pytest.mark.parametrize(("data", "verdict", "code"), [
    (_peered_hubs(), "reachable", None),
    (_peered_hubs(peer="tgw-0notinput"), "undetermined", "PATH_THROUGH_TGW_PEERING_NOT_CHECKED"),
    (_peered_hubs(connect=True), "undetermined", "PATH_THROUGH_TGW_CONNECT_NOT_CHECKED"),
], ids=["both-sides-in-the-input", "peer-not-in-the-input", "connect"])
def test_transit_gateway_peering_is_followed(data, verdict, code) -> None:
    result = answer(build_network(Design.model_validate(data)), parse_query({"from": "a-1", "to": "b-1", "port": 443}))
    assert result.verdict == verdict, (TGW_PEERING_DOC, [b.message for b in result.blockers])
    if code:
        assert code in [u.code for u in result.undetermined]
    else:
        assert "tgw-rtb:hub2/main" in [h.component for h in result.forward]


def test_a_peering_attachment_in_a_propagation_list_is_an_error() -> None:
    from vpckit.checks import run_checks

    findings = [f for f in run_checks(Design.model_validate(_peered_hubs(propagate=True))) if f.rule == "TGW001"]
    assert len(findings) == 1 and findings[0].severity == "error", TGW_PEERING_DOC
    assert not [f for f in run_checks(Design.model_validate(_peered_hubs())) if f.rule == "TGW001"]


NFW_DOC = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-networkfirewall-firewall.html "
           "(EndpointIds: 'us-west-2c:vpce-111122223333'), and the AWS sample template of the corpus")
NFW_TEMPLATE = ("cloudformation/aws-networkfirewall-cfn-templates/distributed_architecture/single_az_deployment/"
                "combined-ingress-and-egress-firewall/anfw-distributed-1az-single-firewall-template.yaml")


def test_aws_network_firewall_sample_template_is_undetermined_through_the_firewall() -> None:
    """AWS's own sample: routes to the firewall endpoint (Fn::GetAtt EndpointIds) are read, both ways."""
    from pathlib import Path

    from vpckit.sources import load

    path = Path(__file__).resolve().parents[3] / "shared" / "corpus" / NFW_TEMPLATE
    design = load(str(path))
    assert not any("EndpointIds" in w for w in design.source.warnings), design.source.warnings
    result = answer(build_network(design), parse_query({"from": "TestInstance", "to": "8.8.8.8", "port": 443}))
    assert result.verdict == "undetermined", (NFW_DOC, [b.message for b in result.blockers])
    endpoint = "vpce:SpokeVPCB/NetworkFirewall-1"
    assert endpoint in [h.component for h in result.forward] and endpoint in [h.component for h in result.return_path]
    assert [u.code for u in result.undetermined] == ["PATH_THROUGH_GWLB_NOT_CHECKED"]


def test_a_fix_names_the_narrowest_change_first() -> None:
    """The reply of a connection through a NAT gateway is dropped by the public subnet's NACL: the fix admits the
    reply from the server that was asked, and offers the whole internet only as the wider option."""
    from .reach_designs import base

    data = base()
    vpc = data["vpcs"]["a"]
    vpc["security_groups"]["app"]["egress"] = [{"protocol": "all", "destination": "0.0.0.0/0"}]
    vpc["nacls"] = {"pub": {"ingress": [{"rule": 100, "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
                                        {"rule": 110, "protocol": "all", "cidr": "10.0.0.0/16"}],
                            "egress": [{"rule": 100, "protocol": "all", "cidr": "0.0.0.0/0"}]}}
    vpc["subnets"]["p"]["nacl"] = "pub"
    result = answer(build_network(Design.model_validate(data)), parse_query({"from": "app", "to": "8.8.8.8",
                                                                            "port": 22}))
    (blocker,) = result.blockers
    assert blocker.fix == ("add an inbound allow rule to NACL pub for tcp 1024-65535 from 8.8.8.8/32 "
                           "(or 0.0.0.0/0 for every internet host)")
