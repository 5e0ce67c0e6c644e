"""SARIF output: valid against the official 2.1.0 schema, stable fingerprints, rules with peers."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from vpckit.cli import main


SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
ROOT = Path(__file__).resolve().parents[2]


def sarif_of(path: Path, tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / f"{path.stem}.sarif"
    code = main(["validate", str(path), "--format", "sarif", "-o", str(out), *extra])
    assert code in (0, 1)
    return json.loads(out.read_text(encoding="utf-8"))


def fingerprints(document: dict) -> dict[str, str]:
    return {r["partialFingerprints"]["vpckitFindingHash/v1"]: r["ruleId"] for r in document["runs"][0]["results"]}


@pytest.mark.parametrize("source", ["tests/report/exposed", "designs/three-tier.yaml"])
def test_validates_against_the_sarif_schema(source: str, design_file: Path, tmp_path: Path) -> None:
    path = design_file if source.endswith("exposed") else ROOT / source
    document = sarif_of(path, tmp_path)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    assert document["version"] == "2.1.0"


def test_results_carry_rules_locations_and_suppressions(design_file: Path, design_text: str, tmp_path: Path) -> None:
    document = sarif_of(design_file, tmp_path)
    run = document["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["SG001"]["properties"]["peers"]["checkov"] == ["CKV_AWS_24"]
    assert rules["SG001"]["help"]["text"] and rules["SG001"]["defaultConfiguration"]["level"] == "error"
    by_rule: dict[str, list[dict]] = {}
    for result in run["results"]:
        by_rule.setdefault(result["ruleId"], []).append(result)
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    (ssh,) = [r for r in by_rule["SG001"] if "bastion" in r["message"]["text"]]
    region = ssh["locations"][0]["physicalLocation"]["region"]
    first_half = next(n for n, line in enumerate(design_text.splitlines(), 1) if "source: 0.0.0.0/1," in line)
    assert region["startLine"] == first_half  # the first of the two half-internet rules
    assert ssh["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("vpcs/prod/security_groups/bastion")
    suppressed = {r["ruleId"]: r["suppressions"][0]["justification"] for r in run["results"] if "suppressions" in r}
    assert "landing zone" in suppressed["VPC009"]
    assert any("network firewall" in why for rule_id, why in suppressed.items() if rule_id == "SG006")


def test_fingerprints_stable_across_runs(design_file: Path, tmp_path: Path) -> None:
    first = fingerprints(sarif_of(design_file, tmp_path))
    second = fingerprints(sarif_of(design_file, tmp_path))
    assert first == second and len(first) == len(sarif_of(design_file, tmp_path)["runs"][0]["results"])


def test_fingerprints_survive_an_unrelated_edit(design_file: Path, edited_design_text: str, tmp_path: Path) -> None:
    before = sarif_of(design_file, tmp_path)
    edited = tmp_path / "edited" / design_file.name
    edited.parent.mkdir()
    edited.write_text(edited_design_text, encoding="utf-8")
    after = sarif_of(edited, tmp_path / "edited")
    old, new = fingerprints(before), fingerprints(after)
    assert set(old) <= set(new), {old[k] for k in set(old) - set(new)}
    # Lines moved, identities did not.
    lines_before = {r["partialFingerprints"]["vpckitFindingHash/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    for r in before["runs"][0]["results"] if "region" in r["locations"][0].get("physicalLocation", {})}
    lines_after = {r["partialFingerprints"]["vpckitFindingHash/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
                   for r in after["runs"][0]["results"] if "region" in r["locations"][0].get("physicalLocation", {})}
    moved = [k for k in lines_before if k in lines_after and lines_after[k] == lines_before[k] + 1]
    assert moved, "expected findings below the added subnet to keep their fingerprint on a new line"


def test_disabled_rules_are_not_listed(design_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "vpckit.toml"
    config.write_text('disable = ["SG00*"]\n', encoding="utf-8")
    document = sarif_of(design_file, tmp_path, "--config", str(config))
    ids = {r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert "SG001" not in ids and "NACL005" in ids
    assert not any(r["ruleId"].startswith("SG00") for r in document["runs"][0]["results"])


@pytest.mark.parametrize("relative", [
    "cloudformation/aws-cloudformation-templates/VPC/VPC_With_Managed_NAT_And_Private_Subnet.yaml",
    "terraform/plan-json/checkov/tests/terraform/runner/resources/plan/tfplan.json",
])
def test_infrastructure_code_inputs_have_line_locations(relative: str, corpus_dir: Path, tmp_path: Path) -> None:
    document = sarif_of(corpus_dir / relative, tmp_path)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    results = document["runs"][0]["results"]
    located = [r for r in results if "region" in r["locations"][0].get("physicalLocation", {})]
    assert results and len(located) == len(results)
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(Path(relative).name)
               for r in results)

