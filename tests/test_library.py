"""The Python library: the public API at the package root gives what the command line gives."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import vpckit
from vpckit.cli import main

from .test_config import DESIGN as BASTION

ROOT = Path(__file__).resolve().parents[1]
THREE_TIER = ROOT / "designs" / "three-tier.yaml"

#: test_config's design, its SSH rule suppressed inline
DESIGN = BASTION.replace("        description: jump host\n", "        description: jump host\n"
                         "        suppress: [{rule: SG001, reason: only reachable over the VPN}]\n")


def _cli_findings(path: Path, capsys) -> list[tuple]:
    main(["validate", str(path), "-f", "json"])
    document = json.loads(capsys.readouterr().out)
    return sorted((f["rule"], f["severity"], f["message"], f["suppressed"]) for f in document["findings"])


@pytest.mark.parametrize("given", ["path", "text path", "design", "network"])
def test_validate_gives_the_command_lines_findings(tmp_path: Path, capsys, given: str) -> None:
    """Suppressions, vpckit.toml (found beside the input) and severity overrides apply in the library too."""
    (tmp_path / ".git").mkdir()
    design_file = tmp_path / "design.yaml"
    design_file.write_text(DESIGN)
    (tmp_path / "vpckit.toml").write_text('disable = ["SG006"]\n[severity]\nSG007 = "info"\n')
    source = {"path": design_file, "text path": str(design_file), "design": vpckit.load(str(design_file)),
              "network": vpckit.build_network(vpckit.load(str(design_file)))}[given]
    report = vpckit.validate(source)
    ours = sorted((f.rule, f.severity, f.message, f.suppressed) for f in report)
    assert ours == _cli_findings(design_file, capsys)
    assert report.config_file == tmp_path / "vpckit.toml"
    rules = {f.rule: f for f in report}
    assert rules["SG001"].suppressed == "only reachable over the VPN" and "SG006" not in rules
    assert rules["SG007"].severity == "info"
    assert "SG001" not in {f.rule for f in report.failing("info")}


def test_validate_config_choices(tmp_path: Path) -> None:
    design = vpckit.load(str(THREE_TIER))
    toml = tmp_path / "vpckit.toml"
    toml.write_text('disable = ["*"]\n')
    assert len(vpckit.validate(design, config=toml)) == 0 and vpckit.validate(design, config=toml).rules == []
    assert vpckit.validate(design, config=vpckit.Config(disable=("*",))).rules == []
    assert len(vpckit.validate(design, config=False).rules) > 50


def test_validate_checks_expectations(tmp_path: Path) -> None:
    design = vpckit.load(str(THREE_TIER))
    written = list(design.expectations)
    report = vpckit.validate(design, config=False,
                             expectations=[{"from": "internet", "to": "orders-db", "port": 5432, "expect": "reachable"}])
    assert [f.rule for f in report.failing()] == ["REACH001"]
    assert design.expectations == written  # the caller's design is not changed


@pytest.mark.parametrize("query", [
    {"from": "internet", "to": "orders-db", "port": 5432},
    {"source": "internet", "destination": "orders-db", "protocol": "tcp", "port": "5432"},
])
def test_reach_takes_a_mapping_a_query_or_keywords(query: dict) -> None:
    from vpckit.reach import parse_query

    network = vpckit.build_network(vpckit.load(str(THREE_TIER)))
    answers = [vpckit.reach(network, query), vpckit.reach(THREE_TIER, parse_query(query)),
               vpckit.reach(str(THREE_TIER), from_="internet", to="orders-db", port=5432)]
    assert {a.verdict for a in answers} == {"unreachable"}
    assert {tuple(b.code for b in a.blockers) for a in answers} == {("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",)}


@pytest.mark.parametrize("call, words", [
    (lambda: vpckit.validate(42), "validate() expected the path of an input, a Design or a Network, got int"),
    (lambda: vpckit.validate(THREE_TIER, config=3), "validate() config: expected a path, a Config, False or None"),
    (lambda: vpckit.reach(42, {"from": "a", "to": "b", "port": 1}), "reach() expected a Network, a Design or the path"),
    (lambda: vpckit.reach(THREE_TIER, ["internet", "web"]), "reach() expected a Query or a mapping"),
    (lambda: vpckit.reach(THREE_TIER, {"from": "internet"}, to="web"), "not two of them"),
    (lambda: vpckit.ports(42, "a", "b"), "expected a Network, a Design or the path of an input, got int"),
    (lambda: vpckit.validate(THREE_TIER, config=False).failing("high"), "fail_on 'high': expected one of"),
    (lambda: vpckit.draw(42, "x.dot"), "draw() expected the path of an input, a Design or a Network, got int"),
    (lambda: vpckit.build_network(42), "build_network() expected the path of an input or a Design, got int"),
    (lambda: vpckit.ports(THREE_TIER, 5, "web"), "an endpoint is a name, an AWS id, an IP address or 'internet'"),
    (lambda: vpckit.exposure(THREE_TIER, to=5), "written as text, got int 5"),
])
def test_wrong_arguments_say_what_was_expected(call, words: str) -> None:
    with pytest.raises(vpckit.VpckitError) as raised:
        call()
    assert words in str(raised.value)


def test_the_public_names_resolve_and_match_the_json_names() -> None:
    for name in vpckit.__all__:
        assert getattr(vpckit, name) is not None, name
    assert set(vpckit.__all__) <= set(dir(vpckit))
    finding = vpckit.validate(ROOT / "designs" / "broken.yaml", config=False).findings[0]
    assert {"rule", "severity", "message", "resource", "suppressed"} <= set(vars(finding))


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "vpckit", "validate", str(THREE_TIER), "-f", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["NACL001"]


#: What only the library may decide: which rules run, suppressions, configuration, severities,
#: and which findings fail a run. The command line calls the library and formats what it returns.
SEMANTIC_NAMES = {"run_checks", "apply_config", "suppression_for", "check_suppressions", "find_config",
                  "load_config", "SEVERITY_ORDER", "is_enabled", "unmatched_suppressions"}


def test_the_command_line_holds_no_validation_semantics() -> None:
    tree = ast.parse((ROOT / "vpckit" / "cli.py").read_text())
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    used |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert not used & SEMANTIC_NAMES
    # no deciding by what findings and answers hold: suppression, expectations and verdicts are the library's
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not {"suppressed", "expect", "verdict"} & attributes


@pytest.mark.parametrize("given", ["path", "design", "network"])
def test_draw_takes_a_path_a_design_or_a_network(tmp_path: Path, given: str) -> None:
    design = vpckit.load(str(THREE_TIER))
    source = {"path": str(THREE_TIER), "design": design, "network": vpckit.build_network(design)}[given]
    assert vpckit.draw(source, tmp_path / "d.dot") == "dot"
    from vpckit.render import diagram_source

    assert (tmp_path / "d.dot").read_text() == diagram_source(design)


def test_ports_takes_one_protocol_as_text() -> None:
    rows = vpckit.ports(THREE_TIER, "app-1", "orders-db", protocols="tcp").open()
    assert [(r.protocol, r.ports) for r in rows] == [("tcp", "5432")]
    assert {r.protocol for r in vpckit.ports(THREE_TIER, "app-1", "orders-db", protocols="tcp,udp").flows} == {"tcp", "udp"}
