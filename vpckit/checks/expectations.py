"""REACH001 and REACH002: the design's reachability expectations and intents hold.

Each expectation (``design.expectations``, or ``validate --expectations FILE``) is answered by
the reachability engine; an expectation whose verdict differs from its ``expect`` becomes a
finding that carries the whole answer in ``data["answer"]``. An expectation that cannot be
understood (an unknown endpoint...) is a finding too, with ``data["error"]``.
"""

from __future__ import annotations

from typing import Iterable

from ..errors import InputError, QueryError
from .registry import CheckContext, Finding, rule

__all__ = ["reachability_expectations", "reachability_intents"]


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
        if expectation.expect is None or expectation.form != "flow":
            continue
        label = expectation.label
        path = ("expectations", index)
        # ``ports: [tcp/5432, udp/53]``: each item is one flow that must answer as expected
        for item in expectation.ports or [None]:
            one = expectation if item is None else expectation.model_copy(update={"ports": [item]})
            try:
                result = answer(ctx.network, Query.from_expectation(one))
            except QueryError as error:
                yield ctx.finding("REACH001", f"expectation {label!r} cannot be answered: {error}", path, label,
                                  error=str(error))
                break
            if not result.disagrees:
                continue
            reasons = "; ".join(f"{b.code}: {b.message}" for b in result.blockers[:3])
            if len(result.blockers) > 3:
                reasons += f"; and {len(result.blockers) - 3} more"
            on = f" on {item}" if item is not None and len(expectation.ports or ()) > 1 else ""
            message = f"expectation {label!r}{on}: expected {expectation.expect}, got {result.verdict}"
            if reasons and result.verdict != "reachable":
                message += f" ({reasons})"
            yield ctx.finding("REACH001", message, path, label, answer=result.to_dict())


@rule(
    "REACH002",
    "error",
    "A reachability intent (isolation, the only sources, the whole exposure) does not hold",
    semantics=("NACL-07", "SG-01", "RT-04", "IGW-03", "PCX-04", "TGW-03"),
    rationale="Intents state which sets of flows must not exist — nothing from dev reaches prod, only the app tier "
              "reaches the database, the internet reaches the web tier on 443 and nothing else — so that a change "
              "that opens one is caught in review.",
    fix="Close the flows named in the finding at the settings that let them through, or change the intent.",
)
def reachability_intents(ctx: CheckContext) -> Iterable[Finding]:
    """Answer every intent (``expect: isolated``, ``only_from``, ``exposes``) with the set questions.

    >>> from vpckit.model import Design
    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "tier": "dev"},
    ...     "b": {"az": "us-east-1a", "cidr": "10.0.2.0/24", "tier": "prod"}},
    ...     "instances": {"x": {"subnet": "a"}, "y": {"subnet": "b"}}}},
    ...     "expectations": [{"from": "tier:dev", "to": "tier:prod", "expect": "isolated"}]})
    >>> [f.data["intent"]["count"] > 0 for f in reachability_intents(CheckContext(d))]
    [True]
    """
    from ..flows.intents import SelectorError, check_intent

    for index, expectation in enumerate(ctx.design.expectations):
        if expectation.form == "flow":
            continue
        path = ("expectations", index)
        try:
            result = check_intent(ctx.network, expectation)
        except SelectorError as error:  # bad input, like an unknown key: the place and the close names, exit 2
            raise InputError(f"expectations.{index}.{error.key}: {error}".replace(f": `{error.key}`: ", ": "),
                             ctx.design.source.locate((*path, error.key))) from None
        except QueryError as error:
            yield ctx.finding("REACH002", f"intent {expectation.label!r} cannot be answered: {error}", path,
                              expectation.label, error=str(error))
            continue
        if not result.holds:
            yield ctx.finding("REACH002", result.message(), path, expectation.label, intent=result.to_dict())
