"""Where a component of the network was written: its path in the design, and so its file:line:col.

The network names components ``kind:vpc/name`` (``sg:prod/web``, ``rtb:prod/public``) or
``kind:name`` (``tgw:hub``, ``pcx:prod-shared``); settings that are lists join them with commas.
"""

from __future__ import annotations

from typing import Any

from ..model import Design

__all__ = ["design_path", "place"]

#: Component kind -> the VPC's field that declares it.
_VPC_FIELDS = {
    "sg": ("security_groups",), "nacl": ("network_acls",), "rtb": ("route_tables",), "subnet": ("subnets",),
    "nat": ("nat_gateways",), "lb": ("load_balancers",), "vpce": ("endpoints",), "tg": ("target_groups",),
    "igw": ("internet_gateways",), "eigw": ("egress_only_internet_gateways",), "vgw": ("vpn_gateways",),
    # an interface is declared by its owner
    "eni": ("instances", "network_interfaces", "rds_instances", "lambda_functions", "efs_mount_targets",
            "load_balancers", "endpoints", "nat_gateways"),
}
#: The shorthand a design may use for a VPC's single gateway (``internet_gateway: NAME``).
_SHORTHAND = {"internet_gateways": "internet_gateway", "egress_only_internet_gateways": "egress_only_internet_gateway",
              "vpn_gateways": "vpn_gateway"}
_TOP_FIELDS = {"pcx": "peering_connections", "tgw": "transit_gateways", "pl": "prefix_lists", "onprem": "on_premises",
               "eip": "elastic_ips"}


def design_path(design: Design, component: str, *, exact: bool = False) -> tuple:
    """The path of keys in the design where ``component`` is declared.

    When the component is not there, the path of what would hold it (its VPC), or ``()`` with ``exact``.

    >>> design = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "security_groups": {"web": {}}}}, "transit_gateways": {"hub": {}}})
    >>> design_path(design, "sg:p/web"), design_path(design, "tgw:hub"), design_path(design, "sg:p/nope")
    (('vpcs', 'p', 'security_groups', 'web'), ('transit_gateways', 'hub'), ('vpcs', 'p'))
    """
    kind, _, rest = component.partition(":")
    first, _, second = rest.partition("/")
    name = second.split("@", 1)[0].split("#", 1)[0]
    if kind in _VPC_FIELDS and first in design.vpcs:
        vpc = design.vpcs[first]
        for field in _VPC_FIELDS[kind]:
            if name and name in getattr(vpc, field):
                if field in _SHORTHAND and len(getattr(vpc, field)) == 1 and \
                        ("vpcs", first, _SHORTHAND[field]) in design.source.positions:
                    return ("vpcs", first, _SHORTHAND[field])
                return ("vpcs", first, field, name)
        return () if exact else ("vpcs", first)
    if kind.startswith("tgw") and first in design.transit_gateways:
        tgw = design.transit_gateways[first]
        for field in ("attachments", "route_tables"):
            if name and name in getattr(tgw, field, {}):
                return ("transit_gateways", first, field, name)
        return ("transit_gateways", first) if not name or not exact else ()
    field = _TOP_FIELDS.get(kind)
    if field is not None and first in getattr(design, field):
        return (field, first)
    if kind == "vpc" and first in design.vpcs:
        return ("vpcs", first)
    return ()


def _key_in(value: Any, name: str) -> str | None:
    return name if isinstance(value, dict) and name in value else None


def place(design: Design, component: str) -> str:
    """``file:line:col`` of where the component is declared (the file alone when positions are unknown).

    A comma-separated setting (several groups) is placed at its first member.

    >>> place(Design.model_validate({"vpcs": {}}), "sg:p/web")
    '<memory>'
    """
    first = component.split(",", 1)[0]
    return str(design.source.locate(design_path(design, first)))
