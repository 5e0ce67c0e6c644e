"""Terraform: the JSON of ``terraform show -json`` for a plan or a state.

Names in the design are Terraform addresses (``aws_subnet.public[0]``,
``module.vpc.aws_subnet.private[1]``): they are unique, users grep their code for them, and
the Name tag stays in ``tags`` (references by Name tag still resolve). Modules are flattened:
a resource keeps its full module path in its name.

A plan knows some values only after apply (ids, ``vpc_id``, gateway ids). Links between
resources are then rebuilt from the plan's ``configuration``: the ``references`` of the
attribute's expression (``aws_vpc.main.id``, ``module.vpc.private_subnets``,
``var.vpc_id`` followed into the module call), matched by ``count.index`` / ``each.key``
when the referenced resource has several instances (modulo their number, as Terraform's
``element()`` does). What still cannot be resolved is a warning in
``design.source.warnings`` naming the resource address; it is never guessed.

>>> FORMAT.recognises("plan.json", {"format_version": "1.2", "planned_values": {}})
True
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import InputError
from ..model import Design, Position
from ..model.types import parse_protocol
from . import InputFormat
from ._iac import Builder, GroupRef, icmp_of, ports_of, rds_port
from .positions import LazyPositions, parse_json, read_text, text_position
from .terraform_shapes import value_problem

__all__ = ["FORMAT", "load", "loads"]


def _recognises(path: str, data: Any) -> bool:
    return isinstance(data, dict) and "format_version" in data and (
        "planned_values" in data or "values" in data or "resource_changes" in data or "terraform_version" in data
    )


FORMAT = InputFormat(
    "terraform", "vpckit.sources.terraform", "Terraform plan or state JSON (terraform show -json)", _recognises
)

_UNKNOWN_AZ = "(known after apply)"
_REF_PART = re.compile(r'([^.\[]+)((?:\[[^\]]*\])?)')
_MODULE = re.compile(r'module\.([^.\[]+)((?:\[(?:"[^"]*"|[^\]]*)\])?)')


@dataclass
class Instance:
    """One resource instance of the plan or state."""

    address: str
    type: str
    name: str
    mode: str
    module: str
    index: int | str | None
    values: dict[str, Any]
    unknown: dict[str, Any] = field(default_factory=dict)

    @property
    def block(self) -> str:
        """``aws_vpc.main`` or ``data.aws_vpc.main`` (no module, no index)."""
        return f"{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"


def load(path: str, region: str | None = None) -> Design:
    """Read a ``terraform show -json`` plan or state file.

    >>> load("/nonexistent.json")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: /nonexistent.json: file not found
    """
    return loads(read_text(path), path, region=region)


def loads(text: str, file: str = "<string>", region: str | None = None) -> Design:
    """Read plan/state JSON text; ``file`` names it in messages and positions.

    >>> plan = {"format_version": "1.0", "values": {"root_module": {"resources": [
    ...     {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
    ...      "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}}]}}}
    >>> loads(json.dumps(plan)).vpcs["aws_vpc.main"].id
    'vpc-1'
    >>> loads("{", "p.json")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: p.json:1:2: invalid JSON: Expecting property name enclosed in double quotes
    """
    data = parse_json(text, file)
    if not isinstance(data, dict) or not ({"planned_values", "values", "resource_changes", "terraform_version"} & set(data)):
        raise InputError(
            "not the output of `terraform show -json`: expected `planned_values` (a plan) or `values` (a state)",
            Position(file, 1, 1),
        )
    for key, kind in (("planned_values", dict), ("values", dict), ("prior_state", dict), ("configuration", dict),
                      ("resource_changes", list)):
        if key in data and data[key] is not None and not isinstance(data[key], kind):
            raise InputError(f"`{key}` should be a {'mapping' if kind is dict else 'list'}, got "
                             f"{type(data[key]).__name__}", _key_position(text, key, file))
    design = _Reader(data, text, file, region).read()
    if not ({"planned_values", "values", "resource_changes"} & set(data)):
        design.source.warnings.append(f"{file}: an empty state (no resources)")
    return design


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dig(data: Any, *keys: str) -> dict[str, Any] | None:
    """``data[k1][k2]…`` when every step is a mapping, else None."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data if isinstance(data, dict) else None


def _key_position(text: str, key: str, file: str) -> Position:
    return text_position(text, file, max(text.find(f'"{key}"'), 0))


class _Reader:
    def __init__(self, data: dict[str, Any], text: str, file: str, region: str | None):
        self.data = data
        self.file = file
        self.lines = _address_positions(text)
        self._positions = LazyPositions(text, file)
        self.config_root = _dig(data, "configuration", "root_module") or {}
        provider_region = _dig(data, "configuration", "provider_config", "aws", "expressions", "region") or {}
        constant = provider_region.get("constant_value")
        self.region = region or (constant if isinstance(constant, str) else None) or "us-east-1"
        self.builder = Builder(file, "terraform", region=self.region, name=_design_name(file))
        self.instances: dict[str, Instance] = {}
        #: aws_eip address → {"nat_gateway": user} for allocations made by other resources.
        self.eip_users: dict[str, dict[str, str]] = {}
        #: Modules where an elastic IP allocation could not be resolved.
        self.unknown_eip_use: set[str] = set()
        self.by_block: dict[tuple[str, str], list[Instance]] = {}
        self._collect()
        self.builder.declared = set(self.instances)
        for items in self.by_block.values():
            items.sort(key=lambda i: (isinstance(i.index, str), i.index if i.index is not None else -1))
        self.by_index = {(i.module, i.block, i.index): i for i in self.instances.values()}

    # ------------------------------------------------------------------ reading the file

    def _collect(self) -> None:
        unknown = {
            change["address"]: _dig(change, "change", "after_unknown") or {}
            for change in _list(self.data.get("resource_changes"))
            if isinstance(change, dict) and isinstance(change.get("address"), str)
        }
        planned = _dig(self.data, "planned_values", "root_module")
        state = _dig(self.data, "values", "root_module")
        prior = _dig(self.data, "prior_state", "values", "root_module")
        for module, path in ((planned, ("planned_values", "root_module")), (state, ("values", "root_module"))):
            if module:
                self._walk(module, unknown, lambda r: True, path)
        if prior:  # data sources read during planning (their values are real)
            self._walk(prior, {}, lambda r: r.get("mode") == "data", ("prior_state", "values", "root_module"))

    def _walk(self, module: dict[str, Any], unknown: dict[str, Any], keep: Callable[[dict[str, Any]], bool],
              path: tuple) -> None:
        for index, raw in enumerate(_list(module.get("resources"))):
            if not isinstance(raw, dict) or not isinstance(raw.get("address"), str):
                continue
            if not keep(raw) or raw.get("address") in self.instances:
                continue
            self._check_types(raw, (*path, "resources", index))
            address = raw["address"]
            instance = Instance(
                address=address,
                type=raw.get("type", ""),
                name=raw.get("name", ""),
                mode=raw.get("mode", "managed"),
                module=_module_of(address),
                index=raw.get("index"),
                values=raw["values"] if isinstance(raw.get("values"), dict) else {},
                unknown=unknown.get(address) if isinstance(unknown.get(address), dict) else {},
            )
            self.instances[address] = instance
            self.by_block.setdefault((instance.module, instance.block), []).append(instance)
        for index, child in enumerate(_list(module.get("child_modules"))):
            if isinstance(child, dict):
                self._walk(child, unknown, keep, (*path, "child_modules", index))

    def _check_types(self, raw: dict[str, Any], path: tuple) -> None:
        """Refuse a resource whose values the provider never writes (a number as text, a block as a list...)."""
        for key, kind in (("type", str), ("name", str), ("mode", str)):
            if key in raw and not isinstance(raw[key], kind):
                raise InputError(f"{raw['address']}: `{key}` should be text, got {type(raw[key]).__name__}",
                                 self._positions.get((*path, key)) or self.position(raw["address"]))
        if "index" in raw and raw["index"] is not None and (isinstance(raw["index"], bool)
                                                            or not isinstance(raw["index"], (int, str))):
            raise InputError(f"{raw['address']}: `index` should be a number or a key, got "
                             f"{type(raw['index']).__name__}", self._positions.get((*path, "index"))
                             or self.position(raw["address"]))
        kind = f"data.{raw.get('type')}" if raw.get("mode") == "data" else raw.get("type")
        if kind not in _HANDLERS:
            return  # a resource vpckit does not read: its attributes are its own business
        problem = value_problem(raw["values"]) if "values" in raw else None
        if problem is not None:
            where, message = problem
            spelled = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)
            raise InputError(f"{raw['address']}{spelled}: {message} (as the AWS provider writes it)",
                             self._positions.get((*path, "values", *where)) or self.position(raw["address"]))

    def position(self, address: str) -> Position:
        line, column = self.lines.get(address, (None, None))
        return Position(self.file, line, column)

    # ------------------------------------------------------------------ configuration

    def config_module(self, module: str) -> dict[str, Any] | None:
        current: dict[str, Any] | None = self.config_root
        for name, _ in _MODULE.findall(module):
            current = _dig(current, "module_calls", name, "module")
            if current is None:
                return None
        return current

    def config_of(self, instance: Instance) -> dict[str, Any] | None:
        """The configuration block of an instance's resource, if the file has one."""
        module = self.config_module(instance.module) or {}
        resources = module.get("resources")
        for resource in resources if isinstance(resources, list) else []:
            if isinstance(resource, dict) and resource.get("address") == instance.block:
                return resource
        return None

    def expression(self, instance: Instance, path: tuple[str | int, ...]) -> Any:
        resource = self.config_of(instance)
        if resource is None:
            return None
        node: Any = resource.get("expressions") or {}
        for part in path:
            if isinstance(part, int):
                node = node[part] if isinstance(node, list) and part < len(node) else None
            elif isinstance(node, dict):
                node = node.get(part)
            else:
                node = None
            if node is None:
                return None
        return node

    def references(self, instance: Instance, path: tuple[str | int, ...]) -> list[str] | None:
        node = self.expression(instance, path)
        if isinstance(node, dict) and isinstance(node.get("references"), list):
            return [r for r in node["references"] if isinstance(r, str)]
        return None

    # ------------------------------------------------------------------ resolving references

    def targets(self, refs: list[str], scope: str, instance: Instance, depth: int = 0) -> list[list[Instance]]:
        """The instances each resource block among ``refs`` stands for, one list per block."""
        if depth > 8:
            return []
        keyed = "count.index" in refs or any(r.startswith("each.") for r in refs)
        blocks: dict[tuple[str, str], str | None] = {}
        found: list[list[Instance]] = []
        for ref in refs:
            if not isinstance(ref, str):
                continue
            parts = _REF_PART.findall(ref)
            head = parts[0][0] if parts else ""
            if head == "module" and len(parts) >= 3:
                child = f"{scope + '.' if scope else ''}module.{parts[1][0]}{parts[1][1]}"
                found.extend(self._output(child, parts[2][0], instance, depth))
            elif head == "var" and len(parts) >= 2:
                found.extend(self._variable(scope, parts[1][0], instance, depth))
            elif head == "data" and len(parts) >= 3:
                key = (scope, f"data.{parts[1][0]}.{parts[2][0]}")
                if blocks.get(key) is None:
                    blocks[key] = parts[2][1] or None
            elif len(parts) >= 2 and "_" in head and head not in ("count", "each", "local", "path", "terraform", "self"):
                key = (scope, f"{head}.{parts[1][0]}")
                if blocks.get(key) is None:
                    blocks[key] = parts[1][1] or None
        for key, index in blocks.items():
            candidates = self.by_block.get(key, [])
            if not candidates:
                continue
            if index is not None:
                wanted = self.by_index.get((*key, _index_value(index)))
                chosen = [wanted] if wanted is not None else []
            elif len(candidates) > 1 and keyed and instance.index is not None:
                chosen = self._same_index(candidates, instance)
            else:
                chosen = candidates
            if chosen:
                found.append(chosen)
        return found

    def _same_index(self, candidates: list[Instance], instance: Instance) -> list[Instance]:
        first = candidates[0]
        same = self.by_index.get((first.module, first.block, instance.index))
        if same is not None or not isinstance(instance.index, int):
            return [same] if same is not None else []
        chosen = candidates[instance.index % len(candidates)]  # sorted by index
        self.builder.warn(instance.address, f"matched {chosen.address} by count.index modulo {len(candidates)}")
        return [chosen]

    def _output(self, module: str, output: str, instance: Instance, depth: int) -> list[list[Instance]]:
        expression = _dig(self.config_module(module), "outputs", output, "expression") or {}
        refs = [r for r in expression.get("references") or [] if isinstance(r, str)] \
            if isinstance(expression.get("references"), list) else []
        scopes = [module] if any(i.module == module or i.module.startswith(module + ".")
                                 for i in self.instances.values()) else []
        if not scopes:  # `module.x` without its key: every instance of that module call
            scopes = sorted({i.module for i in self.instances.values() if i.module.startswith(module + "[")})
        result: list[list[Instance]] = []
        for scope in scopes:
            result.extend(self.targets(refs, scope, instance, depth + 1))
        return result

    def _variable(self, scope: str, variable: str, instance: Instance, depth: int) -> list[list[Instance]]:
        if not scope:
            return []
        parent, _, call = scope.rpartition(".module.") if ".module." in scope else ("", "", scope[len("module."):])
        name = _MODULE.match(f"module.{call}")
        given = _dig(self.config_module(parent), "module_calls", name.group(1) if name else call, "expressions",
                     variable) or {}
        refs = [r for r in given.get("references") or [] if isinstance(r, str)] \
            if isinstance(given.get("references"), list) else []
        return self.targets(refs, parent, instance, depth + 1)

    def link(self, instance: Instance, attribute: str, what: str, path: tuple[str | int, ...] | None = None,
             values: dict[str, Any] | None = None, unknown: Any = None) -> str | None:
        """The design name (or foreign AWS id) an attribute such as ``vpc_id`` points at."""
        values = instance.values if values is None else values
        unknown = instance.unknown if unknown is None else unknown
        value = values.get(attribute)
        if isinstance(value, str) and value:
            return self.builder.name_of(value)
        is_unknown = isinstance(unknown, dict) and unknown.get(attribute) is True
        refs = self.references(instance, path or (attribute,))
        if refs is None:
            if is_unknown and path is None and self.config_of(instance) is None:
                self.builder.warn(instance.address, f"{attribute} is known only after apply and the plan has no "
                                  "configuration to resolve it")
            return None
        found = self.targets(refs, instance.module, instance)
        names = {i.address for group in found for i in group}
        if len(found) == 1 and len(found[0]) == 1:
            return found[0][0].address
        if not found and attribute == "vpc_id" and any(r.startswith("local.") for r in refs):
            only = self._only_vpc(instance.module)
            if only is not None:
                self.builder.warn(
                    instance.address,
                    f"vpc_id comes from {', '.join(refs)}, which the plan does not record; "
                    f"used {only}, the only VPC of {instance.module or 'the root module'}",
                )
                return only
        if names:
            self.builder.warn(instance.address, f"the {what} ({attribute}) is ambiguous: {', '.join(sorted(names))}; "
                              "not linked")
        else:
            self.builder.warn(instance.address, f"the {what} ({attribute} = {', '.join(refs) or 'no reference'}) "
                              "cannot be resolved; not linked")
        return None

    def links(self, instance: Instance, attribute: str, path: tuple[str | int, ...] | None = None,
              values: dict[str, Any] | None = None, unknown: Any = None) -> list[str]:
        """Design names (or AWS ids) of a list attribute such as ``subnet_ids``."""
        values = instance.values if values is None else values
        unknown = instance.unknown if unknown is None else unknown
        value = values.get(attribute)
        unknown_here = isinstance(unknown, dict) and unknown.get(attribute) is True
        if isinstance(value, list) and not unknown_here:
            known = [self.builder.name_of(v) for v in value if isinstance(v, str) and v]
            flags = unknown.get(attribute) if isinstance(unknown, dict) else None
            if not (isinstance(flags, list) and any(f is True for f in flags)):
                return known
        refs = self.references(instance, path or (attribute,))
        if refs is None:
            if unknown_here and self.config_of(instance) is None:
                self.builder.warn(instance.address, f"{attribute} is known only after apply and the plan has no "
                                  "configuration to resolve it")
            return []
        found = self.targets(refs, instance.module, instance)
        if not found:
            self.builder.warn(instance.address, f"{attribute} ({', '.join(refs)}) cannot be resolved")
        return [i.address for group in found for i in group]

    def _only_vpc(self, module: str) -> str | None:
        """The VPC of a module that declares exactly one (a local value's VPC, which plans do not record)."""
        vpcs = [i for (m, block), items in self.by_block.items()
                if m == module and block.split(".")[0] in ("aws_vpc", "aws_default_vpc") for i in items]
        return vpcs[0].address if len(vpcs) == 1 else None

    def default_vpc(self, who: str) -> str:
        """The ``aws_default_vpc`` of the plan, else the region's default VPC."""
        for instance in self.instances.values():
            if instance.type == "aws_default_vpc":
                return instance.address
        return self.builder.ensure_default_vpc(who)

    # ------------------------------------------------------------------ translating resources

    def read(self) -> Design:
        ordered = sorted(self.instances.values(), key=lambda i: (_PASS.get(i.type, 9), i.address))
        skipped: dict[str, int] = {}
        for instance in ordered:
            handler = _HANDLERS.get(instance.type if instance.mode == "managed" else f"data.{instance.type}")
            if handler is None:
                if instance.mode == "managed":
                    skipped[instance.type] = skipped.get(instance.type, 0) + 1
                continue
            try:
                handler(self, instance)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
                # A shape `terraform show -json` does not produce: say so, keep reading the rest.
                self.builder.warn(instance.address, f"not read: unexpected value ({type(error).__name__}: {error})")
        network = sorted(t for t in skipped if t.startswith(("aws_lb", "aws_alb", "aws_elb", "aws_db", "aws_vpn",
                                                              "aws_customer_gateway", "aws_networkfirewall")))
        if network:
            self.builder.warn(self.file, f"resource types not read: {', '.join(network)}")
        _unused_eips_of_unknown_use(self)
        return self.builder.build()

    def add(self, kind: str, instance: Instance, body: dict[str, Any], vpc: str | None = None,
            parent: str | None = None) -> None:
        body = {k: v for k, v in body.items() if v is not None}
        values = instance.values
        if values.get("id") and isinstance(values["id"], str):
            body.setdefault("id", values["id"])
        tags = values.get("tags")
        if isinstance(tags, dict) and tags:
            body.setdefault("tags", {str(k): str(v) for k, v in tags.items() if v is not None})
        self.builder.add(kind, instance.address, body, vpc=vpc, position=self.position(instance.address),
                         parent=parent)

    def vpc_link(self, instance: Instance) -> str | None:
        """The VPC of a resource; the region's default VPC when ``vpc_id`` is not set at all."""
        configured = self.expression(instance, ("vpc_id",)) is not None or self.config_of(instance) is None
        if instance.values.get("vpc_id") or configured:
            return self.link(instance, "vpc_id", "VPC")
        return self.builder.ensure_default_vpc(instance.address)


_PASS = {
    "aws_vpc": 0, "aws_default_vpc": 0,
    "aws_subnet": 1, "aws_default_subnet": 1,
    # after every possible route target, so a target created in the same plan can be found (_pending_target)
    "aws_route_table": 3, "aws_default_route_table": 3,
    "aws_security_group": 1, "aws_default_security_group": 1,
    "aws_internet_gateway": 1, "aws_egress_only_internet_gateway": 1, "aws_ec2_transit_gateway": 1,
    "aws_vpc_peering_connection": 1, "aws_ec2_managed_prefix_list": 1, "aws_vpn_gateway": 1,
    "aws_network_acl": 2, "aws_default_network_acl": 2,
    "aws_nat_gateway": 2, "aws_instance": 2, "aws_network_interface": 2, "aws_vpc_endpoint": 2,
    "aws_networkfirewall_firewall": 2,
    "aws_ec2_transit_gateway_vpc_attachment": 2, "aws_ec2_transit_gateway_route_table": 2,
    "aws_eip": 3, "aws_customer_gateway": 1, "aws_vpn_connection": 2, "aws_dx_gateway_association": 2,
    "aws_lb": 2, "aws_alb": 2, "aws_lb_target_group": 2, "aws_alb_target_group": 2, "aws_db_subnet_group": 2,
    "aws_db_instance": 3,
}


def _vpc(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    cidr = values.get("cidr_block")
    if instance.type == "aws_default_vpc" and not cidr:
        cidr = "172.31.0.0/16"
    if not cidr:
        reader.builder.warn(instance.address, "cidr_block is known only after apply (IPAM?); VPC not read")
        return
    body: dict[str, Any] = {"cidr": cidr}
    if instance.type == "aws_default_vpc" or (instance.mode == "data" and values.get("default") is True):
        body["is_default"] = True  # VPC008
    if values.get("ipv6_cidr_block"):
        body["ipv6_cidrs"] = [values["ipv6_cidr_block"]]
    elif values.get("assign_generated_ipv6_cidr_block"):
        reader.builder.warn(instance.address, "its Amazon-provided IPv6 CIDR is known only after apply")
    if instance.mode == "data":
        body["description"] = "Read by a Terraform data source"
        for assoc in values.get("cidr_block_associations") or []:
            if assoc.get("cidr_block") and assoc["cidr_block"] != cidr:
                body.setdefault("secondary_cidrs", []).append(assoc["cidr_block"])
    reader.add("vpcs", instance, body)


def _cidr_association(reader: _Reader, instance: Instance) -> None:
    vpc = reader.builder.edit(reader.link(instance, "vpc_id", "VPC"), "vpcs", instance.address, "VPC")
    if vpc is None:
        return
    values = instance.values
    if instance.type == "aws_vpc_ipv4_cidr_block_association":
        if values.get("cidr_block"):
            vpc.body.setdefault("secondary_cidrs", []).append(values["cidr_block"])
        else:
            reader.builder.warn(instance.address, "cidr_block is known only after apply; not read")
    elif values.get("ipv6_cidr_block"):
        vpc.body.setdefault("ipv6_cidrs", []).append(values["ipv6_cidr_block"])
    else:
        reader.builder.warn(instance.address, "ipv6_cidr_block is known only after apply; not read")


def _subnet(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    az = values.get("availability_zone")
    if not az:
        az = _UNKNOWN_AZ
        reader.builder.warn(instance.address, f"availability_zone is known only after apply; written {az!r}")
    body = {
        "az": az,
        "cidr": values.get("cidr_block"),
        "ipv6_cidr": values.get("ipv6_cidr_block") or None,
        "map_public_ip_on_launch": bool(values.get("map_public_ip_on_launch")),
    }
    if not body["cidr"]:
        reader.builder.warn(instance.address, "cidr_block is known only after apply; subnet not read")
        return
    vpc = reader.vpc_link(instance) if instance.type == "aws_subnet" else reader.default_vpc(instance.address)
    reader.add("subnets", instance, body, vpc=vpc)


_ROUTE_TARGETS = (
    "gateway_id", "nat_gateway_id", "egress_only_gateway_id", "transit_gateway_id", "vpc_peering_connection_id",
    "network_interface_id", "instance_id", "vpc_endpoint_id", "carrier_gateway_id", "local_gateway_id",
    "core_network_arn",
)


def _route(reader: _Reader, instance: Instance, values: dict[str, Any], unknown: Any,
           path: tuple[str | int, ...] | None) -> dict[str, Any] | None:
    destination = (values.get("destination_cidr_block") or values.get("cidr_block")
                   or values.get("destination_ipv6_cidr_block") or values.get("ipv6_cidr_block"))
    prefix_key = "destination_prefix_list_id"
    prefix_path = (*path, prefix_key) if path else (prefix_key,)
    if not destination and (values.get(prefix_key) or reader.references(instance, prefix_path)):
        destination = reader.link(instance, prefix_key, "prefix list", path=prefix_path if path else None,
                                  values=values, unknown=unknown)
    if not destination:
        reader.builder.warn(instance.address, "a route has no known destination; not read")
        return None
    for key in _ROUTE_TARGETS:
        known = values.get(key)
        ref_path = (*path, key) if path else (key,)
        if (isinstance(known, str) and known) or reader.references(instance, ref_path):
            target = reader.link(instance, key, "target", path=ref_path if path else None, values=values,
                                 unknown=unknown)
            if target is None:
                return None
            if key == "gateway_id" and target == "local":
                return None
            return {"destination": destination, "target": target}
    target = _pending_target(reader, instance, destination, unknown)
    if target is not None:
        return {"destination": destination, "target": target}
    reader.builder.warn(instance.address, f"the route to {destination} has a target known only after apply; not read")
    return None


#: The kinds of resource each route target attribute can name.
_TARGET_KINDS: dict[str, tuple[str, ...]] = {
    "gateway_id": ("internet_gateways", "vpn_gateways"),
    "nat_gateway_id": ("nat_gateways",),
    "egress_only_gateway_id": ("egress_only_internet_gateways",),
    "transit_gateway_id": ("transit_gateways",),
    "vpc_peering_connection_id": ("peering_connections",),
}


def _pending_target(reader: _Reader, instance: Instance, destination: str, unknown: Any) -> str | None:
    """The target of a route whose target is created in the same plan and not referenced in the
    configuration (Terraform 0.12 plans omit nested blocks from it): the one resource of that kind
    in the route table's VPC, with a warning saying so; None when there is not exactly one.
    """
    if not isinstance(unknown, dict):
        return None
    pending = [key for key in _ROUTE_TARGETS if unknown.get(key) is True]
    if len(pending) != 1 or pending[0] not in _TARGET_KINDS:
        return None
    key = pending[0]
    vpc = instance.values.get("vpc_id") and reader.builder.name_of(instance.values["vpc_id"])
    vpc = vpc or reader.link(instance, "vpc_id", "VPC")
    candidates = []
    for record in reader.builder.records.values():
        if record.kind not in _TARGET_KINDS[key]:
            continue
        if record.kind == "transit_gateways":
            candidates.append(record)
        elif record.kind == "peering_connections":
            sides = {reader.builder.vpc_of(record.body.get(side)) for side in ("requester", "accepter")}
            if vpc in sides or vpc in (record.body.get("requester"), record.body.get("accepter")):
                candidates.append(record)
        elif reader.builder.vpc_of(record.name) == vpc:
            candidates.append(record)
    # A `route` written as an attribute (a list or a dynamic block) records its references as a whole: the one
    # candidate they name is the target, read from the plan rather than guessed.
    expression = reader.expression(instance, ("route",))
    named = {r for r in expression.get("references") or [] if isinstance(r, str)} \
        if isinstance(expression, dict) and isinstance(expression.get("references"), list) else set()
    referenced = [record for record in candidates if record.name in named]
    if len(referenced) == 1:
        return referenced[0].name
    if len(candidates) != 1:
        return None
    reader.builder.warn(instance.address, f"the route to {destination} has its {key} known only after apply and "
                        f"the plan records no reference for it; linked to {candidates[0].name}, the only "
                        f"{candidates[0].kind.replace('_', ' ')[:-1]} that it can name")
    return candidates[0].name


def _configured_path(reader: _Reader, instance: Instance, attribute: str, block: dict[str, Any],
                     path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """The configuration's index of an inline block, matched on its constant values.

    A plan lists set-typed blocks (``route``) in its own order, not the configuration's, so the
    planned block ``i`` is found in the configuration by the constants they share.
    """
    expressions = reader.expression(instance, (attribute,))
    if not isinstance(expressions, list):
        return path
    matches = []
    for index, expression in enumerate(expressions):
        if not isinstance(expression, dict):
            continue
        constants = {k: v["constant_value"] for k, v in expression.items()
                     if isinstance(v, dict) and "constant_value" in v}
        if constants and all(block.get(k) == v for k, v in constants.items()):
            matches.append(index)
    return (attribute, matches[0]) if len(matches) == 1 else path


def _route_table(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    routes = []
    for route, flags, path in _blocks(reader, instance, "route"):
        built = _route(reader, instance, route, flags, _configured_path(reader, instance, "route", route, path))
        if built:
            routes.append(built)
    body = {"routes": routes, "propagating_vpn_gateways": [reader.builder.name_of(v) for v in values.get("propagating_vgws") or []]}
    if instance.type == "aws_default_route_table":
        vpc = reader.link(instance, "vpc_id" if values.get("vpc_id") else "default_route_table_id", "VPC")
        vpc_record = reader.builder.lookup(vpc)
        reader.add("route_tables", instance, body, vpc=vpc)
        if vpc_record is not None and vpc_record.kind == "vpcs":
            vpc_record.body["main_route_table"] = instance.address
        return
    reader.add("route_tables", instance, body, vpc=reader.vpc_link(instance))


def _route_resource(reader: _Reader, instance: Instance) -> None:
    table = reader.builder.edit(reader.link(instance, "route_table_id", "route table"), "route_tables",
                                instance.address, "route table")
    route = _route(reader, instance, instance.values, instance.unknown, None)
    if table is not None and route is not None:
        table.body.setdefault("routes", []).append(route)


def _route_association(reader: _Reader, instance: Instance) -> None:
    table = reader.link(instance, "route_table_id", "route table")
    if table is None:
        return
    if instance.values.get("gateway_id") or reader.references(instance, ("gateway_id",)):
        record = reader.builder.edit(table, "route_tables", instance.address, "route table")
        gateway = reader.link(instance, "gateway_id", "gateway")
        if record is not None and gateway:
            record.body.setdefault("edge_associations", []).append(gateway)
        return
    subnet = reader.builder.edit(reader.link(instance, "subnet_id", "subnet"), "subnets", instance.address, "subnet")
    if subnet is not None:
        subnet.body["route_table"] = reader.builder.name_of(table)


def _vgw_propagation(reader: _Reader, instance: Instance) -> None:
    table = reader.builder.edit(reader.link(instance, "route_table_id", "route table"), "route_tables",
                                instance.address, "route table")
    gateway = reader.link(instance, "vpn_gateway_id", "VPN gateway")
    if table is not None and gateway:
        table.body.setdefault("propagating_vpn_gateways", []).append(gateway)


def _main_association(reader: _Reader, instance: Instance) -> None:
    vpc = reader.builder.edit(reader.link(instance, "vpc_id", "VPC"), "vpcs", instance.address, "VPC")
    table = reader.link(instance, "route_table_id", "route table")
    if vpc is not None and table:
        vpc.body["main_route_table"] = reader.builder.name_of(table)


def _gateway(kind: str) -> Any:
    def handler(reader: _Reader, instance: Instance) -> None:
        body: dict[str, Any] = {}
        if kind == "vpn_gateways" and instance.values.get("amazon_side_asn"):
            body["asn"] = int(instance.values["amazon_side_asn"])
        # Without vpc_id, an aws_internet_gateway_attachment / aws_vpn_gateway_attachment places it.
        has_vpc = instance.values.get("vpc_id") or reader.references(instance, ("vpc_id",))
        reader.add(kind, instance, body, vpc=reader.link(instance, "vpc_id", "VPC") if has_vpc else None)
    return handler


def _gateway_attachment(reader: _Reader, instance: Instance) -> None:
    key = "internet_gateway_id" if instance.type == "aws_internet_gateway_attachment" else "vpn_gateway_id"
    kind = "internet_gateways" if key == "internet_gateway_id" else "vpn_gateways"
    gateway = reader.builder.edit(reader.link(instance, key, "gateway"), kind, instance.address, "gateway")
    vpc = reader.link(instance, "vpc_id", "VPC")
    if gateway is not None and vpc:
        gateway.vpc = vpc


def _nat_gateway(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    if (values.get("connectivity_type") or "public") == "public" and (
            values.get("allocation_id") or reader.references(instance, ("allocation_id",))):
        _use_eip(reader, instance, "allocation_id", "nat_gateway", instance.address)  # in use, read or not
    subnet = reader.link(instance, "subnet_id", "subnet")
    body = {
        "subnet": subnet,
        "connectivity": values.get("connectivity_type") or "public",
        "private_ip": values.get("private_ip") or None,
        "elastic_ip": values.get("public_ip") or None,
    }
    if subnet is None:
        reader.builder.warn(instance.address, "its subnet is not known; not read")
        return
    reader.add("nat_gateways", instance, body, vpc=subnet)


def _use_eip(reader: _Reader, instance: Instance, attribute: str, use: str, user: str) -> None:
    """Note that ``instance`` associates the elastic IP its ``attribute`` names with ``user``.

    An allocation that cannot be resolved (a ``local`` value, which plans do not record) makes the
    module's elastic IPs of unknown use: they are not reported as unattached on a guess.
    """
    eip = reader.link(instance, attribute, "elastic IP")
    target = reader.instances.get(eip or "") or next(
        (i for i in reader.instances.values() if i.type == "aws_eip" and eip and i.values.get("id") == eip), None)
    if target is not None and target.type == "aws_eip":
        reader.eip_users.setdefault(target.address, {})[use] = user
    elif eip is None:
        reader.unknown_eip_use.add(instance.module)


def _eip(reader: _Reader, instance: Instance) -> None:
    """An elastic IP: recorded in ``elastic_ips`` with what it is associated with (NET004), and giving
    its instance or interface a public address (known or not)."""
    values = instance.values
    public_ip = values.get("public_ip")
    association: dict[str, str] = {}
    if instance.type == "aws_eip_association":
        eip = reader.link(instance, "allocation_id", "elastic IP") if (
            values.get("allocation_id") or reader.references(instance, ("allocation_id",))) else None
        if eip is None and (values.get("public_ip") or reader.references(instance, ("public_ip",))):
            eip = reader.link(instance, "public_ip", "elastic IP")  # EC2-Classic style: by address
        eip_instance = reader.instances.get(eip or "")
        public_ip = public_ip or (eip_instance.values.get("public_ip") if eip_instance else None)
        keys = ("instance_id", "network_interface_id")
        if eip is None:
            reader.unknown_eip_use.add(instance.module)
    else:
        eip = instance.address
        keys = ("instance", "network_interface")
    for key in keys:
        if values.get(key) or reader.references(instance, (key,)):
            target = reader.link(instance, key, "instance")
            record = reader.builder.lookup(target)
            if record is not None and record.kind in ("instances", "network_interfaces"):
                record.body["public_ip"] = public_ip or True
            if target is not None:
                association[key.removesuffix("_id")] = reader.builder.name_of(target)
            elif instance.type == "aws_eip":
                reader.unknown_eip_use.add(instance.module)
            break
    if instance.type == "aws_eip":
        body = {"address": public_ip or None, **association, **reader.eip_users.get(instance.address, {})}
        reader.add("elastic_ips", instance, body)
        return
    record = reader.builder.lookup(eip, "elastic_ips")
    if record is not None:
        record.body.update(association)


def _unused_eips_of_unknown_use(reader: _Reader) -> None:
    """Elastic IPs without a known association in a module where some association could not be
    resolved: which one is used is not known, so none is reported as unattached."""
    for record in [r for r in reader.builder.records.values() if r.kind == "elastic_ips"]:
        instance = reader.instances.get(record.name)
        body = record.body
        if instance is None or body.get("instance") or body.get("network_interface") or body.get("nat_gateway"):
            continue
        if instance.module in reader.unknown_eip_use:
            del reader.builder.records[record.name]
            reader.builder.warn(record.name, "what it is associated with is not known from the plan (an "
                                "allocation_id that cannot be resolved); not recorded as an elastic IP")


_FLOW_LOG_TARGETS = {"subnet_id": "subnet", "eni_id": "network interface",
                     "transit_gateway_id": "transit gateway", "transit_gateway_attachment_id": "TGW attachment"}


def _flow_log(reader: _Reader, instance: Instance) -> None:
    """A VPC flow log (VPC009). Subnet, interface and transit gateway flow logs capture only part of
    a VPC's traffic, so they are not VPC flow logs; a warning says so."""
    values = instance.values
    if not (values.get("vpc_id") or reader.references(instance, ("vpc_id",))):
        for key, what in _FLOW_LOG_TARGETS.items():
            if values.get(key) or reader.references(instance, (key,)):
                reader.builder.warn(instance.address, f"a {what} flow log, not a VPC flow log (it does not cover the "
                                    "whole VPC); not read")
                return
        reader.builder.warn(instance.address, "the resource it logs is not known; not read")
        return
    vpc = reader.link(instance, "vpc_id", "VPC")
    if vpc is None:
        return
    traffic = values.get("traffic_type")
    if not traffic:
        traffic = "ALL"
        reader.builder.warn(instance.address, "traffic_type is not known before apply; read as ALL")
    body = {
        "traffic_type": str(traffic).upper(),
        "destination_type": values.get("log_destination_type") or "cloud-watch-logs",
        "destination": values.get("log_destination") or values.get("log_group_name") or None,
    }
    reader.add("flow_logs", instance, body, vpc=vpc)


def _network_acl(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    body: dict[str, Any] = {"ingress": [], "egress": []}
    for direction in ("ingress", "egress"):
        for rule, _, _ in _blocks(reader, instance, direction):
            built = _nacl_rule(reader, instance, rule)
            if built:
                body[direction].append(built)
    if instance.type == "aws_default_network_acl":
        vpc = reader.link(instance, "vpc_id" if values.get("vpc_id") else "default_network_acl_id", "VPC")
        vpc_record = reader.builder.lookup(vpc)
        if vpc_record is not None and vpc_record.kind == "vpcs":
            vpc_record.body["default_network_acl"] = instance.address
    else:
        vpc = reader.vpc_link(instance)
    reader.add("network_acls", instance, body, vpc=vpc)
    for subnet_ref in reader.links(instance, "subnet_ids"):
        subnet = reader.builder.edit(subnet_ref, "subnets", instance.address, "subnet")
        if subnet is not None:
            subnet.body["network_acl"] = instance.address


def _nacl_rule(reader: _Reader, instance: Instance, rule: dict[str, Any]) -> dict[str, Any] | None:
    if rule.get("protocol") is None:
        reader.builder.warn(instance.address, f"the protocol of rule {rule.get('rule_no', rule.get('rule_number'))} "
                            "is not known; not read")
        return None
    protocol = parse_protocol(str(rule["protocol"]))
    cidr = rule.get("cidr_block") or rule.get("ipv6_cidr_block")
    number = rule.get("rule_no", rule.get("rule_number"))
    if not cidr or number is None:
        reader.builder.warn(instance.address, f"a rule {number} has no known CIDR; not read")
        return None
    try:
        ports = ports_of(protocol, rule.get("from_port"), rule.get("to_port"))
    except ValueError as error:
        reader.builder.warn(instance.address, f"rule {number}: {error}; not read")
        return None
    built: dict[str, Any] = {
        "rule": int(number), "protocol": protocol, "cidr": cidr,
        "action": str(rule.get("action", rule.get("rule_action", "allow"))).lower(),
    }
    if ports:
        built["ports"] = ports
    elif protocol in (6, 17) and (rule.get("from_port") is None or rule.get("to_port") is None):
        reader.builder.warn(instance.address, f"rule {number}: a tcp/udp entry needs from_port and to_port "
                            "(AWS rejects it without them, NACL-09); not read")
        return None
    built.update(icmp_of(protocol, rule.get("icmp_type"), rule.get("icmp_code")))
    return built


def _nacl_rule_resource(reader: _Reader, instance: Instance) -> None:
    acl = reader.builder.edit(reader.link(instance, "network_acl_id", "NACL"), "network_acls", instance.address,
                              "network ACL")
    built = _nacl_rule(reader, instance, instance.values)
    if acl is not None and built:
        acl.body.setdefault("egress" if instance.values.get("egress") else "ingress", []).append(built)


def _nacl_association(reader: _Reader, instance: Instance) -> None:
    acl = reader.link(instance, "network_acl_id", "NACL")
    subnet = reader.builder.edit(reader.link(instance, "subnet_id", "subnet"), "subnets", instance.address, "subnet")
    if subnet is not None and acl:
        subnet.body["network_acl"] = reader.builder.name_of(acl)


def _sg_rules(reader: _Reader, instance: Instance, rule: dict[str, Any], direction: str, group: str,
              path: tuple[str | int, ...] | None, flags: Any) -> list[dict[str, Any]]:
    """One Terraform rule block → one design rule per peer (CIDR, IPv6 CIDR, prefix list, group, self)."""
    raw_protocol = rule.get("protocol", rule.get("ip_protocol"))
    if raw_protocol is None:
        reader.builder.warn(instance.address, f"the protocol of an {direction} rule is not known; not read")
        return []
    protocol = parse_protocol(str(raw_protocol))
    if protocol in (6, 17) and (rule.get("from_port") is None or rule.get("to_port") is None):
        reader.builder.warn(instance.address, f"the ports of an {direction} rule are not known; not read")
        return []
    try:
        ports = ports_of(protocol, rule.get("from_port"), rule.get("to_port"))
    except ValueError as error:
        reader.builder.warn(instance.address, f"an {direction} rule {rule.get('from_port')}-{rule.get('to_port')}: "
                            f"{error}; not read")
        return []
    base: dict[str, Any] = {"protocol": protocol}
    if ports:
        base["ports"] = ports
    if protocol in (1, 58):
        base.update(icmp_of(protocol, rule.get("from_port"), rule.get("to_port")))
    if rule.get("description"):
        base["description"] = rule["description"]
    peer_key = "source" if direction == "ingress" else "destination"
    peers: list[str] = []
    flags = flags if isinstance(flags, dict) else {}

    def where(key: str) -> tuple[str | int, ...]:
        return (*path, key) if path else (key,)

    def referenced(key: str) -> bool:
        return reader.references(instance, where(key)) is not None

    for key in ("cidr_blocks", "ipv6_cidr_blocks"):
        values = rule.get(key)
        if isinstance(values, list) and flags.get(key) is not True:
            peers += [v for v in values if isinstance(v, str) and v]
        elif flags.get(key) is True or (values is None and referenced(key)):
            reader.builder.warn(instance.address, f"{key} of an {direction} rule are known only after apply; not read")
    for key in ("cidr_ipv4", "cidr_ipv6"):
        if rule.get(key):
            peers.append(rule[key])
    for key in ("prefix_list_ids", "prefix_list_id", "security_groups", "source_security_group_id",
                "referenced_security_group_id"):
        if not (rule.get(key) or referenced(key)):
            continue
        if isinstance(rule.get(key), list) or key in ("prefix_list_ids", "security_groups"):
            many = reader.links(instance, key, path=where(key) if path else None, values=rule, unknown=flags)
        else:
            one = reader.link(instance, key, "peer", path=where(key) if path else None, values=rule, unknown=flags)
            many = [one] if one else []
        peers += [GroupRef(p) if "security_group" in key else p for p in many]
    if rule.get("self"):
        peers.append(GroupRef(group))
    if not peers:
        reader.builder.warn(instance.address, f"an {direction} rule has no known peer; not read")
    return [{**base, peer_key: peer} for peer in peers]


def _blocks(reader: _Reader, instance: Instance, attribute: str) -> list[tuple[dict[str, Any], Any, tuple]]:
    """Inline blocks (``ingress``, ``route``...): known values with their unknown flags, or, when the
    whole set is known only after apply, rebuilt from the configuration (constants and references)."""
    flags_all = instance.unknown.get(attribute) if isinstance(instance.unknown, dict) else None
    values = instance.values.get(attribute)
    if flags_all is not True and isinstance(values, list):
        return [(block, flags_all[i] if isinstance(flags_all, list) and i < len(flags_all) else {}, (attribute, i))
                for i, block in enumerate(values) if isinstance(block, dict)]
    if flags_all is not True:
        return []
    expressions = reader.expression(instance, (attribute,))
    if not isinstance(expressions, list):
        if expressions is not None:
            reader.builder.warn(instance.address, f"{attribute} is known only after apply; not read")
        return []
    blocks = []
    for i, expression in enumerate(expressions):
        if not isinstance(expression, dict):
            continue
        block = {k: v["constant_value"] for k, v in expression.items() if isinstance(v, dict) and "constant_value" in v}
        flags = {k: True for k, v in expression.items() if isinstance(v, dict) and "references" in v}
        blocks.append((block, flags, (attribute, i)))
    return blocks


def _security_group(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    body: dict[str, Any] = {"ingress": [], "egress": []}
    if values.get("description") and values.get("description") != "Managed by Terraform":
        body["description"] = values["description"]
    for direction in ("ingress", "egress"):
        for rule, flags, path in _blocks(reader, instance, direction):
            body[direction] += _sg_rules(reader, instance, rule, direction, instance.address, path, flags)
    if instance.type == "aws_default_security_group":
        vpc = reader.vpc_link(instance)
        vpc_record = reader.builder.lookup(vpc)
        if vpc_record is not None and vpc_record.kind == "vpcs":
            vpc_record.body["default_security_group"] = instance.address
    else:
        vpc = reader.vpc_link(instance)
    reader.add("security_groups", instance, body, vpc=vpc)


def _sg_rule_resource(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    if instance.type == "aws_security_group_rule":
        direction = values.get("type", "ingress")
    else:
        direction = "ingress" if instance.type.endswith("ingress_rule") else "egress"
    group_ref = reader.link(instance, "security_group_id", "security group")
    group = reader.builder.edit(group_ref, "security_groups", instance.address, "security group")
    if group is None:
        return
    rules = _sg_rules(reader, instance, values, direction, group.name, None, instance.unknown)
    existing = group.body.setdefault(direction, [])
    # A state (or a plan's known values) lists separately managed rules inline as well.
    existing.extend(rule for rule in rules if not any(_same_rule(rule, other) for other in existing))


def _same_rule(rule: dict[str, Any], other: dict[str, Any]) -> bool:
    keys = ("protocol", "ports", "icmp_type", "icmp_code", "source", "destination")
    return all(str(rule.get(k)) == str(other.get(k)) for k in keys)


def _peering(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    body = {
        "requester": reader.link(instance, "vpc_id", "VPC"),
        "accepter": reader.link(instance, "peer_vpc_id", "peer VPC"),
        "state": "active" if values.get("auto_accept") else "pending-acceptance",
    }
    if body["requester"] is None or body["accepter"] is None:
        reader.builder.warn(instance.address, "a VPC of the peering is not known; not read")
        return
    reader.add("peering_connections", instance, body)


def _peering_accepter(reader: _Reader, instance: Instance) -> None:
    record = reader.builder.lookup(reader.link(instance, "vpc_peering_connection_id", "peering"), "peering_connections")
    if record is not None and instance.values.get("auto_accept"):
        record.body["state"] = "active"


def _transit_gateway(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    body: dict[str, Any] = {"region": reader.region}
    if values.get("amazon_side_asn"):
        body["asn"] = int(values["amazon_side_asn"])
    # AWS's default is "disable"; NET003 reports "enable".
    body["auto_accept_shared_attachments"] = values.get("auto_accept_shared_attachments") == "enable"
    reader.add("transit_gateways", instance, body)
    reader.builder.tgw_defaults[instance.address] = (
        values.get("default_route_table_association", "enable") == "enable",
        values.get("default_route_table_propagation", "enable") == "enable",
    )


def _tgw_attachment(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    body = {
        "type": "vpc",
        "vpc": reader.link(instance, "vpc_id", "VPC"),
        "subnets": reader.links(instance, "subnet_ids"),
        "appliance_mode": values.get("appliance_mode_support") == "enable",
    }
    reader.add("tgw_attachments", instance, body, parent=reader.link(instance, "transit_gateway_id", "TGW"))


def _vpn_connection(reader: _Reader, instance: Instance) -> None:
    """A site-to-site VPN: the on-premises network behind its customer gateway (VGW-01, TGW-01).

    Its networks are the connection's static routes (``routes`` in a state, ``aws_vpn_connection_route``
    resources) and, for a transit gateway VPN, ``local_ipv4_network_cidr`` (the customer side). A VPN on
    a transit gateway also becomes the TGW's ``vpn`` attachment; one whose telemetry shows every tunnel
    DOWN carries nothing.
    """
    values = instance.values
    cidrs = [r["destination_cidr_block"] for r in values.get("routes") or []
             if isinstance(r, dict) and r.get("destination_cidr_block") and r.get("state", "available") == "available"]
    local = values.get("local_ipv4_network_cidr")
    if isinstance(local, str) and local and local != "0.0.0.0/0":
        cidrs.append(local)
    telemetry = [t for t in values.get("vgw_telemetry") or [] if isinstance(t, dict)]
    down = bool(telemetry) and all(str(t.get("status", "")).upper() == "DOWN" for t in telemetry)
    customer = reader.link(instance, "customer_gateway_id", "customer gateway") if (
        values.get("customer_gateway_id") or reader.references(instance, ("customer_gateway_id",))) else None
    via = None
    if values.get("vpn_gateway_id") or reader.references(instance, ("vpn_gateway_id",)):
        via = reader.link(instance, "vpn_gateway_id", "VPN gateway")
    elif values.get("transit_gateway_id") or reader.references(instance, ("transit_gateway_id",)):
        tgw = reader.link(instance, "transit_gateway_id", "transit gateway")
        via = f"{instance.address}/attachment"
        body = {"type": "vpn", "remote_cidrs": list(cidrs)}
        if isinstance(values.get("transit_gateway_attachment_id"), str):
            body["id"] = values["transit_gateway_attachment_id"]
        reader.builder.add("tgw_attachments", via, body, parent=tgw, position=reader.position(instance.address))
    if not cidrs and not values.get("static_routes_only"):
        reader.builder.warn(instance.address, "learns its routes by BGP, which the plan does not record; only routes "
                            "pointing at its gateway say what is on premises")
    reader.add("on_premises", instance, {"cidrs": cidrs, "via": via, "state": "down" if down else "available",
                                         "id": reader.builder.lookup(customer).body.get("id") if customer and
                                         reader.builder.lookup(customer) else None})


def _vpn_connection_route(reader: _Reader, instance: Instance) -> None:
    connection = reader.link(instance, "vpn_connection_id", "VPN connection")
    cidr = instance.values.get("destination_cidr_block")
    record = reader.builder.edit(connection, "on_premises", instance.address, "VPN connection")
    if record is None or not isinstance(cidr, str) or not cidr:
        return
    record.body.setdefault("cidrs", []).append(cidr)
    attachment = reader.builder.lookup(f"{connection}/attachment")
    if attachment is not None:
        attachment.body.setdefault("remote_cidrs", []).append(cidr)


def _customer_gateway(reader: _Reader, instance: Instance) -> None:
    reader.builder.add("customer_gateways", instance.address,
                       {k: v for k, v in {"id": instance.values.get("id"), "ip": instance.values.get("ip_address")}.items()
                        if isinstance(v, str)})


def _dx_gateway_association(reader: _Reader, instance: Instance) -> None:
    """A Direct Connect gateway on a transit gateway: a ``direct-connect-gateway`` attachment.

    The on-premises prefixes arrive by BGP, which a plan does not record; TGW routes pointing at the
    attachment (and VGW routes in route tables, for a DX gateway on a VGW) say what is on premises.
    """
    gateway = instance.values.get("associated_gateway_id")
    kind = instance.values.get("associated_gateway_type")
    target = reader.link(instance, "associated_gateway_id", "gateway") if (
        gateway or reader.references(instance, ("associated_gateway_id",))) else None
    record = reader.builder.lookup(target)
    if kind == "transitGateway" or (record is not None and record.kind == "transit_gateways"):
        reader.builder.add("tgw_attachments", f"{instance.address}/attachment", {"type": "direct-connect-gateway"},
                           parent=target, position=reader.position(instance.address))
    reader.builder.warn(instance.address, "Direct Connect prefixes are learned by BGP, which the input does not "
                        "record; only routes pointing at the gateway say what is on premises")


def _tgw_route_table(reader: _Reader, instance: Instance) -> None:
    reader.add("tgw_route_tables", instance, {"routes": []},
               parent=reader.link(instance, "transit_gateway_id", "TGW"))


def _tgw_attachment_link(reader: _Reader, instance: Instance) -> str | None:
    """The TGW attachment an attribute names; ``aws_vpn_connection.X.transit_gateway_attachment_id`` is the VPN
    connection's own attachment (read as ``<connection>/attachment``)."""
    name = reader.link(instance, "transit_gateway_attachment_id", "attachment")
    if name is not None and reader.builder.lookup(name, "tgw_attachments") is None and \
            reader.builder.lookup(f"{name}/attachment", "tgw_attachments") is not None:
        return f"{name}/attachment"
    return name


def _tgw_table_link(reader: _Reader, instance: Instance) -> str | None:
    """The TGW route table an attribute names; ``aws_ec2_transit_gateway.X.association_default_route_table_id``
    (or the propagation one) is the transit gateway's default route table."""
    name = reader.link(instance, "transit_gateway_route_table_id", "TGW route table")
    tgw = reader.builder.lookup(name, "transit_gateways") if name is not None else None
    if tgw is None:
        return name
    table = f"{tgw.name}-default-route-table"
    if reader.builder.lookup(table, "tgw_route_tables") is None:
        reader.builder.add("tgw_route_tables", table, {"routes": []}, parent=tgw.name, position=tgw.position)
    return table


def _tgw_association(reader: _Reader, instance: Instance) -> None:
    attachment = reader.builder.edit(_tgw_attachment_link(reader, instance), "tgw_attachments", instance.address,
                                     "TGW attachment")
    table = _tgw_table_link(reader, instance)
    if attachment is None or table is None:
        return
    if instance.type.endswith("association"):
        attachment.body["route_table"] = reader.builder.name_of(table)
    else:
        attachment.body.setdefault("propagate_to", []).append(reader.builder.name_of(table))


def _tgw_route(reader: _Reader, instance: Instance) -> None:
    table = reader.builder.edit(_tgw_table_link(reader, instance), "tgw_route_tables", instance.address,
                                "TGW route table")
    if table is None:
        return
    route: dict[str, Any] = {"destination": instance.values.get("destination_cidr_block")}
    if instance.values.get("blackhole"):
        route["blackhole"] = True
    else:
        route["attachment"] = _tgw_attachment_link(reader, instance)
        if route["attachment"] is None:
            return
    table.body["routes"].append(route)


def _endpoint(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    kind = str(values.get("vpc_endpoint_type") or "Gateway").lower()
    body = {
        "service": values.get("service_name"),
        "type": {"gateway": "gateway", "interface": "interface", "gatewayloadbalancer": "gateway_load_balancer"}.get(
            kind, "interface"),
        "route_tables": reader.links(instance, "route_table_ids"),
        "subnets": reader.links(instance, "subnet_ids"),
        "security_groups": [GroupRef(g) for g in reader.links(instance, "security_group_ids")],
    }
    reader.add("endpoints", instance, body, vpc=reader.vpc_link(instance))


def _network_firewall(reader: _Reader, instance: Instance) -> None:
    """An AWS Network Firewall: its endpoint is a route target (VPCE-06), named by the firewall's address.

    Routes reach it through ``firewall_status[0].sync_states[*].attachment[0].endpoint_id``, a reference to
    the firewall; with several subnet mappings the endpoint of each AZ cannot be told apart in a plan.
    """
    mappings = instance.values.get("subnet_mapping") or []
    subnets = []
    for index, mapping in enumerate(mappings if isinstance(mappings, list) else []):
        if isinstance(mapping, dict):
            subnet = reader.link(instance, "subnet_id", "subnet", path=("subnet_mapping", index, "subnet_id"),
                                 values=mapping, unknown=None)
            if subnet:
                subnets.append(subnet)
    if not subnets:
        reader.builder.warn(instance.address, "no subnet mapping is known; the firewall's endpoint is not read")
        return
    if len(subnets) > 1:
        reader.builder.warn(instance.address, f"{len(subnets)} subnet mappings: routes to the firewall are read as "
                            f"routes to its endpoint in {subnets[0]} (a plan does not say which AZ's endpoint a "
                            "route names)")
    body = {"service": "network-firewall", "type": "network_firewall", "subnets": subnets[:1]}
    reader.add("endpoints", instance, body, vpc=reader.vpc_link(instance))


def _endpoint_association(reader: _Reader, instance: Instance) -> None:
    endpoint = reader.builder.edit(reader.link(instance, "vpc_endpoint_id", "endpoint"), "endpoints",
                                   instance.address, "VPC endpoint")
    if endpoint is None:
        return
    for key, field_name in (("route_table_id", "route_tables"), ("subnet_id", "subnets")):
        if instance.values.get(key) or reader.references(instance, (key,)):
            target = reader.link(instance, key, key)
            if target:
                endpoint.body.setdefault(field_name, []).append(target)


def _instance(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    subnet = reader.link(instance, "subnet_id", "subnet")
    groups = reader.links(instance, "vpc_security_group_ids") or reader.links(instance, "security_groups")
    body = {
        "subnet": subnet,
        "private_ip": values.get("private_ip") or None,
        "secondary_private_ips": list(values.get("secondary_private_ips") or []),
        "security_groups": [GroupRef(g) for g in groups],
        "source_dest_check": values.get("source_dest_check", True) is not False,
    }
    if values.get("associate_public_ip_address") is not None:
        body["public_ip"] = bool(values["associate_public_ip_address"])  # false: none, whatever the subnet says
    if values.get("public_ip"):
        body["public_ip"] = values["public_ip"]
    for position, interface in enumerate(values.get("network_interface") or []):
        if isinstance(interface, dict) and str(interface.get("device_index")) == "0":
            flags = instance.unknown.get("network_interface") if isinstance(instance.unknown, dict) else None
            eni = reader.link(instance, "network_interface_id", "network interface",
                              path=("network_interface", position, "network_interface_id"), values=interface,
                              unknown=flags[position] if isinstance(flags, list) and position < len(flags) else {})
            if eni:
                reader.builder.primary_interfaces[instance.address] = eni
                subnet = subnet or eni
    if subnet is None:
        reader.builder.warn(instance.address, "its subnet is not known; not read")
        return
    reader.add("instances", instance, body, vpc=subnet)


def _network_interface(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    subnet = reader.link(instance, "subnet_id", "subnet")
    ips = [ip for ip in values.get("private_ips") or [] if isinstance(ip, str)]
    primary = values.get("private_ip") or (ips[0] if ips else None)
    attached = None
    for attachment in values.get("attachment") or []:
        if isinstance(attachment, dict) and attachment.get("instance"):
            attached = reader.builder.name_of(attachment["instance"])
    body = {
        "subnet": subnet,
        "private_ip": primary,
        "secondary_private_ips": [ip for ip in ips if ip != primary],
        "security_groups": [GroupRef(g) for g in reader.links(instance, "security_groups")],
        "source_dest_check": values.get("source_dest_check", True) is not False,
        "instance": attached,
    }
    if subnet is None:
        reader.builder.warn(instance.address, "its subnet is not known; not read")
        return
    reader.add("network_interfaces", instance, body, vpc=subnet)


def _eni_attachment(reader: _Reader, instance: Instance) -> None:
    eni = reader.builder.edit(reader.link(instance, "network_interface_id", "ENI"), "network_interfaces",
                              instance.address, "network interface")
    target = reader.link(instance, "instance_id", "instance")
    if eni is not None and target:
        eni.body["instance"] = target


def _prefix_list(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    body = {
        "cidrs": [e["cidr"] for e in values.get("entry") or [] if isinstance(e, dict) and e.get("cidr")],
        "max_entries": values.get("max_entries"),
        "address_family": values.get("address_family") or "IPv4",
    }
    reader.add("prefix_lists", instance, body)


def _prefix_list_entry(reader: _Reader, instance: Instance) -> None:
    record = reader.builder.edit(reader.link(instance, "prefix_list_id", "prefix list"), "prefix_lists",
                                 instance.address, "prefix list")
    if record is not None and instance.values.get("cidr"):
        record.body.setdefault("cidrs", []).append(instance.values["cidr"])


def _load_balancer(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    subnets = reader.links(instance, "subnets")
    for mapping in values.get("subnet_mapping") or []:
        if isinstance(mapping, dict) and mapping.get("subnet_id"):
            subnets.append(reader.builder.name_of(mapping["subnet_id"]))
    if not subnets:
        reader.builder.warn(instance.address, "its subnets are not known; not read")
        return
    body = {
        "type": "network" if values.get("load_balancer_type") == "network" else "application",
        "scheme": "internal" if values.get("internal") else "internet-facing",
        "subnets": subnets,
        "security_groups": [GroupRef(g) for g in reader.links(instance, "security_groups")],
        "listeners": [],
    }
    if values.get("load_balancer_type") not in (None, "application", "network"):
        reader.builder.warn(instance.address, f"{values['load_balancer_type']} load balancers are not modelled; not read")
        return
    reader.add("load_balancers", instance, body, vpc=subnets[0])


def _listener(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    balancer = reader.builder.edit(reader.link(instance, "load_balancer_arn", "load balancer"), "load_balancers",
                                   instance.address, "load balancer")
    if balancer is None:
        return
    if values.get("port") is None or values.get("protocol") is None:
        reader.builder.warn(instance.address, "its port or protocol is not known; not read")
        return
    listener: dict[str, Any] = {"protocol": values["protocol"], "port": int(values["port"])}
    for position, action in enumerate(values.get("default_action") or []):
        if isinstance(action, dict) and action.get("type") == "forward":
            flags = instance.unknown.get("default_action") if isinstance(instance.unknown, dict) else None
            flag = flags[position] if isinstance(flags, list) and position < len(flags) else {}
            target = reader.link(instance, "target_group_arn", "target group",
                                 path=("default_action", position, "target_group_arn"), values=action, unknown=flag)
            if target:
                listener["target_group"] = target
    balancer.body["listeners"].append(listener)


def _target_group(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    if values.get("port") is None:
        reader.builder.warn(instance.address, "its port is not known (or it targets Lambda); not read")
        return
    body = {"protocol": values.get("protocol") or "HTTP", "port": int(values["port"]), "targets": []}
    preserve = values.get("preserve_client_ip")  # a string "true"/"false" in plans; absent: AWS's default
    if isinstance(preserve, (str, bool)) and str(preserve).lower() in ("true", "false"):
        body["preserve_client_ip"] = str(preserve).lower() == "true"
    reader.add("target_groups", instance, body, vpc=reader.vpc_link(instance))


def _target_attachment(reader: _Reader, instance: Instance) -> None:
    group = reader.builder.edit(reader.link(instance, "target_group_arn", "target group"), "target_groups",
                                instance.address, "target group")
    target = reader.link(instance, "target_id", "target")
    if group is not None and target:
        group.body["targets"].append(target)


def _db_subnet_group(reader: _Reader, instance: Instance) -> None:
    subnets = reader.links(instance, "subnet_ids")
    if not subnets:
        reader.builder.warn(instance.address, "its subnets are not known; not read")
        return
    reader.add("db_subnet_groups", instance, {"subnets": subnets}, vpc=subnets[0])


def _db_instance(reader: _Reader, instance: Instance) -> None:
    values = instance.values
    name = values.get("db_subnet_group_name")
    group = next((i.address for i in reader.instances.values()
                  if i.type == "aws_db_subnet_group" and name and i.values.get("name") == name), None)
    group = group or reader.link(instance, "db_subnet_group_name", "DB subnet group")
    if group is None:
        reader.builder.warn(instance.address, "its DB subnet group is not known; not read")
        return
    engine = str(values.get("engine") or "postgres")
    body = {
        "engine": engine,
        "port": rds_port(engine, values.get("port")),
        "subnet_group": group,
        "security_groups": [GroupRef(g) for g in reader.links(instance, "vpc_security_group_ids")],
        "publicly_accessible": bool(values.get("publicly_accessible")),
        "multi_az": bool(values.get("multi_az")),
        "private_ip": None,
    }
    reader.add("rds_instances", instance, body, vpc=group)


_HANDLERS = {
    "aws_vpc": _vpc, "aws_default_vpc": _vpc, "data.aws_vpc": _vpc,
    "aws_vpc_ipv4_cidr_block_association": _cidr_association,
    "aws_vpc_ipv6_cidr_block_association": _cidr_association,
    "aws_subnet": _subnet, "aws_default_subnet": _subnet, "data.aws_subnet": _subnet,
    "aws_route_table": _route_table, "aws_default_route_table": _route_table,
    "aws_route": _route_resource,
    "aws_route_table_association": _route_association,
    "aws_main_route_table_association": _main_association,
    "aws_vpn_gateway_route_propagation": _vgw_propagation,
    "aws_vpn_connection": _vpn_connection,
    "aws_vpn_connection_route": _vpn_connection_route,
    "aws_customer_gateway": _customer_gateway,
    "aws_dx_gateway_association": _dx_gateway_association,
    "aws_dx_gateway": lambda reader, instance: None,  # only its associations place it
    "aws_internet_gateway": _gateway("internet_gateways"),
    "aws_egress_only_internet_gateway": _gateway("egress_only_internet_gateways"),
    "aws_vpn_gateway": _gateway("vpn_gateways"),
    "aws_internet_gateway_attachment": _gateway_attachment,
    "aws_vpn_gateway_attachment": _gateway_attachment,
    "aws_nat_gateway": _nat_gateway,
    "aws_eip": _eip, "aws_eip_association": _eip,
    "aws_flow_log": _flow_log,
    "aws_network_acl": _network_acl, "aws_default_network_acl": _network_acl,
    "aws_network_acl_rule": _nacl_rule_resource,
    "aws_network_acl_association": _nacl_association,
    "aws_security_group": _security_group, "aws_default_security_group": _security_group,
    "aws_security_group_rule": _sg_rule_resource,
    "aws_vpc_security_group_ingress_rule": _sg_rule_resource,
    "aws_vpc_security_group_egress_rule": _sg_rule_resource,
    "aws_vpc_peering_connection": _peering,
    "aws_vpc_peering_connection_accepter": _peering_accepter,
    "aws_ec2_transit_gateway": _transit_gateway,
    "aws_ec2_transit_gateway_vpc_attachment": _tgw_attachment,
    "aws_ec2_transit_gateway_route_table": _tgw_route_table,
    "aws_ec2_transit_gateway_route_table_association": _tgw_association,
    "aws_ec2_transit_gateway_route_table_propagation": _tgw_association,
    "aws_ec2_transit_gateway_route": _tgw_route,
    "aws_vpc_endpoint": _endpoint,
    "aws_networkfirewall_firewall": _network_firewall,
    "aws_vpc_endpoint_route_table_association": _endpoint_association,
    "aws_vpc_endpoint_subnet_association": _endpoint_association,
    "aws_instance": _instance,
    "aws_network_interface": _network_interface,
    "aws_network_interface_attachment": _eni_attachment,
    "aws_ec2_managed_prefix_list": _prefix_list,
    "aws_ec2_managed_prefix_list_entry": _prefix_list_entry,
    "aws_lb": _load_balancer, "aws_alb": _load_balancer,
    "aws_lb_listener": _listener, "aws_alb_listener": _listener,
    "aws_lb_target_group": _target_group, "aws_alb_target_group": _target_group,
    "aws_lb_target_group_attachment": _target_attachment, "aws_alb_target_group_attachment": _target_attachment,
    "aws_db_subnet_group": _db_subnet_group,
    "aws_db_instance": _db_instance,
}
_PASS.update({t: 4 for t in _HANDLERS if t not in _PASS})


def _module_of(address: str) -> str:
    """The module instance part of a resource address.

    >>> _module_of('module.a["k"].module.b.aws_vpc.x[0]'), _module_of("aws_vpc.x")
    ('module.a["k"].module.b', '')
    """
    parts = []
    rest = address
    while rest.startswith("module."):
        match = _MODULE.match(rest)
        if match is None:
            break
        parts.append(match.group(0))
        rest = rest[match.end():].lstrip(".")
    return ".".join(parts)


def _index_value(text: str) -> int | str:
    inner = text.strip("[]")
    return inner.strip('"') if inner.startswith('"') else int(inner)


def _address_positions(text: str) -> dict[str, tuple[int, int]]:
    """Line and column of the first ``"address": "…"`` of each resource (planned values come first).

    >>> _address_positions('{"a": 1,' + chr(10) + '  "address": "aws_vpc.x"}')
    {'aws_vpc.x': (2, 3)}
    """
    positions: dict[str, tuple[int, int]] = {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for match in re.finditer(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"', text):
        try:
            address = json.loads(f'"{match.group(1)}"')
        except json.JSONDecodeError:
            continue
        if address not in positions:
            line = bisect.bisect_right(line_starts, match.start())
            positions[address] = (line, match.start() - line_starts[line - 1] + 1)
    return positions


def _design_name(file: str) -> str:
    import os

    return os.path.splitext(os.path.basename(file))[0] or "terraform"
