"""GitHub Actions output: workflow annotations on stdout, a Markdown summary in $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vpckit.cli import main
from vpckit.report.github import escape_data, escape_property

ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:]+(,line=\d+,col=\d+)?,title=[^:]+::.+$")


def test_annotations_and_step_summary(design_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["validate", str(design_file), "--format", "github"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    annotations = [line for line in lines if not line.startswith("::notice title=vpckit::")]
    assert annotations and all(ANNOTATION.match(line) for line in annotations), annotations
    ssh = [line for line in annotations if "bastion" in line and "SG001" in line]
    assert ssh and ssh[0].startswith(f"::error file={design_file.as_posix()},line=")
    assert not any("VPC009" in line for line in annotations)  # suppressed
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### vpckit validate")  # appended, not overwritten
    assert "| error" in text and "suppressed: flow logs" in text


def test_no_summary_without_the_variable(design_file: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert main(["validate", str(design_file), "-f", "github"]) == 1
    assert "### vpckit" not in capsys.readouterr().out


@pytest.mark.parametrize("text, data, prop", [
    ("a%b", "a%25b", "a%25b"),
    ("line1\nline2\r", "line1%0Aline2%0D", "line1%0Aline2%0D"),
    ("SG001: x, y", "SG001: x, y", "SG001%3A x%2C y"),
])
def test_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data and escape_property(text) == prop


def test_unknown_format_is_exit_2(design_file: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", str(design_file), "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert "unknown format 'xml'" in err and "sarif" in err
