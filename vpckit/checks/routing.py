"""Routing rules: gateways per VPC, NAT gateways that can reach the internet, routes AWS rejects
(aws-semantics §1.3–§1.5).

>>> from vpckit.checks._foundation import findings_of
>>> findings_of("RT008", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw",
...     "route_tables": {"main": {"routes": [{"destination": "169.254.169.254/32", "target": "igw"}]}}}}})
['RT008 vpcs.p.route_tables.main.routes.0.destination: route table main has a route to 169.254.169.254/32, inside the reserved range 169.254.168.0/22 (RT-05)']
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

from netaddr import IPNetwork

from ..model import Design, Path, Route
from ..network import resolve
from ..network.resolve import Ref
from ._foundation import inside, overlaps, written
from .registry import CheckContext, Finding, rule

__all__ = ["RouteSite", "routes", "MIDDLEBOX_TARGETS", "RESERVED_DESTINATIONS", "NAT64_PREFIX"]

#: Targets AWS accepts for a route more specific than the local route, or replacing it (RT-03, RT-04).
#: An instance target resolves to its primary network interface, so it counts as one.
MIDDLEBOX_TARGETS = ("nat_gateway", "network_interface", "instance")
#: Destinations no route may equal or fall inside (RT-05).
RESERVED_DESTINATIONS = (IPNetwork("169.254.168.0/22"), IPNetwork("fd00:ec2::/32"))
#: The only IPv6 destination a NAT gateway serves (NAT64 with DNS64).
NAT64_PREFIX = IPNetwork("64:ff9b::/96")


class RouteSite(NamedTuple):
    """One route of a VPC route table, with where it is and what its target resolves to."""

    vpc: str
    table: str
    index: int
    route: Route
    target: Ref | None
    path: Path  # model path of the route


def routes(design: Design) -> Iterator[RouteSite]:
    """Every route of every VPC route table, its target resolved.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw",
    ...     "route_tables": {"pub": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}}}}})
    >>> [(s.table, s.target.kind) for s in routes(d)]
    [('pub', 'internet_gateway')]
    """
    for vpc_name, vpc in design.vpcs.items():
        for table_name, table in vpc.route_tables.items():
            for index, route in enumerate(table.routes):
                yield RouteSite(vpc_name, table_name, index, route, resolve.route_target(design, vpc_name, route.target),
                                ("vpcs", vpc_name, "route_tables", table_name, "routes", index))


_TARGET_WORDS = {
    "nat_gateway": "NAT gateway", "vpc_endpoint": "endpoint", "vpn_gateway": "VPN gateway",
    "egress_only_internet_gateway": "egress-only internet gateway",
}


def _label(site: RouteSite) -> str:
    return f"vpc {site.vpc} / route table {site.table}"


def _is_gwlb_endpoint(ref: Ref | None) -> bool:
    return ref is not None and ref.kind == "vpc_endpoint" and ref.resource.type == "gateway_load_balancer"


# --------------------------------------------------------------------------- IGW001


@rule("IGW001", "error", "More than one internet gateway (or egress-only gateway) in a VPC", semantics="IGW-01",
      rationale="AWS attaches at most one internet gateway and one egress-only internet gateway to a VPC, and an "
                "internet gateway to one VPC at a time.",
      fix="Keep one gateway of each kind per VPC and route through it.")
def one_gateway(ctx: CheckContext) -> Iterator[Finding]:
    """A second IGW or EIGW in a VPC; one gateway id attached to two VPCs.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("IGW001", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateways": {"a": {}, "b": {}}}}})
    ['IGW001 vpcs.p.internet_gateways.b: VPC p has internet gateways a, b; AWS attaches at most one per VPC (IGW-01)']
    """
    design = ctx.design
    owners: dict[str, str] = {}
    for vpc_name, vpc in design.vpcs.items():
        for collection, what in (("internet_gateways", "internet gateways"),
                                 ("egress_only_internet_gateways", "egress-only internet gateways")):
            gateways = getattr(vpc, collection)
            if len(gateways) > 1:
                second = list(gateways)[1]
                yield ctx.finding("IGW001", f"VPC {vpc_name} has {what} {', '.join(gateways)}; AWS attaches at most "
                                  "one per VPC (IGW-01)", written(design, "vpcs", vpc_name, collection, second),
                                  f"vpc {vpc_name}")
            for name, gateway in gateways.items():
                if gateway.id is None:
                    continue
                other = owners.setdefault(gateway.id, vpc_name)
                if other != vpc_name:
                    yield ctx.finding("IGW001", f"gateway {gateway.id} is attached to VPC {other} and to VPC "
                                      f"{vpc_name}; a gateway attaches to one VPC at a time (IGW-01)",
                                      written(design, "vpcs", vpc_name, collection, name), f"vpc {vpc_name}")


# --------------------------------------------------------------------------- RT005


@rule("RT005", "error", "Public NAT gateway cannot reach an internet gateway", semantics=("NAT-01",),
      rationale="A public NAT gateway sends its traffic to the internet gateway through its own subnet's route "
                "table; AWS refuses to create one in a VPC without an internet gateway (scenario S50), and in a "
                "subnet without an IGW route it drops everything (S07).",
      fix="Put the NAT gateway in a public subnet (route 0.0.0.0/0 to the VPC's internet gateway).")
def nat_without_igw(ctx: CheckContext) -> Iterator[Finding]:
    """Public NAT gateways in a VPC without an IGW, or in a subnet whose table has no route to the IGW.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("RT005", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {"a": {"az": "x", "cidr": "10.0.0.0/24"}},
    ...     "nat_gateways": {"nat": {"subnet": "a"}}}}})
    ['RT005 vpcs.p.nat_gateways.nat: public NAT gateway nat is in VPC p, which has no internet gateway; AWS refuses to create it (NAT-01, S50)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        for nat_name, nat in vpc.nat_gateways.items():
            if nat.connectivity != "public" or nat.state in ("deleted", "deleting", "failed"):
                continue
            label = f"vpc {vpc_name} / NAT gateway {nat_name}"
            if not vpc.internet_gateways:
                yield ctx.finding("RT005", f"public NAT gateway {nat_name} is in VPC {vpc_name}, which has no internet "
                                  "gateway; AWS refuses to create it (NAT-01, S50)",
                                  written(design, "vpcs", vpc_name, "nat_gateways", nat_name), label)
                continue
            subnet_name = resolve.find_in(vpc.subnets, nat.subnet)
            if subnet_name is None:
                continue  # REF001
            table_name = vpc.subnets[subnet_name].route_table or vpc.main_route_table
            table = vpc.route_tables.get(resolve.find_in(vpc.route_tables, table_name) or "")
            if table is None:
                continue  # REF001
            to_igw = [r for r in table.routes if r.state == "active" and isinstance(r.destination, IPNetwork)
                      and r.destination.version == 4 and _kind(design, vpc_name, r.target) == "internet_gateway"]
            if not to_igw:
                yield ctx.finding("RT005", f"public NAT gateway {nat_name} is in subnet {subnet_name}, whose route "
                                  f"table {table_name} has no route to an internet gateway; its traffic cannot "
                                  "reach the internet (NAT-01, S07)",
                                  written(design, "vpcs", vpc_name, "nat_gateways", nat_name, "subnet"), label)
            elif not any(r.destination.prefixlen == 0 for r in to_igw):
                yield ctx.finding("RT005", f"public NAT gateway {nat_name} is in subnet {subnet_name}, whose route "
                                  f"table {table_name} sends only {', '.join(str(r.destination) for r in to_igw)} to "
                                  "the internet gateway, not 0.0.0.0/0 (NAT-01)",
                                  written(design, "vpcs", vpc_name, "nat_gateways", nat_name, "subnet"), label,
                                  severity="warning")


def _kind(design: Design, vpc_name: str, target: str) -> str | None:
    ref = resolve.route_target(design, vpc_name, target)
    if ref is None or (ref.vpc is not None and ref.vpc != vpc_name):
        return None
    return ref.kind


# --------------------------------------------------------------------------- RT006


@rule("RT006", "error", "Route target is not part of the route table's VPC", semantics=("RT-09", "PCX-05", "TGW-07"),
      rationale="A route can only target a gateway, NAT gateway, interface or endpoint of its own VPC, a peering "
                "connection the VPC is one end of, or a transit gateway the VPC is attached to.",
      fix="Target a resource of this VPC, or create the peering or attachment first.")
def foreign_target(ctx: CheckContext) -> Iterator[Finding]:
    """Routes to another VPC's IGW/NAT/ENI/endpoint, or to a peering/TGW the VPC is not part of.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("RT006", {"vpcs": {"a": {"cidr": "10.0.0.0/16", "route_tables": {"main": {"routes": [
    ...     {"destination": "0.0.0.0/0", "target": "igw-b"}]}}}, "b": {"cidr": "10.1.0.0/16", "internet_gateway": "igw-b"}}})
    ["RT006 vpcs.a.route_tables.main.routes.0.target: route table main of VPC a routes 0.0.0.0/0 to internet gateway igw-b of VPC b; a route can only use its own VPC's gateways (RT-09, S05)"]
    """
    design = ctx.design
    for site in routes(design):
        ref = site.target
        if ref is None or site.route.state == "blackhole":
            continue
        path = written(design, *site.path, "target")
        head = f"route table {site.table} of VPC {site.vpc} routes {site.route.destination} to"
        if ref.vpc is not None and ref.vpc != site.vpc:
            kind = _TARGET_WORDS.get(ref.kind, ref.kind.replace("_", " "))
            yield ctx.finding("RT006", f"{head} {kind} {ref.name} of VPC {ref.vpc}; a route can only use its own "
                              "VPC's gateways (RT-09, S05)", path, _label(site))
        elif ref.kind == "peering_connection":
            ends = {design.find_vpc(ref.resource.requester), design.find_vpc(ref.resource.accepter)}
            if site.vpc not in ends:
                yield ctx.finding("RT006", f"{head} peering {ref.name}, which joins "
                                  f"{' and '.join(sorted(e or '?' for e in ends))}, not VPC {site.vpc} (PCX-05)",
                                  path, _label(site))
        elif ref.kind == "transit_gateway":
            attached = {design.find_vpc(att.vpc) for att in ref.resource.attachments.values() if att.vpc is not None}
            if site.vpc not in attached:
                yield ctx.finding("RT006", f"{head} transit gateway {ref.name}, but VPC {site.vpc} has no attachment "
                                  "to it (TGW-07)", path, _label(site))


# --------------------------------------------------------------------------- RT007


@rule("RT007", "error", "Route inside the VPC's CIDR that AWS rejects", semantics=("RT-04", "RT-03"),
      rationale="Routes more specific than the local route are accepted only when the destination is an entire "
                "subnet CIDR and the target a NAT gateway, network interface or Gateway Load Balancer endpoint "
                "(scenario S33); a route equal to a VPC CIDR can only replace the local route's target with one of "
                "those; `local` only applies to the VPC's own CIDRs. Routes a VPN gateway propagates are not "
                "rejected: AWS accepts them and the local route wins.",
      fix="Route a whole subnet CIDR to a middlebox, or remove the route.")
def inside_local(ctx: CheckContext) -> Iterator[Finding]:
    """Destinations equal to or inside a VPC CIDR that are not a permitted middlebox route.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("RT007", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "network_interfaces": {"fw": {"subnet": "a"}},
    ...     "subnets": {"a": {"az": "x", "cidr": "10.0.2.0/24"}},
    ...     "route_tables": {"main": {"routes": [{"destination": "10.0.2.0/25", "target": "fw"}]}}}}})
    ["RT007 vpcs.p.route_tables.main.routes.0.destination: route table main routes 10.0.2.0/25 to fw, inside VPC p's CIDR 10.0.0.0/16 (local route) but not an entire subnet CIDR; AWS rejects it (RT-04, S33)"]
    """
    design = ctx.design
    for site in routes(design):
        destination = site.route.destination
        if not isinstance(destination, IPNetwork):
            continue
        vpc = design.vpcs[site.vpc]
        blocks = [*vpc.cidrs, *vpc.ipv6_cidrs]
        block = next((b for b in blocks if inside(destination, b)), None)
        path = written(design, *site.path, "destination")
        target = site.route.target
        if site.target is not None and site.target.kind == "local":
            if destination not in blocks:
                yield ctx.finding("RT007", f"route table {site.table} routes {destination} to local, but the local "
                                  f"route covers exactly VPC {site.vpc}'s CIDRs ({', '.join(map(str, blocks))}) (RT-03)",
                                  path, _label(site))
            continue
        if block is None:
            continue
        if site.route.origin == "propagated":
            continue  # AWS accepts what a VGW propagates; the local route wins over it (RT-04, RT-07)
        middlebox = site.target is None or site.target.kind in MIDDLEBOX_TARGETS or _is_gwlb_endpoint(site.target)
        if destination == block:
            if not middlebox:
                yield ctx.finding("RT007", f"route table {site.table} routes {destination} (VPC {site.vpc}'s CIDR, the "
                                  f"local route) to {target}; only a NAT gateway, network interface or Gateway Load "
                                  "Balancer endpoint can replace the local target (RT-03)", path, _label(site))
            continue
        subnet_blocks = [c for s in vpc.subnets.values() for c in (s.cidr, s.ipv6_cidr) if c is not None]
        if destination not in subnet_blocks:
            yield ctx.finding("RT007", f"route table {site.table} routes {destination} to {target}, inside VPC "
                              f"{site.vpc}'s CIDR {block} (local route) but not an entire subnet CIDR; AWS rejects "
                              "it (RT-04, S33)", path, _label(site))
        elif not middlebox:
            yield ctx.finding("RT007", f"route table {site.table} routes subnet CIDR {destination} to {target}; a "
                              "route more specific than the local route must target a NAT gateway, network "
                              "interface or Gateway Load Balancer endpoint (RT-04)", path, _label(site))


# --------------------------------------------------------------------------- RT008


@rule("RT008", "error", "Route to a reserved destination", semantics="RT-05",
      rationale="AWS refuses routes equal to or inside 169.254.168.0/22 and fd00:ec2::/32 (instance metadata, "
                "DNS, time sync); scenario S37.",
      fix="Remove the route; those services are reached without routing.")
def reserved_destination(ctx: CheckContext) -> Iterator[Finding]:
    """Destinations equal to or inside 169.254.168.0/22 or fd00:ec2::/32 (larger ones are allowed).

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("RT008", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw",
    ...     "route_tables": {"main": {"routes": [{"destination": "169.254.0.0/16", "target": "igw"}]}}}}})
    []
    """
    design = ctx.design
    for site in routes(design):
        destination = site.route.destination
        if not isinstance(destination, IPNetwork):
            continue
        reserved = next((r for r in RESERVED_DESTINATIONS if inside(destination, r)), None)
        if reserved is not None:
            yield ctx.finding("RT008", f"route table {site.table} has a route to {destination}, inside the reserved "
                              f"range {reserved} (RT-05)", written(design, *site.path, "destination"), _label(site))


# --------------------------------------------------------------------------- RT009


@rule("RT009", "warning", "Overlapping prefix-list routes to different targets", semantics=("RT-07",),
      rationale="When two prefix-list routes share CIDRs and go to different targets, AWS picks one at random "
                "and sticks with it (RT-07(3), scenario S32): the route taken is not decided by the design.",
      fix="Make the prefix lists disjoint, or add a static CIDR route for the shared range (a static route wins).")
def ambiguous_prefix_lists(ctx: CheckContext) -> Iterator[Finding]:
    """Two prefix-list routes of one table with overlapping entries and different targets.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("RT009", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw",
    ...     "vpn_gateway": "vgw", "route_tables": {"main": {"routes": [
    ...     {"destination": "a", "target": "igw"}, {"destination": "b", "target": "vgw"}]}}}},
    ...     "prefix_lists": {"a": {"cidrs": ["192.0.2.0/24"]}, "b": {"cidrs": ["192.0.2.128/25"]}}})
    ['RT009 vpcs.p.route_tables.main.routes.1.destination: route table main routes prefix list b to vgw and prefix list a to igw; both contain 192.0.2.128/25, so AWS picks one at random (RT-07, S32)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        for table_name, table in vpc.route_tables.items():
            seen: list[tuple[str, str, list[IPNetwork]]] = []
            for index, route in enumerate(table.routes):
                if not isinstance(route.destination, str):
                    continue
                pl = resolve.prefix_list(design, route.destination)
                if pl is None:
                    continue
                target = resolve.route_target(design, vpc_name, route.target)
                target_key = target.path or target.name if target is not None else route.target
                for other_pl, other_target, other_key, other_cidrs in seen:
                    if other_key == target_key or other_pl == pl.name:
                        continue
                    common = _common(pl.resource.cidrs, other_cidrs)
                    if common is not None:
                        yield ctx.finding(
                            "RT009", f"route table {table_name} routes prefix list {pl.name} to {route.target} and "
                            f"prefix list {other_pl} to {other_target}; both contain {common}, so AWS picks one at "
                            "random (RT-07, S32)",
                            written(design, "vpcs", vpc_name, "route_tables", table_name, "routes", index,
                                    "destination"), f"vpc {vpc_name} / route table {table_name}")
                        break
                seen.append((pl.name, route.target, target_key, pl.resource.cidrs))


def _common(a: list[IPNetwork], b: list[IPNetwork]) -> IPNetwork | None:
    """The smaller of the first overlapping pair (the shared range)."""
    for x in a:
        for y in b:
            if overlaps(x, y):
                return x if x.prefixlen >= y.prefixlen else y
    return None


# --------------------------------------------------------------------------- RT010


@rule("RT010", "error", "Route destination family does not fit the target", semantics=("IGW-07", "NAT-06", "CIDR-10"),
      rationale="An egress-only internet gateway carries IPv6 only; a NAT gateway carries IPv4, plus IPv6 only for "
                "NAT64 (64:ff9b::/96). AWS rejects the other combinations.",
      fix="Route IPv4 through a NAT or internet gateway and IPv6 through the egress-only or internet gateway.")
def family_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    """IPv4 destinations to an egress-only gateway; IPv6 destinations (other than NAT64) to a NAT gateway.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("RT010", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "ipv6_cidrs": ["2600:1f18:1:100::/56"],
    ...     "egress_only_internet_gateway": "eigw", "route_tables": {"main": {"routes": [
    ...     {"destination": "0.0.0.0/0", "target": "eigw"}]}}}}})
    ['RT010 vpcs.p.route_tables.main.routes.0.destination: route table main routes IPv4 0.0.0.0/0 to egress-only internet gateway eigw, which carries IPv6 only (IGW-07)']
    """
    design = ctx.design
    for site in routes(design):
        if site.target is None:
            continue
        destination = site.route.destination
        family: int | None
        if isinstance(destination, IPNetwork):
            family = destination.version
        else:
            pl = resolve.prefix_list(design, destination)
            family = None if pl is None else (6 if pl.resource.address_family == "IPv6" else 4)
        if family is None:
            continue
        path = written(design, *site.path, "destination")
        if site.target.kind == "egress_only_internet_gateway" and family == 4:
            yield ctx.finding("RT010", f"route table {site.table} routes IPv4 {destination} to egress-only internet "
                              f"gateway {site.target.name}, which carries IPv6 only (IGW-07)", path, _label(site))
        elif site.target.kind == "nat_gateway" and family == 6 and not (
                isinstance(destination, IPNetwork) and inside(destination, NAT64_PREFIX)):
            yield ctx.finding("RT010", f"route table {site.table} routes IPv6 {destination} to NAT gateway "
                              f"{site.target.name}; a NAT gateway takes IPv6 only for NAT64 {NAT64_PREFIX} "
                              "(use an egress-only internet gateway) (NAT-06)", path, _label(site))
