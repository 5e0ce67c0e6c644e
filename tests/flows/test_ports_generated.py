"""`ports` is exact on generated networks: two VPCs (IPv4 and IPv6), peering, a transit gateway, a NAT
gateway, a load balancer, random route, NACL and security-group rules with denies, overlaps, ICMP
types and protocol numbers. Every row agrees with `reach` at its edges and inside it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpckit.errors import QueryError
from vpckit.flows import ports
from vpckit.model import Design
from vpckit.network import build_network

from .exactness import covers_the_space, disagreements

CIDRS = ["0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/16", "10.0.1.0/24", "10.0.2.0/24", "10.1.1.0/24", "198.51.100.0/24",
         "10.0.2.10/32", "::/0", "2600:1f14:1:100::/56", "2600:1f14:1:100::/64"]
PROTOCOLS = ["tcp", "udp", "all", "icmp", "icmpv6", "47", "50"]
PORTS = st.one_of(st.sampled_from([22, 80, 443, 8080, "1024-65535", "32768-60999", "0-65535", "400-500", "49152-65535"]),
                  st.integers(0, 65535))
SETTINGS = settings(max_examples=int(__import__("os").environ.get("VPCKIT_EXAMPLES", "25")), deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def _traffic(draw) -> dict:
    protocol = draw(st.sampled_from(PROTOCOLS))
    out: dict = {"protocol": protocol}
    if protocol in ("tcp", "udp"):
        out["ports"] = draw(PORTS)
    elif protocol in ("icmp", "icmpv6") and draw(st.booleans()):
        out["icmp_type"] = draw(st.sampled_from([0, 3, 8, 11, 128, 129]))
        if draw(st.booleans()):
            out["icmp_code"] = draw(st.sampled_from([0, 1, 4]))
    return out


@st.composite
def nacl(draw) -> dict:
    def side():
        numbers = draw(st.lists(st.integers(1, 300), unique=True, max_size=5))
        rules = [{"rule": n, **draw(_traffic()), "cidr": draw(st.sampled_from(CIDRS)),
                  "action": draw(st.sampled_from(["allow", "allow", "deny"]))} for n in numbers]
        if draw(st.integers(0, 9)) < 4:  # a deny of some clients' ephemeral ports: replies return for some only
            rules.append({"rule": 900, "protocol": draw(st.sampled_from(["tcp", "udp"])), "cidr": "0.0.0.0/0",
                          "ports": draw(st.sampled_from(["32768-40000", "49152-65535", "1024-2000", "60000-61000"])),
                          "action": "deny"})
        if draw(st.integers(0, 9)) < 7:  # most NACLs end by allowing the rest, so that something gets through
            rules += [{"rule": 1000, "protocol": "all", "cidr": "0.0.0.0/0"}, {"rule": 1001, "protocol": "all", "cidr": "::/0"}]
        return rules
    return {"ingress": side(), "egress": side()}


@st.composite
def group(draw, others) -> dict:
    def side(key):
        rules = [{**draw(_traffic()), key: draw(st.sampled_from(CIDRS + others))}
                 for _ in range(draw(st.integers(0, 4)))]
        if draw(st.integers(0, 9)) < 7:  # a broad rule, so that flows open often enough to test
            rules.append({**draw(st.sampled_from([{"protocol": "all"}, {"protocol": "tcp", "ports": "0-65535"},
                                                  {"protocol": "tcp", "ports": "1-1024"}])),
                          key: draw(st.sampled_from(["0.0.0.0/0", "::/0", "10.0.0.0/8"]))})
        return rules
    return {"ingress": side("source"), "egress": side("destination")}


@st.composite
def networks(draw) -> dict:
    a_routes = [{"destination": "0.0.0.0/0", "target": draw(st.sampled_from(["igw", "nat"]))},
                {"destination": "::/0", "target": "igw"}]
    link = draw(st.sampled_from(["pcx", "hub", None]))
    if link:
        a_routes.append({"destination": "10.1.0.0/16", "target": link})
    b_routes = [{"destination": "10.0.0.0/16", "target": link}] if link else []
    design = {"vpcs": {
        "a": {"cidr": "10.0.0.0/16", "ipv6_cidrs": ["2600:1f14:1:100::/56"], "internet_gateway": "igw",
              "subnets": {
                  "pub": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "ipv6_cidr": "2600:1f14:1:100::/64",
                          "route_table": "public", "nacl": draw(st.sampled_from(["n1", "n2"]))},
                  "priv": {"az": "us-east-1a", "cidr": "10.0.2.0/24", "ipv6_cidr": "2600:1f14:1:101::/64",
                           "route_table": "private", "nacl": draw(st.sampled_from(["n1", "n2", "default"]))},
              },
              "route_tables": {"public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"},
                                                     {"destination": "::/0", "target": "igw"}]
                                          + ([{"destination": "10.1.0.0/16", "target": link}] if link else [])},
                               "private": {"routes": a_routes[1:] + [{"destination": "0.0.0.0/0", "target": "nat"}]}},
              "nat_gateways": {"nat": {"subnet": "pub"}},
              "nacls": {"n1": draw(nacl()), "n2": draw(nacl())},
              "security_groups": {"g1": draw(group(["g2"])), "g2": draw(group(["g1"]))},
              "target_groups": {"tg": {"protocol": "HTTP", "port": draw(st.sampled_from([80, 8080])),
                                       "targets": ["w2"]}},
              "load_balancers": {"lb": {"type": "application", "scheme": "internet-facing", "subnets": ["pub"],
                                        "security_groups": ["g1"],
                                        "listeners": [{"protocol": "HTTP", "port": 80, "target_group": "tg"},
                                                      {"protocol": "HTTPS", "port": 443, "target_group": "tg"}]}},
              "instances": {
                  "w1": {"subnet": "pub", "public_ip": True, "ipv6_addresses": ["2600:1f14:1:100::10"],
                         "security_groups": draw(st.sampled_from([["g1"], ["g1", "g2"]]))},
                  "w2": {"subnet": "priv", "private_ip": "10.0.2.10", "ipv6_addresses": ["2600:1f14:1:101::10"],
                         "security_groups": ["g2"], "os": draw(st.sampled_from(["linux", "windows"]))},
              }},
        "b": {"cidr": "10.1.0.0/16",
              "subnets": {"s": {"az": "us-east-1a", "cidr": "10.1.1.0/24", "route_table": "r", "nacl": "n"}},
              "route_tables": {"r": {"routes": b_routes}},
              "nacls": {"n": draw(nacl())},
              "security_groups": {"g": draw(group([]))},
              "instances": {"b1": {"subnet": "s", "private_ip": "10.1.1.10", "security_groups": ["g"]}}},
    }}
    if link == "pcx":
        design["peering_connections"] = {"pcx": {"requester": "a", "accepter": "b"}}
    elif link == "hub":
        design["vpcs"]["a"]["subnets"]["priv"]["tier"] = "app"
        design["transit_gateways"] = {"hub": {"attachments": {
            "a": {"vpc": "a", "subnets": ["priv"]}, "b": {"vpc": "b", "subnets": ["s"]}}}}
    return design


PAIRS = [("w1", "w2"), ("w2", "w1"), ("internet", "w1"), ("internet", "a/lb"), ("w2", "b1"), ("b1", "w2"),
         ("w2", "198.51.100.7"), ("w1", "2001:db8::7"), ("internet6", "w1"), ("w1", "a/lb"),
         ("w2", "10.0.0.2"), ("w1", "169.254.169.254")]


@SETTINGS
@given(networks(), st.sampled_from(PAIRS), st.sampled_from([None, "1024-65535", "32768-60999"]))
def test_generated_networks_agree_with_reach(design, pair, client_ports) -> None:
    network = build_network(Design.model_validate(design))
    source, destination = pair
    try:
        result = ports(network, source, destination, client_ports=client_ports)
    except QueryError:
        return
    assert covers_the_space(result) == []
    assert disagreements(network, source, destination, client_ports, result=result) == []
