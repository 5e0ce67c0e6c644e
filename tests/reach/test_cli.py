"""`vpckit reach` and `validate --expectations`: text, JSON, query files, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpckit.cli import main

THREE_TIER = str(Path(__file__).resolve().parents[2] / "designs" / "three-tier.yaml")


def _run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_text_answer_shows_hops_and_blockers(capsys) -> None:
    status, out, _ = _run(capsys, "reach", THREE_TIER, "--from", "internet", "--to", "app-1", "--port", "8080")
    assert status == 0  # answered, whatever the verdict
    assert out.splitlines()[0] == "internet -> app-1  tcp 8080: unreachable"
    assert "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" in out and "fix: give app-1 a public" in out


def test_json_answer(capsys) -> None:
    status, out, _ = _run(capsys, "reach", THREE_TIER, "--from", "app-1", "--to", "orders-db", "--port", "5432",
                          "--format", "json")
    data = json.loads(out)
    assert status == 0 and data["verdict"] == "reachable"
    assert data["query"] == {"from": "app-1", "to": "orders-db", "protocol": "tcp", "port": 5432}
    assert data["forward"][-1]["component"] == "eni:prod/orders-db"
    assert data["return"][-1]["component"] == "eni:prod/app-1"


def test_icmp_and_client_ports_options(capsys) -> None:
    status, out, _ = _run(capsys, "reach", THREE_TIER, "--from", "app-1", "--to", "app-2", "--protocol", "icmp",
                          "--icmp-type", "8", "--icmp-code", "0", "-f", "json")
    assert status == 0 and json.loads(out)["query"]["icmp_type"] == 8
    status, out, _ = _run(capsys, "reach", THREE_TIER, "--from", "app-2", "--to", "203.0.113.10", "--port", "443",
                          "--client-ports", "1024-2000", "-f", "json")
    assert json.loads(out)["query"]["client_ports"] == "1024-2000"


def test_queries_file_with_an_error_entry(capsys, tmp_path) -> None:
    queries = tmp_path / "q.yaml"
    queries.write_text("- {from: app-1, to: orders-db, port: 5432}\n- {from: ghost, to: app-1, port: 22}\n"
                       "- {from: internet, to: web, port: 443}\n")
    status, out, _ = _run(capsys, "reach", THREE_TIER, "--queries", str(queries), "--format", "json")
    data = json.loads(out)
    assert status == 2
    assert [d.get("verdict") for d in data] == ["reachable", None, "reachable"]
    assert "unknown endpoint 'ghost'" in data[1]["error"] and data[1]["query"]["from"] == "ghost"


@pytest.mark.parametrize("expect, status", [("reachable", 0), ("unreachable", 1)])
def test_queries_expect_sets_the_exit_status(capsys, tmp_path, expect: str, status: int) -> None:
    queries = tmp_path / "q.json"
    queries.write_text(json.dumps([{"from": "app-1", "to": "orders-db", "port": 5432, "expect": expect}]))
    got, out, _ = _run(capsys, "reach", THREE_TIER, "--queries", str(queries), "-f", "json")
    assert got == status and json.loads(out)[0]["as_expected"] is (status == 0)


@pytest.mark.parametrize("args, message", [
    (("--from", "nowhere", "--to", "app-1", "--port", "1"), "unknown endpoint 'nowhere'"),
    (("--from", "app-1", "--to", "app-2"), "tcp needs a port"),
    (("--from", "app-1", "--to", "app-2", "--protocol", "bogus", "--port", "1"), "unknown protocol"),
    (("--from", "app-1",), "give --from and --to"),
    (("--queries", "/nonexistent/q.yaml"), "q.yaml: file not found"),
])
def test_bad_input_exits_2_without_traceback(capsys, args, message: str) -> None:
    status, out, err = _run(capsys, "reach", THREE_TIER, *args)
    assert status == 2 and message in err and "Traceback" not in err


def test_validate_checks_expectations_file(capsys, tmp_path) -> None:
    expectations = tmp_path / "e.yaml"
    expectations.write_text("- {name: app open to the world, from: internet, to: app-1, port: 8080, expect: reachable}\n")
    status, out, _ = _run(capsys, "validate", THREE_TIER, "--expectations", str(expectations), "-f", "json")
    findings = [f for f in json.loads(out)["findings"] if f["rule"] == "REACH001"]
    assert status == 1 and len(findings) == 1
    assert "expected reachable, got unreachable" in findings[0]["message"]
    assert findings[0]["data"]["answer"]["verdict"] == "unreachable"


def test_design_expectations_hold_for_the_example(capsys) -> None:
    status, out, _ = _run(capsys, "validate", THREE_TIER, "-f", "json")
    assert not [f for f in json.loads(out)["findings"] if f["rule"] == "REACH001"]
