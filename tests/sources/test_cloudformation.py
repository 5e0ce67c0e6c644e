"""The CloudFormation reader: every template of the corpus, intrinsic functions, bad input, detection.

Facts below were checked by hand against the templates under ../shared/corpus/cloudformation/
(see README-iac.md there).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import pytest

from vpckit.cli import main
from vpckit.errors import InputError
from vpckit.model import Design
from vpckit.sources import detect, load
from vpckit.sources.cloudformation import NO_VALUE, ResourceRef, Template, Unresolved, loads

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"  # the CORPUS of tests/conftest.py
CFN = CORPUS / "cloudformation"
TF = CORPUS / "terraform" / "plan-json"

MANAGED_NAT = "aws-cloudformation-templates/VPC/VPC_With_Managed_NAT_And_Private_Subnet"
STATIC_IPS = "aws-cloudformation-templates/VPC/VPC_EC2_Instance_With_Multiple_Static_IPAddresses.yaml"
FARGATE = "aws-cloudformation-templates/ECS/FargateLaunchType/clusters/private-vpc.yaml"
PEERING_UPDATES = "aws-cloudformation-templates/Solutions/VPCPeering/templates/VPCPeering-Updates.cfn.yaml"
TWO_AZS = "aws-cf-templates/vpc/vpc-2azs.yaml"
NAT_STACK = "aws-cf-templates/vpc/vpc-nat-gateway.yaml"
TGW = ("aws-networkfirewall-cfn-templates/transit-gateway-attached-firewall/manual-deployment-tgw-attached-firewall/"
       "tgw-no-firewall-manual.yaml")
FIREWALL = ("aws-networkfirewall-cfn-templates/distributed_architecture/single_az_deployment/"
            "combined-ingress-and-egress-firewall/anfw-distributed-1az-single-firewall-template.yaml")
CANTRILL = "learn-cantrill-io-labs/aws-hybrid-activedirectory/01_LABSETUP/05_HYBRIDDIR-NESTED-AWS-VPC.yaml"
QUICKSTART = "quickstart-aws-vpc/templates/aws-vpc.template.yaml"
REGULA = "regula/rego/tests/rules/cfn/vpc/inputs/nacl_ingress_22_infra.yaml"

MATERIALISED = {"main", "default"}  # AWS defaults every VPC gets (route table, NACL, security group)


@lru_cache(maxsize=None)
def read(relative: str, parameters: tuple[tuple[str, str], ...] = ()) -> Design:
    return load(str(CFN / relative), parameters=dict(parameters) or None)


def counts(design: Design) -> dict[str, int]:
    """Resources read, per collection, without the AWS defaults the model materialises."""
    result: dict[str, int] = {"vpcs": len(design.vpcs)}
    for vpc in design.vpcs.values():
        for collection in ("subnets", "route_tables", "network_acls", "security_groups", "nat_gateways",
                           "internet_gateways", "egress_only_internet_gateways", "instances", "network_interfaces",
                           "endpoints", "load_balancers", "target_groups"):
            named = [n for n in getattr(vpc, collection) if n not in MATERIALISED]
            if named:
                result[collection] = result.get(collection, 0) + len(named)
    for collection in ("peering_connections", "transit_gateways", "prefix_lists"):
        if getattr(design, collection):
            result[collection] = len(getattr(design, collection))
    return result


def routes(design: Design, vpc: str, table: str) -> list[tuple[str, str]]:
    return [(str(r.destination), r.target) for r in design.vpcs[vpc].route_tables[table].routes]


def rules(design: Design, vpc: str, group: str, direction: str = "ingress") -> list[dict[str, Any]]:
    return [r.model_dump(mode="json", exclude_defaults=True) for r in getattr(design.vpcs[vpc].security_groups[group], direction)]


def findings(design: Design, rule_id: str) -> list:
    from vpckit.checks import RULES, load_rules
    from vpckit.checks.registry import CheckContext

    load_rules()
    return list(RULES[rule_id].check(CheckContext(design)))


def fired(design: Design, rule_id: str) -> list[str]:
    return sorted(f.resource for f in findings(design, rule_id))


def warned(design: Design, logical_id: str) -> bool:
    return any(w.startswith(f"{logical_id}:") for w in design.source.warnings)


Fact = Callable[[Design], Any]

# (template, parameters, expected counts, [(fact, expected value)])
CORPUS_CASES: list[tuple[str, dict[str, str], dict[str, int], list[tuple[Fact, Any]]]] = [
    (f"{MANAGED_NAT}.yaml", {}, {
        "vpcs": 1, "subnets": 4, "route_tables": 3, "network_acls": 1, "nat_gateways": 2, "internet_gateways": 1,
    }, [
        (lambda d: (str(d.vpcs["VPC"].subnets["PublicSubnet0"].cidr), d.vpcs["VPC"].subnets["PublicSubnet0"].az),
         ("10.0.0.0/24", "us-east-1a")),  # Fn::FindInMap SubnetConfig / !Select [0, !GetAZs]
        (lambda d: d.vpcs["VPC"].subnets["PrivateSubnet1"].az, "us-east-1b"),
        (lambda d: routes(d, "VPC", "PrivateRouteTable1"), [("0.0.0.0/0", "NATGateway1")]),
        (lambda d: routes(d, "VPC", "PublicRouteTable"), [("0.0.0.0/0", "InternetGateway")]),
        (lambda d: d.vpcs["VPC"].subnets["PublicSubnet1"].network_acl, "PublicNetworkAcl"),
        # Protocol -1 with a PortRange: the ports mean nothing for "all" (NACL-09).
        (lambda d: [(r.rule, r.protocol, r.ports) for r in d.vpcs["VPC"].network_acls["PublicNetworkAcl"].ingress],
         [(100, -1, None)]),
        (lambda d: d.vpcs["VPC"].nat_gateways["NATGateway0"].subnet, "PublicSubnet0"),
        # AllocationId: !GetAtt ElasticIP0.AllocationId: the EIPs are in use (no NET004); no flow log (VPC009).
        (lambda d: {n: (e.nat_gateway, e.vpc) for n, e in d.elastic_ips.items()},
         {"ElasticIP0": ("NATGateway0", "VPC"), "ElasticIP1": ("NATGateway1", "VPC")}),
        (lambda d: (fired(d, "NET004"), fired(d, "VPC009")), ([], ["vpc VPC"])),
    ]),
    (f"{MANAGED_NAT}.json", {}, {
        "vpcs": 1, "subnets": 4, "route_tables": 3, "network_acls": 1, "nat_gateways": 2, "internet_gateways": 1,
    }, [
        (lambda d: str(d.vpcs["VPC"].subnets["PrivateSubnet0"].cidr), "10.0.2.0/24"),
        (lambda d: d.vpcs["VPC"].subnets["PrivateSubnet0"].route_table, "PrivateRouteTable0"),
        (lambda d: d == read(f"{MANAGED_NAT}.yaml"), True),  # the JSON twin reads to the same design
    ]),
    (STATIC_IPS, {"VpcId": "vpc-0abc", "SubnetId": "subnet-0abc", "PrimaryIPAddress": "10.0.0.10",
                  "SecondaryIPAddress": "10.0.0.11"}, {"vpcs": 0}, [
        # VPC and subnet are parameters: referenced, not defined, so nothing can be placed (never guessed).
        (lambda d: warned(d, "SSHSecurityGroup") and warned(d, "EC2Instance"), True),
        (lambda d: any("vpc-0abc is not defined" in w for w in d.source.warnings), True),
        (lambda d: any(w.startswith("Eth0: the primary interface of EC2Instance") for w in d.source.warnings), True),
        # EIPAssoc1 associates EIP1 (AllocationId: !GetAtt EIP1.AllocationId) with Eth0.
        (lambda d: (d.elastic_ips["EIP1"].network_interface, fired(d, "NET004")), ("Eth0", [])),
    ]),
    (FARGATE, {}, {
        "vpcs": 1, "subnets": 4, "route_tables": 3, "security_groups": 3, "nat_gateways": 2, "internet_gateways": 1,
        "endpoints": 1, "load_balancers": 2, "target_groups": 2,
    }, [
        (lambda d: (str(d.vpcs["VPC"].subnets["PrivateSubnetTwo"].cidr), d.vpcs["VPC"].subnets["PrivateSubnetTwo"].az),
         ("10.0.3.0/24", "us-east-1b")),
        # Stand-alone SecurityGroupIngress resources merged into their group, self-reference included.
        (lambda d: [r["source"] for r in rules(d, "VPC", "FargateContainerSecurityGroup")],
         ["PublicLoadBalancerSG", "PrivateLoadBalancerSG", "FargateContainerSecurityGroup"]),
        (lambda d: d.vpcs["VPC"].endpoints["DynamoDBEndpoint"].model_dump(include={"service", "type", "route_tables"}),
         {"service": "com.amazonaws.us-east-1.dynamodb", "type": "gateway",
          "route_tables": ["PrivateRouteTableOne", "PrivateRouteTableTwo"]}),
        (lambda d: d.vpcs["VPC"].load_balancers["PrivateLoadBalancer"].scheme, "internal"),
        (lambda d: {n: e.nat_gateway for n, e in d.elastic_ips.items()},
         {"NatGatewayOneAttachment": "NatGatewayOne", "NatGatewayTwoAttachment": "NatGatewayTwo"}),
    ]),
    (PEERING_UPDATES, {}, {"vpcs": 0}, [
        # Everything is a parameter without a default: each route/rule is a warning naming it.
        (lambda d: all(warned(d, f"PeerRoute{i}") for i in range(1, 7)), True),
        (lambda d: any("--parameter RouteTableIds=" in w for w in d.source.warnings), True),
    ]),
    (TWO_AZS, {}, {
        "vpcs": 1, "subnets": 4, "route_tables": 4, "network_acls": 2, "internet_gateways": 1,
        "egress_only_internet_gateways": 1,
    }, [
        (lambda d: (str(d.vpcs["VPC"].subnets["SubnetBPrivate"].cidr), d.vpcs["VPC"].subnets["SubnetBPrivate"].az),
         ("10.0.48.0/20", "us-east-1b")),  # !Sub '10.${ClassB}.48.0/20', !GetAZs ''
        (lambda d: routes(d, "VPC", "RouteTablePrivate"), [("::/0", "EgressOnlyInternetGateway")]),
        (lambda d: routes(d, "VPC", "RouteTablePublic"), [("0.0.0.0/0", "InternetGateway"), ("::/0", "InternetGateway")]),
        (lambda d: [(r.rule, str(r.cidr)) for r in d.vpcs["VPC"].network_acls["NetworkAclPublic"].egress],
         [(99, "0.0.0.0/0"), (98, "::/0")]),
        # The IPv6 CIDRs come from the Amazon-provided block: known only after deployment.
        (lambda d: warned(d, "VPCCidrBlock") and warned(d, "SubnetAPublic"), True),
        (lambda d: d.vpcs["VPC"].subnets["SubnetAPublic"].ipv6_cidr, None),
    ]),
    (NAT_STACK, {}, {"vpcs": 0}, [
        (lambda d: any(w.startswith("NatGateway: SubnetId: Fn::ImportValue") for w in d.source.warnings), True),
        (lambda d: warned(d, "Route"), True),
        # The NAT gateway is not read (its subnet is imported), but it still uses the EIP: no NET004.
        (lambda d: (d.elastic_ips["EIP"].nat_gateway, fired(d, "NET004")), ("NatGateway", [])),
    ]),
    (TGW, {"AvailabilityZoneSelection": "us-east-1a"}, {
        "vpcs": 3, "subnets": 6, "route_tables": 6, "security_groups": 4, "nat_gateways": 1, "internet_gateways": 1,
        "instances": 2, "endpoints": 6, "transit_gateways": 1,
    }, [
        (lambda d: (str(d.vpcs["EgressVPC"].subnets["SubnetCPublic"].cidr), d.vpcs["EgressVPC"].subnets["SubnetCPublic"].az),
         ("100.64.1.0/24", "us-east-1a")),
        (lambda d: routes(d, "SpokeVPCA", "SubnetAWorkloadRouteTable"), [("0.0.0.0/0", "CentralTransitGateway")]),
        (lambda d: routes(d, "EgressVPC", "SubnetCPublicRouteTable"),
         [("10.0.0.0/8", "CentralTransitGateway"), ("0.0.0.0/0", "EgressInternetGateway")]),
        (lambda d: sorted(d.transit_gateways["CentralTransitGateway"].attachments), [
            "AttachEgressVPC", "AttachSpokeVPCA", "AttachSpokeVPCB"]),
        (lambda d: d.transit_gateways["CentralTransitGateway"].attachments["AttachSpokeVPCA"].model_dump(
            include={"vpc", "subnets", "route_table", "propagate_to"}),
         {"vpc": "SpokeVPCA", "subnets": ["SubnetATGW"], "route_table": "SpokeRouteTable",
          "propagate_to": ["SpokeRouteTable", "EgressRouteTable"]}),
        (lambda d: d.transit_gateways["CentralTransitGateway"].attachments["AttachEgressVPC"].appliance_mode, True),
        (lambda d: [(str(r.destination), r.attachment) for r in
                    d.transit_gateways["CentralTransitGateway"].route_tables["SpokeRouteTable"].routes],
         [("0.0.0.0/0", "AttachEgressVPC")]),
        (lambda d: rules(d, "SpokeVPCA", "SubnetASecGroup")[0],
         {"protocol": "icmp", "source": "10.0.0.0/8", "description": "Allow traffic from private networks"}),
        (lambda d: d.vpcs["SpokeVPCB"].endpoints["SpokeBSSMEndpoint"].service, "com.amazonaws.us-east-1.ssm"),
        # AutoAcceptSharedAttachments: "disable": no NET003. SubnetCNATEIP is the NAT gateway's.
        (lambda d: (d.transit_gateways["CentralTransitGateway"].auto_accept_shared_attachments, fired(d, "NET003")),
         (False, [])),
        (lambda d: {n: e.nat_gateway for n, e in d.elastic_ips.items()}, {"SubnetCNATEIP": "SubnetCNATGateway"}),
    ]),
    (FIREWALL, {"AvailabilityZoneSelection": "us-east-1b"}, {
        "vpcs": 1, "subnets": 2, "route_tables": 3, "security_groups": 2, "internet_gateways": 1, "instances": 1,
        "endpoints": 4,
    }, [
        (lambda d: (str(d.vpcs["SpokeVPCB"].subnets["PublicSubnet"].cidr), d.vpcs["SpokeVPCB"].subnets["PublicSubnet"].az),
         ("10.2.1.0/24", "us-east-1b")),
        (lambda d: d.vpcs["SpokeVPCB"].route_tables["IngressRouteTable"].edge_associations, ["InternetGatewayVPCB"]),
        (lambda d: routes(d, "SpokeVPCB", "FirewallSubnetRouteTable"), [("0.0.0.0/0", "InternetGatewayVPCB")]),
        # The firewall's endpoint (Fn::GetAtt NetworkFirewall.EndpointIds, "AZ:vpce-id") is a route target.
        (lambda d: d.vpcs["SpokeVPCB"].endpoints["NetworkFirewall-1"].model_dump(include={"type", "subnets"}),
         {"type": "network_firewall", "subnets": ["FirewallSubnet"]}),
        (lambda d: routes(d, "SpokeVPCB", "PublicSubnetRouteTable"), [("0.0.0.0/0", "NetworkFirewall-1")]),
        (lambda d: routes(d, "SpokeVPCB", "IngressRouteTable"), [("10.2.1.0/24", "NetworkFirewall-1")]),
        (lambda d: rules(d, "SpokeVPCB", "EndpointSecurityGroup")[0]["ports"], 443),
    ]),
    (CANTRILL, {"ONPREMVPCID": "vpc-0onprem", "ONPREMInstanceSGID": "sg-0onprem"}, {
        "vpcs": 1, "subnets": 5, "route_tables": 2, "security_groups": 1, "nat_gateways": 1, "internet_gateways": 1,
        "endpoints": 3, "peering_connections": 1,
    }, [
        (lambda d: (str(d.vpcs["VPC"].subnets["SubnetPrivateB"].cidr), d.vpcs["VPC"].subnets["SubnetPrivateB"].az),
         ("10.16.96.0/20", "us-east-1b")),
        (lambda d: routes(d, "VPC", "PrivateRT"), [("0.0.0.0/0", "NatGateway"), ("192.168.8.0/21", "VPCPeeringConnection")]),
        (lambda d: d.peering_connections["VPCPeeringConnection"].model_dump(include={"requester", "accepter"}),
         {"requester": "VPC", "accepter": "vpc-0onprem"}),
        (lambda d: rules(d, "VPC", "InstanceSG")[-1], {"protocol": "all", "source": "sg-0onprem"}),
        (lambda d: rules(d, "VPC", "InstanceSG")[1]["ports"], 3389),
        # !Select [3, !GetAZs ''] is outside Fn::GetAZs' three zones: a warning, never a guess.
        (lambda d: (d.vpcs["VPC"].subnets["SubnetPrivateD"].az, warned(d, "SubnetPrivateD")),
         ("(chosen at deployment)", True)),
        # The peer's route tables come in as parameters without values: warnings naming each route.
        (lambda d: warned(d, "ONPREMPrivateRTAtoAWSRoute"), True),
        (lambda d: {n: e.nat_gateway for n, e in d.elastic_ips.items()}, {"EIP": "NatGateway"}),
    ]),
    (QUICKSTART, {"AvailabilityZones": "us-east-1a,us-east-1b"}, {
        "vpcs": 1, "subnets": 4, "route_tables": 3, "nat_gateways": 2, "internet_gateways": 1, "endpoints": 1,
    }, [
        (lambda d: (str(d.vpcs["VPC"].subnets["PublicSubnet2"].cidr), d.vpcs["VPC"].subnets["PublicSubnet2"].az),
         ("10.0.144.0/20", "us-east-1b")),
        (lambda d: routes(d, "VPC", "PrivateSubnet2ARouteTable"), [("0.0.0.0/0", "NATGateway2")]),
        (lambda d: d.vpcs["VPC"].endpoints["S3VPCEndpoint"].route_tables,
         ["PrivateSubnet1ARouteTable", "PrivateSubnet2ARouteTable"]),
        (lambda d: d.vpcs["VPC"].subnets["PrivateSubnet1A"].tags.get("Network"), "Private"),  # !Split "Key=Value"
        # CreateVPCFlowLogsToCloudWatch defaults to 'false': the flow log's condition is off.
        (lambda d: (d.vpcs["VPC"].flow_logs, fired(d, "VPC009")), ({}, ["vpc VPC"])),
        (lambda d: {n: e.nat_gateway for n, e in d.elastic_ips.items()}, {"NAT1EIP": "NATGateway1", "NAT2EIP": "NATGateway2"}),
    ]),
    # With the flow log: ResourceType VPC, TrafficType !Ref VPCFlowLogsTrafficType (default REJECT), so VPC009
    # says only that it does not capture ALL traffic (info).
    (QUICKSTART, {"AvailabilityZones": "us-east-1a,us-east-1b", "CreateVPCFlowLogsToCloudWatch": "true"}, {
        "vpcs": 1, "subnets": 4, "route_tables": 3, "nat_gateways": 2, "internet_gateways": 1, "endpoints": 1,
    }, [
        (lambda d: d.vpcs["VPC"].flow_logs["VPCFlowLogsToCloudWatch"].model_dump(
            include={"traffic_type", "destination_type"}), {"traffic_type": "REJECT", "destination_type": "cloud-watch-logs"}),
        (lambda d: [(f.severity, f.message) for f in findings(d, "VPC009")],
         [("info", "VPC VPC's flow logs capture only REJECT traffic")]),
    ]),
    # Every condition on: 4 AZs with the "B" private subnets and their NACLs (README-iac: 12 subnets, 9 tables).
    (QUICKSTART, {"AvailabilityZones": "us-east-1a,us-east-1b,us-east-1c,us-east-1d", "NumberOfAZs": "4",
                  "CreateAdditionalPrivateSubnets": "true"}, {
        "vpcs": 1, "subnets": 12, "route_tables": 9, "network_acls": 4, "nat_gateways": 4, "internet_gateways": 1,
        "endpoints": 1,
    }, [
        (lambda d: (lambda s: (str(s.cidr), s.az, s.network_acl))(d.vpcs["VPC"].subnets["PrivateSubnet4B"]),
         ("10.0.216.0/21", "us-east-1d", "PrivateSubnet4BNetworkAcl")),
        (lambda d: [(r.rule, r.protocol, str(r.cidr)) for r in d.vpcs["VPC"].network_acls["PrivateSubnet3BNetworkAcl"].egress],
         [(100, -1, "0.0.0.0/0")]),
        (lambda d: routes(d, "VPC", "PrivateSubnet4BRouteTable"), [("0.0.0.0/0", "NATGateway4")]),
    ]),
    (QUICKSTART, {}, {
        "vpcs": 1, "subnets": 4, "route_tables": 3, "nat_gateways": 2, "internet_gateways": 1, "endpoints": 1,
    }, [
        # AvailabilityZones has no default: every subnet says so, and its AZ is not invented.
        (lambda d: d.vpcs["VPC"].subnets["PublicSubnet1"].az, "(chosen at deployment)"),
        (lambda d: any("--parameter AvailabilityZones=" in w for w in d.source.warnings), True),
    ]),
    (REGULA, {}, {"vpcs": 6, "network_acls": 6}, [
        (lambda d: [(r.rule, r.protocol, str(r.ports), r.action) for r in d.vpcs["ValidVpc02"].network_acls["ValidVpc02Nacl"].ingress],
         [(10, 6, "22", "deny"), (20, 6, "0-1000", "allow")]),
        (lambda d: [(str(r.cidr), str(r.ports)) for r in d.vpcs["InvalidVpc03"].network_acls["InvalidVpc03Nacl"].ingress],
         [("::/0", "22"), ("::/0", "0-1000")]),
        (lambda d: [r.rule for r in d.vpcs["ValidVpc03"].network_acls["ValidVpc03Nacl"].egress], [10]),
        # TCP without a PortRange is rejected by AWS (NACL-09): reported, not read as "all ports".
        (lambda d: (d.vpcs["ValidVpc01"].network_acls["ValidVpc01Nacl"].ingress, warned(d, "ValidVpc01NaclEntry01")),
         ([], True)),
        (lambda d: d.vpcs["InvalidVpc02"].network_acls["InvalidVpc02Nacl"].ingress[0].protocol, 1),
    ]),
]


def _case_id(case: tuple) -> str:
    return Path(case[0]).name + (f"+{len(case[1])}params" if case[1] else "")


@pytest.mark.parametrize("template, parameters, expected, facts", CORPUS_CASES, ids=[_case_id(c) for c in CORPUS_CASES])
def test_corpus_template_is_read(template: str, parameters: dict[str, str], expected: dict[str, int],
                                 facts: list[tuple[Fact, Any]]) -> None:
    design = read(template, tuple(sorted(parameters.items())))
    assert design.source.kind == "cloudformation"
    assert counts(design) == expected
    for fact, value in facts:
        assert fact(design) == value


def test_every_corpus_template_has_a_case() -> None:
    templates = {str(p.relative_to(CFN)) for p in CFN.rglob("*") if p.suffix in (".yaml", ".json")}
    assert templates == {case[0] for case in CORPUS_CASES}


@pytest.mark.parametrize("template", sorted({c[0] for c in CORPUS_CASES}))
def test_validate_runs_on_corpus_template(template: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["validate", str(CFN / template)])
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    assert "Traceback" not in captured.err and "internal error" not in captured.err


@pytest.mark.parametrize("template", sorted({c[0] for c in CORPUS_CASES}))
def test_import_round_trip(template: str, tmp_path: Path) -> None:
    """`vpckit import` of a template reads back to the same design (logical ids and tags kept)."""
    from vpckit.sources.writer import dump

    design = read(template)
    path = tmp_path / "imported.yaml"
    path.write_text(dump(design))
    assert load(str(path)) == design


def test_positions_are_the_logical_ids() -> None:
    design = read(TGW, (("AvailabilityZoneSelection", "us-east-1a"),))
    assert str(design.source.positions[("vpcs", "SpokeVPCA")]).endswith("tgw-no-firewall-manual.yaml:37:3")
    assert design.source.locate(("vpcs", "EgressVPC", "subnets", "SubnetCPublic")).line is not None


# --------------------------------------------------------------------------- intrinsic functions

TEMPLATE = {
    "Parameters": {
        "Env": {"Type": "String", "Default": "prod"},
        "Cidr": {"Type": "String", "Default": "10.0.0.0/16"},
        "Zones": {"Type": "CommaDelimitedList", "Default": "eu-west-1a, eu-west-1b"},
        "Count": {"Type": "Number", "Default": 2},
        "NoDefault": {"Type": "String"},
    },
    "Mappings": {"Net": {"prod": {"Cidr": "10.1.0.0/16"}, "dev": {"Cidr": "10.2.0.0/16"}}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
        "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": ["a", "a"]}]},
        "Either": {"Fn::Or": [{"Condition": "IsDev"}, {"Fn::Equals": [{"Ref": "Count"}, "2"]}]},
    },
    "Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "Cidr"}}},
        "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"VpcId": {"Ref": "Vpc"}}},
    },
}

INTRINSICS: list[tuple[str, Any, Any]] = [
    ("Ref parameter", {"Ref": "Env"}, "prod"),
    ("Ref list parameter", {"Ref": "Zones"}, ["eu-west-1a", "eu-west-1b"]),
    ("Ref number parameter", {"Ref": "Count"}, "2"),
    ("Ref resource", {"Ref": "Vpc"}, ResourceRef("Vpc")),
    ("Ref AWS::Region", {"Ref": "AWS::Region"}, "us-east-1"),
    ("Ref AWS::AccountId", {"Ref": "AWS::AccountId"}, "123456789012"),
    ("Ref AWS::StackName", {"Ref": "AWS::StackName"}, "stack"),
    ("Ref AWS::NoValue", {"Ref": "AWS::NoValue"}, NO_VALUE),
    ("GetAtt id", {"Fn::GetAtt": ["Sg", "GroupId"]}, ResourceRef("Sg", "GroupId")),
    ("GetAtt string form", {"Fn::GetAtt": "Vpc.CidrBlock"}, "10.0.0.0/16"),
    ("GetAtt default group", {"Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"]}, "Vpc/default"),
    ("Sub", {"Fn::Sub": "${Env}-${AWS::Region}-${!Literal}"}, "prod-us-east-1-${Literal}"),
    ("Sub with variables", {"Fn::Sub": ["${A}.${Env}", {"A": {"Fn::Select": [1, {"Ref": "Zones"}]}}]}, "eu-west-1b.prod"),
    ("Sub GetAtt", {"Fn::Sub": "cidr ${Vpc.CidrBlock}"}, "cidr 10.0.0.0/16"),
    ("Join", {"Fn::Join": ["-", ["a", {"Ref": "Env"}, 3]]}, "a-prod-3"),
    ("Select", {"Fn::Select": ["1", ["x", "y"]]}, "y"),
    ("Split", {"Fn::Split": [",", "a,b,c"]}, ["a", "b", "c"]),
    ("Select of Split", {"Fn::Select": [1, {"Fn::Split": ["=", "Network=Private"]}]}, "Private"),
    ("GetAZs empty", {"Fn::GetAZs": ""}, ["us-east-1a", "us-east-1b", "us-east-1c"]),
    ("GetAZs null", {"Fn::GetAZs": None}, ["us-east-1a", "us-east-1b", "us-east-1c"]),
    ("GetAZs region", {"Fn::GetAZs": "eu-west-1"}, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
    ("Cidr IPv4", {"Fn::Cidr": [{"Ref": "Cidr"}, 3, 8]}, ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]),
    ("Cidr IPv6", {"Fn::Cidr": ["2600:1f18::/56", 2, 64]}, ["2600:1f18::/64", "2600:1f18:0:1::/64"]),
    ("If true", {"Fn::If": ["IsProd", "big", "small"]}, "big"),
    ("If false", {"Fn::If": ["IsDev", "big", {"Ref": "AWS::NoValue"}]}, NO_VALUE),
    ("Equals", {"Fn::Equals": [{"Ref": "Env"}, "dev"]}, False),
    ("Not", {"Fn::Not": [{"Condition": "IsDev"}]}, True),
    ("And", {"Fn::If": ["Both", 1, 0]}, 1),
    ("Or", {"Fn::If": ["Either", 1, 0]}, 1),
    ("FindInMap", {"Fn::FindInMap": ["Net", {"Ref": "Env"}, "Cidr"]}, "10.1.0.0/16"),
    ("Base64", {"Fn::Base64": {"Fn::Sub": "echo ${Env}"}}, "echo prod"),
    ("nested NoValue dropped", {"A": {"Ref": "AWS::NoValue"}, "B": [1, {"Fn::If": ["IsDev", 2, {"Ref": "AWS::NoValue"}]}]},
     {"B": [1]}),
    # What cannot be known offline raises Unresolved with the reason.
    ("parameter without default", {"Ref": "NoDefault"}, Unresolved("--parameter NoDefault=VALUE")),
    ("ImportValue", {"Fn::ImportValue": "net-VpcId"}, Unresolved("cross-stack export")),
    ("unsupported intrinsic", {"Fn::Length": [1, 2]}, Unresolved("unsupported intrinsic function Fn::Length")),
    ("physical id in Sub", {"Fn::Sub": "${Vpc}-x"}, Unresolved("known only after deployment")),
    ("Select out of range", {"Fn::Select": [5, {"Fn::GetAZs": ""}]}, Unresolved("outside a list of 3")),
    ("FindInMap missing", {"Fn::FindInMap": ["Net", "test", "Cidr"]}, Unresolved("no such entry")),
    ("Ref to nothing", {"Ref": "Nope"}, Unresolved("no such parameter or resource")),
    ("IPv6 block after deployment", {"Fn::Select": [0, {"Fn::GetAtt": ["Vpc", "Ipv6CidrBlocks"]}]},
     Unresolved("known only after deployment")),
]


@pytest.mark.parametrize("expression, expected", [c[1:] for c in INTRINSICS], ids=[c[0] for c in INTRINSICS])
def test_intrinsic_function(expression: Any, expected: Any) -> None:
    template = Template(TEMPLATE)
    if isinstance(expected, Unresolved):
        with pytest.raises(Unresolved, match=str(expected).replace("$", r"\$")):
            template.evaluate(expression)
    else:
        assert template.evaluate(expression) == expected


def test_parameters_override_defaults_and_region_is_used() -> None:
    template = Template(TEMPLATE, {"Env": "dev", "Zones": "a,b,c"}, region="ap-south-1")
    assert template.evaluate({"Fn::FindInMap": ["Net", {"Ref": "Env"}, "Cidr"]}) == "10.2.0.0/16"
    assert template.evaluate({"Ref": "Zones"}) == ["a", "b", "c"]
    assert template.evaluate({"Fn::Select": [0, {"Fn::GetAZs": {"Ref": "AWS::Region"}}]}) == "ap-south-1a"
    assert template.condition("IsDev") is True


SHORT_TAGS = """
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !If [IsProd, 10.0.0.0/16, 10.9.0.0/16]
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
      AvailabilityZone: !Select [0, !GetAZs ]
      Tags:
        - Key: Name
          Value: !Join ['-', [!Ref Env, !Sub '${AWS::Region}', web]]
  Dev:
    Type: AWS::EC2::VPC
    Condition: IsDev2
    Properties: {CidrBlock: 10.1.0.0/16}
Conditions2: {}
"""


def test_short_tags_in_yaml() -> None:
    design = loads(SHORT_TAGS, "t.yaml", region="eu-central-1")
    subnet = design.vpcs["Vpc"].subnets["Subnet"]
    assert (str(design.vpcs["Vpc"].cidr), str(subnet.cidr), subnet.az) == ("10.0.0.0/16", "10.0.1.0/24", "eu-central-1a")
    assert subnet.tags == {"Name": "prod-eu-central-1-web"}
    # A Condition that is not defined: the resource is not read, and the warning names it.
    assert "Dev" not in design.vpcs and any(w.startswith("Dev: condition IsDev2") for w in design.source.warnings)
    assert str(design.source.positions[("vpcs", "Vpc", "subnets", "Subnet")]) == "t.yaml:11:3"


def test_unsupported_intrinsic_is_a_warning_naming_the_logical_id() -> None:
    text = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref Vpc
      GroupDescription: {"Fn::ToJsonString": {"a": 1}}
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
"""
    design = loads(text, "t.yaml")
    assert "Web: GroupDescription: unsupported intrinsic function Fn::ToJsonString" in design.source.warnings
    # The resource is still read, without the property that could not be evaluated.
    assert rules(design, "Vpc", "Web") == [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"}]


def test_database_and_load_balancer_resources() -> None:
    text = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: us-east-1b}}
  Db: {Type: AWS::EC2::SecurityGroup, Properties: {VpcId: !Ref Vpc, GroupDescription: db}}
  Group: {Type: AWS::RDS::DBSubnetGroup, Properties: {DBSubnetGroupDescription: db, SubnetIds: [!Ref A, !Ref B]}}
  Orders:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-postgresql, DBSubnetGroupName: !Ref Group, VPCSecurityGroups: [!GetAtt Db.GroupId],
                 MultiAZ: "true"}
  Tg: {Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: {VpcId: !Ref Vpc, Port: 8080, Protocol: HTTP}}
  Lb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Subnets: [!Ref A, !Ref B], Scheme: internal}}
  L443:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref Lb, Port: 443, Protocol: HTTPS,
                 DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]}
"""
    vpc = loads(text, "t.yaml").vpcs["Vpc"]
    assert vpc.rds_instances["Orders"].model_dump(include={"port", "subnet_group", "security_groups", "multi_az"}) == {
        "port": 5432, "subnet_group": "Group", "security_groups": ["Db"], "multi_az": True}
    assert vpc.db_subnet_groups["Group"].subnets == ["A", "B"]
    assert [(l.protocol, l.port, l.target_group) for l in vpc.load_balancers["Lb"].listeners] == [("HTTPS", 443, "Tg")]
    assert vpc.target_groups["Tg"].port == 8080


def test_ipv6_blocks_given_in_the_template() -> None:
    text = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  V6: {Type: AWS::EC2::VPCCidrBlock, Properties: {VpcId: !Ref Vpc, Ipv6CidrBlock: "2600:1f18:1::/56"}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  A6:
    Type: AWS::EC2::SubnetCidrBlock
    Properties: {SubnetId: !Ref A, Ipv6CidrBlock: !Select [1, !Cidr ["2600:1f18:1::/56", 2, 64]]}
"""
    vpc = loads(text, "t.yaml").vpcs["Vpc"]
    assert ([str(c) for c in vpc.ipv6_cidrs], str(vpc.subnets["A"].ipv6_cidr)) == (["2600:1f18:1::/56"], "2600:1f18:1:1::/64")
    assert [r.rule for r in vpc.network_acls["default"].ingress] == [100, 101]  # NACL-05: IPv6 rule with an IPv6 block


def test_transit_gateway_default_route_table() -> None:
    # Default association and propagation are on unless disabled (TGW-03).
    text = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  Tgw: {Type: AWS::EC2::TransitGateway, Properties: {DefaultRouteTablePropagation: disable}}
  Attach: {Type: AWS::EC2::TransitGatewayVpcAttachment, Properties: {TransitGatewayId: !Ref Tgw, VpcId: !Ref Vpc,
           SubnetIds: [!Ref A]}}
"""
    tgw = loads(text, "t.yaml").transit_gateways["Tgw"]
    assert sorted(tgw.route_tables) == ["Tgw-default-route-table"]
    assert (tgw.attachments["Attach"].route_table, tgw.attachments["Attach"].propagate_to) == ("Tgw-default-route-table", [])


def test_egress_rules_replace_the_default_and_sg_ids_cross_vpcs() -> None:
    text = """
Resources:
  A: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  B: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  GroupA: {Type: AWS::EC2::SecurityGroup, Properties: {VpcId: !Ref A, GroupDescription: a}}
  GroupB:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref B
      GroupDescription: b
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !GetAtt GroupA.GroupId}]
  Out: {Type: AWS::EC2::SecurityGroupEgress, Properties: {GroupId: !Ref GroupA, IpProtocol: udp, FromPort: 53, ToPort: 53,
        DestinationPrefixListId: pl-123}}
"""
    design = loads(text, "t.yaml")
    assert rules(design, "B", "GroupB")[0]["source"] == "A/GroupA"  # resolve.security_group's vpc/name form
    assert rules(design, "A", "GroupA", "egress") == [{"protocol": "udp", "ports": 53, "destination": "pl-123"}]
    assert rules(design, "B", "GroupB", "egress") == [{"protocol": "all", "destination": "0.0.0.0/0"}]  # SG-03


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("name, text, where", [
    ("bad.yaml", "Resources:\n  Vpc: {Type: AWS::EC2::VPC\n", "bad.yaml:3:1"),
    ("bad.yaml", "Resources:\n  A: 1\n  A: 2\n", "bad.yaml:3:3"),
    ("bad.yaml", "Resources:\n  !Ref A: 1\n", "bad.yaml:2:3"),
    ("bad.json", '{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC",}}}', "bad.json:1:48"),
])
def test_malformed_template_is_exit_2_with_position(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    name: str, text: str, where: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert main(["validate", str(path), "--input-format", "cloudformation"]) == 2
    assert f"{path}:{where.split(':', 1)[1]}" in capsys.readouterr().err
    with pytest.raises(InputError) as error:
        load(str(path), "cloudformation")
    assert str(error.value.position) == f"{path}:{where.split(':', 1)[1]}"


def test_parameter_option_reaches_the_template(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["validate", str(CFN / TGW), "--parameter", "AvailabilityZoneSelection=eu-west-1b",
                   "--region", "eu-west-1"])
    assert status in (0, 1)
    assert "AvailabilityZoneSelection has no default" not in capsys.readouterr().err
    assert main(["validate", str(CFN / TGW), "--parameter", "no-equals-sign"]) == 2
    # A value CloudFormation would refuse (AllowedValues) is an input error at the parameter's position.
    assert main(["validate", str(CFN / QUICKSTART), "--parameter", "NumberOfAZs=7"]) == 2
    assert "aws-vpc.template.yaml:" in capsys.readouterr().err


# --------------------------------------------------------------------------- detection

DETECTION = [
    (CFN / f"{MANAGED_NAT}.yaml", "cloudformation"),
    (CFN / f"{MANAGED_NAT}.json", "cloudformation"),
    (CFN / REGULA, "cloudformation"),
    (TF / "terraform-compliance/tests/functional/test_issue-514/plan.out.json", "terraform"),
    (TF / "regula/rego/tests/lib/inputs/resource_view_06_tf_v1_0_infra.json", "terraform"),
    (Path(__file__).resolve().parents[2] / "designs" / "three-tier.yaml", "native"),
]


@pytest.mark.parametrize("path, expected", DETECTION, ids=[f"{p.name}-{f}" for p, f in DETECTION])
def test_each_format_is_detected(path: Path, expected: str) -> None:
    assert detect(str(path)) == expected


@pytest.mark.parametrize("command", [["validate"], ["import"], ["diagram", "-o", "{tmp}/d.dot"]])
@pytest.mark.parametrize("path", [CFN / f"{MANAGED_NAT}.yaml",
                                  TF / "terraform-compliance/tests/functional/test_issue-158/plan.out.json"])
def test_every_command_detects_the_format(command: list[str], path: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    argv = [command[0], str(path), *[a.format(tmp=tmp_path) for a in command[1:]]]
    status = main(argv)
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    assert "internal error" not in captured.err and "cannot tell" not in captured.err


def test_input_format_forces_the_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A template under a name that says nothing; forcing the wrong reader gives that reader's error.
    path = tmp_path / "stack.txt"
    path.write_text((CFN / f"{MANAGED_NAT}.yaml").read_text())
    assert load(str(path), "cloudformation").vpcs["VPC"].cidr is not None
    assert main(["validate", str(path), "--input-format", "terraform"]) == 2
    assert "invalid JSON" in capsys.readouterr().err
    assert main(["validate", str(path), "--input-format", "nonsense"]) == 2
    assert "expected one of: native" in capsys.readouterr().err


@pytest.mark.parametrize("name, text", [
    ("notes.yaml", "title: my notes\nitems: [1, 2]\n"),
    ("data.json", '{"hello": "world"}'),
    ("readme.txt", "just text\n"),
])
def test_unrecognised_input_names_the_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cannot tell what kind of input this is" in err
    for fmt in ("native", "terraform", "cloudformation"):
        assert fmt in err
    assert "--input-format" in err


@pytest.mark.parametrize("text", [
    "Resources: {A: {Type: AWS::EC2::VPC, Properties: [1]}}",
    "Parameters: [1]\nMappings: 5\nConditions: x\nResources: {A: 1}",
    "Resources: {A: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !And 5}}}",
    "Conditions: {C: {Condition: C}}\nResources: {A: {Type: AWS::EC2::VPC, Condition: C}}",
    "Resources: {A: {Type: [AWS::EC2::VPC], Condition: [1]}}",
    "Resources: {A: {Type: AWS::EC2::Instance, Properties: {NetworkInterfaces: [{DeviceIndex: [1]}], SubnetId: x}}}",
    "Resources: {A: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: x, RuleNumber: abc}}}",
    "Resources: {S: {Type: AWS::EC2::SecurityGroup, Properties: {SecurityGroupIngress: [{IpProtocol: tcp, FromPort: x}]}}}",
])
def test_unexpected_shapes_are_warnings_not_crashes(text: str) -> None:
    design = loads(text, "odd.yaml")
    assert isinstance(design, Design)


@pytest.mark.parametrize("source, destination, extra, through", [
    # Spoke → TGW (SpokeRouteTable 0/0 → egress attachment) → NAT → IGW.
    ("EC2SubnetA", "internet", ["--port", "443"], ["tgw-attach:CentralTransitGateway/AttachEgressVPC",
                                                   "nat:EgressVPC/SubnetCNATGateway"]),
    # Spoke to spoke through the transit gateway (propagated routes in SpokeRouteTable).
    ("EC2SubnetA", "EC2SubnetB", ["--protocol", "icmp"], ["tgw-rtb:CentralTransitGateway/SpokeRouteTable"]),
])
def test_reachability_on_a_read_template(source: str, destination: str, extra: list[str], through: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A template read offline answers reachability questions end to end (hub-and-spoke corpus file)."""
    import json

    status = main(["reach", str(CFN / TGW), "-p", "AvailabilityZoneSelection=us-east-1a", "--from", source,
                   "--to", destination, *extra, "--format", "json"])
    answer = json.loads(capsys.readouterr().out)
    assert status == 0 and answer["verdict"] == "reachable"
    hops = [hop["component"] for hop in answer["forward"]]
    assert all(component in hops for component in through)


SECURITY = """
Resources:
  Logged: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Bare: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  SubnetLogged: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.2.0.0/16}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Logged, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  C: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref SubnetLogged, CidrBlock: 10.2.1.0/24, AvailabilityZone: us-east-1a}}
  VpcFlowLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref Logged, ResourceType: VPC, TrafficType: ALL, LogDestinationType: s3,
                 LogDestination: "arn:aws:s3:::flow-logs"}
  SubnetFlowLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref C, ResourceType: Subnet, TrafficType: ALL, LogGroupName: subnet-c}
  Open: {Type: AWS::EC2::TransitGateway, Properties: {AutoAcceptSharedAttachments: enable}}
  Reviewed: {Type: AWS::EC2::TransitGateway, Properties: {AutoAcceptSharedAttachments: disable}}
  Default: {Type: AWS::EC2::TransitGateway}
  Web: {Type: AWS::EC2::Instance, Properties: {SubnetId: !Ref A}}
  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: !Ref A, AllocationId: !GetAtt NatEip.AllocationId}}
  Spare: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
  OnWeb: {Type: AWS::EC2::EIP, Properties: {Domain: vpc, InstanceId: !Ref Web}}
  NatEip: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
  Later: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
  LaterAssociation: {Type: AWS::EC2::EIPAssociation, Properties: {AllocationId: !GetAtt Later.AllocationId,
                                                                  InstanceId: !Ref Web}}
"""


@pytest.mark.parametrize("rule_id, resources", [
    # AWS::EC2::FlowLog with ResourceType VPC covers the VPC; a Subnet flow log does not (Security Hub EC2.6).
    ("VPC009", ["vpc Bare", "vpc SubnetLogged"]),
    ("NET003", ["transit gateway Open"]),  # "disable" is also AWS's default
    # OnWeb (InstanceId), NatEip (a NAT's AllocationId) and Later (EIPAssociation) are in use.
    ("NET004", ["elastic ip Spare"]),
])
def test_security_rules_on_a_template(rule_id: str, resources: list[str]) -> None:
    assert fired(loads(SECURITY, "security.yaml"), rule_id) == sorted(resources)


def test_security_fields_of_a_template() -> None:
    design = loads(SECURITY, "security.yaml")
    assert design.vpcs["Logged"].flow_logs["VpcFlowLog"].model_dump(
        include={"traffic_type", "destination_type", "destination"}) == {
        "traffic_type": "ALL", "destination_type": "s3", "destination": "arn:aws:s3:::flow-logs"}
    assert design.vpcs["SubnetLogged"].flow_logs == {} and any(
        w.startswith("SubnetFlowLog:") and "not a VPC flow log" in w for w in design.source.warnings)
    assert {n: t.auto_accept_shared_attachments for n, t in design.transit_gateways.items()} == {
        "Open": True, "Reviewed": False, "Default": False}
    assert {n: e.model_dump(include={"instance", "nat_gateway", "vpc"}, exclude_none=True)
            for n, e in design.elastic_ips.items()} == {
        "Spare": {}, "OnWeb": {"instance": "Web", "vpc": "Logged"}, "NatEip": {"nat_gateway": "Nat", "vpc": "Logged"},
        "Later": {"instance": "Web", "vpc": "Logged"}}
    # An elastic IP gives its instance a public address (allocated at deployment).
    assert design.vpcs["Logged"].instances["Web"].public_ip is True


def test_unresolvable_allocation_leaves_elastic_ips_unreported() -> None:
    """Which EIP a NAT gateway uses is not known (an imported allocation id): no EIP is called unattached."""
    text = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  Eip: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: !Ref A, AllocationId: !ImportValue shared-eip}}
"""
    design = loads(text, "t.yaml")
    assert design.elastic_ips == {} and fired(design, "NET004") == []
    assert any(w.startswith("Eip:") and "not recorded as an elastic IP" in w for w in design.source.warnings)


def test_vpn_connection_routes_are_on_premises() -> None:
    """VGW-01: an AWS::EC2::VPNConnection's routes are the on-premises network behind its VPN gateway."""
    from vpckit.sources.cloudformation import loads as cfn_loads

    template = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Vgw: {Type: AWS::EC2::VPNGateway, Properties: {Type: ipsec.1}}
  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, VpnGatewayId: !Ref Vgw}}
  Office: {Type: AWS::EC2::CustomerGateway, Properties: {BgpAsn: 65000, IpAddress: 198.51.100.7, Type: ipsec.1}}
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties: {Type: ipsec.1, StaticRoutesOnly: true, CustomerGatewayId: !Ref Office, VpnGatewayId: !Ref Vgw}
  Route: {Type: AWS::EC2::VPNConnectionRoute, Properties: {DestinationCidrBlock: 192.168.0.0/16, VpnConnectionId: !Ref Vpn}}
"""
    design = cfn_loads(template, "vpn.yaml")
    onprem = design.on_premises["Vpn"]
    assert ([str(c) for c in onprem.cidrs], onprem.via) == (["192.168.0.0/16"], "Vgw")
