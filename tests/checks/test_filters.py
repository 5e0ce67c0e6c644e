"""The coverage evaluator against a brute-force first-match walk (NACL-03/04/09/10) and SG union (SG-01/02)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from netaddr import IPAddress, IPNetwork

from vpckit.checks._filters import evaluate_nacl, rule_key_range, security_group_slices
from vpckit.model import Design, NaclRule, SecurityGroup

CIDRS = ["0.0.0.0/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8", "10.1.0.0/16", "203.0.113.0/24", "203.0.113.5/32"]
ADDRESSES = ["10.1.2.3", "10.200.0.1", "203.0.113.5", "203.0.113.9", "198.51.100.1", "127.0.0.1"]
PROTOCOLS = [-1, 6, 17, 1, 50]

entries = st.lists(st.fixed_dictionaries({
    "rule": st.integers(1, 300),
    "protocol": st.sampled_from(PROTOCOLS),
    "low": st.integers(0, 100), "span": st.integers(0, 60),
    "icmp_type": st.sampled_from([None, -1, 3, 8]), "icmp_code": st.sampled_from([None, -1, 0, 4]),
    "cidr": st.sampled_from(CIDRS), "action": st.sampled_from(["allow", "deny"]),
}), max_size=6, unique_by=lambda e: e["rule"])

packets = st.tuples(st.sampled_from([6, 17, 1, 50, 47]), st.integers(0, 170), st.sampled_from(ADDRESSES))


def _nacl_rule(e: dict) -> NaclRule:
    ports = f"{e['low']}-{e['low'] + e['span']}" if e["protocol"] in (6, 17) else None
    icmp = {"icmp_type": e["icmp_type"], "icmp_code": e["icmp_code"]} if e["protocol"] == 1 else {}
    return NaclRule.model_validate({"rule": e["rule"], "protocol": e["protocol"], "ports": ports, "cidr": e["cidr"],
                                    "action": e["action"], **icmp})


def _key(protocol: int, value: int) -> int:
    # For ICMP the key of a packet is type*256+code: types 0-11 and codes 0-4 derived from the value.
    return value if protocol in (6, 17) else (value % 12) * 256 + (value % 5) if protocol == 1 else 0


def _matches(rule: NaclRule, protocol: int, key: int, address: IPAddress) -> bool:
    if address not in rule.cidr:
        return False
    if rule.protocol == -1:
        return True
    if rule.protocol != protocol:
        return False
    low, high = rule_key_range(rule.protocol, rule.ports, rule.icmp_type, rule.icmp_code)
    return low <= key <= high


@settings(max_examples=300, deadline=None)
@given(entries, st.lists(packets, min_size=1, max_size=8))
def test_nacl_first_match_equals_brute_force(raw: list[dict], probes: list) -> None:
    rules = [_nacl_rule(e) for e in raw]
    verdict = evaluate_nacl(rules, 4)
    for protocol, value, text in probes:
        key, address = _key(protocol, value), IPAddress(text)
        expected = next((r.action == "allow" for r in sorted(rules, key=lambda r: r.rule)
                         if _matches(r, protocol, key, address)), False)  # implicit deny (NACL-04)
        assert (address in verdict.admitted(protocol, key)) == expected, (protocol, key, text)


@settings(max_examples=200, deadline=None)
@given(entries, st.lists(packets, min_size=1, max_size=8))
def test_security_group_union_equals_brute_force(raw: list[dict], probes: list) -> None:
    rules = [{"protocol": e["protocol"], "source": e["cidr"],
              **({"ports": f"{e['low']}-{e['low'] + e['span']}"} if e["protocol"] in (6, 17) else {}),
              **({"icmp_type": e["icmp_type"], "icmp_code": e["icmp_code"]} if e["protocol"] == 1 else {})}
             for e in raw]
    group = SecurityGroup.model_validate({"ingress": rules})
    slices = security_group_slices(Design(), group.ingress, "source")
    for protocol, value, text in probes:
        key, address = _key(protocol, value), IPAddress(text)
        expected = any(_matches(NaclRule(rule=1, protocol=r.protocol, ports=r.ports, icmp_type=r.icmp_type,
                                         icmp_code=r.icmp_code, cidr=IPNetwork(str(r.source))), protocol, key, address)
                       for r in group.ingress)
        protocols = {s.protocol for s in slices}
        lookup = protocol if protocol in protocols else 256
        admitted = next((s.admitted for s in slices if s.protocol == lookup and s.low <= key <= s.high), None)
        assert (admitted is not None and address in admitted) == expected, (protocol, key, text)


def test_ipv6_entries_never_decide_ipv4_traffic() -> None:
    # NACL-10: an IPv6 allow-all does not admit IPv4; the IPv4 implicit deny does.
    rules = [NaclRule(rule=1, protocol="all", cidr="::/0")]
    assert not evaluate_nacl(rules, 4).admitted(6, 22)
    assert evaluate_nacl(rules, 6).admitted(6, 22).size == 2 ** 128
