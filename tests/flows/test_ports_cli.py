"""`vpckit ports`: the table, JSON rows in DESIGN.md's shape, query files, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from .cli_run import run as _run

ROOT = Path(__file__).resolve().parents[2]
THREE_TIER = str(ROOT / "designs" / "three-tier.yaml")
DUAL_STACK = str(ROOT / "designs" / "dual-stack.yaml")


def test_text_lists_open_rows_first_with_what_closes_the_rest(capsys) -> None:
    status, out, _ = _run(capsys, "ports", THREE_TIER, "--from", "app-1", "--to", "orders-db")
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == "app-1 (10.0.10.10/32) -> orders-db (10.0.20.10/32): open tcp 5432"
    assert lines[1].split() == ["protocol", "ports", "status", "closed", "by"]
    assert lines[2].split() == ["tcp", "5432", "open"]
    # tcp 443 leaves app-1 (its group and NACL allow it) and is closed only at the database
    assert any(line.split()[:3] == ["tcp", "443", "closed"] and line.endswith("NACL db, SG db") for line in lines)
    assert "fix:" not in out


def test_verbose_adds_each_blocker_once_with_its_fix(capsys) -> None:
    _, out, _ = _run(capsys, "ports", THREE_TIER, "--from", "app-1", "--to", "orders-db", "--verbose")
    assert out.count("fix: add an inbound rule to security group db allowing tcp") == 1
    assert "closes tcp 0-442, 443, 444-5431, 5433-65535:" in out and "closes udp 0-65535:" in out


def test_json_rows_have_the_design_shape(capsys) -> None:
    status, out, _ = _run(capsys, "ports", THREE_TIER, "--from", "internet", "--to", "web", "--protocol", "tcp",
                          "--format", "json")
    data = json.loads(out)
    assert status == 0 and set(data) >= {"source", "destination", "flows"}
    rows = {row["ports"]: row for row in data["flows"]}
    assert list(rows) == ["0-442", "443", "444-1023", "1024-65535"]
    row = rows["443"]
    assert row["status"] == "open" and row["protocol"] == "tcp" and row["failing_client_ports"] == []
    assert row["destination"]["addresses"][:2] == ["10.0.0.4/32", "198.18.0.1/32"]
    assert row["via"] == ["igw:prod/igw-prod", "lb:prod/web", "eni:prod/app-1"]  # and the target behind it
    closed = rows["1024-65535"]
    assert closed["closed_on"] == "forward"
    assert {b["code"] for b in closed["blockers"]} == {"ENI_SG_RULES_MISMATCH", "ELBV2_LISTENER_PORT_RESTRICTION"}


def test_both_address_families_and_a_protocol_filter(capsys) -> None:
    _, out, _ = _run(capsys, "ports", DUAL_STACK, "--from", "internet", "--to", "web-1", "--protocol", "tcp,icmpv6",
                     "-f", "json")
    rows = json.loads(out)["flows"]
    assert {(r["ip_version"], r["protocol"]) for r in rows} == {(4, "tcp"), (6, "tcp"), (6, "icmpv6")}
    assert [r["ports"] for r in rows if r["status"] == "open"] == ["443", "443"]


def test_query_file_answers_in_order_and_reports_bad_entries_at_their_place(capsys, tmp_path) -> None:
    queries = tmp_path / "q.yaml"
    queries.write_text("- {from: app-1, to: orders-db, protocol: tcp}\n"
                       "- {from: app-1, to: nosuch}\n"
                       "- {from: internet, to: web, protocol: bogus}\n"
                       "- {from: internet, to: web, protocol: udp, client_ports: 1024-65535}\n")
    status, out, _ = _run(capsys, "ports", THREE_TIER, "--queries", str(queries), "--format", "json")
    answers = json.loads(out)
    assert status == 2 and len(answers) == 4
    assert answers[0]["flows"][0]["protocol"] == "tcp"
    assert answers[1]["error"].startswith(f"{queries}:2:3: unknown endpoint 'nosuch'")
    assert answers[2]["error"].startswith(f"{queries}:3:3: unknown protocol 'bogus'")
    assert answers[3]["client_ports"] == "1024-65535" and {r["protocol"] for r in answers[3]["flows"]} == {"udp"}


def test_bad_input_is_one_line_and_exit_2(capsys) -> None:
    status, _, err = _run(capsys, "ports", THREE_TIER, "--from", "app1", "--to", "orders-db")
    assert status == 2 and "did you mean 'app-1'?" in err and len(err.strip().splitlines()) == 1
    status, _, err = _run(capsys, "ports", THREE_TIER, "--from", "app-1", "--to", "orders-db", "--protocol", "bogus")
    assert status == 2 and "expected one of tcp, udp, icmp, icmpv6, other" in err


def test_the_readme_shows_real_output(capsys) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "vpckit ports designs/three-tier.yaml --from app-1 --to orders-db\n```\n\n```text\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    _, out, _ = _run(capsys, "ports", THREE_TIER, "--from", "app-1", "--to", "orders-db")
    assert out == shown
