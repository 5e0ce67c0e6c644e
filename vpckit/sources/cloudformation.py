"""CloudFormation: YAML (with the short ``!Ref``/``!GetAtt``/``!Sub``... tags) and JSON templates.

Names in the design are the template's logical ids. Intrinsic functions are evaluated
offline: parameters take their ``Default`` or the value given with ``--parameter K=V``;
``AWS::Region`` is the region given to :func:`load` (default ``us-east-1``), ``AWS::AccountId``
``123456789012`` and ``AWS::StackName`` the file's name without its extension;
``Fn::GetAZs`` gives ``<region>a``, ``<region>b``, ``<region>c``. A ``Ref`` or ``Fn::GetAtt``
of a resource of the template becomes a link to that resource. What cannot be known before
deployment (a physical id inside a string, an Amazon-provided IPv6 block, a cross-stack
``Fn::ImportValue``) or uses an intrinsic vpckit does not evaluate is a warning naming the
logical id in ``design.source.warnings``; the property is left out, never guessed, and the
resource is still read when it can be.

>>> FORMAT.recognises("t.yaml", {"Resources": {"V": {"Type": "AWS::EC2::VPC"}}})
True
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml
from netaddr import IPNetwork

from ..errors import InputError
from ..model import Design, Position
from ..model.types import parse_protocol
from . import InputFormat
from ._iac import Builder, GroupRef, icmp_of, ports_of, rds_port, whole_number
from .positions import LazyPositions, _Loader, check_aliases, check_depth, check_escapes, parse_json, read_text, yaml_error

__all__ = ["FORMAT", "load", "loads", "parse", "Template", "Unresolved", "ResourceRef", "NO_VALUE"]


def _recognises(path: str, data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    resources = data.get("Resources")
    if "AWSTemplateFormatVersion" in data and isinstance(resources, dict):
        return True
    return isinstance(resources, dict) and any(
        isinstance(r, dict) and str(r.get("Type", "")).startswith(("AWS::", "Custom::")) for r in resources.values()
    )


FORMAT = InputFormat(
    "cloudformation", "vpckit.sources.cloudformation", "CloudFormation template (YAML or JSON)", _recognises
)

_UNKNOWN_AZ = "(chosen at deployment)"
_AZ_LETTERS = "abc"


# --------------------------------------------------------------------------- parsing


class _TemplateLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when available; timestamps kept as text) for CloudFormation YAML."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _tag_name(tag: str) -> str:
    name = tag[1:]
    return name if name in ("Ref", "Condition") else f"Fn::{name}"


def _convert(node: yaml.Node, loader: _TemplateLoader, path: tuple, positions: dict, file: str) -> Any:
    tag = node.tag if isinstance(node.tag, str) and node.tag.startswith("!") else None
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        value: Any = {}
        for key_node, value_node in node.value:
            try:
                key = loader.construct_object(key_node, deep=True)
            except yaml.YAMLError:
                raise InputError("a mapping key must be a plain value", _mark(key_node, file)) from None
            key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in value:
                raise InputError(f"duplicate key {key!r}", _mark(key_node, file))
            positions[(*path, key)] = _mark(key_node, file)
            value[key] = _convert(value_node, loader, (*path, key), positions, file)
    elif isinstance(node, yaml.SequenceNode):
        value = [_convert(item, loader, (*path, i), positions, file) for i, item in enumerate(node.value)]
    elif tag is not None:
        value = node.value  # the scalar's text: `!GetAZs ''` and a bare `!GetAZs` are both ""
        if tag == "!GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    else:
        try:
            value = loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            raise InputError(f"invalid value: {error.problem}", _mark(node, file)) from None
    if tag is not None:
        return {_tag_name(tag): value}
    return value


def _mark(node: yaml.Node, file: str) -> Position:
    return Position(file, node.start_mark.line + 1, node.start_mark.column + 1)


def parse(text: str, file: str = "<string>") -> tuple[Any, dict[tuple, Position]]:
    """Parse a template into plain data (short tags as their long form) and key positions.

    >>> data, positions = parse("Resources:\\n  V:\\n    Type: AWS::EC2::VPC\\n    Properties: {CidrBlock: !Ref C}\\n")
    >>> data["Resources"]["V"]["Properties"], str(positions[("Resources", "V")])
    ({'CidrBlock': {'Ref': 'C'}}, '<string>:2:3')
    >>> parse("a: [1,", "t.yaml")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: t.yaml:...: invalid YAML: ...
    """
    if file.endswith(".json") or text.lstrip().startswith("{"):
        try:
            data = parse_json(text, file)
        except InputError:
            if file.endswith(".json"):
                raise
        else:  # JSON is read as JSON: YAML 1.1 reads some valid JSON differently or not at all
            check_depth(data, text, file)  # the template is evaluated recursively (YAML is bounded by its loader)
            return data, LazyPositions(text, file)
    check_escapes(text, file, pairs=False)
    positions: dict[tuple, Position] = {(): Position(file, 1, 1)}
    try:
        loader = _TemplateLoader(text)
    except yaml.YAMLError as error:
        raise yaml_error(error, text, file) from None
    try:
        node = loader.get_single_node()
        check_aliases(node, file)
        data = None if node is None else _convert(node, loader, (), positions, file)
    except yaml.YAMLError as error:
        raise yaml_error(error, text, file) from None
    finally:
        loader.dispose()
    return data, positions


# --------------------------------------------------------------------------- evaluation


class Unresolved(Exception):
    """A value that cannot be known from the template alone (the message says why)."""


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()
"""``Ref: AWS::NoValue``: the property is removed."""


@dataclass(frozen=True)
class ResourceRef:
    """A ``Ref``/``Fn::GetAtt`` of a resource of the template: a link, its physical value unknown."""

    logical_id: str
    attribute: str | None = None

    def __str__(self) -> str:
        return self.logical_id


_PSEUDO = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::NotificationARNs": []}
_SUPPORTED = {
    "Ref", "Condition", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::GetAZs", "Fn::Cidr",
    "Fn::If", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::FindInMap", "Fn::ImportValue", "Fn::Base64",
}


class Template:
    """A parsed template with parameter values, able to evaluate intrinsic functions.

    >>> t = Template({"Parameters": {"Env": {"Type": "String", "Default": "prod"}},
    ...               "Resources": {"V": {"Type": "AWS::EC2::VPC"}}})
    >>> t.evaluate({"Fn::Sub": "${Env}-${AWS::Region}"}), t.evaluate({"Ref": "V"})
    ('prod-us-east-1', ResourceRef(logical_id='V', attribute=None))
    """

    def __init__(self, data: dict[str, Any], parameters: dict[str, str] | None = None, region: str = "us-east-1",
                 account: str = "123456789012", stack_name: str = "stack"):
        self.data = data
        self.resources: dict[str, Any] = _mapping(data.get("Resources"))
        self.mappings: dict[str, Any] = _mapping(data.get("Mappings"))
        self.conditions: dict[str, Any] = _mapping(data.get("Conditions"))
        self.region = region
        self.pseudo = {**_PSEUDO, "AWS::Region": region, "AWS::AccountId": account, "AWS::StackName": stack_name,
                       "AWS::NoValue": NO_VALUE}
        self.parameters: dict[str, Any] = {}
        self.missing: dict[str, str] = {}
        self.rejected: dict[str, str] = {}  # --parameter values CloudFormation itself would refuse
        given = dict(parameters or {})
        for name, spec in _mapping(data.get("Parameters")).items():
            spec = spec if isinstance(spec, dict) else {}
            if name in given:
                raw: Any = given.pop(name)
            elif "Default" in spec:
                raw = spec["Default"]
            else:
                self.missing[name] = f"parameter {name} has no default; give --parameter {name}=VALUE"
                continue
            kind = str(spec.get("Type", "String"))
            if kind.startswith("List<") or kind == "CommaDelimitedList":
                raw = raw if isinstance(raw, list) else [p.strip() for p in str(raw).split(",")] if str(raw) else []
            elif isinstance(raw, bool):
                raw = str(raw).lower()
            elif isinstance(raw, (int, float)):
                raw = str(raw)
            allowed = spec.get("AllowedValues")
            if isinstance(allowed, list) and name in (parameters or {}):
                texts = {_text(a) for a in allowed}
                if any(_text(item) not in texts for item in (raw if isinstance(raw, list) else [raw])):
                    self.rejected[name] = f"not one of its AllowedValues ({', '.join(sorted(texts))})"
            self.parameters[name] = raw
        self.unknown_parameters = sorted(given)
        self._condition_values: dict[str, bool] = {}

    # -------------------------------------------------------------- conditions

    def condition(self, name: str) -> bool:
        """The value of a named condition (raises :class:`Unresolved`).

        >>> Template({"Conditions": {"Yes": {"Fn::Equals": ["a", "a"]}}, "Resources": {}}).condition("Yes")
        True
        """
        if name not in self._condition_values:
            if name not in self.conditions:
                raise Unresolved(f"condition {name} is not defined")
            self._condition_values[name] = bool(self._truth(self.conditions[name]))
        return self._condition_values[name]

    def _truth(self, value: Any) -> bool:
        result = self.evaluate(value)
        if isinstance(result, bool):
            return result
        if isinstance(result, str) and result.lower() in ("true", "false"):
            return result.lower() == "true"
        raise Unresolved(f"{value!r} is not a condition")

    # -------------------------------------------------------------- intrinsics

    def evaluate(self, value: Any) -> Any:
        """Evaluate every intrinsic function in ``value`` (raises :class:`Unresolved`).

        >>> t = Template({"Resources": {}})
        >>> t.evaluate({"Fn::Select": [1, {"Fn::GetAZs": ""}]})
        'us-east-1b'
        """
        if isinstance(value, dict):
            if len(value) == 1:
                (key, argument), = value.items()
                if key == "Ref" or key == "Condition" or key.startswith("Fn::"):
                    return self._function(key, argument)
            result = {}
            for key, item in value.items():
                evaluated = self.evaluate(item)
                if evaluated is not NO_VALUE:
                    result[key] = evaluated
            return result
        if isinstance(value, list):
            return [v for v in (self.evaluate(item) for item in value) if v is not NO_VALUE]
        return value

    def _function(self, name: str, argument: Any) -> Any:
        if name not in _SUPPORTED:
            raise Unresolved(f"unsupported intrinsic function {name}")
        handler: Callable[[Any], Any] = getattr(self, "_fn_" + name.removeprefix("Fn::").lower())
        try:
            return handler(argument)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError):
            raise Unresolved(f"{name}: malformed arguments {json.dumps(argument, default=str)[:80]}") from None

    def _fn_ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            raise Unresolved(f"Ref needs a name, got {name!r}")
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.missing:
            raise Unresolved(self.missing[name])
        if name in self.resources:
            return ResourceRef(name)
        if name.startswith("AWS::"):
            raise Unresolved(f"pseudo parameter {name} is known only at deployment")
        raise Unresolved(f"Ref {name}: no such parameter or resource")

    def _fn_condition(self, name: Any) -> bool:
        return self.condition(str(name))

    def _fn_getatt(self, argument: Any) -> Any:
        if isinstance(argument, str):
            argument = argument.split(".", 1)
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolved(f"Fn::GetAtt needs [resource, attribute], got {argument!r}")
        logical_id, attribute = argument[0], self.evaluate(argument[1])
        if logical_id not in self.resources:
            raise Unresolved(f"Fn::GetAtt {logical_id}: no such resource")
        resource = self.resources[logical_id] or {}
        kind = resource.get("Type")
        properties = resource.get("Properties") or {}
        known = _ATTRIBUTES.get((kind, attribute))
        if known is not None:
            return known(self, logical_id, properties)
        if (kind, attribute) in _DEPLOY_TIME:
            raise Unresolved(f"{logical_id}.{attribute} is known only after deployment")
        return ResourceRef(logical_id, attribute)

    def _fn_sub(self, argument: Any) -> str:
        if isinstance(argument, list) and len(argument) == 2:
            text, local = argument[0], argument[1] or {}
        else:
            text, local = argument, {}
        if not isinstance(text, str):
            raise Unresolved(f"Fn::Sub needs a string, got {text!r}")

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in local:
                value = self.evaluate(local[name])
            elif "." in name and not name.startswith("AWS::"):
                value = self._fn_getatt(name.split(".", 1))
            else:
                value = self._fn_ref(name)
            if isinstance(value, ResourceRef):
                raise Unresolved(f"${{{name}}} is a physical id known only after deployment")
            if isinstance(value, (list, dict)) or value is NO_VALUE:
                raise Unresolved(f"${{{name}}} is not a string")
            return str(value)

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def _fn_join(self, argument: Any) -> str:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolved(f"Fn::Join needs [delimiter, list], got {argument!r}")
        items = self.evaluate(argument[1])
        if not isinstance(items, list):
            raise Unresolved("Fn::Join needs a list")
        if any(isinstance(i, ResourceRef) for i in items):
            raise Unresolved("Fn::Join of a physical id known only after deployment")
        return str(argument[0]).join(_text(i) for i in items)

    def _fn_select(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolved(f"Fn::Select needs [index, list], got {argument!r}")
        index, items = self.evaluate(argument[0]), self.evaluate(argument[1])
        if isinstance(items, ResourceRef):
            raise Unresolved(f"{items.logical_id}.{items.attribute} is known only after deployment")
        if not isinstance(items, list):
            raise Unresolved(f"Fn::Select needs a list, got {items!r}")
        try:
            return items[int(index)]
        except (ValueError, IndexError):
            raise Unresolved(f"Fn::Select index {index!r} is outside a list of {len(items)}") from None

    def _fn_split(self, argument: Any) -> list[str]:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolved(f"Fn::Split needs [delimiter, string], got {argument!r}")
        text = self.evaluate(argument[1])
        if isinstance(text, ResourceRef):
            raise Unresolved(f"{text.logical_id} is a physical id known only after deployment")
        if not isinstance(text, str):
            raise Unresolved(f"Fn::Split needs a string, got {text!r}")
        return text.split(str(argument[0]))

    def _fn_getazs(self, argument: Any) -> list[str]:
        region = self.evaluate(argument) if argument not in (None, "") else self.region
        region = region or self.region
        return [f"{region}{letter}" for letter in _AZ_LETTERS]

    def _fn_cidr(self, argument: Any) -> list[str]:
        if not (isinstance(argument, list) and len(argument) == 3):
            raise Unresolved(f"Fn::Cidr needs [ipBlock, count, cidrBits], got {argument!r}")
        block, count, bits = (self.evaluate(a) for a in argument)
        if isinstance(block, ResourceRef):
            raise Unresolved(f"Fn::Cidr of {block.logical_id}: the block is known only after deployment")
        try:
            network = IPNetwork(str(block))
            prefix = (32 if network.version == 4 else 128) - int(bits)
            subnets = network.subnet(prefix)
            return [str(next(subnets)) for _ in range(int(count))]
        except (ValueError, StopIteration, TypeError) as error:
            raise Unresolved(f"Fn::Cidr {block}/{count}/{bits}: {error or 'not enough subnets'}") from None

    def _fn_if(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) == 3):
            raise Unresolved(f"Fn::If needs [condition, then, else], got {argument!r}")
        return self.evaluate(argument[1] if self.condition(str(argument[0])) else argument[2])

    def _fn_equals(self, argument: Any) -> bool:
        if not (isinstance(argument, list) and len(argument) == 2):
            raise Unresolved(f"Fn::Equals needs two values, got {argument!r}")
        left, right = (self.evaluate(a) for a in argument)
        return _text(left) == _text(right) if not isinstance(left, list) else left == right

    def _fn_not(self, argument: Any) -> bool:
        items = argument if isinstance(argument, list) else [argument]
        return not self._truth(items[0])

    def _fn_and(self, argument: Any) -> bool:
        return all(self._truth(a) for a in argument)

    def _fn_or(self, argument: Any) -> bool:
        return any(self._truth(a) for a in argument)

    def _fn_findinmap(self, argument: Any) -> Any:
        if not (isinstance(argument, list) and len(argument) >= 3):
            raise Unresolved(f"Fn::FindInMap needs [map, key, key], got {argument!r}")
        names = [_text(self.evaluate(a)) for a in argument[:3]]
        try:
            return self.evaluate(self.mappings[names[0]][names[1]][names[2]])
        except (KeyError, TypeError):
            raise Unresolved(f"Fn::FindInMap {'/'.join(names)}: no such entry") from None

    def _fn_importvalue(self, argument: Any) -> Any:
        try:
            name = self.evaluate(argument)
        except Unresolved:
            name = json.dumps(argument, default=str)
        raise Unresolved(f"Fn::ImportValue {name}: a cross-stack export, unknown from this template alone")

    def _fn_base64(self, argument: Any) -> Any:
        return self.evaluate(argument)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _property(name: str) -> Callable[[Template, str, dict], Any]:
    return lambda template, logical_id, properties: template.evaluate(properties.get(name))


def _secondary_ips(template: Template, logical_id: str, properties: dict) -> list[str]:
    entries = template.evaluate(properties.get("PrivateIpAddresses") or [])
    return [e["PrivateIpAddress"] for e in entries if isinstance(e, dict) and not _bool(e.get("Primary"))]


def _primary_ip(template: Template, logical_id: str, properties: dict) -> Any:
    entries = template.evaluate(properties.get("PrivateIpAddresses") or [])
    for entry in entries:
        if isinstance(entry, dict) and _bool(entry.get("Primary")):
            return entry.get("PrivateIpAddress")
    if properties.get("PrivateIpAddress") is not None:
        return template.evaluate(properties["PrivateIpAddress"])
    raise Unresolved(f"{logical_id}.PrimaryPrivateIpAddress is chosen at deployment")


_ATTRIBUTES: dict[tuple[str, str], Callable[[Template, str, dict], Any]] = {
    ("AWS::EC2::VPC", "CidrBlock"): _property("CidrBlock"),
    ("AWS::EC2::VPC", "DefaultSecurityGroup"): lambda t, lid, p: f"{lid}/default",
    ("AWS::EC2::VPC", "DefaultNetworkAcl"): lambda t, lid, p: "default",
    ("AWS::EC2::Subnet", "AvailabilityZone"): _property("AvailabilityZone"),
    ("AWS::EC2::Subnet", "CidrBlock"): _property("CidrBlock"),
    ("AWS::EC2::Subnet", "VpcId"): _property("VpcId"),
    ("AWS::EC2::NetworkInterface", "PrimaryPrivateIpAddress"): _primary_ip,
    ("AWS::EC2::NetworkInterface", "SecondaryPrivateIpAddresses"): _secondary_ips,
    ("AWS::EC2::Instance", "PrivateIp"): _property("PrivateIpAddress"),
    ("AWS::EC2::SecurityGroup", "VpcId"): _property("VpcId"),
}
def _firewall_endpoint_ids(template: "Template", lid: str, properties: dict) -> list[str]:
    """``AZ:endpoint`` per subnet mapping, in mapping order; the endpoints are read as ``<firewall>-<n>``."""
    out = []
    for index, mapping in enumerate(properties.get("SubnetMappings") or []):
        subnet = (template.resources.get(_ref(mapping.get("SubnetId")) or "") or {}) if isinstance(mapping, dict) else {}
        zone = (subnet.get("Properties") or {}).get("AvailabilityZone")
        out.append(f"{zone if isinstance(zone, str) else 'az'}:{lid}-{index + 1}")
    return out


_ATTRIBUTES[("AWS::NetworkFirewall::Firewall", "EndpointIds")] = _firewall_endpoint_ids

_DEPLOY_TIME = {
    ("AWS::EC2::VPC", "Ipv6CidrBlocks"), ("AWS::EC2::VPC", "CidrBlockAssociations"),
    ("AWS::EC2::Subnet", "Ipv6CidrBlocks"), ("AWS::EC2::EIP", "PublicIp"), ("AWS::EC2::Instance", "PublicIp"),
    ("AWS::EC2::Instance", "AvailabilityZone"), ("AWS::EC2::NatGateway", "PublicIp"),
}


def _bool(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


# --------------------------------------------------------------------------- loading


def load(path: str, parameters: dict[str, str] | None = None, region: str | None = None) -> Design:
    """Read a CloudFormation template file.

    >>> load("/nonexistent.yaml")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: /nonexistent.yaml: file not found
    """
    return loads(read_text(path), path, parameters=parameters, region=region)


def loads(text: str, file: str = "<string>", parameters: dict[str, str] | None = None,
          region: str | None = None) -> Design:
    """Read a template from text; ``file`` names it in messages and positions.

    >>> d = loads('''
    ... Parameters: {Cidr: {Type: String, Default: 10.0.0.0/16}}
    ... Resources:
    ...   Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !Ref Cidr}}
    ...   Web: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]],
    ...         AvailabilityZone: !Select [0, !GetAZs ""]}}
    ... ''', "t.yaml")
    >>> s = d.vpcs["Vpc"].subnets["Web"]; (str(s.cidr), s.az)
    ('10.0.0.0/24', 'us-east-1a')
    """
    data, positions = parse(text, file)
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        raise InputError("not a CloudFormation template: expected a `Resources` mapping", Position(file, 1, 1))
    stack = os.path.splitext(os.path.basename(file))[0] or "stack"
    template = Template(data, parameters, region=region or "us-east-1", stack_name=stack)
    for name, reason in template.rejected.items():
        raise InputError(f"--parameter {name}={(parameters or {})[name]}: {reason}",
                         positions.get(("Parameters", name), Position(file, 1, 1)))
    return _Reader(template, positions, file).read()


class _Reader:
    def __init__(self, template: Template, positions: dict[tuple, Position], file: str):
        self.template = template
        self.positions = positions
        self.file = file
        self.builder = Builder(file, "cloudformation", region=template.region, name=template.pseudo["AWS::StackName"],
                               declared=set(template.resources))
        #: EIP logical id → {"nat_gateway": NAT logical id} for allocations made by NAT gateways.
        self.eip_users: dict[str, dict[str, str]] = {}
        #: An allocation could not be resolved: which elastic IP it uses is not known.
        self.unknown_eip_use = False

    def warn(self, logical_id: str, message: str) -> None:
        self.builder.warn(logical_id, message)

    def read(self) -> Design:
        transform = self.template.data.get("Transform")
        if transform:
            self.warn(self.file, f"Transform {transform} is not expanded: only the template's own resources are read")
        for name in self.template.unknown_parameters:
            self.warn(self.file, f"--parameter {name}: the template has no such parameter")
        order = sorted(self.template.resources.items(), key=lambda item: _PASS.get(_type(item[1]), 9))
        skipped: dict[str, int] = {}
        used_getazs = False
        for logical_id, resource in order:
            kind = _type(resource)
            handler = _HANDLERS.get(kind)
            if not self._enabled(logical_id, resource):
                continue
            if handler is None:
                if kind.startswith(("AWS::EC2::", "AWS::NetworkFirewall::", "AWS::ElasticLoadBalancing", "AWS::RDS::",
                                    "AWS::CloudFormation::Stack", "AWS::Serverless::")):
                    skipped[kind] = skipped.get(kind, 0) + 1
                continue
            raw = resource.get("Properties") or {}
            if not isinstance(raw, dict):
                self.warn(logical_id, "Properties is not a mapping; not read")
                continue
            used_getazs = used_getazs or "Fn::GetAZs" in json.dumps(raw, default=str)
            properties = self.properties(logical_id, raw)
            try:
                handler(self, logical_id, properties)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
                self.warn(logical_id, f"not read: unexpected value ({type(error).__name__}: {error})")
        if skipped:
            self.warn(self.file, "resource types not read: " + ", ".join(f"{k} ({v})" for k, v in sorted(skipped.items())))
        if used_getazs:
            self.warn(self.file, f"Fn::GetAZs gives {self.template.region}a..c; the real list depends on the account")
        _unused_eips_of_unknown_use(self)
        return self.builder.build()

    def _enabled(self, logical_id: str, resource: Any) -> bool:
        condition = (resource or {}).get("Condition") if isinstance(resource, dict) else None
        if condition is None:
            return True
        try:
            return self.template.condition(str(condition))
        except Unresolved as error:
            self.warn(logical_id, f"condition {condition} cannot be evaluated ({error}); not read")
            return False

    def properties(self, logical_id: str, raw: Any, path: str = "") -> Any:
        """Evaluate properties one by one: an unresolvable one is a warning and is left out."""
        if isinstance(raw, dict) and not _is_function(raw):
            result = {}
            for key, value in raw.items():
                evaluated = self.properties(logical_id, value, f"{path}.{key}" if path else key)
                if evaluated is not NO_VALUE and evaluated is not _DROPPED:
                    result[key] = evaluated
            return result
        if isinstance(raw, list):
            items = [self.properties(logical_id, item, f"{path}[{i}]") for i, item in enumerate(raw)]
            return [i for i in items if i is not NO_VALUE and i is not _DROPPED]
        try:
            return self.template.evaluate(raw)
        except Unresolved as error:
            if not path.startswith(("Tags", "UserData")):
                self.warn(logical_id, f"{path}: {error}")
            return _DROPPED

    def add(self, kind: str, logical_id: str, body: dict[str, Any], vpc: Any = None, parent: Any = None,
            properties: dict[str, Any] | None = None) -> None:
        body = {k: v for k, v in body.items() if v is not None}
        tags = _tags((properties or {}).get("Tags"))
        if tags:
            body["tags"] = tags
        self.builder.add(kind, logical_id, body, vpc=_ref(vpc), position=self.positions.get(("Resources", logical_id)),
                         parent=_ref(parent))

    def given(self, logical_id: str, key: str) -> bool:
        """Whether the template sets property ``key`` of ``logical_id`` (resolvable or not)."""
        return key in ((self.template.resources.get(logical_id) or {}).get("Properties") or {})

    def vpc_or_default(self, logical_id: str, properties: dict[str, Any], key: str = "VpcId") -> str | None:
        if key in properties:
            return _ref(properties[key])
        if key in ((self.template.resources.get(logical_id) or {}).get("Properties") or {}):
            return None  # given but unresolvable: already a warning
        return self.builder.ensure_default_vpc(logical_id)


class _Dropped:
    pass


_DROPPED = _Dropped()


def _is_function(value: dict) -> bool:
    if len(value) != 1:
        return False
    key = next(iter(value))
    return key in ("Ref", "Condition") or key.startswith("Fn::")


def _type(resource: Any) -> str:
    return str(resource.get("Type", "")) if isinstance(resource, dict) else ""


def _ref(value: Any) -> str | None:
    """A link: a resource of the template (its logical id) or an AWS id given as text."""
    if isinstance(value, ResourceRef):
        return value.logical_id
    if isinstance(value, str) and value:
        return value
    return None


def _refs(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [r for r in (_ref(i) for i in items) if r]


def _tags(value: Any) -> dict[str, str]:
    if not isinstance(value, list):
        return {}
    return {str(t["Key"]): _text(t["Value"]) for t in value
            if isinstance(t, dict) and "Key" in t and "Value" in t and not isinstance(t["Value"], (ResourceRef, dict, list))}


def _cidr(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --------------------------------------------------------------------------- resource types


def _vpc(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    if not _cidr(p.get("CidrBlock")):
        reader.warn(lid, "CidrBlock is not known (IPAM pools are allocated at deployment); VPC not read")
        return
    reader.add("vpcs", lid, {"cidr": p["CidrBlock"]}, properties=p)


def _vpc_cidr(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    vpc = reader.builder.edit(_ref(p.get("VpcId")), "vpcs", lid, "VPC")
    if vpc is None:
        return
    if _cidr(p.get("CidrBlock")):
        vpc.body.setdefault("secondary_cidrs", []).append(p["CidrBlock"])
    elif _cidr(p.get("Ipv6CidrBlock")):
        vpc.body.setdefault("ipv6_cidrs", []).append(p["Ipv6CidrBlock"])
    elif _bool(p.get("AmazonProvidedIpv6CidrBlock")):
        reader.warn(lid, "the Amazon-provided IPv6 block is known only after deployment; not read")
    else:
        reader.warn(lid, "no known CIDR; not read")


def _subnet(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    if not _cidr(p.get("CidrBlock")):
        reader.warn(lid, "CidrBlock is not known; subnet not read")
        return
    az = p.get("AvailabilityZone")
    if not isinstance(az, str) or not az:
        az = _UNKNOWN_AZ
        reader.warn(lid, f"AvailabilityZone is not known; written {az!r}")
    body = {"az": az, "cidr": p["CidrBlock"], "ipv6_cidr": _cidr(p.get("Ipv6CidrBlock")),
            "map_public_ip_on_launch": _bool(p.get("MapPublicIpOnLaunch"))}
    reader.add("subnets", lid, body, vpc=p.get("VpcId"), properties=p)


def _subnet_cidr(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    subnet = reader.builder.edit(_ref(p.get("SubnetId")), "subnets", lid, "subnet")
    if subnet is None:
        return
    if _cidr(p.get("Ipv6CidrBlock")):
        subnet.body["ipv6_cidr"] = p["Ipv6CidrBlock"]
    else:
        reader.warn(lid, "its IPv6 block is not known before deployment; not read")


def _route_table(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    reader.add("route_tables", lid, {"routes": []}, vpc=p.get("VpcId"), properties=p)


_ROUTE_TARGETS = ("GatewayId", "NatGatewayId", "EgressOnlyInternetGatewayId", "TransitGatewayId",
                  "VpcPeeringConnectionId", "NetworkInterfaceId", "InstanceId", "VpcEndpointId", "CarrierGatewayId",
                  "LocalGatewayId", "CoreNetworkArn")


def _route(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    table = reader.builder.edit(_ref(p.get("RouteTableId")), "route_tables", lid, "route table")
    destination = _cidr(p.get("DestinationCidrBlock")) or _cidr(p.get("DestinationIpv6CidrBlock")) or _ref(
        p.get("DestinationPrefixListId"))
    target = next((_ref(p[k]) for k in _ROUTE_TARGETS if _ref(p.get(k))), None)
    if destination is None:
        reader.warn(lid, "the destination is not known; route not read")
    elif target is None:
        reader.warn(lid, f"the target of the route to {destination} is not known; route not read")
    elif table is not None:
        table.body["routes"].append({"destination": destination, "target": target})


def _subnet_route_table(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    subnet = reader.builder.edit(_ref(p.get("SubnetId")), "subnets", lid, "subnet")
    table = _ref(p.get("RouteTableId"))
    if subnet is not None and table:
        subnet.body["route_table"] = table


def _gateway_route_table(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    table = reader.builder.edit(_ref(p.get("RouteTableId")), "route_tables", lid, "route table")
    gateway = _ref(p.get("GatewayId"))
    if table is not None and gateway:
        table.body.setdefault("edge_associations", []).append(gateway)


def _internet_gateway(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    reader.add("internet_gateways", lid, {}, properties=p)


def _vpn_gateway(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    asn = p.get("AmazonSideAsn")
    reader.add("vpn_gateways", lid, {"asn": whole_number(asn, "AmazonSideAsn") if asn is not None else None}, properties=p)


def _gateway_attachment(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    vpc = _ref(p.get("VpcId"))
    for key, kind in (("InternetGatewayId", "internet_gateways"), ("VpnGatewayId", "vpn_gateways")):
        if key in p:
            gateway = reader.builder.edit(_ref(p[key]), kind, lid, "gateway")
            if gateway is not None and vpc:
                gateway.vpc = vpc


def _vpn_propagation(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    gateway = _ref(p.get("VpnGatewayId"))
    for table_ref in _refs(p.get("RouteTableIds")):
        table = reader.builder.edit(table_ref, "route_tables", lid, "route table")
        if table is not None and gateway:
            table.body.setdefault("propagating_vpn_gateways", []).append(gateway)


def _vpn_connection(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    """A site-to-site VPN: the on-premises network behind its customer gateway (VGW-01, TGW-01).

    Its networks are its ``AWS::EC2::VPNConnectionRoute`` routes and, on a transit gateway,
    ``LocalIpv4NetworkCidr`` (the customer side); a VPN on a transit gateway is also the TGW's
    ``vpn`` attachment.
    """
    cidrs = []
    local = p.get("LocalIpv4NetworkCidr")
    if isinstance(local, str) and local and local != "0.0.0.0/0":
        cidrs.append(local)
    via = _ref(p.get("VpnGatewayId"))
    if via is None and p.get("TransitGatewayId") is not None:
        via = f"{lid}/attachment"
        reader.builder.add("tgw_attachments", via, {"type": "vpn", "remote_cidrs": list(cidrs)},
                           parent=_ref(p.get("TransitGatewayId")), position=reader.positions.get(("Resources", lid)))
    if not _text(p.get("StaticRoutesOnly", "false")).lower() == "true":
        reader.warn(lid, "learns its routes by BGP, which a template does not record; only routes pointing at its "
                    "gateway say what is on premises")
    reader.add("on_premises", lid, {"cidrs": cidrs, "via": via}, properties=p)


def _vpn_connection_route(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    connection = _ref(p.get("VpnConnectionId"))
    record = reader.builder.edit(connection, "on_premises", lid, "VPN connection")
    cidr = p.get("DestinationCidrBlock")
    if record is None or not isinstance(cidr, str):
        return
    record.body.setdefault("cidrs", []).append(cidr)
    attachment = reader.builder.lookup(f"{connection}/attachment")
    if attachment is not None:
        attachment.body.setdefault("remote_cidrs", []).append(cidr)


def _egress_only_gateway(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    reader.add("egress_only_internet_gateways", lid, {}, vpc=p.get("VpcId"), properties=p)


def _nat_gateway(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    if str(p.get("ConnectivityType") or "public").lower() == "public":  # its EIP is in use, read or not
        eip = _ref(p.get("AllocationId"))
        if eip in reader.template.resources:
            reader.eip_users.setdefault(eip, {})["nat_gateway"] = lid
        elif eip is None and reader.given(lid, "AllocationId"):
            reader.unknown_eip_use = True
    subnet = _ref(p.get("SubnetId"))
    if subnet is None:
        reader.warn(lid, "its subnet is not known; not read")
        return
    body = {"subnet": subnet, "connectivity": str(p.get("ConnectivityType") or "public").lower(),
            "private_ip": p.get("PrivateIpAddress")}
    reader.add("nat_gateways", lid, body, vpc=subnet, properties=p)


def _eip(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    """``AWS::EC2::EIP`` → ``elastic_ips`` with what it is associated with (NET004); an
    ``AWS::EC2::EIPAssociation`` edits it. The instance or interface gets a public address."""
    association: dict[str, str] = {}
    for key, field_name in (("InstanceId", "instance"), ("NetworkInterfaceId", "network_interface")):
        target_ref = _ref(p.get(key))
        if target_ref is None:
            if reader.given(lid, key):
                reader.unknown_eip_use = True
            continue
        association[field_name] = target_ref
        target = reader.builder.lookup(target_ref)
        if target is not None and target.kind in ("instances", "network_interfaces"):
            target.body["public_ip"] = True  # an elastic IP; its address is allocated at deployment
        break
    if _type(reader.template.resources.get(lid)) == "AWS::EC2::EIP":
        domain = p.get("Domain")
        if isinstance(domain, str) and domain != "vpc":
            reader.warn(lid, f"Domain {domain} (EC2-Classic) addresses are not VPC addresses; not read")
            return
        reader.add("elastic_ips", lid, {**association, **reader.eip_users.get(lid, {})}, properties=p)
        return
    eip = _ref(p.get("AllocationId")) or _ref(p.get("EIP"))  # EIP: the address, i.e. `Ref` of the EIP
    record = reader.builder.lookup(eip, "elastic_ips")
    if record is not None:
        record.body.update(association)
    elif eip is None:
        reader.unknown_eip_use = True  # which elastic IP it associates is not known


def _unused_eips_of_unknown_use(reader: _Reader) -> None:
    """When some allocation could not be resolved, elastic IPs without a known association may be
    the one it uses: none is reported as unattached on a guess."""
    if not reader.unknown_eip_use:
        return
    for record in [r for r in reader.builder.records.values() if r.kind == "elastic_ips"]:
        if not (record.body.get("instance") or record.body.get("network_interface") or record.body.get("nat_gateway")):
            del reader.builder.records[record.name]
            reader.warn(record.name, "what it is associated with is not known from the template (an allocation that "
                        "cannot be resolved); not recorded as an elastic IP")


_FLOW_LOG_KINDS = {"Subnet": "subnet", "NetworkInterface": "network interface", "TransitGateway": "transit gateway",
                   "TransitGatewayAttachment": "TGW attachment"}


def _flow_log(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    """``AWS::EC2::FlowLog`` with ResourceType VPC (VPC009). Subnet, interface and transit gateway
    flow logs capture only part of a VPC's traffic: a warning says they are not VPC flow logs."""
    kind = p.get("ResourceType")
    if kind != "VPC":
        what = _FLOW_LOG_KINDS.get(str(kind))
        reader.warn(lid, f"a {what} flow log, not a VPC flow log (it does not cover the whole VPC); not read" if what
                    else f"ResourceType {kind!r} is not known; not read")
        return
    vpc = _ref(p.get("ResourceId"))
    if vpc is None:
        reader.warn(lid, "the VPC it logs is not known; not read")
        return
    traffic = p.get("TrafficType")
    if not isinstance(traffic, str):
        traffic = "ALL"
        reader.warn(lid, "TrafficType is not known; read as ALL")
    destination = p.get("LogDestination") if isinstance(p.get("LogDestination"), str) else p.get("LogGroupName")
    body = {"traffic_type": traffic.upper(), "destination_type": _text(p.get("LogDestinationType", "cloud-watch-logs")),
            "destination": destination if isinstance(destination, str) else None}
    reader.add("flow_logs", lid, body, vpc=vpc, properties=p)


def _network_acl(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    reader.add("network_acls", lid, {"ingress": [], "egress": []}, vpc=p.get("VpcId"), properties=p)


def _nacl_entry(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    acl = reader.builder.edit(_ref(p.get("NetworkAclId")), "network_acls", lid, "network ACL")
    if acl is None:
        return
    protocol = parse_protocol(_text(p.get("Protocol", "-1")))
    cidr = _cidr(p.get("CidrBlock")) or _cidr(p.get("Ipv6CidrBlock"))
    if cidr is None or p.get("RuleNumber") is None:
        reader.warn(lid, "the CIDR or rule number is not known; entry not read")
        return
    port_range = p.get("PortRange") if isinstance(p.get("PortRange"), dict) else None
    if protocol in (6, 17) and port_range is None:
        reader.warn(lid, "a tcp/udp entry needs a PortRange (AWS rejects it without one, NACL-09); entry not read")
        return
    rule: dict[str, Any] = {"rule": whole_number(p["RuleNumber"], "RuleNumber"), "protocol": protocol, "cidr": cidr,
                            "action": _text(p.get("RuleAction", "allow")).lower()}
    if port_range is not None:
        try:
            ports = ports_of(protocol, port_range.get("From"), port_range.get("To"))
        except ValueError as error:
            reader.warn(lid, f"{error}; entry not read")
            return
        if ports:
            rule["ports"] = ports
    icmp = p.get("Icmp") if isinstance(p.get("Icmp"), dict) else {}
    rule.update(icmp_of(protocol, icmp.get("Type"), icmp.get("Code")))
    acl.body["egress" if _bool(p.get("Egress")) else "ingress"].append(rule)


def _nacl_association(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    subnet = reader.builder.edit(_ref(p.get("SubnetId")), "subnets", lid, "subnet")
    acl = _ref(p.get("NetworkAclId"))
    if subnet is not None and acl:
        subnet.body["network_acl"] = acl


def _sg_rule(reader: _Reader, lid: str, rule: dict[str, Any], direction: str, group: str) -> list[dict[str, Any]]:
    protocol = parse_protocol(_text(rule.get("IpProtocol", "-1")))
    try:
        ports = ports_of(protocol, rule.get("FromPort"), rule.get("ToPort"))
    except ValueError as error:
        reader.warn(lid, f"an {direction} rule: {error}; not read")
        return []
    base: dict[str, Any] = {"protocol": protocol}
    if ports:
        base["ports"] = ports
    base.update(icmp_of(protocol, rule.get("FromPort"), rule.get("ToPort")))
    if isinstance(rule.get("Description"), str):
        base["description"] = rule["Description"]
    prefix = "Source" if direction == "ingress" else "Destination"
    peer_key = "source" if direction == "ingress" else "destination"
    peers: list[str] = []
    for key in ("CidrIp", "CidrIpv6"):
        if _cidr(rule.get(key)):
            peers.append(rule[key])
    if _ref(rule.get(f"{prefix}PrefixListId")):
        peers.append(_ref(rule[f"{prefix}PrefixListId"]))
    for key in (f"{prefix}SecurityGroupId", f"{prefix}SecurityGroupName"):
        peer = _ref(rule.get(key))
        if peer:
            peers.append(GroupRef(peer))
    if not peers:
        reader.warn(lid, f"an {direction} rule has no known peer; not read")
    return [{**base, peer_key: peer} for peer in peers]


def _security_group(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    body: dict[str, Any] = {"ingress": [], "description": p.get("GroupDescription")}
    for rule in p.get("SecurityGroupIngress") or []:
        if isinstance(rule, dict):
            body["ingress"] += _sg_rule(reader, lid, rule, "ingress", lid)
    if "SecurityGroupEgress" in p:
        body["egress"] = []
        for rule in p.get("SecurityGroupEgress") or []:
            if isinstance(rule, dict):
                body["egress"] += _sg_rule(reader, lid, rule, "egress", lid)
    reader.add("security_groups", lid, body, vpc=reader.vpc_or_default(lid, p), properties=p)


def _sg_rule_resource(direction: str) -> Callable[[_Reader, str, dict[str, Any]], None]:
    def handler(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
        group = reader.builder.edit(_ref(p.get("GroupId")) or _ref(p.get("GroupName")), "security_groups", lid,
                                    "security group")
        if group is None:
            return
        rules = _sg_rule(reader, lid, p, direction, group.name)
        if direction == "egress" and "egress" not in group.body:
            group.body["egress"] = []  # an explicit egress rule replaces the default allow-all (SG-03)
        group.body.setdefault(direction, []).extend(rules)
    return handler


def _peering(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    requester, accepter = _ref(p.get("VpcId")), _ref(p.get("PeerVpcId"))
    if requester is None or accepter is None:
        reader.warn(lid, "a VPC of the peering is not known; not read")
        return
    reader.add("peering_connections", lid, {"requester": requester, "accepter": accepter}, properties=p)


def _transit_gateway(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    asn = p.get("AmazonSideAsn")
    reader.add("transit_gateways", lid, {
        "region": reader.template.region, "asn": whole_number(asn, "BgpAsn") if asn is not None else None,
        # AWS's default is "disable"; NET003 reports "enable".
        "auto_accept_shared_attachments": _text(p.get("AutoAcceptSharedAttachments", "disable")) == "enable",
    }, properties=p)
    reader.builder.tgw_defaults[lid] = (
        _text(p.get("DefaultRouteTableAssociation", "enable")) == "enable",
        _text(p.get("DefaultRouteTablePropagation", "enable")) == "enable",
    )


def _tgw_attachment(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    options = p.get("Options") if isinstance(p.get("Options"), dict) else {}
    body = {"type": "vpc", "vpc": _ref(p.get("VpcId")), "subnets": _refs(p.get("SubnetIds")),
            "appliance_mode": _text(options.get("ApplianceModeSupport", "disable")) == "enable"}
    reader.add("tgw_attachments", lid, body, parent=p.get("TransitGatewayId"), properties=p)


def _tgw_route_table(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    reader.add("tgw_route_tables", lid, {"routes": []}, parent=p.get("TransitGatewayId"), properties=p)


def _tgw_table_link(propagation: bool) -> Callable[[_Reader, str, dict[str, Any]], None]:
    def handler(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
        attachment = reader.builder.edit(_ref(p.get("TransitGatewayAttachmentId")), "tgw_attachments", lid,
                                         "TGW attachment")
        table = _ref(p.get("TransitGatewayRouteTableId"))
        if attachment is None or table is None:
            return
        if propagation:
            attachment.body.setdefault("propagate_to", []).append(table)
        else:
            attachment.body["route_table"] = table
    return handler


def _tgw_route(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    table = reader.builder.edit(_ref(p.get("TransitGatewayRouteTableId")), "tgw_route_tables", lid,
                                "TGW route table")
    if table is None or not _cidr(p.get("DestinationCidrBlock")):
        return
    route: dict[str, Any] = {"destination": p["DestinationCidrBlock"]}
    if _bool(p.get("Blackhole")):
        route["blackhole"] = True
    elif _ref(p.get("TransitGatewayAttachmentId")):
        route["attachment"] = _ref(p["TransitGatewayAttachmentId"])
    else:
        reader.warn(lid, "the attachment is not known; route not read")
        return
    table.body["routes"].append(route)


def _endpoint(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    kind = _text(p.get("VpcEndpointType", "Gateway")).lower()
    if not isinstance(p.get("ServiceName"), str):
        reader.warn(lid, "ServiceName is not known; endpoint not read")
        return
    body = {
        "service": p["ServiceName"],
        "type": {"gateway": "gateway", "gatewayloadbalancer": "gateway_load_balancer"}.get(kind, "interface"),
        "route_tables": _refs(p.get("RouteTableIds")),
        "subnets": _refs(p.get("SubnetIds")),
        "security_groups": [GroupRef(g) for g in _refs(p.get("SecurityGroupIds"))],
    }
    reader.add("endpoints", lid, body, vpc=p.get("VpcId"), properties=p)


def _network_firewall(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    """An AWS Network Firewall: one firewall endpoint per subnet mapping, a route target (VPCE-06).

    Routes name them through ``Fn::GetAtt <firewall>.EndpointIds`` (``AZ:vpce-id``), read as
    ``<firewall>-<n>`` in the order of the subnet mappings (AWS does not document that order; with
    several mappings vpckit says so).
    """
    mappings = [m for m in p.get("SubnetMappings") or [] if isinstance(m, dict) and _ref(m.get("SubnetId"))]
    if not mappings:
        reader.warn(lid, "no subnet mapping is known; the firewall's endpoints are not read")
        return
    if len(mappings) > 1:
        reader.warn(lid, "EndpointIds are matched to the subnet mappings in template order; check that routes pick "
                    "the endpoint of their own Availability Zone")
    for index, mapping in enumerate(mappings, 1):
        body = {"service": "network-firewall", "type": "network_firewall", "subnets": [_ref(mapping["SubnetId"])]}
        reader.add("endpoints", f"{lid}-{index}", body, vpc=p.get("VpcId"), properties=p)


def _network_interface(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    subnet = _ref(p.get("SubnetId"))
    if subnet is None:
        reader.warn(lid, "its subnet is not known; not read")
        return
    entries = [e for e in p.get("PrivateIpAddresses") or [] if isinstance(e, dict) and e.get("PrivateIpAddress")]
    primary = next((e["PrivateIpAddress"] for e in entries if _bool(e.get("Primary"))), p.get("PrivateIpAddress"))
    body = {
        "subnet": subnet,
        "private_ip": primary,
        "secondary_private_ips": [e["PrivateIpAddress"] for e in entries if e["PrivateIpAddress"] != primary],
        "security_groups": [GroupRef(g) for g in _refs(p.get("GroupSet"))],
        "source_dest_check": p.get("SourceDestCheck") is None or _bool(p.get("SourceDestCheck")),
    }
    reader.add("network_interfaces", lid, body, vpc=subnet, properties=p)


def _eni_attachment(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    eni = reader.builder.edit(_ref(p.get("NetworkInterfaceId")), "network_interfaces", lid, "network interface")
    instance = _ref(p.get("InstanceId"))
    if eni is not None and instance:
        eni.body["instance"] = instance


def _instance(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    body: dict[str, Any] = {
        "subnet": _ref(p.get("SubnetId")),
        "private_ip": p.get("PrivateIpAddress"),
        "security_groups": [GroupRef(g) for g in _refs(p.get("SecurityGroupIds")) + _refs(p.get("SecurityGroups"))],
        "source_dest_check": p.get("SourceDestCheck") is None or _bool(p.get("SourceDestCheck")),
    }
    for interface in p.get("NetworkInterfaces") or []:
        if not isinstance(interface, dict):
            continue
        if _text(interface.get("DeviceIndex", "0")) != "0":
            eni = _ref(interface.get("NetworkInterfaceId"))
            record = reader.builder.lookup(eni, "network_interfaces")
            if record is not None:
                record.body["instance"] = lid
            else:
                reader.warn(lid, f"interface at device {interface.get('DeviceIndex')} is not read")
            continue
        if _ref(interface.get("NetworkInterfaceId")):
            eni = _ref(interface["NetworkInterfaceId"])
            if reader.builder.lookup(eni, "network_interfaces") is None and eni in reader.template.resources:
                reader.warn(lid, f"its primary interface {eni} was not read; not read")
                return
            reader.builder.primary_interfaces[lid] = eni
            body["subnet"] = body["subnet"] or eni
            continue
        body["subnet"] = _ref(interface.get("SubnetId")) or body["subnet"]
        body["private_ip"] = interface.get("PrivateIpAddress") or body["private_ip"]
        body["security_groups"] = [GroupRef(g) for g in _refs(interface.get("GroupSet"))] or body["security_groups"]
        if "AssociatePublicIpAddress" in interface:
            body["public_ip"] = _bool(interface["AssociatePublicIpAddress"])  # false: none, whatever the subnet says
    if body["subnet"] is None:
        reader.warn(lid, "its subnet is not known; not read")
        return
    reader.add("instances", lid, body, vpc=body["subnet"], properties=p)


def _prefix_list(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    body = {"cidrs": [e["Cidr"] for e in p.get("Entries") or [] if isinstance(e, dict) and _cidr(e.get("Cidr"))],
            "max_entries": whole_number(p["MaxEntries"], "MaxEntries") if p.get("MaxEntries") is not None else None,
            "address_family": p.get("AddressFamily") or "IPv4"}
    reader.add("prefix_lists", lid, body, properties=p)


def _load_balancer(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    subnets = _refs(p.get("Subnets")) or [_ref(m.get("SubnetId")) for m in p.get("SubnetMappings") or []
                                          if isinstance(m, dict) and _ref(m.get("SubnetId"))]
    if not subnets:
        reader.warn(lid, "its subnets are not known; not read")
        return
    body = {"type": "network" if _text(p.get("Type", "application")) == "network" else "application",
            "scheme": _text(p.get("Scheme", "internet-facing")), "subnets": subnets,
            "security_groups": [GroupRef(g) for g in _refs(p.get("SecurityGroups"))]}
    reader.add("load_balancers", lid, body, vpc=subnets[0], properties=p)


def _target_group(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    if p.get("Port") is None:
        reader.warn(lid, "Port is not known (Lambda target groups have none); not read")
        return
    body = {"protocol": _text(p.get("Protocol", "HTTP")), "port": whole_number(p["Port"], "Port"),
            "targets": [_ref(t.get("Id")) for t in p.get("Targets") or [] if isinstance(t, dict) and _ref(t.get("Id"))]}
    for attribute in p.get("TargetGroupAttributes") or []:
        if isinstance(attribute, dict) and attribute.get("Key") == "preserve_client_ip.enabled" and \
                str(attribute.get("Value")).lower() in ("true", "false"):
            body["preserve_client_ip"] = str(attribute["Value"]).lower() == "true"
    vpc = p.get("VpcId")
    reader.add("target_groups", lid, body, vpc=vpc if vpc is not None else reader.vpc_or_default(lid, p),
               properties=p)


def _listener(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    balancer = reader.builder.edit(_ref(p.get("LoadBalancerArn")), "load_balancers", lid, "load balancer")
    if balancer is None or p.get("Port") is None:
        return
    forward = next((a for a in p.get("DefaultActions") or [] if isinstance(a, dict) and a.get("TargetGroupArn")), {})
    listener = {"protocol": _text(p.get("Protocol", "HTTP")), "port": whole_number(p["Port"], "Port"),
                "target_group": _ref(forward.get("TargetGroupArn"))}
    balancer.body.setdefault("listeners", []).append({k: v for k, v in listener.items() if v is not None})


def _db_subnet_group(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    subnets = _refs(p.get("SubnetIds"))
    if not subnets:
        reader.warn(lid, "its subnets are not known; not read")
        return
    reader.add("db_subnet_groups", lid, {"subnets": subnets, "description": p.get("DBSubnetGroupDescription")},
               vpc=subnets[0], properties=p)


def _db_instance(reader: _Reader, lid: str, p: dict[str, Any]) -> None:
    group = _ref(p.get("DBSubnetGroupName"))
    if group is None:
        reader.warn(lid, "no DBSubnetGroupName (an instance in the default VPC's default group); not read")
        return
    engine = _text(p.get("Engine", "postgres")).lower()
    body = {"engine": engine, "port": rds_port(engine, p.get("Port")), "subnet_group": group,
            "security_groups": [GroupRef(g) for g in _refs(p.get("VPCSecurityGroups"))],
            "publicly_accessible": _bool(p.get("PubliclyAccessible")), "multi_az": _bool(p.get("MultiAZ"))}
    reader.add("rds_instances", lid, body, vpc=group, properties=p)


_HANDLERS: dict[str, Callable[[_Reader, str, dict[str, Any]], None]] = {
    "AWS::EC2::VPC": _vpc,
    "AWS::EC2::VPCCidrBlock": _vpc_cidr,
    "AWS::EC2::Subnet": _subnet,
    "AWS::EC2::SubnetCidrBlock": _subnet_cidr,
    "AWS::EC2::RouteTable": _route_table,
    "AWS::EC2::Route": _route,
    "AWS::EC2::SubnetRouteTableAssociation": _subnet_route_table,
    "AWS::EC2::GatewayRouteTableAssociation": _gateway_route_table,
    "AWS::EC2::InternetGateway": _internet_gateway,
    "AWS::EC2::VPNGateway": _vpn_gateway,
    "AWS::EC2::VPNConnection": _vpn_connection,
    "AWS::EC2::VPNConnectionRoute": _vpn_connection_route,
    "AWS::EC2::CustomerGateway": lambda reader, lid, p: None,  # its VPN connections carry what matters
    "AWS::EC2::VPCGatewayAttachment": _gateway_attachment,
    "AWS::EC2::VPNGatewayRoutePropagation": _vpn_propagation,
    "AWS::EC2::EgressOnlyInternetGateway": _egress_only_gateway,
    "AWS::EC2::NatGateway": _nat_gateway,
    "AWS::EC2::EIP": _eip,
    "AWS::EC2::EIPAssociation": _eip,
    "AWS::EC2::FlowLog": _flow_log,
    "AWS::EC2::NetworkAcl": _network_acl,
    "AWS::EC2::NetworkAclEntry": _nacl_entry,
    "AWS::EC2::SubnetNetworkAclAssociation": _nacl_association,
    "AWS::EC2::SecurityGroup": _security_group,
    "AWS::EC2::SecurityGroupIngress": _sg_rule_resource("ingress"),
    "AWS::EC2::SecurityGroupEgress": _sg_rule_resource("egress"),
    "AWS::EC2::VPCPeeringConnection": _peering,
    "AWS::EC2::TransitGateway": _transit_gateway,
    "AWS::EC2::TransitGatewayAttachment": _tgw_attachment,
    "AWS::EC2::TransitGatewayVpcAttachment": _tgw_attachment,
    "AWS::EC2::TransitGatewayRouteTable": _tgw_route_table,
    "AWS::EC2::TransitGatewayRouteTableAssociation": _tgw_table_link(False),
    "AWS::EC2::TransitGatewayRouteTablePropagation": _tgw_table_link(True),
    "AWS::EC2::TransitGatewayRoute": _tgw_route,
    "AWS::EC2::VPCEndpoint": _endpoint,
    "AWS::NetworkFirewall::Firewall": _network_firewall,
    "AWS::EC2::NetworkInterface": _network_interface,
    "AWS::EC2::NetworkInterfaceAttachment": _eni_attachment,
    "AWS::EC2::Instance": _instance,
    "AWS::EC2::PrefixList": _prefix_list,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer,
    "AWS::ElasticLoadBalancingV2::TargetGroup": _target_group,
    "AWS::ElasticLoadBalancingV2::Listener": _listener,
    "AWS::RDS::DBSubnetGroup": _db_subnet_group,
    "AWS::RDS::DBInstance": _db_instance,
}
# Resources first, then what edits them (routes, associations, rules, attachments).
_PASS = {
    "AWS::EC2::VPC": 0, "AWS::EC2::TransitGateway": 0, "AWS::EC2::PrefixList": 0,
    "AWS::EC2::Subnet": 1, "AWS::EC2::RouteTable": 1, "AWS::EC2::InternetGateway": 1, "AWS::EC2::VPNGateway": 1,
    "AWS::EC2::EgressOnlyInternetGateway": 1, "AWS::EC2::NetworkAcl": 1, "AWS::EC2::SecurityGroup": 1,
    "AWS::EC2::VPCPeeringConnection": 1, "AWS::EC2::TransitGatewayRouteTable": 1,
    "AWS::EC2::TransitGatewayAttachment": 1, "AWS::EC2::TransitGatewayVpcAttachment": 1,
    "AWS::EC2::NetworkInterface": 2, "AWS::EC2::NatGateway": 2, "AWS::EC2::VPCEndpoint": 2,
    "AWS::NetworkFirewall::Firewall": 2,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": 2, "AWS::ElasticLoadBalancingV2::TargetGroup": 2,
    "AWS::EC2::VPNConnection": 2,
    "AWS::EC2::Instance": 3, "AWS::RDS::DBSubnetGroup": 2, "AWS::RDS::DBInstance": 3, "AWS::EC2::EIP": 4,
}
_PASS.update({t: 5 for t in _HANDLERS if t not in _PASS})

