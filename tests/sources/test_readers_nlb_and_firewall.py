"""What the readers take from Terraform plans and CloudFormation templates for NLB client IP preservation and AWS
Network Firewall endpoints
(https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html; Terraform
registry, aws_networkfirewall_firewall: firewall_status.sync_states.attachment.endpoint_id)."""

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


def test_terraform_network_firewall_endpoint_is_a_route_target() -> None:
    """aws_networkfirewall_firewall: routes name its endpoint through firewall_status (known after apply)."""
    plan = make_plan([
        ("aws_vpc.v", {"cidr_block": "10.0.0.0/16", "id": "vpc-1"}, []),
        ("aws_subnet.fw", {"cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1a", "vpc_id": "vpc-1"}, ["id"]),
        ("aws_subnet.app", {"cidr_block": "10.0.2.0/24", "availability_zone": "eu-west-1a", "vpc_id": "vpc-1"}, ["id"]),
        ("aws_networkfirewall_firewall.f", {"name": "f", "vpc_id": "vpc-1", "subnet_mapping": [{}]},
         ["firewall_status", "id"]),
        ("aws_route_table.app", {"vpc_id": "vpc-1"}, ["id"]),
        ("aws_route.to_fw", {"destination_cidr_block": "0.0.0.0/0"}, ["vpc_endpoint_id", "route_table_id"]),
    ], {"resources": [
        cfg("aws_subnet.fw", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")),
        cfg("aws_subnet.app", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")),
        {**cfg("aws_networkfirewall_firewall.f", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")),
         "expressions": {"vpc_id": ref("aws_vpc.v.id", "aws_vpc.v"),
                         "subnet_mapping": [{"subnet_id": ref("aws_subnet.fw.id", "aws_subnet.fw")}]}},
        cfg("aws_route_table.app", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")),
        cfg("aws_route.to_fw", route_table_id=ref("aws_route_table.app.id", "aws_route_table.app"),
            vpc_endpoint_id=ref("aws_networkfirewall_firewall.f.firewall_status[0].sync_states",
                                "aws_networkfirewall_firewall.f.firewall_status", "aws_networkfirewall_firewall.f")),
    ]})
    design = loads(plan, "plan.json")
    (vpc,) = design.vpcs.values()
    endpoint = vpc.endpoints["aws_networkfirewall_firewall.f"]
    assert (endpoint.type, endpoint.subnets) == ("network_firewall", ["aws_subnet.fw"])
    routes = [(str(r.destination), r.target) for r in vpc.route_tables["aws_route_table.app"].routes]
    assert routes == [("0.0.0.0/0", "aws_networkfirewall_firewall.f")]
