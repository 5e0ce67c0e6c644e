"""`vpckit diff`: what the bundled change opens and closes, in every format, --fail-on, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .cli_run import run as _run

ROOT = Path(__file__).resolve().parents[2]
OLD = str(ROOT / "designs" / "three-tier.yaml")
NEW = str(ROOT / "examples" / "three-tier-change.yaml")


def test_the_change_opens_http_from_the_internet_and_closes_one_database_client(capsys) -> None:
    status, out, _ = _run(capsys, "diff", OLD, NEW, "--format", "json")
    data = json.loads(out)
    rows = [(r["change"], r["source"]["name"], r["destination"]["name"], r["protocol"], r["ports"], r["before"],
             r["after"]) for r in data["flows"]]
    assert status == 0
    assert rows == [("opened", "internet", "prod/web", "tcp", "80", "closed", "open"),
                    ("closed", "app-2", "orders-db", "tcp", "5432", "open", "closed")]
    opened, closed = data["flows"]
    assert "1.0.0.0/8" in opened["source"]["addresses"] and "10.0.0.0/8" not in opened["source"]["addresses"]
    # what made the difference, placed where the new input declares it
    assert {(c["setting"], c["side"]) for c in opened["causes"]} == {
        ("lb:prod/web", "old"), ("sg:prod/alb", "old"), ("nacl:prod/public", "old")}
    assert all(c["place"].startswith(NEW + ":") for c in opened["causes"])
    assert [(c["code"], c["setting"], c["side"]) for c in closed["causes"]] == [
        ("SUBNET_ACL_RESTRICTION", "nacl:prod/db", "new")]
    assert "tcp 5432 from 10.0.11.10" in closed["causes"][0]["message"]


@pytest.mark.parametrize("fail_on, status", [("opened", 1), ("closed", 1), ("internet", 1), ("any", 1), (None, 0)])
def test_fail_on(capsys, fail_on, status) -> None:
    args = ("--fail-on", fail_on) if fail_on else ()
    assert _run(capsys, "diff", OLD, NEW, *args)[0] == status


def test_an_input_against_itself_is_an_empty_diff(capsys) -> None:
    status, out, _ = _run(capsys, "diff", OLD, OLD, "--fail-on", "any")
    assert status == 0 and out.startswith("no change: 0 flows opened, 0 closed")


def test_only_the_internet_and_reversed(capsys) -> None:
    _, out, _ = _run(capsys, "diff", NEW, OLD, "--from", "internet", "-f", "json")
    assert [(r["change"], r["ports"]) for r in json.loads(out)["flows"]] == [("closed", "80")]
    _, out, _ = _run(capsys, "diff", OLD, NEW, "--to", "orders-db", "-f", "json")
    assert [(r["change"], r["source"]["name"]) for r in json.loads(out)["flows"]] == [("closed", "app-2")]


def test_markdown_github_and_sarif(capsys) -> None:
    _, markdown, _ = _run(capsys, "diff", OLD, NEW, "-f", "markdown")
    assert markdown.splitlines()[0] == "**vpckit diff**: 1 flow opened (1 from the internet), 1 closed."
    assert "| internet 1.0.0.0/8, 2.0.0.0/7, 4.0.0.0/6 (+48) | prod/web | tcp | 80 | closed → open |" in markdown
    _, github, _ = _run(capsys, "diff", OLD, NEW, "-f", "github")
    lines = github.splitlines()
    assert lines[0].startswith("::warning file=") and ",line=" in lines[0] and "title=vpckit diff%3A opened::" in lines[0]
    assert "; before: load balancer web has no tcp listener on 80" in lines[0]
    assert lines[1].startswith("::notice file=") and "three-tier-change.yaml,line=85,col=7" in lines[1]
    _, sarif, _ = _run(capsys, "diff", OLD, NEW, "-f", "sarif")
    results = json.loads(sarif)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["DIFF-OPENED", "DIFF-CLOSED"]
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 85, "startColumn": 7}


@pytest.mark.parametrize("args, says", [
    ((OLD, "nosuch.yaml"), "nosuch.yaml"),
    ((OLD, NEW, "--to", "orders-bd"), "--to: unknown endpoint 'orders-bd'"),
    ((OLD, NEW, "--fail-on", "sometimes"), "--fail-on"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, args, says) -> None:
    status, _, err = _run(capsys, "diff", *args)
    assert status == 2 and says in err and len(err.strip().splitlines()) == 1, err


def test_the_readme_shows_real_output(capsys) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("vpckit diff designs/three-tier.yaml examples/three-tier-change.yaml --format markdown\n```\n\n",
                         1)[1].split("\n\n`--format text|json|markdown|github|sarif`", 1)[0]
    _, out, _ = _run(capsys, "diff", "designs/three-tier.yaml", "examples/three-tier-change.yaml", "-f", "markdown")
    assert out.split("\n\n<sub>", 1)[0] == shown
