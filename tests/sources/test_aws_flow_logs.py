"""Flow logs in a snapshot: absent from the snapshot means unknown, never "no flow log" (VPC009)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpckit.checks import run_checks
from vpckit.sources import load

VPCS = {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "State": "available"}]}
LOG = {"FlowLogId": "fl-1", "ResourceId": "vpc-1", "TrafficType": "ALL", "LogDestinationType": "s3",
       "LogDestination": "arn:aws:s3:::logs"}


@pytest.mark.parametrize(
    "flow_logs, expected, vpc009",
    [
        (None, None, False),              # describe-flow-logs not collected: unknown
        ([], {}, True),                   # collected, none for this VPC
        ([LOG], {"fl-1": "ALL"}, False),  # collected, one capturing ALL traffic
    ],
)
def test_flow_logs(tmp_path: Path, flow_logs: list | None, expected: dict | None, vpc009: bool) -> None:
    (tmp_path / "Vpcs.json").write_text(json.dumps(VPCS))
    if flow_logs is not None:
        (tmp_path / "FlowLogs.json").write_text(json.dumps({"FlowLogs": flow_logs}))
    design = load(str(tmp_path))
    logs = design.vpcs["vpc-1"].flow_logs
    assert (None if logs is None else {k: v.traffic_type for k, v in logs.items()}) == expected
    assert any(f.rule == "VPC009" for f in run_checks(design)) is vpc009
