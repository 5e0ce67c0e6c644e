"""AWS snapshots: a directory of ``aws ec2 describe-*`` (plus elbv2 and rds) JSON outputs.

Each file is one API call's output and is recognised by its top-level key (``Vpcs``,
``Subnets``, ``RouteTables``...), never by its name, in any folder nesting such as
``account/region/`` (the layout Batfish's AWS collector writes; its wrapped per-resource
calls ``TransitGatewayPropagations``, ``TransitGatewayStaticRoutes``, ``LoadBalancerListeners``,
``LoadBalancerTargetHealth`` and ``LoadBalancerAttributes`` are read too).

Every resource keeps its AWS id as its design key, and its tags, so an answer names what the
user sees in the console and ``Name`` tags resolve too. Resources in non-active states are
kept with their state where the model has one; routes whose target is deleted, stopped or
absent become blackholes, as AWS shows them (aws-semantics RT-10).

>>> import json, tempfile, os
>>> folder = tempfile.mkdtemp()
>>> with open(os.path.join(folder, "Vpcs.json"), "w") as f:
...     json.dump({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "State": "available"}]}, f)
>>> design = load(folder)
>>> design.vpcs["vpc-1"].cidr, design.vpcs["vpc-1"].main_route_table
(IPNetwork('10.0.0.0/16'), 'main')
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from ..model import (
    DbSubnetGroup,
    Design,
    EfsMountTarget,
    EgressOnlyInternetGateway,
    EgressRule,
    ElasticIp,
    FlowLog,
    IngressRule,
    Instance,
    InternetGateway,
    Listener,
    LoadBalancer,
    NaclRule,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    OnPremisesNetwork,
    PeeringConnection,
    Position,
    PrefixList,
    RdsInstance,
    Route,
    RouteTable,
    SecurityGroup,
    SourceMap,
    Subnet,
    TargetGroup,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    Vpc,
    VpcEndpoint,
    VpnGateway,
)
from . import InputFormat
from .describe_shapes import item_shape, shape_problem
from .positions import LazyPositions, parse_json, read_text, unreadable

__all__ = ["FORMAT", "load", "recognises", "DESCRIBE_KEYS", "IGNORED_KEYS"]

#: Top-level keys vpckit reads, each the list key of one API call's output.
DESCRIBE_KEYS: frozenset[str] = frozenset({
    "Vpcs", "Subnets", "RouteTables", "NetworkAcls", "SecurityGroups", "Reservations",
    "NetworkInterfaces", "InternetGateways", "EgressOnlyInternetGateways", "NatGateways",
    "Addresses", "VpcPeeringConnections", "TransitGateways", "TransitGatewayAttachments",
    "TransitGatewayVpcAttachments", "TransitGatewayRouteTables", "TransitGatewayPropagations",
    "TransitGatewayStaticRoutes", "TransitGatewayRouteTableAssociations", "VpcEndpoints", "VpnGateways", "VpnConnections",
    "CustomerGateways", "PrefixLists", "ManagedPrefixLists", "ManagedPrefixListEntries",
    "LoadBalancers", "TargetGroups", "Listeners", "LoadBalancerListeners",
    "LoadBalancerTargetHealth", "LoadBalancerAttributes", "DBInstances", "DomainStatusList",
    "FlowLogs",
})

#: Keys of describe outputs that carry nothing vpckit models (Batfish ignores the same ones).
IGNORED_KEYS: frozenset[str] = frozenset({
    "AvailabilityZones", "DhcpOptions", "Regions", "InstanceStatuses", "PlacementGroups",
    "ServiceNames", "ServiceDetails", "Tags", "Hosts", "MovingAddressStatuses", "Instances",
    "NextToken", "ResponseMetadata", "Marker", "NextMarker", "AdditionalRoutesAvailable",
})

_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$")
_AZ_REGION = re.compile(r"^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)")
_ACCOUNT = re.compile(r"^\d{12}$")
_FIRST_KEY = re.compile(r'^\s*\{\s*"([^"]+)"\s*:')

_SKIPPED_FILES = (".ds_store",)


def recognises(path: str, data: Any = None) -> bool:
    """True for a directory holding at least one JSON file whose top-level key is a describe key.

    Only the first bytes of each file are read, so detection stays cheap on large snapshots.

    >>> recognises("/nonexistent"), recognises(__file__)
    (False, False)
    """
    if not os.path.isdir(path):
        return False
    for file in _json_files(path):
        try:
            with open(file, encoding="utf-8", errors="replace") as handle:
                head = handle.read(4096)
        except PermissionError as error:
            raise unreadable(error, file) from None
        except OSError:
            continue
        match = _FIRST_KEY.match(head)
        if match and match.group(1) in DESCRIBE_KEYS:
            return True
    return False


def _unreadable(error: OSError) -> None:
    """``os.walk`` skips a folder it cannot list: a snapshot missing an account's folder would read as a
    smaller network, or as no snapshot at all. Say which folder instead."""
    raise unreadable(error, "", "folder") from None


def _json_files(root: str) -> Iterator[str]:
    for folder, dirs, files in os.walk(root, onerror=_unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(".json") and not name.startswith("."):
                yield os.path.join(folder, name)


# --------------------------------------------------------------------------- reading files


class _FilePositions:
    """Where records sit in one JSON file: exact key paths, found in the text only when one is asked for."""

    def __init__(self, text: str, file: str):
        self.file = file
        self.paths = LazyPositions(text, file)

    def at(self, path: tuple, value: str | None = None) -> Position:
        """The position of ``path`` (or of its nearest ancestor written in the file)."""
        while path:
            if path in self.paths:
                return self.paths[path]
            path = path[:-1]
        return Position(self.file, 1, 1)


@dataclass
class _Record:
    """One item of a describe list, with the file, region and account it came from."""

    data: dict
    file: _FilePositions
    path: tuple
    region: str | None
    account: str | None

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def at(self, *more: Any, value: str | None = None) -> Position:
        return self.file.at((*self.path, *more), value)


@dataclass
class _Snapshot:
    """Everything read from the directory, grouped by top-level key."""

    root: str
    records: dict[str, list[_Record]] = field(default_factory=lambda: defaultdict(list))
    zone_regions: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> list[_Record]:
        return self.records.get(key, [])

    def has(self, key: str) -> bool:
        return key in self.records

    def warn(self, position: Position | str, message: str) -> None:
        self.warnings.append(f"{position}: {message}")


def _folder_context(root: str, file: str) -> tuple[str | None, str | None]:
    """Region and account named by the folders between ``root`` and ``file``."""
    parts = os.path.relpath(os.path.dirname(file), root).split(os.sep)
    region = next((p for p in reversed(parts) if _REGION.match(p)), None)
    account = next((p for p in reversed(parts) if _ACCOUNT.match(p)), None)
    return region, account


def _read(root: str) -> _Snapshot:
    if not os.path.exists(root):
        raise InputError("no such file or directory", Position(root))
    if not os.path.isdir(root):
        raise InputError("expected a directory of AWS describe-* JSON outputs", Position(root))
    snapshot = _Snapshot(root)
    files = list(_json_files(root))
    for folder, _dirs, names in os.walk(root, onerror=_unreadable):
        for name in sorted(names):
            if not name.lower().endswith(".json") and not name.startswith(".") and name.lower() not in _SKIPPED_FILES:
                snapshot.warn(os.path.join(folder, name), "not a .json file; skipped")
    if not files:
        raise InputError(
            "no JSON files found; expected a directory of `aws ec2 describe-*` outputs such as "
            'Vpcs.json ({"Vpcs": [...]}), Subnets.json, RouteTables.json', Position(root)
        )
    recognised = 0
    for file in files:
        recognised += _read_file(snapshot, file)
    if not recognised:
        raise InputError(
            f"none of the {len(files)} JSON file(s) is an AWS describe output; expected top-level keys "
            "such as Vpcs, Subnets, RouteTables, NetworkAcls, SecurityGroups, Reservations", Position(root)
        )
    return snapshot


def _read_file(snapshot: _Snapshot, file: str) -> int:
    text = read_text(file)
    data = parse_json(text, file)
    if not isinstance(data, dict):
        snapshot.warn(Position(file, 1, 1), f"top level is a {type(data).__name__}, not a describe output; skipped")
        return 0
    if str(data.get("format", "")).startswith("vpckit-snapshot/"):
        _read_manifest(snapshot, file, data)
        return 0
    region, account = _folder_context(snapshot.root, file)
    positions: _FilePositions | None = None
    recognised = 0
    unknown: list[str] = []
    for key, value in data.items():
        if key == "AvailabilityZones" and isinstance(value, list):
            _check_items(key, value, text, file)
            for zone in value:
                if isinstance(zone, dict) and zone.get("ZoneName") and zone.get("RegionName"):
                    snapshot.zone_regions[zone["ZoneName"]] = zone["RegionName"]
        if key in IGNORED_KEYS:
            recognised += key not in ("NextToken", "ResponseMetadata", "Marker", "NextMarker")
            continue
        if key == "Entries" and isinstance(value, list):
            key, value = _prefix_list_entries(data, file)
            if key is None:
                snapshot.warn(Position(file, 1, 1), "managed prefix list entries without a PrefixListId "
                              "(wrap them as {\"PrefixListId\": ..., \"Entries\": [...]}); skipped")
                continue
        elif key == "PrefixListId" and "Entries" in data:
            continue
        if key not in DESCRIBE_KEYS:
            unknown.append(key)
            continue
        if not isinstance(value, list):
            snapshot.warn(Position(file, 1, 1), f"{key} should be a list; skipped")
            continue
        recognised += 1
        snapshot.records[key]  # noqa: B018 - an empty list still says the call was collected
        if positions is None:
            positions = _FilePositions(text, file)
        _check_items(key, value, text, file, positions)
        for index, item in enumerate(value):
            snapshot.records[key].append(_Record(item, positions, (key, index), region, account))
    if len(unknown) == 1:
        snapshot.warn(Position(file, 1, 1), f"top-level key {unknown[0]!r} is not an AWS describe output vpckit "
                      "reads; skipped")
    elif unknown:
        names = ", ".join(repr(k) for k in unknown)
        snapshot.warn(Position(file, 1, 1), f"top-level keys {names} are not AWS describe outputs vpckit reads; "
                      "skipped")
    return recognised


def _check_items(key: str, items: list, text: str, file: str, positions: _FilePositions | None = None) -> None:
    """Refuse an item of a describe list whose values have a type AWS never returns, at its place in the file."""
    shape = item_shape(key)
    for index, item in enumerate(items):
        problem = shape_problem(item, shape) if shape is not None else None
        if problem is None and not isinstance(item, dict):
            problem = (), f"expected a mapping, got {type(item).__name__}"
        if problem is not None:
            where, message = problem
            spelled = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in (index, *where))
            shape_name = f" (as AWS's {shape.name} is written)" if shape is not None else ""
            positions = positions or _FilePositions(text, file)
            raise InputError(f"{key}{spelled}: {message}{shape_name}", positions.at((key, index, *where)))


def _read_manifest(snapshot: _Snapshot, file: str, manifest: dict) -> None:
    """``vpckit snapshot``'s manifest: an incomplete snapshot is said to be incomplete, never read silently."""
    if manifest.get("complete", True):
        return
    failed = [f"{f.get('action')} in {f.get('region')} ({f.get('code') or f.get('kind')})"
              for f in manifest.get("failed") or [] if isinstance(f, dict)]
    skipped = [f"{c.get('action')} in {c.get('region')}" for c in manifest.get("not_attempted") or []
               if isinstance(c, dict)]
    parts = []
    if failed:
        parts.append("failed: " + ", ".join(failed))
    if skipped:
        parts.append("not attempted: " + ", ".join(skipped))
    snapshot.warn(Position(file, 1, 1), "this snapshot is INCOMPLETE, answers may miss resources; "
                  + ("; ".join(parts) or "the manifest says so"))


def _prefix_list_entries(data: dict, file: str) -> tuple[str | None, Any]:
    """``get-managed-prefix-list-entries`` output, identified by a PrefixListId key or the file name."""
    pl_id = data.get("PrefixListId")
    if not pl_id:
        match = re.search(r"pl-[0-9a-f]+", os.path.basename(file))
        pl_id = match.group(0) if match else None
    if not pl_id:
        return None, None
    return "ManagedPrefixListEntries", [{"PrefixListId": pl_id, "Entries": data["Entries"]}]


# --------------------------------------------------------------------------- small helpers

M = TypeVar("M", bound=BaseModel)


def _tags(record: _Record | dict, key: str = "Tags") -> dict[str, str]:
    data = record.data if isinstance(record, _Record) else record
    items = data.get(key) or data.get("TagSet") or data.get("TagList") or []
    if isinstance(items, dict):
        return {str(k): str(v) for k, v in items.items()}
    return {str(t["Key"]): str(t.get("Value", "")) for t in items if isinstance(t, dict) and "Key" in t}


def _region_of_zone(zone: str | None, zone_regions: dict[str, str]) -> str | None:
    if not zone:
        return None
    if zone in zone_regions:
        return zone_regions[zone]
    match = _AZ_REGION.match(zone)
    return match.group(1) if match else None


def _region_of_arn(arn: str | None) -> str | None:
    parts = (arn or "").split(":")
    return parts[3] if len(parts) > 4 and parts[3] else None


def _ports(low: Any, high: Any) -> dict | None:
    if low is None or high is None or low == -1 or high == -1:
        return None
    return {"low": int(low), "high": int(high)}


def _minus_one(value: Any) -> int | None:
    return None if value is None or int(value) == -1 else int(value)


# --------------------------------------------------------------------------- the builder


class _Builder:
    """Turns the records of a snapshot into a :class:`Design`, one resource kind at a time."""

    def __init__(self, snapshot: _Snapshot, default_region: str | None = None):
        self.s = snapshot
        self.default_region = default_region
        self.positions: dict[tuple, Position] = {(): Position(snapshot.root)}
        self.vpcs: dict[str, dict[str, Any]] = {}
        self.vpc_region: dict[str, str | None] = {}
        self.subnet_vpc: dict[str, str] = {}
        self.subnet_az: dict[str, str] = {}
        self.instance_vpc: dict[str, str] = {}
        self.instance_state: dict[str, str] = {}
        self.primary_eni: dict[str, str] = {}  # ENI id → instance id
        self.eni_vpc: dict[str, str] = {}
        self.elastic_addresses: set[str] = set()
        self.claimed_enis: set[str] = set()
        self.peering: dict[str, PeeringConnection] = {}
        self.transit_gateways: dict[str, TransitGateway] = {}
        self.prefix_lists: dict[str, PrefixList] = {}
        self.on_premises: dict[str, OnPremisesNetwork] = {}
        self.elastic_ips: dict[str, ElasticIp] = {}
        self.nat_state: dict[str, str] = {}
        self.enis: dict[str, _Record] = {}
        self.gateway_endpoint_tables: dict[str, set[str]] = {}
        self.unknown_targets: set[str] = set()

    # ----------------------------------------------------------------- plumbing
    def warn(self, position: Position | str, message: str) -> None:
        self.s.warn(position, message)

    def make(self, cls: type[M], record: _Record, what: str, **data: Any) -> M | None:
        """Build one model object; an AWS shape the model rejects becomes a warning, not a crash."""
        try:
            return cls(**{k: v for k, v in data.items() if v is not None})
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            self.warn(record.at(), f"skipped {what}: {where + ': ' if where else ''}{problem['msg']}")
            return None

    def place(self, path: tuple, position: Position) -> None:
        self.positions.setdefault(path, position)

    def vpc_of(self, vpc_id: str | None, record: _Record, what: str) -> dict[str, Any] | None:
        if vpc_id in self.vpcs:
            return self.vpcs[vpc_id]
        self.warn(record.at(), f"{what} belongs to {vpc_id or 'no VPC'}, which is not in the snapshot; skipped")
        return None

    @staticmethod
    def unique(records: Iterable[_Record], key: str) -> Iterator[_Record]:
        """Records with distinct ids (the same resource may be described from two accounts)."""
        seen: set[str] = set()
        for record in records:
            ident = record.get(key)
            if not ident or ident in seen:
                continue
            seen.add(ident)
            yield record

    # ----------------------------------------------------------------- VPCs and subnets
    def read_vpcs(self) -> None:
        for record in self.unique(self.s["Vpcs"], "VpcId"):
            vpc_id = record.get("VpcId")
            primary = record.get("CidrBlock")
            secondary = [
                a["CidrBlock"] for a in record.get("CidrBlockAssociationSet") or []
                if a.get("CidrBlock") and a["CidrBlock"] != primary
                and (a.get("CidrBlockState") or {}).get("State", "associated") == "associated"
            ]
            ipv6 = [
                a["Ipv6CidrBlock"] for a in record.get("Ipv6CidrBlockAssociationSet") or []
                if a.get("Ipv6CidrBlock")
                and (a.get("Ipv6CidrBlockState") or {}).get("State", "associated") == "associated"
            ]
            if not primary:
                self.warn(record.at(value=vpc_id), f"skipped {vpc_id}: no CidrBlock")
                continue
            self.vpcs[vpc_id] = {
                "id": vpc_id, "tags": _tags(record), "cidr": primary, "secondary_cidrs": secondary,
                "ipv6_cidrs": ipv6, "account": record.get("OwnerId") or record.account,
                "is_default": bool(record.get("IsDefault")), "_record": record,
                "subnets": {}, "route_tables": {}, "network_acls": {}, "security_groups": {},
                "internet_gateways": {}, "egress_only_internet_gateways": {}, "vpn_gateways": {},
                "nat_gateways": {}, "instances": {}, "network_interfaces": {}, "endpoints": {},
                "load_balancers": {}, "target_groups": {}, "db_subnet_groups": {}, "rds_instances": {},
                "efs_mount_targets": {}, "flow_logs": {},
            }
            self.vpc_region[vpc_id] = record.region
            self.place(("vpcs", vpc_id), record.at("VpcId", value=vpc_id))

    def read_subnets(self) -> None:
        for record in self.unique(self.s["Subnets"], "SubnetId"):
            subnet_id = record.get("SubnetId")
            vpc = self.vpc_of(record.get("VpcId"), record, subnet_id)
            if vpc is None:
                continue
            ipv6 = [
                a["Ipv6CidrBlock"] for a in record.get("Ipv6CidrBlockAssociationSet") or []
                if a.get("Ipv6CidrBlock")
                and (a.get("Ipv6CidrBlockState") or {}).get("State", "associated") == "associated"
            ]
            subnet = self.make(
                Subnet, record, subnet_id, id=subnet_id, tags=_tags(record), az=record.get("AvailabilityZone"),
                cidr=record.get("CidrBlock"), ipv6_cidr=ipv6[0] if ipv6 else None,
                map_public_ip_on_launch=bool(record.get("MapPublicIpOnLaunch")),
            )
            if subnet is None:
                continue
            vpc["subnets"][subnet_id] = subnet
            self.subnet_vpc[subnet_id] = record.get("VpcId")
            self.subnet_az[subnet_id] = subnet.az
            self.place(("vpcs", record.get("VpcId"), "subnets", subnet_id), record.at("SubnetId", value=subnet_id))
            region = _region_of_arn(record.get("SubnetArn")) or record.region or _region_of_zone(
                subnet.az, self.s.zone_regions)
            if region and not self.vpc_region.get(record.get("VpcId")):
                self.vpc_region[record.get("VpcId")] = region

    # ----------------------------------------------------------------- filters
    def read_network_acls(self) -> None:
        for record in self.unique(self.s["NetworkAcls"], "NetworkAclId"):
            acl_id = record.get("NetworkAclId")
            vpc_id = record.get("VpcId")
            vpc = self.vpc_of(vpc_id, record, acl_id)
            if vpc is None:
                continue
            rules: dict[str, list[NaclRule]] = {"ingress": [], "egress": []}
            for index, entry in enumerate(record.get("Entries") or []):
                rule = self.nacl_rule(entry, record, index)
                if rule is not None:
                    direction = "egress" if entry.get("Egress") else "ingress"
                    self.place(("vpcs", vpc_id, "network_acls", acl_id, direction, len(rules[direction])),
                               record.at("Entries", index))
                    rules[direction].append(rule)
            acl = self.make(NetworkAcl, record, acl_id, id=acl_id, tags=_tags(record), **rules)
            if acl is None:
                continue
            vpc["network_acls"][acl_id] = acl
            self.place(("vpcs", vpc_id, "network_acls", acl_id), record.at("NetworkAclId", value=acl_id))
            if record.get("IsDefault"):
                vpc["default_network_acl"] = acl_id
            for association in record.get("Associations") or []:
                subnet = vpc["subnets"].get(association.get("SubnetId"))
                if subnet is not None:
                    subnet.network_acl = acl_id

    def nacl_rule(self, entry: dict, record: _Record, index: int) -> NaclRule | None:
        number = entry.get("RuleNumber")
        if number is None or int(number) >= 32767:
            return None  # 32767 (IPv4) and 32768 (IPv6) are the console's `*` implicit deny (NACL-04)
        protocol = str(entry.get("Protocol", "-1"))
        data: dict[str, Any] = {
            "rule": int(number), "protocol": protocol,
            "cidr": entry.get("CidrBlock") or entry.get("Ipv6CidrBlock"),
            "action": str(entry.get("RuleAction", "deny")).lower(),
        }
        if protocol in ("6", "17", "tcp", "udp") and entry.get("PortRange"):
            data["ports"] = _ports(entry["PortRange"].get("From"), entry["PortRange"].get("To"))
        if protocol in ("1", "58", "icmp", "icmpv6") and entry.get("IcmpTypeCode"):
            data["icmp_type"] = _minus_one(entry["IcmpTypeCode"].get("Type"))
            data["icmp_code"] = _minus_one(entry["IcmpTypeCode"].get("Code"))
        return self.make(NaclRule, record, f"{record.get('NetworkAclId')} entry {number}", **data)

    def read_security_groups(self) -> None:
        for record in self.unique(self.s["SecurityGroups"], "GroupId"):
            group_id = record.get("GroupId")
            vpc_id = record.get("VpcId")
            vpc = self.vpc_of(vpc_id, record, group_id)
            if vpc is None:
                continue
            owner = record.get("OwnerId")
            ingress: list[IngressRule] = []
            egress: list[EgressRule] = []
            for key, rules, cls, side in (("IpPermissions", ingress, IngressRule, "source"),
                                          ("IpPermissionsEgress", egress, EgressRule, "destination")):
                direction = "ingress" if cls is IngressRule else "egress"
                for index, permission in enumerate(record.get(key) or []):
                    for data in self.permission_rules(permission, owner):
                        peer = data.pop("peer")
                        rule = self.make(cls, record, f"{group_id} {direction} rule", **data, **{side: peer})
                        if rule is not None:
                            self.place(("vpcs", vpc_id, "security_groups", group_id, direction, len(rules)),
                                       record.at(key, index))
                            rules.append(rule)
            group = self.make(SecurityGroup, record, group_id, id=group_id, tags=_tags(record),
                              description=record.get("Description"), ingress=ingress, egress=egress)
            if group is None:
                continue
            if record.get("GroupName") and "Name" not in group.tags:
                # The group name is what the console shows; keep it resolvable like a Name tag.
                group.tags["Name"] = record.get("GroupName")
            vpc["security_groups"][group_id] = group
            self.place(("vpcs", vpc_id, "security_groups", group_id), record.at("GroupId", value=group_id))
            if record.get("GroupName") == "default":
                vpc.setdefault("default_security_group", group_id)

    @staticmethod
    def permission_rules(permission: dict, owner: str | None) -> Iterator[dict[str, Any]]:
        """One model rule per peer of an ``IpPermissions`` entry (CIDRs, IPv6, prefix lists, groups)."""
        protocol = str(permission.get("IpProtocol", "-1")).lower()
        base: dict[str, Any] = {"protocol": protocol}
        low, high = permission.get("FromPort"), permission.get("ToPort")
        if protocol in ("tcp", "udp", "6", "17"):
            base["ports"] = _ports(low, high)
        elif protocol in ("icmp", "icmpv6", "1", "58"):
            base["icmp_type"] = _minus_one(low) if low is not None else None
            base["icmp_code"] = _minus_one(high) if high is not None else None
        for item in permission.get("IpRanges") or []:
            yield {**base, "peer": item.get("CidrIp"), "description": item.get("Description")}
        for item in permission.get("Ipv6Ranges") or []:
            yield {**base, "peer": item.get("CidrIpv6"), "description": item.get("Description")}
        for item in permission.get("PrefixListIds") or []:
            yield {**base, "peer": item.get("PrefixListId"), "description": item.get("Description")}
        for item in permission.get("UserIdGroupPairs") or []:
            group = item.get("GroupId") or item.get("GroupName")
            account = item.get("UserId")
            if account and owner and account != owner:
                group = f"{account}/{group}"  # a group of another account (resolve.security_group)
            yield {**base, "peer": group, "description": item.get("Description")}

    # ----------------------------------------------------------------- gateways
    def read_gateways(self) -> None:
        for key, id_key, collection, cls in (
            ("InternetGateways", "InternetGatewayId", "internet_gateways", InternetGateway),
            ("EgressOnlyInternetGateways", "EgressOnlyInternetGatewayId", "egress_only_internet_gateways",
             EgressOnlyInternetGateway),
        ):
            for record in self.unique(self.s[key], id_key):
                gateway_id = record.get(id_key)
                attached = [a.get("VpcId") for a in record.get("Attachments") or []
                            if a.get("State") in (None, "available", "attached")]
                if not attached:
                    self.warn(record.at(value=gateway_id), f"{gateway_id} is not attached to a VPC; skipped")
                for vpc_id in attached:
                    vpc = self.vpc_of(vpc_id, record, gateway_id)
                    if vpc is not None:
                        vpc[collection][gateway_id] = cls(id=gateway_id, tags=_tags(record))
                        self.place(("vpcs", vpc_id, collection, gateway_id), record.at(id_key, value=gateway_id))

    def read_vpn(self) -> None:
        """VPN gateways, and what the VPN connections say is behind them (static routes, BGP)."""
        connections = list(self.unique(self.s["VpnConnections"], "VpnConnectionId"))
        customer = {r.get("CustomerGatewayId"): r for r in self.s["CustomerGateways"]}
        remote: dict[str, list[str]] = defaultdict(list)  # VGW or TGW attachment → static routes
        for record in connections:
            if record.get("State") not in (None, "available"):
                continue
            cidrs = [r["DestinationCidrBlock"] for r in record.get("Routes") or []
                     if r.get("DestinationCidrBlock") and r.get("State", "available") == "available"]
            via = record.get("VpnGatewayId") or self.tgw_vpn_attachment(record.get("VpnConnectionId"))
            if via:
                remote[via].extend(cidrs)
            if not cidrs and not (record.get("Options") or {}).get("StaticRoutesOnly", False):
                self.warn(record.at(value=record.get("VpnConnectionId")),
                          f"{record.get('VpnConnectionId')} learns its routes by BGP; describe outputs do not "
                          "list them, so only the routes propagated into route tables are known")
            tunnels = record.get("VgwTelemetry") or []
            down = bool(tunnels) and all(str(t.get("Status", "")).upper() == "DOWN" for t in tunnels)
            gateway = customer.get(record.get("CustomerGatewayId"))
            if cidrs:
                tags = _tags(gateway) if gateway else {}
                network = self.make(
                    OnPremisesNetwork, record, record.get("VpnConnectionId"), id=record.get("CustomerGatewayId"),
                    tags=tags or _tags(record), cidrs=cidrs, via=via, state="down" if down else "available",
                    description=f"behind customer gateway {record.get('CustomerGatewayId')}"
                    + (f" ({gateway.get('IpAddress')})" if gateway else "")
                    + f" over {record.get('VpnConnectionId')}",
                )
                if network is not None:
                    self.on_premises[record.get("VpnConnectionId")] = network
                    self.place(("on_premises", record.get("VpnConnectionId")),
                               record.at("VpnConnectionId", value=record.get("VpnConnectionId")))
        self.vpn_remote = remote
        propagated = self.propagated_vgw_routes()
        for record in self.unique(self.s["VpnGateways"], "VpnGatewayId"):
            gateway_id = record.get("VpnGatewayId")
            if record.get("State") in ("deleting", "deleted"):
                self.warn(record.at(value=gateway_id), f"{gateway_id} is {record.get('State')}; skipped")
                continue
            attached = [a.get("VpcId") for a in record.get("VpcAttachments") or [] if a.get("State") == "attached"]
            cidrs = list(dict.fromkeys([*remote.get(gateway_id, []), *propagated.get(gateway_id, [])]))
            for vpc_id in attached:
                vpc = self.vpc_of(vpc_id, record, gateway_id)
                if vpc is None:
                    continue
                gateway = self.make(VpnGateway, record, gateway_id, id=gateway_id, tags=_tags(record),
                                    remote_cidrs=cidrs, asn=record.get("AmazonSideAsn"))
                if gateway is not None:
                    vpc["vpn_gateways"][gateway_id] = gateway
                    self.place(("vpcs", vpc_id, "vpn_gateways", gateway_id), record.at("VpnGatewayId", value=gateway_id))

    def tgw_vpn_attachment(self, vpn_id: str | None) -> str | None:
        for record in self.s["TransitGatewayAttachments"]:
            if record.get("ResourceId") == vpn_id and record.get("ResourceType") == "vpn":
                return record.get("TransitGatewayAttachmentId")
        return None

    def propagated_vgw_routes(self) -> dict[str, list[str]]:
        """Routes a VGW propagated into route tables: what it learned over BGP (RT-14)."""
        learned: dict[str, list[str]] = defaultdict(list)
        for record in self.s["RouteTables"]:
            for route in record.get("Routes") or []:
                gateway = route.get("GatewayId") or ""
                if gateway.startswith("vgw-") and route.get("Origin") == "EnableVgwRoutePropagation":
                    if route.get("DestinationCidrBlock"):
                        learned[gateway].append(route["DestinationCidrBlock"])
        return learned

    def read_nat_gateways(self) -> None:
        for record in self.unique(self.s["NatGateways"], "NatGatewayId"):
            nat_id = record.get("NatGatewayId")
            addresses = record.get("NatGatewayAddresses") or []
            primary = next((a for a in addresses if a.get("IsPrimary")), addresses[0] if addresses else {})
            vpc = self.vpc_of(record.get("VpcId"), record, nat_id)
            if vpc is None:
                if str(record.get("State", "")).lower() in ("deleted", "deleting") and primary.get("PublicIp"):
                    # Its VPC is gone too: the address was released with it, and nobody in the input holds it now.
                    released = self.make(ElasticIp, record, nat_id, address=primary["PublicIp"], nat_gateway=nat_id,
                                         released=True)
                    if released is not None:
                        self.elastic_ips[f"released-{primary['PublicIp']}"] = released
                continue
            for address in addresses:
                if address.get("NetworkInterfaceId"):
                    self.claimed_enis.add(address["NetworkInterfaceId"])
            state = str(record.get("State", "available")).lower()
            nat = self.make(
                NatGateway, record, nat_id, id=nat_id, tags=_tags(record), subnet=record.get("SubnetId"),
                connectivity=str(record.get("ConnectivityType", "public")).lower(),
                private_ip=primary.get("PrivateIp"), elastic_ip=primary.get("PublicIp"), state=state,
            )
            if nat is None:
                continue
            if state != "available":
                self.warn(record.at(value=nat_id), f"{nat_id} is {state}; routes to it drop traffic (blackhole)")
            vpc["nat_gateways"][nat_id] = nat
            self.nat_state[nat_id] = state
            self.place(("vpcs", record.get("VpcId"), "nat_gateways", nat_id), record.at("NatGatewayId", value=nat_id))

    # ----------------------------------------------------------------- interfaces
    def collect_interfaces(self) -> None:
        """Index every ENI (describe-network-interfaces first, then the instances' own copies)."""
        for record in self.s["NetworkInterfaces"]:
            self.enis.setdefault(record.get("NetworkInterfaceId"), record)
        for record in self.s["Addresses"]:
            if record.get("PublicIp"):
                self.elastic_addresses.add(record.get("PublicIp"))

    def public_addresses(self, eni: dict) -> tuple[Any, str | None]:
        """(public_ip, elastic_ip) of an ENI's primary address: False when it has none."""
        association = eni.get("Association") or {}
        address = association.get("PublicIp")
        if not address:
            return False, None
        elastic = (address in self.elastic_addresses or association.get("AllocationId")
                   or association.get("IpOwnerId") not in (None, "amazon"))
        return (False, address) if elastic else (address, None)

    def interface_fields(self, eni: dict) -> dict[str, Any]:
        public_ip, elastic_ip = self.public_addresses(eni)
        if public_ip is False and not self.maps_public_ip(eni.get("SubnetId")):
            public_ip = None  # the subnet default already means "none"; say False only where it would not
        secondary = [p["PrivateIpAddress"] for p in eni.get("PrivateIpAddresses") or []
                     if not p.get("Primary") and p.get("PrivateIpAddress")]
        return {
            "subnet": eni.get("SubnetId"), "private_ip": eni.get("PrivateIpAddress"),
            "secondary_private_ips": secondary,
            "ipv6_addresses": [a["Ipv6Address"] for a in eni.get("Ipv6Addresses") or [] if a.get("Ipv6Address")],
            "public_ip": public_ip, "elastic_ip": elastic_ip,
            "security_groups": [g["GroupId"] for g in eni.get("Groups") or [] if g.get("GroupId")],
            "source_dest_check": eni.get("SourceDestCheck", True) is not False,
        }

    def maps_public_ip(self, subnet_id: str | None) -> bool:
        vpc = self.vpcs.get(self.subnet_vpc.get(subnet_id or "", ""))
        subnet = vpc["subnets"].get(subnet_id) if vpc else None
        return bool(subnet and subnet.map_public_ip_on_launch)

    def read_instances(self) -> None:
        seen: set[str] = set()
        for reservation in self.s["Reservations"]:
            for index, data in enumerate(reservation.get("Instances") or []):
                record = _Record(data, reservation.file, (*reservation.path, "Instances", index),
                                 reservation.region, reservation.account)
                instance_id = data.get("InstanceId")
                if not instance_id or instance_id in seen:
                    continue
                seen.add(instance_id)
                self.read_instance(record)

    def read_instance(self, record: _Record) -> None:
        instance_id = record.get("InstanceId")
        state = str((record.get("State") or {}).get("Name", "running"))
        interfaces = sorted(record.get("NetworkInterfaces") or [],
                            key=lambda n: ((n.get("Attachment") or {}).get("NetworkCardIndex", 0),
                                           (n.get("Attachment") or {}).get("DeviceIndex", 0)))
        vpc_id = record.get("VpcId") or (interfaces[0].get("VpcId") if interfaces else None)
        if not vpc_id or not (record.get("SubnetId") or interfaces):
            self.warn(record.at(value=instance_id), f"{instance_id} ({state}) has no network interface; skipped")
            return
        vpc = self.vpc_of(vpc_id, record, instance_id)
        if vpc is None:
            return
        if interfaces:
            primary = self.enis[interfaces[0]["NetworkInterfaceId"]].data if interfaces[0].get(
                "NetworkInterfaceId") in self.enis else interfaces[0]
            fields = self.interface_fields(primary)
            fields["subnet"] = fields["subnet"] or record.get("SubnetId")
        else:
            fields = {
                "subnet": record.get("SubnetId"), "private_ip": record.get("PrivateIpAddress"),
                "public_ip": record.get("PublicIpAddress") or (False if self.maps_public_ip(record.get("SubnetId")) else None),
                "security_groups": [g["GroupId"] for g in record.get("SecurityGroups") or []],
                "source_dest_check": record.get("SourceDestCheck", True) is not False,
            }
        platform = str(record.get("Platform") or record.get("PlatformDetails") or "").lower()
        instance = self.make(Instance, record, instance_id, id=instance_id, tags=_tags(record), state=state,
                             os="windows" if "windows" in platform else "linux", **fields)
        if instance is None:
            return
        vpc["instances"][instance_id] = instance
        self.instance_vpc[instance_id] = vpc_id
        self.instance_state[instance_id] = state
        self.place(("vpcs", vpc_id, "instances", instance_id), record.at("InstanceId", value=instance_id))
        if state != "running":
            self.warn(record.at(value=instance_id), f"{instance_id} is {state}: it sends and answers nothing")
        for position, eni in enumerate(interfaces):
            eni_id = eni.get("NetworkInterfaceId")
            if position == 0:
                self.primary_eni[eni_id] = instance_id
                self.claimed_enis.add(eni_id)
            elif eni_id not in self.enis:
                # A secondary ENI that describe-network-interfaces did not list: read it from here.
                self.enis[eni_id] = _Record({**eni, "Attachment": {**(eni.get("Attachment") or {}),
                                                                   "InstanceId": instance_id}},
                                            record.file, (*record.path, "NetworkInterfaces", position),
                                            record.region, record.account)

    def read_network_interfaces(self) -> None:
        """ENIs that are neither an instance's primary interface nor claimed by a managed resource.

        A managed ENI whose owner is not in the snapshot stays as an interface of its type,
        because it still owns its address.
        """
        owned = re.compile(r"(?:Interface for NAT Gateway |VPC Endpoint Interface )((?:nat|vpce)-[0-9a-f]+)")
        for eni_id, record in self.enis.items():
            match = owned.match(str(record.get("Description") or ""))
            if match and any(match.group(1) in v["nat_gateways"] or match.group(1) in v["endpoints"]
                             for v in self.vpcs.values()):
                continue
            if eni_id in self.claimed_enis:
                continue
            vpc_id = record.get("VpcId") or self.subnet_vpc.get(record.get("SubnetId"))
            vpc = self.vpc_of(vpc_id, record, eni_id)
            if vpc is None:
                continue
            attachment = record.get("Attachment") or {}
            instance_id = attachment.get("InstanceId")
            kind = _interface_type(record.data)
            status = record.get("Status") if record.get("Status") in ("in-use", "available") else None
            tags = _tags(record)
            if "Name" not in tags and kind not in ("interface",) and record.get("Description"):
                tags["Name"] = record.get("Description")
            eni = self.make(NetworkInterface, record, eni_id, id=eni_id, tags=tags,
                            description=record.get("Description") or None,
                            instance=instance_id if instance_id in self.instance_vpc else None,
                            interface_type=kind, status=status, **self.interface_fields(record.data))
            if eni is None:
                continue
            vpc["network_interfaces"][eni_id] = eni
            self.eni_vpc[eni_id] = vpc_id
            self.place(("vpcs", vpc_id, "network_interfaces", eni_id),
                       record.at("NetworkInterfaceId", value=eni_id))

    # ----------------------------------------------------------------- endpoints, LBs, RDS
    def read_endpoints(self) -> None:
        pl_by_name = {r.get("PrefixListName"): r.get("PrefixListId") for r in
                      [*self.s["PrefixLists"], *self.s["ManagedPrefixLists"]]}
        for record in self.unique(self.s["VpcEndpoints"], "VpcEndpointId"):
            endpoint_id = record.get("VpcEndpointId")
            vpc = self.vpc_of(record.get("VpcId"), record, endpoint_id)
            if vpc is None:
                continue
            kind = {"gateway": "gateway", "interface": "interface", "gatewayloadbalancer": "gateway_load_balancer"}.get(
                str(record.get("VpcEndpointType", "Interface")).lower(), "interface")
            subnets = list(record.get("SubnetIds") or [])
            eni_ids = list(record.get("NetworkInterfaceIds") or [])
            self.claimed_enis.update(eni_ids)
            by_subnet = {self.enis[e].get("SubnetId"): self.enis[e].get("PrivateIpAddress")
                         for e in eni_ids if e in self.enis}
            private_ips = [by_subnet[s] for s in subnets] if subnets and all(s in by_subnet for s in subnets) else []
            state = _endpoint_state(record.get("State"))
            endpoint = self.make(
                VpcEndpoint, record, endpoint_id, id=endpoint_id, tags=_tags(record),
                service=record.get("ServiceName"), type=kind, route_tables=list(record.get("RouteTableIds") or []),
                prefix_list=pl_by_name.get(record.get("ServiceName")) if kind == "gateway" else None,
                subnets=subnets, security_groups=[g["GroupId"] for g in record.get("Groups") or [] if g.get("GroupId")],
                private_ips=private_ips, state=state,
            )
            if endpoint is None:
                continue
            vpc["endpoints"][endpoint_id] = endpoint
            if kind == "gateway":
                self.gateway_endpoint_tables[endpoint_id] = set(endpoint.route_tables)
            self.place(("vpcs", record.get("VpcId"), "endpoints", endpoint_id),
                       record.at("VpcEndpointId", value=endpoint_id))

    def read_load_balancers(self) -> None:
        target_groups = self.read_target_groups()
        listeners: dict[str, list[dict]] = defaultdict(list)
        for record in self.s["LoadBalancerListeners"]:
            for listener in record.get("Listeners") or []:
                listeners[record.get("LoadBalancerArn") or listener.get("LoadBalancerArn")].append(listener)
        for record in self.s["Listeners"]:
            listeners[record.get("LoadBalancerArn")].append(record.data)
        lb_enis: dict[str, list[dict]] = defaultdict(list)
        for eni_id, record in self.enis.items():
            description = str(record.get("Description") or "")
            if description.startswith("ELB "):
                lb_enis[description[4:]].append(record.data)
        for record in self.unique(self.s["LoadBalancers"], "LoadBalancerArn"):
            arn = record.get("LoadBalancerArn")
            name = record.get("LoadBalancerName")
            kind = str(record.get("Type", "application")).lower()
            state = str((record.get("State") or {}).get("Code", "active")).lower()
            if kind not in ("application", "network"):
                self.warn(record.at(value=arn), f"load balancer {name} is a {kind} load balancer, which vpckit "
                          "does not model; skipped")
                continue
            if state == "failed":
                self.warn(record.at(value=arn), f"load balancer {name} is failed; skipped")
                continue
            vpc = self.vpc_of(record.get("VpcId"), record, f"load balancer {name}")
            if vpc is None:
                continue
            zones = record.get("AvailabilityZones") or []
            subnets = [z.get("SubnetId") for z in zones if z.get("SubnetId")]
            suffix = arn.split(":loadbalancer/", 1)[-1] if arn else ""
            interfaces = {e.get("SubnetId"): e for e in lb_enis.get(suffix, [])}
            for eni in lb_enis.get(suffix, []):
                self.claimed_enis.add(eni.get("NetworkInterfaceId"))
            private_ips = [interfaces[s].get("PrivateIpAddress") for s in subnets] if subnets and all(
                s in interfaces for s in subnets) else []
            public_ips = [(interfaces[s].get("Association") or {}).get("PublicIp") for s in subnets if s in interfaces]
            public_ips += [a.get("IpAddress") for z in zones for a in z.get("LoadBalancerAddresses") or []]
            lb_listeners = []
            for listener in listeners.get(arn, []):
                target = self.listener_target(listener, target_groups)
                lb_listeners.append({"protocol": listener.get("Protocol"), "port": listener.get("Port"),
                                     "target_group": target})
            balancer = self.make(
                LoadBalancer, record, f"load balancer {name}", id=arn, tags={"Name": name, **_tags(record)},
                type=kind, scheme=record.get("Scheme", "internet-facing"), subnets=subnets,
                security_groups=list(record.get("SecurityGroups") or []),
                listeners=[Listener(**{k: v for k, v in item.items() if v is not None}) for item in lb_listeners
                           if str(item["protocol"]).upper() in ("HTTP", "HTTPS", "TCP", "UDP", "TLS", "TCP_UDP")],
                private_ips=private_ips, public_ips=list(dict.fromkeys(p for p in public_ips if p)),
            )
            if balancer is not None:
                vpc["load_balancers"][name] = balancer
                self.place(("vpcs", record.get("VpcId"), "load_balancers", name),
                           record.at("LoadBalancerArn", value=arn))

    def read_target_groups(self) -> dict[str, str]:
        """Target groups keyed by name in their VPC; returns ARN → name."""
        health: dict[str, list[dict]] = defaultdict(list)
        for record in self.s["LoadBalancerTargetHealth"]:
            health[record.get("TargetGroupArn")].extend(record.get("TargetHealthDescriptions") or [])
        names: dict[str, str] = {}
        for record in self.unique(self.s["TargetGroups"], "TargetGroupArn"):
            arn = record.get("TargetGroupArn")
            name = record.get("TargetGroupName")
            vpc = self.vpc_of(record.get("VpcId"), record, f"target group {name}")
            if vpc is None:
                continue
            targets = [
                str(d["Target"]["Id"]) for d in health.get(arn, [])
                # draining and unused targets get no new connections from the load balancer
                if (d.get("Target") or {}).get("Id")
                and (d.get("TargetHealth") or {}).get("State") not in ("draining", "unused")
            ]
            port = record.get("HealthCheckPort")
            group = self.make(
                TargetGroup, record, f"target group {name}", id=arn, tags={"Name": name, **_tags(record)},
                protocol=record.get("Protocol") or "HTTP", port=record.get("Port") or 0, targets=targets,
                health_check_port=int(port) if str(port or "").isdigit() else None,
            )
            if group is not None:
                vpc["target_groups"][name] = group
                names[arn] = name
                self.place(("vpcs", record.get("VpcId"), "target_groups", name),
                           record.at("TargetGroupArn", value=arn))
        return names

    @staticmethod
    def listener_target(listener: dict, target_groups: dict[str, str]) -> str | None:
        for action in listener.get("DefaultActions") or []:
            arn = action.get("TargetGroupArn")
            if not arn:
                groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or []
                arn = groups[0].get("TargetGroupArn") if groups else None
            if arn:
                return target_groups.get(arn, arn)
        return None

    def read_rds(self) -> None:
        rds_enis = [r for e, r in self.enis.items() if e not in self.claimed_enis and (
            r.get("RequesterId") == "amazon-rds" or r.get("Description") == "RDSNetworkInterface")]
        for record in self.unique(self.s["DBInstances"], "DBInstanceIdentifier"):
            name = record.get("DBInstanceIdentifier")
            group = record.get("DBSubnetGroup") or {}
            vpc_id = group.get("VpcId")
            vpc = self.vpc_of(vpc_id, record, f"RDS instance {name}")
            if vpc is None:
                continue
            group_name = group.get("DBSubnetGroupName") or f"{name}-subnets"
            group_subnets = [s.get("SubnetIdentifier") for s in group.get("Subnets") or [] if s.get("SubnetIdentifier")]
            if group_name not in vpc["db_subnet_groups"]:
                subnet_group = self.make(DbSubnetGroup, record, f"DB subnet group {group_name}",
                                         subnets=group_subnets, description=group.get("DBSubnetGroupDescription"))
                if subnet_group is not None:
                    vpc["db_subnet_groups"][group_name] = subnet_group
                    self.place(("vpcs", vpc_id, "db_subnet_groups", group_name), record.at("DBSubnetGroup"))
            security_groups = [g["VpcSecurityGroupId"] for g in record.get("VpcSecurityGroups") or []
                               if g.get("VpcSecurityGroupId") and g.get("Status", "active") == "active"]
            zone = record.get("AvailabilityZone")
            eni = self.rds_interface(rds_enis, group_subnets, security_groups, zone)
            group_zones = {s.get("SubnetIdentifier"): (s.get("SubnetAvailabilityZone") or {}).get("Name")
                           for s in group.get("Subnets") or []}
            subnet = eni.get("SubnetId") if eni else next(
                (s for s in group_subnets if (group_zones.get(s) or self.subnet_az.get(s)) == zone), None)
            endpoint = record.get("Endpoint") or {}
            status = str(record.get("DBInstanceStatus", "available"))
            if status not in ("available", "backing-up", "modifying", "maintenance", "storage-optimization"):
                self.warn(record.at(value=name), f"RDS instance {name} is {status}")
            rds = self.make(
                RdsInstance, record, f"RDS instance {name}", id=name, tags=_tags(record, "TagList"),
                engine=record.get("Engine"), port=endpoint.get("Port") or record.get("DbInstancePort") or None,
                subnet_group=group_name, subnet=subnet, private_ip=eni.get("PrivateIpAddress") if eni else None,
                security_groups=security_groups, publicly_accessible=bool(record.get("PubliclyAccessible")),
                multi_az=bool(record.get("MultiAZ")),
            )
            if rds is not None:
                vpc["rds_instances"][name] = rds
                self.place(("vpcs", vpc_id, "rds_instances", name), record.at("DBInstanceIdentifier", value=name))

    def rds_interface(self, candidates: list[_Record], subnets: list[str], groups: list[str],
                      zone: str | None) -> dict | None:
        """The RDS-managed ENI that belongs to one DB instance: same subnets, same groups, its AZ first."""
        matching = [r for r in candidates if r.get("NetworkInterfaceId") not in self.claimed_enis
                    and r.get("SubnetId") in subnets
                    and {g.get("GroupId") for g in r.get("Groups") or []} == set(groups)]
        matching.sort(key=lambda r: r.get("AvailabilityZone") != zone)
        if not matching:
            return None
        self.claimed_enis.add(matching[0].get("NetworkInterfaceId"))
        return matching[0].data

    def read_efs(self) -> None:
        for eni_id, record in self.enis.items():
            match = re.match(r"EFS mount target for (fs-[0-9a-f]+) \((fsmt-[0-9a-f]+)\)", str(record.get("Description") or ""))
            if not match or eni_id in self.claimed_enis:
                continue
            vpc = self.vpc_of(record.get("VpcId"), record, eni_id)
            if vpc is None:
                continue
            target = self.make(EfsMountTarget, record, match.group(2), id=match.group(2),
                               tags={"Name": match.group(1)}, subnet=record.get("SubnetId"),
                               private_ip=record.get("PrivateIpAddress"),
                               security_groups=[g["GroupId"] for g in record.get("Groups") or []])
            if target is not None:
                vpc["efs_mount_targets"][match.group(2)] = target
                self.claimed_enis.add(eni_id)

    def read_elasticsearch(self) -> None:
        """Elasticsearch/OpenSearch domains in a VPC: their ENIs when listed, else one per subnet."""
        for record in self.s["DomainStatusList"]:
            options = record.get("VPCOptions") or {}
            domain = record.get("DomainName")
            if not options.get("VPCId") or record.get("Deleted"):
                continue
            vpc = self.vpc_of(options.get("VPCId"), record, f"Elasticsearch domain {domain}")
            if vpc is None:
                continue
            listed = [e for e, r in self.enis.items() if str(r.get("Description") or "") == f"ES {domain}"]
            if listed:
                continue  # read as network interfaces, tagged with the domain name
            for subnet in options.get("SubnetIds") or []:
                key = f"{domain}@{subnet}"
                eni = self.make(NetworkInterface, record, key, tags={"Name": domain}, subnet=subnet,
                                interface_type="other", public_ip=False,
                                description=f"Elasticsearch domain {domain} (its interface is not in the snapshot)",
                                security_groups=list(options.get("SecurityGroupIds") or []))
                if eni is not None:
                    vpc["network_interfaces"][key] = eni
                    self.place(("vpcs", options.get("VPCId"), "network_interfaces", key), record.at("VPCOptions"))

    def read_flow_logs(self) -> None:
        if not self.s.has("FlowLogs"):
            # Not collected: whether the VPCs log their traffic is unknown, not "no".
            for vpc in self.vpcs.values():
                vpc["flow_logs"] = None
            return
        for record in self.unique(self.s["FlowLogs"], "FlowLogId"):
            resource = record.get("ResourceId") or ""
            if resource not in self.vpcs:
                continue  # subnet- and ENI-level flow logs have no place in the model
            log = self.make(FlowLog, record, record.get("FlowLogId"), id=record.get("FlowLogId"), tags=_tags(record),
                            traffic_type=record.get("TrafficType"), destination_type=record.get("LogDestinationType"),
                            destination=record.get("LogDestination") or record.get("LogGroupName"))
            if log is not None:
                self.vpcs[resource]["flow_logs"][record.get("FlowLogId")] = log

    # ----------------------------------------------------------------- between VPCs
    def read_peering(self) -> None:
        for record in self.unique(self.s["VpcPeeringConnections"], "VpcPeeringConnectionId"):
            pcx_id = record.get("VpcPeeringConnectionId")
            requester = record.get("RequesterVpcInfo") or {}
            accepter = record.get("AccepterVpcInfo") or {}
            state = str((record.get("Status") or {}).get("Code", "active"))
            description = (f"{requester.get('VpcId')} ({requester.get('Region', '?')}, account "
                           f"{requester.get('OwnerId', '?')}) → {accepter.get('VpcId')} ({accepter.get('Region', '?')}, "
                           f"account {accepter.get('OwnerId', '?')})")
            pcx = self.make(PeeringConnection, record, pcx_id, id=pcx_id, tags=_tags(record),
                            requester=requester.get("VpcId"), accepter=accepter.get("VpcId"), state=state,
                            description=description)
            if pcx is None:
                continue
            if state != "active":
                self.warn(record.at(value=pcx_id), f"{pcx_id} is {state}: it carries no traffic")
            for side in (requester, accepter):
                if side.get("VpcId") in self.vpcs and side.get("Region") and not self.vpc_region.get(side["VpcId"]):
                    self.vpc_region[side["VpcId"]] = side["Region"]
            self.peering[pcx_id] = pcx
            self.place(("peering_connections", pcx_id), record.at("VpcPeeringConnectionId", value=pcx_id))

    def read_transit_gateways(self) -> None:
        for record in self.unique(self.s["TransitGateways"], "TransitGatewayId"):
            tgw_id = record.get("TransitGatewayId")
            state = record.get("State", "available")
            if state in ("deleting", "deleted"):
                self.warn(record.at(value=tgw_id), f"{tgw_id} is {state}; skipped (routes to it are blackholes)")
                continue
            options = record.get("Options") or {}
            tgw = self.make(
                TransitGateway, record, tgw_id, id=tgw_id, tags=_tags(record),
                region=_region_of_arn(record.get("TransitGatewayArn")) or record.region, asn=options.get("AmazonSideAsn"),
                auto_accept_shared_attachments=options.get("AutoAcceptSharedAttachments") == "enable",
            )
            if tgw is not None:
                self.transit_gateways[tgw_id] = tgw
                self.place(("transit_gateways", tgw_id), record.at("TransitGatewayId", value=tgw_id))
        for record in self.unique(self.s["TransitGatewayRouteTables"], "TransitGatewayRouteTableId"):
            tgw = self.transit_gateways.get(record.get("TransitGatewayId"))
            table_id = record.get("TransitGatewayRouteTableId")
            if tgw is None or record.get("State") in ("deleting", "deleted"):
                continue
            tgw.route_tables[table_id] = TransitGatewayRouteTable(id=table_id, tags=_tags(record))
            self.place(("transit_gateways", tgw.id, "route_tables", table_id),
                       record.at("TransitGatewayRouteTableId", value=table_id))
        self.read_tgw_attachments()
        self.read_tgw_routes()

    def read_tgw_attachments(self) -> None:
        vpc_attachments = {r.get("TransitGatewayAttachmentId"): r for r in self.s["TransitGatewayVpcAttachments"]}
        records = list(self.unique([*self.s["TransitGatewayAttachments"], *self.s["TransitGatewayVpcAttachments"]],
                                   "TransitGatewayAttachmentId"))
        for record in records:
            attachment_id = record.get("TransitGatewayAttachmentId")
            tgw = self.transit_gateways.get(record.get("TransitGatewayId"))
            if tgw is None:
                self.warn(record.at(value=attachment_id), f"{attachment_id} belongs to {record.get('TransitGatewayId')}, "
                          "which is not in the snapshot; skipped")
                continue
            detail = vpc_attachments.get(attachment_id)
            kind = str(record.get("ResourceType") or ("vpc" if detail else "vpc"))
            kind = {"tgw-peering": "peering"}.get(kind, kind)
            if kind not in ("vpc", "vpn", "peering", "direct-connect-gateway", "connect"):
                self.warn(record.at(value=attachment_id), f"{attachment_id} is a {kind} attachment, which vpckit "
                          "does not model; skipped")
                continue
            association = record.get("Association") or {}
            route_table = association.get("TransitGatewayRouteTableId") if association.get(
                "State", "associated") == "associated" else None
            options = (detail.get("Options") if detail else None) or {}
            attachment = self.make(
                TransitGatewayAttachment, record, attachment_id, id=attachment_id, tags=_tags(record), type=kind,
                vpc=(detail.get("VpcId") if detail else None) or (record.get("ResourceId") if kind == "vpc" else None),
                subnets=list(detail.get("SubnetIds") or []) if detail else [], route_table=route_table,
                remote_cidrs=self.vpn_remote.get(attachment_id, []) if kind == "vpn" else [],
                appliance_mode=options.get("ApplianceModeSupport") == "enable",
                security_group_referencing=options.get("SecurityGroupReferencingSupport") == "enable",
                state=_attachment_state(record.get("State")),
                peer=record.get("ResourceId") if kind == "peering" else None,
            )
            if attachment is None:
                continue
            tgw.attachments[attachment_id] = attachment
            self.place(("transit_gateways", tgw.id, "attachments", attachment_id),
                       record.at("TransitGatewayAttachmentId", value=attachment_id))
        for record in self.s["NetworkInterfaces"]:
            match = re.search(r"tgw-attach-[0-9a-f]+", str(record.get("Description") or ""))
            if match and any(match.group(0) in t.attachments for t in self.transit_gateways.values()):
                self.claimed_enis.add(record.get("NetworkInterfaceId"))

    def attachment(self, attachment_id: str | None) -> TransitGatewayAttachment | None:
        for tgw in self.transit_gateways.values():
            if attachment_id in tgw.attachments:
                return tgw.attachments[attachment_id]
        return None

    def read_tgw_routes(self) -> None:
        for record in self.s["TransitGatewayRouteTableAssociations"]:
            # get-transit-gateway-route-table-associations, wrapped with its route table like propagations
            table = record.get("TransitGatewayRouteTableId")
            for item in record.get("Associations") or []:
                attachment = self.attachment(item.get("TransitGatewayAttachmentId"))
                if attachment is not None and item.get("State", "associated") == "associated":
                    attachment.route_table = table
        for record in self.s["TransitGatewayPropagations"]:
            table = record.get("TransitGatewayRouteTableId")
            for item in record.get("TransitGatewayRouteTablePropagations") or []:
                attachment = self.attachment(item.get("TransitGatewayAttachmentId"))
                if attachment is not None and item.get("State", "enabled") == "enabled" and table not in attachment.propagate_to:
                    attachment.propagate_to.append(table)
        for record in self.s["TransitGatewayStaticRoutes"]:
            table_id = record.get("TransitGatewayRouteTableId")
            table = next((t.route_tables[table_id] for t in self.transit_gateways.values()
                          if table_id in t.route_tables), None)
            if table is None:
                continue
            for route in record.get("Routes") or []:
                if str(route.get("Type", "static")) != "static":
                    continue  # propagated routes follow from the attachments' propagations
                destination = route.get("DestinationCidrBlock") or route.get("PrefixListId")
                attachments = route.get("TransitGatewayAttachments") or []
                blackhole = route.get("State") == "blackhole" or not attachments
                table.routes.append(TransitGatewayRoute(
                    destination=destination, blackhole=blackhole,
                    attachment=None if blackhole else attachments[0].get("TransitGatewayAttachmentId")))

    # ----------------------------------------------------------------- prefix lists and EIPs
    def read_prefix_lists(self) -> None:
        entries: dict[str, list[str]] = defaultdict(list)
        for record in self.s["ManagedPrefixListEntries"]:
            entries[record.get("PrefixListId")].extend(e["Cidr"] for e in record.get("Entries") or [] if e.get("Cidr"))
        for record in self.unique([*self.s["PrefixLists"], *self.s["ManagedPrefixLists"]], "PrefixListId"):
            pl_id = record.get("PrefixListId")
            cidrs = list(record.get("Cidrs") or []) or entries.get(pl_id, [])
            if not cidrs and record.get("State") and pl_id not in entries:
                self.warn(record.at(value=pl_id), f"{pl_id} has no entries in the snapshot (collect "
                          "get-managed-prefix-list-entries); it matches nothing")
            tags = {"Name": record.get("PrefixListName"), **_tags(record)} if record.get("PrefixListName") else _tags(record)
            family = "IPv6" if str(record.get("AddressFamily", "IPv4")).lower() == "ipv6" else "IPv4"
            prefix_list = self.make(PrefixList, record, pl_id, id=pl_id, tags=tags, cidrs=cidrs,
                                    max_entries=record.get("MaxEntries"), address_family=family)
            if prefix_list is not None:
                self.prefix_lists[pl_id] = prefix_list
                self.place(("prefix_lists", pl_id), record.at("PrefixListId", value=pl_id))

    def read_addresses(self) -> None:
        """Elastic IPs: recorded design-wide and set on the interface or NAT gateway they serve."""
        for record in self.unique(self.s["Addresses"], "PublicIp"):
            address = record.get("PublicIp")
            eni_id = record.get("NetworkInterfaceId")
            vpc_id = self.subnet_vpc.get((self.enis.get(eni_id).get("SubnetId") if eni_id in self.enis else None) or "")
            instance = record.get("InstanceId") or self.primary_eni.get(eni_id)
            nat = next((n for v in self.vpcs.values() for n, g in v["nat_gateways"].items()
                        if str(g.elastic_ip) == address), None)
            vpc_id = vpc_id or self.instance_vpc.get(instance or "")
            key = record.get("AllocationId") or address
            elastic = self.make(ElasticIp, record, address, id=record.get("AllocationId"), tags=_tags(record),
                                address=address, vpc=vpc_id, instance=instance, network_interface=eni_id,
                                nat_gateway=nat)
            if elastic is None:
                continue  # not an address: said in a warning, and nothing is attached to it
            self.elastic_ips[key] = elastic
            self.place(("elastic_ips", key), record.at("PublicIp", value=address))
            primary = record.get("PrivateIpAddress")
            if instance in self.instance_vpc and self.primary_eni.get(eni_id, instance) == instance:
                target = self.vpcs[self.instance_vpc[instance]]["instances"][instance]
            elif eni_id in self.eni_vpc:
                target = self.vpcs[self.eni_vpc[eni_id]]["network_interfaces"][eni_id]
            else:
                continue
            if primary is None or str(target.private_ip) == primary:
                target.elastic_ip = elastic.address
                if target.public_ip == address or target.public_ip is None:
                    target.public_ip = False if self.maps_public_ip(target.subnet) else None

    # ----------------------------------------------------------------- route tables
    def read_route_tables(self) -> None:
        for record in self.unique(self.s["RouteTables"], "RouteTableId"):
            table_id = record.get("RouteTableId")
            vpc_id = record.get("VpcId")
            vpc = self.vpc_of(vpc_id, record, table_id)
            if vpc is None:
                continue
            routes = []
            for index, data in enumerate(record.get("Routes") or []):
                route = self.route(data, record, index, table_id)
                if route is not None:
                    self.place(("vpcs", vpc_id, "route_tables", table_id, "routes", len(routes)),
                               record.at("Routes", index))
                    routes.append(route)
            edges = []
            for association in record.get("Associations") or []:
                state = (association.get("AssociationState") or {}).get("State", "associated")
                if state != "associated":
                    continue
                if association.get("Main"):
                    vpc["main_route_table"] = table_id
                elif association.get("SubnetId") in vpc["subnets"]:
                    vpc["subnets"][association["SubnetId"]].route_table = table_id
                elif association.get("GatewayId"):
                    edges.append(association["GatewayId"])
            table = self.make(
                RouteTable, record, table_id, id=table_id, tags=_tags(record), routes=routes,
                propagating_vpn_gateways=[p["GatewayId"] for p in record.get("PropagatingVgws") or [] if p.get("GatewayId")],
                edge_associations=edges,
            )
            if table is not None:
                vpc["route_tables"][table_id] = table
                self.place(("vpcs", vpc_id, "route_tables", table_id), record.at("RouteTableId", value=table_id))

    def route(self, data: dict, record: _Record, index: int, table_id: str) -> Route | None:
        destination = (data.get("DestinationCidrBlock") or data.get("DestinationIpv6CidrBlock")
                       or data.get("DestinationPrefixListId"))
        gateway = data.get("GatewayId")
        if gateway == "local":
            return None  # local routes are implicit in the model (RT-03)
        if gateway and gateway.startswith("vpce-") and table_id in self.gateway_endpoint_tables.get(gateway, ()):
            return None  # the endpoint's route_tables already say this (VPCE-02)
        target = (gateway or data.get("NatGatewayId") or data.get("TransitGatewayId")
                  or data.get("VpcPeeringConnectionId") or data.get("EgressOnlyInternetGatewayId")
                  or data.get("VpcEndpointId")
                  or self.instance_or_interface(data) or data.get("CarrierGatewayId")
                  or data.get("LocalGatewayId") or data.get("CoreNetworkArn"))
        state = "blackhole" if data.get("State") == "blackhole" else "active"
        where = record.at("Routes", index)
        if not target:
            target, state = "blackhole", "blackhole"
        elif state == "active":
            problem = self.target_problem(target)
            if problem:
                self.warn(where, f"route {destination} in {table_id}: {problem}; it drops traffic (blackhole)")
                state = "blackhole"
        if data.get("CarrierGatewayId") or data.get("LocalGatewayId") or data.get("CoreNetworkArn"):
            self.warn(where, f"route {destination} in {table_id} targets {target}, which vpckit does not model")
        origin = "propagated" if data.get("Origin") == "EnableVgwRoutePropagation" else "static"
        return self.make(Route, record, f"route {destination} in {table_id}", destination=destination,
                         target=target, origin=origin, state=state)

    def instance_or_interface(self, data: dict) -> str | None:
        """An instance target names its primary ENI; a secondary ENI is named by its own id."""
        eni, instance = data.get("NetworkInterfaceId"), data.get("InstanceId")
        if eni and (not instance or self.primary_eni.get(eni) != instance):
            return eni
        return instance

    def target_states(self) -> tuple:
        """(id prefix, describe key, id → state) of every kind of route target that has a state."""
        if getattr(self, "_target_states", None) is None:
            self._target_states = (
                ("nat-", "NatGateways", self.nat_state), ("i-", "Reservations", self.instance_state),
                ("pcx-", "VpcPeeringConnections", {k: v.state for k, v in self.peering.items()}),
                ("tgw-", "TransitGateways", {k: "available" for k in self.transit_gateways}),
                ("eni-", "NetworkInterfaces", {**{k: "available" for k in self.eni_vpc},
                                               **{k: "available" for k in self.primary_eni}}),
            )
        return self._target_states

    def target_problem(self, target: str) -> str | None:
        """Why a route's target cannot carry traffic (deleted, stopped, absent), or None."""
        for prefix, key, states in self.target_states():
            if not target.startswith(prefix) or target.startswith("tgw-attach"):
                continue
            if target in states:
                state = states[target]
                return None if state in ("available", "running", "active") else f"{target} is {state}"
            if self.s.has(key):
                return f"{target} is not in the snapshot (deleted)"
            self.unknown_target(target, key)
        for prefix, collection in (("igw-", "internet_gateways"), ("eigw-", "egress_only_internet_gateways"),
                                   ("vgw-", "vpn_gateways")):
            if target.startswith(prefix) and not any(target in v[collection] for v in self.vpcs.values()):  # few VPCs
                key = {"igw-": "InternetGateways", "eigw-": "EgressOnlyInternetGateways", "vgw-": "VpnGateways"}[prefix]
                if self.s.has(key):
                    return f"{target} is not attached to any VPC in the snapshot"
                self.unknown_target(target, key)
        return None

    def unknown_target(self, target: str, key: str) -> None:
        """Warn once about a route target whose describe output the snapshot lacks."""
        if target not in self.unknown_targets:
            self.unknown_targets.add(target)
            self.warn(self.s.root, f"routes name {target}, but the snapshot has no {key} output to say what it is; "
                      "they are kept as AWS lists them")

    # ----------------------------------------------------------------- assembling
    def build(self) -> Design:
        self.read_vpcs()
        self.read_subnets()
        self.read_network_acls()
        self.read_security_groups()
        self.read_gateways()
        self.read_transit_gateways_first()
        self.read_nat_gateways()
        self.collect_interfaces()
        self.read_instances()
        self.read_endpoints()
        self.read_load_balancers()
        self.read_rds()
        self.read_efs()
        self.read_network_interfaces()
        self.read_elasticsearch()
        self.read_flow_logs()
        self.read_peering()
        self.read_prefix_lists()
        self.read_addresses()
        self.read_route_tables()
        return self.assemble()

    def read_transit_gateways_first(self) -> None:
        # VPN connections name TGW attachments, and TGW attachments carry the VPN's routes.
        self.vpn_remote: dict[str, list[str]] = {}
        self.read_vpn()
        self.read_transit_gateways()

    def assemble(self) -> Design:
        missing = [key for key in ("Subnets", "RouteTables", "NetworkAcls", "SecurityGroups") if not self.s.has(key)]
        if self.vpcs and missing:
            self.warn(self.s.root, f"no {', '.join(missing)} output in the snapshot; AWS's defaults are assumed "
                      "(a main route table with local routes only, a default NACL that allows all, a default "
                      "security group)")
        vpcs: dict[str, Vpc] = {}
        for vpc_id, data in self.vpcs.items():
            record: _Record = data.pop("_record")
            region = self.vpc_region.get(vpc_id) or self.region_from_zones(data) or self.default_region
            vpc = self.make(Vpc, record, vpc_id, region=region, **data)
            if vpc is not None:
                if data.get("flow_logs", {}) is None:
                    vpc.flow_logs = None  # make() drops None values; here None means "not collected"
                vpcs[vpc_id] = vpc
        regions = Counter(v.region for v in vpcs.values() if v.region)
        regions.update(t.region for t in self.transit_gateways.values() if t.region)
        design = Design(
            name=_snapshot_name(self.s.root),
            region=regions.most_common(1)[0][0] if regions else self.default_region or "us-east-1",
            vpcs=vpcs, peering_connections=self.peering, transit_gateways=self.transit_gateways,
            prefix_lists=self.prefix_lists, on_premises=self.on_premises, elastic_ips=self.elastic_ips,
        )
        for tgw in design.transit_gateways.values():
            if tgw.region is None:
                tgw.region = next((vpcs[a.vpc].region for a in tgw.attachments.values() if a.vpc in vpcs), None)
        source = SourceMap(file=self.s.root, positions=self.positions, kind="aws", warnings=self.s.warnings)
        return design.with_source(source)

    def region_from_zones(self, data: dict[str, Any]) -> str | None:
        for subnet in data["subnets"].values():
            region = _region_of_zone(subnet.az, self.s.zone_regions)
            if region:
                return region
        return None


def _snapshot_name(root: str) -> str:
    """The design's name: the snapshot folder's (above ``aws_configs`` in Batfish's layout).

    >>> _snapshot_name("/data/prod/aws_configs/"), _snapshot_name("snap")
    ('prod', 'snap')
    """
    path = os.path.abspath(root)
    if os.path.basename(path) == "aws_configs":
        path = os.path.dirname(path)
    return os.path.basename(path) or "aws"


def _interface_type(eni: dict) -> str:
    """The model's interface_type for an ENI, from AWS's InterfaceType and who requested it."""
    kind = str(eni.get("InterfaceType") or "interface")
    description = str(eni.get("Description") or "")
    if kind in ("nat_gateway", "vpc_endpoint", "lambda", "efs", "transit_gateway"):
        return kind
    if kind in ("network_load_balancer", "load_balancer", "gateway_load_balancer") or description.startswith("ELB "):
        return "load_balancer"
    if eni.get("RequesterId") == "amazon-rds" or description == "RDSNetworkInterface":
        return "rds"
    if description.startswith("AWS Lambda VPC ENI"):
        return "lambda"
    if description.startswith("EFS mount target"):
        return "efs"
    if kind == "interface" and not eni.get("RequesterManaged"):
        return "interface"
    return "other"


def _endpoint_state(state: Any) -> str:
    text = str(state or "available").lower()
    return {"pendingacceptance": "pending", "deleting": "deleted", "expired": "deleted", "partial": "available"}.get(
        text, text if text in ("available", "pending", "deleted", "failed", "rejected") else "available")


def _attachment_state(state: Any) -> str:
    text = str(state or "available")
    return {
        "initiating": "pending", "initiatingRequest": "pending", "modifying": "available",
        "rollingBack": "failed", "failing": "failed", "rejecting": "rejected",
    }.get(text, text if text in ("available", "pending", "deleted", "deleting", "failed", "rejected",
                                 "pendingAcceptance") else "pending")


def load(path: str, **options: Any) -> Design:
    """Read a directory of AWS describe-* JSON outputs into a :class:`Design`.

    ``region`` (an option) is the region of VPCs whose region neither a folder name, an ARN,
    nor an Availability Zone reveals. Reader warnings (unknown top-level keys, stopped instances, deleted NAT gateways...) are in
    ``design.source.warnings``; a file that is not valid JSON is an :class:`InputError` with its
    line and column.

    >>> load("/nonexistent")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: /nonexistent: no such file or directory
    """
    snapshot = _read(path)
    return _Builder(snapshot, default_region=options.get("region")).build()


FORMAT = InputFormat("aws", "vpckit.sources.aws", "directory of AWS describe-* JSON outputs", recognises)
