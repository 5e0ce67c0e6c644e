"""The types of the Terraform AWS provider attributes that vpckit reads from a plan or state.

``terraform show -json`` writes each resource's attribute values as the provider's schema types them
(a plan does not carry the schema itself). Before the Terraform reader uses a resource, the values it
reads are checked against the types below — text, a number, true/false, a list of text, a list of
blocks, a map of text — and a value of another type is refused at its place in the file instead of
surfacing later as a Python error. Attributes vpckit does not read are left alone; an unknown value
(``null`` in a plan) is always allowed.
"""

from __future__ import annotations

from typing import Any

from .describe_shapes import describe_value as _describe

__all__ = ["value_problem"]

TEXT, NUMBER, FLAG, TEXTS, BLOCKS, TAGS = "text", "a number", "true or false", "a list of text", "a list of blocks", \
    "a map of text"

_TEXT = """
id arn vpc_id subnet_id cidr_block ipv6_cidr_block destination_cidr_block destination_ipv6_cidr_block
destination_prefix_list_id description availability_zone availability_zone_id public_ip private_ip allocation_id
gateway_id nat_gateway_id instance_id network_interface_id transit_gateway_id transit_gateway_attachment_id
vpc_peering_connection_id peer_vpc_id peer_region peer_owner_id egress_only_gateway_id vpc_endpoint_id
vpn_gateway_id customer_gateway_id carrier_gateway_id core_network_arn local_gateway_id route_table_id
network_acl_id security_group_id source_security_group_id prefix_list_id cidr_ipv4 cidr_ipv6
referenced_security_group_id ip_protocol protocol load_balancer_type connectivity_type vpc_endpoint_type
service_name traffic_type log_group_name log_destination log_destination_type local_ipv4_network_cidr
remote_ipv4_network_cidr ip_address engine db_subnet_group_name address_family associated_gateway_id
associated_gateway_type default_route_table_association default_route_table_propagation
auto_accept_shared_attachments appliance_mode_support dns_support ipv6_support
transit_gateway_default_route_table_association transit_gateway_default_route_table_propagation
target_type target_group_arn load_balancer_arn rule_action action cidr domain network_border_group
ipv4_ipam_pool_id ipv6_ipam_pool_id instance_tenancy state
"""
_NUMBER = """
port from_port to_port rule_number rule_no max_entries device_index ipv4_netmask_length ipv6_netmask_length
"""
_FLAG = """
source_dest_check auto_accept associate_public_ip_address static_routes_only publicly_accessible
map_public_ip_on_launch internal multi_az blackhole assign_generated_ipv6_cidr_block self
enable_dns_support enable_dns_hostnames private_dns_enabled assign_ipv6_address_on_creation
"""
_TEXTS = """
cidr_blocks ipv6_cidr_blocks prefix_list_ids security_groups vpc_security_group_ids subnet_ids route_table_ids
secondary_private_ips private_ips propagating_vgws ipv6_addresses network_interface_ids
"""
_BLOCKS = """
ingress_rules egress_rules route subnet_mapping routes entry cidr_block_associations vgw_telemetry attachment
default_action forward target_group
"""

#: attribute -> the types the provider gives it (some names are typed differently by different resources)
TYPES: dict[str, tuple[str, ...]] = {
    **{name: (TEXT,) for name in _TEXT.split()},
    **{name: (NUMBER,) for name in _NUMBER.split()},
    **{name: (FLAG,) for name in _FLAG.split()},
    **{name: (TEXTS,) for name in _TEXTS.split()},
    **{name: (BLOCKS,) for name in _BLOCKS.split()},
    "tags": (TAGS,), "tags_all": (TAGS,),
    # aws_security_group / aws_network_acl: blocks; aws_network_acl_rule and aws_security_group_rule: text or flag
    "ingress": (BLOCKS,), "egress": (BLOCKS, FLAG), "type": (TEXT,),
    # aws_network_acl_rule: numbers; the blocks of aws_network_acl write them as numbers too
    "icmp_type": (NUMBER, TEXT), "icmp_code": (NUMBER, TEXT),
    # aws_vpn_gateway writes the ASN as text, aws_ec2_transit_gateway as a number
    "amazon_side_asn": (NUMBER, TEXT), "bgp_asn": (NUMBER, TEXT),
    "preserve_client_ip": (TEXT, FLAG), "name": (TEXT,), "default": (FLAG,),
    # aws_instance: blocks; aws_eip: the interface's id
    "network_interface": (BLOCKS, TEXT),
}


def _fits(value: Any, kind: str) -> bool:
    if kind == TEXT:
        return isinstance(value, str)
    if kind == NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value \
            and value not in (float("inf"), float("-inf"))
    if kind == FLAG:
        return isinstance(value, bool)
    if kind == TEXTS:
        return isinstance(value, list) and all(isinstance(item, str) or item is None for item in value)
    if kind == BLOCKS:
        return isinstance(value, list) and all(isinstance(item, dict) or item is None for item in value)
    return isinstance(value, dict) and all(isinstance(item, str) or item is None for item in value.values())


def value_problem(values: Any) -> tuple[tuple, str] | None:
    """The first attribute (in document order, blocks included) whose value the provider never writes.

    >>> value_problem({"cidr_block": "10.0.0.0/16", "tags": {"Name": "x"}}) is None
    True
    >>> value_problem({"ingress": [{"from_port": "22,80", "to_port": 22}]})
    (('ingress', 0, 'from_port'), "expected a number, got str '22,80'")
    """
    if not isinstance(values, dict):
        return (), f"expected a mapping of attributes, got {_describe(values)}"
    stack: list[tuple[dict, tuple]] = [(values, ())]
    while stack:
        block, path = stack.pop()
        nested = []
        for name, value in block.items():
            kinds = TYPES.get(name)
            if kinds is None or value is None:
                continue
            if not any(_fits(value, kind) for kind in kinds):
                return (*path, name), f"expected {' or '.join(kinds)}, got {_describe(value)}"
            if BLOCKS in kinds and isinstance(value, list):
                nested += [(item, (*path, name, index)) for index, item in enumerate(value) if isinstance(item, dict)]
        stack.extend(reversed(nested))
    return None
