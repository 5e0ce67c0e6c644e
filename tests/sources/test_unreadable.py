"""Inputs that are missing or that this process may not read: one line naming the path, exit 2.

Permissions are simulated (the tests may run as root, for whom every file is readable): the
operating system's own ``PermissionError`` is raised where it would be.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from vpckit.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make listing ``denied`` (a folder) or opening it (a file) fail as the OS does without permission."""
    real_scandir, real_listdir, real_open = os.scandir, os.listdir, open

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    def scandir(path="."):
        return refuse(path) if Path(path) == denied else real_scandir(path)

    def listdir(path="."):
        return refuse(path) if Path(path) == denied else real_listdir(path)

    def opener(path, *args, **kwargs):
        return refuse(path) if isinstance(path, (str, os.PathLike)) and Path(path) == denied else real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr("builtins.open", opener)


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err.strip()


def test_missing_file_has_no_position(capsys) -> None:
    code, err = _run(capsys, "validate", "nosuch.yaml")
    assert code == 2 and err == "nosuch.yaml: no such file or directory"


def test_unreadable_directory(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "snapshot"
    shutil.copytree(ROOT / "examples" / "snapshot", folder)
    _deny(monkeypatch, folder)
    code, err = _run(capsys, "validate", str(folder))
    assert code == 2 and err == f"{folder}: cannot read this folder: permission denied"


def test_unreadable_account_folder_is_named(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "snapshot"
    shutil.copytree(ROOT / "examples" / "snapshot", folder)
    inner = next(p for p in sorted(folder.rglob("*")) if p.is_dir())
    _deny(monkeypatch, inner)
    code, err = _run(capsys, "validate", str(folder))
    assert code == 2 and err == f"{inner}: cannot read this folder: permission denied"
    assert "cannot tell what kind of input" not in err and "internal error" not in err


@pytest.mark.parametrize("name", ["design.yaml", "plan.json"])
def test_unreadable_file(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    source = ROOT / ("designs/three-tier.yaml" if name.endswith(".yaml") else "examples/plan.json")
    path = tmp_path / name
    shutil.copy(source, path)
    _deny(monkeypatch, path)
    code, err = _run(capsys, "validate", str(path))
    assert code == 2 and err == f"{path}: cannot read this file: permission denied"
