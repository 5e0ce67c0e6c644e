"""Properties of the engine on generated designs (hypothesis).

* adding an allow rule (NACL or security group) never makes an answer worse;
* adding a NACL deny rule never makes an answer better;
* the order of NACL entries in the file does not matter, only their numbers (NACL-03);
* a query and its answer are deterministic.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpckit.model import Design
from vpckit.network import build_network
from vpckit.reach import answer, parse_query

RANK = {"unreachable": 0, "partial": 1, "reachable": 2}
CIDRS = ["0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/24", "198.51.100.0/24", "10.0.2.10/32"]
PROTOCOLS = ["tcp", "udp", "all", "icmp"]

ports = st.one_of(
    st.sampled_from([22, 443, 8080, "1024-65535", "32768-60999", "0-65535", "400-500"]),
    st.integers(1, 65535),
)


@st.composite
def nacl_rule(draw, number=None):
    protocol = draw(st.sampled_from(PROTOCOLS))
    rule = {"rule": number if number is not None else draw(st.integers(1, 32766)), "protocol": protocol,
            "cidr": draw(st.sampled_from(CIDRS)), "action": draw(st.sampled_from(["allow", "deny"]))}
    if protocol in ("tcp", "udp"):
        rule["ports"] = draw(ports)
    return rule


@st.composite
def nacl(draw):
    numbers = draw(st.lists(st.integers(1, 300), unique=True, max_size=6))
    return {"ingress": [draw(nacl_rule(n)) for n in numbers],
            "egress": [draw(nacl_rule(n)) for n in draw(st.lists(st.integers(1, 300), unique=True, max_size=6))]}


@st.composite
def sg_rule(draw, key):
    protocol = draw(st.sampled_from(PROTOCOLS))
    rule = {"protocol": protocol, key: draw(st.sampled_from(CIDRS + ["g1", "g2"]))}
    if protocol in ("tcp", "udp"):
        rule["ports"] = draw(ports)
    return rule


@st.composite
def group(draw):
    return {"ingress": draw(st.lists(sg_rule("source"), max_size=4)),
            "egress": draw(st.lists(sg_rule("destination"), max_size=4))}


@st.composite
def designs(draw):
    return {"vpcs": {"a": {
        "cidr": "10.0.0.0/16", "internet_gateway": "igw",
        "subnets": {
            "s1": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "route_table": "pub", "nacl": "n1"},
            "s2": {"az": "us-east-1b", "cidr": "10.0.2.0/24", "route_table": draw(st.sampled_from(["main", "pub"])),
                   "nacl": draw(st.sampled_from(["n1", "n2"]))},
        },
        "route_tables": {"pub": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}},
        "nacls": {"n1": draw(nacl()), "n2": draw(nacl())},
        "security_groups": {"g1": draw(group()), "g2": draw(group())},
        "instances": {
            "w1": {"subnet": "s1", "public_ip": True, "security_groups": draw(st.sampled_from([["g1"], ["g1", "g2"]]))},
            "w2": {"subnet": "s2", "private_ip": "10.0.2.10", "public_ip": draw(st.booleans()),
                   "security_groups": ["g2"], "os": draw(st.sampled_from(["linux", "windows"]))},
        },
    }}}


@st.composite
def queries(draw):
    source, destination = draw(st.sampled_from([("w1", "w2"), ("w2", "w1"), ("internet", "w1"), ("internet", "w2"),
                                                 ("w1", "198.51.100.7"), ("w2", "w2")]))
    protocol = draw(st.sampled_from(PROTOCOLS))
    query = {"from": source, "to": destination, "protocol": protocol}
    if protocol in ("tcp", "udp"):
        query["port"] = draw(st.sampled_from([22, 443, 8080]))
    return query


def _verdict(data: dict, query: dict) -> str:
    return answer(build_network(Design.model_validate(data)), parse_query(query)).verdict


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(designs(), queries(), st.data())
def test_adding_an_allow_rule_never_hurts(data, query, draw) -> None:
    before = _verdict(data, query)
    changed = copy.deepcopy(data)
    vpc = changed["vpcs"]["a"]
    where = draw.draw(st.sampled_from(["nacl-ingress", "nacl-egress", "sg-ingress", "sg-egress"]))
    if where.startswith("nacl"):
        direction = where.split("-")[1]
        target = vpc["nacls"][draw.draw(st.sampled_from(["n1", "n2"]))][direction]
        used = {r["rule"] for r in target}
        number = draw.draw(st.integers(1, 400).filter(lambda n: n not in used))
        rule = draw.draw(nacl_rule(number))
        rule["action"] = "allow"
        target.append(rule)
    else:
        direction = where.split("-")[1]
        vpc["security_groups"][draw.draw(st.sampled_from(["g1", "g2"]))][direction].append(
            draw.draw(sg_rule("source" if direction == "ingress" else "destination")))
    assert RANK[_verdict(changed, query)] >= RANK[before]


@SETTINGS
@given(designs(), queries(), st.data())
def test_adding_a_nacl_deny_never_helps(data, query, draw) -> None:
    before = _verdict(data, query)
    changed = copy.deepcopy(data)
    direction = draw.draw(st.sampled_from(["ingress", "egress"]))
    target = changed["vpcs"]["a"]["nacls"][draw.draw(st.sampled_from(["n1", "n2"]))][direction]
    used = {r["rule"] for r in target}
    rule = draw.draw(nacl_rule(draw.draw(st.integers(1, 400).filter(lambda n: n not in used))))
    rule["action"] = "deny"
    target.append(rule)
    assert RANK[_verdict(changed, query)] <= RANK[before]


@SETTINGS
@given(designs(), queries(), st.randoms(use_true_random=False))
def test_nacl_entry_order_in_the_file_does_not_matter(data, query, random) -> None:  # NACL-03
    shuffled = copy.deepcopy(data)
    for acl in shuffled["vpcs"]["a"]["nacls"].values():
        random.shuffle(acl["ingress"])
        random.shuffle(acl["egress"])
    one = answer(build_network(Design.model_validate(data)), parse_query(query)).to_dict()
    two = answer(build_network(Design.model_validate(shuffled)), parse_query(query)).to_dict()
    assert one == two


@SETTINGS
@given(designs(), queries())
def test_answers_are_deterministic(data, query) -> None:
    network = build_network(Design.model_validate(data))
    first = answer(network, parse_query(query)).to_dict()
    assert answer(network, parse_query(query)).to_dict() == first
    assert answer(build_network(Design.model_validate(data)), parse_query(query)).to_dict() == first


@SETTINGS
@given(designs(), st.sampled_from(PROTOCOLS), st.sampled_from([22, 443]))
def test_nacls_never_matter_inside_a_subnet(data, protocol, port) -> None:  # NACL-08, RT-06
    data["vpcs"]["a"]["instances"]["w3"] = {"subnet": "s1", "security_groups": ["g1", "g2"]}
    query = {"from": "w1", "to": "w3", "protocol": protocol, **({"port": port} if protocol in ("tcp", "udp") else {})}
    closed = copy.deepcopy(data)
    closed["vpcs"]["a"]["nacls"] = {"n1": {}, "n2": {}}  # deny everything (NACL-06)
    assert _verdict(closed, query) == _verdict(data, query)
