"""Findings as SARIF 2.1.0, the format GitHub code scanning and most CI dashboards read.

- ``ruleId`` is the vpckit rule id; ``tool.driver.rules`` carries every rule that ran, with its
  title, rationale, fix and peers' ids (checkov, trivy, cfn_nag, Security Hub, CIS).
- ``partialFingerprints["vpckitFindingHash/v1"]`` is :func:`~vpckit.report.findings.fingerprint`:
  rule + resource + the finding's stable key, never line numbers, so a finding keeps its
  identity across runs and unrelated edits.
- Locations are the design file's line and column when the reader knew them (native designs,
  Terraform and CloudFormation where the reader records positions), plus a logical location naming
  the resource.
- Suppressed findings are kept, with a ``suppressions`` entry carrying the reason.
"""

from __future__ import annotations

import json
import os
from pathlib import PurePath
from typing import Iterable

from ..checks import RULES, Finding, Rule
from .findings import fingerprint

__all__ = ["findings_sarif", "sarif_document", "SARIF_SCHEMA_URI"]

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
#: GitHub code scanning ranks results by this (0-10, as a string).
_SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "info": "2.0"}


def _uri(file: str) -> str:
    """A relative POSIX URI when the file is under the working directory, else an absolute file URI."""
    path = PurePath(file)
    if path.is_absolute():
        try:
            return PurePath(os.path.relpath(file)).as_posix() if not os.path.relpath(file).startswith("..") else \
                path.as_uri()
        except ValueError:
            return path.as_uri()
    return path.as_posix()


def _rule_descriptor(rule: Rule) -> dict:
    help_text = "\n".join(part for part in (rule.rationale, f"Fix: {rule.fix}" if rule.fix else "") if part)
    peers = "; ".join(f"{tool}: {', '.join(ids)}" for tool, ids in rule.peers.items())
    markdown = f"**{rule.title}**\n\n{rule.rationale}\n\n" + (f"**Fix:** {rule.fix}\n\n" if rule.fix else "") + (
        f"**Equivalent checks:** {peers}\n\n" if peers else "") + (
        f"**AWS semantics:** {', '.join(rule.semantics)}\n" if rule.semantics else "")
    return {
        "id": rule.id,
        "name": "".join(word.capitalize() for word in rule.title.replace("-", " ").split()[:8] if word.isalnum()) or rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {"text": help_text or rule.title, "markdown": markdown},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": ["security", "network", "aws", "vpc"],
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "semantics": list(rule.semantics),
            "peers": {tool: list(ids) for tool, ids in rule.peers.items()},
        },
    }


def _result(finding: Finding, rule_index: dict[str, int], source: str) -> dict:
    result: dict = {
        "ruleId": finding.rule,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "partialFingerprints": {"vpckitFindingHash/v1": fingerprint(finding)},
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    location: dict = {}
    position = finding.position
    file = position.file if position and position.file and not position.file.startswith("<") else source
    if file and not file.startswith("<"):
        physical: dict = {"artifactLocation": {"uri": _uri(file)}}
        if position is not None and position.line:
            physical["region"] = {"startLine": position.line, "startColumn": position.column or 1}
        location["physicalLocation"] = physical
    if finding.resource or finding.path:
        location["logicalLocations"] = [{
            "name": finding.resource or "/".join(str(p) for p in finding.path),
            "fullyQualifiedName": "/".join(str(p) for p in finding.path) or finding.resource,
            "kind": "resource",
        }]
    if location:
        result["locations"] = [location]
    if finding.suppressed:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": finding.suppressed}]
    properties = {k: v for k, v in finding.data.items() if k != "key"}
    if properties:
        result["properties"] = json.loads(json.dumps(properties, default=str))
    return result


def sarif_document(findings: Iterable[Finding], source: str, rules: Iterable[Rule] | None = None) -> dict:
    """The SARIF log as a dict: one run, the rules that ran, one result per finding.

    >>> doc = sarif_document([Finding("DEMO", "warning", "m", resource="vpc p")], "d.yaml", rules=[])
    >>> doc["version"], doc["runs"][0]["results"][0]["level"]
    ('2.1.0', 'warning')
    """
    from .. import __version__

    findings = list(findings)
    rule_list = sorted(rules if rules is not None else RULES.values(), key=lambda r: r.id)
    rule_index = {r.id: i for i, r in enumerate(rule_list)}
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vpckit",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(r) for r in rule_list],
            }},
            "artifacts": [{"location": {"uri": _uri(source)}, "roles": ["analysisTarget"]}]
            if source and not source.startswith("<") else [],
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, rule_index, source) for f in findings],
        }],
    }


def findings_sarif(findings: Iterable[Finding], source: str, rules: Iterable[Rule] | None = None) -> str:
    """The SARIF document of ``vpckit validate --format sarif`` as text."""
    return json.dumps(sarif_document(findings, source, rules), indent=2)
