"""Findings as GitHub Actions workflow commands, and a Markdown summary for the job page.

``findings_github`` returns ``::error file=…,line=…,col=…,title=…::message`` lines (``warning``
and ``notice`` for lower severities; suppressed findings are left out); ``findings_markdown``
returns the summary that ``vpckit validate --format github`` appends to ``$GITHUB_STEP_SUMMARY``.
Both are pure: the CLI does the writing.
"""

from __future__ import annotations

import os
from typing import Iterable

from ..checks import RULES, Finding
from .findings import peers_text, summary_counts

__all__ = ["findings_github", "findings_markdown", "escape_data", "escape_property"]

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (``%``, CR, LF), as the Actions runner expects.

    >>> escape_data("50% of\\nlines")
    '50%25 of%0Alines'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property (also ``:`` and ``,``).

    >>> escape_property("SG001: a, b")
    'SG001%3A a%2C b'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(file: str) -> str:
    if os.path.isabs(file):
        relative = os.path.relpath(file)
        return file if relative.startswith("..") else relative
    return file


def findings_github(findings: Iterable[Finding], source: str) -> str:
    """One workflow command per unsuppressed finding, then a summary notice.

    >>> from vpckit.model import Position
    >>> print(findings_github([Finding("DEMO1", "error", "open to the world", position=Position("d.yaml", 3, 7))], "d.yaml"))
    ::error file=d.yaml,line=3,col=7,title=DEMO1 [error]::open to the world
    ::notice title=vpckit::d.yaml: 1 error(s), 0 warning(s), 0 info
    """
    lines = []
    findings = list(findings)
    for finding in findings:
        if finding.suppressed:
            continue
        position = finding.position
        properties = [f"file={escape_property(_relative(position.file if position else source))}"]
        if position is not None and position.line:
            properties += [f"line={position.line}", f"col={position.column or 1}"]
        title = f"{finding.rule} [{finding.severity}]"
        rule = RULES.get(finding.rule)
        if rule is not None:
            title = f"{finding.rule} [{finding.severity}]: {rule.title}"
        properties.append(f"title={escape_property(title)}")
        resource = f"[{finding.resource}] " if finding.resource else ""
        peers = peers_text(finding.rule)
        message = resource + finding.message + (f" (same as {peers})" if peers else "")
        lines.append(f"::{_COMMAND[finding.severity]} {','.join(properties)}::{escape_data(message)}")
    counts = summary_counts(findings)
    suppressed = sum(1 for f in findings if f.suppressed)
    tail = f"{source}: {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info"
    if suppressed:
        tail += f", {suppressed} suppressed"
    lines.append(f"::notice title=vpckit::{escape_data(tail)}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def findings_markdown(findings: Iterable[Finding], source: str) -> str:
    """A Markdown summary: counts, then one table row per finding (suppressed ones marked).

    >>> print(findings_markdown([], "d.yaml").splitlines()[0])
    ### vpckit validate `d.yaml`
    """
    findings = list(findings)
    counts = summary_counts(findings)
    suppressed = sum(1 for f in findings if f.suppressed)
    out = [f"### vpckit validate `{source}`", "",
           "| errors | warnings | info | suppressed |", "|---:|---:|---:|---:|",
           f"| {counts['error']} | {counts['warning']} | {counts['info']} | {suppressed} |", ""]
    if not findings:
        out.append("No findings.")
        return "\n".join(out)
    out += ["| severity | rule | resource | location | message |", "|---|---|---|---|---|"]
    for finding in findings:
        rule = RULES.get(finding.rule)
        rule_text = f"{finding.rule}" + (f" {rule.title}" if rule else "")
        severity = finding.severity + (f" (suppressed: {finding.suppressed})" if finding.suppressed else "")
        out.append(f"| {_cell(severity)} | {_cell(rule_text)} | {_cell(finding.resource)} | "
                   f"{_cell(str(finding.position) if finding.position else source)} | {_cell(finding.message)} |")
    return "\n".join(out)
