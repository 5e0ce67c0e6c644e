"""Addressing rules: CIDR sizes and families, subnets inside their VPC, overlaps, reserved
addresses, capacity and multi-AZ placement (aws-semantics §1.1, §1.2).

>>> from vpckit.checks._foundation import findings_of
>>> findings_of("VPC003", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
...     "a": {"az": "us-east-1a", "cidr": "10.0.2.0/24"}, "b": {"az": "us-east-1b", "cidr": "10.0.2.128/25"}}}}})
['VPC003 vpcs.p.subnets.b.cidr: subnet b 10.0.2.128/25 overlaps subnet a 10.0.2.0/24 in VPC p (SUB-02)']
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Iterator

from netaddr import IPAddress, IPNetwork

from ..model import Vpc
from ..network.resolve import find_in, vpc_attachments
from ._foundation import assignments, cidr_text, inside, overlaps, placements, written
from .registry import CheckContext, Finding, rule

__all__ = [
    "IPV4_PREFIXES",
    "IPV6_VPC_PREFIXES",
    "IPV6_SUBNET_PREFIXES",
    "reserved_addresses",
    "usable_addresses",
    "tier_groups",
]

#: Allowed IPv4 prefix lengths of VPC and subnet CIDRs (CIDR-01, SUB-01).
IPV4_PREFIXES = range(16, 29)
#: Allowed IPv6 prefix lengths (CIDR-09: Amazon-provided blocks; IPAM/BYOIP allow others, so these are
#: module-level policy rather than buried in the rule).
IPV6_VPC_PREFIXES: tuple[int, ...] = (56,)
IPV6_SUBNET_PREFIXES: tuple[int, ...] = (64,)

#: Ranges that restrict a secondary association, by the range the primary CIDR is in (CIDR-07).
_RFC1918 = [IPNetwork("10.0.0.0/8"), IPNetwork("172.16.0.0/12"), IPNetwork("192.168.0.0/16")]
_198_19 = IPNetwork("198.19.0.0/16")
_LINK_LOCAL = IPNetwork("169.254.0.0/16")
_DOCKER = IPNetwork("172.17.0.0/16")


def reserved_addresses(subnet: IPNetwork) -> list[IPAddress]:
    """The five addresses AWS reserves in a subnet: the first four and the last (SUB-04, SUB-05).

    >>> [str(a) for a in reserved_addresses(IPNetwork("10.0.1.0/24"))]
    ['10.0.1.0', '10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.255']
    """
    return [IPAddress(subnet.first + i, subnet.version) for i in range(4)] + [IPAddress(subnet.last, subnet.version)]


def usable_addresses(subnet: IPNetwork) -> int:
    """Addresses left for interfaces once the five reserved ones are taken (SUB-04).

    >>> usable_addresses(IPNetwork("10.0.0.0/24")), usable_addresses(IPNetwork("10.0.0.0/28"))
    (251, 11)
    """
    return max(subnet.size - 5, 0)


def _vpc_label(name: str) -> str:
    return f"vpc {name}"


# --------------------------------------------------------------------------- VPC001


@rule("VPC001", "error", "CIDR block has the wrong family or size", semantics=("CIDR-01", "CIDR-09", "SUB-01"),
      rationale="AWS accepts IPv4 VPC and subnet blocks from /16 to /28, Amazon-provided IPv6 VPC blocks of /56 "
                "and IPv6 subnet blocks of /64; anything else is rejected when the VPC or subnet is created.",
      fix="Choose a block of an allowed size (IPv4 /16 to /28, IPv6 VPC /56, IPv6 subnet /64).")
def cidr_size(ctx: CheckContext) -> Iterator[Finding]:
    """IPv4 VPC/subnet blocks /16–/28; IPv6 VPC /56 and subnet /64 by default.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC001", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {"a": {"az": "x", "cidr": "10.0.0.0/29"}}}}})
    ['VPC001 vpcs.p.subnets.a.cidr: subnet a 10.0.0.0/29 is a /29; AWS allows /16 to /28 (SUB-01)']
    """
    design = ctx.design
    # A validation config may widen the IPv6 policy (IPAM/BYOIPv6, CIDR-09); AWS's defaults otherwise.
    vpc_v6 = getattr(ctx.config, "ipv6_vpc_prefixes", None) or IPV6_VPC_PREFIXES
    subnet_v6 = getattr(ctx.config, "ipv6_subnet_prefixes", None) or IPV6_SUBNET_PREFIXES
    for vpc_name, vpc in design.vpcs.items():
        blocks = [("cidr", None, vpc.cidr, f"VPC {vpc_name} primary CIDR", 4, IPV4_PREFIXES, "CIDR-01")]
        blocks += [("secondary_cidrs", i, c, f"VPC {vpc_name} secondary CIDR", 4, IPV4_PREFIXES, "CIDR-05")
                   for i, c in enumerate(vpc.secondary_cidrs)]
        blocks += [("ipv6_cidrs", i, c, f"VPC {vpc_name} IPv6 block", 6, vpc_v6, "CIDR-09")
                   for i, c in enumerate(vpc.ipv6_cidrs)]
        for key, index, cidr, what, family, allowed, ref in blocks:
            path = written(design, "vpcs", vpc_name, key) + ((index,) if index is not None else ())
            yield from _check_block(ctx, path, _vpc_label(vpc_name), what, cidr, family, allowed, ref)
        for subnet_name, subnet in vpc.subnets.items():
            base = ("vpcs", vpc_name, "subnets", subnet_name)
            label = f"vpc {vpc_name} / subnet {subnet_name}"
            yield from _check_block(ctx, written(design, *base, "cidr"), label, f"subnet {subnet_name}",
                                    subnet.cidr, 4, IPV4_PREFIXES, "SUB-01")
            if subnet.ipv6_cidr is not None:
                yield from _check_block(ctx, written(design, *base, "ipv6_cidr"), label,
                                        f"subnet {subnet_name} IPv6 block", subnet.ipv6_cidr, 6,
                                        subnet_v6, "CIDR-09")


def _check_block(ctx: CheckContext, path, resource: str, what: str, cidr: IPNetwork, family: int,
                 allowed: Iterable[int], ref: str) -> Iterator[Finding]:
    allowed = list(allowed)
    if cidr.version != family:
        yield ctx.finding("VPC001", f"{what} {cidr} is IPv{cidr.version}; expected an IPv{family} block ({ref})",
                          path, resource)
    elif cidr.prefixlen not in allowed:
        contiguous = len(allowed) > 2 and allowed == list(range(allowed[0], allowed[-1] + 1))
        sizes = f"/{allowed[0]} to /{allowed[-1]}" if contiguous else " or ".join(f"/{p}" for p in allowed)
        yield ctx.finding("VPC001", f"{what} {cidr} is a /{cidr.prefixlen}; AWS allows {sizes} ({ref})", path, resource)


# --------------------------------------------------------------------------- VPC002


@rule("VPC002", "error", "Subnet is not inside one of its VPC's CIDR blocks", semantics=("SUB-01", "CIDR-09"),
      rationale="A subnet's IPv4 block must lie inside exactly one VPC CIDR (primary or secondary; it cannot "
                "straddle two), and its IPv6 /64 inside the VPC's IPv6 block.",
      fix="Move the subnet into a VPC CIDR, or associate a secondary CIDR that contains it.",
      peers={"cfn-lint": "E3059"})
def subnet_in_vpc(ctx: CheckContext) -> Iterator[Finding]:
    """Each subnet inside ONE VPC CIDR; its IPv6 block inside a VPC IPv6 block.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC002", {"vpcs": {"prod": {"cidr": "10.0.0.0/16", "subnets": {"app-a": {"az": "x", "cidr": "10.1.0.0/24"}}}}})
    ["VPC002 vpcs.prod.subnets.app-a.cidr: subnet app-a 10.1.0.0/24 is outside VPC prod's CIDRs 10.0.0.0/16 (SUB-01)"]
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        for subnet_name, subnet in vpc.subnets.items():
            base = ("vpcs", vpc_name, "subnets", subnet_name)
            label = f"vpc {vpc_name} / subnet {subnet_name}"
            if subnet.cidr.version == 4 and not any(inside(subnet.cidr, c) for c in vpc.cidrs):
                touching = [c for c in vpc.cidrs if overlaps(subnet.cidr, c)]
                if len(touching) > 1:
                    message = (f"subnet {subnet_name} {subnet.cidr} straddles VPC {vpc_name}'s CIDRs "
                               f"{cidr_text(touching)}; a subnet must fit inside one block (SUB-01)")
                else:
                    message = (f"subnet {subnet_name} {subnet.cidr} is outside VPC {vpc_name}'s CIDRs "
                               f"{cidr_text(vpc.cidrs)} (SUB-01)")
                yield ctx.finding("VPC002", message, written(design, *base, "cidr"), label)
            ipv6 = subnet.ipv6_cidr
            if ipv6 is None or ipv6.version != 6:
                continue
            if not vpc.ipv6_cidrs:
                yield ctx.finding("VPC002", f"subnet {subnet_name} has IPv6 block {ipv6} but VPC {vpc_name} has no "
                                  "IPv6 CIDR (CIDR-09)", written(design, *base, "ipv6_cidr"), label)
            elif not any(inside(ipv6, c) for c in vpc.ipv6_cidrs):
                yield ctx.finding("VPC002", f"subnet {subnet_name} IPv6 block {ipv6} is outside VPC {vpc_name}'s "
                                  f"IPv6 CIDRs {cidr_text(vpc.ipv6_cidrs)} (CIDR-09)",
                                  written(design, *base, "ipv6_cidr"), label)


# --------------------------------------------------------------------------- VPC003


@rule("VPC003", "error", "Subnets of a VPC overlap", semantics="SUB-02",
      rationale="Subnet CIDRs within one VPC must not overlap; AWS rejects the second subnet.",
      fix="Give each subnet its own, non-overlapping block.", peers={"cfn-lint": "E3060"})
def subnet_overlap(ctx: CheckContext) -> Iterator[Finding]:
    """Two subnets of a VPC share addresses (IPv4 or IPv6); reported on the later one.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC003", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "x", "cidr": "10.0.0.0/24"}, "b": {"az": "y", "cidr": "10.0.1.0/24"}}}}})
    []
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        seen: list[tuple[str, str, IPNetwork]] = []
        for subnet_name, subnet in vpc.subnets.items():
            blocks = [("cidr", subnet.cidr)] + ([("ipv6_cidr", subnet.ipv6_cidr)] if subnet.ipv6_cidr else [])
            for key, block in blocks:
                for other_name, other_key, other in seen:
                    if overlaps(block, other):
                        yield ctx.finding(
                            "VPC003", f"subnet {subnet_name} {block} overlaps subnet {other_name} {other} in VPC "
                            f"{vpc_name} (SUB-02)", written(design, "vpcs", vpc_name, "subnets", subnet_name, key),
                            f"vpc {vpc_name} / subnet {subnet_name}")
                        break
            for key, block in blocks:
                seen.append((subnet_name, key, block))


# --------------------------------------------------------------------------- VPC004


@rule("VPC004", "error", "Peered or transit-gateway-attached VPCs have overlapping CIDRs",
      semantics=("PCX-02", "CIDR-08", "TGW-06"),
      rationale="AWS refuses a peering between VPCs with any overlapping IPv4 or IPv6 block (even a secondary one), "
                "and a transit gateway does not propagate the routes of a VPC whose CIDR equals another "
                "attached VPC's; overlapping ranges behind one TGW make routing ambiguous.",
      fix="Renumber one of the VPCs, or connect them through private NAT instead.")
def connected_overlap(ctx: CheckContext) -> Iterator[Finding]:
    """Overlap between VPCs joined by a peering connection or attached to the same transit gateway.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC004", {"vpcs": {"a": {"cidr": "10.0.0.0/16"}, "b": {"cidr": "10.0.128.0/17"}},
    ...     "peering_connections": {"ab": {"requester": "a", "accepter": "b"}}})
    ['VPC004 peering_connections.ab: peering ab joins VPC a (10.0.0.0/16) and VPC b (10.0.128.0/17), whose CIDRs overlap; AWS refuses such a peering (PCX-02)']
    """
    design = ctx.design
    for pcx_name, pcx in design.peering_connections.items():
        if pcx.state in ("deleted", "rejected", "failed", "expired"):
            continue
        a, b = design.find_vpc(pcx.requester), design.find_vpc(pcx.accepter)
        if a is None or b is None or a == b:
            continue
        clash = _clash(design.vpcs[a], design.vpcs[b])
        if clash:
            x, y = clash
            secondary = "" if (x == design.vpcs[a].cidr and y == design.vpcs[b].cidr) else \
                " (a secondary block counts too: CIDR-08)"
            yield ctx.finding("VPC004", f"peering {pcx_name} joins VPC {a} ({x}) and VPC {b} ({y}), whose CIDRs "
                              f"overlap; AWS refuses such a peering (PCX-02){secondary}",
                              ("peering_connections", pcx_name), f"peering {pcx_name}")
    for tgw_name, tgw in design.transit_gateways.items():
        attached: list[tuple[str, str]] = []
        for att_name, att, vpc_name in vpc_attachments(design, tgw):
            if att.state in ("deleted", "deleting", "failed", "rejected"):
                continue
            for other_att, other_vpc in attached:
                if other_vpc == vpc_name:
                    continue
                clash = _clash(design.vpcs[vpc_name], design.vpcs[other_vpc])
                if clash:
                    x, y = clash
                    path = ("transit_gateways", tgw_name, "attachments", att_name, "vpc")
                    if x == y:
                        yield ctx.finding(
                            "VPC004", f"attachment {att_name} attaches VPC {vpc_name} ({x}) to transit gateway "
                            f"{tgw_name}, which already has VPC {other_vpc} with the identical CIDR {y}; the TGW "
                            "will not propagate its routes (TGW-06)", path, f"transit gateway {tgw_name}")
                    else:
                        yield ctx.finding(
                            "VPC004", f"attachment {att_name} attaches VPC {vpc_name} ({x}) to transit gateway "
                            f"{tgw_name}, where VPC {other_vpc} ({y}) overlaps it; traffic to the overlap is "
                            "routed to only one of them (TGW-06)", path, f"transit gateway {tgw_name}",
                            severity="warning")
                    break
            attached.append((att_name, vpc_name))


def _clash(a: Vpc, b: Vpc) -> tuple[IPNetwork, IPNetwork] | None:
    for x in [*a.cidrs, *a.ipv6_cidrs]:
        for y in [*b.cidrs, *b.ipv6_cidrs]:
            if overlaps(x, y):
                return x, y
    return None


# --------------------------------------------------------------------------- VPC005


@rule("VPC005", "warning", "Subnet has few or no free addresses", semantics="SUB-04",
      rationale="AWS reserves five addresses in every subnet; each instance, interface, NAT gateway, endpoint, "
                "load balancer node, RDS/EFS/Lambda interface and TGW attachment takes another. A full subnet "
                "makes launches, scaling and failovers fail.",
      fix="Use a larger subnet, or spread the resources over more subnets.")
def subnet_capacity(ctx: CheckContext) -> Iterator[Finding]:
    """Warn when fewer than 10% (at least 2) of a subnet's usable IPv4 addresses are left; error when over-full.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC005", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {"s": {"az": "x", "cidr": "10.0.0.0/28"}},
    ...     "instances": {f"i{n}": {"subnet": "s"} for n in range(10)}}}})
    ['VPC005 vpcs.p.subnets.s.cidr: subnet s 10.0.0.0/28 has 1 free address(es) left: 11 usable after the 5 reserved (SUB-04), 10 taken']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        used: dict[str, int] = defaultdict(int)
        for placement in placements(vpc):
            subnet = find_in(vpc.subnets, placement.subnet)
            if subnet is not None:
                used[subnet] += placement.addresses
        for tgw in design.transit_gateways.values():
            for att in tgw.attachments.values():
                if att.vpc is not None and design.find_vpc(att.vpc) == vpc_name:
                    for ref in att.subnets:
                        subnet = find_in(vpc.subnets, ref)
                        if subnet is not None:
                            used[subnet] += 1
        for subnet_name, subnet in vpc.subnets.items():
            if subnet.cidr.version != 4:
                continue
            usable = usable_addresses(subnet.cidr)
            free = usable - used[subnet_name]
            path = written(design, "vpcs", vpc_name, "subnets", subnet_name, "cidr")
            label = f"vpc {vpc_name} / subnet {subnet_name}"
            detail = f"{usable} usable after the 5 reserved (SUB-04), {used[subnet_name]} taken"
            if free < 0:
                yield ctx.finding("VPC005", f"subnet {subnet_name} {subnet.cidr} needs {used[subnet_name]} addresses "
                                  f"but has only {usable}: {detail}", path, label, severity="error")
            elif free < max(2, usable // 10):
                yield ctx.finding("VPC005", f"subnet {subnet_name} {subnet.cidr} has {free} free address(es) left: "
                                  f"{detail}", path, label)


# --------------------------------------------------------------------------- VPC007

_AZ_SUFFIX = re.compile(r"^(?P<tier>.+?)[-_](?:[a-f]|[1-9]|[1-9][a-f]|az[1-9]|[a-z]{2}-[a-z]+-[1-9][a-f])$")


def tier_groups(vpc: Vpc) -> dict[str, list[str]]:
    """The tiers of a VPC and their subnets.

    A subnet's tier is its ``tier`` field, else its ``Tier`` tag. Unlabelled subnets whose names end
    in an AZ-like suffix (``app-a``, ``app-1a``, ``app-az1``, ``app-us-east-1a``, ``app-2``) are grouped
    by the name without it — but only groups of two or more, so that a lone ``bastion`` or ``mgmt-a``
    subnet is not reported. Route tables are not used to group (per-AZ tables are the norm).

    >>> vpc = Vpc(cidr="10.0.0.0/16", subnets={"app-a": {"az": "a", "cidr": "10.0.0.0/24"},
    ...     "app-b": {"az": "b", "cidr": "10.0.1.0/24"}, "db": {"az": "a", "cidr": "10.0.2.0/24", "tier": "data"}})
    >>> tier_groups(vpc)
    {'data': ['db'], 'app': ['app-a', 'app-b']}
    """
    labelled: dict[str, list[str]] = defaultdict(list)
    named: dict[str, list[str]] = defaultdict(list)
    for name, subnet in vpc.subnets.items():
        tier = subnet.tier or subnet.tags.get("Tier")
        if tier:
            labelled[tier].append(name)
            continue
        match = _AZ_SUFFIX.match(name)
        if match:
            named[match["tier"]].append(name)
    groups = dict(labelled)
    for tier, names in named.items():
        if len(names) >= 2 and tier not in groups:
            groups[tier] = names
    return groups


@rule("VPC007", "warning", "Tier, load balancer or RDS subnet group in a single Availability Zone",
      semantics=("SUB-03",),
      rationale="A subnet lives in one AZ (SUB-03), so a tier whose subnets are all in one AZ goes down with it. "
                "AWS requires an application load balancer and an RDS DB subnet group to span at least two AZs.",
      fix="Add a subnet in a second AZ to the tier, the load balancer or the DB subnet group.",
      peers={"cfn-lint": "E3680"})
def single_az(ctx: CheckContext) -> Iterator[Finding]:
    """Tiers (see :func:`tier_groups`) in one AZ warn; ALBs and DB subnet groups in one AZ are errors.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC007", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "db-a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}}, "db_subnet_groups": {"g": {"subnets": ["db-a"]}}}}})
    ['VPC007 vpcs.p.db_subnet_groups.g.subnets: DB subnet group g has subnets only in us-east-1a; AWS requires subnets in at least two Availability Zones']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        for tier, names in tier_groups(vpc).items():
            if any(not az_known(vpc.subnets[n].az) for n in names):
                continue  # an AZ chosen at deployment may be another one: not provably a single AZ
            azs = {vpc.subnets[n].az for n in names}
            if len(azs) == 1:
                first = names[0]
                labelled = bool(vpc.subnets[first].tier)
                path = ("vpcs", vpc_name, "subnets", first) + (("tier",) if labelled else ())
                yield ctx.finding("VPC007", f"tier {tier} has subnets only in {azs.pop()} ({', '.join(names)}); an "
                                  "outage of that AZ takes the whole tier down", written(design, *path),
                                  f"vpc {vpc_name} / tier {tier}")
        for lb_name, lb in vpc.load_balancers.items():
            azs = {a for a in (_az(vpc, s) for s in lb.subnets) if a is not None}
            if len(azs) == 1 and all(az_known(a) for a in azs):
                az = azs.pop()
                path = written(design, "vpcs", vpc_name, "load_balancers", lb_name, "subnets")
                label = f"vpc {vpc_name} / load balancer {lb_name}"
                if lb.type == "application":
                    yield ctx.finding("VPC007", f"application load balancer {lb_name} has subnets only in {az}; AWS "
                                      "requires subnets in at least two Availability Zones", path, label,
                                      severity="error")
                else:
                    yield ctx.finding("VPC007", f"network load balancer {lb_name} has subnets only in {az}; it "
                                      "fails with that AZ", path, label)
        for group_name, group in vpc.db_subnet_groups.items():
            azs = {a for a in (_az(vpc, s) for s in group.subnets) if a is not None}
            if len(azs) == 1 and all(az_known(a) for a in azs):
                yield ctx.finding("VPC007", f"DB subnet group {group_name} has subnets only in {azs.pop()}; AWS "
                                  "requires subnets in at least two Availability Zones",
                                  written(design, "vpcs", vpc_name, "db_subnet_groups", group_name, "subnets"),
                                  f"vpc {vpc_name} / db subnet group {group_name}", severity="error")


def az_known(az: str) -> bool:
    """Whether a subnet's AZ is known: the infrastructure-code readers write one chosen at deployment
    as a parenthesised note, such as ``(known after apply)``.

    >>> az_known("us-east-1a"), az_known("(known after apply)"), az_known("(chosen at deployment)")
    (True, False, False)
    """
    return not az.startswith("(")


def _az(vpc: Vpc, ref: str) -> str | None:
    name = find_in(vpc.subnets, ref)
    return vpc.subnets[name].az if name is not None else None


# --------------------------------------------------------------------------- VPC010


@rule("VPC010", "error", "A VPC's own CIDR blocks overlap", semantics="CIDR-05",
      rationale="A secondary CIDR must not overlap any CIDR already associated with the VPC.",
      fix="Remove the duplicate block or choose a disjoint one.")
def vpc_block_overlap(ctx: CheckContext) -> Iterator[Finding]:
    """Primary/secondary (and IPv6) blocks of one VPC overlapping each other; reported on the later block.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC010", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "secondary_cidrs": ["10.0.128.0/17"]}}})
    ['VPC010 vpcs.p.secondary_cidrs.0: VPC p secondary CIDR 10.0.128.0/17 overlaps its CIDR 10.0.0.0/16 (CIDR-05)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        blocks = [(("cidr",), vpc.cidr, "CIDR")]
        blocks += [(("secondary_cidrs", i), c, "secondary CIDR") for i, c in enumerate(vpc.secondary_cidrs)]
        blocks += [(("ipv6_cidrs", i), c, "IPv6 block") for i, c in enumerate(vpc.ipv6_cidrs)]
        for index, (key, block, what) in enumerate(blocks):
            for _, other, other_what in blocks[:index]:
                if overlaps(block, other):
                    path = written(design, "vpcs", vpc_name, key[0]) + key[1:]
                    yield ctx.finding("VPC010", f"VPC {vpc_name} {what} {block} overlaps its {other_what} {other} "
                                      "(CIDR-05)", path, _vpc_label(vpc_name))
                    break


# --------------------------------------------------------------------------- VPC011


def _restrictions(primary: IPNetwork) -> tuple[str, list[IPNetwork]]:
    """The range the primary CIDR is in, and the ranges it forbids for secondary blocks (CIDR-07)."""
    if inside(primary, _RFC1918[0]):
        return "10.0.0.0/8", [_RFC1918[1], _RFC1918[2], _198_19]
    if inside(primary, _RFC1918[1]):
        return "172.16.0.0/12", [_RFC1918[0], _RFC1918[2], IPNetwork("172.31.0.0/16"), _198_19]
    if inside(primary, _RFC1918[2]):
        return "192.168.0.0/16", [_RFC1918[0], _RFC1918[1], _198_19]
    if inside(primary, _198_19):
        return "198.19.0.0/16", list(_RFC1918)
    return "a public or 100.64.0.0/10 range", [*_RFC1918, _198_19]


@rule("VPC011", "error", "Restricted CIDR block association", semantics="CIDR-07",
      rationale="Which secondary blocks AWS accepts depends on the range of the primary CIDR (the CIDR-07 "
                "matrix); 169.254.0.0/16 (link-local) is never allowed.",
      fix="Choose a secondary block from a permitted range (for a 10.0.0.0/8 VPC: other 10/8 blocks, public "
          "blocks or 100.64.0.0/10).")
def restricted_association(ctx: CheckContext) -> Iterator[Finding]:
    """Secondary CIDRs from a range the primary's range forbids; link-local blocks anywhere.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC011", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "secondary_cidrs": ["192.168.0.0/16"]}}})
    ['VPC011 vpcs.p.secondary_cidrs.0: VPC p secondary CIDR 192.168.0.0/16 is in 192.168.0.0/16, which AWS does not allow next to a primary CIDR in 10.0.0.0/8 (CIDR-07)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        label = _vpc_label(vpc_name)
        if overlaps(vpc.cidr, _LINK_LOCAL):
            yield ctx.finding("VPC011", f"VPC {vpc_name} CIDR {vpc.cidr} is in 169.254.0.0/16 (link-local), which "
                              "AWS never allows (CIDR-07)", written(design, "vpcs", vpc_name, "cidr"), label)
        if vpc.cidr.version != 4:
            continue
        primary_range, restricted = _restrictions(vpc.cidr)
        for index, block in enumerate(vpc.secondary_cidrs):
            path = written(design, "vpcs", vpc_name, "secondary_cidrs") + (index,)
            if block.version != 4:
                continue
            if overlaps(block, _LINK_LOCAL):
                yield ctx.finding("VPC011", f"VPC {vpc_name} secondary CIDR {block} is in 169.254.0.0/16 "
                                  "(link-local), which AWS never allows (CIDR-07)", path, label)
                continue
            bad = next((r for r in restricted if overlaps(block, r)), None)
            if bad is not None:
                yield ctx.finding("VPC011", f"VPC {vpc_name} secondary CIDR {block} is in {bad}, which AWS does not "
                                  f"allow next to a primary CIDR in {primary_range} (CIDR-07)", path, label)
                continue
            others = [vpc.cidr, *(b for i, b in enumerate(vpc.secondary_cidrs) if i != index)]
            if any(overlaps(block, o) for o in others):
                continue  # VPC010 reports the overlap; the range rule below would only repeat it
            if inside(block, IPNetwork("10.0.0.0/16")) and any(inside(o, IPNetwork("10.0.0.0/15")) for o in others):
                yield ctx.finding("VPC011", f"VPC {vpc_name} secondary CIDR {block} is in 10.0.0.0/16, which AWS does "
                                  "not allow when another block of the VPC is in 10.0.0.0/15 (CIDR-07)", path, label)


# --------------------------------------------------------------------------- VPC012


@rule("VPC012", "error", "Private address reserved, outside its subnet, or assigned twice", semantics="SUB-04",
      rationale="AWS reserves the first four and the last address of every subnet (SUB-04, SUB-05); an "
                "interface's private address must be inside its subnet; one address belongs to one interface.",
      fix="Pick a free address inside the subnet, other than the first four and the last.")
def address_placement(ctx: CheckContext) -> Iterator[Finding]:
    """Addresses of instances, ENIs, NAT gateways, RDS, EFS, load balancers and endpoints.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC012", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {"q": {"az": "x", "cidr": "10.0.2.0/24"}},
    ...     "instances": {"i": {"subnet": "q", "private_ip": "10.0.2.255"}}}}})
    ['VPC012 vpcs.p.instances.i.private_ip: instance i has 10.0.2.255, a reserved address of subnet q 10.0.2.0/24 (the last address; SUB-04)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        owners: dict[IPAddress, str] = {}
        for item in assignments(vpc):
            path = written(design, "vpcs", vpc_name, *item.path)
            label = f"vpc {vpc_name} / {item.owner}"
            previous = owners.get(item.address)
            if previous is not None:
                yield ctx.finding("VPC012", f"{item.owner} has {item.address}, already assigned to {previous} "
                                  "(SUB-04)", path, label)
            else:
                owners[item.address] = item.owner
            subnet_name = find_in(vpc.subnets, item.subnet)
            if subnet_name is None:
                continue  # REF001 reports the subnet
            subnet = vpc.subnets[subnet_name]
            block = subnet.cidr if item.address.version == 4 else subnet.ipv6_cidr
            if block is None:
                yield ctx.finding("VPC012", f"{item.owner} has IPv6 address {item.address} but subnet {subnet_name} "
                                  "has no IPv6 block (SUB-05)", path, label)
                continue
            if not inside(item.address, block):
                yield ctx.finding("VPC012", f"{item.owner} has {item.address}, outside its subnet {subnet_name} "
                                  f"{block}", path, label)
                continue
            reserved = reserved_addresses(block)
            if item.address in reserved:
                which = ("the network address", "the VPC router", "the DNS address", "reserved for future use",
                         "the last address")[reserved.index(item.address)]
                rule_ref = "SUB-04" if block.version == 4 else "SUB-05"
                yield ctx.finding("VPC012", f"{item.owner} has {item.address}, a reserved address of subnet "
                                  f"{subnet_name} {block} ({which}; {rule_ref})", path, label)


# --------------------------------------------------------------------------- VPC013


@rule("VPC013", "warning", "VPC CIDR overlaps 172.17.0.0/16", semantics="CIDR-04",
      rationale="Docker, Cloud9 and SageMaker use 172.17.0.0/16 internally; hosts in such a VPC can lose traffic "
                "to their own bridge network.",
      fix="Choose a block outside 172.17.0.0/16.")
def docker_range(ctx: CheckContext) -> Iterator[Finding]:
    """Any VPC block overlapping 172.17.0.0/16.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC013", {"vpcs": {"dev": {"cidr": "172.17.0.0/16"}}})
    ['VPC013 vpcs.dev.cidr: VPC dev CIDR 172.17.0.0/16 overlaps 172.17.0.0/16, used by Docker, Cloud9 and SageMaker (CIDR-04)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        blocks = [(("cidr",), vpc.cidr)] + [(("secondary_cidrs", i), c) for i, c in enumerate(vpc.secondary_cidrs)]
        for key, block in blocks:
            if overlaps(block, _DOCKER):
                yield ctx.finding("VPC013", f"VPC {vpc_name} CIDR {block} overlaps 172.17.0.0/16, used by Docker, "
                                  "Cloud9 and SageMaker (CIDR-04)", written(design, "vpcs", vpc_name, key[0]) + key[1:],
                                  _vpc_label(vpc_name))

