"""Every `vpckit ...` command in the README runs as written, from the repository's root.

Outputs (`-o FILE`) are redirected into a temporary folder so the checkout is never written to;
everything else is the README's text. A command is "working" when it exits 0 or 1 (findings, an
`expect` that disagrees) — never 2 (bad input) and never with a traceback.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from vpckit.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

#: Commands that need what a test machine does not have, each with the reason.
NEEDS_MORE = {
    "snapshot": "reads a live AWS account (credentials, network); tests/sources/test_snapshot_live.py runs it against moto",
}


def readme_commands() -> list[str]:
    """The `vpckit ...` command lines of the README's shell blocks (after `&&` too), comments dropped."""
    commands = []
    in_shell = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_shell = line.strip() in ("```sh", "```bash", "```console", "```shell")
            continue
        if not in_shell:
            continue
        for part in line.split("&&"):
            part = part.strip()
            if part.startswith("vpckit "):
                commands.append(re.sub(r"\s+#.*$", "", part))
    return commands


COMMANDS = readme_commands()


def test_the_readme_has_commands_to_check() -> None:
    assert len(COMMANDS) >= 12 and any("examples/snapshot" in c for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs_as_written(command: str, tmp_path, monkeypatch, capsys) -> None:
    args = shlex.split(command)[1:]
    if args[0] in NEEDS_MORE:
        assert NEEDS_MORE[args[0]]  # listed with its reason; never silently skipped
        return
    for flag in ("-o", "--output"):
        if flag in args:
            index = args.index(flag) + 1
            args[index] = str(tmp_path / Path(args[index]).name)
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    status = main(args)
    out, err = capsys.readouterr()
    assert status in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err
    if "-o" in args or "--output" in args:
        written = list(tmp_path.iterdir())
        assert written and all(p.stat().st_size > 0 for p in written)


def test_the_annotated_example_validates_without_warnings(tmp_path: Path, capsys) -> None:
    """The design the README teaches with is one vpckit has nothing to warn about (info at most)."""
    text = README.read_text(encoding="utf-8")
    example = re.search(r"A short example, annotated:\n\n```yaml\n(.*?)```", text, re.S)
    assert example is not None
    (tmp_path / ".git").mkdir()
    design = tmp_path / "web.yaml"
    design.write_text(example.group(1))
    code = main(["validate", str(design), "--fail-on", "warning"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " 0 warning(s)" in out and "NACL001" in out  # the ephemeral return range is named, as info


def test_the_python_examples_run(monkeypatch, capsys) -> None:
    """The README's Python blocks run from the repository's root and print what their comments say."""
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["[]", "reachable"], printed
