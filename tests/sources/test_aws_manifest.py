"""A snapshot's manifest (`vpckit snapshot`'s snapshot.json) is read, not mistaken for a describe output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpckit.sources import load

VPCS = {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "State": "available"}]}


@pytest.mark.parametrize(
    "manifest, warned",
    [
        ({"format": "vpckit-snapshot/1", "complete": True, "failed": [], "not_attempted": []}, None),
        (
            {"format": "vpckit-snapshot/1", "complete": False,
             "failed": [{"region": "us-east-1", "action": "ec2:DescribeNatGateways", "kind": "throttled",
                         "code": "Throttling", "message": "Rate exceeded"}],
             "not_attempted": [{"region": "us-east-1", "action": "ec2:DescribeVpcEndpoints"}]},
            "ec2:DescribeNatGateways in us-east-1 (Throttling)",
        ),
    ],
)
def test_manifest(tmp_path: Path, manifest: dict, warned: str | None) -> None:
    region = tmp_path / "us-east-1"
    region.mkdir()
    (region / "Vpcs.json").write_text(json.dumps(VPCS))
    (tmp_path / "snapshot.json").write_text(json.dumps(manifest))
    design = load(str(tmp_path))
    assert list(design.vpcs) == ["vpc-1"]
    if warned is None:
        assert not [w for w in design.source.warnings if "snapshot.json" in w or "INCOMPLETE" in w]
    else:
        (warning,) = [w for w in design.source.warnings if "INCOMPLETE" in w]
        assert warned in warning and "ec2:DescribeVpcEndpoints in us-east-1" in warning
