"""The pre-commit entry point: every file validated with the same options, worst status wins."""

from __future__ import annotations

from pathlib import Path

import yaml

from vpckit.precommit import main

ROOT = Path(__file__).resolve().parent.parent
CLEAN = "vpcs:\n  prod:\n    cidr: 10.0.0.0/16\n"
BROKEN = "vpcs:\n  prod:\n    cidr: 10.0.0.0/33\n"


def test_worst_status_over_files(tmp_path: Path, capsys) -> None:
    (tmp_path / ".git").mkdir()
    clean, broken = tmp_path / "a.yaml", tmp_path / "b.yaml"
    clean.write_text(CLEAN)
    broken.write_text(BROKEN)
    assert main([str(clean)]) == 0
    assert main(["--fail-on", "warning", str(clean)]) == 1  # VPC009 and SG007 are warnings
    assert main([str(clean), str(broken)]) == 2
    assert "b.yaml:3:" in capsys.readouterr().err


def test_hook_definition_runs_this_module() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "vpckit-validate" and hook["entry"] == "python -m vpckit.precommit"
    assert hook["language"] == "python"
