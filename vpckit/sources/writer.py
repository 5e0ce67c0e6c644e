"""The native writer: a :class:`~vpckit.model.Design` as a native YAML design file.

``vpckit import`` uses it to turn any input (an AWS snapshot, a Terraform plan, a
CloudFormation template) into a design users can read, edit and keep in git. What the reader
re-creates by itself is left out (defaults, the VPC's untouched main route table, default
NACL and default security group), AWS ids and tags are kept so users recognise their
resources, and reading the output back gives an equal design.

>>> from vpckit.sources.native import loads
>>> d = loads("vpcs: {prod: {cidr: 10.0.0.0/16, internet_gateway: igw}}")
>>> print(dump(d), end="")
name: design
region: us-east-1
vpcs:
  prod: {cidr: 10.0.0.0/16, internet_gateway: igw}
>>> loads(dump(d)) == d
True
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel

from ..model import Design, RouteTable, Vpc
from ..model.resources import default_network_acl, default_security_group

__all__ = ["dump", "to_data"]


def to_data(design: Design) -> dict[str, Any]:
    """The design as plain data in the native format's shape, defaults left out.

    >>> to_data(Design.model_validate({"name": "x", "vpcs": {}}))
    {'name': 'x', 'region': 'us-east-1'}
    """
    data = design.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    _restore_booleans(design, data)
    for name, vpc in design.vpcs.items():
        _drop_materialised_defaults(vpc, data["vpcs"][name])
    # The name and region always head the file: they say what the design is and where.
    return {"name": design.name, "region": design.region, **{k: v for k, v in data.items() if k not in ("name", "region")}}


def dump(design: Design, source: str | None = None) -> str:
    """The design as native YAML; ``source`` names the input in a header comment.

    Keys follow the model's field order; resources keep their order in the design, so the
    same design always gives the same text.
    """
    header = f"# Imported by vpckit from {source}\n" if source else ""
    data = {key: _flow_leaves(value) for key, value in to_data(design).items()}
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False,
                              default_flow_style=False, allow_unicode=True, width=120)


def _restore_booleans(model: BaseModel, data: dict[str, Any]) -> None:
    """Undo pydantic writing ``True`` as the string "True" in ``Address | bool`` fields (public_ip)."""
    if not isinstance(data, dict):  # a model written as a scalar (a port range as "80-90")
        return
    for name, field in type(model).model_fields.items():
        key = field.alias or name
        if key not in data:
            continue
        value = getattr(model, name)
        if isinstance(value, bool):
            data[key] = value
        elif isinstance(value, BaseModel):
            _restore_booleans(value, data[key])
        elif isinstance(value, dict):
            for item_name, item in value.items():
                if isinstance(item, BaseModel) and item_name in data[key]:
                    _restore_booleans(item, data[key][item_name])
        elif isinstance(value, list):
            for item, item_data in zip(value, data[key]):
                if isinstance(item, BaseModel):
                    _restore_booleans(item, item_data)


def _drop_materialised_defaults(vpc: Vpc, data: dict[str, Any]) -> None:
    """Leave out what the reader re-creates: an untouched main table, default NACL and group."""
    has_ipv6 = bool(vpc.ipv6_cidrs)
    for collection, name, default in (
        ("route_tables", vpc.main_route_table, RouteTable()),
        ("network_acls", vpc.default_network_acl, default_network_acl(has_ipv6)),
        ("security_groups", vpc.default_security_group, default_security_group(vpc.default_security_group, has_ipv6)),
    ):
        key = Vpc.model_fields[collection].alias or collection  # as written: `nacls`
        if getattr(vpc, collection).get(name) == default and key in data:
            data[key].pop(name, None)
            if not data[key]:
                del data[key]
    gateways = data.get("internet_gateways")
    if gateways and len(gateways) == 1 and next(iter(gateways.values())) == {}:
        # `internet_gateway: NAME`, the shorthand people write by hand.
        body = {}
        for key, value in data.items():
            if key == "internet_gateways":
                body["internet_gateway"] = next(iter(gateways))
            else:
                body[key] = value
        data.clear()
        data.update(body)


class _Flow(dict):
    """A mapping written on one line (``{rule: 100, protocol: tcp, ...}``)."""


class _FlowList(list):
    """A list of scalars written on one line (``[public-a, public-b]``)."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never write &anchors / *aliases
        return True


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))

_LINE = 100  # a flat mapping longer than this is written one key per line


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _flow_leaves(value: Any, in_list: bool = False) -> Any:
    """Write rules, routes, short resources and lists of names on one line, as designs are written by hand."""
    if isinstance(value, dict):
        flat = all(_is_scalar(v) or (isinstance(v, list) and all(map(_is_scalar, v))) for v in value.values())
        if value and flat and (in_list or len(repr(value)) <= _LINE):
            return _Flow({k: _FlowList(v) if isinstance(v, list) else v for k, v in value.items()})
        return {k: _flow_leaves(v) for k, v in value.items()}
    if isinstance(value, list):
        if all(map(_is_scalar, value)):
            return _FlowList(value)
        return [_flow_leaves(item, in_list=True) for item in value]
    return value
