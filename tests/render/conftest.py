"""A small reader of the DOT text vpckit writes: which clusters nest in which, nodes, edges, attributes.

It reads the line-per-statement layout the ``graphviz`` package emits (vpckit never puts a
raw newline inside a label), which is enough to check structure without pulling in a DOT parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

_ID = r'(?:"(?:[^"\\]|\\.)*"|[^\s\[\]{};=]+)'
_ATTR = re.compile(rf'({_ID})=({_ID})')


def _unquote(token: str) -> str:
    if token.startswith('"') and token.endswith('"'):
        return token[1:-1].replace('\\"', '"')
    return token


_HTML_LABEL = re.compile(r'\blabel=(<.*>)(?=\s+\w+=|$)')


def _attrs(text: str) -> dict[str, str]:
    """Attributes of one statement; an HTML-like label (``label=<...>``) is kept whole."""
    html = _HTML_LABEL.search(text)
    if html:
        text = text[:html.start()] + text[html.end():]
    found = {_unquote(k): _unquote(v) for k, v in _ATTR.findall(text)}
    if html:
        found["label"] = html.group(1)
    return found


@dataclass
class Dot:
    """The parsed structure: clusters (with parent and attributes), nodes and edges."""

    cluster_parent: dict[str, str | None] = field(default_factory=dict)
    cluster_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    node_cluster: dict[str, str | None] = field(default_factory=dict)
    node_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def ancestors(self, cluster: str | None) -> list[str]:
        """The chain of clusters from ``cluster`` up to the top, innermost first."""
        chain = []
        while cluster is not None:
            chain.append(cluster)
            cluster = self.cluster_parent[cluster]
        return chain

    def node_by_id(self, network_id: str) -> str:
        """The DOT name of the node whose ``id`` attribute is ``network_id``."""
        for name, attrs in self.node_attrs.items():
            if attrs.get("id") == network_id:
                return name
        raise KeyError(network_id)

    def visible_edges(self) -> set[tuple[str, str]]:
        return {(a, b) for a, b, attrs in self.edges if attrs.get("style") != "invis"}


def parse(source: str) -> Dot:
    """Parse DOT text written by the ``graphviz`` package."""
    dot = Dot()
    stack: list[str | None] = [None]
    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith(("digraph", "graph [", "node [", "edge [")):
            continue
        opened = re.match(rf"^subgraph ({_ID}) \{{$", line)
        if opened:
            name = _unquote(opened.group(1))
            dot.cluster_parent[name] = stack[-1]
            dot.cluster_attrs[name] = {}
            stack.append(name)
            continue
        if line == "{":  # an anonymous subgraph (rank constraints): its nodes belong to the enclosing box
            stack.append(stack[-1])
            continue
        if line == "}":
            stack.pop()
            continue
        edge = re.match(rf"^({_ID}) -> ({_ID})(?: \[(.*)\])?$", line)
        if edge:
            dot.edges.append((_unquote(edge.group(1)), _unquote(edge.group(2)), _attrs(edge.group(3) or "")))
            continue
        node = re.match(rf"^({_ID}) \[(.*)\]$", line)
        if node:
            name = _unquote(node.group(1))
            if name not in dot.node_cluster:
                dot.node_cluster[name] = stack[-1]
                dot.node_attrs[name] = {}
            dot.node_attrs[name].update(_attrs(node.group(2)))
            continue
        if line.startswith("rank="):
            continue
        if stack[-1] is not None:  # a cluster's own attributes
            dot.cluster_attrs[stack[-1]].update(_attrs(line))
        else:
            dot.cluster_attrs.setdefault("", {}).update(_attrs(line))
    return dot


@pytest.fixture
def parse_dot():
    """The DOT reader above, for tests: ``parse_dot(source) -> Dot``."""
    return parse
