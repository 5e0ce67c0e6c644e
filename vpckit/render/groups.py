"""The security-groups view: who may talk to whom, drawn from the groups rather than from the subnets.

Each VPC is a box; in it each security group is a box holding the interfaces that use it (an interface
with several groups sits in the first and names the others). An edge into a group is an inbound rule:
from another group (a rule that references it), from the internet (``0.0.0.0/0``, ``::/0``) or from a
CIDR or prefix list, labelled with the traffic it allows. Outbound rules are left out: inbound ones say
who may open a connection to whom, and a group's outbound rules are listed in the interactive view.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..model import Design, protocol_name
from ..network import resolve
from . import style
from .diagram import SafeDigraph, _encoded, _label, _titled, cluster_id, dot_id, legend_label

__all__ = ["build_groups"]

_WORLD = ("0.0.0.0/0", "::/0")
_KIND_WORDS = {"instance": "EC2 instance", "rds": "RDS", "load_balancer": "load balancer", "vpc_endpoint": "endpoint",
               "nat_gateway": "NAT gateway", "eni": "ENI", "lambda": "Lambda"}


def _traffic(rule: Any) -> str:
    """``tcp 443``, ``icmp 8``, ``all traffic``.

    >>> from vpckit.model.resources import IngressRule
    >>> _traffic(IngressRule(protocol="tcp", ports=443, source="0.0.0.0/0")), _traffic(IngressRule(source="x"))
    ('tcp 443', 'all traffic')
    """
    protocol = protocol_name(rule.protocol) if isinstance(rule.protocol, int) else str(rule.protocol)
    if protocol in ("all", "-1"):
        return "all traffic"
    if rule.ports is not None:
        return f"{protocol} {rule.ports.to_text()}"
    if rule.icmp_type is not None and rule.icmp_type != -1:
        return f"{protocol} {rule.icmp_type}" + (f"/{rule.icmp_code}" if rule.icmp_code not in (None, -1) else "")
    return protocol


def build_groups(design: Design, network: Any) -> SafeDigraph:
    """The security-groups view of ``design`` (whose ``network`` gives each interface's groups).

    >>> from vpckit.network import build_network
    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}},
    ...     "security_groups": {"web": {"ingress": [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"}]},
    ...                         "db": {"ingress": [{"protocol": "tcp", "ports": 5432, "source": "web"}]}},
    ...     "instances": {"w": {"subnet": "a", "security_groups": ["web"]}, "d": {"subnet": "a", "security_groups": ["db"]}}}}})
    >>> src = build_groups(d, build_network(d)).source
    >>> '"sg.p/web" -> "sg.p/db" [label="tcp 5432"' in src and 'internet -> "sg.p/web" [label="tcp 443"' in src
    True
    """
    graph = SafeDigraph(name=_encoded(design.name or ""),
                        graph_attr={**style.GRAPH, "label": _label(design.name, "security groups: who may connect to whom"),
                                    "fontsize": "16"},
                        node_attr=style.NODE, edge_attr=style.EDGE)
    graph.node("internet", "Internet", id="internet", **style.NODES["internet"])
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)  # group setting -> (interface node, label)
    for node, iface in sorted(network.interfaces.items()):
        if not iface.security_groups:
            continue
        others = [g.split("/", 1)[1] for g in iface.security_groups[1:]]
        label = _label(network.display_names.get(node) or iface.name, _KIND_WORDS.get(iface.owner_kind, iface.owner_kind.replace("_", " ")),
                       *(str(a) for a in iface.private_ips[:1]), f"also in {', '.join(others)}" if others else None)
        members[iface.security_groups[0]].append((node, label))
    outside: set[str] = set()
    for vpc_name, vpc in design.iter_vpcs():
        with graph.subgraph(name=cluster_id("vpc", vpc_name)) as box:
            box.attr(label=_label(f"VPC {_titled(vpc_name, vpc)[0]}", ", ".join(str(c) for c in vpc.cidrs)),
                     **style.CLUSTERS["vpc"])
            for name, group in sorted(vpc.security_groups.items()):
                setting = f"sg:{vpc_name}/{name}"
                if not (members.get(setting) or group.ingress or group.egress):
                    continue  # an unused group without rules says nothing (the default group, usually)
                with box.subgraph(name=cluster_id("sg", f"{vpc_name}/{name}")) as cluster:
                    cluster.attr(label="", **style.CLUSTERS["security-group"])
                    rules = f"{len(group.ingress)} inbound, {len(group.egress)} outbound rule(s)"
                    cluster.node(dot_id(setting), _label(*_titled(name, group), "security group", rules),
                                 id=setting, shape="box", style="bold")
                    for node, label in members.get(setting, []):
                        cluster.node(dot_id(node), label, id=node, **style.NODES["instance"])
                        cluster.edge(dot_id(setting), dot_id(node), style="invis")
            for name, group in sorted(vpc.security_groups.items()):
                setting = f"sg:{vpc_name}/{name}"
                for rule in group.ingress:
                    source = rule.source
                    text = str(source)
                    found = resolve.security_group(design, vpc_name, text) if isinstance(source, str) else None
                    if found is not None:
                        tail = f"sg:{found.vpc or vpc_name}/{found.name}"
                    elif text in _WORLD:
                        tail = "internet"
                    else:
                        tail = f"peer:{text}"
                        if tail not in outside:
                            outside.add(tail)
                            graph.node(dot_id(tail), text, id=tail, shape="note")
                    graph.edge(dot_id(tail), dot_id(setting), label=_traffic(rule), **style.EDGES["sg-ingress"])
    graph.node("legend", legend_label({"security-group", "edge:sg-ingress"}), id="legend", shape="plaintext",
               margin="0")
    return graph
