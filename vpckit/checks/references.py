"""Reference rules: every name in a design resolves (REF001), and into the right VPC (REF002).

All lookups go through :mod:`vpckit.network.resolve`, so "what does ``nat-a`` mean" has the same
answer here as in the network builder. A name that is not found in its own VPC but exists in
another one is a REF002 ("belongs to VPC x"), not a REF001.

>>> from vpckit.checks._foundation import findings_of
>>> findings_of("REF001", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {"a": {"az": "x", "cidr": "10.0.0.0/24", "route_table": "pub"}}}}})
["REF001 vpcs.p.subnets.a.route_table: subnet a names route table 'pub', which does not exist in VPC p (known: main)"]
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

from ..model import Design, Path
from ..network import resolve
from ..network.resolve import find_in
from ..model.types import looks_like_address
from ._foundation import kind_of, security_group_sites, written
from .registry import CheckContext, Finding, rule

__all__ = ["Reference", "vpc_references", "sg_reference_allowed"]


class Reference(NamedTuple):
    """A by-name reference from one VPC resource to a resource of a VPC collection."""

    collection: str  # where the name must be found (subnets, route_tables, ...)
    ref: str
    path: Path  # model path of the reference value
    owner: str  # "subnet a"


_WHAT = {
    "subnets": "subnet", "route_tables": "route table", "network_acls": "network ACL", "instances": "instance",
    "target_groups": "target group", "db_subnet_groups": "DB subnet group", "vpn_gateways": "VPN gateway",
    "internet_gateways": "internet gateway",
}


def vpc_references(vpc_name: str, design: Design) -> Iterator[Reference]:
    """Every same-VPC reference of a VPC's resources (security groups and routes are checked separately).

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "nat_gateways": {"n": {"subnet": "a"}}}}})
    >>> [(r.collection, r.ref, r.path) for r in vpc_references("p", d)]
    [('subnets', 'a', ('nat_gateways', 'n', 'subnet'))]
    """
    vpc = design.vpcs[vpc_name]
    for name, subnet in vpc.subnets.items():
        if subnet.route_table is not None:
            yield Reference("route_tables", subnet.route_table, ("subnets", name, "route_table"), f"subnet {name}")
        if subnet.network_acl is not None:
            yield Reference("network_acls", subnet.network_acl, ("subnets", name, "network_acl"), f"subnet {name}")
    for table_name, table in vpc.route_tables.items():
        for index, vgw in enumerate(table.propagating_vpn_gateways):
            yield Reference("vpn_gateways", vgw, ("route_tables", table_name, "propagating_vpn_gateways", index),
                            f"route table {table_name}")
    for collection in ("instances", "network_interfaces", "nat_gateways", "efs_mount_targets"):
        for name, item in getattr(vpc, collection).items():
            yield Reference("subnets", item.subnet, (collection, name, "subnet"), f"{kind_of(collection)} {name}")
    for collection in ("endpoints", "load_balancers", "lambda_functions", "db_subnet_groups"):
        for name, item in getattr(vpc, collection).items():
            for index, subnet in enumerate(item.subnets):
                yield Reference("subnets", subnet, (collection, name, "subnets", index),
                                f"{_WHAT.get(collection, kind_of(collection))} {name}")
    for name, endpoint in vpc.endpoints.items():
        for index, table in enumerate(endpoint.route_tables):
            yield Reference("route_tables", table, ("endpoints", name, "route_tables", index), f"endpoint {name}")
    for name, eni in vpc.network_interfaces.items():
        if eni.instance is not None:
            yield Reference("instances", eni.instance, ("network_interfaces", name, "instance"),
                            f"network interface {name}")
    for name, lb in vpc.load_balancers.items():
        for index, listener in enumerate(lb.listeners):
            if listener.target_group is not None:
                yield Reference("target_groups", listener.target_group,
                                ("load_balancers", name, "listeners", index, "target_group"), f"load balancer {name}")
    for name, group in vpc.target_groups.items():
        for index, target in enumerate(group.targets):
            if not looks_like_address(target) and find_in(vpc.lambda_functions, target) is None:
                yield Reference("instances", target, ("target_groups", name, "targets", index), f"target group {name}")
    for name, rds in vpc.rds_instances.items():
        yield Reference("db_subnet_groups", rds.subnet_group, ("rds_instances", name, "subnet_group"),
                        f"RDS instance {name}")
        if rds.subnet is not None:
            yield Reference("subnets", rds.subnet, ("rds_instances", name, "subnet"), f"RDS instance {name}")


def _peered(design: Design, a: str, b: str) -> tuple[str, str] | None:
    """``(peering name, problem)`` of the best peering between VPCs a and b; problem is '' when usable."""
    best: tuple[str, str] | None = None
    for name, pcx in design.peering_connections.items():
        ends = {design.find_vpc(pcx.requester), design.find_vpc(pcx.accepter)}
        if ends != {a, b}:
            continue
        if pcx.state != "active":
            problem = f"peering {name} is {pcx.state}, not active (SG-08)"
        elif design.vpc_region(a) != design.vpc_region(b):
            problem = (f"peering {name} is inter-Region ({design.vpc_region(a)}, {design.vpc_region(b)}); security "
                       "group references work only within one Region (SG-05)")
        else:
            return name, ""
        best = best or (name, problem)
    return best


def _tgw_referencing(design: Design, a: str, b: str) -> bool:
    """Both VPCs attached to one transit gateway with security group referencing enabled (SG-05)."""
    for tgw in design.transit_gateways.values():
        enabled = {design.find_vpc(att.vpc) for att in tgw.attachments.values()
                   if att.vpc is not None and att.security_group_referencing and att.state == "available"}
        if {a, b} <= enabled:
            return True
    return False


def sg_reference_allowed(design: Design, rule_vpc: str, group_vpc: str) -> str:
    """Why a rule in ``rule_vpc`` cannot reference a group of ``group_vpc``; '' when it can (SG-05).

    >>> d = Design.model_validate({"vpcs": {"a": {"cidr": "10.0.0.0/16"}, "b": {"cidr": "10.1.0.0/16"}},
    ...     "peering_connections": {"ab": {"requester": "a", "accepter": "b"}}})
    >>> sg_reference_allowed(d, "a", "b")
    ''
    """
    if rule_vpc == group_vpc:
        return ""
    peering = _peered(design, rule_vpc, group_vpc)
    if peering is not None and not peering[1]:
        return ""
    if _tgw_referencing(design, rule_vpc, group_vpc):
        return ""
    if peering is not None:
        return peering[1]
    return (f"VPC {rule_vpc} has no active same-Region peering with VPC {group_vpc} (nor a transit gateway with "
            "security group referencing), so the rule matches nothing (SG-05)")


@rule("REF001", "error", "Reference does not resolve", semantics=("SUB-07", "RT-09", "SG-07", "SG-08"),
      rationale="A name that points at nothing is a typo or a deleted resource: a route to it is a blackhole, a "
                "subnet falls back to nothing AWS would create, and a rule naming a missing security group is "
                "stale and matches nothing (SG-07, SG-08).",
      fix="Correct the name, or add the resource it names.")
def unresolved(ctx: CheckContext) -> Iterator[Finding]:
    """Route targets and prefix lists, subnets' tables and NACLs, group names, subnets of every resource,
    target groups, peering VPCs, transit gateway attachments and route tables.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("REF001", {"vpcs": {"p": {"cidr": "10.0.0.0/16", "security_groups": {"web": {"ingress": [
    ...     {"protocol": "tcp", "ports": 22, "source": "bastion"}]}}}}})
    ["REF001 vpcs.p.security_groups.web.ingress.0.source: security group web ingress rule references 'bastion', which is neither a security group nor a prefix list of the design; a stale reference matches nothing (SG-07, SG-08)"]
    """
    yield from _check(ctx, "REF001")


@rule("REF002", "error", "Reference resolves into the wrong VPC", semantics=("SG-05", "SG-11", "NACL-01", "SUB-07"),
      rationale="A subnet's route table and NACL, the subnets of its resources and the security groups on its "
                "interfaces must belong to the same VPC; a security group rule may reference another VPC's group "
                "only across an active peering in the same Region (SG-05).",
      fix="Name a resource of the same VPC, or add (or activate) the peering the reference needs.")
def wrong_vpc(ctx: CheckContext) -> Iterator[Finding]:
    """A reference found only in another VPC, a group of another VPC without peering, an RDS subnet outside
    its subnet group.

    >>> from vpckit.checks._foundation import findings_of
    >>> findings_of("REF002", {"vpcs": {"a": {"cidr": "10.0.0.0/16", "security_groups": {"web": {"ingress": [
    ...     {"protocol": "tcp", "ports": 443, "source": "b/lb"}]}}}, "b": {"cidr": "10.1.0.0/16", "security_groups": {"lb": {}}}}})
    ['REF002 vpcs.a.security_groups.web.ingress.0.source: security group web rule references b/lb of VPC b, but VPC a has no active same-Region peering with VPC b (nor a transit gateway with security group referencing), so the rule matches nothing (SG-05)']
    """
    yield from _check(ctx, "REF002")


def _check(ctx: CheckContext, wanted: str) -> Iterator[Finding]:
    for finding in _reference_findings(ctx):
        if finding.rule == wanted:
            yield finding


def _reference_findings(ctx: CheckContext) -> Iterator[Finding]:
    design = ctx.design
    for vpc_name, vpc in design.vpcs.items():
        label = f"vpc {vpc_name}"
        for ref in vpc_references(vpc_name, design):
            if resolve.find_in_vpc(design, vpc_name, ref.collection, ref.ref) is not None:
                continue
            path = written(design, "vpcs", vpc_name, *ref.path)
            what = _WHAT.get(ref.collection, ref.collection)
            elsewhere = next((other for other in sorted(design.vpcs) if other != vpc_name
                              and resolve.find_in_vpc(design, other, ref.collection, ref.ref) is not None), None)
            if elsewhere is not None:
                yield ctx.finding("REF002", f"{ref.owner} names {what} {ref.ref!r}, which belongs to VPC {elsewhere}, "
                                  f"not VPC {vpc_name}", path, f"{label} / {ref.owner}")
            else:
                known = ", ".join(getattr(vpc, ref.collection)) or "none"
                yield ctx.finding("REF001", f"{ref.owner} names {what} {ref.ref!r}, which does not exist in VPC "
                                  f"{vpc_name} (known: {known})", path, f"{label} / {ref.owner}")
        yield from _rds_groups(ctx, vpc_name)
        yield from _routes(ctx, vpc_name)
        yield from _attached_groups(ctx, vpc_name)
        yield from _group_rules(ctx, vpc_name)
    yield from _design_level(ctx)


def _rds_groups(ctx: CheckContext, vpc_name: str) -> Iterator[Finding]:
    design = ctx.design
    vpc = design.vpcs[vpc_name]
    for name, rds in vpc.rds_instances.items():
        group = find_in(vpc.db_subnet_groups, rds.subnet_group)
        subnet = find_in(vpc.subnets, rds.subnet) if rds.subnet else None
        if group is None or subnet is None:
            continue
        members = {find_in(vpc.subnets, s) for s in vpc.db_subnet_groups[group].subnets}
        if subnet not in members:
            yield ctx.finding("REF002", f"RDS instance {name} is placed in subnet {rds.subnet}, which is not in its "
                              f"DB subnet group {group}", written(design, "vpcs", vpc_name, "rds_instances", name,
                                                                  "subnet"), f"vpc {vpc_name} / RDS instance {name}")


def _routes(ctx: CheckContext, vpc_name: str) -> Iterator[Finding]:
    design = ctx.design
    vpc = design.vpcs[vpc_name]
    for table_name, table in vpc.route_tables.items():
        for index, route in enumerate(table.routes):
            base = ("vpcs", vpc_name, "route_tables", table_name, "routes", index)
            label = f"vpc {vpc_name} / route table {table_name}"
            if isinstance(route.destination, str) and resolve.prefix_list(design, route.destination) is None:
                yield ctx.finding("REF001", f"route table {table_name} has a route to prefix list "
                                  f"{route.destination!r}, which is not in the design's prefix_lists",
                                  written(design, *base, "destination"), label)
            if route.state == "blackhole":
                continue  # the target was deleted: that is what the state records (RT-10)
            if resolve.route_target(design, vpc_name, route.target) is None:
                yield ctx.finding("REF001", f"route table {table_name} routes {route.destination} to "
                                  f"{route.target!r}, which is not a gateway, NAT gateway, interface, instance, "
                                  "endpoint, transit gateway or peering connection of the design",
                                  written(design, *base, "target"), label)
        for index, gateway in enumerate(table.edge_associations):
            if find_in(vpc.internet_gateways, gateway) is None and find_in(vpc.vpn_gateways, gateway) is None:
                yield ctx.finding("REF001", f"route table {table_name} is edge-associated with {gateway!r}, which is "
                                  f"not an internet or VPN gateway of VPC {vpc_name} (RT-11)",
                                  written(design, "vpcs", vpc_name, "route_tables", table_name, "edge_associations",
                                          index), f"vpc {vpc_name} / route table {table_name}")
    for name, endpoint in vpc.endpoints.items():
        if endpoint.prefix_list is not None and resolve.prefix_list(design, endpoint.prefix_list) is None:
            yield ctx.finding("REF001", f"endpoint {name} names prefix list {endpoint.prefix_list!r}, which is not in "
                              "the design's prefix_lists", written(design, "vpcs", vpc_name, "endpoints", name,
                                                                   "prefix_list"), f"vpc {vpc_name} / endpoint {name}")


def _attached_groups(ctx: CheckContext, vpc_name: str) -> Iterator[Finding]:
    design = ctx.design
    for collection, name, groups in security_group_sites(design.vpcs[vpc_name]):
        owner = f"{kind_of(collection)} {name}"
        for index, group in enumerate(groups):
            found = resolve.security_group(design, vpc_name, group)
            if found is not None and found.vpc == vpc_name:
                continue
            # Where it is written is looked up for a finding only: most references resolve.
            path = written(design, "vpcs", vpc_name, collection, name, "security_groups", index)
            label = f"vpc {vpc_name} / {owner}"
            if found is None:
                yield ctx.finding("REF001", f"{owner} uses security group {group!r}, which does not exist in VPC "
                                  f"{vpc_name}", path, label)
            elif found.vpc != vpc_name:
                yield ctx.finding("REF002", f"{owner} uses security group {group!r} of VPC {found.vpc}; an interface "
                                  f"can only use groups of its own VPC {vpc_name} (SG-11)", path, label)


def _group_rules(ctx: CheckContext, vpc_name: str) -> Iterator[Finding]:
    design = ctx.design
    vpc = design.vpcs[vpc_name]
    for group_name, group in vpc.security_groups.items():
        for direction, peer_key in (("ingress", "source"), ("egress", "destination")):
            for index, sg_rule in enumerate(getattr(group, direction)):
                peer = getattr(sg_rule, peer_key)
                if not isinstance(peer, str):
                    continue
                label = f"vpc {vpc_name} / security group {group_name}"
                found = resolve.security_group(design, vpc_name, peer)
                if found is None:
                    if resolve.prefix_list(design, peer) is None:
                        path = written(design, "vpcs", vpc_name, "security_groups", group_name, direction, index,
                                       peer_key)
                        yield ctx.finding("REF001", f"security group {group_name} {direction} rule references "
                                          f"{peer!r}, which is neither a security group nor a prefix list of the "
                                          "design; a stale reference matches nothing (SG-07, SG-08)", path, label)
                    continue
                problem = sg_reference_allowed(design, vpc_name, found.vpc or vpc_name)
                if problem:
                    path = written(design, "vpcs", vpc_name, "security_groups", group_name, direction, index, peer_key)
                    yield ctx.finding("REF002", f"security group {group_name} rule references {peer} of VPC "
                                      f"{found.vpc}, but {problem}", path, label)


def _design_level(ctx: CheckContext) -> Iterator[Finding]:
    design = ctx.design
    for name, pcx in design.peering_connections.items():
        for end in ("requester", "accepter"):
            ref = getattr(pcx, end)
            if design.find_vpc(ref) is None:
                yield ctx.finding("REF001", f"peering {name} {end} {ref!r} is not a VPC of the design",
                                  ("peering_connections", name, end), f"peering {name}")
    for tgw_name, tgw in design.transit_gateways.items():
        label = f"transit gateway {tgw_name}"
        for att_name, att in tgw.attachments.items():
            base = ("transit_gateways", tgw_name, "attachments", att_name)
            vpc_name = design.find_vpc(att.vpc) if att.vpc is not None else None
            if att.vpc is not None and vpc_name is None:
                yield ctx.finding("REF001", f"attachment {att_name} names VPC {att.vpc!r}, which is not in the design",
                                  (*base, "vpc"), label)
            if vpc_name is not None:
                for index, subnet in enumerate(att.subnets):
                    if resolve.find_in_vpc(design, vpc_name, "subnets", subnet) is not None:
                        continue
                    elsewhere = next((v for v in sorted(design.vpcs)
                                      if resolve.find_in_vpc(design, v, "subnets", subnet) is not None), None)
                    if elsewhere is not None:
                        yield ctx.finding("REF002", f"attachment {att_name} of VPC {vpc_name} names subnet {subnet!r} "
                                          f"of VPC {elsewhere} (TGW-02)", (*base, "subnets", index), label)
                    else:
                        yield ctx.finding("REF001", f"attachment {att_name} names subnet {subnet!r}, which does not "
                                          f"exist in VPC {vpc_name}", (*base, "subnets", index), label)
            tables = [("route_table", None, att.route_table)] if att.route_table else []
            tables += [("propagate_to", i, t) for i, t in enumerate(att.propagate_to)]
            for key, index, table in tables:
                if find_in(tgw.route_tables, table) is None:
                    path = (*base, key) + ((index,) if index is not None else ())
                    yield ctx.finding("REF001", f"attachment {att_name} names TGW route table {table!r}, which "
                                      f"transit gateway {tgw_name} does not have (known: "
                                      f"{', '.join(tgw.route_tables) or 'none'})", path, label)
        for table_name, table in tgw.route_tables.items():
            for index, route in enumerate(table.routes):
                base = ("transit_gateways", tgw_name, "route_tables", table_name, "routes", index)
                if route.attachment is not None and find_in(tgw.attachments, route.attachment) is None:
                    yield ctx.finding("REF001", f"TGW route table {table_name} routes {route.destination} to "
                                      f"attachment {route.attachment!r}, which transit gateway {tgw_name} does not "
                                      "have", (*base, "attachment"), label)
                if isinstance(route.destination, str) and resolve.prefix_list(design, route.destination) is None:
                    yield ctx.finding("REF001", f"TGW route table {table_name} routes to prefix list "
                                      f"{route.destination!r}, which is not in the design's prefix_lists",
                                      (*base, "destination"), label)
    for name, network in design.on_premises.items():
        if network.via is None:
            continue
        vgw = any(find_in(vpc.vpn_gateways, network.via) is not None for vpc in design.vpcs.values())
        attachment = any(find_in(tgw.attachments, network.via) is not None for tgw in design.transit_gateways.values())
        if not (vgw or attachment):
            yield ctx.finding("REF001", f"on-premises network {name} is reached via {network.via!r}, which is neither "
                              "a VPN gateway nor a transit gateway attachment of the design",
                              ("on_premises", name, "via"), f"on-premises {name}")
