"""The summary view: a network too large for one page, drawn as its VPCs, AZs and tiers.

Each VPC is a box with its gateways; in each availability zone one node per tier — public subnets,
private subnets with a default route, isolated subnets — says how many subnets and resources it holds
and which CIDRs they span. Default routes are drawn once per tier and target with their count. The
title says how to see every subnet (``--view detailed``, or one VPC at a time).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from netaddr import IPNetwork

from ..model import Design
from . import style
from .diagram import (TIERS, SafeDigraph, _default_route, _encoded, _gather, _label, _target_node, _titled, cluster_id,
                      dot_id, legend_label, subnet_tier)

__all__ = ["build_summary", "SUMMARY_FROM"]

#: From this many subnets the default view is the summary (a page no longer shows them legibly).
SUMMARY_FROM = 120

_TIER_WORDS = {"public": "public subnets", "private": "private subnets (default route)", "isolated": "isolated subnets"}


def build_summary(design: Design, network: Any = None) -> SafeDigraph:
    """The summary view of ``design``.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     f"s{i}": {"az": "us-east-1a", "cidr": f"10.0.{i}.0/24"} for i in range(3)}}}})
    >>> '3 isolated subnets' in build_summary(d).source
    True
    """
    facts = _gather(design, network)
    graph = SafeDigraph(name=_encoded(design.name or ""),
                        graph_attr={**style.GRAPH, "fontsize": "16", "label": _label(
                            design.name, f"summary of {len(facts.subnets)} subnets in {len(design.vpcs)} VPC(s): "
                            "each availability zone's subnets by tier; --view detailed draws every subnet")},
                        node_attr=style.NODE, edge_attr=style.EDGE)
    graph.node("internet", "Internet", id="internet", **style.NODES["internet"])
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for node, subnet in sorted(facts.subnets.items()):
        default = _default_route(facts, subnet.vpc, subnet.route_table)
        tier = TIERS[subnet_tier(facts, subnet)]
        groups[(subnet.vpc, subnet.az, tier)].append((node, subnet, default))
    vpcs = list(design.iter_vpcs())
    columns = max(1, math.ceil(math.sqrt(len(vpcs))))
    bottoms: list[str] = []
    for index, (vpc_name, vpc) in enumerate(vpcs):
        with graph.subgraph(name=cluster_id("vpc", vpc_name)) as box:
            box.attr(label=_label(f"VPC {_titled(vpc_name, vpc)[0]}", ", ".join(str(c) for c in vpc.cidrs)),
                     **style.CLUSTERS["vpc"])
            # VPCs in rows of a grid: an unseen point at the top of each, below the VPC one row up.
            top, bottom = dot_id(f"top:{vpc_name}"), dot_id(f"bottom:{vpc_name}")
            box.node(top, "", shape="point", style="invis", width="0", height="0")
            box.node(bottom, "", shape="point", style="invis", width="0", height="0")
            box.edge(top, bottom, style="invis")
            if index >= columns:
                graph.edge(bottoms[index - columns], top, style="invis")
            bottoms.append(bottom)
            for name in sorted(vpc.internet_gateways):
                node = f"igw:{vpc_name}/{name}"
                box.node(dot_id(node), _label(*_titled(name, vpc.internet_gateways[name]), "internet gateway"),
                         id=node, **style.NODES["igw"])
                graph.edge("internet", dot_id(node), **style.EDGES["gateway"])
            for az in sorted({key[1] for key in groups if key[0] == vpc_name}):
                with box.subgraph(name=cluster_id("az", f"{vpc_name}/{az}")) as zone:
                    zone.attr(label=az, **style.CLUSTERS["az"])
                    for tier in TIERS:
                        members = groups.get((vpc_name, az, tier))
                        if members:
                            _tier_node(zone, vpc_name, az, tier, members, facts)
                            box.edge(dot_id(f"tier:{vpc_name}/{az}/{tier}"), bottom, style="invis")
                            box.edge(top, dot_id(f"tier:{vpc_name}/{az}/{tier}"), style="invis")
            _tier_routes(box, graph, design, facts, vpc_name, groups)
    kinds = {"public" if key[2] == "public" else "private" for key in groups} | {"edge:gateway", "edge:tier-route"}
    graph.node("legend", legend_label(kinds), id="legend", shape="plaintext", margin="0")
    return graph


def _tier_node(zone: Any, vpc_name: str, az: str, tier: str, members: list, facts: Any) -> None:
    cidrs = sorted((IPNetwork(subnet.cidr) for _, subnet, _ in members), key=lambda n: (n.first, n.prefixlen))
    span = str(cidrs[0]) if len(cidrs) == 1 else f"{cidrs[0]} … {cidrs[-1]}"
    resources = sum(len(facts.resources.get(node, [])) for node, _, _ in members)
    free = sum(subnet.free_addresses for _, subnet, _ in members)
    colours = style.CLUSTERS["public" if tier == "public" else "private"]
    node = f"tier:{vpc_name}/{az}/{tier}"
    words = _TIER_WORDS[tier] if len(members) > 1 else _TIER_WORDS[tier].replace("subnets", "subnet")
    zone.node(dot_id(node), _label(f"{len(members)} {words}", span,
                                   f"{resources} resource(s), {free} free addresses"),
              id=node, shape="box", style="filled", color=colours["color"], fillcolor=colours["fillcolor"],
              fontcolor=colours["fontcolor"])


def _tier_routes(box: Any, graph: Any, design: Design, facts: Any, vpc_name: str, groups: dict) -> None:
    """One edge per tier and default-route target, with how many subnets take it."""
    for (vpc, az, tier), members in sorted(groups.items()):
        if vpc != vpc_name:
            continue
        targets: dict[str, list[str]] = defaultdict(list)
        for _, subnet, default in members:
            if default is None:
                continue
            head, _ = _target_node(facts, vpc_name, default, "subnets")
            if head is not None and head.startswith("igw:"):
                targets[head].append(default.destination)
            elif head is not None:
                targets[f"target:{vpc_name}/{default.target}"].append(default.destination)
        for head, destinations in sorted(targets.items()):
            if head.startswith("target:"):
                box.node(dot_id(head), head.split("/", 1)[1], id=head, **style.NODES["nat"])
            label = f"{destinations[0]} ({len(destinations)} subnet{'s' if len(destinations) > 1 else ''})"
            graph.edge(dot_id(head), dot_id(f"tier:{vpc}/{az}/{tier}"), label=label, **style.EDGES["tier-route"])
