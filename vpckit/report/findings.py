"""Findings as text (for people) and JSON (for programs)."""

from __future__ import annotations

import json
from typing import Iterable

from ..checks import RULES, Finding

__all__ = ["findings_text", "findings_json", "finding_dict", "summary_counts", "fingerprint", "peers_text",
           "JSON_SCHEMA_VERSION"]

#: Version of the ``--format json`` document (docs/validate-json.md); bumped on incompatible changes.
JSON_SCHEMA_VERSION = 1


def fingerprint(finding: Finding) -> str:
    """A hash identifying a finding across runs and unrelated edits of the design.

    Built from the rule id, the resource and the finding's stable key (or, for rules that give
    none, the key path without list indexes and the message) — never from line numbers.

    >>> a = Finding("SG001", "error", "open", ("vpcs", "p", "security_groups", "web", "ingress", 0), "web", data={"key": "tcp/22"})
    >>> b = Finding("SG001", "error", "open (reworded)", ("vpcs", "p", "security_groups", "web", "ingress", 3), "web", data={"key": "tcp/22"})
    >>> fingerprint(a) == fingerprint(b), len(fingerprint(a))
    (True, 32)
    """
    import hashlib

    key = finding.data.get("key")
    if key is None:
        stable_path = "/".join(str(p) for p in finding.path if not isinstance(p, int))
        key = f"{stable_path}|{finding.message}"
    text = f"{finding.rule}|{finding.resource}|{key}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def summary_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Unsuppressed findings per severity.

    >>> summary_counts([])
    {'error': 0, 'warning': 0, 'info': 0}
    """
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        if not finding.suppressed:
            counts[finding.severity] += 1
    return counts


def peers_text(rule_id: str) -> str:
    """The equivalent checks of other tools, compactly (``checkov CKV_AWS_24, trivy AWS-0107``).

    >>> peers_text("NO-SUCH-RULE")
    ''
    """
    rule = RULES.get(rule_id)
    if rule is None or not rule.peers:
        return ""
    return ", ".join(f"{tool} {'/'.join(ids)}" for tool, ids in rule.peers.items())


def finding_dict(finding: Finding) -> dict:
    """One finding as a JSON-ready dict (the documented ``--format json`` shape)."""
    rule = RULES.get(finding.rule)
    position = finding.position
    result = {
        "rule": finding.rule,
        "severity": finding.severity,
        "title": rule.title if rule else "",
        "message": finding.message,
        "resource": finding.resource,
        "path": [str(p) for p in finding.path],
        "location": {
            "file": position.file if position else None,
            "line": position.line if position else None,
            "column": position.column if position else None,
        },
        "semantics": list(rule.semantics) if rule else [],
        "suppressed": finding.suppressed,
        "fingerprint": fingerprint(finding),
    }
    if rule and rule.peers:
        result["peers"] = {k: list(v) for k, v in rule.peers.items()}
    if rule and rule.fix:
        result["fix"] = rule.fix
    if finding.data:
        result["data"] = finding.data
    return result


def findings_text(findings: list[Finding], source: str, width: int | None = None, verbose: bool = False) -> str:
    """``file:line:col: severity RULE [resource]: message`` per finding, its fix, and a summary line.

    With ``width`` (a terminal's), each finding wraps with a hanging indent and nothing is cut: an
    id longer than the line is folded, never truncated. Without it, a finding stays on one line
    (what editors and ``grep`` expect from a pipe or a file). ``verbose`` adds the equivalent
    checks of other tools (always in JSON and SARIF).

    >>> findings_text([], "d.yaml")
    'd.yaml: no findings'
    >>> from vpckit.checks import load_rules; load_rules()
    >>> f = Finding("SG001", "error", "security group bastion admits tcp/22 from 0.0.0.0/0", (), "vpc prod / security group bastion")
    >>> print(findings_text([f], "d.yaml", width=60))
    d.yaml: error SG001 [vpc prod / security group bastion]:
        security group bastion admits tcp/22 from 0.0.0.0/0
        fix: Allow SSH only from known addresses (a /32 or a
        corporate prefix list), or use Session Manager.
    d.yaml: 1 error(s), 0 warning(s), 0 info
    """
    lines: list[str] = []
    for finding in findings:
        if finding.suppressed:
            continue
        where = str(finding.position) if finding.position else source
        resource = f" [{finding.resource}]" if finding.resource else ""
        head = f"{where}: {finding.severity} {finding.rule}{resource}:"
        rule = RULES.get(finding.rule)
        extra = []
        if rule is not None and rule.fix:
            extra.append(f"fix: {rule.fix}")
        peers = peers_text(finding.rule) if verbose else ""
        if peers:
            extra.append(f"same as: {peers}")
        if width is None:
            lines.append(f"{head} {finding.message}")
            lines.extend(f"    {line}" for line in extra)
        else:
            lines.extend(_wrapped(head, [finding.message, *extra], width))
    counts = summary_counts(findings)
    suppressed = sum(1 for f in findings if f.suppressed)
    if not any(counts.values()):
        tail = f"{source}: no findings" + (f" ({suppressed} suppressed)" if suppressed else "")
    else:
        tail = f"{source}: {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info" + (
            f", {suppressed} suppressed" if suppressed else ""
        )
    return "\n".join([*lines, tail])


def _wrapped(head: str, parts: list[str], width: int) -> list[str]:
    """``head`` then each part on its own lines, indented by four, folded at ``width``."""
    import textwrap

    width = max(width, 40)
    out = textwrap.wrap(head, width, subsequent_indent="    ", break_long_words=True, break_on_hyphens=False)
    for part in parts:
        out += textwrap.wrap(part, width, initial_indent="    ", subsequent_indent="    ",
                             break_long_words=True, break_on_hyphens=False)
    return out


def findings_json(findings: list[Finding], source: str) -> str:
    """The JSON document of ``vpckit validate --format json``."""
    from .. import __version__

    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": {"name": "vpckit", "version": __version__},
        "source": source,
        "summary": {**summary_counts(findings), "suppressed": sum(1 for f in findings if f.suppressed)},
        "findings": [finding_dict(f) for f in findings],
    }
    return json.dumps(document, indent=2)
