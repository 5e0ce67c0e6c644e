"""What the infrastructure-as-code readers (Terraform, CloudFormation) share.

Both readers translate their own resources into *records* of a :class:`Builder`: a design
collection (``subnets``, ``route_tables``...), a body in the native design's shape, and the
reference that places it in a VPC (a VPC, or any resource whose VPC is known, such as the
subnet of a NAT gateway). Relationship resources (routes, associations, rules, attachments)
then edit the records they name. :meth:`Builder.build` places every record in its VPC,
validates each one on its own (a resource that does not fit the model becomes a warning
instead of sinking the whole file) and returns the :class:`~vpckit.model.Design`.

References are names of records (Terraform addresses, CloudFormation logical ids) or AWS ids
of resources outside the file. A reference that names nothing stays as written, so the
reference checks report it; it is never replaced by a guess.

>>> b = Builder("plan.json", "terraform")
>>> _ = b.add("vpcs", "aws_vpc.main", {"cidr": "10.0.0.0/16"})
>>> _ = b.add("subnets", "aws_subnet.a", {"az": "us-east-1a", "cidr": "10.0.1.0/24"}, vpc="aws_vpc.main")
>>> d = b.build()
>>> d.vpcs["aws_vpc.main"].subnets["aws_subnet.a"].cidr
IPNetwork('10.0.1.0/24')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from ..model import Design, Position, SourceMap
from ..model import resources as model

__all__ = ["Builder", "GroupRef", "Record", "DEFAULT_VPC", "DEFAULT_VPC_CIDR", "ports_of", "icmp_of", "rds_port"]

#: The name given to a region's default VPC when a resource is placed there implicitly.
DEFAULT_VPC = "default-vpc"
#: AWS creates every default VPC with this CIDR (aws-semantics VPC defaults).
DEFAULT_VPC_CIDR = "172.31.0.0/16"

VPC_COLLECTIONS: dict[str, type[BaseModel]] = {
    "subnets": model.Subnet,
    "route_tables": model.RouteTable,
    "network_acls": model.NetworkAcl,
    "security_groups": model.SecurityGroup,
    "internet_gateways": model.InternetGateway,
    "egress_only_internet_gateways": model.EgressOnlyInternetGateway,
    "vpn_gateways": model.VpnGateway,
    "nat_gateways": model.NatGateway,
    "instances": model.Instance,
    "network_interfaces": model.NetworkInterface,
    "endpoints": model.VpcEndpoint,
    "load_balancers": model.LoadBalancer,
    "target_groups": model.TargetGroup,
    "db_subnet_groups": model.DbSubnetGroup,
    "rds_instances": model.RdsInstance,
    "flow_logs": model.FlowLog,
}
DESIGN_COLLECTIONS: dict[str, type[BaseModel]] = {
    "peering_connections": model.PeeringConnection,
    "transit_gateways": model.TransitGateway,
    "prefix_lists": model.PrefixList,
    "elastic_ips": model.ElasticIp,
    "on_premises": model.OnPremisesNetwork,
}
TGW_CHILDREN = {"tgw_attachments": "attachments", "tgw_route_tables": "route_tables"}


class GroupRef(str):
    """A security-group reference in a rule; written ``vpc/name`` when the group is in another VPC."""


@dataclass
class Record:
    """One resource on its way into the design."""

    kind: str
    name: str
    body: dict[str, Any]
    vpc: str | None = None
    position: Position | None = None
    parent: str | None = None


@dataclass
class Builder:
    """Collects records, resolves their VPCs and builds the :class:`Design`."""

    file: str
    kind: str
    region: str = "us-east-1"
    name: str = "design"
    records: dict[str, Record] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Every resource name the source declares (read or not), to tell "not read" from "not defined".
    declared: set[str] = field(default_factory=set)
    #: Instance → the network interface record that is its primary (device 0) interface.
    primary_interfaces: dict[str, str] = field(default_factory=dict)
    #: Transit gateway → (default route table association, default propagation) enabled.
    tgw_defaults: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    _ids: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ collecting

    def warn(self, who: str, message: str) -> None:
        """Record a warning naming the resource (address or logical id) it is about."""
        text = f"{who}: {message}"
        if text not in self.warnings:
            self.warnings.append(text)

    def add(
        self,
        kind: str,
        name: str,
        body: dict[str, Any],
        vpc: str | None = None,
        position: Position | None = None,
        parent: str | None = None,
    ) -> Record:
        """Add a resource. ``vpc`` names its VPC or any record whose VPC is known."""
        record = Record(kind, name, body, vpc, position, parent)
        self.records[name] = record
        if body.get("id"):
            self._ids[body["id"]] = name
        return record

    def lookup(self, ref: str | None, kind: str | None = None) -> Record | None:
        """The record ``ref`` names (by name, then AWS id), optionally only of one kind.

        >>> b = Builder("f", "terraform")
        >>> _ = b.add("subnets", "s", {"id": "subnet-1", "az": "a", "cidr": "10.0.0.0/24"})
        >>> b.lookup("subnet-1").name, b.lookup("s", "vpcs")
        ('s', None)
        """
        if ref is None:
            return None
        record = self.records.get(ref)
        if record is None and ref in self._ids:
            record = self.records.get(self._ids[ref])
        if record is None or (kind is not None and record.kind != kind):
            return None
        return record

    def name_of(self, ref: str | None) -> str | None:
        """The design name for ``ref``: the record's name, or ``ref`` itself when it names no record.

        >>> b = Builder("f", "cloudformation")
        >>> _ = b.add("vpcs", "Vpc", {"id": "vpc-1", "cidr": "10.0.0.0/16"})
        >>> b.name_of("vpc-1"), b.name_of("vpc-elsewhere")
        ('Vpc', 'vpc-elsewhere')
        """
        record = self.lookup(ref)
        return record.name if record else ref

    def edit(self, ref: str | None, kind: str, who: str, what: str) -> Record | None:
        """The record of ``kind`` that a relationship resource ``who`` edits; a warning when absent.

        >>> b = Builder("t.yaml", "cloudformation")
        >>> b.edit("rtb-123", "route_tables", "Route", "route table") is None, b.warnings
        (True, ['Route: route table rtb-123 is not defined in t.yaml; not read'])
        """
        record = self.lookup(ref, kind)
        if record is None:
            if ref is None:
                self.warn(who, f"the {what} it belongs to is not known; not read")
            else:
                self.warn(who, f"{what} {self.missing(ref)}; not read")
        return record

    def missing(self, ref: str) -> str:
        """Why ``ref`` names no record: declared but not read, or not in the source at all.

        >>> b = Builder("t.yaml", "cloudformation", declared={"Eth0"})
        >>> b.missing("Eth0"), b.missing("subnet-1")
        ('Eth0 was not read', 'subnet-1 is not defined in t.yaml')
        """
        return f"{ref} was not read" if ref in self.declared else f"{ref} is not defined in {self.file}"

    def ensure_default_vpc(self, who: str) -> str:
        """The region's default VPC, for resources created without a VPC (a documented AWS default).

        >>> b = Builder("t.yaml", "cloudformation")
        >>> b.ensure_default_vpc("Sg"), b.records["default-vpc"].body["cidr"]
        ('default-vpc', '172.31.0.0/16')
        """
        if DEFAULT_VPC not in self.records:
            self.add("vpcs", DEFAULT_VPC, {"cidr": DEFAULT_VPC_CIDR, "description": "The region's default VPC",
                                           "is_default": True})
        self.warn(who, f"no VPC given, so it is in the region's default VPC ({DEFAULT_VPC}, {DEFAULT_VPC_CIDR})")
        return DEFAULT_VPC

    # ------------------------------------------------------------------ building

    def vpc_of(self, ref: str | None) -> str | None:
        """The VPC record name that ``ref`` is in (following subnets, route tables... to their VPC).

        >>> b = Builder("f", "terraform")
        >>> _ = b.add("vpcs", "v", {"cidr": "10.0.0.0/16"})
        >>> _ = b.add("subnets", "s", {"az": "a", "cidr": "10.0.0.0/24"}, vpc="v")
        >>> _ = b.add("nat_gateways", "n", {"subnet": "s"}, vpc="s")
        >>> b.vpc_of("n"), b.vpc_of("nowhere")
        ('v', None)
        """
        seen: set[str] = set()
        while ref is not None and ref not in seen:
            seen.add(ref)
            record = self.lookup(ref)
            if record is None:
                return None
            if record.kind == "vpcs":
                return record.name
            ref = record.vpc
        return None

    def build(self) -> Design:
        """Place, validate and assemble every record into a :class:`Design`."""
        self._default_tgw_route_tables()
        self._merge_primary_interfaces()
        positions: dict[tuple, Position] = {(): Position(self.file, 1, 1)}
        vpcs: dict[str, dict[str, Any]] = {}
        placed: dict[str, str] = {}
        for record in self._of_kind(["vpcs"]):
            vpcs[record.name] = dict(record.body)
            if record.position:
                positions[("vpcs", record.name)] = record.position
        for record in self._of_kind(VPC_COLLECTIONS):
            vpc = self.vpc_of(record.vpc)
            if vpc is None:
                where = self.missing(record.vpc) if record.vpc else "it has no known VPC"
                self.warn(record.name, f"not read: {where}")
                continue
            placed[record.name] = vpc
        for record in self._of_kind(VPC_COLLECTIONS):
            vpc = placed.get(record.name)
            if vpc is None:
                continue
            body = self._localise(record.body, vpc, placed)
            resource = self._validate(VPC_COLLECTIONS[record.kind], body, record.name)
            if resource is None:
                continue
            vpcs[vpc].setdefault(record.kind, {})[record.name] = resource
            if record.position:
                positions[("vpcs", vpc, record.kind, record.name)] = record.position
        design_level: dict[str, dict[str, Any]] = {}
        for record in self._of_kind(DESIGN_COLLECTIONS):
            body = dict(record.body)
            if record.kind == "transit_gateways":
                body.update(self._tgw_children(record))
            if record.kind == "elastic_ips" and not body.get("vpc"):
                user = body.get("instance") or body.get("network_interface") or body.get("nat_gateway")
                body["vpc"] = self.vpc_of(user)
            resource = self._validate(DESIGN_COLLECTIONS[record.kind], body, record.name)
            if resource is not None:
                design_level.setdefault(record.kind, {})[record.name] = resource
                if record.position:
                    positions[(record.kind, record.name)] = record.position
        built_vpcs = {}
        for name, body in vpcs.items():
            vpc = self._validate(model.Vpc, body, name)
            if vpc is not None:
                built_vpcs[name] = vpc
        design = Design(name=self.name, region=self.region, vpcs=built_vpcs, **design_level)
        source = SourceMap(file=self.file, positions=positions, kind=self.kind, warnings=list(self.warnings))
        return design.with_source(source)

    def _default_tgw_route_tables(self) -> None:
        """A transit gateway's default route table: attachments without an explicit association are
        associated with it and, when default propagation is on, propagate to it (TGW-03)."""
        for tgw, (associate, propagate) in self.tgw_defaults.items():
            if not (associate or propagate) or tgw not in self.records:
                continue
            table = f"{tgw}-default-route-table"
            if self.lookup(table, "tgw_route_tables") is None:  # a route may have named it already
                self.add("tgw_route_tables", table, {"routes": []}, parent=tgw, position=self.records[tgw].position)
            for record in self._of_kind(["tgw_attachments"]):
                if self.name_of(record.parent) != tgw:
                    continue
                if associate and not record.body.get("route_table"):
                    record.body["route_table"] = table
                if propagate:
                    record.body.setdefault("propagate_to", []).append(table)

    def _merge_primary_interfaces(self) -> None:
        """An instance whose device-0 interface is a separate interface resource: that interface *is*
        the instance's primary one, so its subnet, addresses and groups become the instance's."""
        for instance_name, eni_name in self.primary_interfaces.items():
            instance = self.lookup(instance_name, "instances")
            eni = self.lookup(eni_name, "network_interfaces")
            if instance is None or eni is None:
                continue
            for key in ("subnet", "private_ip", "secondary_private_ips", "security_groups", "source_dest_check",
                        "public_ip", "ipv6_addresses"):
                if key in eni.body:
                    instance.body[key] = eni.body[key]
            instance.vpc = eni.vpc
            del self.records[eni.name]
            self.warn(eni.name, f"the primary interface of {instance.name}; read as part of it")

    def _of_kind(self, kinds: Iterable[str]) -> list[Record]:
        wanted = set(kinds)
        return [r for r in self.records.values() if r.kind in wanted]

    def _tgw_children(self, tgw: Record) -> dict[str, dict[str, Any]]:
        children: dict[str, dict[str, Any]] = {"attachments": {}, "route_tables": {}}
        for kind, key in TGW_CHILDREN.items():
            for record in self._of_kind([kind]):
                if self.name_of(record.parent) == tgw.name:
                    children[key][record.name] = record.body
        for record in self._of_kind(TGW_CHILDREN):
            if self.lookup(record.parent, "transit_gateways") is None:
                self.warn(record.name, f"transit gateway {self.missing(str(record.parent))}; not read")
        return children

    def _localise(self, body: dict[str, Any], vpc: str, placed: dict[str, str]) -> dict[str, Any]:
        """Write group references to another VPC as ``vpc/name`` (resolve.security_group's form)."""

        def fix(value: Any) -> Any:
            if isinstance(value, GroupRef):
                record = self.lookup(value)
                if record is not None and placed.get(record.name) not in (None, vpc):
                    return f"{placed[record.name]}/{record.name}"
                return str(record.name if record else value)
            if isinstance(value, dict):
                return {k: fix(v) for k, v in value.items()}
            if isinstance(value, list):
                return [fix(v) for v in value]
            return value

        return fix(body)

    def _validate(self, model_class: type[BaseModel], body: dict[str, Any], name: str) -> BaseModel | None:
        try:
            return model_class.model_validate(body)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or model_class.__name__}: {e['msg'].removeprefix('Value error, ')}"
                for e in error.errors()[:3]
            )
            self.warn(name, f"not read: {problems}")
            return None


#: Default port of each RDS engine family (what AWS uses when none is given).
RDS_PORTS = {"mysql": 3306, "mariadb": 3306, "aurora": 3306, "aurora-mysql": 3306, "postgres": 5432,
             "aurora-postgresql": 5432, "oracle": 1521, "sqlserver": 1433, "db2": 50000}


def whole_number(value: Any, what: str) -> int:
    """An integer written as a number or as text (templates write ``"22"``); anything else is a ValueError naming
    ``what``, never truncated (``100.9`` is not rule 100).

    >>> whole_number("22", "FromPort"), whole_number(100.0, "RuleNumber")
    (22, 100)
    >>> whole_number(100.9, "RuleNumber")
    Traceback (most recent call last):
    ...
    ValueError: RuleNumber: expected a whole number, got 100.9
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise ValueError(f"{what}: expected a whole number, got {value!r}")


def rds_port(engine: str, port: object) -> int:
    """The port an RDS instance listens on: the given one, else its engine's default.

    >>> rds_port("aurora-postgresql", None), rds_port("mysql", "3307"), rds_port("oracle-ee", None)
    (5432, 3307, 1521)
    """
    if port not in (None, ""):
        return whole_number(port, "port")
    for prefix, default in sorted(RDS_PORTS.items(), key=lambda item: -len(item[0])):
        if engine.startswith(prefix):
            return default
    return 5432


def ports_of(protocol: int, low: Any, high: Any) -> str | None:
    """The port range of a tcp/udp rule (``None`` for other protocols or all ports given as -1).

    >>> ports_of(6, 22, 22), ports_of(6, 1024, 65535), ports_of(-1, 0, 0), ports_of(6, -1, -1)
    ('22', '1024-65535', None, None)
    >>> ports_of(6, 443, 22)
    Traceback (most recent call last):
    ...
    ValueError: port range 443-22 is empty (from_port > to_port)
    """
    if protocol not in (6, 17) or low is None or high is None:
        return None
    low, high = whole_number(low, "from port"), whole_number(high, "to port")
    if low == -1 and high == -1:
        return None
    if low > high:
        raise ValueError(f"port range {low}-{high} is empty (from_port > to_port)")
    return str(low) if low == high else f"{low}-{high}"


def icmp_of(protocol: int, icmp_type: Any, icmp_code: Any) -> dict[str, int]:
    """ICMP type and code fields of a rule (omitted when -1, meaning all).

    >>> icmp_of(1, 8, -1), icmp_of(6, 8, 0)
    ({'icmp_type': 8}, {})
    """
    if protocol not in (1, 58):
        return {}
    out = {}
    for key, value in (("icmp_type", icmp_type), ("icmp_code", icmp_code)):
        if value is not None and whole_number(value, key) != -1:
            out[key] = whole_number(value, key)
    return out
