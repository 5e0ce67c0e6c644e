"""Resolving references in a design: a name, AWS id or Name tag → the resource it means.

Every consumer (the network builder, the checks, the renderer) resolves references through
these functions, so that "what does `nat-a` mean in VPC prod" has one answer.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterator, Literal

from ..model import Design, TransitGateway, TransitGatewayAttachment, Vpc

__all__ = [
    "Ref",
    "TargetKind",
    "ROUTE_TARGET_COLLECTIONS",
    "find_in",
    "find_in_vpc",
    "route_target",
    "security_group",
    "prefix_list",
    "transit_gateway",
    "peering_connection",
    "vpc_attachments",
]

TargetKind = Literal[
    "local",
    "blackhole",
    "internet_gateway",
    "egress_only_internet_gateway",
    "vpn_gateway",
    "nat_gateway",
    "network_interface",
    "instance",
    "vpc_endpoint",
    "transit_gateway",
    "peering_connection",
]

#: The VPC collections a route target may name, with the kind each one yields (RT-09).
ROUTE_TARGET_COLLECTIONS: tuple[tuple[str, TargetKind], ...] = (
    ("internet_gateways", "internet_gateway"),
    ("egress_only_internet_gateways", "egress_only_internet_gateway"),
    ("vpn_gateways", "vpn_gateway"),
    ("nat_gateways", "nat_gateway"),
    ("network_interfaces", "network_interface"),
    ("instances", "instance"),
    ("endpoints", "vpc_endpoint"),
)


@dataclass(frozen=True)
class Ref:
    """A resolved reference: what kind of thing it is, where it lives, and its design name.

    ``vpc`` is None for design-level resources (transit gateways, peering connections,
    prefix lists). ``path`` is its key path in the design, for positions.
    """

    kind: str
    name: str
    vpc: str | None
    path: tuple[str, ...]
    resource: Any = None


def _matches(name: str, resource: Any, ref: str) -> bool:
    if ref == name:
        return True
    if getattr(resource, "id", None) == ref:
        return True
    tags = getattr(resource, "tags", None) or {}
    return tags.get("Name") == ref


def find_in(items: dict[str, Any], ref: str) -> str | None:
    """The key of ``items`` that ``ref`` names (by key first, then AWS id, then Name tag).

    >>> from vpckit.model import Subnet
    >>> find_in({"a": Subnet(az="x", cidr="10.0.0.0/24", id="subnet-1")}, "subnet-1")
    'a'
    """
    if ref in items:
        return ref
    by_id, by_tag = _index(items)
    name = by_id.get(ref)
    if name is None:
        name = by_tag.get(ref)
    return name if name in items else None


# Designs are read-only once validated, so each collection's id/Name index is built once. The
# cache holds the collection itself, so its id() cannot be reused while the entry lives.
_INDEX_CACHE: "OrderedDict[int, tuple[dict[str, Any], int, dict[str, str], dict[str, str]]]" = OrderedDict()
_INDEX_CACHE_SIZE = 4096


def _index(items: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    cached = _INDEX_CACHE.get(id(items))
    if cached is not None and cached[0] is items and cached[1] == len(items):
        _INDEX_CACHE.move_to_end(id(items))
        return cached[2], cached[3]
    by_id: dict[str, str] = {}
    by_tag: dict[str, str] = {}
    for name, resource in items.items():
        resource_id = getattr(resource, "id", None)
        if resource_id is not None:
            by_id.setdefault(resource_id, name)
        tag = (getattr(resource, "tags", None) or {}).get("Name")
        if tag is not None:
            by_tag.setdefault(tag, name)
    _INDEX_CACHE[id(items)] = (items, len(items), by_id, by_tag)
    if len(_INDEX_CACHE) > _INDEX_CACHE_SIZE:
        _INDEX_CACHE.popitem(last=False)
    return by_id, by_tag


def find_in_vpc(design: Design, vpc_name: str, collection: str, ref: str, kind: str | None = None) -> Ref | None:
    """Resolve ``ref`` within one collection of one VPC (``subnets``, ``security_groups``...).

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}})
    >>> find_in_vpc(d, "p", "route_tables", "main").path
    ('vpcs', 'p', 'route_tables', 'main')
    """
    vpc: Vpc = design.vpcs[vpc_name]
    items = getattr(vpc, collection)
    name = find_in(items, ref)
    if name is None:
        return None
    return Ref(kind or collection.rstrip("s"), name, vpc_name, ("vpcs", vpc_name, collection, name), items[name])


def transit_gateway(design: Design, ref: str) -> Ref | None:
    """Resolve a transit gateway by name, id or Name tag."""
    name = find_in(design.transit_gateways, ref)
    if name is None:
        return None
    return Ref("transit_gateway", name, None, ("transit_gateways", name), design.transit_gateways[name])


def peering_connection(design: Design, ref: str) -> Ref | None:
    """Resolve a peering connection by name, id or Name tag."""
    name = find_in(design.peering_connections, ref)
    if name is None:
        return None
    return Ref("peering_connection", name, None, ("peering_connections", name), design.peering_connections[name])


def prefix_list(design: Design, ref: str) -> Ref | None:
    """Resolve a managed prefix list by name, id (``pl-…``) or Name tag.

    >>> d = Design.model_validate({"vpcs": {}, "prefix_lists": {"s3": {"id": "pl-63a5400a", "cidrs": ["52.216.0.0/15"]}}})
    >>> prefix_list(d, "pl-63a5400a").name
    's3'
    """
    name = find_in(design.prefix_lists, ref)
    if name is None:
        return None
    return Ref("prefix_list", name, None, ("prefix_lists", name), design.prefix_lists[name])


def vpc_attachments(design: Design, tgw: TransitGateway) -> Iterator[tuple[str, TransitGatewayAttachment, str]]:
    """A transit gateway's VPC attachments whose VPC is in the design, by name: (name, attachment, VPC).

    >>> d = Design.model_validate({"vpcs": {"a": {"cidr": "10.0.0.0/16", "id": "vpc-1"}},
    ...     "transit_gateways": {"hub": {"attachments": {"x": {"vpc": "vpc-1"}, "y": {"vpc": "vpc-9"}}}}})
    >>> [(name, vpc) for name, _, vpc in vpc_attachments(d, d.transit_gateways["hub"])]
    [('x', 'a')]
    """
    for name, attachment in sorted(tgw.attachments.items()):
        if attachment.type != "vpc" or attachment.vpc is None:
            continue
        vpc_name = design.find_vpc(attachment.vpc)
        if vpc_name is not None:
            yield name, attachment, vpc_name


def route_target(design: Design, vpc_name: str, target: str) -> Ref | None:
    """What a route's ``target`` names, seen from a route table of ``vpc_name``.

    Gateways, NAT gateways, interfaces, instances and endpoints are looked up in the same
    VPC first, then in every other VPC (so that a check can say "belongs to another VPC");
    transit gateways and peering connections are design-level.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw"}}})
    >>> route_target(d, "p", "igw").kind, route_target(d, "p", "local").kind
    ('internet_gateway', 'local')
    >>> route_target(d, "p", "nat-x") is None
    True
    """
    if target in ("local", "blackhole"):
        return Ref(target, target, vpc_name, ())
    for collection, kind in ROUTE_TARGET_COLLECTIONS:
        found = find_in_vpc(design, vpc_name, collection, target, kind)
        if found is not None:
            return found
    kinds = dict(ROUTE_TARGET_COLLECTIONS)
    for candidate_vpc, collection in _elsewhere(design, vpc_name, target):
        if collection in kinds:
            found = find_in_vpc(design, candidate_vpc, collection, target, kinds[collection])
            if found is not None:
                return found
    return transit_gateway(design, target) or peering_connection(design, target)


def security_group(design: Design, vpc_name: str, ref: str) -> Ref | None:
    """Resolve a security-group reference from a rule or an interface in ``vpc_name``.

    ``ref`` is a name or id in the same VPC, ``other-vpc/name`` for a peer VPC's group, an
    id of a group in another VPC, or ``account/sg-…`` (the account part is ignored).

    >>> d = Design.model_validate({"vpcs": {"a": {"cidr": "10.0.0.0/16"}, "b": {"cidr": "10.1.0.0/16"}}})
    >>> security_group(d, "a", "b/default").vpc
    'b'
    """
    if "/" in ref:
        owner, _, group = ref.partition("/")
        owner_vpc = design.find_vpc(owner)
        if owner_vpc is not None:
            return find_in_vpc(design, owner_vpc, "security_groups", group, "security_group")
        ref = group  # account-qualified id: 123456789012/sg-…
    found = find_in_vpc(design, vpc_name, "security_groups", ref, "security_group")
    if found is not None:
        return found
    for candidate_vpc, collection in _elsewhere(design, vpc_name, ref):
        if collection != "security_groups":
            continue
        found = find_in_vpc(design, candidate_vpc, collection, ref, "security_group")
        if found is not None and (ref.startswith("sg-") or found.resource.id == ref):
            return found
    return None


_VPC_COLLECTIONS = tuple(c for c, _ in ROUTE_TARGET_COLLECTIONS) + ("security_groups",)
_DESIGN_INDEX: "OrderedDict[int, tuple[dict[str, Any], dict[str, list[tuple[str, str]]]]]" = OrderedDict()


def _elsewhere(design: Design, vpc_name: str, ref: str) -> list[tuple[str, str]]:
    """The (VPC, collection) pairs outside ``vpc_name`` that may hold ``ref``, VPCs in name order."""
    vpcs = design.vpcs
    cached = _DESIGN_INDEX.get(id(vpcs))
    if cached is None or cached[0] is not vpcs:
        index: dict[str, list[tuple[str, str]]] = {}
        for name in sorted(vpcs):
            for collection in _VPC_COLLECTIONS:
                for key, resource in getattr(vpcs[name], collection).items():
                    refs = {key, getattr(resource, "id", None), (getattr(resource, "tags", None) or {}).get("Name")}
                    for each in refs - {None}:
                        places = index.setdefault(each, [])
                        if (name, collection) not in places:
                            places.append((name, collection))
        cached = (vpcs, index)
        _DESIGN_INDEX[id(vpcs)] = cached
        if len(_DESIGN_INDEX) > 256:
            _DESIGN_INDEX.popitem(last=False)
    return [place for place in cached[1].get(ref, ()) if place[0] != vpc_name]
