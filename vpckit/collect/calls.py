"""The read-only AWS calls a snapshot makes, and the file each one's output is written to.

This table is the single source of truth: the collector walks it, the IAM policy in
``iam/vpckit-snapshot-policy.json`` must list exactly :func:`required_actions`, and the
snapshot reader recognises each file by the top-level ``key`` written here.

Calls with ``each`` are made once per item of another call (a transit gateway route table,
a load balancer...); their outputs are gathered into one file, each response tagged with
the id it was made for — the layout Batfish's ``aws_configs`` folders use.

>>> [c.operation for c in CALLS if c.key == "Vpcs"]
['describe_vpcs']
>>> "ec2:DescribeVpcs" in required_actions()
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = ["Call", "CALLS", "ACCOUNT_CALL", "REGIONS_CALL", "IAM_PREFIX", "required_actions", "api_name", "page_minimum"]

#: IAM's service prefix of each boto3 client name (elbv2's actions are ``elasticloadbalancing:*``).
IAM_PREFIX = {"ec2": "ec2", "elbv2": "elasticloadbalancing", "rds": "rds", "sts": "sts"}


@dataclass(frozen=True)
class Call:
    """One read-only API call and where its output goes.

    ``key`` names the output file (``<key>.json`` holding ``{key: [...]}``); ``result`` is the
    response's list key when it differs from ``key``. ``each``/``id_field``: make the call
    once per item of the call whose key is ``each``, passing that item's ``id_field``.
    ``merge``: instead of a file of its own, add ``merge`` (the response list) and ``Cidrs``
    to the parent items (prefix list entries, so that PrefixLists.json has the shape of
    ``describe-prefix-lists`` as well).

    >>> Call("elbv2", "describe_listeners", "LoadBalancerListeners", each="LoadBalancers",
    ...      id_field="LoadBalancerArn", result="Listeners").action
    'elasticloadbalancing:DescribeListeners'
    """

    service: str
    operation: str
    key: str
    result: str | None = None
    each: str | None = None
    id_field: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    merge: str | None = None

    @property
    def result_key(self) -> str:
        """The key of the response that holds the list of items."""
        return self.result or self.key

    @property
    def action(self) -> str:
        """The IAM action this call needs, e.g. ``ec2:DescribeVpcs``."""
        return f"{IAM_PREFIX[self.service]}:{api_name(self.service, self.operation)}"


@lru_cache(maxsize=None)
def _botocore() -> Any:
    import botocore.session

    return botocore.session.get_session()


@lru_cache(maxsize=None)
def _api_names(service: str) -> dict[str, str]:
    from botocore import xform_name

    model = _botocore().get_service_model(service)
    return {xform_name(name): name for name in model.operation_names}


def api_name(service: str, operation: str) -> str:
    """The API's own name of a boto3 method (``describe_db_instances`` → ``DescribeDBInstances``).

    Taken from botocore's service model, so a misspelt operation fails loudly.

    >>> api_name("rds", "describe_db_instances")
    'DescribeDBInstances'
    """
    names = _api_names(service)
    if operation not in names:
        raise KeyError(f"{service} has no operation {operation!r}")
    return names[operation]


@lru_cache(maxsize=None)
def page_minimum(service: str, operation: str) -> int:
    """The smallest page size a paginated API accepts (its limit parameter's minimum).

    >>> page_minimum("ec2", "describe_vpcs"), page_minimum("rds", "describe_db_instances")
    (5, 1)
    """
    name = api_name(service, operation)
    limit_key = _botocore().get_paginator_model(service).get_paginator(name)["limit_key"]
    shape = _botocore().get_service_model(service).operation_model(name).input_shape.members.get(limit_key)
    return int(shape.metadata.get("min", 1)) if shape is not None else 1


#: Who am I: the account id names the snapshot's top folder.
ACCOUNT_CALL = Call("sts", "get_caller_identity", "CallerIdentity")
#: Which regions exist and are enabled for the account (checks the regions asked for).
REGIONS_CALL = Call("ec2", "describe_regions", "Regions", params={"AllRegions": True})

_TGW_RTB = dict(each="TransitGatewayRouteTables", id_field="TransitGatewayRouteTableId")

#: Every call made in each region, in order (a parent before the calls made for its items).
CALLS: tuple[Call, ...] = (
    Call("ec2", "describe_availability_zones", "AvailabilityZones"),
    Call("ec2", "describe_vpcs", "Vpcs"),
    Call("ec2", "describe_flow_logs", "FlowLogs"),
    Call("ec2", "describe_subnets", "Subnets"),
    Call("ec2", "describe_route_tables", "RouteTables"),
    Call("ec2", "describe_network_acls", "NetworkAcls"),
    Call("ec2", "describe_security_groups", "SecurityGroups"),
    Call("ec2", "describe_instances", "Reservations"),
    Call("ec2", "describe_network_interfaces", "NetworkInterfaces"),
    Call("ec2", "describe_internet_gateways", "InternetGateways"),
    Call("ec2", "describe_egress_only_internet_gateways", "EgressOnlyInternetGateways"),
    Call("ec2", "describe_nat_gateways", "NatGateways"),
    Call("ec2", "describe_addresses", "Addresses"),
    Call("ec2", "describe_vpc_peering_connections", "VpcPeeringConnections"),
    Call("ec2", "describe_vpc_endpoints", "VpcEndpoints"),
    Call("ec2", "describe_vpn_gateways", "VpnGateways"),
    Call("ec2", "describe_vpn_connections", "VpnConnections"),
    Call("ec2", "describe_customer_gateways", "CustomerGateways"),
    Call("ec2", "describe_managed_prefix_lists", "PrefixLists"),
    Call("ec2", "get_managed_prefix_list_entries", "PrefixLists", result="Entries",
         each="PrefixLists", id_field="PrefixListId", merge="Entries"),
    Call("ec2", "describe_transit_gateways", "TransitGateways"),
    Call("ec2", "describe_transit_gateway_attachments", "TransitGatewayAttachments"),
    Call("ec2", "describe_transit_gateway_vpc_attachments", "TransitGatewayVpcAttachments"),
    Call("ec2", "describe_transit_gateway_route_tables", "TransitGatewayRouteTables"),
    Call("ec2", "get_transit_gateway_route_table_associations", "TransitGatewayRouteTableAssociations",
         result="Associations", **_TGW_RTB),
    Call("ec2", "get_transit_gateway_route_table_propagations", "TransitGatewayPropagations",
         result="TransitGatewayRouteTablePropagations", **_TGW_RTB),
    # Static routes only: propagated ones follow from the propagations and attachments.
    Call("ec2", "search_transit_gateway_routes", "TransitGatewayStaticRoutes", result="Routes",
         params={"Filters": [{"Name": "type", "Values": ["static"]}]}, **_TGW_RTB),
    Call("elbv2", "describe_load_balancers", "LoadBalancers"),
    Call("elbv2", "describe_listeners", "LoadBalancerListeners", result="Listeners",
         each="LoadBalancers", id_field="LoadBalancerArn"),
    Call("elbv2", "describe_target_groups", "TargetGroups"),
    Call("elbv2", "describe_target_health", "LoadBalancerTargetHealth", result="TargetHealthDescriptions",
         each="TargetGroups", id_field="TargetGroupArn"),
    Call("rds", "describe_db_instances", "DBInstances"),
)


def required_actions() -> list[str]:
    """Every IAM action a snapshot needs, sorted (what the IAM policy must allow).

    >>> required_actions()[:2]
    ['ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones']
    """
    return sorted({c.action for c in (ACCOUNT_CALL, REGIONS_CALL, *CALLS)})
