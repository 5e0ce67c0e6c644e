"""The ``Design``: the one shape every reader produces and every consumer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from pydantic import Field, PrivateAttr

from .resources import (
    ElasticIp,
    Expectation,
    OnPremisesNetwork,
    PeeringConnection,
    PrefixList,
    TransitGateway,
    Vpc,
)
from .types import Strict
from ..errors import Position  # defined beside the errors that carry it; re-exported here

Path = tuple[str | int, ...]



#: Model field name → the alias a design file may use instead (for positions of findings).
_FIELD_ALIASES = {
    "network_acls": "nacls", "network_acl": "nacl", "default_network_acl": "default_nacl",
    "map_public_ip_on_launch": "auto_public_ip", "source": "from", "destination": "to",
}


def as_written(path: Path) -> Path:
    """``path`` spelled with the keys a design file may use instead of the model's field names.

    >>> as_written(("vpcs", "p", "network_acls", "app", "ingress", 0))
    ('vpcs', 'p', 'nacls', 'app', 'ingress', 0)
    """
    return tuple(_FIELD_ALIASES.get(part, part) if isinstance(part, str) else part for part in path)


@dataclass
class SourceMap:
    """Where each part of a design came from: a path of keys → a :class:`Position`.

    Two source maps always compare equal, so the same network read from two files (or
    written and read back) gives equal designs.

    >>> sm = SourceMap("d.yaml", {("vpcs", "prod"): Position("d.yaml", 4, 3)})
    >>> str(sm.locate(("vpcs", "prod", "subnets", "a")))
    'd.yaml:4:3'
    """

    file: str = "<memory>"
    positions: dict[Path, Position] = field(default_factory=dict)
    kind: str = "native"
    warnings: list[str] = field(default_factory=list)

    def locate(self, path: Path) -> Position:
        """The position of ``path`` or of its nearest ancestor that has one.

        Paths use the model's field names; a file may have used an alias (``nacls`` for
        ``network_acls``), so both spellings are looked up.

        >>> sm = SourceMap("d.yaml", {("vpcs", "p", "nacls", "app"): Position("d.yaml", 9, 5)})
        >>> str(sm.locate(("vpcs", "p", "network_acls", "app", "ingress", 0)))
        'd.yaml:9:5'
        """
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            spelled = as_written(path)
            if spelled in self.positions:
                return self.positions[spelled]
            path = path[:-1]
        return self.positions.get((), Position(self.file))

    def __eq__(self, other: object) -> bool:  # positions are provenance, not content
        return isinstance(other, SourceMap)

    __hash__ = None  # type: ignore[assignment]


class Suppression(Strict):
    """Accept the findings of ``rule`` on the resources ``resource`` matches, for a stated reason.

    ``rule`` and ``resource`` are shell-style globs. ``resource`` matches a finding's key path
    written with slashes (``vpcs/prod/security_groups/bastion``; a path also matches every part
    below it) or its resource label (``vpc prod / security group bastion``).

    >>> Suppression(rule="SG001", resource="vpcs/prod/security_groups/bastion", reason="IP-restricted upstream").rule
    'SG001'
    """

    rule: str = Field(description="Rule id or glob (SG00*)")
    resource: str = Field("*", description="Glob over the finding's key path (vpcs/prod/security_groups/web)")
    reason: str = Field(min_length=1, description="Why the finding is accepted; mandatory")


class Design(Strict):
    """A whole network: VPCs with their contents, what connects them, and expectations.

    >>> d = Design.model_validate({"name": "demo", "vpcs": {"prod": {"cidr": "10.0.0.0/16"}}})
    >>> d.vpcs["prod"].cidr
    IPNetwork('10.0.0.0/16')
    """

    name: str = "design"
    description: str | None = None
    region: str = Field("us-east-1", description="Default region of every VPC and transit gateway")
    vpcs: dict[str, Vpc] = Field(default_factory=dict)
    peering_connections: dict[str, PeeringConnection] = Field(default_factory=dict)
    transit_gateways: dict[str, TransitGateway] = Field(default_factory=dict)
    prefix_lists: dict[str, PrefixList] = Field(default_factory=dict)
    on_premises: dict[str, OnPremisesNetwork] = Field(default_factory=dict)
    expectations: list[Expectation] = Field(default_factory=list)
    elastic_ips: dict[str, ElasticIp] = Field(default_factory=dict, description="Allocated elastic IPs (NET004)")
    suppressions: list[Suppression] = Field(
        default_factory=list, description="Findings to suppress: {rule, resource, reason}; reason is mandatory"
    )

    _source: SourceMap = PrivateAttr(default_factory=SourceMap)

    @property
    def source(self) -> SourceMap:
        """Where the design was read from (file, positions, reader warnings)."""
        return self._source

    def with_source(self, source: SourceMap) -> Design:
        """Attach a :class:`SourceMap` and return ``self``."""
        self._source = source
        return self

    def vpc_region(self, vpc_name: str) -> str:
        """The region of a VPC (its own, else the design's).

        >>> Design.model_validate({"vpcs": {"a": {"cidr": "10.0.0.0/16"}}}).vpc_region("a")
        'us-east-1'
        """
        return self.vpcs[vpc_name].region or self.region

    def find_vpc(self, ref: str) -> str | None:
        """The design name of a VPC given its name, AWS id or Name tag.

        >>> Design.model_validate({"vpcs": {"a": {"cidr": "10.0.0.0/16", "id": "vpc-1"}}}).find_vpc("vpc-1")
        'a'
        """
        if ref in self.vpcs:
            return ref
        for name, vpc in self.vpcs.items():
            if ref == vpc.id or ref == vpc.tags.get("Name"):
                return name
        return None

    def iter_vpcs(self) -> Iterator[tuple[str, Vpc]]:
        """VPCs in a stable (name) order."""
        return iter(sorted(self.vpcs.items()))
