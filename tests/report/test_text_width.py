"""Text output fits the terminal, folds rather than cuts, prints the fix; peers only with --verbose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vpckit.cli import main

DESIGNS = Path(__file__).resolve().parents[2] / "designs"
CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")  # an explanation code such as IGW_PRIVATE_IP_...


@pytest.mark.parametrize("columns", [60, 80, 132])
def test_validate_text_fits_the_terminal_and_prints_the_fix(columns: int, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    main(["validate", str(DESIGNS / "broken.yaml")])
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()[:-1]) <= columns
    assert "fix: " in out
    assert "same as" not in out  # peers' ids are --verbose's


def test_validate_to_a_pipe_keeps_one_finding_per_line(capsys, monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    main(["validate", str(DESIGNS / "broken.yaml")])
    lines = capsys.readouterr().out.splitlines()
    findings = [line for line in lines if re.match(r"^designs/|^/", line)]
    assert all(re.match(r"^.+:\d+:\d+: (error|warning|info) [A-Z]+\d+", line) for line in findings[:-1])
    assert any(line.startswith("    fix: ") for line in lines)


def test_verbose_names_the_peers(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    main(["validate", str(DESIGNS / "broken.yaml"), "--verbose"])
    out = capsys.readouterr().out
    assert "same as: checkov CKV_AWS_" in out.replace("\n    ", " ")


@pytest.mark.parametrize("columns", [50, 70, 100, 160])
def test_reach_text_fits_and_never_cuts_a_code(columns: int, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    main(["reach", str(DESIGNS / "three-tier.yaml"), "--from", "internet", "--to", "app-1", "--port", "8080"])
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= max(columns, 40)
    assert "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" in CODE.findall(out)  # whole, at least once per mention
    assert all(code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" for code in CODE.findall(out))
    assert "igw:prod/igw-prod" in out and "fix: give app-1 a public or elastic IP" in out


def test_rules_listing_follows_the_terminal(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    main(["rules"])
    narrow = capsys.readouterr().out
    monkeypatch.delenv("COLUMNS")
    main(["rules"])
    piped = capsys.readouterr().out
    assert max(len(line) for line in narrow.splitlines()) <= 90
    assert all(line == line.rstrip() for line in piped.splitlines())
    assert any(line.startswith("SG001 ") and "SSH" in line and "CKV_AWS_24" in line for line in piped.splitlines())
