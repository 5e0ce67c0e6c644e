"""`vpckit exposure`: the three questions, text, markdown and JSON, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from .cli_run import run as _run

ROOT = Path(__file__).resolve().parents[2]
THREE_TIER = str(ROOT / "designs" / "three-tier.yaml")
DUAL_STACK = str(ROOT / "designs" / "dual-stack.yaml")
HUB = str(ROOT / "designs" / "hub-and-spoke.yaml")


def test_what_the_internet_reaches(capsys) -> None:
    status, out, _ = _run(capsys, "exposure", THREE_TIER)
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == ["source", "destination", "protocol", "ports", "status", "via"]
    assert lines[1].split() == ["internet", "prod/web", "at", "198.18.0.1/32,", "198.18.0.2/32", "tcp", "443", "open",
                                "igw-prod,", "web,", "app-1"]
    assert "address atoms" in lines[-1] and "interface classes" in lines[-1]


def test_json_rows_carry_the_addresses(capsys) -> None:
    _, out, _ = _run(capsys, "exposure", DUAL_STACK, "--format", "json")
    data = json.loads(out)
    rows = data["flows"]
    assert {(r["destination"]["name"], r["ip_version"]) for r in rows} == {
        ("web-1", 4), ("web-2", 4), ("web-1", 6), ("web-2", 6)}
    v4 = next(r for r in rows if r["ip_version"] == 4)
    assert "1.0.0.0/8" in v4["source"]["addresses"] and "10.0.0.0/8" not in v4["source"]["addresses"]
    assert v4["destination"]["addresses"] == ["198.18.0.1/32"]  # reached at its public address
    assert data["atoms"] > 0 and data["classes"] == 6 and data["walks"] > 0


def test_who_reaches_b_and_what_x_reaches(capsys) -> None:
    _, out, _ = _run(capsys, "exposure", HUB, "--to", "prod-app-1", "--format", "json")
    sources = {(r["source"]["name"], r["ports"]) for r in json.loads(out)["flows"]}
    assert sources == {("prod-app-2", "8080"), ("tools-1", "22"), ("tools-2", "22")}
    _, out, _ = _run(capsys, "exposure", THREE_TIER, "--from", "app-1", "--format", "markdown")
    assert out.startswith("**what app-1 reaches**: 3 flows to 3 destinations")
    assert "| app-1 at 10.0.10.10/32 | internet | tcp | 443 | open | nat-a, igw-prod |" in out


def test_bad_input_is_one_line_and_exit_2(capsys) -> None:
    for args, says in ((("--to", "ordrs-db"), "did you mean 'orders-db'?"),
                       (("--from", "10.0.0.0/33"), "--from '10.0.0.0/33': not a CIDR"),
                       (("--from", "10.0.0.1/16"), "host bits set; did you mean 10.0.0.0/16?"),
                       (("--from", "on-prem"), "the input has no on-premises networks")):
        status, _, err = _run(capsys, "exposure", THREE_TIER, *args)
        assert status == 2 and says in err and len(err.strip().splitlines()) == 1, err
    status, _, err = _run(capsys, "exposure", str(ROOT / "nosuch.yaml"))
    assert status == 2 and "nosuch.yaml" in err


def test_the_readme_shows_real_output(capsys) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("vpckit exposure designs/three-tier.yaml\n```\n\n```text\n", 1)[1].split("```", 1)[0]
    _, out, _ = _run(capsys, "exposure", THREE_TIER)
    assert out == shown
