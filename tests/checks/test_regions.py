"""Placement rules (SUB-03: a subnet is in exactly one AZ of its VPC's Region): VPC014-VPC016."""

from __future__ import annotations

import pytest

from vpckit.checks._foundation import findings_of
from vpckit.cli import main


def _design(region: str = "us-east-1", az: str = "us-east-1a", vpc_region: str | None = None) -> dict:
    vpc = {"cidr": "10.0.0.0/16", "subnets": {"a": {"az": az, "cidr": "10.0.0.0/24"}}}
    if vpc_region:
        vpc["region"] = vpc_region
    return {"region": region, "vpcs": {"p": vpc}}


@pytest.mark.parametrize(
    ("design", "rule_id", "expected"),
    [
        # SUB-03: the zone must be one of the VPC's region
        (_design(az="us-east-1z"), "VPC015", ["us-east-1z, which us-east-1 does not have (us-east-1a … us-east-1f)"]),
        (_design(az="us-east-2d"), "VPC015", ["us-east-2d, an Availability Zone of us-east-2, but VPC p is in us-east-1"]),
        (_design(az="eu-west-1a", vpc_region="eu-west-1"), "VPC015", []),  # the VPC's own region wins
        (_design(az="eu-west-1a", region="eu-west-1", vpc_region="us-east-1"), "VPC015",
         ["eu-west-1a, an Availability Zone of eu-west-1, but VPC p is in us-east-1"]),
        (_design(az="eu-west-1d", region="eu-west-1"), "VPC015", ["eu-west-1d, which eu-west-1 does not have"]),
        (_design(az="ca-central-1c", region="ca-central-1"), "VPC015", ["ca-central-1c, which ca-central-1 does not have"]),
        (_design(az="x"), "VPC015", ["'x', which is not an Availability Zone name"]),
        (_design(az="us-east-1-bos-1a"), "VPC015", []),  # a Local Zone of us-east-1
        (_design(az="(known after apply)"), "VPC015", []),  # chosen at deployment: not provably wrong
        (_design(az="us-east-1f"), "VPC015", []),
        # a region AWS does not have
        (_design(region="us-east-3", az="us-east-3a"), "VPC014", ["region us-east-3 does not exist in any AWS partition"]),
        (_design(region="us-east-3", az="us-east-3a"), "VPC015", []),  # reported once, as VPC014
        (_design(vpc_region="eu-wset-1", az="eu-wset-1a"), "VPC014", ["did you mean 'eu-west-1'?"]),
        (_design(region="cn-north-1", az="cn-north-1a"), "VPC014", []),
        (_design(region="us-gov-west-1", az="us-gov-west-1a"), "VPC015", []),
        # an input with nothing to check
        ({"name": "empty"}, "VPC016", ["the input holds no VPC, so nothing was checked"]),
        (_design(), "VPC016", []),
    ],
)
def test_placement_rules(design: dict, rule_id: str, expected: list[str]) -> None:
    found = findings_of(rule_id, design)
    assert len(found) == len(expected), found
    for line, fragment in zip(found, expected):
        assert fragment in line


def test_a_design_with_no_vpcs_is_not_a_clean_pass(tmp_path, capsys) -> None:
    design = tmp_path / "empty.yaml"
    design.write_text("name: empty\nregion: us-east-1\n")
    assert main(["validate", str(design)]) == 1
    out = capsys.readouterr().out
    assert "VPC016" in out and "no findings" not in out
