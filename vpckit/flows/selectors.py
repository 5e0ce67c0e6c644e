"""Selectors: the sets of ends an intent speaks of (``tier:app``, ``vpc:prod``, ``sg:web``, ``tag:Env=dev``...).

A selector is a name (anything ``reach`` accepts), ``tier:NAME``, ``vpc:NAME``, ``subnet:NAME`` (or
``subnet:VPC/NAME``), ``sg:NAME`` (or ``sg:VPC/NAME``), ``tag:KEY=VALUE`` (on the interface's resource
or its subnet), a CIDR (the interfaces inside it and the outside hosts it covers) or ``internet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches

from netaddr import AddrFormatError, IPNetwork

from ..errors import QueryError
from ..model.tiers import tier_of
from ..model.types import looks_like_address
from ..network.build import Network
from ..network.places import design_path

__all__ = ["Selection", "select", "SELECTOR_KINDS"]

SELECTOR_KINDS = ("tier", "vpc", "subnet", "sg", "tag")
#: Interfaces that neither start connections nor answer as themselves (NAT-03, TGW-01, VPCE-04).
_NOT_ENDS = ("nat_gateway", "transit_gateway", "vpc_endpoint")


@dataclass(frozen=True)
class Selection:
    """What a selector matches: interfaces of the network, load balancers, and outside hosts.

    ``outside`` is ``internet``, a CIDR, or None; ``named`` is the endpoint text when the selector is a
    plain name (asked as written, so that a load balancer answers as itself).
    """

    text: str
    interfaces: frozenset[str] = frozenset()
    load_balancers: frozenset[str] = frozenset()
    outside: str | None = None
    named: str | None = None

    def covers(self, node: str) -> bool:
        """Whether an interface or load balancer node is selected."""
        return node in self.interfaces or node in self.load_balancers


def select(network: Network, text: str) -> Selection:
    """The ends ``text`` selects; :class:`~vpckit.errors.QueryError` (with close names) when it selects nothing.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "tier": "app"}},
    ...     "instances": {"x": {"subnet": "a"}, "y": {"subnet": "a", "tags": {"Env": "dev"}}}}}}))
    >>> sorted(select(net, "tier:app").interfaces), sorted(select(net, "tag:Env=dev").interfaces)
    (['eni:p/x', 'eni:p/y'], ['eni:p/y'])
    """
    raw = text.strip()
    kind, _, value = raw.partition(":")
    if raw.lower() == "internet":
        return Selection(raw, outside="internet")
    if kind in SELECTOR_KINDS and value:
        found = frozenset(node for node, iface in network.interfaces.items()
                          if iface.owner_kind not in _NOT_ENDS and _matches(network, kind, value, node))
        if not found:
            raise QueryError(f"selector {raw!r} matches no interface{_hint(network, kind, value)}")
        return Selection(raw, found)
    if "/" in raw and looks_like_address(raw.split("/", 1)[0]):
        try:
            cidr = IPNetwork(raw)
        except (AddrFormatError, ValueError):
            raise QueryError(f"selector {raw!r}: not a CIDR (expected e.g. 10.0.0.0/16)") from None
        inside = frozenset(node for node, iface in network.interfaces.items() if iface.owner_kind not in _NOT_ENDS
                           and any(a in cidr for a in (*iface.private_ips, *iface.ipv6)))
        return Selection(raw, inside, outside=str(cidr.cidr))
    endpoint = network.resolve_endpoint(raw)  # unknown names: QueryError with close names
    if endpoint.kind in ("internet", "onprem"):
        return Selection(raw, outside=raw if "/" in raw else f"{raw}/{128 if ':' in raw else 32}", named=raw)
    if endpoint.kind == "load_balancer":
        return Selection(raw, load_balancers=frozenset({endpoint.node}), named=raw)
    return Selection(raw, frozenset(endpoint.interfaces or (endpoint.node,)), named=raw)


def _matches(network: Network, kind: str, value: str, node: str) -> bool:
    iface = network.interfaces[node]
    subnet = network.subnets.get(iface.subnet)
    if kind == "vpc":
        return iface.vpc == value
    if kind == "subnet":
        return subnet is not None and value in (subnet.name, f"{subnet.vpc}/{subnet.name}")
    if kind == "sg":
        return any(setting.split(":", 1)[-1] in (value, f"{iface.vpc}/{value}") for setting in iface.security_groups)
    design_subnet = network.design.vpcs[iface.vpc].subnets.get(subnet.name) if subnet is not None and \
        iface.vpc in network.design.vpcs else None
    if kind == "tier":
        return design_subnet is not None and tier_of(subnet.name, design_subnet) == value.lower()
    key, _, wanted = value.partition("=")
    return any(_tag(resource, key) == wanted for resource in (_resource(network, node), design_subnet))


def _resource(network: Network, node: str):
    path = design_path(network.design, node, exact=True)
    value = network.design
    for part in path:
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value if path else None


def _tag(resource, key: str) -> str | None:
    tags = getattr(resource, "tags", None) or {}
    return tags.get(key)


def _hint(network: Network, kind: str, value: str) -> str:
    """The values this kind of selector could take, the closest first."""
    known: set[str] = set()
    for node, iface in network.interfaces.items():
        subnet = network.subnets.get(iface.subnet)
        if kind == "vpc":
            known.add(iface.vpc)
        elif kind == "subnet" and subnet is not None:
            known.add(subnet.name)
        elif kind == "sg":
            known.update(s.split("/", 1)[-1] for s in iface.security_groups)
        elif kind == "tier" and subnet is not None and iface.vpc in network.design.vpcs:
            design_subnet = network.design.vpcs[iface.vpc].subnets.get(subnet.name)
            tier = tier_of(subnet.name, design_subnet) if design_subnet is not None else None
            if tier:
                known.add(tier)
        elif kind == "tag":
            for resource in (_resource(network, node),):
                for key, tag_value in (getattr(resource, "tags", None) or {}).items():
                    known.add(f"{key}={tag_value}")
    if not known:
        return f" (the network has no {kind}s to select)" if kind != "tag" else " (no tagged interface)"
    close = get_close_matches(value, sorted(known), n=3)
    shown = ", ".join(f"{kind}:{k}" for k in (close or sorted(known)[:5]))
    return f"; did you mean {shown}?" if close else f"; known: {shown}"
