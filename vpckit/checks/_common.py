"""Helpers shared by the security and hygiene rule modules (not rules themselves)."""

from __future__ import annotations

from typing import Any, Iterator

from ..model import Design, Vpc
from ..model.tiers import tier_of  # noqa: F401 - the rules' import place
from ..network.resolve import find_in, route_target
from .registry import CheckContext

__all__ = [
    "settings", "cached", "group_users", "vpc_group_users", "users_by_group", "subnet_route_table", "default_routes", "tier_of", "nacl_subnets",
    "effective_public_ip",
]


def settings(ctx: CheckContext):
    """The run's :class:`~vpckit.config.Config` (the defaults when none was given)."""
    from ..config import Config

    return ctx.config if ctx.config is not None else Config()


def cached(ctx: CheckContext, key: Any, compute):
    """Memoise ``compute()`` on the context, so rules sharing an evaluation compute it once."""
    store = ctx.__dict__.setdefault("_security_cache", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def group_users(vpc: Vpc, group: str) -> list[tuple[str, str]]:
    """``(collection, name)`` of everything in ``vpc`` that uses security group ``group``.

    Resources that list no group get the VPC's default group (SG-04).

    >>> from vpckit.model import Vpc
    >>> vpc = Vpc.model_validate({"cidr": "10.0.0.0/16", "subnets": {"a": {"az": "x", "cidr": "10.0.0.0/24"}},
    ...                           "instances": {"i": {"subnet": "a"}}})
    >>> group_users(vpc, "default")
    [('instances', 'i')]
    """
    return users_by_group(vpc).get(group, [])


def vpc_group_users(ctx: CheckContext, vpc_name: str, group: str) -> list[tuple[str, str]]:
    """:func:`group_users` of a design VPC, indexed once per check run (rules ask it per group)."""
    index = cached(ctx, ("users_by_group", vpc_name), lambda: users_by_group(ctx.design.vpcs[vpc_name]))
    return index.get(group, [])


def users_by_group(vpc: Vpc) -> dict[str, list[tuple[str, str]]]:
    """Design group name -> ``(collection, name)`` of its users, in :func:`group_users`' order.

    >>> from vpckit.model import Vpc
    >>> vpc = Vpc.model_validate({"cidr": "10.0.0.0/16", "subnets": {"a": {"az": "x", "cidr": "10.0.0.0/24"}},
    ...                           "instances": {"i": {"subnet": "a"}}})
    >>> users_by_group(vpc)
    {'default': [('instances', 'i')]}
    """
    users: dict[str, list[tuple[str, str]]] = {}
    collections = ("instances", "network_interfaces", "endpoints", "load_balancers", "rds_instances",
                   "lambda_functions", "efs_mount_targets")
    for collection in collections:
        for name, resource in sorted(getattr(vpc, collection).items()):
            groups = list(resource.security_groups)
            if not groups:
                if collection == "endpoints" and resource.type != "interface":
                    continue
                if collection == "load_balancers" and resource.type == "network":
                    continue
                groups = [vpc.default_security_group]
            for group in sorted({find_in(vpc.security_groups, g) or g for g in groups}):
                users.setdefault(group, []).append((collection, name))
    return users


def subnet_route_table(vpc: Vpc, subnet_name: str) -> str | None:
    """The design name of the route table a subnet uses (its own, else the main table)."""
    subnet = vpc.subnets[subnet_name]
    return find_in(vpc.route_tables, subnet.route_table or vpc.main_route_table)


def default_routes(design: Design, vpc_name: str, table: str | None) -> Iterator[tuple[int, Any, Any]]:
    """``(index, route, resolved target)`` of a table's IPv4 and IPv6 default routes."""
    if table is None:
        return
    for index, route in enumerate(design.vpcs[vpc_name].route_tables[table].routes):
        if str(route.destination) in ("0.0.0.0/0", "::/0"):
            yield index, route, route_target(design, vpc_name, route.target)


def nacl_subnets(vpc: Vpc, acl_name: str) -> list[str]:
    """Subnets associated with a NACL (explicitly, or the default NACL by omission)."""
    out = []
    for name, subnet in sorted(vpc.subnets.items()):
        used = find_in(vpc.network_acls, subnet.network_acl or vpc.default_network_acl)
        if used == acl_name:
            out.append(name)
    return out


def effective_public_ip(vpc: Vpc, interface: Any) -> bool:
    """Whether an instance/ENI has a public IPv4: explicit, elastic, or the subnet's default (SUB-08)."""
    if interface.elastic_ip is not None:
        return True
    if interface.public_ip is not None:
        return interface.public_ip is not False
    subnet_name = find_in(vpc.subnets, interface.subnet)
    return bool(subnet_name and vpc.subnets[subnet_name].map_public_ip_on_launch)
