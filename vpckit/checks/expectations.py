"""REACH001: the design's reachability expectations hold.

Each expectation (``design.expectations``, or ``validate --expectations FILE``) is answered by
the reachability engine; an expectation whose verdict differs from its ``expect`` becomes a
finding that carries the whole answer in ``data["answer"]``. An expectation that cannot be
understood (an unknown endpoint...) is a finding too, with ``data["error"]``.
"""

from __future__ import annotations

from typing import Iterable

from ..errors import QueryError
from .registry import CheckContext, Finding, rule

__all__ = ["reachability_expectations"]


@rule(
    "REACH001",
    "error",
    "A reachability expectation does not hold",
    semantics=("NACL-07", "SG-01", "RT-04", "IGW-04", "PCX-04", "TGW-03"),
    rationale="Expectations state who must (and must not) reach what; a change that breaks one is a regression.",
    fix="Change the blocking settings named in the finding, or the expectation if the intent changed.",
)
def reachability_expectations(ctx: CheckContext) -> Iterable[Finding]:
    """Answer every expectation that has an ``expect`` and report the ones that disagree.

    >>> from vpckit.model import Design
    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}}, "instances": {"x": {"subnet": "a"}}}},
    ...     "expectations": [{"from": "internet", "to": "x", "port": 22, "expect": "reachable"}]})
    >>> [f.data["answer"]["verdict"] for f in reachability_expectations(CheckContext(d))]
    ['unreachable']
    """
    from ..reach import Query, answer

    for index, expectation in enumerate(ctx.design.expectations):
        if expectation.expect is None:
            continue
        label = expectation.name or f"{expectation.source} -> {expectation.destination}"
        path = ("expectations", index)
        try:
            result = answer(ctx.network, Query.from_expectation(expectation))
        except QueryError as error:
            yield ctx.finding("REACH001", f"expectation {label!r} cannot be answered: {error}", path, label,
                              error=str(error))
            continue
        if result.verdict == expectation.expect:
            continue
        reasons = "; ".join(f"{b.code}: {b.message}" for b in result.blockers[:3])
        if len(result.blockers) > 3:
            reasons += f"; and {len(result.blockers) - 3} more"
        message = f"expectation {label!r}: expected {expectation.expect}, got {result.verdict}"
        if reasons and result.verdict != "reachable":
            message += f" ({reasons})"
        yield ctx.finding("REACH001", message, path, label, answer=result.to_dict())
