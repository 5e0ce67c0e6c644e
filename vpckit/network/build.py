"""Build a :class:`Network` from a :class:`~vpckit.model.Design`: addresses, indexes, compiled filters and routes.

The network is built once per run and then only read. It holds:

* ``interfaces``: every ENI (instances, standalone ENIs, NAT gateways, load balancer nodes,
  interface endpoints, RDS/Lambda/EFS, transit gateway attachments) with its addresses;
* ``owner_of``: which interface owns a private, IPv6, public or elastic address;
* compiled route tables (VPC and transit gateway), NACLs and security groups;
* ``graph``: a networkx ``MultiDiGraph`` of the components (see :mod:`vpckit.network.graph`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import networkx as nx
from netaddr import AddrFormatError, IPAddress, IPNetwork

from ..errors import InputError, QueryError, VpckitError
from ..model import Design
from ..model.types import looks_like_address
from . import resolve
from .addressing import (
    INTERNET6_HOST,
    INTERNET_HOST,
    Interface,
    IpKey,
    PublicAllocator,
    first_free_addresses,
    ip_key,
)
from .filters import CompiledNacl, CompiledSecurityGroup, SgRule
from .routes import CompiledRoute, CompiledRouteTable

__all__ = [
    "Network",
    "build_network",
    "Endpoint",
    "SubnetInfo",
    "VpcInfo",
    "PeeringInfo",
    "TgwAttachmentInfo",
    "TransitGatewayInfo",
    "NatInfo",
    "LoadBalancerInfo",
    "GatewayEndpointInfo",
    "OnPremInfo",
]

_RUNNING = "running"
#: Managed interfaces that behave like instances with their groups keep their kind.
_ENI_OWNER_KINDS = {"lambda": "lambda", "rds": "rds", "efs": "efs"}


@dataclass
class SubnetInfo:
    """A subnet with its resolved route table and NACL settings."""

    node: str
    vpc: str
    name: str
    az: str
    cidr: IPNetwork
    ipv6_cidr: IPNetwork | None
    route_table: str
    nacl: str


@dataclass
class VpcInfo:
    """A VPC: CIDRs, region, gateways and edge-associated route tables."""

    name: str
    region: str
    cidrs: list[IPNetwork]
    ipv6_cidrs: list[IPNetwork]
    dns: IPAddress
    internet_gateway: str | None = None
    egress_only_gateway: str | None = None
    vpn_gateways: list[str] = field(default_factory=list)
    edge_tables: dict[str, str] = field(default_factory=dict)
    subnets: list[str] = field(default_factory=list)

    def contains(self, key: IpKey) -> bool:
        """True when the address is inside one of the VPC's CIDRs (IPv4 or IPv6)."""
        version, value = key
        return any(v == version and first <= value <= last for v, first, last in self._ranges())

    def _ranges(self) -> tuple[tuple[int, int, int], ...]:
        # integers once (the walk asks this for every packet); rebuilt if CIDRs were added since
        count = len(self.cidrs) + len(self.ipv6_cidrs)
        cached = self.__dict__.get("_range_cache")
        if cached is None or cached[0] != count:
            cached = (count, tuple((n.version, int(n.first), int(n.last)) for n in (*self.cidrs, *self.ipv6_cidrs)))
            self.__dict__["_range_cache"] = cached
        return cached[1]


@dataclass
class PeeringInfo:
    """A peering connection: its two VPCs and whether it carries traffic (PCX-08)."""

    node: str
    name: str
    requester: str | None
    accepter: str | None
    state: str
    same_region: bool

    @property
    def active(self) -> bool:
        """Only ``active`` peerings pass traffic."""
        return self.state == "active" and self.requester is not None and self.accepter is not None

    def other(self, vpc: str) -> str | None:
        """The VPC on the other side of ``vpc``."""
        if vpc == self.requester:
            return self.accepter
        if vpc == self.accepter:
            return self.requester
        return None


@dataclass
class TgwAttachmentInfo:
    """A transit gateway attachment with its resolved subnets, AZs and association."""

    node: str
    tgw: str
    name: str
    type: str
    vpc: str | None
    subnets: list[str]
    azs: dict[str, str]
    route_table: str | None
    state: str
    remote_cidrs: list[IPNetwork]
    security_group_referencing: bool
    interfaces: dict[str, str] = field(default_factory=dict)
    #: both directions of a flow use one AZ of this VPC attachment (the first chosen), not each its source's
    appliance_mode: bool = False
    #: peering attachments: the peer transit gateway's node, when it is in the input
    peer: str | None = None


@dataclass
class TransitGatewayInfo:
    """A transit gateway: attachments and compiled route tables (``tgw-rtb:<tgw>/<name>``)."""

    node: str
    name: str
    attachments: dict[str, TgwAttachmentInfo]
    route_tables: dict[str, CompiledRouteTable]


@dataclass
class NatInfo:
    """A NAT gateway; its interface is ``network.interfaces[node]``."""

    node: str
    vpc: str
    name: str
    subnet: str
    connectivity: str
    state: str


@dataclass
class LoadBalancerInfo:
    """A load balancer: its interfaces (one per subnet), listeners and target groups."""

    node: str
    vpc: str
    name: str
    type: str
    scheme: str
    interfaces: list[str]
    listeners: list[tuple[str, int, str | None]]
    target_groups: dict[str, tuple[str, int, list[str]]]
    #: target group -> its preserve_client_ip attribute as written (None: AWS's default for the target)
    preserve_client_ip: dict[str, bool | None] = field(default_factory=dict)


@dataclass
class GatewayEndpointInfo:
    """A gateway VPC endpoint (S3, DynamoDB) and the prefixes of its service."""

    node: str
    vpc: str
    name: str
    service: str
    state: str
    cidrs: list[IPNetwork]


@dataclass
class InspectionEndpointInfo:
    """A Gateway Load Balancer or Network Firewall endpoint: a route target that hands traffic to an
    appliance whose rules the input does not hold (VPCE-06). ``subnet`` is the endpoint's subnet
    node, where inspected traffic comes back; None for an endpoint the input names only in a route.
    """

    node: str
    vpc: str
    name: str
    kind: str
    service: str
    state: str
    subnet: str | None

    def label(self) -> str:
        """``GWLB endpoint x`` / ``Network Firewall endpoint x`` / ``endpoint vpce-1 (not in the input)``."""
        if self.kind == "gateway_load_balancer":
            return f"Gateway Load Balancer endpoint {self.name}"
        if self.kind == "network_firewall":
            return f"Network Firewall endpoint {self.name}"
        return f"endpoint {self.name} (not in the input: a Network Firewall or another account's endpoint)"


@dataclass
class OnPremInfo:
    """A network outside AWS reached over VPN or Direct Connect."""

    node: str
    name: str
    cidrs: list[IPNetwork]
    via: str | None
    state: str = "available"


@dataclass(frozen=True)
class Endpoint:
    """One end of a reachability question, resolved.

    ``kind`` is ``interface`` (an ENI, ``node`` its id), ``load_balancer``, ``nat_gateway``
    (its interface), ``gateway_endpoint`` (``address`` is a service address), ``internet`` (a host
    on the internet, ``address`` its address), ``onprem`` (a host of an on-premises network),
    ``unowned`` (an address inside a VPC that no interface has), ``unheld`` (an elastic IP of the account that
    no live resource holds, or one released with a deleted resource) or ``aws_service`` (an AWS
    address that answers without filtering: the DNS resolver at VPC+2, 169.254.169.x).
    """

    kind: str
    node: str
    text: str
    address: IPAddress | None = None
    vpc: str | None = None
    interfaces: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Short human label of the endpoint."""
        return self.text


class Network:
    """The components of a design as a graph, plus the indexes that make questions fast.

    >>> from vpckit.model import Design
    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}}, "instances": {"web": {"subnet": "a"}}}}})
    >>> net = build_network(d)
    >>> str(net.interfaces["eni:p/web"].primary_ip), net.owner_of("10.0.1.4")
    ('10.0.1.4', 'eni:p/web')
    """

    def __init__(self, design: Design):
        self.design = design
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self.interfaces: dict[str, Interface] = {}
        self.vpcs: dict[str, VpcInfo] = {}
        self.subnets: dict[str, SubnetInfo] = {}
        self.route_tables: dict[str, CompiledRouteTable] = {}
        self.nacls: dict[str, CompiledNacl] = {}
        self.security_groups: dict[str, CompiledSecurityGroup] = {}
        self.peerings: dict[str, PeeringInfo] = {}
        self.transit_gateways: dict[str, TransitGatewayInfo] = {}
        self.nat_gateways: dict[str, NatInfo] = {}
        self.load_balancers: dict[str, LoadBalancerInfo] = {}
        self.gateway_endpoints: dict[str, GatewayEndpointInfo] = {}
        self.inspection_endpoints: dict[str, InspectionEndpointInfo] = {}
        self.onprem: dict[str, OnPremInfo] = {}
        self.prefix_lists: dict[str, list[IPNetwork]] = {}
        self.vpn_prefixes: dict[str, list[IPNetwork]] = {}
        self.warnings: list[str] = []
        #: public addresses of the account that no live resource holds: (what it is, released to AWS?)
        self.account_addresses: dict[IpKey, tuple[str, bool]] = {}
        self._private: dict[IpKey, str] = {}
        self._private_in: dict[tuple[str, IpKey], str] = {}
        self._public: dict[IpKey, str] = {}
        self._subnet_index: dict[str, list[tuple[int, int, int, str]]] = {}
        self._names: dict[str, set[str]] = {}
        self._subnet_names: dict[str, set[str]] = {}

    # ------------------------------------------------------------------ lookups

    def owner_of(self, ip: IPAddress | str) -> str | None:
        """Node id of the interface owning a private, IPv6, public or elastic address.

        Returns None for addresses nobody owns.

        >>> from vpckit.model import Design
        >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
        ...     "a": {"az": "x", "cidr": "10.0.1.0/24"}}, "instances": {"w": {"subnet": "a", "elastic_ip": "203.0.113.9"}}}}}))
        >>> net.owner_of("203.0.113.9"), net.owner_of("10.0.1.4"), net.owner_of("10.0.1.99")
        ('eni:p/w', 'eni:p/w', None)
        """
        try:
            key = ip_key(ip)
        except (AddrFormatError, ValueError, TypeError):
            return None
        return self._private.get(key) or self._public.get(key)

    def private_owner(self, key: IpKey) -> str | None:
        """Node id owning a private (or IPv6) address given as a key."""
        return self._private.get(key)

    def private_owner_in(self, vpc: str, key: IpKey) -> str | None:
        """Node id owning a private (or IPv6) address inside one VPC (VPCs may overlap)."""
        return self._private_in.get((vpc, key))

    def public_owner(self, key: IpKey) -> str | None:
        """Node id owning a public or elastic IPv4 address given as a key."""
        return self._public.get(key)

    def subnet_host(self, node: str) -> Interface:
        """A stand-in host for a subnet used as an endpoint: the first address nobody owns, no security groups.

        >>> from vpckit.model import Design
        >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
        ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}}}}}))
        >>> str(net.subnet_host("subnet:p/a").primary_ip)
        '10.0.1.4'
        """
        subnet = self.subnets[node]
        candidate = int(subnet.cidr.first) + 4
        while candidate < int(subnet.cidr.last) and (subnet.vpc, (4, candidate)) in self._private_in:
            candidate += 1
        return Interface(node=node, name=f"a host in subnet {subnet.name}", vpc=subnet.vpc, subnet=node,
                         private_ips=[IPAddress(candidate)], security_groups=[], owner_kind="subnet_host",
                         owner=subnet.name, os="linux", az=subnet.az)

    def subnet_of(self, vpc: str, key: IpKey) -> SubnetInfo | None:
        """The subnet of ``vpc`` whose CIDR (IPv4 or IPv6) contains the address.

        >>> from vpckit.model import Design
        >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
        ...     "a": {"az": "x", "cidr": "10.0.1.0/24"}}}}}))
        >>> net.subnet_of("p", ip_key("10.0.1.9")).name, net.subnet_of("p", ip_key("10.0.2.9"))
        ('a', None)
        """
        version, value = key
        for v, first, last, node in self._subnet_index.get(vpc, ()):
            if v == version and first <= value <= last:
                return self.subnets[node]
        return None

    def vpc_containing(self, key: IpKey) -> str | None:
        """The first VPC (by name) whose CIDRs contain the address.

        >>> from vpckit.model import Design
        >>> build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}})).vpc_containing(ip_key("10.0.9.9"))
        'p'
        """
        cache = self.__dict__.setdefault("_vpc_of", {})
        if key not in cache:  # the network does not change once built
            cache[key] = next((name for name in sorted(self.vpcs) if self.vpcs[name].contains(key)), None)
        return cache[key]

    def subnet_holding(self, key: IpKey) -> SubnetInfo | None:
        """The subnet holding an address, in the first VPC (in design order) that has one for it.

        >>> from vpckit.model import Design
        >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
        ...     "a": {"az": "x", "cidr": "10.0.1.0/24"}}}}}))
        >>> net.subnet_holding(ip_key("10.0.1.9")).name, net.subnet_holding(ip_key("10.0.2.9"))
        ('a', None)
        """
        cache = self.__dict__.setdefault("_subnet_holding", {})
        if key not in cache:  # the network does not change once built
            cache[key] = next((found for vpc in self.vpcs.values() if vpc.contains(key)
                               for found in [self.subnet_of(vpc.name, key)] if found is not None), None)
        return cache[key]

    def resolve_endpoint(self, text: str) -> Endpoint:
        """Resolve a query endpoint: a name, ``vpc/name``, AWS id, IP address, ``internet`` or ``internet6``.

        Raises :class:`~vpckit.errors.QueryError` when ``text`` names nothing or more than one thing.

        >>> from vpckit.model import Design
        >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
        ...     "a": {"az": "x", "cidr": "10.0.1.0/24"}}, "instances": {"w": {"subnet": "a", "id": "i-1"}}}}}))
        >>> [(e.kind, e.node) for e in map(net.resolve_endpoint, ["i-1", "p/w", "8.8.8.8", "10.0.1.77"])]
        [('interface', 'eni:p/w'), ('interface', 'eni:p/w'), ('internet', 'internet'), ('unowned', 'vpc:p')]
        """
        if not isinstance(text, str):
            raise QueryError(f"an endpoint is a name, an AWS id, an IP address or 'internet' written as text, "
                             f"got {type(text).__name__} {text!r}")
        cache = self.__dict__.setdefault("_resolved", {})
        if text not in cache:  # the network does not change once built; errors are raised each time
            cache[text] = self._resolve(text)
        return cache[text]

    def _resolve(self, text: str) -> Endpoint:
        raw = (text or "").strip()
        if not raw:
            raise QueryError("an empty endpoint; expected a name, an AWS id, an IP address or 'internet'")
        if raw.lower() in ("internet", "0.0.0.0/0"):
            return Endpoint("internet", "internet", "internet", INTERNET_HOST)
        if raw.lower() in ("internet6", "::/0"):
            return Endpoint("internet", "internet", "internet6", INTERNET6_HOST)
        if looks_like_address(raw):
            return self._endpoint_for_address(raw)
        if raw in self.interfaces:
            return self._endpoint_for_node(raw, raw)
        nodes = self._names.get(raw, set()) or self._subnet_names.get(raw, set())
        if not nodes:
            raise QueryError(
                f"unknown endpoint {raw!r}: not a name, AWS id or Name tag in the design, nor an IP address or "
                f"'internet'{self._close_names(raw)}"
            )
        if len(nodes) > 1:
            choices = ", ".join(sorted(_short(n) for n in nodes))
            raise QueryError(f"endpoint {raw!r} is ambiguous; it could be any of: {choices} (write vpc/name)")
        return self._endpoint_for_node(next(iter(nodes)), raw)

    def _close_names(self, raw: str) -> str:
        """``; did you mean 'app-1'? (close names: app-1, app-2)`` for a misspelt endpoint, else ``''``."""
        import difflib

        known = sorted(set(self._names) | set(self._subnet_names) | {"internet", "internet6"})
        close = difflib.get_close_matches(raw, known, n=5, cutoff=0.6)
        if not close:
            folded = {k.lower(): k for k in known}
            close = [folded[k] for k in difflib.get_close_matches(raw.lower(), list(folded), n=5, cutoff=0.6)]
        if not close:
            return ""
        others = f" (close names: {', '.join(close)})" if len(close) > 1 else ""
        return f"; did you mean {close[0]!r}?{others}"

    def _endpoint_for_node(self, node: str, text: str) -> Endpoint:
        if node in self.subnets:
            subnet = self.subnets[node]
            return Endpoint("subnet", node, text, None, subnet.vpc, (node,))
        if node in self.load_balancers:
            lb = self.load_balancers[node]
            return Endpoint("load_balancer", node, text, None, lb.vpc, tuple(lb.interfaces))
        if node in self.gateway_endpoints:
            gw = self.gateway_endpoints[node]
            if not gw.cidrs:
                raise QueryError(f"gateway endpoint {text!r} has no prefix list with addresses; give a service IP address")
            return Endpoint("gateway_endpoint", node, text, IPAddress(gw.cidrs[0].first + 1), gw.vpc)
        if node in self.onprem:
            info = self.onprem[node]
            if not info.cidrs:
                raise QueryError(f"on-premises network {text!r} has no CIDRs")
            return Endpoint("onprem", node, text, IPAddress(info.cidrs[0].first + 1 if info.cidrs[0].size > 1 else info.cidrs[0].first))
        if node.startswith("group:"):
            members = tuple(sorted(self._names[node]))
            first = self.interfaces[members[0]]
            return Endpoint("interface", members[0], text, first.primary_ip, first.vpc, members)
        if node not in self.interfaces:
            what = {"igw": "an internet gateway", "eigw": "an egress-only internet gateway", "vgw": "a VPN gateway",
                    "tgw": "a transit gateway", "pcx": "a peering connection"}.get(node.split(":", 1)[0], node)
            raise QueryError(f"{text!r} is {what}: it carries traffic but does not send or answer it; ask about "
                             "'internet', an on-premises network or an address behind it instead")
        iface = self.interfaces[node]
        kind = "nat_gateway" if iface.owner_kind == "nat_gateway" else "interface"
        address = iface.primary_ip or (iface.ipv6[0] if iface.ipv6 else None)
        return Endpoint(kind, node, text, address, iface.vpc, (node,))

    def _endpoint_for_address(self, raw: str) -> Endpoint:
        try:
            address = IPAddress(raw.split("/")[0] if raw.endswith(("/32", "/128")) else raw)
        except (AddrFormatError, ValueError):
            raise QueryError(f"{raw!r} is not an IP address (give a single address such as 10.0.1.10)") from None
        key = ip_key(address)
        node = self._private.get(key) or self._public.get(key)
        if node is not None:
            iface = self.interfaces[node]
            kind = "nat_gateway" if iface.owner_kind == "nat_gateway" else "interface"
            return Endpoint(kind, node, raw, address, iface.vpc, (node,))
        if key in self.account_addresses:
            return Endpoint("unheld", f"eip:{address}", raw, address)
        if str(address) in ("169.254.169.254", "169.254.169.253", "169.254.169.123"):
            return Endpoint("aws_service", "aws-service", raw, address)
        vpc = self.vpc_containing(key)
        if vpc is not None:
            if address == self.vpcs[vpc].dns:
                return Endpoint("aws_service", f"router:{vpc}", raw, address, vpc)
            return Endpoint("unowned", f"vpc:{vpc}", raw, address, vpc)
        best = None  # the most specific on-premises prefix wins, as in a route table
        for info in self.onprem.values():
            for cidr in info.cidrs:
                if address in cidr and (best is None or cidr.prefixlen > best[0]):
                    best = (cidr.prefixlen, info)
        if best is not None:
            return Endpoint("onprem", best[1].node, raw, address)
        for gw in self.gateway_endpoints.values():
            if any(address in c for c in gw.cidrs):
                return Endpoint("internet", "internet", raw, address, None)
        return Endpoint("internet", "internet", raw, address)

    @property
    def display_names(self) -> dict[str, str]:
        """Component id -> its Name tag, for the components whose Name tag differs from their name (computed once).

        >>> from vpckit.model import Design
        >>> d = Design.model_validate({"vpcs": {"vpc-1": {"cidr": "10.0.0.0/16", "tags": {"Name": "prod"}, "subnets": {
        ...     "subnet-1": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "tags": {"Name": "web-a"}}}}}})
        >>> build_network(d).display_names
        {'vpc:vpc-1': 'prod', 'router:vpc-1': 'prod', 'subnet:vpc-1/subnet-1': 'web-a'}
        """
        found = self.__dict__.get("_display_names")
        if found is None:
            found = self.__dict__["_display_names"] = _display_names(self.design) if self.design is not None else {}
        return found

    # ------------------------------------------------------------------ registration

    def _register_name(self, name: str | None, node: str) -> None:
        if name:
            self._names.setdefault(name, set()).add(node)


#: Design collection -> the prefix of its components' ids in the network.
_ID_PREFIX = {
    "subnets": "subnet", "instances": "eni", "network_interfaces": "eni", "nat_gateways": "nat",
    "internet_gateways": "igw", "egress_only_internet_gateways": "eigw", "vpn_gateways": "vgw", "route_tables": "rtb",
    "network_acls": "nacl", "security_groups": "sg", "load_balancers": "lb", "rds_instances": "eni", "endpoints": "vpce",
}


def _display_names(design: Design) -> dict[str, str]:
    out: dict[str, str] = {}

    def name(node: str, key: str, resource: Any) -> None:
        tag = (getattr(resource, "tags", None) or {}).get("Name")
        if isinstance(tag, str) and tag.strip() and tag != key:
            out[node] = tag

    for vpc_name, vpc in design.vpcs.items():
        name(f"vpc:{vpc_name}", vpc_name, vpc)
        name(f"router:{vpc_name}", vpc_name, vpc)
        for collection, prefix in _ID_PREFIX.items():
            for key, resource in getattr(vpc, collection).items():
                name(f"{prefix}:{vpc_name}/{key}", key, resource)
    for key, pcx in design.peering_connections.items():
        name(f"pcx:{key}", key, pcx)
    for key, tgw in design.transit_gateways.items():
        name(f"tgw:{key}", key, tgw)
    return out


def _short(node: str) -> str:
    return node.split(":", 1)[1] if ":" in node else node


# ============================================================================ building


def build_network(design: Design | str | PathLike) -> Network:
    """Build the :class:`Network` of a design (addresses allocated, routes and filters compiled);
    ``design`` may also be the path of any input vpckit reads.

    Raises :class:`~vpckit.errors.InputError` only for designs that cannot be turned into a
    network at all; dangling references are left to the checks (a route to a missing target
    is a blackhole, a rule naming a missing group matches nothing).

    >>> from vpckit.model import Design
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}}))
    >>> sorted(net.graph.nodes)
    ['router:p', 'vpc:p']
    >>> build_network("designs/three-tier.yaml").design.name
    'three-tier'
    """
    from .graph import build_graph

    if not isinstance(design, Design):
        if isinstance(design, (str, PathLike)):
            from ..sources import load

            design = load(str(design))
        else:
            raise VpckitError(f"build_network() expected the path of an input or a Design, got {type(design).__name__}")

    network = Network(design)
    _build_vpcs(network, design)
    _build_interfaces(network, design)
    _build_peerings(network, design)
    _build_transit_gateways(network, design)
    _build_prefix_lists(network, design)
    _build_onprem(network, design)
    _build_account_addresses(network, design)
    _build_gateway_endpoints(network, design)
    _build_route_tables(network, design)
    _derive_onprem(network)
    _build_nacls(network, design)
    _build_security_groups(network, design)
    build_graph(network)
    return network


def _build_vpcs(network: Network, design: Design) -> None:
    for name, vpc in design.iter_vpcs():
        info = VpcInfo(
            name=name, region=design.vpc_region(name), cidrs=list(vpc.cidrs), ipv6_cidrs=list(vpc.ipv6_cidrs),
            dns=IPAddress(int(vpc.cidr.first) + 2),
        )
        for igw in sorted(vpc.internet_gateways):
            info.internet_gateway = info.internet_gateway or f"igw:{name}/{igw}"
            network._register_name(igw, f"igw:{name}/{igw}")
        for eigw in sorted(vpc.egress_only_internet_gateways):
            info.egress_only_gateway = info.egress_only_gateway or f"eigw:{name}/{eigw}"
        info.vpn_gateways = [f"vgw:{name}/{v}" for v in sorted(vpc.vpn_gateways)]
        for vname_, vgw in vpc.vpn_gateways.items():
            prefixes = list(vgw.remote_cidrs)
            for op in design.on_premises.values():
                if op.via and resolve.find_in(vpc.vpn_gateways, op.via) == vname_:
                    prefixes.extend(op.cidrs)
            network.vpn_prefixes[f"vgw:{name}/{vname_}"] = prefixes
        index = []
        for sname, subnet in sorted(vpc.subnets.items()):
            node = f"subnet:{name}/{sname}"
            rtb_name = subnet.route_table or vpc.main_route_table
            rtb = resolve.find_in(vpc.route_tables, rtb_name) or vpc.main_route_table
            nacl_name = subnet.network_acl or vpc.default_network_acl
            nacl = resolve.find_in(vpc.network_acls, nacl_name) or vpc.default_network_acl
            network.subnets[node] = SubnetInfo(
                node, name, sname, subnet.az, subnet.cidr, subnet.ipv6_cidr, f"rtb:{name}/{rtb}", f"nacl:{name}/{nacl}"
            )
            info.subnets.append(node)
            for alias in (sname, f"{name}/{sname}", subnet.id, subnet.tags.get("Name")):
                if alias:
                    network._subnet_names.setdefault(alias, set()).add(node)
            index.append((4, int(subnet.cidr.first), int(subnet.cidr.last), node))
            if subnet.ipv6_cidr is not None:
                index.append((6, int(subnet.ipv6_cidr.first), int(subnet.ipv6_cidr.last), node))
        network._subnet_index[name] = index
        for rname, table in sorted(vpc.route_tables.items()):
            for gateway in table.edge_associations:
                found = resolve.find_in(vpc.internet_gateways, gateway)
                if found is not None:
                    info.edge_tables[f"igw:{name}/{found}"] = f"rtb:{name}/{rname}"
                found = resolve.find_in(vpc.vpn_gateways, gateway)
                if found is not None:
                    info.edge_tables[f"vgw:{name}/{found}"] = f"rtb:{name}/{rname}"
        network.vpcs[name] = info


@dataclass
class _Spec:
    """An interface to create: where it lives and what the design says about its addresses."""

    node: str
    name: str
    vpc: str
    subnet: str
    explicit: list[IPAddress]
    public: Any
    elastic: IPAddress | None
    extra: dict[str, Any]


def _subnet_node(design: Design, vpc: str, ref: str | None) -> str | None:
    if ref is None:
        return None
    found = resolve.find_in(design.vpcs[vpc].subnets, ref)
    return f"subnet:{vpc}/{found}" if found else None


def _groups(design: Design, vpc: str, refs: list[str], cache: dict, default: bool = True) -> list[str]:
    """Settings (``sg:<vpc>/<name>``) of an interface's groups; the VPC's default group when none are given."""
    vpc_model = design.vpcs[vpc]
    refs = refs or ([vpc_model.default_security_group] if default else [])
    out = []
    for ref in refs:
        key = (vpc, ref)
        if key not in cache:
            cache[key] = resolve.security_group(design, vpc, ref)
        found = cache[key]
        if found is not None:
            setting = f"sg:{found.vpc}/{found.name}"
            if setting not in out:
                out.append(setting)
    return out


def _interface_specs(network: Network, design: Design) -> list[_Spec]:
    specs: list[_Spec] = []
    cache: dict[tuple[str, str], Any] = {}  # (vpc, group reference) -> resolved group
    for vname, vpc in design.iter_vpcs():
        def add(node, name, subnet_ref, explicit, public=None, elastic=None, **extra):
            subnet = _subnet_node(design, vname, subnet_ref)
            if subnet is None:
                network.warnings.append(f"{node}: subnet {subnet_ref!r} not found; interface left out")
                return
            specs.append(_Spec(node, name, vname, subnet, [a for a in explicit if a is not None], public, elastic, extra))

        for name, inst in sorted(vpc.instances.items()):
            public = inst.public_ip
            if public is None:
                subnet = design.vpcs[vname].subnets.get(resolve.find_in(vpc.subnets, inst.subnet) or "")
                public = bool(subnet and subnet.map_public_ip_on_launch)
            add(f"eni:{vname}/{name}", name, inst.subnet, [inst.private_ip, *inst.secondary_private_ips], public,
                inst.elastic_ip, ipv6=list(inst.ipv6_addresses), groups=_groups(design, vname, inst.security_groups, cache),
                sdc=inst.source_dest_check, owner_kind="instance", owner=name, state=inst.state,
                usable=inst.state == _RUNNING, os=inst.os, ids=[inst.id, inst.tags.get("Name")])
        for name, nat in sorted(vpc.nat_gateways.items()):
            public = nat.connectivity == "public"
            add(f"nat:{vname}/{name}", name, nat.subnet, [nat.private_ip], public, nat.elastic_ip if public else None,
                groups=[], sdc=False, owner_kind="nat_gateway", owner=name, state=nat.state,
                usable=nat.state == "available", ids=[nat.id, nat.tags.get("Name")])
            network.nat_gateways[f"nat:{vname}/{name}"] = NatInfo(
                f"nat:{vname}/{name}", vname, name, _subnet_node(design, vname, nat.subnet) or "", nat.connectivity, nat.state
            )
        for name, lb in sorted(vpc.load_balancers.items()):
            nodes = []
            for i, sref in enumerate(lb.subnets):
                sname = resolve.find_in(vpc.subnets, sref) or sref
                node = f"eni:{vname}/{name}@{sname}"
                nodes.append(node)
                public = (lb.public_ips[i] if i < len(lb.public_ips) else True) if lb.scheme == "internet-facing" else False
                add(node, f"{name}@{sname}", sref, [lb.private_ips[i] if i < len(lb.private_ips) else None], public,
                    groups=_groups(design, vname, lb.security_groups, cache, default=lb.type == "application"), sdc=True,
                    owner_kind="load_balancer", owner=name, state="active", usable=True, os="elb", ids=[])
            groups, preserve = {}, {}
            for tname, tg in vpc.target_groups.items():
                groups[tname] = (tg.protocol, tg.port, list(tg.targets))
                preserve[tname] = tg.preserve_client_ip
                for alias in (tg.id, tg.tags.get("Name")):
                    if alias:
                        groups[alias], preserve[alias] = groups[tname], tg.preserve_client_ip
            network.load_balancers[f"lb:{vname}/{name}"] = LoadBalancerInfo(
                f"lb:{vname}/{name}", vname, name, lb.type, lb.scheme, nodes,
                [(l.protocol, l.port, l.target_group) for l in lb.listeners], groups, preserve,
            )
            for alias in (name, f"{vname}/{name}", lb.id, lb.tags.get("Name")):
                network._register_name(alias, f"lb:{vname}/{name}")
        for name, ep in sorted(vpc.endpoints.items()):
            if ep.type != "interface":
                continue
            nodes = []
            for i, sref in enumerate(ep.subnets):
                sname = resolve.find_in(vpc.subnets, sref) or sref
                node = f"eni:{vname}/{name}@{sname}"
                nodes.append(node)
                add(node, f"{name}@{sname}", sref, [ep.private_ips[i] if i < len(ep.private_ips) else None], False,
                    groups=_groups(design, vname, ep.security_groups, cache), sdc=True, owner_kind="vpc_endpoint", owner=name,
                    state=ep.state, usable=ep.state == "available", ports=list(ep.ports), ids=[])
            if nodes:
                group = f"group:{vname}/{name}"
                network._names[group] = set(nodes)
                for alias in (name, f"{vname}/{name}", ep.id, ep.tags.get("Name")):
                    network._register_name(alias, group)
        for name, rds in sorted(vpc.rds_instances.items()):
            subnet = rds.subnet
            if subnet is None:
                group = vpc.db_subnet_groups.get(resolve.find_in(vpc.db_subnet_groups, rds.subnet_group) or "")
                subnet = group.subnets[0] if group and group.subnets else None
            add(f"eni:{vname}/{name}", name, subnet, [rds.private_ip], rds.publicly_accessible,
                groups=_groups(design, vname, rds.security_groups, cache), sdc=True, owner_kind="rds", owner=name,
                state="available", usable=True, os="linux", ids=[rds.id, rds.tags.get("Name")])
        for name, fn in sorted(vpc.lambda_functions.items()):
            nodes = []
            for sref in fn.subnets:
                sname = resolve.find_in(vpc.subnets, sref) or sref
                node = f"eni:{vname}/{name}@{sname}"
                nodes.append(node)
                add(node, f"{name}@{sname}", sref, [], False, groups=_groups(design, vname, fn.security_groups, cache),
                    sdc=True, owner_kind="lambda", owner=name, state="active", usable=True, os="lambda", ids=[])
            if nodes:
                group = f"group:{vname}/{name}"
                network._names[group] = set(nodes)
                for alias in (name, f"{vname}/{name}", fn.id, fn.tags.get("Name")):
                    network._register_name(alias, group)
        for name, efs in sorted(vpc.efs_mount_targets.items()):
            add(f"eni:{vname}/{name}", name, efs.subnet, [efs.private_ip], False,
                groups=_groups(design, vname, efs.security_groups, cache), sdc=True, owner_kind="efs", owner=name,
                state="available", usable=True, os="linux", ids=[efs.id, efs.tags.get("Name")])
        managed_ips = {a for s in specs for a in s.explicit}
        for name, eni in sorted(vpc.network_interfaces.items()):
            if eni.interface_type not in ("interface", "other") and eni.private_ip in managed_ips:
                continue  # the managed resource (NAT gateway, endpoint...) already owns this interface
            if eni.interface_type == "transit_gateway":
                continue  # the transit gateway's attachments have their own interfaces
            instance = vpc.instances.get(resolve.find_in(vpc.instances, eni.instance) or "") if eni.instance else None
            detached = eni.instance is None and eni.status == "available"
            state = instance.state if instance else ("detached" if detached else (eni.status or "available"))
            usable = (instance is None or instance.state == _RUNNING) and not detached  # ENI-02
            add(f"eni:{vname}/{name}", name, eni.subnet, [eni.private_ip, *eni.secondary_private_ips], eni.public_ip,
                eni.elastic_ip, ipv6=list(eni.ipv6_addresses), groups=_groups(design, vname, eni.security_groups, cache),
                sdc=eni.source_dest_check, owner_kind=_ENI_OWNER_KINDS.get(eni.interface_type, "network_interface"),
                owner=name, state=state, usable=usable,
                os=instance.os if instance else "linux", ids=[eni.id, eni.tags.get("Name")],
                attached=eni.instance is not None)
    for tname, tgw in sorted(design.transit_gateways.items()):
        for aname, att, vpc_name in resolve.vpc_attachments(design, tgw):
            vpc = design.vpcs[vpc_name]
            for sref in att.subnets:
                sname = resolve.find_in(vpc.subnets, sref) or sref
                node = f"eni:{vpc_name}/{aname}@{sname}"
                subnet = _subnet_node(design, vpc_name, sref)
                if subnet is None:
                    continue
                specs.append(_Spec(node, f"{aname}@{sname}", vpc_name, subnet, [], False, None, dict(
                    groups=[], sdc=False, owner_kind="transit_gateway", owner=f"{tname}/{aname}", state=att.state,
                    usable=att.state == "available", ids=[])))
    return specs


def _build_interfaces(network: Network, design: Design) -> None:
    specs = _interface_specs(network, design)
    used: dict[str, set[int]] = {}
    taken_public: list[IPAddress] = []
    for spec in specs:
        for address in spec.explicit:
            if address.version == 4:
                used.setdefault(spec.subnet, set()).add(int(address))
        for address in (spec.public if isinstance(spec.public, IPAddress) else None, spec.elastic):
            if address is not None:
                taken_public.append(address)
    avoid = [c for v in network.vpcs.values() for c in v.cidrs]
    allocator = PublicAllocator(taken_public, avoid)
    for spec in sorted(specs, key=lambda s: s.node):
        subnet = network.subnets[spec.subnet]
        private = list(spec.explicit)
        if not any(a.version == 4 for a in private):
            free = list(first_free_addresses(subnet.cidr, used.setdefault(spec.subnet, set()), 1))
            if free:
                private.insert(0, IPAddress(free[0]))
            else:
                network.warnings.append(f"{spec.node}: no free address left in {spec.subnet}")
        publics: list[IPAddress] = []
        if spec.elastic is not None:
            publics.append(spec.elastic)
        elif isinstance(spec.public, IPAddress):
            publics.append(spec.public)
        elif spec.public is True:
            try:
                publics.append(allocator.next())
            except ValueError as error:
                raise InputError(f"{spec.name}: {error} (public_ip: <address>)", _place_of(design, spec)) from None
        extra = spec.extra
        iface = Interface(
            node=spec.node, name=spec.name, vpc=spec.vpc, subnet=spec.subnet, private_ips=private, public_ips=publics,
            ipv6=list(extra.get("ipv6", [])), security_groups=list(extra.get("groups", [])),
            source_dest_check=extra.get("sdc", True), owner_kind=extra.get("owner_kind", "instance"),
            owner=extra.get("owner", spec.name), state=extra.get("state", "available"), usable=extra.get("usable", True),
            os=extra.get("os"), az=subnet.az, ports=list(extra.get("ports", [])),
        )
        if private and publics:
            iface.public_map = {ip_key(p): ip_key(private[0]) for p in publics}
        network.interfaces[spec.node] = iface
        for address in (*private, *iface.ipv6):
            network._private.setdefault(ip_key(address), spec.node)
            network._private_in.setdefault((spec.vpc, ip_key(address)), spec.node)
        for address in publics:
            network._public.setdefault(ip_key(address), spec.node)
        if iface.owner_kind in ("load_balancer", "vpc_endpoint", "lambda", "transit_gateway"):
            continue  # named through their group (or not at all)
        for alias in (spec.name, f"{spec.vpc}/{spec.name}", *extra.get("ids", [])):
            network._register_name(alias, spec.node)


def _place_of(design: Design, spec: Any) -> Any:
    """Where the resource of an interface spec is written (its VPC when the resource is not found by name)."""
    for collection in ("instances", "network_interfaces", "nat_gateways", "load_balancers", "endpoints"):
        if spec.name in getattr(design.vpcs.get(spec.vpc), collection, {}) if spec.vpc in design.vpcs else False:
            return design.source.locate(("vpcs", spec.vpc, collection, spec.name))
    return design.source.locate(("vpcs", spec.vpc))


def _build_peerings(network: Network, design: Design) -> None:
    for name, pcx in sorted(design.peering_connections.items()):
        requester, accepter = design.find_vpc(pcx.requester), design.find_vpc(pcx.accepter)
        same_region = (
            requester is not None and accepter is not None and design.vpc_region(requester) == design.vpc_region(accepter)
        )
        network.peerings[f"pcx:{name}"] = PeeringInfo(f"pcx:{name}", name, requester, accepter, pcx.state, same_region)


def _peer_tgw(design: Design, ref: str | None) -> str | None:
    """The node of a peering attachment's peer transit gateway (by name or id), None when not in the input."""
    if ref is None:
        return None
    for name, tgw in design.transit_gateways.items():
        if ref in (name, tgw.id, tgw.tags.get("Name")):
            return f"tgw:{name}"
    return None


def _build_transit_gateways(network: Network, design: Design) -> None:
    for tname, tgw in sorted(design.transit_gateways.items()):
        attachments: dict[str, TgwAttachmentInfo] = {}
        for aname, att in tgw.attachments.items():
            vpc_name = design.find_vpc(att.vpc) if att.vpc else None
            subnets, azs, interfaces = [], {}, {}
            if vpc_name is not None:
                for sref in att.subnets:
                    node = _subnet_node(design, vpc_name, sref)
                    if node is None:
                        continue
                    subnets.append(node)
                    az = network.subnets[node].az
                    eni = f"eni:{vpc_name}/{aname}@{network.subnets[node].name}"
                    if az not in azs:
                        azs[az] = node
                        interfaces[az] = eni
            rtb = resolve.find_in(tgw.route_tables, att.route_table) if att.route_table else None
            remote = list(att.remote_cidrs)
            for op in design.on_premises.values():
                if op.via and resolve.find_in(tgw.attachments, op.via) == aname:
                    remote.extend(op.cidrs)
            attachments[aname] = TgwAttachmentInfo(
                f"tgw-attach:{tname}/{aname}", tname, aname, att.type, vpc_name, subnets, azs,
                f"tgw-rtb:{tname}/{rtb}" if rtb else None, att.state, remote, att.security_group_referencing, interfaces,
                att.appliance_mode, _peer_tgw(design, att.peer) if att.type == "peering" else None,
            )
        tables: dict[str, CompiledRouteTable] = {}
        for rname, table in tgw.route_tables.items():
            setting = f"tgw-rtb:{tname}/{rname}"
            compiled = CompiledRouteTable(setting)
            for route in table.routes:
                for net, pl in _expand_destination(design, route.destination):
                    if route.blackhole:
                        compiled.add(CompiledRoute(str(route.destination), net, "blackhole", "blackhole", "blackhole",
                                                   route.origin, pl, False, "a blackhole route (TGW-04)"))
                        continue
                    aname = resolve.find_in(tgw.attachments, route.attachment or "")
                    if aname is None:
                        compiled.add(CompiledRoute(str(route.destination), net, "blackhole", "blackhole",
                                                   route.attachment or "?", route.origin, pl, False,
                                                   f"attachment {route.attachment} does not exist"))
                        continue
                    att = attachments[aname]
                    active = att.state == "available"
                    compiled.add(CompiledRoute(str(route.destination), net, "attachment", att.node, aname, route.origin,
                                               pl, active, "" if active else f"attachment {aname} is {att.state}"))
            seen: dict[str, str] = {}
            for aname, att in attachments.items():
                if not any(resolve.find_in(tgw.route_tables, p) == rname for p in tgw.attachments[aname].propagate_to):
                    continue
                cidrs = []
                if att.type == "vpc" and att.vpc is not None:
                    cidrs = [*network.vpcs[att.vpc].cidrs, *network.vpcs[att.vpc].ipv6_cidrs]
                    if any(str(c) in seen and seen[str(c)] != aname for c in cidrs):
                        # TGW-06: a VPC whose CIDR is identical to an attached VPC's is not propagated.
                        network.warnings.append(
                            f"{setting}: routes of attachment {aname} not propagated (identical CIDR, TGW-06)")
                        continue
                    for c in cidrs:
                        seen[str(c)] = aname
                else:
                    cidrs = list(att.remote_cidrs)
                active = att.state == "available"
                for c in cidrs:
                    compiled.add(CompiledRoute(str(c), c, "attachment", att.node, aname, "propagated", None, active,
                                               "" if active else f"attachment {aname} is {att.state}"))
            tables[rname] = compiled
            network.route_tables[setting] = compiled
        network.transit_gateways[f"tgw:{tname}"] = TransitGatewayInfo(f"tgw:{tname}", tname, attachments, tables)


def _expand_destination(design: Design, destination) -> list[tuple[IPNetwork, str | None]]:
    if isinstance(destination, IPNetwork):
        return [(destination, None)]
    found = resolve.prefix_list(design, destination)
    if found is None:
        return []
    return [(c, found.name) for c in found.resource.cidrs]


def _build_prefix_lists(network: Network, design: Design) -> None:
    for name, pl in design.prefix_lists.items():
        network.prefix_lists[name] = list(pl.cidrs)


def _build_onprem(network: Network, design: Design) -> None:
    for name, op in sorted(design.on_premises.items()):
        node = f"onprem:{name}"
        network.onprem[node] = OnPremInfo(node, name, list(op.cidrs), op.via, op.state)
        for alias in (name, op.id, op.tags.get("Name")):
            network._register_name(alias, node)


def _build_account_addresses(network: Network, design: Design) -> None:
    """Elastic IPs no live resource holds: allocated and unused, or released with a deleted resource."""
    # still allocated to the account wins over released (the account got the address back, or kept it)
    for name, eip in sorted(design.elastic_ips.items(), key=lambda item: (not item[1].released, item[0])):
        if eip.address is None:
            continue
        key = ip_key(eip.address)
        if key in network._public or key in network._private:
            continue  # a live resource holds it
        what = (f"the address of deleted NAT gateway {eip.nat_gateway}" if eip.released and eip.nat_gateway else
                f"elastic IP {name}" + (f" (of NAT gateway {eip.nat_gateway})" if eip.nat_gateway else ""))
        network.account_addresses[key] = (what, eip.released)


def _derive_onprem(network: Network) -> None:
    """Networks behind a VPN or Direct Connect that the input implies without naming them (VGW-01, TGW-01).

    A route-table route to a virtual private gateway (static or propagated), a VPN gateway's known
    remote CIDRs, and a transit gateway's VPN / Direct Connect attachments (their remote CIDRs and the
    TGW routes that point at them) all say "this prefix is on premises". Such an address is then an
    on-premises host, as a source and as a destination — never an internet host.
    """
    covered = {c for info in network.onprem.values() for c in info.cidrs}
    derived: dict[str, list[IPNetwork]] = {}
    for vgw, prefixes in network.vpn_prefixes.items():
        derived.setdefault(vgw, []).extend(prefixes)
    for table in network.route_tables.values():
        for route in table.routes:
            if route.target_kind == "vpn_gateway":
                derived.setdefault(route.target, []).append(route.network)
    for tgw in network.transit_gateways.values():
        onprem_attachments = {a.node: a for a in tgw.attachments.values()
                              if a.type in ("vpn", "direct-connect-gateway", "connect")}
        for att in onprem_attachments.values():
            derived.setdefault(att.node, []).extend(att.remote_cidrs)
        for table in tgw.route_tables.values():
            for route in table.routes:
                if route.target in onprem_attachments:
                    derived.setdefault(route.target, []).append(route.network)
    for via, prefixes in sorted(derived.items()):
        cidrs = [c for c in dict.fromkeys(prefixes) if c not in covered and c.prefixlen > 0]
        if not cidrs:
            continue
        kind, _, rest = via.partition(":")
        name = rest.split("/", 1)[-1]
        node = f"onprem:{kind}-{rest.replace('/', '-')}"
        # `via` as _from_onprem matches it: the VGW's name, or the TGW attachment's node
        network.onprem[node] = OnPremInfo(node, f"behind {name}", cidrs, name if kind == "vgw" else via)


def _service_prefix_list(design: Design, endpoint) -> tuple[str | None, list[IPNetwork]]:
    if endpoint.prefix_list:
        found = resolve.prefix_list(design, endpoint.prefix_list)
        if found is not None:
            return found.name, list(found.resource.cidrs)
    short = endpoint.service.rsplit(".", 1)[-1].lower()
    for name, pl in sorted(design.prefix_lists.items()):
        label = f"{name} {pl.tags.get('Name', '')} {pl.id or ''}".lower()
        if short and short in label.replace("com.amazonaws.", " "):
            return name, list(pl.cidrs)
    return None, []


#: Endpoint types that hand traffic to an inspection appliance (VPCE-06).
INSPECTION_ENDPOINT_TYPES = ("gateway_load_balancer", "network_firewall")


def _build_gateway_endpoints(network: Network, design: Design) -> None:
    for vname, vpc in design.iter_vpcs():
        for name, ep in sorted(vpc.endpoints.items()):
            if ep.type == "interface":
                continue
            node = f"vpce:{vname}/{name}"
            if ep.type in INSPECTION_ENDPOINT_TYPES:
                subnet = _subnet_node(design, vname, ep.subnets[0]) if ep.subnets else None
                network.inspection_endpoints[node] = InspectionEndpointInfo(
                    node, vname, name, ep.type, ep.service, ep.state, subnet or None)
                for alias in (name, f"{vname}/{name}", ep.id, ep.tags.get("Name")):
                    network._register_name(alias, node)
                continue
            _, cidrs = _service_prefix_list(design, ep)
            network.gateway_endpoints[node] = GatewayEndpointInfo(node, vname, name, ep.service, ep.state, cidrs)
            for alias in (name, f"{vname}/{name}", ep.id, ep.tags.get("Name")):
                network._register_name(alias, node)


def _route_target(network: Network, design: Design, vpc: str, target: str) -> tuple[str, str, bool, str]:
    """(kind, node, active, reason) of a route target seen from ``vpc``."""
    ref = _fast_route_target(design, vpc, target)
    if ref is None and target.startswith("vpce-"):
        # An endpoint the input does not list (describe-vpc-endpoints omits Network Firewall endpoints,
        # and another account's endpoint is not visible): an appliance hop, never a silent answer.
        node = f"vpce:{vpc}/{target}"
        network.inspection_endpoints.setdefault(node, InspectionEndpointInfo(
            node, vpc, target, "unlisted", "", "available", None))
        return "vpc_endpoint", node, True, ""
    if ref is None:
        return "blackhole", f"missing:{target}", False, f"the route's target {target} does not exist"
    if ref.kind == "local":
        return "local", f"router:{vpc}", True, ""
    if ref.kind == "blackhole":
        return "blackhole", "blackhole", False, "a blackhole route"
    if ref.kind in ("transit_gateway", "peering_connection"):
        if ref.kind == "transit_gateway":
            node = f"tgw:{ref.name}"
            info = network.transit_gateways.get(node)
            attached = [a for a in (info.attachments.values() if info else []) if a.vpc == vpc]
            if not attached:
                return "transit_gateway", node, False, f"transit gateway {ref.name} has no attachment to VPC {vpc}"
            if all(a.state != "available" for a in attached):
                return "transit_gateway", node, False, f"the attachment of VPC {vpc} to {ref.name} is {attached[0].state}"
            return "transit_gateway", node, True, ""
        node = f"pcx:{ref.name}"
        pcx = network.peerings[node]
        if pcx.other(vpc) is None:
            return "peering_connection", node, False, f"peering {ref.name} does not involve VPC {vpc}"
        if pcx.state != "active":
            return "peering_connection", node, False, f"peering {ref.name} is {pcx.state}, not active (PCX-08)"
        return "peering_connection", node, True, ""
    if ref.vpc != vpc:
        return ref.kind, f"{ref.kind}:{ref.vpc}/{ref.name}", False, (
            f"{target} belongs to VPC {ref.vpc}, not to VPC {vpc}")
    if ref.kind == "internet_gateway":
        return ref.kind, f"igw:{vpc}/{ref.name}", True, ""
    if ref.kind == "egress_only_internet_gateway":
        return ref.kind, f"eigw:{vpc}/{ref.name}", True, ""
    if ref.kind == "vpn_gateway":
        return ref.kind, f"vgw:{vpc}/{ref.name}", True, ""
    if ref.kind == "nat_gateway":
        node = f"nat:{vpc}/{ref.name}"
        if node not in network.interfaces:
            # Its subnet is not in the design (REF001 says where): such a NAT gateway cannot exist, and a route to
            # a target that does not exist is a blackhole (RT-10).
            return ref.kind, node, False, f"NAT gateway {ref.name} has no subnet of the design, so it does not exist"
        state = ref.resource.state
        return ref.kind, node, state == "available", "" if state == "available" else (
            f"NAT gateway {ref.name} is {state} (RT-10)")
    if ref.kind in ("instance", "network_interface"):
        node = f"eni:{vpc}/{ref.name}"
        iface = network.interfaces.get(node)
        if iface is None:
            return "network_interface", node, False, f"{ref.name} has no usable interface"
        if not iface.usable:
            return "network_interface", node, False, f"{ref.name} is {iface.state} (RT-10)"
        return "network_interface", node, True, ""
    if ref.kind == "vpc_endpoint":
        node = f"vpce:{vpc}/{ref.name}"
        state = ref.resource.state
        return ref.kind, node, state == "available", "" if state == "available" else f"endpoint {ref.name} is {state}"
    return ref.kind, f"{ref.kind}:{ref.name}", False, f"unsupported route target kind {ref.kind}"


def _fast_route_target(design: Design, vpc: str, target: str) -> resolve.Ref | None:
    """:func:`resolve.route_target`, with exact names looked up first.

    Exact keys of this VPC's collections, then of the design's transit gateways and peering
    connections, are found without scanning every VPC's resources for ids and tags (which
    dominates building large networks); anything else goes through the shared resolver.
    """
    if target in ("local", "blackhole"):
        return resolve.route_target(design, vpc, target)
    model = design.vpcs[vpc]
    for collection, kind in resolve.ROUTE_TARGET_COLLECTIONS:
        if target in getattr(model, collection):
            return resolve.find_in_vpc(design, vpc, collection, target, kind)
    if target in design.transit_gateways:
        return resolve.transit_gateway(design, target)
    if target in design.peering_connections:
        return resolve.peering_connection(design, target)
    return resolve.route_target(design, vpc, target)


def _build_route_tables(network: Network, design: Design) -> None:
    for vname, vpc in design.iter_vpcs():
        info = network.vpcs[vname]
        gateway_routes: dict[str, list[GatewayEndpointInfo]] = {}
        for name, ep in vpc.endpoints.items():
            if ep.type == "interface" or ep.type in INSPECTION_ENDPOINT_TYPES:
                continue
            for rref in ep.route_tables:
                rname = resolve.find_in(vpc.route_tables, rref)
                if rname:
                    gateway_routes.setdefault(rname, []).append(network.gateway_endpoints[f"vpce:{vname}/{name}"])
        for rname, table in sorted(vpc.route_tables.items()):
            setting = f"rtb:{vname}/{rname}"
            compiled = CompiledRouteTable(setting)
            explicit_local = set()
            for route in table.routes:
                kind, node, active, reason = _route_target(network, design, vname, route.target)
                if route.state == "blackhole":
                    active, reason = False, reason or f"the route is in blackhole state (its target {route.target} is gone)"
                for net, pl in _expand_destination(design, route.destination):
                    if route.origin == "propagated" and any(
                            net.version == c.version and net in c for c in (*info.cidrs, *info.ipv6_cidrs)):
                        continue  # RT-04: a propagated route inside the VPC's CIDR never beats the local route
                    if kind == "local":
                        explicit_local.add(str(net.cidr))
                    compiled.add(CompiledRoute(str(route.destination), net, kind, node, route.target, route.origin, pl,
                                               active, reason))
            for cidr in (*info.cidrs, *info.ipv6_cidrs):
                if str(cidr.cidr) not in explicit_local:
                    compiled.add(CompiledRoute(str(cidr), cidr, "local", f"router:{vname}", "local"))  # RT-03
            for gw in gateway_routes.get(rname, []):
                pl_name, _ = _service_prefix_list(design, vpc.endpoints[gw.name])
                active = gw.state == "available"
                for net in gw.cidrs:
                    compiled.add(CompiledRoute(pl_name or gw.service, net, "vpc_endpoint", gw.node, gw.name, "static",
                                               pl_name or gw.service, active, "" if active else f"endpoint is {gw.state}"))
            for vref in table.propagating_vpn_gateways:
                vgw = resolve.find_in(vpc.vpn_gateways, vref)
                if vgw is None:
                    continue
                cidrs = list(vpc.vpn_gateways[vgw].remote_cidrs)
                for op in design.on_premises.values():
                    if op.via and resolve.find_in(vpc.vpn_gateways, op.via) == vgw:
                        cidrs.extend(op.cidrs)
                for net in cidrs:
                    compiled.add(CompiledRoute(str(net), net, "vpn_gateway", f"vgw:{vname}/{vgw}", vgw, "propagated"))
            network.route_tables[setting] = compiled


def _build_nacls(network: Network, design: Design) -> None:
    for vname, vpc in design.iter_vpcs():
        for name, nacl in vpc.network_acls.items():
            setting = f"nacl:{vname}/{name}"
            network.nacls[setting] = CompiledNacl.compile(setting, nacl)


def _build_security_groups(network: Network, design: Design) -> None:
    members: dict[str, set[IpKey]] = {}
    for iface in network.interfaces.values():
        for group in iface.security_groups:
            members.setdefault(group, set()).update(iface.own_keys())
    frozen = {k: frozenset(v) for k, v in members.items()}
    for vname, vpc in design.iter_vpcs():
        for name, group in vpc.security_groups.items():
            setting = f"sg:{vname}/{name}"
            compiled = CompiledSecurityGroup(setting, name)
            for direction, rules in (("ingress", group.ingress), ("egress", group.egress)):
                target = compiled.ingress if direction == "ingress" else compiled.egress
                for r in rules:
                    peer = r.source if direction == "ingress" else r.destination
                    target.append(_compile_sg_rule(network, design, vname, r, peer, frozen, direction))
            network.security_groups[setting] = compiled


def _compile_sg_rule(network: Network, design: Design, vpc: str, rule, peer, members,
                     direction: str = "ingress") -> SgRule:
    low = rule.ports.low if rule.ports else None
    high = rule.ports.high if rule.ports else None
    common = dict(protocol=rule.protocol, low=low, high=high, icmp=(rule.icmp_type, rule.icmp_code))
    if isinstance(peer, IPNetwork):
        return SgRule(**common, peer_kind="cidr", peer=str(peer.cidr),
                      ranges=((peer.version, int(peer.first), int(peer.last)),))
    pl = resolve.prefix_list(design, peer)
    if pl is not None:
        return SgRule(**common, peer_kind="cidr", peer=f"prefix list {pl.name}",
                      ranges=tuple((c.version, int(c.first), int(c.last)) for c in pl.resource.cidrs))
    ref = resolve.security_group(design, vpc, peer)
    if ref is None:
        return SgRule(**common, peer_kind="none", peer=f"group {peer}",
                      note=f"group {peer} does not exist, so the rule matches nothing (stale rule, SG-07/SG-08)")
    label = f"group {ref.name}" if ref.vpc == vpc else f"group {ref.vpc}/{ref.name}"
    if ref.vpc != vpc and not _can_reference(network, design, vpc, ref.vpc, direction):
        over_tgw = direction == "egress" and _can_reference(network, design, vpc, ref.vpc, "ingress")
        return SgRule(**common, peer_kind="none", peer=label, note=(
            f"group {ref.vpc}/{ref.name} is in a VPC reached through a transit gateway, and security-group "
            "references across a transit gateway work in inbound rules only, so this outbound rule matches nothing"
            if over_tgw else
            f"group {ref.vpc}/{ref.name} is in another VPC without an active same-region peering, "
            "so the rule matches nothing (SG-05)"))
    return SgRule(**common, peer_kind="group", peer=label, members=members.get(f"sg:{ref.vpc}/{ref.name}", frozenset()))


def _can_reference(network: Network, design: Design, vpc: str, other: str, direction: str = "ingress") -> bool:
    """Can a rule of ``vpc`` name a group of ``other``? Over an active same-region peering both ways (SG-05);
    over transit gateway attachments with security-group referencing, in inbound rules only."""
    for pcx in network.peerings.values():
        if pcx.active and pcx.same_region and {pcx.requester, pcx.accepter} == {vpc, other}:
            return True
    if direction != "ingress":
        return False
    for tgw in network.transit_gateways.values():
        mine = [a for a in tgw.attachments.values() if a.vpc == vpc and a.security_group_referencing]
        theirs = [a for a in tgw.attachments.values() if a.vpc == other and a.security_group_referencing]
        if mine and theirs:
            return True
    return False

