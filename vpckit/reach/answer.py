"""The answer to a reachability question: verdict, forward and return hops, blockers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.types import PortRange
from .query import Query

__all__ = ["Hop", "Blocker", "Answer"]


@dataclass(frozen=True)
class Hop:
    """One component on a path and what it did with the packet.

    ``decision`` is ``allow``/``deny`` (filters), ``forward`` (routers, gateways),
    ``translate`` (NAT, IGW 1:1 NAT), ``deliver`` (the packet arrives) or ``drop``.

    >>> Hop("eni:p/web", "eni", "forward", "deliver").to_dict()["decision"]
    'deliver'
    """

    component: str
    kind: str
    direction: str
    decision: str
    rule: str | None = None
    code: str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"component": self.component, "kind": self.kind, "direction": self.direction,
                "decision": self.decision, "rule": self.rule, "code": self.code, "detail": self.detail}


@dataclass(frozen=True)
class Blocker:
    """A setting that blocks the flow, with an explanation code and a fix.

    >>> Blocker("SUBNET_ACL_RESTRICTION", "subnet:p/a", "nacl:p/a", "forward", "NACL-06", "denied", "allow it").leg
    'forward'
    """

    code: str
    component: str
    setting: str
    leg: str
    semantics: str
    message: str
    fix: str
    ports: tuple[tuple[int, int], ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``ports``: the denied ports when only part of them is denied)."""
        out = {"code": self.code, "component": self.component, "setting": self.setting, "leg": self.leg,
               "semantics": self.semantics, "message": self.message, "fix": self.fix}
        if self.ports is not None:
            out["ports"] = [lo if lo == hi else f"{lo}-{hi}" for lo, hi in self.ports]
        return out


@dataclass
class Answer:
    """The answer to a :class:`~vpckit.reach.Query`.

    ``partial`` means some connections get through and others do not: ``failing_client_ports``
    are the client source ports whose replies are dropped (stateless NACLs, NACL-07; behind a NAT
    gateway these are its ports 1024-65535, NAT-04); ``failing_ports`` the destination ports of a
    port-range question that are blocked on the way there.

    >>> from vpckit.reach.query import parse_query
    >>> a = Answer(parse_query({"from": "a", "to": "b", "port": 22}), "reachable")
    >>> a.to_dict()["verdict"], a.reachable
    ('reachable', True)
    """

    query: Query
    verdict: str
    forward: list[Hop] = field(default_factory=list)
    return_path: list[Hop] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    failing_client_ports: list[PortRange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failing_ports: list[PortRange] = field(default_factory=list)
    #: settings that decide the flow but cannot be known offline (verdict ``undetermined``)
    undetermined: list[Blocker] = field(default_factory=list)
    source: str | None = None
    destination: str | None = None
    #: the Name tag of each component the answer names that has one (component id -> Name)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def disagrees(self) -> bool:
        """Whether the query said what to ``expect`` and the verdict is something else (what makes
        ``vpckit reach --queries`` exit 1)."""
        expect = getattr(self.query, "expect", None)
        return expect is not None and expect != self.verdict

    @property
    def reachable(self) -> bool:
        """True when the verdict is ``reachable``."""
        return self.verdict == "reachable"

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of DESIGN.md: query, verdict, forward, return, blockers, ..."""
        out: dict[str, Any] = {
            "query": self.query.to_dict(),
            "verdict": self.verdict,
            "source": self.source,
            "destination": self.destination,
            "forward": [h.to_dict() for h in self.forward],
            "return": [h.to_dict() for h in self.return_path],
            "blockers": [b.to_dict() for b in self.blockers],
            "failing_client_ports": [p.to_text() for p in self.failing_client_ports],
            "failing_ports": [p.to_text() for p in self.failing_ports],
            "notes": list(self.notes),
        }
        if self.undetermined:
            out["undetermined"] = [u.to_dict() for u in self.undetermined]
        if self.names:
            out["names"] = dict(self.names)
        if self.query.expect is not None:
            out["expect"] = self.query.expect
            out["as_expected"] = not self.disagrees
        return out
