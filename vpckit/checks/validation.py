"""Validation as ``vpckit validate`` runs it: the rules the configuration enables, then its
severity overrides and every suppression (inline ``suppress:`` lists, the design's
``suppressions:``, ``[[suppress]]`` in ``vpckit.toml`` or ``[tool.vpckit]``).

>>> report = validate("designs/three-tier.yaml", config=False)
>>> report.failing("error")
[]
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..errors import VpckitError
from ..model import Design
from .registry import RULES, SEVERITY_ORDER, Finding, Rule, Severity, run_checks

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["Report", "validate"]


@dataclass
class Report:
    """What validation found: every finding (suppressed ones carry their reason), the rules that ran,
    the configuration file in force, and warnings about the run itself (a suppression that matched
    nothing).

    >>> report = validate("designs/broken.yaml", config=False)
    >>> len(report.failing("error")) > 0, report.findings[0].rule in {r.id for r in report.rules}
    (True, True)
    """

    source: str
    findings: list[Finding]
    rules: list[Rule]
    config_file: Path | None = None
    warnings: list[str] = field(default_factory=list)
    #: the design validated (with any expectations added to it)
    design: Design | None = None

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def active(self) -> list[Finding]:
        """The findings not suppressed.

        >>> all(f.suppressed is None for f in validate("designs/three-tier.yaml", config=False).active())
        True
        """
        return [f for f in self.findings if not f.suppressed]

    def failing(self, fail_on: Severity = "error") -> list[Finding]:
        """The findings not suppressed at or above ``fail_on`` (``error``, ``warning`` or ``info``):
        what makes ``vpckit validate --fail-on`` exit 1.

        >>> validate("designs/three-tier.yaml", config=False).failing("bogus")
        Traceback (most recent call last):
        ...
        vpckit.errors.VpckitError: fail_on 'bogus': expected one of error, warning, info
        """
        if fail_on not in SEVERITY_ORDER:
            raise VpckitError(f"fail_on {fail_on!r}: expected one of error, warning, info")
        threshold = SEVERITY_ORDER[fail_on]
        return [f for f in self.active() if SEVERITY_ORDER[f.severity] >= threshold]


def validate(source: Design | Any | str | os.PathLike, config: "Config | str | os.PathLike | bool | None" = None,
             *, expectations: list | str | os.PathLike | None = None) -> Report:
    """Validate ``source`` (the path of any input vpckit reads, a :class:`~vpckit.model.Design` or a
    built :class:`~vpckit.network.Network`) exactly as ``vpckit validate`` does.

    ``config``: ``None`` finds ``vpckit.toml`` (or ``pyproject.toml`` with ``[tool.vpckit]``) by
    walking up from the input's folder, then from the working directory, as the command line does;
    a path reads that file; a :class:`~vpckit.config.Config` is used as given; ``False`` uses the
    defaults. ``expectations`` adds reachability expectations (a list, or the path of a YAML/JSON
    file) checked by rule REACH001.

    >>> [f.rule for f in validate("designs/three-tier.yaml", config=False).failing("warning")]
    []
    >>> validate(42)
    Traceback (most recent call last):
    ...
    vpckit.errors.VpckitError: validate() expected the path of an input, a Design or a Network, got int
    """
    from ..config import Config, apply_config, check_suppressions, find_config, load_config
    from ..network.inputs import design_of

    design, path = design_of(source, "validate()")
    if expectations is not None:
        design = design.model_copy(deep=False)
        design.expectations = [*design.expectations, *_expectations(expectations)]
    if config is None:
        starts = ([os.path.dirname(os.path.abspath(path))] if path else []) + [os.getcwd()]
        found = find_config(starts)
        settings = load_config(found) if found else Config()
    elif config is False:
        found, settings = None, Config()
    elif isinstance(config, Config):
        found, settings = (Path(config.file) if config.file else None), config
    elif isinstance(config, (str, os.PathLike)):
        found, settings = Path(config), load_config(config)
    else:
        raise VpckitError(f"validate() config: expected a path, a Config, False or None, got {type(config).__name__}")
    check_suppressions(design)
    raw = run_checks(design, enabled=lambda r: settings.is_enabled(r.id), config=settings)
    rules = [r for r in RULES.values() if settings.is_enabled(r.id)]
    return Report(path or design.source.file, apply_config(raw, design, settings), rules, found,
                  unmatched_suppressions(design, settings, raw), design)


def unmatched_suppressions(design: Design, config: "Config", findings: list[Finding]) -> list[str]:
    """A warning for each suppression that matches none of ``findings`` (a typo in a rule id or a
    resource path, or a finding fixed since): ``file:line:col: suppression ... matches no finding``.

    >>> from vpckit.config import Config
    >>> d = Design.model_validate({"suppressions": [{"rule": "SG001", "resource": "vpcs/x/*", "reason": "r"}]})
    >>> unmatched_suppressions(d, Config(), [])
    ['<memory>: suppression of SG001 on vpcs/x/* matches no finding']
    """
    from ..config import inline_suppressions, suppress_entries, suppression_matches

    warnings = []
    for index, suppression in enumerate(design.suppressions):
        if not any(suppression_matches(suppression, f.rule, tuple(f.path), f.resource) for f in findings):
            where = design.source.locate(("suppressions", index))
            warnings.append(f"{where}: suppression of {suppression.rule} on {suppression.resource} matches no finding")
    for index, suppression in enumerate(config.suppress):
        if not any(suppression_matches(suppression, f.rule, tuple(f.path), f.resource) for f in findings):
            warnings.append(f"{config.file or 'configuration'}: [[suppress]] {index + 1} of {suppression.rule} on "
                            f"{suppression.resource} matches no finding")
    # The inline entries that cover some finding, found the way suppression itself finds them.
    used = {id(item) for f in findings for item in inline_suppressions(design, tuple(f.path))
            if fnmatch.fnmatchcase(f.rule, item.rule)}
    for path, suppression in suppress_entries(design, ()):
        if id(suppression) not in used:
            warnings.append(f"{design.source.locate(path)}: suppression of {suppression.rule} here matches no finding")
    return warnings


def _expectations(value: Any) -> list:
    if isinstance(value, (str, os.PathLike)):
        from ..sources.queries import read_expectations

        return list(read_expectations(str(value)))
    from ..model import Expectation

    return [item if isinstance(item, Expectation) else Expectation.model_validate(item) for item in value]
