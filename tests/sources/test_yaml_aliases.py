"""YAML aliases are bounded in every YAML reader: a 'billion laughs' file is an error, not a hang."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vpckit.cli import main

THREE_TIER = Path(__file__).resolve().parents[2] / "designs" / "three-tier.yaml"

# Ten levels of four aliases each: 4**10 (about a million) copies of the first list.
LEVELS = "".join(f"  l{n + 1}: &l{n + 1} [*l{n}, *l{n}, *l{n}, *l{n}]\n" for n in range(10))
BOMB = "  l0: &l0 [lol, lol, lol, lol]\n" + LEVELS

INPUTS = {
    "design": ("d.yaml", "name: bomb\nregion: us-east-1\nx-shared:\n" + BOMB + "vpcs: {}\n"),
    "cloudformation": ("t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n" + BOMB
                       + "Resources:\n  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"),
    "queries": ("q.yaml", "queries:\n  - {from: app-1, to: app-2, port: 22}\nshared:\n" + BOMB),
    "expectations": ("e.yaml", "expectations:\n  - {from: app-1, to: app-2, port: 22, expect: reachable}\nshared:\n" + BOMB),
}


def _command(kind: str, path: Path) -> list[str]:
    if kind == "queries":
        return ["reach", str(THREE_TIER), "--queries", str(path)]
    if kind == "expectations":
        return ["validate", str(THREE_TIER), "--expectations", str(path)]
    return ["validate", str(path)]


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_an_alias_bomb_is_refused_with_its_place(kind: str, tmp_path, capsys) -> None:
    name, text = INPUTS[kind]
    path = tmp_path / name
    path.write_text(text)
    status = main(_command(kind, path))
    err = capsys.readouterr().err
    assert status == 2, err
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: YAML aliases expand this document to more than 100000 extra nodes", err), err
    assert path.read_text() == text  # inputs are never modified


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_modest_sharing_through_anchors_still_reads(kind: str, tmp_path, capsys) -> None:
    name, text = INPUTS[kind]
    modest = text.replace(BOMB, "  l0: &l0 [lol, lol, lol, lol]\n  l1: &l1 [*l0, *l0, *l0]\n")
    path = tmp_path / name
    path.write_text(modest)
    status = main(_command(kind, path))
    err = capsys.readouterr().err
    assert "YAML aliases" not in err


def test_a_recursive_alias_is_an_error(tmp_path, capsys) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("name: r\nx-loop: &a [*a]\nvpcs: {}\n")
    status = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert status == 2 and "d.yaml:" in err and "Traceback" not in err
