"""Configuration (vpckit.toml / [tool.vpckit]) and suppressions: parsing, discovery, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpckit.cli import main
from vpckit.config import PORT_PROFILES, find_config, load_config, parse_config
from vpckit.errors import InputError

DESIGN = """\
vpcs:
  prod:
    cidr: 10.0.0.0/16
    security_groups:
      bastion:
        description: jump host
        ingress:
          - {protocol: tcp, ports: 22, source: 0.0.0.0/0, description: ssh}
    instances:
      jump: {subnet: a, security_groups: [bastion]}
    subnets:
      a: {az: us-east-1a, cidr: 10.0.0.0/24, route_table: rt}
    route_tables:
      rt: {}
"""


def test_full_config() -> None:
    config = parse_config(
        'disable = ["SG008", "NACL00*"]\nhigh_risk_ports = "cis"\nauthorized_ports = [443]\nwide_prefix_ipv4 = 12\n'
        'ephemeral_ports = "32768-65535"\n[severity]\nSG006 = "info"\n'
        '[[suppress]]\nrule = "SG001"\nresource = "vpcs/prod/*"\nreason = "lab"\n')
    assert not config.is_enabled("SG008") and not config.is_enabled("NACL001") and config.is_enabled("SG001")
    assert config.high_risk_ports == PORT_PROFILES["cis"] and config.authorized_ports == (443,)
    assert config.wide_prefix_ipv4 == 12 and config.ephemeral_ports == (32768, 65535)
    assert config.severity == {"SG006": "info"} and config.suppress[0].reason == "lab"


@pytest.mark.parametrize("text, where, words", [
    ('colour = "red"\n', ":1:1", "unknown key 'colour'"),
    ('disable = ["SG001", "XX123"]\n', ":1:21", "unknown rule id 'XX123'"),
    ('[severity]\nSG001 = "fatal"\n', ":2:1", "must be error, warning or info"),
    ('[severity]\nZZ001 = "info"\n', ":2:1", "unknown rule id 'ZZ001'"),
    ('high_risk_ports = "nope"\n', ":1:1", "unknown port profile"),
    ('high_risk_ports = [22, 70000]\n', ":1:1", "list of port numbers"),
    ('wide_prefix_ipv4 = 40\n', ":1:1", "integer 0-32"),
    ('[[suppress]]\nrule = "SG001"\nresource = "x"\n', ":1:1", "needs a reason"),
    ('x = [\n', ":1:", "not valid TOML"),
], ids=["unknown-key", "unknown-rule", "bad-severity", "severity-unknown-rule", "bad-profile", "bad-port",
        "bad-prefix", "suppression-without-reason", "syntax"])
def test_bad_config_names_line_and_column(text: str, where: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text, "vpckit.toml")
    assert where in str(caught.value) and words in str(caught.value)


def test_pyproject_table_and_discovery(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.vpckit]\ndisable = ["SG009"]\n')
    nested = tmp_path / "infra" / "net"
    nested.mkdir(parents=True)
    found = find_config([nested / "design.yaml"])
    assert found == tmp_path / "pyproject.toml"
    assert not load_config(found).is_enabled("SG009")
    (nested / "vpckit.toml").write_text('disable = ["SG008"]\n')
    assert find_config([nested]) == nested / "vpckit.toml"  # the nearest wins


def test_pyproject_errors_point_into_the_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\ndisable = 1\n\n[tool.vpckit]\nenable = ["SG001"]\nbogus = 1\n')
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert f"{path}:6:1: unknown key 'bogus'" in str(caught.value)


def _validate(tmp_path: Path, capsys, *args: str, design: str = DESIGN) -> tuple[int, str, str]:
    (tmp_path / ".git").mkdir(exist_ok=True)
    path = tmp_path / "design.yaml"
    path.write_text(design)
    code = main(["validate", str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_config_found_next_to_the_design_changes_the_run(tmp_path: Path, capsys) -> None:
    code, out, _ = _validate(tmp_path, capsys, "-f", "json")
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert "SG001" in rules and code == 1
    (tmp_path / "vpckit.toml").write_text('disable = ["SG001", "SG006"]\n[severity]\nSG007 = "info"\n')
    code, out, _ = _validate(tmp_path, capsys, "-f", "json", "--fail-on", "warning")
    findings = json.loads(out)["findings"]
    assert not {"SG001", "SG006"} & {f["rule"] for f in findings}
    assert {f["severity"] for f in findings if f["rule"] == "SG007"} == {"info"}


def test_suppressed_findings_stay_in_json(tmp_path: Path, capsys) -> None:
    design = DESIGN.replace("        description: jump host\n", "        description: jump host\n"
                            "        suppress: [{rule: SG001, reason: only reachable over the VPN}]\n")
    design += "suppressions:\n  - {rule: VPC009, resource: vpcs/prod, reason: account-wide flow logs}\n"
    code, out, _ = _validate(tmp_path, capsys, "-f", "json", design=design)
    document = json.loads(out)
    reasons = {f["rule"]: f["suppressed"] for f in document["findings"] if f["suppressed"]}
    assert reasons["SG001"] == "only reachable over the VPN" and reasons["VPC009"] == "account-wide flow logs"
    assert document["summary"]["suppressed"] >= 2
    assert all(len(f["fingerprint"]) == 32 for f in document["findings"])


@pytest.mark.parametrize("config_text, where, words", [
    ('disable = ["NOPE1"]\n', "vpckit.toml:1:12", "unknown rule id 'NOPE1'"),
    ('[[suppress]]\nrule = "SG001"\n', "vpckit.toml:1:1", "needs a reason"),
])
def test_bad_config_is_exit_2(tmp_path: Path, capsys, config_text: str, where: str, words: str) -> None:
    (tmp_path / "vpckit.toml").write_text(config_text)
    code, _, err = _validate(tmp_path, capsys)
    assert code == 2 and where in err and words in err and "Traceback" not in err


def test_design_suppression_without_reason_is_exit_2(tmp_path: Path, capsys) -> None:
    design = DESIGN + "suppressions:\n  - {rule: SG001, resource: vpcs/prod}\n"
    code, _, err = _validate(tmp_path, capsys, design=design)
    assert code == 2 and "design.yaml:16:" in err and "reason" in err


def test_explicit_config_option(tmp_path: Path, capsys) -> None:
    other = tmp_path / "ci.toml"
    other.write_text('enable = ["SG001"]\n')
    code, out, _ = _validate(tmp_path, capsys, "-f", "json", "--config", str(other))
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"SG001"}
    code, _, err = _validate(tmp_path, capsys, "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml" in err


@pytest.mark.parametrize("addition, where", [
    ("suppressions:\n  - {rule: NOPE9, resource: vpcs/prod, reason: typo}\n", ":16:"),
], ids=["design-level"])
def test_design_suppression_of_unknown_rule_is_exit_2(tmp_path: Path, capsys, addition: str, where: str) -> None:
    code, _, err = _validate(tmp_path, capsys, design=DESIGN + addition)
    assert code == 2 and where in err and "NOPE9" in err


def test_inline_suppression_of_unknown_rule_is_exit_2(tmp_path: Path, capsys) -> None:
    design = DESIGN.replace("        description: jump host\n", "        description: jump host\n"
                            "        suppress: [{rule: SG0O1, reason: letter O instead of zero}]\n")
    code, _, err = _validate(tmp_path, capsys, design=design)
    assert code == 2 and "design.yaml:7:" in err and "SG0O1" in err


def test_ipv6_prefix_policy_reaches_vpc001(tmp_path: Path, capsys) -> None:
    # CIDR-09: IPAM/BYOIPv6 VPCs may use other prefix lengths; the config says which are accepted.
    design = DESIGN.replace("    cidr: 10.0.0.0/16\n", "    cidr: 10.0.0.0/16\n    ipv6_cidrs: [2600:1f18::/48]\n", 1)
    code, out, _ = _validate(tmp_path, capsys, "-f", "json", design=design)
    assert "VPC001" in {f["rule"] for f in json.loads(out)["findings"]}
    (tmp_path / "vpckit.toml").write_text("ipv6_vpc_prefixes = [48, 56]\n")
    code, out, _ = _validate(tmp_path, capsys, "-f", "json", design=design)
    assert "VPC001" not in {f["rule"] for f in json.loads(out)["findings"]}
    with pytest.raises(InputError):
        parse_config("ipv6_subnet_prefixes = []\n")


NACL_DESIGN = DESIGN.replace("    route_tables:\n", """    nacls:
      public:
        ingress:
          - {rule: 100, protocol: tcp, ports: 3389, cidr: 0.0.0.0/0}
    route_tables:
""").replace("a: {az: us-east-1a, cidr: 10.0.0.0/24, route_table: rt}",
             "a: {az: us-east-1a, cidr: 10.0.0.0/24, route_table: rt, nacl: public}")


@pytest.mark.parametrize("resource", [
    "vpcs/prod/nacls/public",          # the design format's own key
    "vpcs/prod/network_acls/public",   # the model's field name, as finding paths are written
    "vpcs/prod/nacls/*",
])
def test_suppression_accepts_the_design_formats_keys(tmp_path: Path, capsys, resource: str) -> None:
    design = NACL_DESIGN + f"suppressions:\n  - {{rule: NACL001, resource: {resource}, reason: lab}}\n"
    code, out, err = _validate(tmp_path, capsys, "-f", "json", design=design)
    nacl = [f for f in json.loads(out)["findings"] if f["rule"] == "NACL001"]
    assert nacl and all(f["suppressed"] == "lab" for f in nacl)
    assert "matches no finding" not in err


@pytest.mark.parametrize("suppression, where", [
    ("suppressions:\n  - {rule: NACL001, resource: vpcs/prod/nacl/public, reason: typo}\n", "design.yaml:"),
    ("suppressions:\n  - {rule: SG002, reason: nothing of the kind here}\n", "design.yaml:"),
])
def test_a_suppression_that_matches_nothing_is_a_warning(tmp_path: Path, capsys, suppression: str,
                                                         where: str) -> None:
    code, _, err = _validate(tmp_path, capsys, "-f", "json", design=NACL_DESIGN + suppression)
    lines = [line for line in err.splitlines() if "matches no finding" in line]
    assert len(lines) == 1 and lines[0].startswith("vpckit: warning: ") and where in lines[0]


def test_config_suppression_that_matches_nothing_is_a_warning(tmp_path: Path, capsys) -> None:
    (tmp_path / "vpckit.toml").write_text('[[suppress]]\nrule = "SG001"\nresource = "vpcs/prod/security_groups/nope"\n'
                                          'reason = "typo"\n')
    _, _, err = _validate(tmp_path, capsys, "-f", "json")
    assert "vpckit.toml: [[suppress]] 1 of SG001 on vpcs/prod/security_groups/nope matches no finding" in err


@pytest.mark.parametrize("rule, warned", [("SG002", True), ("NACL001", False), ("NACL00*", False)])
def test_an_inline_suppression_that_matches_nothing_is_a_warning(tmp_path: Path, capsys, rule: str,
                                                                 warned: bool) -> None:
    design = NACL_DESIGN.replace("      public:\n", f"      public:\n        suppress: [{{rule: '{rule}', reason: r}}]\n")
    _, _, err = _validate(tmp_path, capsys, "-f", "json", design=design)
    lines = [line for line in err.splitlines() if "matches no finding" in line]
    assert lines == ([f"vpckit: warning: {tmp_path / 'design.yaml'}:15:20: suppression of {rule} here matches no finding"]
                     if warned else []), err
