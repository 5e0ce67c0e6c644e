"""VPC and route-table hygiene: VPC006, VPC008, VPC009 and RT001-RT004.

These rules read intent from the design (a subnet's ``tier``, a ``Tier`` tag or a name saying
``public``/``private``) and compare it with what the routes really do (RT-01..RT-10).
"""

from __future__ import annotations

from typing import Iterable

from netaddr import IPNetwork

from ..network.resolve import find_in, peering_connection, route_target
from ._common import default_routes, subnet_route_table, tier_of
from .registry import CheckContext, Finding, rule

PRIVATE_TIERS = {"private", "app", "application", "db", "data", "database", "isolated", "internal"}


@rule("VPC006", "info", "Subnets are explicitly associated with a route table; the main table is not public",
      semantics=("RT-02",),
      rationale="A subnet without an explicit association silently follows whatever the main route table becomes. "
                "A main table with a route to an internet gateway makes every new subnet public by default.",
      fix="Give each subnet `route_table:`, and keep the main route table private (local routes only).",
      peers={"cfn-lint": "E3022"})
def vpc_route_table_association(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        main = find_in(vpc.route_tables, vpc.main_route_table)
        implicit = [n for n, s in sorted(vpc.subnets.items()) if s.route_table is None]
        for name in implicit:
            yield ctx.finding("VPC006", f"subnet {name} has no explicit route table association; it follows the main "
                              f"route table ({vpc.main_route_table})", ("vpcs", vpc_name, "subnets", name),
                              f"vpc {vpc_name} / subnet {name}", key="implicit")
        if main is not None:
            for index, route, target in default_routes(ctx.design, vpc_name, main):
                if target is not None and target.kind == "internet_gateway":
                    yield ctx.finding(
                        "VPC006", f"the main route table {main} routes {route.destination} to internet gateway "
                        f"{target.name}: every subnet created without an association becomes public",
                        ("vpcs", vpc_name, "route_tables", main, "routes", index), f"vpc {vpc_name} / route table {main}",
                        severity="warning", key="main-public")


@rule("VPC008", "warning", "The default VPC is not used",
      rationale="The default VPC has public subnets that auto-assign public IPs, an internet route and permissive "
                "defaults; workloads belong in VPCs designed for them.",
      fix="Move the resources into a purpose-built VPC and delete the default VPC (or leave it empty).",
      peers={"checkov": "CKV_AWS_148", "trivy": "AWS-0101"})
def vpc_default_vpc(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        if not vpc.is_default:
            continue
        members = sum(len(getattr(vpc, c)) for c in ("instances", "network_interfaces", "load_balancers",
                                                     "rds_instances", "lambda_functions", "nat_gateways"))
        yield ctx.finding("VPC008", f"VPC {vpc_name} is the Region's default VPC"
                          + (f" and holds {members} resource(s)" if members else ""),
                          ("vpcs", vpc_name), f"vpc {vpc_name}", key="default-vpc")


@rule("VPC009", "warning", "Every VPC has flow logs",
      rationale="Without flow logs there is no record of accepted or rejected traffic for incident response, and "
                "no way to verify what the security groups and NACLs actually do.",
      fix="Add a flow log capturing ALL traffic to CloudWatch Logs or S3 (`flow_logs:` on the VPC).",
      peers={"checkov": "CKV2_AWS_11", "trivy": "AWS-0178", "cfn_nag": "W60", "securityhub": "EC2.6"})
def vpc_flow_logs(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        if vpc.flow_logs is None:
            continue  # unknown (a snapshot without describe-flow-logs): never guessed
        if not vpc.flow_logs:
            yield ctx.finding("VPC009", f"VPC {vpc_name} has no flow log", ("vpcs", vpc_name), f"vpc {vpc_name}",
                              key="flow-logs")
        elif not any(f.traffic_type == "ALL" for f in vpc.flow_logs.values()):
            kinds = sorted({f.traffic_type for f in vpc.flow_logs.values()})
            yield ctx.finding("VPC009", f"VPC {vpc_name}'s flow logs capture only {'/'.join(kinds)} traffic",
                              ("vpcs", vpc_name, "flow_logs"), f"vpc {vpc_name}", severity="info", key="flow-logs")


@rule("RT001", "warning", "Public subnets route to an internet gateway; private ones do not",
      semantics=("SUB-06", "RT-01"),
      rationale="Whether a subnet is public is decided by its route table, not its name (SUB-06). A subnet labelled "
                "public without 0.0.0.0/0 → IGW cannot serve the internet; one labelled private with it is exposed.",
      fix="Associate the subnet with the route table matching its tier, or correct its tier label.")
def rt_tier_matches_routes(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        for name, subnet in sorted(vpc.subnets.items()):
            tier = tier_of(name, subnet)
            if tier is None:
                continue
            table = subnet_route_table(vpc, name)
            to_igw = [(i, r) for i, r, t in default_routes(ctx.design, vpc_name, table)
                      if t is not None and t.kind == "internet_gateway" and r.state == "active"]
            path = ("vpcs", vpc_name, "subnets", name)
            if tier == "public" and not to_igw:
                yield ctx.finding("RT001", f"subnet {name} is labelled public but its route table {table} has no "
                                  f"default route to an internet gateway", path, f"vpc {vpc_name} / subnet {name}",
                                  key="public-without-igw")
            elif tier in PRIVATE_TIERS and to_igw:
                index, route = to_igw[0]
                yield ctx.finding("RT001", f"subnet {name} is labelled {tier} but its route table {table} sends "
                                  f"{route.destination} to an internet gateway, which makes it public",
                                  ("vpcs", vpc_name, "route_tables", table, "routes", index),
                                  f"vpc {vpc_name} / subnet {name}", severity="error", key="private-with-igw")


@rule("RT002", "warning", "Private subnets reach the internet through a NAT gateway in their own AZ",
      semantics=("NAT-01",),
      rationale="A NAT gateway in another AZ makes the subnet lose internet access when that AZ fails and adds "
                "cross-AZ data charges; a NAT instance is a single point of failure to patch and scale.",
      fix="Create one NAT gateway per AZ and route each private subnet to the one in its AZ.",
      peers={"checkov": "CKV2_AWS_35"})
def rt_nat_same_az(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        for name, subnet in sorted(vpc.subnets.items()):
            table = subnet_route_table(vpc, name)
            for index, route, target in default_routes(ctx.design, vpc_name, table):
                path = ("vpcs", vpc_name, "route_tables", table, "routes", index)
                if target is None:
                    continue
                if target.kind == "nat_gateway" and target.vpc == vpc_name:
                    nat_subnet = find_in(vpc.subnets, target.resource.subnet)
                    if nat_subnet is not None and vpc.subnets[nat_subnet].az != subnet.az:
                        yield ctx.finding(
                            "RT002", f"subnet {name} ({subnet.az}) reaches the internet through NAT gateway "
                            f"{target.name} in {vpc.subnets[nat_subnet].az}", path, f"vpc {vpc_name} / subnet {name}",
                            key=f"cross-az:{name}")
                elif target.kind in ("instance", "network_interface"):
                    yield ctx.finding(
                        "RT002", f"subnet {name}'s default route {route.destination} goes to {target.kind.replace('_', ' ')} "
                        f"{target.name} (a NAT instance) instead of a NAT gateway", path,
                        f"vpc {vpc_name} / subnet {name}", severity="info", key=f"nat-instance:{name}")


_DEAD_STATES = {
    "nat_gateway": {"failed", "deleting", "deleted"},
    "vpc_endpoint": {"deleted", "failed", "rejected"},
    "instance": {"stopped", "stopping", "shutting-down", "terminated"},
    "peering_connection": {"deleting", "deleted", "rejected", "failed", "expired", "pending-acceptance",
                           "initiating-request", "provisioning"},
}


@rule("RT003", "error", "No route is a blackhole or points to a deleted or stopped target",
      semantics=("RT-10",),
      rationale="A route whose target is gone (state blackhole) or unusable (a failed NAT gateway, a stopped NAT "
                "instance, a peering that is not active) silently drops the traffic it matches; it also hides a more "
                "general route that would have worked (longest prefix wins).",
      fix="Point the route at a working target or delete it.")
def rt_dead_targets(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        for table, route_table in sorted(vpc.route_tables.items()):
            for index, route in enumerate(route_table.routes):
                path = ("vpcs", vpc_name, "route_tables", table, "routes", index)
                resource = f"vpc {vpc_name} / route table {table}"
                if route.state == "blackhole" or route.target == "blackhole":
                    yield ctx.finding("RT003", f"route table {table}: route {route.destination} → {route.target} is a "
                                      f"blackhole (its target was deleted); matching traffic is dropped", path, resource,
                                      key=f"{route.destination}")
                    continue
                target = route_target(ctx.design, vpc_name, route.target)
                if target is None or target.resource is None:
                    continue  # unresolved references are REF001's
                state = getattr(target.resource, "state", None)
                if state in _DEAD_STATES.get(target.kind, ()):
                    yield ctx.finding("RT003", f"route table {table}: route {route.destination} → "
                                      f"{target.kind.replace('_', ' ')} {target.name}, which is {state}; matching "
                                      f"traffic is dropped", path, resource, key=f"{route.destination}")


@rule("RT004", "warning", "Peering routes are specific and exist on both sides",
      semantics=("PCX-03", "PCX-05"),
      rationale="A default route (or any very wide route) over a peering connection sends internet-bound traffic to "
                "a VPC that cannot forward it (peering is not transitive); and a peering used by routes on one side "
                "only carries requests whose replies have no way back.",
      fix="Route only the peer VPC's CIDRs over the peering, and add the return routes in the peer VPC.",
      peers={"checkov": "CKV2_AWS_44"})
def rt_peering(ctx: CheckContext) -> Iterable[Finding]:
    design = ctx.design
    used: dict[str, set[str]] = {}
    for vpc_name, vpc in design.iter_vpcs():
        for table, route_table in sorted(vpc.route_tables.items()):
            for index, route in enumerate(route_table.routes):
                target = route_target(design, vpc_name, route.target)
                if target is None or target.kind != "peering_connection":
                    continue
                used.setdefault(target.name, set()).add(vpc_name)
                if isinstance(route.destination, IPNetwork) and route.destination.prefixlen <= (8 if route.destination.version == 4 else 32):
                    yield ctx.finding(
                        "RT004", f"route table {table} sends {route.destination} over peering connection {target.name}; "
                        f"peering is not transitive, so only the peer VPC's CIDRs can be reached through it",
                        ("vpcs", vpc_name, "route_tables", table, "routes", index),
                        f"vpc {vpc_name} / route table {table}", key=f"wide:{route.destination}")
    for pcx_name, vpcs in sorted(used.items()):
        pcx = peering_connection(design, pcx_name)
        ends = {design.find_vpc(pcx.resource.requester), design.find_vpc(pcx.resource.accepter)} - {None}
        for missing in sorted(ends - vpcs):
            yield ctx.finding(
                "RT004", f"peering connection {pcx_name} is used by routes in {', '.join(sorted(vpcs))} but no route "
                f"table of {missing} routes back over it; replies cannot return",
                ("peering_connections", pcx_name), f"peering connection {pcx_name}", key=f"one-sided:{missing}")
