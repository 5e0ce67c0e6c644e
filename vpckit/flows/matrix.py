"""``matrix``: who reaches whom, on what, between every pair of units (interfaces, subnets, tiers, groups, VPCs).

One :func:`~vpckit.flows.ports` question per pair of interface classes (never per pair of
interfaces), then grouped into the requested unit: a cell is the union of its member pairs' flows,
and says when only some of its member pairs reach (``partial-members``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

from ..errors import QueryError
from ..model.tiers import tier_of
from ..network.build import Network
from .atoms import interface_classes
from .ports import _info as ports_info, _protocols, as_network, ports
from .rows import EndpointInfo, FlowRow
from .sharing import SharedAnswers

__all__ = ["matrix", "MatrixAnswer", "MatrixCell", "UNITS"]

#: What the rows and columns of the matrix can be.
UNITS = ("interface", "subnet", "tier", "security-group", "vpc")
#: Interfaces that start no connection and answer none of their own (NAT-03, VPCE-04, TGW-01): not in the matrix.
_LEFT_OUT = ("nat_gateway", "transit_gateway")
Progress = Callable[[int, int], None]


@dataclass
class MatrixCell:
    """The flows from one unit to another: the union over their member pairs.

    ``pairs`` counts the interface pairs of the two units, ``reaching`` those that reach on
    something; ``status`` is ``all-members`` when every pair reaches, else ``partial-members``.
    """

    source: str
    destination: str
    flows: list[FlowRow] = field(default_factory=list)
    pairs: int = 0
    reaching: int = 0

    @property
    def status(self) -> str:
        """``all-members`` or ``partial-members`` (with ``reaching`` of ``pairs``)."""
        return "all-members" if self.reaching == self.pairs else "partial-members"

    def summary(self) -> list[str]:
        """``["tcp 443", "tcp 5432 (partial)", ...]``: the distinct flows, IPv6 marked."""
        out: list[str] = []
        for row in self.flows:
            text = f"{row.protocol if row.numbers is None else 'other'} {row.ports}"
            text += " (IPv6)" if row.family == 6 else ""
            text += "" if row.status == "open" else f" ({row.status})"
            if text not in out:
                out.append(text)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the units, the member counts and the flow rows."""
        return {"source": self.source, "destination": self.destination, "status": self.status,
                "pairs": self.pairs, "reaching_pairs": self.reaching, "flows": [row.to_dict() for row in self.flows]}


@dataclass
class MatrixAnswer:
    """The cells that reach (others reach on nothing), the units in order, and what the answer cost."""

    by: str
    units: list[str] = field(default_factory=list)
    cells: list[MatrixCell] = field(default_factory=list)
    classes: int = 0
    class_pairs: int = 0
    #: class pairs answered by the walks of a source class that the destination cannot tell apart
    shared: int = 0
    walks: int = 0
    notes: list[str] = field(default_factory=list)

    _index: dict[tuple[str, str], MatrixCell] = field(default_factory=dict, repr=False, compare=False)

    def cell(self, source: str, destination: str) -> MatrixCell | None:
        """The cell from one unit to another, None when nothing of the first reaches the second."""
        if len(self._index) != len(self.cells):  # a picture of 300 units looks up 90,000 cells
            self._index = {(c.source, c.destination): c for c in self.cells}
        return self._index.get((source, destination))

    def to_dict(self) -> dict[str, Any]:
        """``{"by", "units", "cells": [...], "classes", "class_pairs", "walks", "notes"}``."""
        return {"by": self.by, "units": list(self.units), "cells": [c.to_dict() for c in self.cells],
                "classes": self.classes, "class_pairs": self.class_pairs, "shared": self.shared,
                "walks": self.walks, "notes": list(self.notes)}


def _units(network: Network, node: str, by: str) -> list[str]:
    """The units an interface belongs to (an interface in several groups counts in each)."""
    iface = network.interfaces[node]
    if by == "interface":
        return [f"{iface.vpc}/{iface.name}"]
    if by == "vpc":
        return [iface.vpc]
    subnet = network.subnets.get(iface.subnet)
    if by == "subnet":
        return [f"{iface.vpc}/{subnet.name}" if subnet else iface.subnet]
    if by == "tier":
        design_subnet = network.design.vpcs[iface.vpc].subnets.get(subnet.name) if subnet else None
        tier = tier_of(subnet.name, design_subnet) if design_subnet is not None else None
        return [f"{iface.vpc}/{tier}" if tier else f"{iface.vpc}/(no tier)"]
    return [f"{g.split(':', 1)[-1]}" for g in iface.security_groups] or [f"{iface.vpc}/(no group)"]


def matrix(network: Network | Any, *, by: str = "interface", protocols: Iterable[str | int] | None = None,
           progress: Progress | None = None, jobs: int = 1) -> MatrixAnswer:
    """Every pair of units and the flows between them, from one ``ports`` question per pair of classes.

    ``jobs`` processes share the source classes (the answer is the same for any number). Raises
    :class:`~vpckit.errors.QueryError` for an unknown unit, and for ``by="tier"`` on a network whose
    subnets declare no tier.

    >>> answer = matrix("designs/three-tier.yaml", by="tier")
    >>> [(c.source, c.destination, c.summary()) for c in answer.cells if c.destination == "prod/db"]
    [('prod/app', 'prod/db', ['tcp 5432'])]
    """
    if by not in UNITS:
        raise QueryError(f"--by {by!r}: expected one of {', '.join(UNITS)}")
    network = as_network(network)
    classes = [k for k in interface_classes(network)
               if network.interfaces[k.representative].owner_kind not in _LEFT_OUT]
    if by == "tier" and all(u.endswith("(no tier)") for k in classes for u in _units(network, k.representative, by)):
        raise QueryError("--by tier: no subnet of this network declares a tier (a `tier` label or a `Tier` tag); "
                         "try --by subnet")
    wanted = list(protocols) if protocols is not None else None
    _protocols(wanted)  # an unknown protocol is refused before any walk
    result = MatrixAnswer(by, classes=len(classes))
    members = {k.representative: k.members for k in classes}
    result.units = sorted({u for k in classes for m in k.members for u in _units(network, m, by)})
    answers, result.shared = _class_pairs(network, [k.representative for k in classes], members, wanted, jobs,
                                          progress)
    cells: dict[tuple[str, str], MatrixCell] = {}
    by_units = {rep: _by_units(network, nodes, by) for rep, nodes in members.items()}
    for src, dst, reached, walks in answers:
        result.class_pairs += 1
        result.walks += walks
        for (source_units, sources), (destination_units, destinations) in (
                (s, d) for s in by_units[src].items() for d in by_units[dst].items()):
            # member pairs of the two unit sets, an interface never paired with itself
            count = len(sources) * len(destinations) - len(set(sources) & set(destinations))
            if count <= 0:
                continue
            for su in source_units:
                for du in destination_units:
                    cell = cells.setdefault((su, du), MatrixCell(su, du))
                    cell.pairs += count
                    if reached:
                        cell.reaching += count
                        for row in reached:
                            if not any(_same(row, r) for r in cell.flows):
                                cell.flows.append(row)
    result.cells = [c for key, c in sorted(cells.items()) if c.reaching]
    return result


def _by_units(network: Network, nodes: tuple[str, ...], by: str) -> dict[tuple[str, ...], list[str]]:
    """A class's members by the units they belong to (one entry for most units: a class shares its subnet)."""
    out: dict[tuple[str, ...], list[str]] = {}
    for node in nodes:
        out.setdefault(tuple(_units(network, node, by)), []).append(node)
    return out


def _pairs(members: dict[str, tuple[str, ...]], src: str, dst: str) -> list[tuple[str, str]]:
    return [(a, b) for a in members[src] for b in members[dst] if a != b]


def _ask(network: Network, members: dict, wanted, src: str, dst: str, shares: dict[str, SharedAnswers],
         counts: list[int]) -> tuple | None:
    """One ``ports`` question for a pair of classes: (src, dst, the rows that get through, walks).

    A source class that the destination cannot tell apart from one already asked (:class:`SharedAnswers`)
    takes that answer, its rows relabelled with its own end.
    """
    pairs = _pairs(members, src, dst)
    if not pairs:
        return None
    a, b = pairs[0]
    shared = shares.setdefault(b, SharedAnswers(network, (b,)))
    answer = shared.lookup(a)
    walks = 0
    if answer is None:
        try:
            answer = ports(network, a, b, protocols=wanted)
        except QueryError:
            return (src, dst, [], 0)  # no address family in common, or the source starts nothing
        shared.store(a, answer)
        walks = answer.walks
    else:
        counts[0] += 1
    rows = [row for row in answer.flows if row.status != "closed"]
    if rows and rows[0].source.node != a:
        source = _end_info(network, a)
        rows = [replace(row, source=source.of_family(row.family)) for row in rows]
    return (src, dst, rows, walks)


def _end_info(network: Network, node: str) -> EndpointInfo:
    return ports_info(network, network.resolve_endpoint(node), node)


_SHARED: dict[str, Any] = {}


def _worker(destinations: list[str]) -> tuple[list[tuple], int]:
    network, members, wanted, representatives = (_SHARED[k] for k in ("network", "members", "wanted", "classes"))
    return _column(network, members, wanted, representatives, destinations)


def _column(network: Network, members: dict, wanted, sources: list[str], destinations: list[str]) -> tuple[list, int]:
    """Every source class toward each of ``destinations``: answers shared down a column."""
    shares: dict[str, SharedAnswers] = {}
    counts = [0]
    found = [f for dst in destinations for src in sources
             if (f := _ask(network, members, wanted, src, dst, shares, counts)) is not None]
    return found, counts[0]


def _class_pairs(network: Network, representatives: list[str], members: dict, wanted, jobs: int,
                 progress: Progress | None) -> tuple[list[tuple], int]:
    """Every class pair's answer, in a fixed order (by source, then destination), and how many were shared.

    Destinations are the outer loop, so that one destination's answers serve the source classes it
    cannot tell apart; ``jobs`` processes share the destination classes.
    """
    total = len(representatives)
    found: list[tuple] = []
    shared = 0
    if jobs <= 1 or total < 2:
        for done, dst in enumerate(representatives, 1):
            part, count = _column(network, members, wanted, representatives, [dst])
            found += part
            shared += count
            if progress is not None:
                progress(done, total)
    else:
        import multiprocessing

        _SHARED.update(network=network, members=members, wanted=wanted, classes=representatives)
        chunks = [representatives[i::jobs * 4] for i in range(jobs * 4) if representatives[i::jobs * 4]]
        try:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for done, (part, count) in enumerate(pool.imap_unordered(_worker, chunks), 1):
                    found += part
                    shared += count
                    if progress is not None:
                        progress(done, len(chunks))
        finally:
            _SHARED.clear()
    order = {rep: i for i, rep in enumerate(representatives)}
    found.sort(key=lambda f: (order[f[0]], order[f[1]]))
    return found, shared


def _same(one: FlowRow, other: FlowRow) -> bool:
    return (one.family, one.protocol, one.low, one.high, one.status) == (
        other.family, other.protocol, other.low, other.high, other.status)
