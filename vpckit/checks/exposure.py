"""Network exposure rules NET001-NET004, and the "really reachable from the internet?" context.

Peers flag a public IP or an open group in isolation. Where the reachability engine
(:mod:`vpckit.reach`) is available, findings about open ports also say whether the port is
actually reachable from the internet — public address, IGW route, NACLs in both directions and
security groups together (aws-semantics §1.15) — which is what a reviewer needs to prioritise.
"""

from __future__ import annotations

from typing import Iterable

from ..network.resolve import find_in
from ._common import cached, default_routes, effective_public_ip, subnet_route_table, vpc_group_users, tier_of
from .registry import CheckContext, Finding, rule

_ENDPOINT_COLLECTIONS = ("instances", "network_interfaces", "load_balancers", "rds_instances")
_STATUS_VERDICT = {"open": "reachable", "partial": "partial", "undetermined": "undetermined"}


def internet_rows(ctx: CheckContext) -> dict[tuple[str, str], list] | None:
    """``{(vpc, resource): [flow rows]}``: what the internet reaches, from :func:`vpckit.flows.exposure`.

    Computed once per run over every resource (the set question runs the reach walk; no second copy of
    AWS's rules here). None when the design cannot be built into a network.
    """
    def build():
        try:
            from ..flows import exposure
            from ..flows.atoms import interface_classes

            network = ctx.network
            answer = exposure(network)
            classes = {k.representative: k.members for k in interface_classes(network)}
        except Exception:  # noqa: BLE001 - the context is optional; the finding stands without it
            return None
        index: dict[tuple[str, str], list] = {}
        for row in answer.flows:
            node = row.destination.node
            if node in network.load_balancers:
                lb = network.load_balancers[node]
                owners = {(lb.vpc, lb.name)}
            else:
                owners = {(network.interfaces[n].vpc, network.interfaces[n].owner) for n in classes.get(node, (node,))
                          if n in network.interfaces}
            for owner in owners:
                index.setdefault(owner, []).append(row)
        return index

    return cached(ctx, "internet-exposure", build)


def internet_exposure(ctx: CheckContext, vpc_name: str, group: str, protocol: int, port: int) -> dict[str, str] | None:
    """``{"vpc/resource": verdict}`` for every resource using ``group``: is ``protocol``/``port`` reachable
    from the internet (IPv4 or IPv6)? None when the network cannot be built.
    """
    index = internet_rows(ctx)
    if index is None:
        return None
    name = {6: "tcp", 17: "udp"}.get(protocol)
    out: dict[str, str] = {}
    for collection, user in vpc_group_users(ctx, vpc_name, group):
        if collection not in _ENDPOINT_COLLECTIONS:
            continue
        rows = [r for r in index.get((vpc_name, user), []) if r.protocol == name and r.low <= port <= r.high]
        out[f"{vpc_name}/{user}"] = _STATUS_VERDICT[rows[0].status] if rows else "unreachable"
    return out


@rule("NET001", "warning", "Subnets do not auto-assign public IPv4 addresses",
      semantics=("SUB-08",),
      rationale="With MapPublicIpOnLaunch every instance launched in the subnet gets a public address, whether or "
                "not it should be on the internet; public addresses are better given explicitly (or via a load "
                "balancer).",
      fix="Set `auto_public_ip: false` and assign public or elastic IPs to the few instances that need one.",
      peers={"checkov": "CKV_AWS_130", "trivy": "AWS-0164", "cfn_nag": "W33", "securityhub": "EC2.15"})
def net_auto_public_ip(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        for name, subnet in sorted(vpc.subnets.items()):
            if not subnet.map_public_ip_on_launch:
                continue
            routed = any(t is not None and t.kind == "internet_gateway"
                         for _, _, t in default_routes(ctx.design, vpc_name, subnet_route_table(vpc, name)))
            tail = "" if routed else " (and the subnet has no default route to an internet gateway, so those addresses are unusable)"
            yield ctx.finding("NET001", f"subnet {name} gives every new instance a public IPv4 address{tail}",
                              ("vpcs", vpc_name, "subnets", name), f"vpc {vpc_name} / subnet {name}", key="auto-ip")


@rule("NET002", "warning", "Instances outside a public tier have no public IP",
      semantics=("SUB-08", "IGW-02"),
      rationale="A public address on an application or database host makes it one security-group change away from "
                "the internet. Instances in subnets whose tier is `public` are exempt. When the reachability engine "
                "is available the finding says which ports of the instance are actually reachable.",
      fix="Remove the public/elastic IP, or move the instance behind a load balancer or NAT gateway.",
      peers={"checkov": "CKV_AWS_88", "trivy": "AWS-0009", "securityhub": ("EC2.9", "EC2.25")})
def net_public_instances(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        for name, instance in sorted(vpc.instances.items()):
            if instance.state == "terminated" or not effective_public_ip(vpc, instance):
                continue
            subnet_name = find_in(vpc.subnets, instance.subnet)
            if subnet_name is None or tier_of(subnet_name, vpc.subnets[subnet_name]) == "public":
                continue
            how = ("an elastic IP" if instance.elastic_ip else "a public IP" if instance.public_ip is not None
                   else f"a public IP from subnet {subnet_name}'s auto-assign setting")
            reachable = _reachable_ports(ctx, vpc_name, name)
            tail = f"; reachable from the internet on {', '.join(reachable)}" if reachable else ""
            tier = tier_of(subnet_name, vpc.subnets[subnet_name])
            if tier is None:
                routed = any(t is not None and t.kind == "internet_gateway" for _, _, t in
                             default_routes(ctx.design, vpc_name, subnet_route_table(vpc, subnet_name)))
                tier_text = ("no tier label; public by its routes — label it `tier: public` if the instance is meant "
                             "to face the internet" if routed else "no tier label")
            else:
                tier_text = f"tier {tier}"
            yield ctx.finding(
                "NET002",
                f"instance {name} in subnet {subnet_name} ({tier_text}) has {how}{tail}",
                ("vpcs", vpc_name, "instances", name), f"vpc {vpc_name} / instance {name}", key="public-ip",
                **({"reachable_ports": reachable} if reachable else {}),
            )


def _reachable_ports(ctx: CheckContext, vpc_name: str, name: str) -> list[str]:
    """``["tcp/22", "tcp/1024-65535", ...]``: what the internet reaches on the resource (IPv6 marked)."""
    index = internet_rows(ctx)
    if index is None:
        return []
    out = []
    for row in index.get((vpc_name, name), []):
        label = f"{row.protocol}/{row.ports}" + (" (IPv6)" if row.family == 6 else "")
        if label not in out:
            out.append(label)
    return out


@rule("NET003", "warning", "Transit gateways do not auto-accept shared attachments",
      semantics=("TGW-02",),
      rationale="With auto-accept any account the transit gateway is shared with can attach a VPC and, through "
                "propagation, reach every other attached network without review.",
      fix="Set `auto_accept_shared_attachments: false` and accept attachments explicitly.",
      peers={"checkov": "CKV_AWS_331", "securityhub": "EC2.23"})
def net_tgw_auto_accept(ctx: CheckContext) -> Iterable[Finding]:
    for name, tgw in sorted(ctx.design.transit_gateways.items()):
        if tgw.auto_accept_shared_attachments:
            yield ctx.finding("NET003", f"transit gateway {name} accepts shared attachments automatically",
                              ("transit_gateways", name), f"transit gateway {name}", key="auto-accept")


@rule("NET004", "info", "Elastic IPs are attached to something",
      rationale="An unattached elastic IP costs money and, if re-associated by mistake, exposes whatever it lands on.",
      fix="Release the address, or associate it with the instance, interface or NAT gateway that needs it.",
      peers={"checkov": "CKV2_AWS_19", "securityhub": "EC2.12"})
def net_unattached_eips(ctx: CheckContext) -> Iterable[Finding]:
    used = set()
    for _, vpc in ctx.design.iter_vpcs():
        for collection in ("instances", "network_interfaces"):
            for item in getattr(vpc, collection).values():
                if item.elastic_ip is not None:
                    used.add(str(item.elastic_ip))
        for nat in vpc.nat_gateways.values():
            if nat.elastic_ip is not None:
                used.add(str(nat.elastic_ip))
    for name, eip in sorted(ctx.design.elastic_ips.items()):
        if eip.instance or eip.network_interface or eip.nat_gateway:
            continue
        if eip.address is not None and str(eip.address) in used:
            continue
        label = f"{name} ({eip.address})" if eip.address else name
        yield ctx.finding("NET004", f"elastic IP {label} is not associated with any instance, interface or NAT gateway",
                          ("elastic_ips", name), f"elastic ip {name}", key="unattached")
