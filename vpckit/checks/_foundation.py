"""Helpers shared by the foundation rules (addressing, references, routing, limits).

Findings point at the key the user wrote. The model accepts aliases (``nacl`` for
``network_acl``, ``nacls`` for ``network_acls``) and shorthands (``internet_gateway: igw``), so
:func:`written` maps a model path onto the spelling present in the source file.

>>> findings_of("VPC001", {"vpcs": {"prod": {"cidr": "10.0.0.0/8"}}})
['VPC001 vpcs.prod.cidr: VPC prod primary CIDR 10.0.0.0/8 is a /8; AWS allows /16 to /28 (CIDR-01)']
"""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple

from netaddr import IPAddress, IPNetwork

from ..model import Design, Path, Vpc
from ..network.resolve import find_in

__all__ = [
    "written",
    "overlaps",
    "inside",
    "cidr_text",
    "Placement",
    "placements",
    "Assignment",
    "assignments",
    "security_group_sites",
    "subnet_az",
    "kind_of",
    "findings_of",
]

# Model field name -> the aliases a file may use instead.
ALIASES: dict[str, tuple[str, ...]] = {
    "network_acls": ("nacls",),
    "network_acl": ("nacl",),
    "map_public_ip_on_launch": ("auto_public_ip",),
    "default_network_acl": ("default_nacl",),
    "cidrs": ("entries",),
    "source": ("from",),
    "destination": ("to",),
}

# Collection -> the one-item shorthand a VPC may use (``internet_gateway: igw``).
SHORTHANDS: dict[str, str] = {
    "internet_gateways": "internet_gateway",
    "egress_only_internet_gateways": "egress_only_internet_gateway",
    "vpn_gateways": "vpn_gateway",
}


def written(design: Design, *path: str | int) -> Path:
    """``path`` spelled as in the design's source file (aliases and shorthands resolved).

    >>> from vpckit.sources.native import loads
    >>> d = loads("vpcs: {p: {cidr: 10.0.0.0/16, internet_gateway: igw, nacls: {x: {}}}}")
    >>> written(d, "vpcs", "p", "internet_gateways", "igw"), written(d, "vpcs", "p", "network_acls", "x")
    (('vpcs', 'p', 'internet_gateway'), ('vpcs', 'p', 'nacls', 'x'))
    """
    positions = design.source.positions
    result: Path = ()
    for part in path:
        candidate = (*result, part)
        if candidate in positions or not isinstance(part, str):
            result = candidate
            continue
        alias = next((a for a in ALIASES.get(part, ()) if (*result, a) in positions), None)
        if alias is not None:
            result = (*result, alias)
            continue
        short = SHORTHANDS.get(part)
        if short is not None and (*result, short) in positions:
            return (*result, short)
        result = candidate
    return result


def overlaps(a: IPNetwork, b: IPNetwork) -> bool:
    """True when two networks of the same family share an address.

    >>> overlaps(IPNetwork("10.0.0.0/16"), IPNetwork("10.0.128.0/17")), overlaps(IPNetwork("10.0.0.0/24"), IPNetwork("10.0.1.0/24"))
    (True, False)
    """
    return a.version == b.version and a.first <= b.last and b.first <= a.last


def inside(inner: IPNetwork | IPAddress, outer: IPNetwork) -> bool:
    """True when ``inner`` (a network or an address) lies entirely within ``outer``.

    >>> inside(IPNetwork("10.0.1.0/24"), IPNetwork("10.0.0.0/16")), inside(IPAddress("10.1.0.1"), IPNetwork("10.0.0.0/16"))
    (True, False)
    """
    if inner.version != outer.version:
        return False
    if isinstance(inner, IPAddress):
        return outer.first <= int(inner) <= outer.last
    return outer.first <= inner.first and inner.last <= outer.last


def cidr_text(cidrs: list[IPNetwork]) -> str:
    """CIDRs joined for a message.

    >>> cidr_text([IPNetwork("10.0.0.0/16"), IPNetwork("10.1.0.0/16")])
    '10.0.0.0/16, 10.1.0.0/16'
    """
    return ", ".join(str(c) for c in cidrs) or "(none)"


def subnet_az(vpc: Vpc, ref: str) -> str | None:
    """The AZ of the subnet ``ref`` names in ``vpc``, or None when it does not resolve.

    >>> subnet_az(Vpc(cidr="10.0.0.0/16", subnets={"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}}), "a")
    'us-east-1a'
    """
    name = find_in(vpc.subnets, ref)
    return vpc.subnets[name].az if name is not None else None


class Placement(NamedTuple):
    """A resource's network interface placed in a subnet (one per subnet for multi-subnet resources)."""

    collection: str
    name: str
    subnet: str
    path: Path  # model path of the subnet reference
    addresses: int  # how many private addresses the placement consumes


def placements(vpc: Vpc) -> Iterator[Placement]:
    """Every subnet reference of a VPC's resources that puts an interface in the subnet.

    >>> vpc = Vpc(cidr="10.0.0.0/16", nat_gateways={"n": {"subnet": "a"}})
    >>> [(p.collection, p.name, p.subnet, p.path) for p in placements(vpc)]
    [('nat_gateways', 'n', 'a', ('nat_gateways', 'n', 'subnet'))]
    """
    for collection in ("instances", "network_interfaces"):
        for name, item in getattr(vpc, collection).items():
            yield Placement(collection, name, item.subnet, (collection, name, "subnet"),
                            1 + len(item.secondary_private_ips))
    for collection in ("nat_gateways", "efs_mount_targets"):
        for name, item in getattr(vpc, collection).items():
            yield Placement(collection, name, item.subnet, (collection, name, "subnet"), 1)
    for name, endpoint in vpc.endpoints.items():
        if endpoint.type != "gateway":  # gateway endpoints have no interfaces
            for index, subnet in enumerate(endpoint.subnets):
                yield Placement("endpoints", name, subnet, ("endpoints", name, "subnets", index), 1)
    for collection in ("load_balancers", "lambda_functions"):
        for name, item in getattr(vpc, collection).items():
            for index, subnet in enumerate(item.subnets):
                yield Placement(collection, name, subnet, (collection, name, "subnets", index), 1)
    for name, rds in vpc.rds_instances.items():
        subnet, path = _rds_subnet(vpc, name)
        if subnet is not None:
            yield Placement("rds_instances", name, subnet, path, 1)


def _rds_subnet(vpc: Vpc, name: str) -> tuple[str | None, Path]:
    """The subnet an RDS instance's interface is in: its own ``subnet``, else its group's first."""
    rds = vpc.rds_instances[name]
    if rds.subnet is not None:
        return rds.subnet, ("rds_instances", name, "subnet")
    group = find_in(vpc.db_subnet_groups, rds.subnet_group)
    if group is None or not vpc.db_subnet_groups[group].subnets:
        return None, ("rds_instances", name, "subnet_group")
    return vpc.db_subnet_groups[group].subnets[0], ("rds_instances", name, "subnet_group")


class Assignment(NamedTuple):
    """A private address written in the design, with the subnet it must belong to."""

    address: IPAddress
    subnet: str
    path: Path  # model path (inside the VPC) of the address value
    owner: str  # "instance app-1"


_KIND = {
    "instances": "instance", "network_interfaces": "network interface", "nat_gateways": "NAT gateway",
    "efs_mount_targets": "EFS mount target", "rds_instances": "RDS instance", "endpoints": "endpoint",
    "load_balancers": "load balancer", "lambda_functions": "Lambda function",
}


def assignments(vpc: Vpc) -> Iterator[Assignment]:
    """Every private address (IPv4 and IPv6) written on a VPC's resources.

    >>> vpc = Vpc(cidr="10.0.0.0/16", instances={"i": {"subnet": "a", "private_ip": "10.0.0.9"}})
    >>> [(str(a.address), a.subnet, a.owner) for a in assignments(vpc)]
    [('10.0.0.9', 'a', 'instance i')]
    """
    for collection in ("instances", "network_interfaces"):
        for name, item in getattr(vpc, collection).items():
            owner = f"{_KIND[collection]} {name}"
            if item.private_ip is not None:
                yield Assignment(item.private_ip, item.subnet, (collection, name, "private_ip"), owner)
            for field in ("secondary_private_ips", "ipv6_addresses"):
                for index, address in enumerate(getattr(item, field)):
                    yield Assignment(address, item.subnet, (collection, name, field, index), owner)
    for collection in ("nat_gateways", "efs_mount_targets"):
        for name, item in getattr(vpc, collection).items():
            if item.private_ip is not None:
                yield Assignment(item.private_ip, item.subnet, (collection, name, "private_ip"),
                                 f"{_KIND[collection]} {name}")
    for name, rds in vpc.rds_instances.items():
        subnet, _ = _rds_subnet(vpc, name)
        if rds.private_ip is not None and subnet is not None:
            yield Assignment(rds.private_ip, subnet, ("rds_instances", name, "private_ip"), f"RDS instance {name}")
    for collection in ("endpoints", "load_balancers"):
        for name, item in getattr(vpc, collection).items():
            for index, address in enumerate(item.private_ips):
                if index < len(item.subnets):
                    yield Assignment(address, item.subnets[index], (collection, name, "private_ips", index),
                                     f"{_KIND[collection]} {name}")


def security_group_sites(vpc: Vpc) -> Iterator[tuple[str, str, list[str]]]:
    """``(collection, name, groups)`` for every resource of a VPC that has security groups.

    >>> list(security_group_sites(Vpc(cidr="10.0.0.0/16", efs_mount_targets={"m": {"subnet": "a", "security_groups": ["x"]}})))
    [('efs_mount_targets', 'm', ['x'])]
    """
    for collection in ("instances", "network_interfaces", "endpoints", "load_balancers", "rds_instances",
                       "lambda_functions", "efs_mount_targets"):
        for name, item in getattr(vpc, collection).items():
            yield collection, name, item.security_groups


def kind_of(collection: str) -> str:
    """A readable name for the resources of a collection.

    >>> kind_of("nat_gateways")
    'NAT gateway'
    """
    return _KIND.get(collection, collection.rstrip("s").replace("_", " "))


def findings_of(rule_id: str, data: dict[str, Any]) -> list[str]:
    """Run one rule on a design given as a dict (read through the native reader); for examples and tests.

    Each finding is ``RULE dotted.path: message``.

    >>> findings_of("VPC013", {"vpcs": {"dev": {"cidr": "10.0.0.0/16"}}})
    []
    """
    import yaml

    from ..sources.native import loads
    from . import RULES, load_rules
    from .registry import CheckContext

    load_rules()
    design = loads(yaml.safe_dump(data, sort_keys=False), "<example>")
    return [f"{f.rule} {'.'.join(str(p) for p in f.path)}: {f.message}"
            for f in RULES[rule_id].check(CheckContext(design))]
