"""Building a network: address allocation (SUB-04), public addresses, ownership, endpoint resolution, graph ids."""

from __future__ import annotations

import pytest

from vpckit.errors import QueryError
from vpckit.model import Design
from vpckit.network import build_network

DESIGN = {
    "vpcs": {
        "prod": {
            "cidr": "10.0.0.0/16", "id": "vpc-1", "internet_gateway": "igw",
            "subnets": {
                "pub": {"az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "public", "map_public_ip_on_launch": True},
                "app": {"az": "us-east-1a", "cidr": "10.0.1.0/28"},
            },
            "route_tables": {"public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}},
            "nat_gateways": {"nat": {"subnet": "pub"}},
            "instances": {
                "web": {"subnet": "pub", "id": "i-0abc", "tags": {"Name": "Web Server"}},
                "b": {"subnet": "app"},
                "a": {"subnet": "app", "private_ip": "10.0.1.4"},
                "c": {"subnet": "app", "public_ip": True},
                "eip": {"subnet": "app", "elastic_ip": "203.0.113.7"},
            },
            "network_interfaces": {"fw-eni": {"subnet": "app", "id": "eni-0f", "source_dest_check": False}},
            "load_balancers": {"lb": {"subnets": ["pub"], "listeners": [{"port": 443}]}},
        },
        "dev": {"cidr": "10.1.0.0/16", "subnets": {"s": {"az": "us-east-1a", "cidr": "10.1.0.0/24"}},
                "instances": {"web": {"subnet": "s"}}},
    },
    "on_premises": {"dc": {"cidrs": ["192.168.0.0/16"]}},
}


@pytest.fixture(scope="module")
def network():
    return build_network(Design.model_validate(DESIGN))


def test_first_free_address_after_the_reserved_ones(network) -> None:  # SUB-04
    app = {n: str(i.primary_ip) for n, i in network.interfaces.items() if i.subnet == "subnet:prod/app"}
    # a has .4 explicitly; the others get the next free ones in node-id order (b, c, eip, fw-eni)
    assert app == {"eni:prod/a": "10.0.1.4", "eni:prod/b": "10.0.1.5", "eni:prod/c": "10.0.1.6",
                   "eni:prod/eip": "10.0.1.7", "eni:prod/fw-eni": "10.0.1.8"}


def test_allocation_is_deterministic() -> None:
    one, two = (build_network(Design.model_validate(DESIGN)) for _ in range(2))
    assert {n: (i.private_ips, i.public_ips) for n, i in one.interfaces.items()} == {
        n: (i.private_ips, i.public_ips) for n, i in two.interfaces.items()}


@pytest.mark.parametrize("node, public", [
    ("eni:prod/web", True),  # SUB-08 map_public_ip_on_launch
    ("eni:prod/b", False),
    ("eni:prod/c", True),  # public_ip: true
    ("nat:prod/nat", True),  # public NAT gateway gets an EIP
    ("eni:prod/lb@pub", True),  # internet-facing load balancer
    ("eni:prod/fw-eni", False),  # standalone ENIs do not follow the subnet's launch default
])
def test_public_addresses(network, node: str, public: bool) -> None:
    addresses = network.interfaces[node].public_ips
    assert bool(addresses) is public
    assert all(str(a).startswith("198.18.") for a in addresses)


def test_elastic_ip_is_kept(network) -> None:
    assert [str(a) for a in network.interfaces["eni:prod/eip"].public_ips] == ["203.0.113.7"]
    assert network.owner_of("203.0.113.7") == "eni:prod/eip"


def test_owner_of(network) -> None:
    assert network.owner_of("10.0.1.4") == "eni:prod/a"
    assert network.owner_of(str(network.interfaces["nat:prod/nat"].public_ips[0])) == "nat:prod/nat"
    assert network.owner_of("10.0.1.200") is None
    assert network.owner_of("not an ip") is None


@pytest.mark.parametrize("text, kind, node", [
    ("a", "interface", "eni:prod/a"),
    ("prod/web", "interface", "eni:prod/web"),
    ("i-0abc", "interface", "eni:prod/web"),
    ("Web Server", "interface", "eni:prod/web"),
    ("eni-0f", "interface", "eni:prod/fw-eni"),
    ("eni:prod/b", "interface", "eni:prod/b"),
    ("nat", "nat_gateway", "nat:prod/nat"),
    ("lb", "load_balancer", "lb:prod/lb"),
    ("dc", "onprem", "onprem:dc"),
    ("internet", "internet", "internet"),
    ("10.0.1.4", "interface", "eni:prod/a"),
    ("203.0.113.7", "interface", "eni:prod/eip"),
    ("10.0.1.13", "unowned", "vpc:prod"),
    ("10.0.0.2", "aws_service", "router:prod"),
    ("169.254.169.254", "aws_service", "aws-service"),
    ("192.168.1.1", "onprem", "onprem:dc"),
    ("8.8.8.8", "internet", "internet"),
])
def test_resolve_endpoint(network, text: str, kind: str, node: str) -> None:
    endpoint = network.resolve_endpoint(text)
    assert (endpoint.kind, endpoint.node) == (kind, node)


@pytest.mark.parametrize("text, message", [
    ("web", "ambiguous"),  # prod/web and dev/web
    ("nope", "unknown endpoint"),
    ("", "empty endpoint"),
    ("10.0.0.300", "not an IP address"),
])
def test_resolve_endpoint_errors(network, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        network.resolve_endpoint(text)


def test_graph_nodes_and_attributes(network) -> None:
    graph = network.graph
    for node in ("vpc:prod", "router:prod", "subnet:prod/pub", "igw:prod/igw", "nat:prod/nat", "eni:prod/web",
                 "lb:prod/lb", "eni:prod/lb@pub", "onprem:dc", "internet"):
        assert node in graph, node
    pub, app = graph.nodes["subnet:prod/pub"], graph.nodes["subnet:prod/app"]
    assert pub["public"] is True and app["public"] is False  # SUB-06
    assert app["free_addresses"] == 16 - 5 - 5
    assert graph.nodes["eni:prod/web"]["kind"] == "eni" and graph.nodes["nat:prod/nat"]["kind"] == "nat"
    assert graph.has_edge("router:prod", "igw:prod/igw")
