"""A reachability answer drawn on a diagram: forward path, return path, blocking components.

The forward path is a thick red line through the hops' components, the return path a dashed
blue one, and every blocking component is outlined in red with the blocker's code and message
as its label. Hops whose component is not drawn in the chosen view (a peering connection, a
transit-gateway route table, the VPC router in a view without it) are drawn through the
nearest thing that is: the transit gateway, the load balancer's interface, the subnet, the VPC.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import graphviz

from ..errors import QueryError
from . import style
from .diagram import _label, dot_id, iter_node_ids, legend_label

__all__ = ["parse_path", "overlay", "stand_in"]

_PATH = re.compile(
    r"^\s*(?P<src>.+?)\s*->\s*(?P<dst>.+?)\s*(?::\s*(?P<proto>[A-Za-z0-9-]+)(?:\s*/\s*(?P<port>\d+(?:-\d+)?))?\s*)?$"
)


def parse_path(text: str) -> dict[str, Any]:
    """A ``--path`` text (``FROM -> TO : PROTO/PORT``) as reach query keys.

    >>> parse_path("internet -> web : tcp/443")
    {'from': 'internet', 'to': 'web', 'protocol': 'tcp', 'port': '443'}
    >>> parse_path("app-1 -> 10.0.20.10 : icmp")
    {'from': 'app-1', 'to': '10.0.20.10', 'protocol': 'icmp'}
    >>> parse_path("app-1 -> db : 5432")
    Traceback (most recent call last):
    ...
    vpckit.errors.QueryError: --path 'app-1 -> db : 5432': '5432' after ':' is read as PROTO/PORT; for a port write "app-1 -> db : tcp/5432" (or udp/…)
    >>> parse_path("app-1 to db")
    Traceback (most recent call last):
    ...
    vpckit.errors.QueryError: --path 'app-1 to db': expected "FROM -> TO : PROTO/PORT", e.g. "internet -> web-1 : tcp/443"
    """
    match = _PATH.match(text or "")
    if not match or match.group("dst").startswith(":") or match.group("src").startswith("-"):
        raise QueryError(f"--path '{text}': expected \"FROM -> TO : PROTO/PORT\", e.g. \"internet -> web-1 : tcp/443\"")
    if match.group("proto") and match.group("proto").isdigit() and not match.group("port"):
        raise QueryError(
            f"--path '{text}': '{match.group('proto')}' after ':' is read as PROTO/PORT; for a port write "
            f"\"{match.group('src')} -> {match.group('dst')} : tcp/{match.group('proto')}\" (or udp/…)"
        )
    query: dict[str, Any] = {"from": match.group("src"), "to": match.group("dst"),
                             "protocol": (match.group("proto") or "tcp").lower()}
    route = f"{match.group('src')} -> {match.group('dst')}"
    if match.group("port"):
        if query["protocol"] in ("icmp", "icmpv6", "1", "58"):
            raise QueryError(f"--path '{text}': ICMP has no ports; write \"{route} : {query['protocol']}\" "
                             "(an echo request is drawn)")
        query["port"] = match.group("port")
    elif query["protocol"] in ("tcp", "udp", "6", "17"):
        raise QueryError(f"--path '{text}': {query['protocol']} needs a port; write \"{route} : {query['protocol']}/443\" "
                         "(or the port you mean)")
    return query


def stand_in(component: str, drawn: set[str], view: str) -> str | None:
    """The drawn node that shows ``component`` (a network node id) in this view.

    >>> stand_in("tgw-rtb:core/spokes", {"tgw:core"}, "detailed")
    'tgw:core'
    >>> stand_in("eni:prod/app-1", {"subnet:prod/app-a", "vpc:prod"}, "vpcs")
    'vpc:prod'
    """
    if component in drawn:
        return component
    kind, _, rest = component.partition(":")
    candidates: list[str] = []
    if kind in ("tgw-rtb", "tgw-attach"):
        candidates.append(f"tgw:{rest.split('/', 1)[0]}")
    if kind == "lb":
        candidates.extend(sorted(d for d in drawn if d.startswith(f"eni:{rest}@")))
    vpc = rest.split("/", 1)[0] if "/" in rest else rest
    if kind in ("eni", "nat", "lb"):
        name = rest.split("/", 1)[-1].split("@", 1)[-1]
        candidates.extend(sorted(d for d in drawn if d == f"subnet:{vpc}/{name}"))
    if kind in ("router", "vpc", "subnet", "eni", "nat", "lb", "igw", "eigw", "vgw", "vpce") and vpc:
        candidates.append(f"router:{vpc}")
        candidates.append(f"vpc:{vpc}")
    for candidate in candidates:
        if candidate in drawn:
            return candidate
    return None


def _drawn_ids(graph: graphviz.Digraph) -> set[str]:
    return set(iter_node_ids(graph))


def _shown(component: str, drawn: set[str], view: str, locate: dict[str, str]) -> str | None:
    """The node that shows ``component``: itself, else the subnet that holds it, else a stand-in."""
    if component in drawn:
        return component
    return locate.get(component) or stand_in(component, drawn, view)


def _walk(hops: Iterable[Any], drawn: set[str], view: str, locate: dict[str, str]) -> list[str]:
    nodes: list[str] = []
    for hop in hops:
        component = getattr(hop, "component", None) or ""
        shown = _shown(component, drawn, view, locate)
        if shown and (not nodes or nodes[-1] != shown):
            nodes.append(shown)
    return nodes


def _query_text(answer: Any) -> str:
    query = getattr(answer, "query", None)
    if query is None:
        return ""
    data = query.to_dict() if hasattr(query, "to_dict") else {}
    what = data.get("protocol", "")
    if data.get("port") is not None:
        what = f"{what}/{data['port']}"
    return f"{data.get('from', '?')} -> {data.get('to', '?')} : {what}".strip()


def overlay(graph: graphviz.Digraph, answer: Any, view: str, locate: dict[str, str] | None = None) -> None:
    """Draw ``answer`` (a reach ``Answer``) on ``graph``: forward, return, and blockers.

    ``locate`` maps components that the view does not draw (an ENI in the subnets view) to
    the node that holds them (its subnet).

    >>> from vpckit.model import Design
    >>> from vpckit.render import build, path_answer
    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}}, "instances": {"web": {"subnet": "a"}}}}})
    >>> network, answer = path_answer(d, "internet -> web : tcp/443")
    >>> graph = build(d, "detailed", network)
    >>> overlay(graph, answer, "detailed")
    >>> "BLOCKED" in graph.source
    True
    """
    drawn = _drawn_ids(graph)
    locate = {k: v for k, v in (locate or {}).items() if v in drawn}
    forward = _walk(answer.forward, drawn, view, locate)
    back = _walk(answer.return_path, drawn, view, locate)
    for index, (tail, head) in enumerate(zip(forward, forward[1:])):
        graph.edge(dot_id(tail), dot_id(head), label=str(index + 1), **style.EDGES["forward"])
    for index, (tail, head) in enumerate(zip(back, back[1:])):
        graph.edge(dot_id(tail), dot_id(head), label=f"r{index + 1}", **style.EDGES["return"])
    target = getattr(answer, "destination", None)
    target = _shown(target, drawn, view, locate) if target else None
    if answer.verdict != "reachable" and forward and target and target != forward[-1] and target not in forward:
        # Where the packet was going but never arrived.
        graph.edge(dot_id(forward[-1]), dot_id(target), label="not reached",
                   **{**style.EDGES["forward"], "style": "dotted", "penwidth": "2"})
    for node in sorted(set(forward) | set(back)):
        graph.node(dot_id(node), **style.ON_PATH)
    by_node: dict[str, list[Any]] = {}
    for blocker in answer.blockers:
        shown = _shown(blocker.component, drawn, view, locate)
        if shown is not None:
            by_node.setdefault(shown, []).append(blocker)
    labels = getattr(graph, "labels", {})
    for node, blockers in sorted(by_node.items()):
        reasons = [line for b in blockers for line in (f"BLOCKED {b.code} ({b.leg})", _wrap(b.message))]
        extra = {"shape": "box"} if node.startswith("subnet:") and view != "subnets" else {}
        if node in labels:
            # The reason inside the blocking component's own box: beside it, whatever the layout,
            # and never across a cluster's border or outside the picture.
            graph.node(dot_id(node), _label(labels[node], *reasons), **style.BLOCKER, **extra)
        else:
            graph.node(dot_id(node), xlabel=_label(*reasons), **style.BLOCKER, **extra)
    shown = {"edge:forward"} | ({"edge:return"} if len(back) > 1 else set()) | ({"blocker"} if by_node else set())
    graph.node("legend:path", legend_label(shown, "Path"), id="legend:path", shape="plaintext", margin="0")
    graph.attr(label=_label(getattr(graph, "title", ""), f"path {_query_text(answer)}: {answer.verdict}"))


def _wrap(text: str, width: int = 48) -> str:
    """Break a long message into lines of about ``width`` characters (DOT does not wrap)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines)
