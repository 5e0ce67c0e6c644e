"""Flow rows: the one answer shape of the set questions (DESIGN.md, "Questions about sets of flows")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..reach.answer import Blocker

__all__ = ["EndpointInfo", "FlowRow", "PortsAnswer", "STATUSES", "ports_label", "icmp_label"]

#: Row statuses, best first. ``undetermined``: everything vpckit can check lets the flow through, but an
#: appliance whose rules are not in the input decides (VPCE-06).
STATUSES = ("open", "partial", "undetermined", "closed")
_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}


@dataclass(frozen=True)
class EndpointInfo:
    """One end of a set question: what the user named, what it resolved to, and its addresses as CIDRs.

    >>> EndpointInfo("web-1", "interface", "eni:prod/web-1", ("10.0.0.10/32",)).to_dict()["addresses"]
    ['10.0.0.10/32']
    """

    name: str
    kind: str
    node: str
    addresses: tuple[str, ...] = ()
    #: for a class of interfaces: every member's name (the class answers for all of them)
    members: tuple[str, ...] = ()

    def of_family(self, family: int) -> "EndpointInfo":
        """The same end with only its addresses of IP version ``family``."""
        return EndpointInfo(self.name, self.kind, self.node,
                            tuple(a for a in self.addresses if (":" in a) == (family == 6)), self.members)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "node": self.node,
                               "addresses": list(self.addresses)}
        if self.members:
            out["members"] = list(self.members)
            out["count"] = len(self.members)
        return out


def ports_label(low: int, high: int) -> str:
    """A port range as the rows write it.

    >>> ports_label(443, 443), ports_label(1024, 65535)
    ('443', '1024-65535')
    """
    return str(low) if low == high else f"{low}-{high}"


def icmp_label(low: int, high: int) -> str:
    """An ICMP type/code range (keys ``type * 256 + code``) that lies in one type or spans whole types.

    >>> icmp_label(8 * 256, 8 * 256), icmp_label(3 * 256, 3 * 256 + 15), icmp_label(0, 7 * 256 + 255)
    ('8/0', '3/0-15', '0-7/0-255')
    """
    first_type, first_code = divmod(low, 256)
    last_type, last_code = divmod(high, 256)
    if first_type == last_type:
        return f"{first_type}/{ports_label(first_code, last_code)}"
    return f"{first_type}-{last_type}/0-255"


@dataclass(frozen=True)
class FlowRow:
    """A maximal range of one protocol between two ends, with one status.

    ``status`` is ``open`` (the request arrives and the reply returns for every client port),
    ``partial`` (the reply returns only for some client ports: ``failing_client_ports``),
    ``undetermined`` (an appliance vpckit cannot see decides) or ``closed`` (``blockers`` close it,
    ``closed_on`` says on which leg). ``low``/``high`` are ports, ICMP ``type * 256 + code``, or
    the whole protocol for protocols without ports.
    """

    family: int
    protocol: str
    low: int
    high: int
    status: str
    source: EndpointInfo
    destination: EndpointInfo
    blockers: tuple[Blocker, ...] = ()
    failing_client_ports: tuple[tuple[int, int], ...] = ()
    undetermined: tuple[Blocker, ...] = ()
    via: tuple[str, ...] = ()
    numbers: str | None = None

    @property
    def space(self) -> str | None:
        """``ports`` (tcp, udp), ``icmp`` (ICMP over IPv4, ICMPv6 over IPv6) or None (the whole protocol)."""
        if self.protocol in ("tcp", "udp"):
            return "ports"
        if (self.protocol, self.family) in (("icmp", 4), ("icmpv6", 6)):
            return "icmp"
        return None

    @property
    def ports(self) -> str:
        """``"443"``, ``"1024-65535"``, ICMP ``"8/0"``, ``"3/0-15"``, or ``"all"`` for other protocols."""
        if self.space == "ports":
            return ports_label(self.low, self.high)
        if self.space == "icmp":
            return icmp_label(self.low, self.high)
        return "all"

    @property
    def closed_on(self) -> str | None:
        """``forward``, ``return`` or ``both``: the legs whose settings close the row (None unless closed)."""
        if self.status != "closed":
            return None
        legs = {b.leg for b in self.blockers}
        if legs == {"return"}:
            return "return"
        return "both" if "return" in legs else "forward"

    @property
    def protocol_number(self) -> int | None:
        """The IP protocol number of the row; None for the ``other`` row (every protocol no rule names)."""
        number = _NUMBERS.get(self.protocol)
        if number is not None:
            return number
        return int(self.protocol) if self.protocol.isdigit() else None

    @property
    def excepted_protocols(self) -> frozenset[int]:
        """For the ``other`` row, the protocol numbers it does not stand for (each has a row of its own).

        >>> FlowRow(4, "other", 0, 0, "open", EndpointInfo("a", "interface", "a"), EndpointInfo("b", "interface", "b"),
        ...         numbers="every protocol except 1, 6, 17, 47").excepted_protocols == {1, 6, 17, 47}
        True
        """
        text = (self.numbers or "").rsplit("except", 1)[-1]
        return frozenset(int(part) for part in text.replace(",", " ").split() if part.isdigit())

    def query(self, source: str, destination: str, *, first_only: bool = False):
        """The ``reach`` query for the row's range between two ends (its first port with ``first_only``; the
        first ICMP type/code); None for the ``other`` row.

        >>> row = FlowRow(4, "tcp", 5432, 5440, "open", EndpointInfo("a", "interface", "a"), EndpointInfo("b", "interface", "b"))
        >>> row.query("a", "b").port, row.query("a", "b", first_only=True).port
        (PortRange(low=5432, high=5440), PortRange(low=5432, high=5432))
        """
        from ..model.types import PortRange
        from ..reach.query import Query

        number = self.protocol_number
        if number in (6, 17):
            return Query(source, destination, number,
                         PortRange(low=self.low, high=self.low if first_only else self.high))
        if number in (1, 58):
            return Query(source, destination, number, icmp_type=self.low // 256, icmp_code=self.low % 256)
        return None if number is None else Query(source, destination, number)

    def to_dict(self) -> dict[str, Any]:
        """The row in the JSON shape of DESIGN.md."""
        out: dict[str, Any] = {
            "source": self.source.to_dict(),
            "destination": self.destination.to_dict(),
            "ip_version": self.family,
            "protocol": self.protocol,
            "ports": self.ports,
            "status": self.status,
            "failing_client_ports": [ports_label(lo, hi) for lo, hi in self.failing_client_ports],
            "blockers": [b.to_dict() for b in self.blockers],
        }
        if self.numbers is not None:
            out["protocol_numbers"] = self.numbers
        if self.closed_on is not None:
            out["closed_on"] = self.closed_on
        if self.undetermined:
            out["undetermined"] = [u.to_dict() for u in self.undetermined]
        if self.via:
            out["via"] = list(self.via)
        return out


@dataclass
class PortsAnswer:
    """Every protocol and port on which ``source`` can reach ``destination``, as flow rows covering the whole space.

    ``walks`` counts the reach walks the answer cost.
    """

    source: EndpointInfo
    destination: EndpointInfo
    flows: list[FlowRow] = field(default_factory=list)
    client_ports: str | None = None
    walks: int = 0
    notes: list[str] = field(default_factory=list)
    #: every component and setting the walks consulted (what the answer depends on; see flows.atoms.cell)
    components: set[str] = field(default_factory=set)

    def open(self) -> list[FlowRow]:
        """The rows that are open or partial (something gets through)."""
        return [row for row in self.flows if row.status in ("open", "partial")]

    def to_dict(self) -> dict[str, Any]:
        """``{"source": ..., "destination": ..., "flows": [rows]}`` plus the cost and notes."""
        out: dict[str, Any] = {"source": self.source.to_dict(), "destination": self.destination.to_dict(),
                               "flows": [row.to_dict() for row in self.flows], "walks": self.walks}
        if self.client_ports is not None:
            out["client_ports"] = self.client_ports
        if self.notes:
            out["notes"] = list(self.notes)
        return out
