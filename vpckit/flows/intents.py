"""Reachability intents: isolation, the only sources of a destination, everything a source exposes.

An intent speaks of sets of flows (``docs/design-format.md``):

- ``{from: tier:dev, to: tier:prod, expect: isolated}``: no flow from the one to the other (on ``ports``);
- ``{to: orders-db, only_from: [tier:app], ports: tcp/5432}``: every flow to ``to`` comes from a source
  of ``only_from``, on ``ports``;
- ``{from: internet, exposes: [web:tcp/443]}``: ``from`` reaches those, and nothing else.

Each is answered with :func:`~vpckit.flows.ports` questions between the selected ends (one per
interface class, per outside atom), so the flows are exactly those of ``ports`` and ``exposure``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from netaddr import IPAddress, IPNetwork

from ..errors import QueryError
from ..model import Expectation
from ..model.types import looks_like_address, parse_traffic
from ..network.build import Network
from ..reach.engine import answer as reach_answer
from .atoms import interface_classes
from .exposure import _atom_ends, exposure
from .ports import ports
from .rows import FlowRow
from .selectors import Selection, select

__all__ = ["IntentAnswer", "check_intent", "SelectorError"]

_NAMES = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6"}
_NOT_SOURCES = ("nat_gateway", "transit_gateway", "vpc_endpoint", "load_balancer")
_NOT_DESTINATIONS = ("nat_gateway", "transit_gateway", "load_balancer")
Traffic = tuple[int, "object | None"]  # (protocol number, PortRange or None)


@dataclass(frozen=True)
class Offence:
    """A flow that breaks an intent, and the ends it was asked with."""

    row: FlowRow
    source: str
    destination: str


@dataclass
class IntentAnswer:
    """Whether an intent holds: the flows that break it, the ``exposes`` items not exposed, what lets them through."""

    expectation: Expectation
    offences: list[Offence] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    allowed_by: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        """True when nothing breaks the intent."""
        return not self.offences and not self.missing

    def message(self, shown: int = 3) -> str:
        """One line: what the intent says, the first offending flows, their count, and the settings letting them through."""
        parts = []
        if self.offences:
            first = "; ".join(_describe(o.row) for o in self.offences[:shown])
            more = f" and {len(self.offences) - shown} more" if len(self.offences) > shown else ""
            count = len(self.offences)
            parts.append(f"{count} flow{'s' if count != 1 else ''} break{'s' if count == 1 else ''} it: {first}{more}")
        if self.missing:
            parts.append(f"not exposed: {', '.join(self.missing)}")
        if self.allowed_by:
            parts.append(f"let through by {'; '.join(self.allowed_by)}")
        return f"intent {self.expectation.label!r} does not hold: " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the offending rows (as flow rows), their count, the missing items, the settings."""
        return {"holds": self.holds, "count": len(self.offences), "flows": [o.row.to_dict() for o in self.offences[:50]],
                "missing": list(self.missing), "allowed_by": list(self.allowed_by)}


def check_intent(network: Network, expectation: Expectation) -> IntentAnswer:
    """Answer an intent (an expectation of the ``isolated``, ``only_from`` or ``exposes`` form).

    Raises :class:`SelectorError` (a :class:`~vpckit.errors.QueryError`) for a selector that matches
    nothing, with close names and the key that holds it.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "tier": "dev"},
    ...     "b": {"az": "us-east-1a", "cidr": "10.0.2.0/24", "tier": "prod"}},
    ...     "instances": {"x": {"subnet": "a"}, "y": {"subnet": "b"}}}}}))
    >>> intent = Expectation.model_validate({"from": "tier:dev", "to": "tier:prod", "expect": "isolated"})
    >>> check_intent(net, intent).holds
    False
    """
    traffic = [parse_traffic(item) for item in expectation.ports or ()] or None
    if expectation.form == "isolated":
        result = _isolated(network, expectation, traffic)
    elif expectation.form == "only_from":
        result = _only_from(network, expectation, traffic)
    elif expectation.form == "exposes":
        result = _exposes(network, expectation)
    else:
        raise QueryError(f"expectation {expectation.label!r} is about one flow; reach answers it")
    result.allowed_by = _allowed_by(network, result.offences[:1])
    return result


# --------------------------------------------------------------------------- the three forms


class SelectorError(QueryError):
    """A selector of an intent that selects nothing; ``key`` is the intent's key that holds it."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def _select(network: Network, text: str, key: str) -> Selection:
    try:
        return select(network, text)
    except QueryError as error:
        raise SelectorError(f"`{key}`: {error}", key) from None


def _isolated(network: Network, expectation: Expectation, traffic: list[Traffic] | None) -> IntentAnswer:
    sources = _select(network, expectation.source or "", "from")
    destinations = _select(network, expectation.destination or "", "to")
    result = IntentAnswer(expectation)
    for src in _ends(network, sources, "source"):
        for dst in _ends(network, destinations, "destination"):
            for row in _flows(network, src, dst, traffic):
                if traffic is None or any(_overlaps(row, t) for t in traffic):
                    result.offences.append(Offence(row, src.text, dst.text))
    return result


def _only_from(network: Network, expectation: Expectation, traffic: list[Traffic] | None) -> IntentAnswer:
    destinations = _select(network, expectation.destination or "", "to")
    allowed = [_select(network, text, "only_from") for text in expectation.only_from or ()]
    everyone = Selection("everyone", frozenset(network.interfaces), outside="everything")
    result = IntentAnswer(expectation)
    for src in _ends(network, everyone, "source", split_by=allowed):
        for dst in _ends(network, destinations, "destination"):
            permitted = _allowed_source(network, src.text, allowed)
            for row in _flows(network, src, dst, None):
                if not permitted or (traffic is not None and not any(_covers(row, t) for t in traffic)):
                    result.offences.append(Offence(row, src.text, dst.text))
    return result


def _exposes(network: Network, expectation: Expectation) -> IntentAnswer:
    sources = _select(network, expectation.source or "", "from")
    items = []
    for item in expectation.exposes or ():
        name, _, traffic_text = item.rpartition(":")
        items.append((item, _select(network, name, "exposes"), parse_traffic(traffic_text)))
    result = IntentAnswer(expectation)
    members = {k.members[0]: k.members for k in interface_classes(network)}
    seen: set[str] = set()
    rows: list[tuple[FlowRow, _End, _End]] = []
    if sources.outside == "internet":
        rows = [(row, _End(row.source.addresses[0].split("/")[0] if row.source.addresses else "internet"),
                 _End(row.destination.node)) for row in exposure(network).flows]
    else:
        for src in _ends(network, sources, "source"):
            for dst in _everything(network):
                rows += [(row, src, dst) for row in _flows(network, src, dst, None)]
    for row, src, dst in rows:
        nodes = set(members.get(row.destination.node, (row.destination.node,)))
        matched = [name for name, selection, traffic in items
                   if nodes & (selection.interfaces | selection.load_balancers) and _overlaps(row, traffic)]
        seen.update(matched)
        if not any(all(selection.covers(n) for n in nodes) and _covers(row, traffic)
                   for _, selection, traffic in items):
            result.offences.append(Offence(row, src.text, dst.text))
    result.missing = [name for name, _, _ in items if name not in seen]
    return result


# --------------------------------------------------------------------------- ends and flows


@dataclass(frozen=True)
class _End:
    """What ``ports`` is asked with, and the selected interfaces of its class it answers for."""

    text: str
    members: tuple[str, ...] = ()


def _ends(network: Network, selection: Selection, role: str, split_by: list[Selection] = ()) -> list[_End]:
    """What to ask ``ports`` with for a selection: one interface per class (per allowed part), outside atoms."""
    ends: list[_End] = []
    never = _NOT_SOURCES if role == "source" else _NOT_DESTINATIONS
    for klass in interface_classes(network):
        chosen = [m for m in klass.members if m in selection.interfaces and network.interfaces[m].owner_kind not in never]
        parts: dict[tuple, list[str]] = {}
        for member in chosen:
            parts.setdefault(tuple(s.covers(member) for s in split_by), []).append(member)
        ends += [_End(nodes[0], tuple(nodes)) for nodes in parts.values()]
    if role == "destination":
        ends += [_End(node) for node in sorted(selection.load_balancers)]
    if selection.outside is not None:
        ends += [_End(text) for text in _outside(network, selection.outside)]
    return ends


def _outside(network: Network, outside: str) -> list[str]:
    """Representatives of the outside atoms a selection covers (internet, on premises, a CIDR)."""
    if outside in ("internet", "everything"):
        kinds = ("internet", "onprem") if outside == "everything" else ("internet",)
        return [end.text for family in (4, 6) for kind in kinds for end in _atom_ends(network, family, kind)]
    cidr = IPNetwork(outside)
    return [end.text for end in _atom_ends(network, cidr.version, "any", cidr)]


def _everything(network: Network) -> list[_End]:
    everyone = Selection("everything", frozenset(network.interfaces),
                         frozenset(lb.node for lb in network.load_balancers.values()), outside="everything")
    return _ends(network, everyone, "destination")


def _flows(network: Network, source: _End, destination: _End, traffic: list[Traffic] | None) -> list[FlowRow]:
    """The rows of ``ports`` that get through (open, partial or undetermined), ends named as the user knows them."""
    if source.text == destination.text:
        return []
    if looks_like_address(source.text) and looks_like_address(destination.text):
        return []
    protocols = None
    if traffic is not None and all(protocol != -1 for protocol, _ in traffic):
        protocols = sorted({_NAMES.get(protocol, str(protocol)) for protocol, _ in traffic})
    try:
        found = ports(network, _text(network, source.text), _text(network, destination.text), protocols=protocols)
    except QueryError:
        return []
    return [replace(row, source=_named(network, row.source, source), destination=_named(network, row.destination,
                                                                                          destination))
            for row in found.flows if row.status != "closed"]


def _named(network: Network, info, end: _End):
    """An interface called by its name (``app-2``; ``prod-1 (+1)`` for the selected members of a class)."""
    iface = network.interfaces.get(info.node)
    if iface is None or info.name != info.node:
        return info
    members = tuple(network.interfaces[m].name for m in end.members)
    label = iface.name if len(members) < 2 else f"{iface.name} (+{len(members) - 1})"
    return replace(info, name=label, members=members if len(members) > 1 else ())


def _text(network: Network, end: str) -> str:
    lb = next((lb for lb in network.load_balancers.values() if lb.node == end), None)
    return f"{lb.vpc}/{lb.name}" if lb is not None else end


def _allowed_source(network: Network, source: str, allowed: list[Selection]) -> bool:
    if source in network.interfaces:
        return any(s.covers(source) for s in allowed)
    address = IPAddress(source)
    for selection in allowed:
        if selection.outside == "internet" and network.resolve_endpoint(source).kind == "internet":
            return True
        if selection.outside not in (None, "internet", "everything") and address in IPNetwork(selection.outside):
            return True
    return False


# --------------------------------------------------------------------------- traffic


def _overlaps(row: FlowRow, traffic: Traffic) -> bool:
    protocol, span = traffic
    if protocol == -1:
        return True
    number = row.protocol_number
    if number is None:  # the "other" row stands for every protocol no rule names
        return protocol not in row.excepted_protocols
    if number != protocol:
        return False
    return span is None or row.space != "ports" or (row.low <= span.high and span.low <= row.high)


def _covers(row: FlowRow, traffic: Traffic) -> bool:
    protocol, span = traffic
    if protocol == -1:
        return True
    if row.protocol_number != protocol:
        return False
    return span is None or row.space != "ports" or (span.low <= row.low and row.high <= span.high)


def _describe(row: FlowRow) -> str:
    source = row.source.name if row.source.kind not in ("internet", "onprem") else \
        f"{row.source.name} ({', '.join(row.source.addresses[:2])}{', ...' if len(row.source.addresses) > 2 else ''})"
    return f"{source} -> {row.destination.name} {row.protocol} {row.ports} ({row.status})"


def _allowed_by(network: Network, offences: list[Offence]) -> list[str]:
    """The rules that let the first offending flow through: what its walk matched on the way there."""
    out: list[str] = []
    for offence in offences:
        row = offence.row
        query = row.query(_text(network, offence.source), _text(network, offence.destination), first_only=True)
        if query is None:
            continue
        try:
            walked = reach_answer(network, query, row.family)
        except QueryError:
            continue
        for hop in walked.forward:
            if hop.decision == "allow" and hop.rule:
                text = f"{hop.component}: {hop.rule}"
                if text not in out:
                    out.append(text)
    return out
