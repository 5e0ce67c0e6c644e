"""The design model: pydantic models of AWS networking, and nothing else.

>>> from vpckit.model import Design
>>> Design.model_validate({"vpcs": {"prod": {"cidr": "10.0.0.0/16"}}}).vpcs["prod"].main_route_table
'main'
"""

from .design import Design, Path, Position, SourceMap, Suppression
from .resources import *  # noqa: F401,F403
from .resources import __dict__ as _resources
from .types import Address, Cidr, CidrOrName, PortRange, Ports, Protocol, parse_cidr, parse_port_range, parse_protocol, protocol_name

__all__ = [
    "Design", "Path", "Position", "SourceMap", "Suppression", "Address", "Cidr", "CidrOrName", "PortRange", "Ports",
    "Protocol", "parse_cidr", "parse_port_range", "parse_protocol", "protocol_name",
] + [n for n, v in _resources.items() if isinstance(v, type) and getattr(v, "__module__", "") == "vpckit.model.resources"]
