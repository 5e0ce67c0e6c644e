"""`vpckit validate designs/<each>`: the bundled designs give exactly the findings expected.

The valid designs validate clean (exit 0, no foundation finding at all); broken.yaml gives every
foundation finding listed below, each at its file:line:col, and nothing else from those rules.
Other rule families (security lint, expectations) are tested by their own suites.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from vpckit.cli import main
from vpckit.sources import load

FOUNDATION = {"VPC001", "VPC002", "VPC003", "VPC004", "VPC005", "VPC007", "VPC010", "VPC011", "VPC012", "VPC013",
              "REF001", "REF002", "IGW001", "RT005", "RT006", "RT007", "RT008", "RT009", "RT010", "NACL004",
              "NACL008", "NACL009", "SG011", "VPC014", "VPC015"}

DESIGNS = Path(__file__).resolve().parents[2] / "designs"

VALID = ["three-tier.yaml", "hub-and-spoke.yaml", "peered-vpcs.yaml", "dual-stack.yaml"]

# (line:col, severity, rule, a fragment of the message) for designs/broken.yaml, in output order.
BROKEN = [
    ("15:9", "error", "VPC010", "secondary CIDR 10.0.128.0/17 overlaps its CIDR 10.0.0.0/16 (CIDR-05)"),
    ("16:9", "error", "VPC011", "secondary CIDR 192.168.0.0/16 is in 192.168.0.0/16, which AWS does not allow next "
                                "to a primary CIDR in 10.0.0.0/8 (CIDR-07)"),
    ("17:9", "error", "VPC001", "secondary CIDR 10.5.0.0/29 is a /29; AWS allows /16 to /28"),
    ("20:7", "error", "IGW001", "VPC prod has internet gateways igw-1, igw-2; AWS attaches at most one per VPC"),
    ("23:80", "warning", "VPC007", "tier public has subnets only in us-east-1a (public-a, public-b)"),
    ("25:37", "error", "VPC002", "subnet app-a 10.2.0.0/24 is outside VPC prod's CIDRs 10.0.0.0/16"),
    ("26:37", "error", "VPC003", "subnet app-b 10.0.0.128/25 overlaps subnet public-a 10.0.0.0/24 in VPC prod"),
    ("27:36", "warning", "VPC005", "subnet tiny 10.0.2.0/28 has 1 free address(es) left: 11 usable after the 5 "
                                   "reserved (SUB-04), 10 taken"),
    ("27:62", "error", "REF001", "subnet tiny names route table 'privat', which does not exist in VPC prod"),
    ("28:37", "error", "VPC001", "subnet small 10.0.3.0/29 is a /29; AWS allows /16 to /28 (SUB-01)"),
    ("30:78", "error", "REF002", "subnet db-b names network ACL 'legacy-acl', which belongs to VPC legacy"),
    ("34:24", "error", "RT005", "public NAT gateway nat-db is in subnet db-a, whose route table private has no route "
                                "to an internet gateway"),
    ("40:27", "error", "RT008", "route to 169.254.169.254/32, inside the reserved range 169.254.168.0/22 (RT-05)"),
    ("42:27", "warning", "RT009", "routes prefix list s3-mirror to nat-a and prefix list s3-east to igw-1; both "
                                  "contain 52.216.0.0/16"),
    ("46:27", "error", "RT007", "routes 10.0.20.0/25 to fw, inside VPC prod's CIDR 10.0.0.0/16 (local route) but not "
                                "an entire subnet CIDR"),
    ("47:27", "error", "RT010", "routes IPv6 ::/0 to NAT gateway nat-a"),
    ("48:50", "error", "RT006", "routes 172.17.0.0/16 to NAT gateway nat-legacy of VPC legacy"),
    ("49:49", "error", "REF001", "routes 192.0.2.0/24 to 'igw-l', which is not a gateway"),
    ("55:20", "error", "NACL004", "network ACL db ingress has rule number 100 twice"),
    ("57:20", "error", "NACL008", "network ACL db egress rule number 40000 is outside 1-32766"),
    ("60:9", "warning", "NACL009", "network ACL busy has 20 IPv4 ingress entries, 21 with the default deny"),
    ("76:48", "error", "REF001", "security group app ingress rule references 'bastion', which is neither a security "
                                 "group nor a prefix list"),
    ("77:49", "error", "REF002", "security group app rule references legacy/web of VPC legacy, but VPC prod has no "
                                 "active same-Region peering with VPC legacy"),
    ("92:45", "error", "VPC012", "instance app-1 has 10.0.0.3, a reserved address of subnet public-a 10.0.0.0/24"),
    ("93:45", "error", "VPC012", "instance app-2 has 10.0.5.10, outside its subnet public-b 10.0.1.0/24"),
    ("94:74", "error", "REF001", "instance app-3 uses security group 'ap', which does not exist in VPC prod"),
    ("95:45", "error", "VPC012", "instance app-4 has 10.0.1.10, already assigned to instance app-3"),
    ("97:56", "warning", "SG011", "instance app-5 has 6 security groups; the default quota is 5"),
    ("103:9", "error", "VPC007", "application load balancer web has subnets only in us-east-1a"),
    ("107:14", "error", "VPC007", "DB subnet group main has subnets only in us-east-1a"),
    ("114:11", "warning", "VPC013", "VPC legacy CIDR 172.17.0.0/16 overlaps 172.17.0.0/16"),
    ("118:7", "error", "RT005", "public NAT gateway nat-legacy is in VPC legacy, which has no internet gateway"),
    ("126:48", "error", "RT006", "routes 10.0.0.0/16 to peering prod-partner, which joins partner and prod, not VPC "
                                 "legacy"),
    ("130:13", "error", "VPC014", "region us-east-3 does not exist in any AWS partition; did you mean 'us-east-2'?"),
    ("135:20", "error", "VPC015", "subnet edge-a is in us-east-1z, which us-east-1 does not have (us-east-1a … us-east-1f)"),
    ("136:20", "error", "VPC015", "subnet edge-b is in eu-west-1b, an Availability Zone of eu-west-1, but VPC edge is in "
                                  "us-east-1"),
    ("139:3", "error", "VPC004", "peering prod-partner joins VPC prod (10.0.0.0/16) and VPC partner (10.0.64.0/18), "
                                 "whose CIDRs overlap"),
]

LINE = re.compile(r"^(?P<file>.+?):(?P<pos>\d+:\d+): (?P<severity>error|warning|info) (?P<rule>[A-Z]+\d+)"
                  r"(?: \[[^\]]*\])?: (?P<message>.*)$")


def _validate(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    status = main(["validate", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_every_design_is_covered() -> None:
    bundled = sorted(p.name for p in DESIGNS.glob("*.yaml"))
    assert bundled == sorted([*VALID, "broken.yaml"])


@pytest.mark.parametrize("name", VALID)
def test_valid_design_validates_clean(name: str, capsys: pytest.CaptureFixture) -> None:
    path = str(DESIGNS / name)
    status, out, err = _validate(capsys, path, "--format", "json")
    assert status == 0, out + err
    findings = json.loads(out)["findings"]
    assert [f for f in findings if f["rule"] in FOUNDATION] == []
    assert [f for f in findings if f["severity"] == "error"] == []


@pytest.mark.parametrize("name", VALID)
def test_valid_design_is_documented(name: str) -> None:
    """Each bundled design explains itself and states what it should (and should not) reach."""
    text = (DESIGNS / name).read_text(encoding="utf-8")
    assert text.startswith("#")
    design = load(str(DESIGNS / name))
    verdicts = {e.expect for e in design.expectations}
    assert {"reachable", "unreachable"} <= verdicts


def test_broken_design_findings_one_by_one(capsys: pytest.CaptureFixture) -> None:
    path = str(DESIGNS / "broken.yaml")
    status, out, err = _validate(capsys, path)
    assert status == 1
    assert "Traceback" not in out + err
    got = []
    for line in out.splitlines():
        match = LINE.match(line)
        if match and match["rule"] in FOUNDATION:
            assert match["file"] == path
            got.append(match)
    assert len(got) == len(BROKEN), "\n".join(m.group(0) for m in got)
    for match, (pos, severity, rule_id, fragment) in zip(got, BROKEN):
        assert (match["pos"], match["severity"], match["rule"]) == (pos, severity, rule_id), match.group(0)
        assert fragment in match["message"], match.group(0)


def test_broken_design_every_rule_fires(capsys: pytest.CaptureFixture) -> None:
    assert {rule_id for _, _, rule_id, _ in BROKEN} == FOUNDATION


def test_broken_design_json_matches_text(capsys: pytest.CaptureFixture) -> None:
    status, out, _ = _validate(capsys, str(DESIGNS / "broken.yaml"), "--format", "json")
    assert status == 1
    findings = [f for f in json.loads(out)["findings"] if f["rule"] in FOUNDATION]
    assert [(f"{f['location']['line']}:{f['location']['column']}", f["severity"], f["rule"]) for f in findings] == [
        (pos, severity, rule_id) for pos, severity, rule_id, _ in BROKEN]


@pytest.mark.parametrize("fail_on, status", [("error", 1), ("warning", 1), ("info", 1)])
def test_broken_design_fail_on(fail_on: str, status: int, capsys: pytest.CaptureFixture) -> None:
    assert _validate(capsys, str(DESIGNS / "broken.yaml"), "--fail-on", fail_on)[0] == status


#: The only warnings the bundled valid designs may give (docs/validate.md, "Severities").
ALLOWED_WARNINGS = {"peered-vpcs.yaml": ["NACL010", "NACL010"]}


@pytest.mark.parametrize("name", VALID)
def test_bundled_designs_are_clean_of_warnings(capsys, name: str) -> None:
    """AWS's defaults (default NACL, default egress rule) are info, so a good design gives no warnings."""
    status, out, _ = _validate(capsys, str(DESIGNS / name), "--format", "json")
    findings = [f for f in json.loads(out)["findings"] if not f["suppressed"]]
    assert sorted(f["rule"] for f in findings if f["severity"] != "info") == ALLOWED_WARNINGS.get(name, [])
    assert status == 0
