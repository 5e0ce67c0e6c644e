"""Load balancer rules: ELB001.

Facts about where targets are come from the built network (the same the reach walk uses).
"""

from __future__ import annotations

from typing import Iterable

from .registry import CheckContext, Finding, rule


@rule("ELB001", "warning", "Load balancer targets are in Availability Zones the load balancer enables",
      semantics=("ELB",),
      rationale="A target registered in an Availability Zone that the load balancer does not enable receives no "
                "traffic (target health Target.NotInUse): the capacity is paid for and never used, and a tier that "
                "looks multi-AZ is not.",
      fix="Add a subnet in the target's Availability Zone to the load balancer, or move the target.",
      peers={})
def elb_target_zones(ctx: CheckContext) -> Iterable[Finding]:
    from ..reach.engine import enabled_zones, target_outside_zones

    network = ctx.network
    for lb in sorted(network.load_balancers.values(), key=lambda lb: lb.node):
        zones = enabled_zones(network, lb)
        for group_name, (_, _, targets) in sorted(lb.target_groups.items()):
            for target in targets:
                text = target if "/" in target else f"{lb.vpc}/{target}"
                outside = target_outside_zones(network, text, zones) or target_outside_zones(network, target, zones)
                if outside is None:
                    continue
                yield ctx.finding(
                    "ELB001", f"target {target} of target group {group_name} is in {outside}, which load balancer "
                    f"{lb.name} does not enable ({', '.join(sorted(zones))}): it receives no traffic",
                    ("vpcs", lb.vpc, "target_groups", group_name), f"vpc {lb.vpc} / load balancer {lb.name}",
                    key=f"{group_name}/{target}")
