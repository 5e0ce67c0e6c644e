"""The command line's contract: usage errors, outputs that never overwrite an input, atomic writes."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from vpckit.cli import main

ROOT = Path(__file__).resolve().parents[1]
THREE_TIER = ROOT / "designs" / "three-tier.yaml"


def _checker():
    spec = importlib.util.spec_from_file_location("check_plain_install", ROOT / "scripts" / "check_plain_install.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


CHECKER = _checker()


@pytest.mark.parametrize("case", CHECKER.USAGE_CASES, ids=lambda c: " ".join(c.args) or "(no arguments)")
def test_usage_errors_are_one_line_naming_the_option(case, capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    status = main(list(case.args))
    out, err = capsys.readouterr()
    assert status == case.status
    assert case.says in err + out
    assert "Traceback" not in err and "internal error" not in err
    if case.args:
        assert len(err.strip().splitlines()) == 1, err


def test_installed_command_gives_the_same_messages(tmp_path) -> None:
    """The console script itself (not only ``main``): the path a plain install takes."""
    vpckit = shutil.which("vpckit") or str(Path(sys.executable).parent / "vpckit")
    failures = [f for f in (CHECKER.run_case([vpckit], c, str(tmp_path)) for c in CHECKER.USAGE_CASES[:4]) if f]
    assert failures == []


def test_runtime_dependencies_are_declared_not_borrowed_from_test_extras() -> None:
    """Rendering needs graphviz-pure after ``pip install vpckit`` alone (no system Graphviz)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {d.split(">")[0].split("=")[0].split("[")[0].strip().lower() for d in project["dependencies"]}
    assert {"graphviz-pure", "typer", "rich", "pyyaml", "networkx", "netaddr", "pydantic"} <= runtime


def test_diagram_renders_with_the_bundled_renderer_only(tmp_path) -> None:
    vpckit = shutil.which("vpckit") or str(Path(sys.executable).parent / "vpckit")
    assert CHECKER.diagram_without_system_graphviz([vpckit], str(tmp_path)) is None


# --- outputs never overwrite inputs -----------------------------------------------------------

def _copy(tmp_path: Path) -> Path:
    design = tmp_path / "design.yaml"
    design.write_text(THREE_TIER.read_text())
    return design


@pytest.mark.parametrize(
    "args",
    [
        ["import", "{design}", "-o", "{design}"],
        ["validate", "{design}", "-o", "{design}"],
        ["validate", "{design}", "--format", "json", "-o", "./{name}"],
        ["reach", "{design}", "--from", "app-1", "--to", "app-2", "--port", "22", "-o", "{design}"],
        ["diagram", "{design}", "-o", "{link}"],
    ],
    ids=["import", "validate", "validate-relative", "reach", "diagram-through-a-link"],
)
def test_an_output_over_an_input_is_refused(args, tmp_path, monkeypatch, capsys) -> None:
    design = _copy(tmp_path)
    link = tmp_path / "design.dot"
    link.symlink_to(design)
    before = design.read_bytes()
    monkeypatch.chdir(tmp_path)
    status = main([a.format(design=design, name=design.name, link=link) for a in args])
    err = capsys.readouterr().err
    assert status == 2 and "refusing to overwrite an input (use --force" in err
    assert design.read_bytes() == before


def test_an_output_inside_a_snapshot_folder_is_refused(tmp_path, capsys) -> None:
    folder = tmp_path / "snapshot"
    folder.mkdir()
    (folder / "design.yaml").write_text(THREE_TIER.read_text())
    status = main(["validate", str(folder / "design.yaml"), "-o", str(tmp_path / "ok.txt")])
    assert status in (0, 1)
    status = main(["import", str(folder), "-o", str(folder / "again.yaml")])
    assert status == 2 and "inside the input folder" in capsys.readouterr().err
    assert not (folder / "again.yaml").exists()


def test_force_writes_over_the_input(tmp_path) -> None:
    design = _copy(tmp_path)
    assert main(["import", str(design), "-o", str(design), "--force"]) == 0
    assert "vpcs:" in design.read_text()


def test_a_query_file_is_an_input_too(tmp_path, capsys) -> None:
    queries = tmp_path / "q.yaml"
    queries.write_text("- {from: app-1, to: app-2, port: 22}\n")
    assert main(["reach", str(THREE_TIER), "--queries", str(queries), "-o", str(queries)]) == 2
    assert "is the input" in capsys.readouterr().err


# --- atomic writes ----------------------------------------------------------------------------

def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, capsys) -> None:
    from vpckit import files

    report = tmp_path / "report.txt"
    report.write_text("old report\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    status = main(["validate", str(THREE_TIER), "-o", str(report)])
    assert status == 2 and "report.txt: cannot write: No space left on device" in capsys.readouterr().err
    assert report.read_text() == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_an_atomic_write_keeps_the_file_mode(tmp_path) -> None:
    from vpckit.files import write_atomic

    target = tmp_path / "out.json"
    target.write_text("{}")
    os.chmod(target, 0o640)
    write_atomic(target, b"[]")
    assert target.read_bytes() == b"[]" and (target.stat().st_mode & 0o777) == 0o640


def test_an_internal_error_says_it_is_a_bug_and_how_to_report_it(monkeypatch, capsys) -> None:
    """The catch-all stays a last resort: one line naming the error, one saying what to send."""
    import vpckit.cli as cli

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(cli, "_load", broken)
    status = cli.main(["validate", "designs/three-tier.yaml"])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert err.splitlines()[0] == "vpckit: internal error: RuntimeError: boom\\nsecond line"
    assert "please report it" in err and "vpckit --version" in err


COMMANDS = ["", "validate", "rules", "snapshot", "import", "reach", "ports", "exposure", "matrix", "diff", "diagram"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_words_a_person_reads(command: str, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """Metavars are SOURCE, FILE, NAME or the choices — never Python's types ({source}, <str>, <bool>, list[str])."""
    monkeypatch.setenv("COLUMNS", "160")
    code = main([*command.split(), "--help"])
    out = capsys.readouterr().out
    assert code == 0 and "Usage: vpckit" in out
    for python_word in ("<str>", "<bool>", "<int>", "<float>", "<path>", "list[", "{source}", "{old}", "<choice"):
        assert python_word not in out, (command, python_word)
    if command not in ("", "rules", "snapshot"):
        assert "--help " in out and ("SOURCE" in out or "OLD NEW" in out)


@pytest.mark.parametrize("argv, words", [
    # a misspelt keyword endpoint gets the same did-you-mean as a misspelt name
    (["reach", "designs/three-tier.yaml", "--from", "intenet", "--to", "web", "--port", "443"], "did you mean 'internet'?"),
    (["ports", "designs/three-tier.yaml", "--from", "intenet", "--to", "web"], "did you mean 'internet'?"),
    # typer's conversions speak pydantic; the command line speaks of the value expected
    (["matrix", "designs/three-tier.yaml", "--jobs", "x"], "invalid value for '--jobs' / '-j': expected a whole number"),
    (["diagram", "designs/three-tier.yaml", "-o", "x.svg", "--timeout", "soon"], "'--timeout': expected a number"),
    (["reach", "designs/three-tier.yaml", "--from", "web", "--to", "app-1", "--protocol", "icmp", "--icmp-type", "x"],
     "'--icmp-type': expected a whole number"),
    # a folder that refuses new files is named as such, not as a missing file
    (["validate", "designs/three-tier.yaml", "-o", "/proc/version"], "folder /proc does not accept new files"),
    (["validate", "designs/three-tier.yaml", "-o", "/nonexistent/report.txt"], "folder /nonexistent does not exist"),
])
def test_usage_mistakes_read_as_plain_words(argv: list[str], words: str, capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    argv = [str(tmp_path / a) if a == "x.svg" else a for a in argv]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and words in err, err
    assert len(err.strip().splitlines()) == 1 and "Input should" not in err and "Traceback" not in err


def test_query_file_errors_name_the_place_and_the_close_key(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    queries = tmp_path / "q.yaml"
    queries.write_text("- {from: web, to: app-1, protocl: tcp, port: 443}\n- {from: web}\n")
    code = main(["reach", "designs/three-tier.yaml", "--queries", str(queries)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0] == (f"{queries}:1:3: unknown query key(s) protocl; did you mean 'protocol'? (expected one of "
                      "client_ports, expect, from, icmp_code, icmp_type, name, port, protocol, to)")
    assert err[1] == f"{queries}:2:3: a query needs 'from' and 'to'"
    assert not any("{" in line for line in err)  # never a Python dict
