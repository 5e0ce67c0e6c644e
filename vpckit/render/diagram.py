"""A design → a Graphviz ``Digraph`` nested as AWS draws it: cloud > region > VPC > AZ > subnet > resources.

Node ids are the network graph's node ids (``subnet:prod/app-a``, ``nat:prod/nat-a``,
``eni:prod/app-1``, ``igw:prod/igw-prod``, ``tgw:core``, ``internet``...) with ``:`` written as
``.`` (Graphviz reads ``a:b`` in an edge as "node a, port b"); the exact network id is kept
in each node's ``id`` attribute, which Graphviz copies into the SVG. Everything is emitted in
sorted order, so one design always gives byte-identical DOT.
"""

from __future__ import annotations

import html
import itertools
import math

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal

import graphviz
from netaddr import IPNetwork

from ..errors import InputError, QueryError, RenderError
from ..model import Design, Vpc
from ..model.types import looks_like_address
from ..network import build_network, resolve
from . import style

View = Literal["detailed", "subnets", "vpcs", "security-groups", "summary"]
VIEWS: tuple[str, ...] = ("detailed", "subnets", "vpcs", "security-groups", "summary")

#: Addresses AWS keeps in every IPv4 subnet (SUB-04).
RESERVED_PER_SUBNET = 5

__all__ = ["VIEWS", "View", "dot_id", "cluster_id", "build", "network_of", "SubnetFacts", "subnet_facts", "resource_subnets",
           "shown_as"]


def dot_id(node_id: str) -> str:
    """The DOT name of a network node id: ``kind.rest``, where the rest keeps what a name may hold apart from
    what DOT would misread (``:`` is a port separator, ``\\`` an escape, control characters are not text),
    written ``%XX`` — so that two names never share a DOT name (``app:1`` and ``app.1`` are two boxes).

    >>> dot_id("subnet:prod/app-a"), dot_id("subnet:prod/app:1"), dot_id("subnet:prod/app.1")
    ('subnet.prod/app-a', 'subnet.prod/app%3A1', 'subnet.prod/app.1')
    >>> dot_id("internet")
    'internet'
    """
    kind, separator, rest = node_id.partition(":")
    return f"{kind}.{_encoded(rest)}" if separator else _encoded(node_id)


_ID_ESCAPES = {ord(c): f"%{ord(c):02X}" for c in '%:\\"'} | {code: f"%{code:02X}" for code in (*range(0x20), 0x7F)}


def _encoded(text: str) -> str:
    return text.translate(_ID_ESCAPES)


def cluster_id(kind: str, key: str) -> str:
    """The DOT name of a cluster (Graphviz draws a subgraph as a box only if its name starts with ``cluster``).

    >>> cluster_id("subnet", "prod/app-a")
    'cluster_subnet.prod/app-a'
    """
    return f"cluster_{kind}.{_encoded(key)}"


def _label(*lines: str | None) -> str:
    """Join non-empty lines, one per line of the label (:class:`SafeDigraph` writes DOT's line breaks)."""
    return "\n".join(line for line in lines if line)


class Html(str):
    """A label that is an HTML-like table vpckit wrote (the legend); every other label is plain text."""


#: Control characters shown as their Unicode pictures (U+2400...): visible, and legal in SVG (XML).
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code != 0x0A} | {0x7F: "\u2421"}
_TEXT_ATTRIBUTES = ("label", "xlabel", "headlabel", "taillabel", "tooltip", "id")


def safe_text(text: str) -> str:
    """A text from the input as a DOT label that reads as written: a backslash is a backslash, ``<b>`` is not
    markup, a control character is drawn as its picture, a line break is a line break.

    >>> print(safe_text("we\\\\b <b>\\x07"))
    we\\\\b <b>\u2407
    """
    if isinstance(text, Html):
        return text
    escaped = text.translate(_PICTURES).replace("\\", "\\\\").replace("\n", "\\n")
    return graphviz.nohtml(escaped)


def unsafe_text(text: str) -> str:
    """What :func:`safe_text` was given (for reading ids back from the DOT text)."""
    return text.replace("\\\\", "\\")


class SafeDigraph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose labels and ids are written with :func:`safe_text`: whatever a name holds, the
    DOT stays valid and the SVG well-formed XML."""

    def __init__(self, *args: Any, graph_attr: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, graph_attr=None if graph_attr is None else _safe(graph_attr), **kwargs)
        #: the graph's title as given (``graph_attr`` holds it written for DOT)
        self.title: str = (graph_attr or {}).get("label") or ""
        #: each node's label as given, by network id (a path overlay adds its reason to a blocker's)
        self.labels: dict[str, str] = {}

    def node(self, name: str, label: str | None = None, _attributes: Any = None, **attrs: Any) -> None:
        super().node(name, None if label is None else safe_text(label), _attributes=_attributes, **_safe(attrs))

    def edge(self, tail_name: str, head_name: str, label: str | None = None, _attributes: Any = None,
             **attrs: Any) -> None:
        super().edge(tail_name, head_name, None if label is None else safe_text(label), _attributes=_attributes,
                     **_safe(attrs))

    def attr(self, kw: str | None = None, _attributes: Any = None, **attrs: Any) -> None:
        super().attr(kw, _attributes=_attributes, **_safe(attrs))


def _safe(attrs: dict[str, Any]) -> dict[str, Any]:
    return {key: safe_text(value) if key in _TEXT_ATTRIBUTES and isinstance(value, str) else value
            for key, value in attrs.items()}


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class SubnetFacts:
    """What the diagram says about a subnet: where it is, whether it is public, how full it is."""

    vpc: str
    name: str
    az: str
    cidr: str
    public: bool
    free_addresses: int
    route_table: str
    network_acl: str
    aws_id: str | None = None
    #: the subnet's Name tag, when it has one that differs from its name
    tag_name: str | None = None
    ipv6_cidr: str | None = None
    #: the transit gateway attachments that place an interface in this subnet (``hub/prod``)
    attachments: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # "route table" / "NACL" when the design names one that does not exist


@dataclass
class _Resource:
    """One drawn thing inside a subnet (an ENI, a NAT gateway...)."""

    node_id: str
    kind: str
    label: str
    addresses: int = 1


@dataclass
class _Facts:
    """Everything derived from the design (and the network, when given) that drawing needs."""

    subnets: dict[str, SubnetFacts] = field(default_factory=dict)  # node id → facts
    resources: dict[str, list[_Resource]] = field(default_factory=lambda: defaultdict(list))  # subnet node id → items
    load_balancers: dict[str, list[_Resource]] = field(default_factory=lambda: defaultdict(list))  # VPC → its LBs
    lb_interfaces: dict[str, str] = field(default_factory=dict)  # an LB's ENI node id → the LB's node id
    hidden_addresses: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # subnet node id → LB ENIs
    located: dict[str, str] = field(default_factory=dict)  # resource node id → subnet node id
    design: Any = None
    network: Any = None  # the built network, whose resolved route tables are drawn; None if it was refused
    routes: dict[tuple[str, str], list["DrawnRoute"]] = field(default_factory=dict)  # (VPC, table) → routes


@dataclass(frozen=True)
class DrawnRoute:
    """A route as drawn: its destination, its target as named, and the network node it leads to.

    ``node`` is None for a blackhole route or a target that does not exist; ``active`` is False
    for a route that carries nothing (blackhole, RT-10; a NAT gateway not available; a peering not
    active), as the network resolved it.
    """

    destination: str
    target: str
    node: str | None
    kind: str
    active: bool


def _subnet_node(vpc: str, subnet: str) -> str:
    return f"subnet:{vpc}/{subnet}"


def _subnet_ref(design: Design, vpc: str, ref: str | None) -> str | None:
    if ref is None:
        return None
    found = resolve.find_in_vpc(design, vpc, "subnets", ref)
    return found.name if found else None


def _route_table_of(vpc: Vpc, subnet_name: str) -> str:
    subnet = vpc.subnets[subnet_name]
    wanted = subnet.route_table or vpc.main_route_table
    return resolve.find_in(vpc.route_tables, wanted) or wanted


def _nacl_of(vpc: Vpc, subnet_name: str) -> str:
    subnet = vpc.subnets[subnet_name]
    wanted = subnet.network_acl or vpc.default_network_acl
    return resolve.find_in(vpc.network_acls, wanted) or wanted


def _is_public(design: Design, vpc_name: str, route_table: str) -> bool:
    """SUB-06: a subnet is public when its route table has a route whose target is an internet gateway."""
    table = design.vpcs[vpc_name].route_tables.get(route_table)
    if table is None:
        return False
    for route in table.routes:
        target = resolve.route_target(design, vpc_name, route.target)
        if target is not None and target.kind == "internet_gateway" and route.state == "active":
            return True
    return False


def _first(addresses: list[Any]) -> str | None:
    """The first of a resource's IPv6 addresses, with how many more it has."""
    if not addresses:
        return None
    return str(addresses[0]) + (f" (+{len(addresses) - 1} IPv6)" if len(addresses) > 1 else "")


def _ip(value: Any) -> str | None:
    return None if value is None or isinstance(value, bool) else str(value)


def _collect_resources(design: Design, facts: _Facts) -> None:
    """Place every interface-owning resource in its subnet, with the network's node id."""
    for vpc_name, vpc in design.iter_vpcs():
        def put(subnet_ref: str | None, node_id: str, kind: str, label: str, addresses: int = 1) -> str | None:
            subnet = _subnet_ref(design, vpc_name, subnet_ref)
            if subnet is None:
                return None
            facts.resources[_subnet_node(vpc_name, subnet)].append(_Resource(node_id, kind, label, addresses))
            return subnet

        for name, nat in sorted(vpc.nat_gateways.items()):
            kind_word = "NAT gateway" if nat.connectivity == "public" else "private NAT gateway"
            public = _ip(nat.elastic_ip) or ("EIP" if nat.connectivity == "public" else None)
            state = None if nat.state == "available" else nat.state
            put(nat.subnet, f"nat:{vpc_name}/{name}", "nat", _label(*_titled(name, nat), kind_word, _ip(nat.private_ip), public, state))
        for name, instance in sorted(vpc.instances.items()):
            public = _ip(instance.elastic_ip) or _ip(instance.public_ip)
            if public is None and instance.public_ip is True:
                public = "public IP"
            state = None if instance.state == "running" else instance.state
            put(instance.subnet, f"eni:{vpc_name}/{name}", "instance",
                _label(*_titled(name, instance), "EC2 instance", _ip(instance.private_ip), _first(instance.ipv6_addresses),
                       public, state),
                1 + len(instance.secondary_private_ips))
        for name, eni in sorted(vpc.network_interfaces.items()):
            attached = f"on {eni.instance}" if eni.instance else None
            put(eni.subnet, f"eni:{vpc_name}/{name}", "eni",
                _label(*_titled(name, eni), "ENI", attached, _ip(eni.private_ip), _first(eni.ipv6_addresses),
                       _ip(eni.elastic_ip) or _ip(eni.public_ip)),
                1 + len(eni.secondary_private_ips))
        for name, lb in sorted(vpc.load_balancers.items()):
            # One node per load balancer (it spans subnets and AZs), drawn on the VPC's level;
            # its interfaces still take an address in each of its subnets (SUB-04).
            subnets = []
            for subnet_ref in lb.subnets:
                subnet = _subnet_ref(design, vpc_name, subnet_ref)
                if subnet is None:
                    continue
                subnets.append(subnet)
                node = f"eni:{vpc_name}/{name}@{subnet}"
                facts.lb_interfaces[node] = f"lb:{vpc_name}/{name}"
                facts.hidden_addresses[_subnet_node(vpc_name, subnet)] += 1
            facts.load_balancers[vpc_name].append(_Resource(f"lb:{vpc_name}/{name}", "lb", _lb_label(name, lb, subnets)))
        for name, rds in sorted(vpc.rds_instances.items()):
            subnet_ref = rds.subnet
            group_line = None
            if subnet_ref is None:
                group_name = resolve.find_in(vpc.db_subnet_groups, rds.subnet_group) if rds.subnet_group else None
                group = vpc.db_subnet_groups.get(group_name or "")
                subnet_ref = group.subnets[0] if group and group.subnets else None
                if group is not None:
                    # Drawn in the group's first subnet; the group says where else AWS may place it.
                    group_line = f"DB subnet group {group_name}: {', '.join(group.subnets)}"
            extra = "multi-AZ (standby in another AZ)" if rds.multi_az else None
            put(subnet_ref, f"eni:{vpc_name}/{name}", "rds",
                _label(*_titled(name, rds), f"RDS {rds.engine} :{rds.port}", _ip(rds.private_ip), extra, group_line))
        for name, endpoint in sorted(vpc.endpoints.items()):
            if endpoint.type == "gateway":
                continue
            service = endpoint.service.rsplit(".", 1)[-1]
            for index, subnet_ref in enumerate(endpoint.subnets):
                subnet = _subnet_ref(design, vpc_name, subnet_ref)
                if subnet is None:
                    continue
                ip = _ip(endpoint.private_ips[index]) if index < len(endpoint.private_ips) else None
                kind_word = "GWLB endpoint" if endpoint.type == "gateway_load_balancer" else "interface endpoint"
                put(subnet, f"eni:{vpc_name}/{name}@{subnet}", "endpoint", _label(*_titled(name, endpoint), f"{service} {kind_word}", ip))
        for name, function in sorted(vpc.lambda_functions.items()):
            for subnet_ref in function.subnets:
                subnet = _subnet_ref(design, vpc_name, subnet_ref)
                if subnet is not None:
                    put(subnet, f"eni:{vpc_name}/{name}@{subnet}", "eni", _label(*_titled(name, function), "Lambda"))
        for name, target in sorted(vpc.efs_mount_targets.items()):
            put(target.subnet, f"eni:{vpc_name}/{name}", "eni", _label(*_titled(name, target), "EFS mount target", _ip(target.private_ip)))


def _lb_label(name: str, lb: Any, subnets: list[str]) -> str:
    kind_word = "ALB" if lb.type == "application" else "NLB"
    scheme = "internet-facing" if lb.scheme == "internet-facing" else "internal"
    listeners = ", ".join(f"{listener.protocol} {listener.port}" for listener in lb.listeners)
    return _label(*_titled(name, lb), f"{kind_word} ({scheme})", f"in {', '.join(subnets)}" if subnets else "in no subnet",
                  f"listeners {listeners}" if listeners else "no listeners")


def _network_attrs(network: Any, node_id: str) -> dict[str, Any]:
    graph = getattr(network, "graph", None)
    if graph is None or node_id not in graph:
        return {}
    return dict(graph.nodes[node_id])


def _network_ips(network: Any, node_id: str) -> list[str]:
    interfaces = getattr(network, "interfaces", None) or {}
    interface = interfaces.get(node_id)
    if interface is None:
        return []
    return [str(ip) for ip in getattr(interface, "private_ips", []) or []]


def _gather(design: Design, network: Any = None) -> _Facts:
    facts = _Facts(design=design, network=network)
    _collect_resources(design, facts)
    attached: dict[str, list[str]] = defaultdict(list)
    for attachment in vpc_attachments(facts):
        for subnet_node in attachment.subnets:
            attached[subnet_node].append(f"{attachment.tgw}/{attachment.name}")
    for vpc_name, vpc in design.iter_vpcs():
        for name, subnet in sorted(vpc.subnets.items()):
            node = _subnet_node(vpc_name, name)
            table, nacl = _route_table_of(vpc, name), _nacl_of(vpc, name)
            attrs = _network_attrs(network, node)
            used = sum(item.addresses for item in facts.resources.get(node, [])) + facts.hidden_addresses.get(node, 0)
            size = IPNetwork(str(subnet.cidr)).size
            # The network's own facts when it has them (it counts every interface it allocates).
            free = attrs["free_addresses"] if "free_addresses" in attrs else max(size - RESERVED_PER_SUBNET - used, 0)
            public = attrs["public"] if "public" in attrs else _is_public(design, vpc_name, table)
            facts.subnets[node] = SubnetFacts(
                vpc=vpc_name, name=name, az=subnet.az, cidr=str(subnet.cidr), public=bool(public),
                free_addresses=int(free), route_table=table, network_acl=nacl, aws_id=subnet.id,
                tag_name=next(iter(_titled(name, subnet)[:-1]), None),
                ipv6_cidr=str(subnet.ipv6_cidr) if subnet.ipv6_cidr is not None else None,
                attachments=tuple(attached.get(node, ())),
                missing=tuple(word for word, found in (("route table", table in vpc.route_tables),
                                                       ("NACL", nacl in vpc.network_acls)) if not found),
            )
    facts.located = {item.node_id: subnet for subnet, items in facts.resources.items() for item in items}
    if network is not None:
        # The network allocates the addresses the design leaves out; show them.
        for items in facts.resources.values():
            for item in items:
                ips = _network_ips(network, item.node_id)
                if ips and ips[0] not in item.label:
                    lines = item.label.split("\n")
                    item.label = "\n".join([*lines[:2], ips[0], *lines[2:]])
    return facts


def network_of(design: Design) -> Any:
    """The design's network (derived public subnets, free addresses, allocated IPs), or None.

    A design the network builder refuses (an ``InputError``) is still drawn, from the design
    alone, so that a diagram can help find what is wrong with it.

    >>> network_of(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}})).graph.has_node("vpc:p")
    True
    """
    try:
        return build_network(design)
    except InputError:
        return None


def resource_subnets(design: Design, network: Any = None) -> dict[str, str]:
    """Resource node id → the node id of the subnet it is drawn in (ENIs, NAT gateways...).

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}},
    ...     "instances": {"web-1": {"subnet": "a"}}}}})
    >>> resource_subnets(d)
    {'eni:p/web-1': 'subnet:p/a'}
    """
    network = network if network is not None else network_of(design)
    facts = _gather(design, network)
    located = {item.node_id: subnet for subnet, items in sorted(facts.resources.items()) for item in items}
    for interface in sorted(facts.lb_interfaces):
        vpc, _, rest = interface[len("eni:"):].partition("/")
        located[interface] = _subnet_node(vpc, rest.rpartition("@")[2])
    return dict(sorted(located.items()))


def shown_as(design: Design, network: Any = None) -> dict[str, str]:
    """Network node id → the drawn node that shows it in the detailed view, where that is another node.

    A resource's interface is shown by its subnet when the resource is not drawn, and a load
    balancer's per-subnet interface by the load balancer's one node.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}},
    ...     "load_balancers": {"web": {"subnets": ["a"]}}}}})
    >>> shown_as(d)
    {'eni:p/web@a': 'lb:p/web'}
    """
    network = network if network is not None else network_of(design)
    facts = _gather(design, network)
    shown = {item.node_id: subnet for subnet, items in facts.resources.items() for item in items}
    shown.update(facts.lb_interfaces)
    return dict(sorted(shown.items()))


def subnet_facts(design: Design, network: Any = None) -> dict[str, SubnetFacts]:
    """Per subnet node id: AZ, CIDR, public (SUB-06, derived from routes), free addresses (SUB-04).

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "pub"}},
    ...     "route_tables": {"pub": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}}}}})
    >>> f = subnet_facts(d)["subnet:p/a"]
    >>> f.public, f.free_addresses
    (True, 251)
    """
    return _gather(design, network if network is not None else network_of(design)).subnets


# --------------------------------------------------------------------------- route targets


def routes_of(facts: _Facts, vpc_name: str, table_name: str) -> list[DrawnRoute]:
    """The routes of a VPC's route table other than the local one, as the built network resolved them.

    A design the network builder refuses is drawn from the design alone (the same resolver the
    builder uses), so that its diagram can still show what is wrong.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw",
    ...     "route_tables": {"pub": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}}}}})
    >>> [(r.destination, r.node, r.active) for r in routes_of(_gather(d, network_of(d)), "p", "pub")]
    [('0.0.0.0/0', 'igw:p/igw', True)]
    """
    key = (vpc_name, table_name)
    if key not in facts.routes:
        compiled = (getattr(facts.network, "route_tables", None) or {}).get(f"rtb:{vpc_name}/{table_name}")
        if compiled is not None:
            facts.routes[key] = [
                DrawnRoute(route.destination, route.target_name,
                           None if route.target_kind == "blackhole" or route.target.startswith("missing:") else route.target,
                           route.target_kind, route.active)
                for route in compiled.routes if route.target_kind != "local"]
        else:
            facts.routes[key] = _design_routes(facts.design, vpc_name, table_name)
    return facts.routes[key]


_NODE_PREFIX = {"internet_gateway": "igw", "egress_only_internet_gateway": "eigw", "vpn_gateway": "vgw",
                "nat_gateway": "nat", "network_interface": "eni", "instance": "eni", "vpc_endpoint": "vpce"}


def _design_routes(design: Design, vpc_name: str, table_name: str) -> list[DrawnRoute]:
    """A route table's routes resolved from the design alone (for a design the builder refuses)."""
    table = design.vpcs[vpc_name].route_tables.get(table_name)
    found = []
    for route in table.routes if table is not None else []:
        ref = resolve.route_target(design, vpc_name, route.target)
        if ref is not None and ref.kind == "local":
            continue
        node = None
        if ref is None or ref.kind == "blackhole":
            pass
        elif ref.kind in _NODE_PREFIX:
            node = f"{_NODE_PREFIX[ref.kind]}:{ref.vpc}/{ref.name}"
        elif ref.kind == "transit_gateway":
            node = f"tgw:{ref.name}"
        elif ref.kind == "peering_connection":
            node = f"pcx:{ref.name}"
        kind = "blackhole" if ref is None else "network_interface" if ref.kind == "instance" else ref.kind
        found.append(DrawnRoute(str(route.destination), str(route.target), node, kind,
                                node is not None and route.state != "blackhole"))
    return found


@dataclass(frozen=True)
class DrawnAttachment:
    """A transit gateway's VPC attachment as drawn: the subnets (node ids) that hold it, its TGW route table."""

    tgw: str
    name: str
    vpc: str
    subnets: tuple[str, ...]
    route_table: str | None
    state: str


def vpc_attachments(facts: _Facts) -> list[DrawnAttachment]:
    """Every transit gateway's VPC attachments, as the built network resolved them (from the design
    alone for a design the builder refuses), hub by hub.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}}}},
    ...     "transit_gateways": {"hub": {"attachments": {"p-att": {"vpc": "p", "subnets": ["a"]}}}}})
    >>> vpc_attachments(_gather(d, network_of(d)))
    [DrawnAttachment(tgw='hub', name='p-att', vpc='p', subnets=('subnet:p/a',), route_table=None, state='available')]
    """
    hubs = getattr(facts.network, "transit_gateways", None)
    design = facts.design
    if hubs is not None:
        def table(hub: Any, attachment: Any) -> str | None:
            if attachment.route_table:
                return attachment.route_table.split("/", 1)[1]
            # Associated with a route table the hub does not have: say so rather than name nothing.
            written = getattr(design.transit_gateways.get(hub.name, None), "attachments", {}).get(attachment.name)
            return f"{written.route_table} (missing)" if written is not None and written.route_table else None

        return [DrawnAttachment(hub.name, attachment.name, attachment.vpc, tuple(attachment.subnets),
                                table(hub, attachment), attachment.state)
                for _, hub in sorted(hubs.items()) for _, attachment in sorted(hub.attachments.items())
                if attachment.type == "vpc" and attachment.vpc]
    found = []
    for tgw_name, tgw in sorted(design.transit_gateways.items()):
        for att_name, attachment, vpc_name in resolve.vpc_attachments(design, tgw):
            subnets = (_subnet_ref(design, vpc_name, ref) for ref in attachment.subnets)
            found.append(DrawnAttachment(tgw_name, att_name, vpc_name,
                                         tuple(_subnet_node(vpc_name, name) for name in subnets if name is not None),
                                         attachment.route_table, attachment.state))
    return found


def _target_node(facts: _Facts, vpc_name: str, route: DrawnRoute, view: str) -> tuple[str | None, str]:
    """The drawn node a route leads to, and a word for the edge label."""
    node = route.node
    if node is None:
        return None, route.target
    design = facts.design
    kind, _, rest = node.partition(":")
    if kind == "pcx":
        pcx = design.peering_connections.get(rest)
        ends = [design.find_vpc(pcx.requester), design.find_vpc(pcx.accepter)] if pcx is not None else []
        if not any(end and end != vpc_name for end in ends):
            return None, route.target
        # A peering starts at the VPC's own router, which says what it sends over it.
        return f"router:{vpc_name}", f"via {route.target}"
    if kind == "vpce":
        endpoint_vpc, _, name = rest.partition("/")
        endpoint = design.vpcs[endpoint_vpc].endpoints.get(name) if endpoint_vpc in design.vpcs else None
        if endpoint is not None and endpoint.type != "gateway":
            # An endpoint with interfaces (a GWLB endpoint) is drawn in its first subnet.
            first = _subnet_ref(design, endpoint_vpc, endpoint.subnets[0]) if endpoint.subnets else None
            node = f"eni:{endpoint_vpc}/{name}@{first}" if first else node
    if view == "subnets" and node in facts.located:
        # In the subnets view resources are not drawn: point at the subnet that holds them.
        return facts.located[node], f"via {route.target}"
    return node, ""


def _default_route(facts: _Facts, vpc_name: str, table_name: str) -> DrawnRoute | None:
    """The table's default route: IPv4 0.0.0.0/0 first, else IPv6 ::/0 (the one that wins its prefix)."""
    routes = routes_of(facts, vpc_name, table_name)
    for wanted in ("0.0.0.0/0", "::/0"):
        for route in routes:
            if route.destination == wanted:
                return route
    return None


# --------------------------------------------------------------------------- building


@dataclass
class _Builder:
    design: Design
    view: str
    facts: _Facts
    graph: graphviz.Digraph
    drawn: set[str] = field(default_factory=set)
    routers: set[str] = field(default_factory=set)
    by_vpc: dict[str, list[SubnetFacts]] = field(default_factory=dict)
    network: Any = None
    kinds: set[str] = field(default_factory=set)  # node and edge kinds drawn, for the legend
    attachments: list[DrawnAttachment] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.attachments = vpc_attachments(self.facts)
        for facts in self.facts.subnets.values():
            self.by_vpc.setdefault(facts.vpc, []).append(facts)

    def node(self, where: graphviz.Digraph, node_id: str, label: str, kind: str, **attrs: str) -> None:
        merged = {**style.NODES.get(kind, {}), **attrs}
        where.node(dot_id(node_id), label, id=node_id, **merged)
        if isinstance(self.graph, SafeDigraph):
            self.graph.labels[node_id] = label
        self.drawn.add(node_id)
        self.kinds.add(kind)

    def edge(self, tail: str, head: str, kind: str, label: str | None = None, **attrs: str) -> None:
        merged = {**style.EDGES.get(kind, {}), **attrs}
        if label:
            merged = {"label": label, **merged}
        self.graph.edge(dot_id(tail), dot_id(head), **merged)
        self.kinds.add(f"edge:{kind}")
        if attrs.get("style") == "dashed" and kind in ("peering", "tgw-attachment"):
            self.kinds.add("edge:inactive")


def _titled(name: str, resource: Any) -> tuple[str, ...]:
    """The title lines of a resource: its Name tag, then the name or id it is known by when that differs.

    >>> from vpckit.model import Vpc
    >>> _titled("vpc-0a1b", Vpc.model_validate({"cidr": "10.0.0.0/16", "tags": {"Name": "prod"}})), _titled("p", None)
    (('prod', 'vpc-0a1b'), ('p',))
    """
    tag = (getattr(resource, "tags", None) or {}).get("Name")
    return (tag, name) if isinstance(tag, str) and tag.strip() and tag != name else (name,)


def _vpc_label(name: str, vpc: Vpc) -> str:
    cidrs = ", ".join(str(c) for c in [*vpc.cidrs, *vpc.ipv6_cidrs])
    titled = _titled(name, vpc)
    known_as = titled[1] if len(titled) > 1 else vpc.id if vpc.id and vpc.id != name else None
    return _label(f"VPC {titled[0]}" + (f" ({known_as})" if known_as else ""), cidrs)


def _vpc_summary(name: str, vpc: Vpc, subnets: list[SubnetFacts]) -> str:
    azs = len({f.az for f in subnets})
    public = sum(1 for f in subnets if f.public)
    gateways = []
    if vpc.internet_gateways:
        gateways.append("IGW")
    if vpc.nat_gateways:
        gateways.append(f"{len(vpc.nat_gateways)} NAT")
    if vpc.vpn_gateways:
        gateways.append("VGW")
    if vpc.egress_only_internet_gateways:
        gateways.append("EIGW")
    cidrs = ", ".join(str(c) for c in [*vpc.cidrs, *vpc.ipv6_cidrs])
    counts = f"{len(subnets)} subnets ({public} public) in {azs} AZs" if subnets else "no subnets"
    return _label(name, cidrs, counts, ", ".join(gateways) or None)


def _free_text(count: int) -> str:
    return f"{count} free address" + ("" if count == 1 else "es")


def _subnet_text(facts: SubnetFacts) -> str:
    kind = "public" if facts.public else "private"
    table = facts.route_table + (" (missing)" if "route table" in facts.missing else "")
    nacl = facts.network_acl + (" (missing)" if "NACL" in facts.missing else "")
    return _label(f"{facts.cidr}, {kind}", facts.ipv6_cidr, _free_text(facts.free_addresses),
                  f"route table {table}, NACL {nacl}",
                  f"transit gateway attachment {', '.join(facts.attachments)}" if facts.attachments else None)


def _edge_nodes(b: _Builder, box: graphviz.Digraph, vpc_name: str, vpc: Vpc) -> None:
    """Gateways drawn on the VPC's edge: one row along the top of the VPC's box, outside every AZ
    (Graphviz cannot put a node on a box's border; this row is the nearest to it)."""
    with box.subgraph() as where:
        where.attr(rank="same")
        _gateway_row(b, where, vpc_name, vpc)
    if b.view == "detailed":
        for item in b.facts.load_balancers.get(vpc_name, []):
            b.node(box, item.node_id, item.label, item.kind)


def _gateway_row(b: _Builder, where: graphviz.Digraph, vpc_name: str, vpc: Vpc) -> None:
    for name in sorted(vpc.internet_gateways):
        b.node(where, f"igw:{vpc_name}/{name}", _label(*_titled(name, vpc.internet_gateways[name]), "internet gateway"), "igw")
    for name in sorted(vpc.egress_only_internet_gateways):
        b.node(where, f"eigw:{vpc_name}/{name}", _label(*_titled(name, vpc.egress_only_internet_gateways[name]), "egress-only IGW (IPv6)"), "eigw")
    for name in sorted(vpc.vpn_gateways):
        b.node(where, f"vgw:{vpc_name}/{name}", _label(*_titled(name, vpc.vpn_gateways[name]), "VPN gateway"), "vgw")
    for name, endpoint in sorted(vpc.endpoints.items()):
        if endpoint.type == "gateway":
            service = endpoint.service.rsplit(".", 1)[-1]
            b.node(where, f"vpce:{vpc_name}/{name}", _label(name, f"{service} gateway endpoint"), "vpce")
    for attachment in b.attachments:
        if attachment.vpc != vpc_name:
            continue
        state = None if attachment.state == "available" else attachment.state
        table = f"TGW route table {attachment.route_table}" if attachment.route_table else None
        b.node(where, _attachment_node(attachment.tgw, attachment.name),
               _label(attachment.name, f"attachment to {attachment.tgw}", table, state),
               "tgw-attachment", **({} if state is None else {"style": "rounded,dashed"}))
    if f"router:{vpc_name}" in b.routers:
        # What it routes over its peerings, or that it routes nothing over them (a peering no
        # route table uses carries nothing: worth seeing in a review).
        routes = _peering_routes(b.facts, vpc_name) or ["no routes over its peerings"]
        b.node(where, f"router:{vpc_name}", _label("VPC router", *routes), "router")


def _attachment_node(tgw_name: str, attachment: str) -> str:
    """The network's node id of a transit gateway attachment."""
    return f"tgw-attach:{tgw_name}/{attachment}"


def _attachment_in(b: _Builder, tgw_name: str, vpc_name: str) -> str | None:
    """The node of the attachment that joins ``vpc_name`` to transit gateway ``tgw_name``, if any."""
    for attachment in b.attachments:
        if attachment.tgw == tgw_name and attachment.vpc == vpc_name:
            return _attachment_node(tgw_name, attachment.name)
    return None


def _vpc_cluster(b: _Builder, region: graphviz.Digraph, vpc_name: str, vpc: Vpc) -> None:
    with region.subgraph(name=cluster_id("vpc", vpc_name)) as box:
        box.attr(label=_vpc_label(vpc_name, vpc), **style.CLUSTERS["vpc"])
        _edge_nodes(b, box, vpc_name, vpc)
        by_az: dict[str, list[SubnetFacts]] = defaultdict(list)
        for facts in b.by_vpc.get(vpc_name, []):
            by_az[facts.az].append(facts)
        for az in sorted(by_az):
            with box.subgraph(name=cluster_id("az", f"{vpc_name}/{az}")) as zone:
                zone.attr(label=az, **style.CLUSTERS["az"])
                ordered = sorted(by_az[az], key=lambda f: _stacking_key(b, f))
                for facts in ordered:
                    _subnet(b, zone, facts)
                # Stack an AZ's subnets top to bottom (public, then private with a default route,
                # then isolated) as AWS's reference diagrams do, with edges nobody sees; many subnets
                # in rows of a grid, each tier starting a row, so that the picture keeps its shape.
                rows = _grid(ordered, lambda f: _stacking_key(b, f)[0])
                for row in rows:
                    # A row's subnets on one rank: unseen edges of length 0 both ways between neighbours
                    # (a rank=same subgraph cannot hold nodes of different clusters).
                    for left, right in zip(row, row[1:]):
                        ends = dot_id(_subnet_node(left.vpc, left.name)), dot_id(_subnet_node(right.vpc, right.name))
                        box.edge(*ends, style="invis", minlen="0")
                        box.edge(*reversed(ends), style="invis", minlen="0")
                for above, row in zip(rows, rows[1:]):
                    for column, lower in enumerate(row):
                        upper = above[min(column, len(above) - 1)]
                        for bottom in _bottom_nodes(b, upper):
                            box.edge(dot_id(bottom), dot_id(_subnet_node(lower.vpc, lower.name)), style="invis")
        if len(by_az) > 1:
            _order_zones(b, box, vpc_name, by_az)
        _blackholes(b, box, vpc_name)


#: Up to this many subnets an AZ is one column; more are laid out in rows of a grid.
GRID_FROM = 6


def _grid(ordered: list[SubnetFacts], tier_of: Callable[[SubnetFacts], int]) -> list[list[SubnetFacts]]:
    """An AZ's subnets (in stacking order) as the rows they are drawn in: up to :data:`GRID_FROM` subnets
    a row per tier, else rows of about the square root of their number, each tier starting a new row.

    >>> [len(row) for row in _grid(list(range(5)), lambda f: f // 3)], [len(row) for row in _grid(list(range(10)), lambda f: f // 7)]
    ([3, 2], [4, 3, 3])
    """
    columns = GRID_FROM if len(ordered) <= GRID_FROM else math.ceil(math.sqrt(len(ordered)))
    rows: list[list[SubnetFacts]] = []
    for _, tier in itertools.groupby(ordered, key=tier_of):
        members = list(tier)
        rows += [members[i:i + columns] for i in range(0, len(members), columns)]
    return rows


#: A subnet's tier as drawn, by :func:`subnet_tier`: its row in an AZ, top to bottom.
TIERS = ("public", "private", "isolated")


def subnet_tier(facts: _Facts, subnet: SubnetFacts) -> int:
    """0 for a public subnet (SUB-06), 1 for a private one with a default route, 2 for an isolated one.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}}}}})
    >>> facts = _gather(d, network_of(d)); TIERS[subnet_tier(facts, facts.subnets["subnet:p/a"])]
    'isolated'
    """
    return 0 if subnet.public else 1 if _default_route(facts, subnet.vpc, subnet.route_table) else 2


def _stacking_key(b: _Builder, facts: SubnetFacts) -> tuple[int, int, str]:
    return subnet_tier(b.facts, facts), int(IPNetwork(facts.cidr).first), facts.name


def _order_zones(b: _Builder, box: graphviz.Digraph, vpc_name: str, by_az: dict[str, list[SubnetFacts]]) -> None:
    """Draw a VPC's AZs left to right in name order (a, b, c), as AWS does.

    Graphviz orders sibling boxes only to reduce edge crossings, so ties fall either way. One
    invisible point per AZ, in a row below the subnets whose order is fixed (edges within a rank
    run left to right), each tied to the bottom of its AZ, makes that order the only one without
    crossings. Measured on the bundled designs, the corpus and 40 generated ones, anchors below
    keep the order in every case but one; anchors above, or none, left 6 and 10 of 97 out of order.
    """
    zones = sorted(by_az)
    anchors = [dot_id(f"order:{vpc_name}/{az}") for az in zones]
    with box.subgraph() as row:
        row.attr(rank="same")
        for anchor in anchors:
            row.node(anchor, "", shape="point", style="invis", width="0", height="0")
    for left, right in zip(anchors, anchors[1:]):
        box.edge(left, right, style="invis")
    for anchor, az in zip(anchors, zones):
        for last in _last_row(b, by_az[az]):
            for bottom in _bottom_nodes(b, last):
                box.edge(dot_id(bottom), anchor, style="invis")


def _last_row(b: _Builder, members: list[SubnetFacts]) -> list[SubnetFacts]:
    """The subnets of an AZ's bottom row (:func:`_grid`)."""
    ordered = sorted(members, key=lambda f: _stacking_key(b, f))
    return _grid(ordered, lambda f: _stacking_key(b, f)[0])[-1]


def _vpc_bottoms(b: _Builder, vpc_name: str) -> list[str]:
    """The nodes at the bottom of a VPC: the row of points that orders its AZs (:func:`_order_zones`), or the
    bottom of its one AZ (tying each AZ's own bottom instead would compete with that order)."""
    by_az: dict[str, list[SubnetFacts]] = defaultdict(list)
    for facts in b.by_vpc.get(vpc_name, []):
        by_az[facts.az].append(facts)
    if len(by_az) > 1:
        return [f"order:{vpc_name}/{az}" for az in sorted(by_az)]
    return [node for members in by_az.values() for facts in _last_row(b, members) for node in _bottom_nodes(b, facts)]


def _bottom_nodes(b: _Builder, facts: SubnetFacts) -> list[str]:
    """The nodes at the bottom of a subnet's box: its resources, or the subnet's own node."""
    node = _subnet_node(facts.vpc, facts.name)
    if b.view == "subnets":
        return [node]
    return sorted(item.node_id for item in b.facts.resources.get(node, [])) or [node]


def _subnet(b: _Builder, zone: graphviz.Digraph, facts: SubnetFacts) -> None:
    node = _subnet_node(facts.vpc, facts.name)
    kind = "public" if facts.public else "private"
    colours = style.CLUSTERS[kind]
    b.kinds.add(kind)
    known_as = facts.name if facts.tag_name else facts.aws_id if facts.aws_id != facts.name else None
    title = (facts.tag_name or facts.name) + (f" ({known_as})" if known_as else "")
    if b.view == "subnets":
        b.node(zone, node, _label(title, _subnet_text(facts)), "subnet-box",
               color=colours["color"], fillcolor=colours["fillcolor"], fontcolor=colours["fontcolor"])
        return
    with zone.subgraph(name=cluster_id("subnet", f"{facts.vpc}/{facts.name}")) as box:
        box.attr(label=f"{title} ({kind} subnet)", **colours)
        b.node(box, node, _subnet_text(facts), "subnet", fontcolor=colours["fontcolor"])
        for item in sorted(b.facts.resources.get(node, []), key=lambda r: r.node_id):
            b.node(box, item.node_id, item.label, item.kind)
            # The subnet's facts sit under its title, its resources below them.
            box.edge(dot_id(node), dot_id(item.node_id), style="invis")


def _needs_router(design: Design) -> set[str]:
    """VPCs whose router anchors a peering connection (a transit gateway meets a VPC at its attachment)."""
    return {f"router:{vpc}" for pcx in design.peering_connections.values()
            for vpc in (design.find_vpc(pcx.requester), design.find_vpc(pcx.accepter)) if vpc}


def _peering_routes(facts: _Facts, vpc_name: str) -> list[str]:
    """What a VPC's router sends over peering connections: ``10.20.0.0/16 via app-data``, one line per peering."""
    by_peering: dict[str, set[str]] = defaultdict(set)
    for table_name in facts.design.vpcs[vpc_name].route_tables:
        for route in routes_of(facts, vpc_name, table_name):
            if route.kind == "peering_connection":
                by_peering[route.target].add(route.destination)
    return [f"{', '.join(sorted(cidrs))} via {name}" for name, cidrs in sorted(by_peering.items())]


def _peerings_in(design: Design, region: str | None) -> list[tuple[str, Any]]:
    """The peering connections drawn in ``region``'s box (both ends there); ``None``: those between regions."""
    found = []
    for pcx_name, pcx in sorted(design.peering_connections.items()):
        ends = [design.find_vpc(pcx.requester), design.find_vpc(pcx.accepter)]
        if None in ends:
            continue
        regions = {design.vpc_region(end) for end in ends}
        if (region is None and len(regions) > 1) or regions == {region}:
            found.append((pcx_name, pcx))
    return found


def _peering_label(name: str, pcx: Any) -> str:
    """The peering node's text: its name, its id beneath, its state when not active."""
    return _label(*_titled(name, pcx), "peering connection" if pcx.state == "active" else f"peering ({pcx.state})")


def _vpc_anchor(b: _Builder, vpc_name: str) -> str:
    """The node an inter-VPC edge attaches to: the VPC's box in the vpcs view, else its router."""
    return f"vpc:{vpc_name}" if b.view == "vpcs" else f"router:{vpc_name}"


def _connections(b: _Builder) -> None:
    design = b.design
    # Internet and on-premises links of the gateways on each VPC's edge.
    for vpc_name, vpc in design.iter_vpcs():
        if b.view == "vpcs":
            if vpc.internet_gateways or vpc.egress_only_internet_gateways:
                b.edge("internet", f"vpc:{vpc_name}", "gateway")  # the VPC's box names its gateways
            continue
        for name in sorted(vpc.internet_gateways):
            b.edge("internet", f"igw:{vpc_name}/{name}", "gateway")
        for name in sorted(vpc.egress_only_internet_gateways):
            b.edge("internet", f"eigw:{vpc_name}/{name}", "gateway", "IPv6 out")
    for name, onprem in sorted(design.on_premises.items()):
        via = onprem.via
        if via is None:
            continue
        for vpc_name, vpc in design.iter_vpcs():
            gateway = resolve.find_in(vpc.vpn_gateways, via)
            if gateway is not None:
                tail = f"vpc:{vpc_name}" if b.view == "vpcs" else f"vgw:{vpc_name}/{gateway}"
                b.edge(tail, f"onprem:{name}", "vpn", "VPN")
        for tgw_name, tgw in sorted(design.transit_gateways.items()):
            attachment = resolve.find_in(tgw.attachments, via)
            if attachment is not None:
                b.edge(f"tgw:{tgw_name}", f"onprem:{name}", "vpn", attachment)
    for pcx_name, pcx in sorted(design.peering_connections.items()):
        ends = [design.find_vpc(pcx.requester), design.find_vpc(pcx.accepter)]
        if None in ends or f"pcx:{pcx_name}" not in b.drawn:
            continue
        extra = {} if pcx.state == "active" else {"style": "dashed"}
        # Peerings do not rank VPCs: a chain of them would make the picture as deep as the chain
        # is long (minutes of layout for a large organisation), and ranked edges between
        # clusters make Graphviz's ranking fail ("trouble in init_rank") on some organisations.
        # Each end meets the peering's own node, drawn inside the AWS Cloud box, so the line and
        # its name stay inside it.
        for end in ends:
            b.edge(_vpc_anchor(b, end), f"pcx:{pcx_name}", "peering", None, **extra)
    for attachment in b.attachments:
        tgw_name, att_name, vpc_name = attachment.tgw, attachment.name, attachment.vpc
        anchor = f"vpc:{vpc_name}"
        label = att_name + (f"\nRT {attachment.route_table}" if attachment.route_table else "")
        extra = {} if attachment.state == "available" else {"style": "dashed"}
        # Written VPC → hub so that transit gateways rank below the VPCs they join.
        if b.view == "vpcs":
            b.edge(anchor, f"tgw:{tgw_name}", "tgw-attachment", label, **extra)
        else:
            # The attachment is a node inside its VPC that carries its own label, so nothing
            # about one VPC is written between two others.
            b.edge(_attachment_node(tgw_name, att_name), f"tgw:{tgw_name}", "tgw-attachment", None, **extra)
            # The hub below every VPC it joins: its edges then leave each VPC downwards, never across another.
            for bottom in _vpc_bottoms(b, vpc_name):
                b.graph.edge(dot_id(bottom), dot_id(f"tgw:{tgw_name}"), style="invis")
    if b.view == "vpcs":
        return
    _load_balancer_edges(b)
    # One edge per subnet: its default route (private subnet → NAT gateway, public subnet → IGW).
    for node, facts in sorted(b.facts.subnets.items()):
        default = _default_route(b.facts, facts.vpc, facts.route_table)
        if default is None:
            continue
        destination = default.destination
        head, word = _target_node(b.facts, facts.vpc, default, b.view)
        if head is None or not default.active:
            head, word = _blackhole_id(facts), ""
        elif head.startswith("tgw:"):
            # A route to a transit gateway leaves the VPC through the VPC's attachment: the edge
            # stays inside the VPC's box and names the hub.
            head, word = _attachment_in(b, head[len("tgw:"):], facts.vpc) or head, f"to {head[len('tgw:'):]}"
        if head not in b.drawn or head == node:
            continue
        inside = b.facts.located.get(head) == node
        attrs = {} if b.view == "subnets" or inside else {"lhead": cluster_id("subnet", f"{facts.vpc}/{facts.name}")}
        if head.startswith("tgw:"):
            # An attachment that is not drawn: do not let the route pull the hub above the subnets.
            attrs["constraint"] = "false"
        elif _zone_of(b, head) not in (None, facts.az):
            # A route to a NAT gateway in another AZ: ranking by it would pull the two AZs into
            # one column and undo their a, b, c order.
            attrs["constraint"] = "false"
        # Written target → subnet with dir=back so that the target ranks above the subnet
        # (internet at the top, then gateways, public subnets, private subnets).
        b.edge(head, node, "default-route", f"{destination} {word}".strip(), dir="back", **attrs)
    if b.view == "detailed":
        _other_routes(b)


def _other_routes(b: _Builder) -> None:
    """One dotted edge per subnet and target for the routes other than the local and the default one, labelled
    with their destinations (``::/0`` to an egress-only gateway, a peer VPC's CIDR, a prefix list...)."""
    design = b.design
    for node, facts in sorted(b.facts.subnets.items()):
        default = _default_route(b.facts, facts.vpc, facts.route_table)
        by_target: dict[str, list[str]] = defaultdict(list)
        for route in routes_of(b.facts, facts.vpc, facts.route_table):
            if default is not None and route.destination == default.destination:
                continue
            head, _ = _target_node(b.facts, facts.vpc, route, b.view)
            if head is None or not route.active:
                continue  # a blackhole, or a target that carries nothing (another VPC's, RT-05): not drawn as if it worked
            if head.startswith("tgw:"):
                head = _attachment_in(b, head[len("tgw:"):], facts.vpc)
            if head is not None and head in b.drawn and head != node and route.destination not in by_target[head]:
                by_target[head].append(route.destination)  # once, when a propagated route repeats a static one
        for head, destinations in sorted(by_target.items()):
            shown = ", ".join(destinations[:3]) + (f" (+{len(destinations) - 3})" if len(destinations) > 3 else "")
            inside = b.facts.located.get(head) == node
            attrs = {} if inside else {"lhead": cluster_id("subnet", f"{facts.vpc}/{facts.name}")}
            if _zone_of(b, head) is None:
                # A gateway, attachment or router of the VPC ranks above the subnet as its default
                # route's target does (an unranked edge between them made graphviz-pure lose it).
                attrs["constraint"] = "true"
            b.edge(head, node, "route", shown, dir="back", **attrs)


def _zone_of(b: _Builder, node: str) -> str | None:
    """The AZ of a subnet node or of a resource drawn in a subnet; None for VPC-level nodes."""
    subnet = b.facts.subnets.get(b.facts.located.get(node, node))
    return subnet.az if subnet else None


def _lb_targets(b: _Builder, vpc_name: str, lb_name: str) -> list[tuple[str, str]]:
    """(drawn target node, "PROTOCOL port") for every registered target of a load balancer's listeners."""
    vpc = b.design.vpcs[vpc_name]
    lb = vpc.load_balancers[lb_name]
    found: dict[str, set[str]] = defaultdict(set)
    for listener in lb.listeners:
        group_name = resolve.find_in(vpc.target_groups, listener.target_group) if listener.target_group else None
        group = vpc.target_groups.get(group_name or "")
        if group is None:
            continue
        for target in group.targets:
            node = _target_interface(b, vpc_name, target)
            if node is not None and node in b.drawn:
                found[node].add(f"{group.protocol} {group.port}")
    return [(node, ", ".join(sorted(ports))) for node, ports in sorted(found.items())]


def _target_interface(b: _Builder, vpc_name: str, target: str) -> str | None:
    """The interface node of a target group's target (an instance name or id, or an IP address)."""
    if b.network is not None:
        text = target if "/" in target or looks_like_address(target) else f"{vpc_name}/{target}"
        for attempt in (text, target):
            try:
                endpoint = b.network.resolve_endpoint(attempt)
            except QueryError:
                continue
            return endpoint.node if endpoint.kind == "interface" else None
        return None
    name = resolve.find_in(b.design.vpcs[vpc_name].instances, target)
    return f"eni:{vpc_name}/{name}" if name else None


def _load_balancer_edges(b: _Builder) -> None:
    """A load balancer's node → each of its targets, labelled with the target group's protocol and port."""
    for vpc_name, items in sorted(b.facts.load_balancers.items()):
        for item in items:
            if item.node_id not in b.drawn:
                continue
            for node, ports in _lb_targets(b, vpc_name, item.node_id.rpartition("/")[2]):
                b.edge(item.node_id, node, "lb-target", ports)


def _legend(b: _Builder) -> None:
    """A key to the colours and lines the diagram uses (only those it uses), outside the AWS Cloud box."""
    label = legend_label(b.kinds)
    if label:
        b.graph.node("legend", label, id="legend", shape="plaintext", margin="0")


def legend_label(kinds: Iterable[str], title: str = "Legend") -> str:
    """An HTML-like table that explains each of ``kinds`` drawn (see ``style.LEGEND``); "" if none.

    One compact table (a sample, then what it means) rather than a box of drawn samples, which
    Graphviz would spread over as many ranks as it has rows.

    >>> "public subnet" in legend_label({"public", "edge:peering"})
    True
    >>> legend_label(set())
    ''
    """
    kinds = set(kinds)
    rows = [_legend_row(kind, text) for kind, text in style.LEGEND if kind in kinds]
    if not rows:
        return ""
    colour = style.CLUSTERS["legend"]["color"]
    head = f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{html.escape(title)}</B></TD></TR>'
    return Html(f'<<TABLE BORDER="1" COLOR="{colour}" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">'
            f'{head}{"".join(rows)}</TABLE>>')


def _legend_row(kind: str, text: str) -> str:
    meaning = f'<TD ALIGN="LEFT"><FONT POINT-SIZE="9">{html.escape(text)}</FONT></TD>'
    if kind.startswith("edge:"):
        attrs = {**style.EDGE, **style.EDGES.get(kind[len("edge:"):], {}), **style.LEGEND_SAMPLES.get(kind, {})}
        line = html.escape(_line_sample(attrs))
        sample = f'<FONT COLOR="{attrs.get("color", style.MUTED)}" POINT-SIZE="9"><B>{line}</B></FONT>'
        return f'<TR><TD ALIGN="CENTER">{sample}</TD>{meaning}</TR>'
    attrs = {**style.NODES.get(kind, {}), **style.LEGEND_SAMPLES.get(kind, {})}
    fill = attrs.get("fillcolor", "#FFFFFF")
    border = attrs.get("color", style.MUTED)
    word = html.escape(style.LEGEND_WORDS.get(kind, kind))
    return (f'<TR><TD BORDER="2" COLOR="{border}" BGCOLOR="{fill}">'
            f'<FONT POINT-SIZE="8" COLOR="{attrs.get("fontcolor", style.GENERAL)}">{word}</FONT></TD>{meaning}</TR>')


def _line_sample(attrs: dict[str, str]) -> str:
    """A line drawn in text that looks like an edge with ``attrs`` (ASCII: every renderer measures it)."""
    styles = set(attrs.get("style", "solid").split(","))
    heavy = "bold" in styles or float(attrs.get("penwidth", "1")) >= 2
    stroke = "- - - - -" if "dashed" in styles else ". . . . ." if "dotted" in styles else "=========" if heavy else "---------"
    both = attrs.get("dir") == "both"
    head = "" if attrs.get("arrowhead") == "none" else ">"
    tail = "<" if both and attrs.get("arrowtail") != "none" else ""
    return f"{tail}{stroke}{head}"


def _blackhole_id(facts: SubnetFacts) -> str:
    return f"blackhole:{facts.vpc}/{facts.name}"


def _blackholes(b: _Builder, where: graphviz.Digraph, vpc_name: str) -> None:
    """A marker inside the VPC for each subnet whose default route leads nowhere (RT-10)."""
    for facts in sorted(b.by_vpc.get(vpc_name, []), key=lambda f: f.name):
        default = _default_route(b.facts, vpc_name, facts.route_table)
        if default is None:
            continue
        head, _ = _target_node(b.facts, vpc_name, default, b.view)
        if head is not None and default.active:
            continue
        # AWS shows a route whose target is gone or not available as a blackhole (RT-10); a target
        # the input never had, in a route it does not call a blackhole, is named as not found.
        table = b.design.vpcs[vpc_name].route_tables.get(facts.route_table)
        written = [r.state for r in (table.routes if table else []) if str(r.destination) == default.destination]
        why = ("target not found" if default.node is None and default.target != "blackhole" and "blackhole" not in written
               else "blackhole")
        b.node(where, _blackhole_id(facts), _label(f"{facts.name}: {default.destination} -> {default.target}", why),
               "blackhole")


def build(design: Design, view: str = "detailed", network: Any = None) -> graphviz.Digraph:
    """The diagram of ``design`` as a ``graphviz.Digraph`` (no rendering, no I/O).

    >>> d = Design.model_validate({"name": "demo", "vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}}}}})
    >>> src = build(d).source
    >>> 'subgraph "cluster_vpc.p"' in src and '"subnet.p/a"' in src
    True
    """
    if view not in VIEWS:
        raise RenderError(f"unknown view '{view}'; expected one of: {', '.join(VIEWS)}")
    if view == "security-groups":
        from .groups import build_groups

        return build_groups(design, network if network is not None else network_of(design))
    if view == "summary":
        from .summary import build_summary

        return build_summary(design, network)
    facts = _gather(design, network)
    graph = SafeDigraph(
        name=_encoded(design.name or ""),
        graph_attr={**style.GRAPH, **(style.VPCS_VIEW if view == "vpcs" else {}),
                    "label": _label(design.name, design.description), "fontsize": "16"},
        node_attr=style.NODE,
        edge_attr=style.EDGE,
    )
    b = _Builder(design, view, facts, graph, network=network)
    if view != "vpcs":
        b.routers = _needs_router(design)
    graph.node("internet", "Internet", id="internet", **style.NODES["internet"])
    b.drawn.add("internet")
    regions: dict[str, list[str]] = defaultdict(list)
    for vpc_name, _ in design.iter_vpcs():
        regions[design.vpc_region(vpc_name)].append(vpc_name)
    for tgw_name, tgw in design.transit_gateways.items():
        regions.setdefault(tgw.region or design.region, [])
    with graph.subgraph(name="cluster_cloud") as cloud:
        cloud.attr(label="AWS Cloud", **style.CLUSTERS["cloud"])
        for region_name in sorted(regions):
            with cloud.subgraph(name=cluster_id("region", region_name)) as region:
                region.attr(label=f"Region {region_name}", **style.CLUSTERS["region"])
                for tgw_name, tgw in sorted(design.transit_gateways.items()):
                    if (tgw.region or design.region) == region_name:
                        asn = f"ASN {tgw.asn}" if tgw.asn else None
                        b.node(region, f"tgw:{tgw_name}", _label(tgw_name, "transit gateway", asn), "tgw")
                for pcx_name, pcx in _peerings_in(design, region_name):
                    b.node(region, f"pcx:{pcx_name}", _peering_label(pcx_name, pcx), "pcx")
                for vpc_name in sorted(regions[region_name]):
                    vpc = design.vpcs[vpc_name]
                    if view == "vpcs":
                        b.node(region, f"vpc:{vpc_name}", _vpc_summary(vpc_name, vpc, b.by_vpc.get(vpc_name, [])), "vpc")
                    else:
                        _vpc_cluster(b, region, vpc_name, vpc)
        for pcx_name, pcx in _peerings_in(design, None):
            b.node(cloud, f"pcx:{pcx_name}", _peering_label(pcx_name, pcx), "pcx")
    if design.on_premises:
        with graph.subgraph(name="cluster_onprem") as outside:
            outside.attr(label="On premises", **style.CLUSTERS["outside"])
            for name, onprem in sorted(design.on_premises.items()):
                cidrs = ", ".join(str(c) for c in onprem.cidrs)
                b.node(outside, f"onprem:{name}", _label(name, cidrs), "onprem")
    _connections(b)
    _legend(b)
    return graph


def iter_node_ids(graph: graphviz.Digraph) -> Iterable[str]:
    """The network ids of every node drawn (read back from the ``id`` attributes).

    >>> sorted(iter_node_ids(build(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}}), "vpcs")))
    ['internet', 'vpc:p']
    """
    import re

    for match in re.finditer(r'\bid=(?:"((?:[^"\\]|\\.)+)"|([^\s"\]]+))', graph.source):
        yield unsafe_text((match.group(1) or match.group(2)).replace('\\"', '"'))
