"""NACL first match by rule number with port splitting (NACL-03/07/09/10) and security-group union (SG-01/02/05/07)."""

from __future__ import annotations

import pytest

from vpckit.model import Design, NetworkAcl
from vpckit.network import build_network
from vpckit.network.addressing import ip_key
from vpckit.network.filters import CompiledNacl, subtract, union

NACL = CompiledNacl.compile("nacl:p/n", NetworkAcl.model_validate({
    "ingress": [
        {"rule": 300, "protocol": "all", "cidr": "0.0.0.0/0", "action": "deny"},
        {"rule": 100, "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"},
        {"rule": 50, "protocol": "tcp", "ports": "3389", "cidr": "0.0.0.0/0", "action": "deny"},
        {"rule": 200, "protocol": "icmp", "icmp_type": 3, "icmp_code": 4, "cidr": "0.0.0.0/0"},
        {"rule": 210, "protocol": "all", "ports": 80, "cidr": "10.9.0.0/16"},
        {"rule": 220, "protocol": "udp", "ports": 53, "cidr": "::/0"},
    ],
}))


@pytest.mark.parametrize("protocol, peer, ports, icmp, expected", [
    (6, "8.8.8.8", [(443, 443)], None, [([(443, 443)], "deny", 300)]),  # 100 does not cover 443
    (6, "8.8.8.8", [(3389, 3389)], None, [([(3389, 3389)], "deny", 50)]),  # NACL-03: lower number first
    (6, "8.8.8.8", [(1000, 2000)], None, [([(1024, 2000)], "allow", 100), ([(1000, 1023)], "deny", 300)]),
    (1, "8.8.8.8", None, (3, 4), [(None, "allow", 200)]),
    (1, "8.8.8.8", None, (8, 0), [(None, "deny", 300)]),
    (6, "10.9.1.1", [(22, 22)], None, [([(22, 22)], "allow", 210)]),  # NACL-09: -1 ignores the port 80 given
    (17, "2001:db8::1", [(53, 53)], None, [([(53, 53)], "allow", 220)]),  # NACL-10
    (6, "2001:db8::1", [(443, 443)], None, [([(443, 443)], "deny", None)]),  # IPv4 rules never match IPv6
])
def test_nacl_first_match(protocol, peer, ports, icmp, expected) -> None:
    pieces = NACL.evaluate("ingress", protocol, ip_key(peer), ports, icmp)
    assert [(p.ports, p.action, p.entry.rule if p.entry else None) for p in pieces] == expected


def test_nacl_protocol_all_ignores_ports() -> None:  # NACL-09
    nacl = CompiledNacl.compile("n", NetworkAcl.model_validate({"egress": [{"rule": 1, "protocol": -1, "ports": 80, "cidr": "0.0.0.0/0"}]}))
    assert nacl.evaluate("egress", 6, ip_key("1.1.1.1"), [(22, 22)], None)[0].action == "allow"


def test_empty_nacl_denies_everything() -> None:  # NACL-06
    nacl = CompiledNacl.compile("n", NetworkAcl())
    assert nacl.evaluate("ingress", -1, ip_key("1.1.1.1"), None, None)[0].entry is None


def test_port_set_helpers() -> None:
    assert subtract([(0, 100)], [(10, 20), (50, 60)]) == [(0, 9), (21, 49), (61, 100)]
    assert union([(5, 9)], [(0, 4)]) == [(0, 9)]


def _network():
    return build_network(Design.model_validate({
        "vpcs": {
            "a": {"cidr": "10.0.0.0/16", "subnets": {"s": {"az": "x", "cidr": "10.0.1.0/24"}},
                  "security_groups": {
                      "web": {"ingress": [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"}]},
                      "ssh": {"ingress": [{"protocol": "tcp", "ports": 22, "source": "admin"},
                                         {"protocol": "tcp", "ports": 23, "source": "ghost"},
                                         {"protocol": "tcp", "ports": 24, "source": "b/peer"},
                                         {"protocol": "tcp", "ports": 25, "source": "c/far"}]},
                      "admin": {},
                  },
                  "instances": {"x": {"subnet": "s", "security_groups": ["web", "ssh"]},
                                "boss": {"subnet": "s", "private_ip": "10.0.1.50", "security_groups": ["admin"]}}},
            "b": {"cidr": "10.1.0.0/16", "subnets": {"s": {"az": "x", "cidr": "10.1.1.0/24"}},
                  "security_groups": {"peer": {}}, "instances": {"y": {"subnet": "s", "private_ip": "10.1.1.9",
                                                                        "security_groups": ["peer"]}}},
            "c": {"cidr": "10.2.0.0/16", "security_groups": {"far": {}}},
        },
        "peering_connections": {"ab": {"requester": "a", "accepter": "b"}},
    }))


@pytest.mark.parametrize("peer, port, identity, allowed", [
    ("8.8.8.8", 443, True, True),  # group web
    ("10.0.1.50", 22, True, True),  # group ssh, reference to admin (SG-05)
    ("10.0.1.50", 22, False, False),  # identity lost through a middlebox/NAT (SG-06)
    ("8.8.8.8", 22, True, False),
    ("10.0.1.50", 23, True, False),  # reference to a missing group matches nothing (SG-07/08)
    ("10.1.1.9", 24, True, True),  # peer VPC group over an active same-region peering (SG-05)
])
def test_security_group_union(peer, port, identity, allowed) -> None:
    network = _network()
    union_allows = False
    for setting in network.interfaces["eni:a/x"].security_groups:
        got, _, full = network.security_groups[setting].allowed("ingress", 6, ip_key(peer), [(port, port)], None, identity)
        union_allows |= full
    assert union_allows is allowed


def test_reference_without_peering_matches_nothing() -> None:  # SG-05
    rule = next(r for r in _network().security_groups["sg:a/ssh"].ingress if r.low == 25)
    assert rule.peer_kind == "none" and "SG-05" in rule.note
