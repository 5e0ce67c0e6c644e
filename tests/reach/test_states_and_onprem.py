"""Resource states (RT-10, PCX-08, TGW-03, VGW-01) and on-premises hosts behind VPN / Direct Connect.

Nothing in a state other than available/active/running carries or answers traffic, and the answer
names the resource and its state. An address covered by a VPN gateway route, a VPN's routes or a
transit gateway VPN / Direct Connect attachment is on premises — it enters and leaves through that
gateway, never through the internet gateway.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vpckit.model import Design
from vpckit.network import build_network
from vpckit.reach import answer, parse_query


def _vpc(cidr: str, prefix: str, **extra: Any) -> dict[str, Any]:
    return {
        "cidr": cidr,
        "subnets": {"app-a": {"az": "us-east-1a", "cidr": cidr.replace("0.0/16", "1.0/24"), "route_table": "app"}},
        "route_tables": {"app": {"routes": []}},
        "security_groups": {"open": {"ingress": [{"protocol": "all", "source": "0.0.0.0/0"}],
                                     "egress": [{"protocol": "all", "destination": "0.0.0.0/0"}]}},
        "instances": {f"{prefix}-1": {"subnet": "app-a", "private_ip": cidr.replace("0.0/16", "1.10"),
                                      "security_groups": ["open"]}},
        **extra,
    }


BASE: dict[str, Any] = {
    "region": "us-east-1",
    "vpcs": {
        "prod": _vpc("10.0.0.0/16", "app", internet_gateway="igw", vpn_gateway="vgw",
                     nat_gateways={"nat-a": {"subnet": "public-a"}}),
        "peer": _vpc("10.1.0.0/16", "peer"),
        "spoke": _vpc("10.2.0.0/16", "spoke"),
    },
    "peering_connections": {"prod-peer": {"requester": "prod", "accepter": "peer"}},
    "transit_gateways": {"hub": {
        "route_tables": {"main": {"routes": [{"destination": "172.20.0.0/16", "attachment": "dc"}]}},
        "attachments": {
            "prod": {"vpc": "prod", "subnets": ["app-a"], "route_table": "main", "propagate_to": ["main"]},
            "spoke": {"vpc": "spoke", "subnets": ["app-a"], "route_table": "main", "propagate_to": ["main"]},
            "dc": {"type": "direct-connect-gateway", "remote_cidrs": ["172.20.0.0/16"], "route_table": "main"}}}},
}
PROD = BASE["vpcs"]["prod"]
PROD["subnets"]["public-a"] = {"az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "public"}
PROD["route_tables"]["public"] = {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}
PROD["route_tables"]["app"]["routes"] = [
    {"destination": "0.0.0.0/0", "target": "nat-a"},
    {"destination": "10.1.0.0/16", "target": "prod-peer"},
    {"destination": "10.2.0.0/16", "target": "hub"},
    {"destination": "172.20.0.0/16", "target": "hub"},
    {"destination": "192.168.0.0/16", "target": "vgw"},   # the only word on what is behind the VGW
]
for other, target in (("peer", "prod-peer"), ("spoke", "hub")):
    BASE["vpcs"][other]["route_tables"]["app"]["routes"] = [{"destination": "10.0.0.0/16", "target": target}]


def _design(edit=None) -> Design:
    data = copy.deepcopy(BASE)
    if edit:
        edit(data)
    return Design.model_validate(data)


def _set(path: tuple, value: Any):
    def edit(data: dict) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def _ask(design: Design, source: str, destination: str, port: int = 443):
    return answer(build_network(design), parse_query({"from": source, "to": destination, "port": port}))


@pytest.mark.parametrize(
    ("edit", "source", "destination", "verdict", "says"),
    [
        (None, "app-1", "8.8.8.8", "reachable", None),
        # RT-10: a NAT gateway that is not available is a blackhole route target
        (_set(("vpcs", "prod", "nat_gateways", "nat-a", "state"), "pending"), "app-1", "8.8.8.8", "unreachable",
         "NAT gateway nat-a is pending"),
        (_set(("vpcs", "prod", "nat_gateways", "nat-a", "state"), "failed"), "app-1", "8.8.8.8", "unreachable",
         "NAT gateway nat-a is failed"),
        # PCX-08: only an active peering carries traffic
        (None, "app-1", "peer-1", "reachable", None),
        (_set(("peering_connections", "prod-peer", "state"), "pending-acceptance"), "app-1", "peer-1", "unreachable",
         "peering prod-peer is pending-acceptance, not active"),
        # TGW-03: an attachment that is not available
        (None, "app-1", "spoke-1", "reachable", None),
        (_set(("transit_gateways", "hub", "attachments", "prod", "state"), "pending"), "app-1", "spoke-1",
         "unreachable", "is pending"),
        # an instance that is not running neither sends nor answers (EC2 instance state)
        (_set(("vpcs", "peer", "instances", "peer-1", "state"), "stopped"), "app-1", "peer-1", "unreachable",
         "is stopped"),
        (_set(("vpcs", "peer", "instances", "peer-1", "state"), "terminated"), "app-1", "10.1.1.10", "unreachable",
         "is terminated"),
    ],
    ids=["nat-available", "nat-pending", "nat-failed", "peering-active", "peering-pending", "tgw-available",
         "tgw-attachment-pending", "instance-stopped", "terminated-instance-address"],
)
def test_resource_states(edit, source: str, destination: str, verdict: str, says: str | None) -> None:
    result = _ask(_design(edit), source, destination)
    assert result.verdict == verdict, [b.message for b in result.blockers]
    if says:
        assert any(says in b.message for b in result.blockers), [b.message for b in result.blockers]
        assert all(b.code != "NO_PATH" or "outside" not in b.message for b in result.blockers)


@pytest.mark.parametrize(
    ("source", "destination", "via"),
    [
        # VGW-01: a prefix routed to the VGW is on premises — in through the VGW, not the IGW
        ("192.168.5.10", "app-1", "vgw:prod/vgw"),
        ("app-1", "192.168.5.10", "vgw:prod/vgw"),
        # TGW-01: a Direct Connect gateway attachment's remote CIDRs are on premises
        ("172.20.1.1", "app-1", "tgw-attach:hub/dc"),
        ("app-1", "172.20.1.1", "tgw-attach:hub/dc"),
    ],
)
def test_onprem_hosts_come_and_go_through_their_gateway(source: str, destination: str, via: str) -> None:
    result = _ask(_design(), source, destination)
    components = [h.component for h in result.forward]
    assert result.verdict == "reachable", [b.message for b in result.blockers]
    assert not any(c.startswith("igw:") for c in components), components
    assert via in components or any(c.startswith(via.split("/")[0]) for c in components), components
    network = build_network(_design())
    outside = source if source[0].isdigit() else destination
    assert network.resolve_endpoint(outside).kind == "onprem"


def test_a_vpn_whose_tunnels_are_all_down_carries_nothing() -> None:
    def edit(data: dict) -> None:
        data["on_premises"] = {"dc": {"cidrs": ["192.168.0.0/16"], "via": "vgw", "state": "down"}}
    for source, destination in (("192.168.5.10", "app-1"), ("app-1", "192.168.5.10")):
        result = _ask(_design(edit), source, destination)
        assert result.verdict == "unreachable"
        assert [b.code for b in result.blockers] == ["BAD_STATE_VPN"]
        assert "every tunnel of the VPN connection to dc is DOWN" in result.blockers[0].message


def _with_public_web(data: dict) -> None:
    prod = data["vpcs"]["prod"]
    prod["instances"]["web-1"] = {"subnet": "public-a", "private_ip": "10.0.0.20", "public_ip": "54.0.0.20",
                                  "security_groups": ["open"]}


@pytest.mark.parametrize(
    ("source", "address"),
    [
        # IGW-03: the public address exists only at the internet gateway
        ("internet", "54.0.0.20"),
        # from on premises (VPN / Direct Connect) and from a peer, the path carries the private address
        ("192.168.5.10", "10.0.0.20"),
        ("172.20.1.1", "10.0.0.20"),
        ("peer-1", "10.0.0.20"),
    ],
)
def test_a_named_destination_is_reached_at_the_address_the_path_can_use(source: str, address: str) -> None:
    def edit(data: dict) -> None:
        _with_public_web(data)
        data["vpcs"]["prod"]["route_tables"]["public"]["routes"] += [
            {"destination": "192.168.0.0/16", "target": "vgw"}, {"destination": "10.1.0.0/16", "target": "prod-peer"},
            {"destination": "172.20.0.0/16", "target": "hub"}]
        data["transit_gateways"]["hub"]["attachments"]["prod"]["subnets"] = ["app-a"]
    design = _design(edit)
    result = answer(build_network(design), parse_query({"from": source, "to": "web-1", "port": 443}))
    # at the public address, a VPN gateway or peering would refuse it (VGW-02, PCX-04): reachable says which was used
    assert result.verdict == "reachable", [b.message for b in result.blockers]
    assert any(address in (h.detail or "") or address in (h.rule or "") for h in [*result.forward, *result.return_path]) \
        or address == "10.0.0.20", result.forward


def test_rt007_accepts_a_vpn_propagated_route_inside_the_vpc_and_the_local_route_wins() -> None:
    """RT-04/RT-07: AWS accepts what a VGW propagates; inside the VPC's CIDR the local route still wins."""
    from vpckit.checks._foundation import findings_of

    def edit(data: dict) -> None:
        data["vpcs"]["prod"]["route_tables"]["app"]["routes"].append(
            {"destination": "10.0.0.0/24", "target": "vgw", "origin": "propagated"})
        _with_public_web(data)
    design = _design(edit)
    data = design.model_dump(mode="json", exclude_defaults=False, by_alias=True)
    assert findings_of("RT007", data) == []
    result = _ask(design, "app-1", "web-1")
    assert result.verdict == "reachable"
    assert not any(h.component.startswith("vgw:") for h in result.forward)
