"""Interval bookkeeping for the set questions: cutting a space into pieces, choosing, merging.

A *segment* is an inclusive interval of one space (ports, or ICMP ``type * 256 + code``) with the
outcome of the walk for every point in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..reach.answer import Blocker
from .rows import STATUSES

__all__ = ["Segment", "pieces", "choose", "merge"]


@dataclass(frozen=True)
class Segment:
    """``low..high`` share one outcome; ``key`` is what two outcomes must share to be the same row."""

    low: int
    high: int
    status: str
    blockers: tuple[Blocker, ...]
    failing_client_ports: tuple[tuple[int, int], ...]
    undetermined: tuple[Blocker, ...]
    via: tuple[str, ...]
    key: Any


def pieces(low: int, high: int, cuts: Iterable[int]) -> list[tuple[int, int]]:
    """``low..high`` cut before every point of ``cuts`` that lies inside it.

    >>> pieces(0, 65535, {443, 444})
    [(0, 442), (443, 443), (444, 65535)]
    """
    edges = sorted({c for c in cuts if low < c <= high})
    out, start = [], low
    for edge in edges:
        out.append((start, edge - 1))
        start = edge
    out.append((start, high))
    return out


def choose(candidates: list[list[Segment]]) -> list[Segment]:
    """Per point, the first candidate that is open, else the first with the best status (as reach picks).

    Each candidate covers the same space; candidates are the interface pairs that could be the two ends.

    >>> a = [Segment(0, 9, "closed", (), (), (), (), 1)]
    >>> b = [Segment(0, 4, "closed", (), (), (), (), 2), Segment(5, 9, "open", (), (), (), (), 3)]
    >>> [(s.low, s.high, s.key) for s in choose([a, b])]
    [(0, 4, 1), (5, 9, 3)]
    """
    if len(candidates) == 1:
        return list(candidates[0])
    cuts = {s.low for segments in candidates for s in segments}
    low, high = candidates[0][0].low, candidates[0][-1].high
    out = []
    for lo, hi in pieces(low, high, cuts):
        found = [next(s for s in segments if s.low <= lo <= s.high) for segments in candidates]
        best = min(found, key=lambda s: STATUSES.index(s.status))  # min keeps the first of equals
        out.append(Segment(lo, hi, *_outcome(best)))
    return out


def _outcome(segment: Segment) -> tuple:
    return (segment.status, segment.blockers, segment.failing_client_ports, segment.undetermined, segment.via,
            segment.key)


def merge(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments with the same outcome become one (the maximal ranges of the rows).

    >>> merge([Segment(0, 4, "open", (), (), (), (), 1), Segment(5, 9, "open", (), (), (), (), 1)])[0].high
    9
    """
    out: list[Segment] = []
    for segment in segments:
        if out and out[-1].key == segment.key and out[-1].high + 1 == segment.low:
            out[-1] = Segment(out[-1].low, segment.high, *_outcome(out[-1])[:-1], out[-1].key)
        else:
            out.append(segment)
    return out
