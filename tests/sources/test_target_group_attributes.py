"""Client IP preservation of NLB target groups read from Terraform plans and CloudFormation templates
(https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html)."""

from __future__ import annotations

import json

import pytest

from vpckit.sources import load
from vpckit.sources.terraform import loads

from .test_terraform import cfg, make_plan, ref


@pytest.mark.parametrize(("written", "read"), [("false", False), ("true", True), (None, None)])
def test_terraform_preserve_client_ip(written, read) -> None:
    values = {"port": 80, "protocol": "TCP", "vpc_id": "vpc-1"}
    if written is not None:
        values["preserve_client_ip"] = written
    plan = make_plan([("aws_vpc.v", {"cidr_block": "10.0.0.0/16", "id": "vpc-1"}, []),
                      ("aws_lb_target_group.t", values, [])],
                     {"resources": [cfg("aws_lb_target_group.t", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v"))]})
    design = loads(plan, "plan.json")
    (group,) = [tg for vpc in design.vpcs.values() for tg in vpc.target_groups.values()]
    assert group.preserve_client_ip is read


@pytest.mark.parametrize(("written", "read"), [("false", False), ("true", True), (None, None)])
def test_cloudformation_preserve_client_ip(written, read, tmp_path) -> None:
    group = {"Port": 80, "Protocol": "TCP", "VpcId": {"Ref": "V"}}
    if written is not None:
        group["TargetGroupAttributes"] = [{"Key": "preserve_client_ip.enabled", "Value": written}]
    template = {"Resources": {"V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
                              "TG": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": group}}}
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template))
    (found,) = [tg for vpc in load(str(path)).vpcs.values() for tg in vpc.target_groups.values()]
    assert found.preserve_client_ip is read
