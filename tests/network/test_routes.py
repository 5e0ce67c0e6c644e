"""Longest-prefix match, RT-07 priorities, blackholes that shadow (RT-10), prefix lists and local routes (RT-03)."""

from __future__ import annotations

import pytest

from vpckit.model import Design
from vpckit.network import build_network
from vpckit.network.addressing import ip_key


def _table(routes: list[dict], **extra) -> tuple:
    data = {
        "prefix_lists": {"s3": {"id": "pl-1", "cidrs": ["52.216.0.0/15", "3.5.0.0/19"]}},
        "vpcs": {"p": {
            "cidr": "10.0.0.0/16", "secondary_cidrs": ["100.64.0.0/16"], "internet_gateway": "igw",
            "vpn_gateway": {"name": "vgw", "remote_cidrs": ["198.51.100.0/24", "192.168.0.0/16"]},
            "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "route_table": "rt"}},
            "nat_gateways": {"nat": {"subnet": "a"}, "gone": {"subnet": "a", "state": "deleted"}},
            "route_tables": {"rt": {"routes": routes, "propagating_vpn_gateways": ["vgw"]}},
            **extra,
        }},
    }
    network = build_network(Design.model_validate(data))
    return network, network.route_tables["rtb:p/rt"]


@pytest.mark.parametrize("destination, target", [
    ("10.0.9.9", "local"),  # RT-03 primary CIDR
    ("100.64.3.3", "local"),  # RT-03 secondary CIDR
    ("8.8.8.8", "nat"),  # default route
    ("52.216.7.7", "igw"),  # prefix-list route beats 0/0 (more specific)
    ("198.51.100.9", "igw"),  # RT-07: static beats propagated on an equal prefix
    ("192.168.4.4", "vgw"),  # propagated route is the only match
    ("172.16.0.1", "nat"),
])
def test_longest_prefix_match(destination: str, target: str) -> None:
    _, table = _table([
        {"destination": "0.0.0.0/0", "target": "nat"},
        {"destination": "s3", "target": "igw"},
        {"destination": "198.51.100.0/24", "target": "igw"},
    ])
    assert table.lookup(ip_key(destination)).route.target_name == target


def test_blackhole_shadows_less_specific_routes() -> None:  # RT-10
    _, table = _table([{"destination": "0.0.0.0/0", "target": "nat"}, {"destination": "8.8.0.0/16", "target": "gone"}])
    found = table.lookup(ip_key("8.8.8.8"))
    assert found.route.target_name == "gone" and not found.route.active
    assert "deleted" in found.route.reason


def test_missing_target_is_a_blackhole() -> None:
    _, table = _table([{"destination": "0.0.0.0/0", "target": "nat-nope"}])
    route = table.lookup(ip_key("1.1.1.1")).route
    assert not route.active and "does not exist" in route.reason


def test_ipv6_and_ipv4_are_independent() -> None:  # CIDR-10
    _, table = _table([{"destination": "0.0.0.0/0", "target": "igw"}])
    assert table.lookup(ip_key("2600::1")) is None


def test_no_match_is_none() -> None:
    _, table = _table([])
    assert table.lookup(ip_key("8.8.8.8")) is None


def test_gateway_endpoint_adds_prefix_list_routes() -> None:  # VPCE-01
    network, table = _table([], endpoints={"s3gw": {"service": "com.amazonaws.us-east-1.s3", "type": "gateway",
                                                     "route_tables": ["rt"], "prefix_list": "s3"}})
    route = table.lookup(ip_key("3.5.1.1")).route
    assert route.target_kind == "vpc_endpoint" and route.target == "vpce:p/s3gw" and route.prefix_list == "s3"


def test_tgw_tables_propagate_and_skip_identical_cidrs() -> None:  # TGW-03, TGW-06
    data = {"vpcs": {
        "a": {"cidr": "10.0.0.0/16", "subnets": {"s": {"az": "x", "cidr": "10.0.1.0/24"}}},
        "b": {"cidr": "10.1.0.0/16", "subnets": {"s": {"az": "x", "cidr": "10.1.1.0/24"}}},
        "c": {"cidr": "10.1.0.0/16", "subnets": {"s": {"az": "x", "cidr": "10.1.1.0/24"}}},
    }, "transit_gateways": {"t": {"attachments": {
        "a": {"vpc": "a", "subnets": ["s"], "route_table": "rt", "propagate_to": ["rt"]},
        "b": {"vpc": "b", "subnets": ["s"], "route_table": "rt", "propagate_to": ["rt"]},
        "c": {"vpc": "c", "subnets": ["s"], "route_table": "rt", "propagate_to": ["rt"]},
    }, "route_tables": {"rt": {"routes": [{"destination": "10.0.0.0/16", "attachment": "b"}]}}}}}
    network = build_network(Design.model_validate(data))
    table = network.route_tables["tgw-rtb:t/rt"]
    assert table.lookup(ip_key("10.1.1.5")).route.target_name == "b"
    assert [r.target_name for r in table.routes if str(r.network) == "10.1.0.0/16"] == ["b"]
    assert table.lookup(ip_key("10.0.1.5")).route.origin == "static"  # TGW-05 static beats propagated
    assert any("TGW-06" in w for w in network.warnings)
