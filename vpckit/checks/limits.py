"""Numbering and quota rules for network ACLs and security groups (NACL-04, NACL-14, SG-12).

Quotas are AWS's defaults; an account may have raised them, so exceeding one is a warning.

>>> from vpckit.checks._foundation import findings_of
>>> findings_of("NACL008", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "nacls": {"x": {"ingress": [
...     {"rule": 32767, "cidr": "0.0.0.0/0"}]}}}}})
['NACL008 vpcs.p.nacls.x.ingress.0.rule: network ACL x ingress rule number 32767 is outside 1-32766; 32767-65535 are reserved for the default deny (NACL-04)']
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from netaddr import IPNetwork

from ..model import Design
from ..network import resolve
from ._foundation import kind_of, security_group_sites, written
from .registry import CheckContext, Finding, rule

__all__ = ["NACL_RULES_PER_DIRECTION", "SG_RULES_PER_DIRECTION", "SGS_PER_INTERFACE", "sg_rule_counts"]

#: Rules per NACL per direction per address family, including the default deny (NACL-14).
NACL_RULES_PER_DIRECTION = 20
#: Rules per security group per direction per address family (SG-12).
SG_RULES_PER_DIRECTION = 60
#: Security groups per network interface (SG-12).
SGS_PER_INTERFACE = 5


@rule("NACL004", "error", "Duplicate network ACL rule number", semantics="NACL-04",
      rationale="A rule number is unique within a direction; AWS rejects the second entry with the same number.",
      fix="Renumber one of the entries.", peers={"cfn_nag": "F79"})
def duplicate_rule_numbers(ctx: CheckContext) -> Iterator[Finding]:
    """Two entries of one direction of a NACL with the same number; reported on the later one.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("NACL004", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "nacls": {"x": {"egress": [
    ...     {"rule": 100, "cidr": "0.0.0.0/0"}, {"rule": 100, "cidr": "10.0.0.0/8", "action": "deny"}]}}}}})
    ['NACL004 vpcs.p.nacls.x.egress.1.rule: network ACL x egress has rule number 100 twice (entries 0 and 1); numbers must be unique in a direction (NACL-04)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        for acl_name, acl in vpc.network_acls.items():
            for direction in ("ingress", "egress"):
                first: dict[int, int] = {}
                for index, entry in enumerate(getattr(acl, direction)):
                    if entry.rule in first:
                        yield ctx.finding(
                            "NACL004", f"network ACL {acl_name} {direction} has rule number {entry.rule} twice "
                            f"(entries {first[entry.rule]} and {index}); numbers must be unique in a direction "
                            "(NACL-04)", written(design, "vpcs", vpc_name, "network_acls", acl_name, direction, index,
                                                 "rule"), f"vpc {vpc_name} / network ACL {acl_name}")
                    else:
                        first[entry.rule] = index


@rule("NACL008", "error", "Network ACL rule number out of range", semantics="NACL-04",
      rationale="Rule numbers run from 1 to 32766; 32767 and above are reserved for the default deny entries.",
      fix="Use a number from 1 to 32766.")
def rule_number_range(ctx: CheckContext) -> Iterator[Finding]:
    """Rule numbers outside 1–32766.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("NACL008", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "nacls": {"x": {"egress": [
    ...     {"rule": 0, "cidr": "0.0.0.0/0"}]}}}}})
    ['NACL008 vpcs.p.nacls.x.egress.0.rule: network ACL x egress rule number 0 is outside 1-32766; 32767-65535 are reserved for the default deny (NACL-04)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        for acl_name, acl in vpc.network_acls.items():
            for direction in ("ingress", "egress"):
                for index, entry in enumerate(getattr(acl, direction)):
                    if not 1 <= entry.rule <= 32766:
                        yield ctx.finding(
                            "NACL008", f"network ACL {acl_name} {direction} rule number {entry.rule} is outside "
                            "1-32766; 32767-65535 are reserved for the default deny (NACL-04)",
                            written(design, "vpcs", vpc_name, "network_acls", acl_name, direction, index, "rule"),
                            f"vpc {vpc_name} / network ACL {acl_name}")


@rule("NACL009", "warning", "Network ACL exceeds the default rule quota", semantics="NACL-14",
      rationale="AWS allows 20 entries per direction per address family in a NACL by default, counting the "
                "default deny (scenario S56); more needs a quota increase (up to 40).",
      fix="Merge entries, or request a higher quota.")
def nacl_quota(ctx: CheckContext) -> Iterator[Finding]:
    """More than 19 user entries (20 with the default deny) per direction and family.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("NACL009", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "nacls": {"x": {"ingress": [
    ...     {"rule": n, "protocol": "tcp", "ports": n, "cidr": "0.0.0.0/0"} for n in range(1, 21)]}}}}})
    ['NACL009 vpcs.p.nacls.x.ingress: network ACL x has 20 IPv4 ingress entries, 21 with the default deny; the default quota is 20 including it (NACL-14, S56)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        for acl_name, acl in vpc.network_acls.items():
            for direction in ("ingress", "egress"):
                counts = Counter(entry.cidr.version for entry in getattr(acl, direction))
                for family in (4, 6):
                    if counts[family] + 1 > NACL_RULES_PER_DIRECTION:
                        yield ctx.finding(
                            "NACL009", f"network ACL {acl_name} has {counts[family]} IPv{family} {direction} entries, "
                            f"{counts[family] + 1} with the default deny; the default quota is "
                            f"{NACL_RULES_PER_DIRECTION} including it (NACL-14, S56)",
                            written(design, "vpcs", vpc_name, "network_acls", acl_name, direction),
                            f"vpc {vpc_name} / network ACL {acl_name}")


def sg_rule_counts(design: Design, rules: list) -> Counter:
    """Quota units per address family of a list of SG rules (SG-12, SG-09).

    A CIDR counts 1 in its family; a prefix list counts its ``max_entries`` (else its size) in its
    family; a security-group reference counts 1 against IPv4.

    >>> from vpckit.model import IngressRule
    >>> d = Design.model_validate({"vpcs": {}})
    >>> sg_rule_counts(d, [IngressRule(source="0.0.0.0/0"), IngressRule(source="::/0"), IngressRule(source="web")])
    Counter({4: 2, 6: 1})
    """
    counts: Counter = Counter()
    for sg_rule in rules:
        peer = getattr(sg_rule, "source", None) or getattr(sg_rule, "destination", None)
        if isinstance(peer, IPNetwork):
            counts[peer.version] += 1
            continue
        pl = resolve.prefix_list(design, str(peer))
        if pl is not None:
            family = 6 if pl.resource.address_family == "IPv6" else 4
            counts[family] += pl.resource.max_entries or max(len(pl.resource.cidrs), 1)
        else:
            counts[4] += 1
    return counts


@rule("SG011", "warning", "Security group quota exceeded", semantics="SG-12",
      rationale="By default AWS allows 5 security groups per network interface and 60 inbound and 60 outbound "
                "rules per group per address family (scenario S57); more needs a quota increase.",
      fix="Consolidate groups or rules (prefix lists help), or request a higher quota.")
def sg_quota(ctx: CheckContext) -> Iterator[Finding]:
    """More than 5 groups on an interface; more than 60 rules per direction per family in a group.

    >>> from vpckit.checks._foundation import findings_of
    >>> groups = {f"g{n}": {} for n in range(6)}
    >>> findings_of("SG011", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "security_groups": groups,
    ...     "instances": {"i": {"subnet": "a", "security_groups": list(groups)}}}}})
    ['SG011 vpcs.p.instances.i.security_groups: instance i has 6 security groups; the default quota is 5 per network interface (SG-12, S57)']
    """
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        for collection, name, groups in security_group_sites(vpc):
            if len(groups) > SGS_PER_INTERFACE:
                yield ctx.finding("SG011", f"{kind_of(collection)} {name} has {len(groups)} security groups; the "
                                  f"default quota is {SGS_PER_INTERFACE} per network interface (SG-12, S57)",
                                  written(design, "vpcs", vpc_name, collection, name, "security_groups"),
                                  f"vpc {vpc_name} / {kind_of(collection)} {name}")
        for group_name, group in vpc.security_groups.items():
            for direction in ("ingress", "egress"):
                counts = sg_rule_counts(design, getattr(group, direction))
                for family in (4, 6):
                    if counts[family] > SG_RULES_PER_DIRECTION:
                        yield ctx.finding(
                            "SG011", f"security group {group_name} has {counts[family]} IPv{family} {direction} rules; "
                            f"the default quota is {SG_RULES_PER_DIRECTION} per direction per family (SG-12, S57)",
                            written(design, "vpcs", vpc_name, "security_groups", group_name, direction),
                            f"vpc {vpc_name} / security group {group_name}")
