"""The rule registry: every validation rule is a small function registered with its metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterable, Literal

from ..model import Design, Path, Position

if TYPE_CHECKING:
    from ..network import Network

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

#: The page that explains every semantics id (``NACL-03``...): what AWS does and where AWS says so.
SEMANTICS_DOC = "docs/semantics.md"


def semantics_link(semantics_id: str) -> str:
    """Where ``semantics_id`` is explained.

    >>> semantics_link("NACL-03")
    'docs/semantics.md#nacl-03'
    """
    return f"{SEMANTICS_DOC}#{semantics_id.lower()}"

__all__ = ["Severity", "SEVERITY_ORDER", "SEMANTICS_DOC", "semantics_link", "Rule", "Finding", "CheckContext", "rule",
           "RULES", "run_checks"]


@dataclass(frozen=True)
class Finding:
    """One problem found in a design.

    ``path`` is the key path of the offending part of the design (used to find its line);
    ``resource`` names it for people (``vpc prod / subnet app-a``).
    """

    rule: str
    severity: Severity
    message: str
    path: Path = ()
    resource: str = ""
    position: Position | None = None
    suppressed: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """A registered rule and what a person needs to know about it."""

    id: str
    severity: Severity
    title: str
    semantics: tuple[str, ...]
    check: Callable[["CheckContext"], Iterable[Finding]]
    rationale: str = ""
    fix: str = ""
    peers: dict[str, tuple[str, ...]] = field(default_factory=dict)


RULES: dict[str, Rule] = {}


class CheckContext:
    """What a rule sees: the design, and the network built from it on first use."""

    def __init__(self, design: Design, network: "Network | None" = None, config: Any = None):
        self.design = design
        self._network = network
        #: validation settings (a :class:`vpckit.config.Config`); the defaults when None
        self.config = config

    @cached_property
    def network(self) -> "Network":
        """The :class:`~vpckit.network.Network` of the design (built once, on demand)."""
        if self._network is not None:
            return self._network
        from ..network import build_network

        return build_network(self.design)

    def finding(
        self, rule_id: str, message: str, path: Path = (), resource: str = "", severity: Severity | None = None,
        **data: Any,
    ) -> Finding:
        """A finding of ``rule_id`` at ``path``, with the rule's severity unless given."""
        return Finding(
            rule=rule_id,
            severity=severity or RULES[rule_id].severity,
            message=message,
            path=tuple(path),
            resource=resource,
            position=self.design.source.locate(path),
            data=data,
        )


def rule(
    id: str,
    severity: Severity,
    title: str,
    semantics: str | tuple[str, ...] = (),
    rationale: str = "",
    fix: str = "",
    peers: dict[str, tuple[str, ...] | str] | None = None,
) -> Callable[[Callable[[CheckContext], Iterable[Finding]]], Callable[[CheckContext], Iterable[Finding]]]:
    """Register a rule function.

    >>> @rule("DEMO001", "info", "A demo rule", semantics="SUB-04")
    ... def demo(ctx):
    ...     return []
    >>> RULES.pop("DEMO001").semantics
    ('SUB-04',)
    """

    def register(func: Callable[[CheckContext], Iterable[Finding]]) -> Callable[[CheckContext], Iterable[Finding]]:
        if id in RULES:
            raise ValueError(f"rule {id} registered twice")
        RULES[id] = Rule(
            id=id,
            severity=severity,
            title=title,
            semantics=(semantics,) if isinstance(semantics, str) else tuple(semantics),
            check=func,
            rationale=rationale,
            fix=fix,
            peers={k: (v,) if isinstance(v, str) else tuple(v) for k, v in (peers or {}).items()},
        )
        return func

    return register


def run_checks(
    design: Design,
    network: "Network | None" = None,
    enabled: Callable[[Rule], bool] = lambda r: True,
    config: Any = None,
) -> list[Finding]:
    """Run every enabled rule; findings sorted by position, then rule id.

    >>> from vpckit.model import Design
    >>> run_checks(Design.model_validate({"vpcs": {"a": {"cidr": "10.0.0.0/16"}}}), enabled=lambda r: False)
    []
    """
    from . import load_rules

    load_rules()
    context = CheckContext(design, network, config)
    findings: list[Finding] = []
    for rule_ in sorted(RULES.values(), key=lambda r: r.id):
        if enabled(rule_):
            findings.extend(rule_.check(context))
    return sorted(findings, key=_order)


def _order(finding: Finding) -> tuple:
    pos = finding.position
    return (pos.file if pos else "", (pos.line or 0) if pos else 0, (pos.column or 0) if pos else 0, finding.rule,
            finding.message)
