"""Placement rules: regions that exist, Availability Zones that exist in their VPC's region, and an
input that holds a network at all (aws-semantics SUB-03).

>>> from vpckit.checks._foundation import findings_of
>>> findings_of("VPC015", {"region": "us-east-1", "vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
...     "a": {"az": "us-west-2a", "cidr": "10.0.0.0/24"}}}}})
['VPC015 vpcs.p.subnets.a.az: subnet a is in us-west-2a, an Availability Zone of us-west-2, but VPC p is in us-east-1 (us-east-1a … us-east-1f)']
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Iterator

from ._foundation import written
from .addressing import az_known
from .registry import CheckContext, Finding, rule

__all__ = ["known_regions", "zone_letters", "az_problem"]

#: Availability Zone letters of each Region, from AWS's "Regions and Availability Zones" pages.
#: AZ *names* are mapped per account, so a letter listed here may not exist in every account (e.g.
#: us-west-1 shows two of a/b/c); a letter that no account has is certainly wrong. Regions that are
#: not listed are checked for the shape ``<region><one letter>`` only.
ZONE_LETTERS: dict[str, str] = {
    "us-east-1": "abcdef", "us-east-2": "abc", "us-west-1": "abc", "us-west-2": "abcd",
    "af-south-1": "abc", "ap-east-1": "abc", "ap-south-1": "abc", "ap-south-2": "abc",
    "ap-northeast-1": "abcd", "ap-northeast-2": "abcd", "ap-northeast-3": "abc",
    "ap-southeast-1": "abc", "ap-southeast-2": "abc", "ap-southeast-3": "abc", "ap-southeast-4": "abc",
    "ca-central-1": "abd", "ca-west-1": "abc", "eu-central-1": "abc", "eu-central-2": "abc",
    "eu-west-1": "abc", "eu-west-2": "abc", "eu-west-3": "abc", "eu-south-1": "abc", "eu-south-2": "abc",
    "eu-north-1": "abc", "il-central-1": "abc", "me-south-1": "abc", "me-central-1": "abc",
    "sa-east-1": "abc", "us-gov-east-1": "abc", "us-gov-west-1": "abc",
    "cn-north-1": "abd", "cn-northwest-1": "abc",
}

# A Local Zone or Wavelength Zone: the parent region, then a location group (us-east-1-bos-1a).
_EDGE_ZONE = re.compile(r"^(?P<region>[a-z]{2}(?:-[a-z]+)+-\d)-[a-z0-9-]+$")
_ZONE = re.compile(r"^(?P<region>[a-z]{2}(?:-[a-z]+)+-\d)(?P<letter>[a-z])$")


@lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """Every Region of every AWS partition, from the endpoint data that ships with botocore.

    >>> {"us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"} <= known_regions(), "us-east-9" in known_regions()
    (True, False)
    """
    import botocore.session

    partitions = botocore.session.get_session().get_data("partitions")["partitions"]
    regions = {name for p in partitions for name in p.get("regions", {}) if not name.endswith("-global")}
    return frozenset(regions | set(ZONE_LETTERS))


def zone_letters(region: str) -> str:
    """The AZ letters of ``region`` (``abcdef`` — AWS's widest — when the region is not in the table).

    >>> zone_letters("us-east-2"), zone_letters("ap-southeast-7")
    ('abc', 'abcdef')
    """
    return ZONE_LETTERS.get(region, "abcdef")


def az_problem(az: str, region: str, vpc: str = "the VPC") -> str | None:
    """Why ``az`` cannot hold a subnet of ``vpc`` in ``region`` (to follow "subnet s is in"), or None.

    >>> az_problem("us-east-1z", "us-east-1")
    'us-east-1z, which us-east-1 does not have (us-east-1a … us-east-1f)'
    >>> az_problem("eu-west-1a", "us-east-1", "prod")
    'eu-west-1a, an Availability Zone of eu-west-1, but VPC prod is in us-east-1 (us-east-1a … us-east-1f)'
    >>> az_problem("us-east-1-bos-1a", "us-east-1") is None, az_problem("(known after apply)", "us-east-1") is None
    (True, True)
    """
    if not az_known(az):
        return None
    letters = zone_letters(region)
    listing = f"({region}{letters[0]} … {region}{letters[-1]})"
    zone, edge = _ZONE.match(az), _EDGE_ZONE.match(az)
    if zone and zone["region"] == region:
        return None if zone["letter"] in letters else f"{az}, which {region} does not have {listing}"
    if edge and edge["region"] == region:
        return None  # Local Zones and Wavelength Zones come and go; their parent region is right
    if zone or edge:
        vpc_text = vpc if vpc == "the VPC" else f"VPC {vpc}"
        return f"{az}, an Availability Zone of {(zone or edge)['region']}, but {vpc_text} is in {region} {listing}"
    return f"{az!r}, which is not an Availability Zone name (expected one of {listing[1:-1]})"


@rule("VPC014", "error", "Region does not exist",
      semantics=("SUB-03",),
      rationale="A VPC, and so every subnet in it, lives in one Region; a Region name that AWS does not have "
                "(a typo such as us-east-3) cannot be deployed and makes every AZ check meaningless.",
      fix="Use a Region that AWS has, e.g. us-east-1, eu-west-1.")
def unknown_region(ctx: CheckContext) -> Iterator[Finding]:
    """Design, VPC and transit gateway regions that no AWS partition has.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC014", {"region": "us-east-3", "vpcs": {"p": {"cidr": "10.0.0.0/16"}}})
    ["VPC014 region: region us-east-3 does not exist in any AWS partition; did you mean 'us-east-2'?"]
    """
    design = ctx.design
    regions = known_regions()
    places: list[tuple[str, tuple, str]] = []
    if design.vpcs or design.transit_gateways:
        places.append((design.region, ("region",), "design"))
    places += [(vpc.region, ("vpcs", name, "region"), f"vpc {name}") for name, vpc in design.vpcs.items() if vpc.region]
    places += [(tgw.region, ("transit_gateways", name, "region"), f"transit gateway {name}")
               for name, tgw in design.transit_gateways.items() if tgw.region]
    for region, path, label in places:
        if region in regions:
            continue
        close = difflib.get_close_matches(region, sorted(regions), n=1, cutoff=0.7)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        yield ctx.finding("VPC014", f"region {region} does not exist in any AWS partition{hint}",
                          written(design, *path), label)


@rule("VPC015", "error", "Availability Zone is not in its VPC's Region",
      semantics=("SUB-03",),
      rationale="A subnet lives in exactly one Availability Zone of its VPC's Region (SUB-03). An AZ of another "
                "Region, or a letter that Region does not have (us-east-1z), is rejected by CreateSubnet.",
      fix="Name an AZ of the VPC's Region (the Region followed by a letter, e.g. us-east-1a), or set the VPC's region.",
      peers={"cfn-lint": "W3010"})
def az_outside_region(ctx: CheckContext) -> Iterator[Finding]:
    """Subnets whose AZ does not exist in their VPC's region (regions that exist only; see VPC014)."""
    design = ctx.design
    regions = known_regions()
    for vpc_name, vpc in design.vpcs.items():
        region = design.vpc_region(vpc_name)
        if region not in regions:
            continue
        for subnet_name, subnet in vpc.subnets.items():
            problem = az_problem(subnet.az, region, vpc_name)
            if problem:
                yield ctx.finding("VPC015", f"subnet {subnet_name} is in {problem}",
                                  written(design, "vpcs", vpc_name, "subnets", subnet_name, "az"),
                                  f"vpc {vpc_name} / subnet {subnet_name}")


@rule("VPC016", "error", "The input holds at least one VPC",
      rationale="Validating an input with no VPC checks nothing; \"no findings\" would hide a wrong file, a "
                "snapshot of the wrong Region or account, or a plan of another module.",
      fix="Point vpckit at the design, snapshot or plan that holds the network (or disable VPC016 for inputs "
          "that are meant to hold none).")
def no_vpcs(ctx: CheckContext) -> Iterator[Finding]:
    """An input without VPCs is a finding rather than a silent pass.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("VPC016", {"name": "empty"})
    ['VPC016 : the input holds no VPC, so nothing was checked']
    """
    if not ctx.design.vpcs:
        yield ctx.finding("VPC016", "the input holds no VPC, so nothing was checked", (), "design")
