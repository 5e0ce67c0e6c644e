"""`diff`: what a change opens or closes. Identical inputs give nothing; swapping the inputs swaps
opened and closed; after one random mutation of a generated network, every sampled flow whose
`reach` verdict changed is in the diff with the right change (and no unchanged one is), and the
diff names the mutated setting."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from netaddr import IPAddress, IPNetwork

from vpckit.flows.diff import diff
from vpckit.model import Design
from vpckit.model.types import PortRange
from vpckit.network import build_network
from vpckit.reach.engine import answer
from vpckit.reach.query import Query

from .test_ports_exact import ROOT, network
from .test_ports_generated import SETTINGS, networks

DESIGNS = sorted(str(p) for p in (ROOT / "designs").glob("*.yaml")) + [str(ROOT / "examples" / "network.yaml")]
_RANK = {"unreachable": 0, "undetermined": 1, "partial": 2, "reachable": 3}


def _signature(result) -> list[tuple]:
    return sorted((r.row.source.name, r.row.destination.name, r.row.family, r.row.protocol, r.row.low, r.row.high,
                   r.before, r.after) for r in result.rows)


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: Path(p).name)
def test_an_input_against_itself_changes_nothing(path: str) -> None:
    net = network(path)
    assert diff(net, net).rows == []


def _mutations(design: dict) -> list[tuple[str, str, dict]]:
    """Every single mutation of a generated design: (what, the setting it touches, the mutated design)."""
    out = []
    for vpc_name, vpc in design["vpcs"].items():
        for nacl_name, nacl in vpc.get("nacls", {}).items():
            for side in ("ingress", "egress"):
                for i, rule in enumerate(nacl[side]):
                    mutated = copy.deepcopy(design)
                    target = mutated["vpcs"][vpc_name]["nacls"][nacl_name][side][i]
                    target["action"] = "allow" if rule.get("action", "allow") == "deny" else "deny"
                    out.append((f"flip {nacl_name} {side} rule {rule['rule']}", f"nacl:{vpc_name}/{nacl_name}", mutated))
        for group_name, group in vpc.get("security_groups", {}).items():
            for side in ("ingress", "egress"):
                for i, _ in enumerate(group.get(side, [])):
                    mutated = copy.deepcopy(design)
                    del mutated["vpcs"][vpc_name]["security_groups"][group_name][side][i]
                    out.append((f"drop {group_name} {side} rule {i}", f"sg:{vpc_name}/{group_name}", mutated))
        for table_name, table in vpc.get("route_tables", {}).items():
            for i, route in enumerate(table.get("routes", [])):
                mutated = copy.deepcopy(design)
                del mutated["vpcs"][vpc_name]["route_tables"][table_name]["routes"][i]
                out.append((f"drop route {route['destination']} of {table_name}", f"rtb:{vpc_name}/{table_name}",
                            mutated))
    for tgw_name, tgw in design.get("transit_gateways", {}).items():
        for attachment in tgw.get("attachments", {}):
            mutated = copy.deepcopy(design)
            del mutated["transit_gateways"][tgw_name]["attachments"][attachment]
            out.append((f"drop attachment {attachment}", f"tgw-attach:{tgw_name}/{attachment}", mutated))
    return out


_ENDS = ["w1", "w2", "b1", "198.51.100.7", "203.0.113.9"]
_TRAFFIC = [(6, 22), (6, 80), (6, 443), (6, 8080), (6, 3389), (17, 53), (6, 40000), (1, None), (47, None)]


def _covers(row, end: str, side: str, net) -> bool:
    info = getattr(row.row, side)
    if info.kind in ("internet", "onprem"):
        return "." in end and any(IPAddress(end) in IPNetwork(c) for c in info.addresses if ":" not in c)
    node = f"eni:{'b' if end == 'b1' else 'a'}/{end}"
    return info.node == node or end in info.members


def _in_row(row, protocol: int, port: int | None) -> bool:
    if row.row.family != 4:
        return False
    name = {6: "tcp", 17: "udp", 1: "icmp"}.get(protocol)
    if name is None:
        return row.row.protocol not in ("tcp", "udp", "icmp")
    if row.row.protocol != name:
        return False
    if name == "icmp":
        return row.row.low <= 8 * 256 <= row.row.high
    return row.row.low <= port <= row.row.high


def _query(source: str, destination: str, protocol: int, port: int | None) -> Query:
    if protocol in (6, 17):
        return Query(source, destination, protocol, PortRange(low=port, high=port))
    if protocol == 1:
        return Query(source, destination, 1, icmp_type=8, icmp_code=0)
    return Query(source, destination, protocol)


def check_mutation(old_design: dict, new_design: dict, touched: str, rng: random.Random) -> list[str]:
    old, new = build_network(Design.model_validate(old_design)), build_network(Design.model_validate(new_design))
    result = diff(old, new)
    problems = []
    for _ in range(12):
        source, destination = rng.sample(_ENDS, 2)
        if "." in source and "." in destination:
            continue
        protocol, port = rng.choice(_TRAFFIC)
        verdicts = []
        for net in (old, new):
            try:
                verdicts.append(answer(net, _query(source, destination, protocol, port), 4).verdict)
            except Exception:  # no IPv4 path between these ends in this network (an end without an address)
                verdicts.append(None)
        if None in verdicts:
            continue
        rows = [r for r in result.rows if _covers(r, source, "source", new) and _covers(r, destination, "destination", new)
                and _in_row(r, protocol, port)]
        before, after = (_RANK[v] for v in verdicts)
        if before != after:
            wanted = "opened" if after > before else "closed"
            if not any(r.change == wanted for r in rows):
                problems.append(f"{touched}: {source}->{destination} {protocol}/{port} {verdicts} but the diff has "
                                f"{[(r.change, r.before, r.after) for r in rows]}")
        elif verdicts[0] != "partial" and rows:
            problems.append(f"{touched}: {source}->{destination} {protocol}/{port} stays {verdicts[0]} but the diff "
                            f"says {[(r.change, r.before, r.after) for r in rows]}")
    if result.rows:
        named = {part for r in result.rows for c in r.causes for part in (c.component, *c.setting.split(","))}
        related = {touched, *(f"subnet:{touched.split(':', 1)[1]}",)}
        if touched.startswith(("nacl:", "rtb:", "tgw-attach:")) or touched.startswith("sg:"):
            if not named & related and not _names_it(named, touched, new, old):
                problems.append(f"{touched}: the diff names {sorted(named)}, not the mutated setting")
    return problems


def _names_it(named: set[str], touched: str, new, old) -> bool:
    """A mutated NACL is named by its subnets, a group by its interfaces, a route table by what it routes to."""
    for net in (old, new):
        if touched.startswith("nacl:") and any(net.subnets[s].nacl == touched for s in named if s in net.subnets):
            return True
        if touched.startswith("sg:") and any(touched in net.interfaces[i].security_groups
                                              for i in named if i in net.interfaces):
            return True
        if touched.startswith("rtb:") and any(net.subnets[s].route_table == touched for s in named if s in net.subnets):
            return True
    return touched.startswith(("rtb:", "tgw-attach:")) and any(
        n.startswith(("tgw", "pcx", "igw", "nat", "router", "eni")) for n in named)


@SETTINGS
@given(networks(), st.randoms(use_true_random=False))
def test_one_mutation_opens_and_closes_what_reach_says(design, rng) -> None:
    mutations = _mutations(design)
    touched_what, touched, mutated = rng.choice(mutations)
    problems = check_mutation(design, mutated, touched, random.Random(touched_what))
    assert problems == [], touched_what


@SETTINGS
@given(networks(), st.randoms(use_true_random=False))
def test_swapping_the_inputs_swaps_opened_and_closed(design, rng) -> None:
    _, _, mutated = rng.choice(_mutations(design))
    old, new = build_network(Design.model_validate(design)), build_network(Design.model_validate(mutated))
    forward, backward = diff(old, new), diff(new, old)
    flip = {"opened": "closed", "closed": "opened"}
    assert sorted((s, d, f, p, lo, hi, b, a) for s, d, f, p, lo, hi, a, b in _signature(backward)) == \
        _signature(forward)
    assert [r.change for r in forward.rows if True].count("opened") == [flip[r.change] for r in backward.rows].count(
        "opened")
