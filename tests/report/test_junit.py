"""JUnit XML: parses, one case per rule × resource (failures, suppressed as skipped) and per expectation."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from vpckit.cli import main


def junit_of(path: Path, tmp_path: Path) -> ET.Element:
    out = tmp_path / "report.xml"
    assert main(["validate", str(path), "--format", "junit", "-o", str(out)]) in (0, 1)
    return ET.parse(out).getroot()


def test_cases_per_rule_and_resource(design_file: Path, tmp_path: Path) -> None:
    root = junit_of(design_file, tmp_path)
    assert root.tag == "testsuites"
    suites = {s.get("name").split()[0]: s for s in root.findall("testsuite")}
    sg001 = {c.get("name"): c for c in suites["SG001"].findall("testcase")}
    assert set(sg001) == {"vpc prod / security group bastion", "vpc prod / security group web"}
    assert all(c.find("failure") is not None for c in sg001.values())
    assert sg001["vpc prod / security group bastion"].get("line")
    # A rule with no findings is one passing case.
    (igw,) = suites["IGW001"].findall("testcase")
    assert igw.get("name") == "no findings" and not list(igw)
    # Suppressed findings are skipped cases carrying the reason.
    (vpc009,) = suites["VPC009"].findall("testcase")
    assert "landing zone" in vpc009.find("skipped").get("message")
    totals = {k: int(root.get(k)) for k in ("tests", "failures", "skipped")}
    assert totals["tests"] == sum(int(s.get("tests")) for s in root.findall("testsuite"))
    assert totals["failures"] == sum(len(s.findall("testcase/failure")) for s in root.findall("testsuite"))
    assert totals["skipped"] >= 1


def test_one_case_per_expectation(design_file: Path, tmp_path: Path) -> None:
    root = junit_of(design_file, tmp_path)
    (suite,) = [s for s in root.findall("testsuite") if s.get("name") == "expectations"]
    assert [c.get("name") for c in suite.findall("testcase")] == ["ssh to the bastion"]


def test_failing_expectation_is_a_failed_case(design_file: Path, tmp_path: Path) -> None:
    extra = tmp_path / "more.yaml"
    extra.write_text("- {name: https to the bastion, from: internet, to: jump, protocol: tcp, port: 443, "
                     "expect: reachable}\n", encoding="utf-8")
    out = tmp_path / "report.xml"
    assert main(["validate", str(design_file), "--expectations", str(extra), "-f", "junit", "-o", str(out)]) == 1
    (suite,) = [s for s in ET.parse(out).getroot().findall("testsuite") if s.get("name") == "expectations"]
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert cases["ssh to the bastion"].find("failure") is None
    failure = cases["https to the bastion"].find("failure")
    assert failure is not None and "REACH001" in failure.get("type")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
