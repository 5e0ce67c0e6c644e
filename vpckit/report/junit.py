"""Findings as JUnit XML, the format every CI system shows as a test report.

One ``<testsuite>`` per rule that ran, with one ``<testcase>`` per resource the rule reported on
(a ``<failure>`` for each unsuppressed finding, ``<skipped>`` with the reason when suppressed),
and a passing case when the rule found nothing. A final suite ``expectations`` has one case per
expectation of the design, failing when a finding points at it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterable

from ..checks import RULES, SEVERITY_ORDER, Finding, Rule
from ..model import Design
from .findings import peers_text

__all__ = ["findings_junit"]


def _case_name(finding: Finding) -> str:
    return finding.resource or "/".join(str(p) for p in finding.path) or "design"


def _expectation_name(index: int, expectation) -> str:
    if expectation.name:
        return expectation.name
    port = f" {expectation.port}" if expectation.port is not None else ""
    return f"{expectation.source} -> {expectation.destination}{port} ({expectation.expect or 'answer'})"


def _failure(parent: ET.Element, findings: list[Finding]) -> None:
    """One ``<failure>`` (or ``<skipped>`` when all are suppressed) carrying every finding of the case."""
    first = findings[0]
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    lines = "\n".join(
        f"{f.position}: " * bool(f.position) + f"{f.severity} {f.rule}: {f.message}"
        + (f" [suppressed: {f.suppressed}]" if f.suppressed else "") for f in findings)
    if all(f.suppressed for f in findings):
        ET.SubElement(parent, "skipped", message=f"suppressed: {first.suppressed}").text = lines
        return
    worst = max(findings, key=lambda f: SEVERITY_ORDER[f.severity]).severity
    element = ET.SubElement(parent, "failure", message=first.message + more, type=f"{first.rule}.{worst}")
    peers = peers_text(first.rule)
    element.text = lines + (f"\nSame as: {peers}" if peers else "")


def findings_junit(findings: Iterable[Finding], source: str, design: Design | None = None,
                   rules: Iterable[Rule] | None = None) -> str:
    """The JUnit XML document of ``vpckit validate --format junit``.

    >>> xml = findings_junit([Finding("DEMO", "error", "bad", resource="vpc p")], "d.yaml", rules=[])
    >>> "<failure" in xml and 'name="vpc p"' in xml
    True
    """
    findings = list(findings)
    rule_list = sorted(rules if rules is not None else RULES.values(), key=lambda r: r.id)
    by_rule: dict[str, list[Finding]] = {}
    expectation_findings: dict[int, list[Finding]] = {}
    for finding in findings:
        if len(finding.path) >= 2 and finding.path[0] == "expectations" and isinstance(finding.path[1], int):
            expectation_findings.setdefault(finding.path[1], []).append(finding)
        else:
            by_rule.setdefault(finding.rule, []).append(finding)
    known = {r.id for r in rule_list}
    root = ET.Element("testsuites", name=f"vpckit validate {source}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}

    def suite(name: str) -> ET.Element:
        return ET.SubElement(root, "testsuite", name=name)

    def close(element: ET.Element, tests: int, failures: int, skipped: int) -> None:
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", "0")
        element.set("skipped", str(skipped))
        totals["tests"] += tests
        totals["failures"] += failures
        totals["skipped"] += skipped

    extra = sorted(set(by_rule) - known)
    for rule_id in [r.id for r in rule_list] + extra:
        rule = RULES.get(rule_id)
        element = suite(f"{rule_id} {rule.title}" if rule else rule_id)
        rule_findings = by_rule.get(rule_id, [])
        if not rule_findings:
            ET.SubElement(element, "testcase", classname=rule_id, name="no findings")
            close(element, 1, 0, 0)
            continue
        cases: dict[str, list[Finding]] = {}
        for finding in rule_findings:
            cases.setdefault(_case_name(finding), []).append(finding)
        failures = skipped = 0
        for name, case_findings in sorted(cases.items()):
            case = ET.SubElement(element, "testcase", classname=rule_id, name=name)
            position = case_findings[0].position
            if position is not None and position.file:
                case.set("file", position.file)
                if position.line:
                    case.set("line", str(position.line))
            live = [f for f in case_findings if not f.suppressed]
            _failure(case, live or case_findings)
            failures += bool(live)
            skipped += not live
        close(element, len(cases), failures, skipped)

    if design is not None and design.expectations:
        element = suite("expectations")
        failures = skipped = 0
        for index, expectation in enumerate(design.expectations):
            case = ET.SubElement(element, "testcase", classname="expectations", name=_expectation_name(index, expectation))
            case_findings = expectation_findings.get(index, [])
            live = [f for f in case_findings if not f.suppressed]
            if case_findings:
                _failure(case, live or case_findings)
            failures += bool(live)
            skipped += bool(case_findings) and not live
        close(element, len(design.expectations), failures, skipped)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
