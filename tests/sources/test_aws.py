"""The AWS snapshot reader: the Batfish corpus loads and maps field by field; bad input is explained.

Facts below were checked by hand against the JSON files of ../shared/corpus/batfish-aws/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vpckit.cli import main
from vpckit.errors import InputError
from vpckit.model import Design
from vpckit.sources import detect, load
from vpckit.sources.aws import load as load_aws

ROOT = Path(__file__).resolve().parents[2]
BATFISH = ROOT.parent / "shared" / "corpus" / "batfish-aws"
SNAPSHOTS = sorted(p.parent for p in BATFISH.rglob("aws_configs"))


def _name(path: Path) -> str:
    return str(path.relative_to(BATFISH))


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    return {_name(p): load(str(p)) for p in SNAPSHOTS}


# --------------------------------------------------------------------------- every snapshot loads


def test_the_corpus_has_the_eight_snapshots() -> None:
    assert len(SNAPSHOTS) == 8, [_name(p) for p in SNAPSHOTS]


@pytest.mark.parametrize("snapshot", SNAPSHOTS, ids=_name)
def test_every_snapshot_is_detected_and_loads(snapshot: Path) -> None:
    assert detect(str(snapshot)) == "aws"
    design = load(str(snapshot))
    assert design.vpcs and design.source.kind == "aws" and design.source.file == str(snapshot)
    # Keys are AWS ids, so every VPC, subnet and instance is named as in the console.
    for vpc_key, vpc in design.vpcs.items():
        assert vpc_key == vpc.id and vpc.region
        assert all(key == subnet.id for key, subnet in vpc.subnets.items())
        assert all(key == instance.id for key, instance in vpc.instances.items())
    # Every value has the model's own type (nothing assigned after validation slipped through).
    assert Design.model_validate(design.model_dump(by_alias=True)) == design


# snapshot: (VPCs, subnets, instances, route tables, NACLs, SGs, peering connections, TGWs)
COUNTS = {
    "hybrid-cloud-aws": (4, 10, 4, 5, 4, 12, 0, 0),  # 11 SGs + the default group of vpc-f8fad69d (not collected)
    "pybatfish-hybrid-cloud": (4, 8, 4, 4, 4, 8, 0, 2),
    "unit-rigs/test-nat-gateway": (1, 3, 3, 3, 2, 3, 0, 0),
    "unit-rigs/test-public-private-subnet": (1, 2, 2, 2, 1, 3, 0, 0),
    "unit-rigs/test-public-subnet": (1, 1, 1, 2, 1, 2, 0, 0),
    "unit-rigs/test-subnet": (1, 1, 2, 1, 1, 3, 0, 0),
    "unit-rigs/test-transit-gateway": (2, 3, 3, 2, 2, 5, 0, 1),  # the terminated instance has no ENI
    "unit-rigs/test-vpc-peering": (3, 3, 3, 3, 3, 6, 2, 0),
}


@pytest.mark.parametrize("snapshot", sorted(COUNTS))
def test_resource_counts(designs: dict[str, Design], snapshot: str) -> None:
    design = designs[snapshot]
    vpcs = list(design.vpcs.values())
    counts = (
        len(vpcs), sum(len(v.subnets) for v in vpcs), sum(len(v.instances) for v in vpcs),
        sum(len(v.route_tables) for v in vpcs), sum(len(v.network_acls) for v in vpcs),
        sum(len(v.security_groups) for v in vpcs), len(design.peering_connections), len(design.transit_gateways),
    )
    assert counts == COUNTS[snapshot]


def _get(design: Design, path: str) -> Any:
    value: Any = design
    for part in path.split("."):
        value = value[part] if isinstance(value, dict) else (
            value[int(part)] if isinstance(value, list) else getattr(value, part))
    return value


FACTS = [
    # subnet CIDR and AZ
    ("unit-rigs/test-subnet", "vpcs.vpc-062867d29dbf9386f.subnets.subnet-06c8307e34ffadb04.cidr", "10.10.1.0/24"),
    ("unit-rigs/test-subnet", "vpcs.vpc-062867d29dbf9386f.subnets.subnet-06c8307e34ffadb04.az", "us-east-2b"),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.subnets.subnet-073b8061.cidr", "192.168.2.16/28"),
    ("hybrid-cloud-aws", "vpcs.vpc-f8fad69d.subnets.subnet-1f315846.map_public_ip_on_launch", True),
    # VPC primary CIDR vs the CidrBlockAssociationSet's secondary ones; Name tags kept
    ("unit-rigs/test-vpc-peering", "vpcs.vpc-00a31ce9d0c06675c.cidr", "192.168.0.0/16"),
    ("unit-rigs/test-vpc-peering", "vpcs.vpc-00a31ce9d0c06675c.secondary_cidrs", []),  # 192.169/16 disassociated
    ("unit-rigs/test-vpc-peering", "vpcs.vpc-00a31ce9d0c06675c.tags.Name", "VPC B"),
    ("hybrid-cloud-aws", "vpcs.vpc-f8fad69d.is_default", True),
    # main route table (Main association) and explicit subnet associations
    ("unit-rigs/test-public-subnet", "vpcs.vpc-0672bce73895d7252.main_route_table", "rtb-0a7b14443588910ad"),
    ("unit-rigs/test-public-subnet", "vpcs.vpc-0672bce73895d7252.subnets.subnet-0bb82ae8b3ea5dc78.route_table",
     "rtb-0489000c9e6c299e8"),
    ("unit-rigs/test-public-private-subnet", "vpcs.vpc-0b966fdeb36d5e43f.subnets.subnet-0f263105946ad1a1d.route_table",
     None),
    # routes: target and state; the local route is implicit
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.route_tables.rtb-02fe228b42de92a7c.routes.0.target",
     "nat-07ab4846da51f4612"),
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.route_tables.rtb-0e169c4a1e0b27b55.routes", []),
    ("unit-rigs/test-vpc-peering", "vpcs.vpc-0404e08ceddf7f650.route_tables.rtb-0891861fffaea6d52.routes.1.target",
     "pcx-0d5b836985ac8ca8c"),
    ("unit-rigs/test-vpc-peering", "vpcs.vpc-00a31ce9d0c06675c.route_tables.rtb-017c36290c9baf017.routes.1.state",
     "blackhole"),  # State: blackhole in the JSON (igw-0a2c9ae201b441bff is gone)
    ("hybrid-cloud-aws", "vpcs.vpc-925131f4.route_tables.rtb-f28e418b.routes.0.state", "blackhole"),
    ("hybrid-cloud-aws", "vpcs.vpc-815775e7.route_tables.rtb-296bf350.routes.0.origin", "propagated"),
    ("hybrid-cloud-aws", "vpcs.vpc-815775e7.route_tables.rtb-296bf350.propagating_vpn_gateways", ["vgw-81fd279f"]),
    ("unit-rigs/test-transit-gateway", "vpcs.vpc-0404e08ceddf7f650.route_tables.rtb-0891861fffaea6d52.routes.0.target",
     "tgw-044be4464fcc69aff"),
    # NACLs: the 32767 `*` entry is dropped; ICMP type/code and ports kept
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.network_acls.acl-0792adae678b88f85.ingress.0.protocol", 1),
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.network_acls.acl-0792adae678b88f85.ingress.0.cidr",
     "10.1.1.0/24"),
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.subnets.subnet-0428892a357fa1f94.network_acl",
     "acl-0792adae678b88f85"),
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.default_network_acl", "acl-0380e24eb934b075e"),
    ("hybrid-cloud-aws", "vpcs.vpc-f8fad69d.network_acls.acl-4db39c28.ingress.0.ports.low", 3306),
    ("hybrid-cloud-aws", "vpcs.vpc-f8fad69d.network_acls.acl-4db39c28.ingress.0.cidr", "162.243.144.192/32"),
    # security groups: one rule per peer; group references keep the group id
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.security_groups.sg-55510831.ingress.5.source", "sg-cf3f86b3"),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.security_groups.sg-55510831.ingress.5.description", "jump host"),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.security_groups.sg-3dfb3140.ingress.0.source", "sg-55510831"),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.security_groups.sg-331ad04e.ingress.2.icmp_type", None),
    ("pybatfish-hybrid-cloud", "vpcs.vpc-0574d08f8d05917e4.security_groups.sg-0e37fc2ef01c89369.ingress.1.ports.high",
     3306),
    ("pybatfish-hybrid-cloud", "vpcs.vpc-0574d08f8d05917e4.security_groups.sg-0e37fc2ef01c89369.tags.Name",
     "launch-wizard-1"),
    # instances: primary ENI address, public IP, groups, state; secondary ENIs attached
    ("unit-rigs/test-public-subnet", "vpcs.vpc-0672bce73895d7252.instances.i-06669a407b2ef3ae5.public_ip",
     "18.216.80.133"),
    ("unit-rigs/test-public-subnet", "vpcs.vpc-0672bce73895d7252.instances.i-06669a407b2ef3ae5.private_ip", "10.0.0.91"),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.instances.i-0837c877110427f2b.state", "stopped"),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.network_interfaces.eni-a50c2b8b.instance", "i-0837c877110427f2b"),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.network_interfaces.eni-a50c2b8b.private_ip", "192.168.2.57"),
    ("unit-rigs/test-transit-gateway", "vpcs.vpc-00a31ce9d0c06675c.instances.i-0b14080af811fda3d.elastic_ip",
     "3.136.41.161"),
    # NAT gateway: its ENI becomes its private IP, not a free interface
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.nat_gateways.nat-07ab4846da51f4612.private_ip",
     "10.1.250.210"),
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.nat_gateways.nat-07ab4846da51f4612.elastic_ip",
     "3.135.127.225"),
    ("unit-rigs/test-nat-gateway", "vpcs.vpc-0008a7b45e3ddf1dd.network_interfaces", {}),
    # peering, VGW/VPN, RDS
    ("unit-rigs/test-vpc-peering", "peering_connections.pcx-0b89b559e3319d6cf.requester", "vpc-0404e08ceddf7f650"),
    ("unit-rigs/test-vpc-peering", "peering_connections.pcx-0b89b559e3319d6cf.accepter", "vpc-00a31ce9d0c06675c"),
    ("unit-rigs/test-vpc-peering", "peering_connections.pcx-0b89b559e3319d6cf.state", "active"),
    ("unit-rigs/test-public-private-subnet", "vpcs.vpc-0b966fdeb36d5e43f.vpn_gateways.vgw-070087240d6fa2989.remote_cidrs",
     ["19.168.0.0/16"]),
    ("unit-rigs/test-public-private-subnet", "on_premises.vpn-05044757278685fd3.cidrs", ["19.168.0.0/16"]),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.rds_instances.test-rds.subnet", "subnet-1641fa70"),  # by its AZ
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.rds_instances.test-rds.port", 3306),
    ("hybrid-cloud-aws", "vpcs.vpc-b390fad5.rds_instances.test-rds.security_groups", ["sg-55510831"]),
    ("hybrid-cloud-aws", "prefix_lists.pl-68a54001.tags.Name", "com.amazonaws.us-west-2.s3"),
    # transit gateways: region from the ARN, associations, propagations, the deleted VPN attachment kept
    ("unit-rigs/test-transit-gateway", "transit_gateways.tgw-044be4464fcc69aff.region", "us-east-2"),
    ("unit-rigs/test-transit-gateway",
     "transit_gateways.tgw-044be4464fcc69aff.attachments.tgw-attach-07f5ec59e9f540021.route_table",
     "tgw-rtb-0fa40c8df355dce6e"),
    ("unit-rigs/test-transit-gateway",
     "transit_gateways.tgw-044be4464fcc69aff.attachments.tgw-attach-07f5ec59e9f540021.propagate_to",
     ["tgw-rtb-0fa40c8df355dce6e"]),
    ("unit-rigs/test-transit-gateway",
     "transit_gateways.tgw-044be4464fcc69aff.attachments.tgw-attach-07f5ec59e9f540021.subnets",
     ["subnet-006a19c846f047bd7"]),
    ("unit-rigs/test-transit-gateway",
     "transit_gateways.tgw-044be4464fcc69aff.attachments.tgw-attach-0d724909ecd7a5961.state", "deleted"),
    ("pybatfish-hybrid-cloud", "transit_gateways.tgw-0888a76c8a371246d.region", "us-west-2"),
    ("pybatfish-hybrid-cloud",
     "transit_gateways.tgw-06b348adabd13452d.attachments.tgw-attach-0881ce2eb93cd63a8.type", "vpn"),
    # multiple regions: each VPC has its own, the design's is the most common
    ("pybatfish-hybrid-cloud", "vpcs.vpc-0276455718806058a.region", "us-east-2"),
    ("pybatfish-hybrid-cloud", "vpcs.vpc-00157b5941bfd4959.region", "us-west-2"),
    ("unit-rigs/test-subnet", "region", "us-east-2"),  # no region folder: from the AZ names
]


@pytest.mark.parametrize(("snapshot", "path", "expected"), FACTS, ids=[f"{s}:{p}" for s, p, _ in FACTS])
def test_fact(designs: dict[str, Design], snapshot: str, path: str, expected: Any) -> None:
    value = _get(designs[snapshot], path)
    if isinstance(value, list):
        value = [str(v) if not isinstance(v, (int, dict)) else v for v in value]
    elif value is not None and not isinstance(value, (bool, int, dict)):
        value = str(value)
    assert value == expected


def test_hybrid_cloud_matches_batfish_topology(designs: dict[str, Design]) -> None:
    """Batfish's parsed topology of hybrid-cloud-aws (expected/topology-example-aws.ref): region >
    VPC > subnet, the gateways of the region, and the RDS and Elasticsearch hosts in their subnets."""
    topology = json.loads((BATFISH / "expected" / "topology-example-aws.ref").read_text())
    aggregates = {(a["type"], a["name"]): a["contents"] for a in topology["aggregates"]}
    design = designs["hybrid-cloud-aws"]
    region = aggregates[("REGION", "us-west-2")]
    assert {f"aggregate-{v}" for v in design.vpcs} == {c for c in region if c.startswith("aggregate-vpc-")}
    gateways = {g for v in design.vpcs.values() for g in [*v.internet_gateways, *v.vpn_gateways]}
    assert {f"node-{g}" for g in gateways} == {c for c in region if c.startswith(("node-igw-", "node-vgw-"))}
    for vpc_id, vpc in design.vpcs.items():
        assert {f"aggregate-{s}" for s in vpc.subnets} == {
            c for c in aggregates[("VNET", vpc_id)] if c.startswith("aggregate-subnet-")}
        assert {v.region for v in design.vpcs.values()} == {"us-west-2"}
    hosts = {f"node-{name}": rds.subnet for v in design.vpcs.values() for name, rds in v.rds_instances.items()}
    for key, eni in design.vpcs["vpc-b390fad5"].network_interfaces.items():
        if eni.tags.get("Name") == "es-domain":
            hosts[key] = eni.subnet
    batfish_hosts = {node: subnet for (kind, subnet), contents in aggregates.items() if kind == "SUBNET"
                     for node in contents if not node.startswith("node-subnet-")}
    assert hosts["node-test-rds"] == batfish_hosts["node-test-rds"] == "subnet-1641fa70"
    assert sorted(s for k, s in hosts.items() if k.startswith("es-domain")) == sorted(
        s for n, s in batfish_hosts.items() if "es-domain" in n) == ["subnet-1641fa70", "subnet-7044ff16"]


def test_managed_interfaces_are_not_duplicated(designs: dict[str, Design]) -> None:
    # The TGW attachments' ENIs (InterfaceType transit_gateway) belong to the attachments.
    design = designs["pybatfish-hybrid-cloud"]
    assert all(not v.network_interfaces for v in design.vpcs.values())
    # A primary ENI is the instance itself, not a second interface.
    assert not designs["unit-rigs/test-subnet"].vpcs["vpc-062867d29dbf9386f"].network_interfaces


def test_positions_point_at_the_resource_in_its_file(designs: dict[str, Design]) -> None:
    design = designs["unit-rigs/test-public-subnet"]
    position = design.source.locate(("vpcs", "vpc-0672bce73895d7252", "subnets", "subnet-0bb82ae8b3ea5dc78"))
    assert position.file.endswith("Subnets.json")
    line = Path(position.file).read_text().splitlines()[position.line - 1]
    assert "subnet-0bb82ae8b3ea5dc78" in line and '"SubnetId"' in line
    route = design.source.locate(("vpcs", "vpc-0672bce73895d7252", "route_tables", "rtb-0489000c9e6c299e8", "routes", 0))
    assert route.file.endswith("RouteTables.json") and route.line > 1


def test_stopped_instances_and_blackholes_are_warned_about(designs: dict[str, Design]) -> None:
    warnings = "\n".join(designs["hybrid-cloud-aws"].source.warnings)
    assert "i-0837c877110427f2b is stopped" in warnings
    assert "Reservations.json:" in warnings


# --------------------------------------------------------------------------- synthetic edge cases


def file_warnings(design: Design) -> list[str]:
    """Reader warnings other than the one about describe outputs the small test snapshots omit."""
    return [w for w in design.source.warnings if "AWS's defaults are assumed" not in w]


def write(folder: Path, files: dict[str, Any]) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data if isinstance(data, str) else json.dumps(data, indent=1))
    return folder


def vpc(vpc_id: str = "vpc-1", cidr: str = "10.0.0.0/16", owner: str = "111111111111") -> dict:
    return {"VpcId": vpc_id, "CidrBlock": cidr, "OwnerId": owner, "State": "available",
            "CidrBlockAssociationSet": [{"CidrBlock": cidr, "CidrBlockState": {"State": "associated"}}]}


def subnet(subnet_id: str = "subnet-1", vpc_id: str = "vpc-1", cidr: str = "10.0.1.0/24", az: str = "eu-west-1a") -> dict:
    return {"SubnetId": subnet_id, "VpcId": vpc_id, "CidrBlock": cidr, "AvailabilityZone": az}


def instance(instance_id: str, state: str = "running", subnet_id: str = "subnet-1", ip: str = "10.0.1.10") -> dict:
    eni = {"NetworkInterfaceId": f"eni-{instance_id[2:]}", "SubnetId": subnet_id, "VpcId": "vpc-1",
           "PrivateIpAddress": ip, "Attachment": {"DeviceIndex": 0}, "Groups": [], "SourceDestCheck": True}
    return {"InstanceId": instance_id, "State": {"Name": state}, "SubnetId": subnet_id, "VpcId": "vpc-1",
            "PrivateIpAddress": ip, "NetworkInterfaces": [eni]}


def routes(*items: dict, table: str = "rtb-1") -> dict:
    return {"RouteTables": [{"RouteTableId": table, "VpcId": "vpc-1", "Associations": [{"Main": True}],
                             "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}, *items]}]}


def test_vpc_cidrs_primary_secondary_and_ipv6(tmp_path: Path) -> None:
    data = vpc()
    data["CidrBlockAssociationSet"] += [
        {"CidrBlock": "100.64.0.0/16", "CidrBlockState": {"State": "associated"}},
        {"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "disassociated"}}]
    data["Ipv6CidrBlockAssociationSet"] = [
        {"Ipv6CidrBlock": "2600:1f18:1234:5600::/56", "Ipv6CidrBlockState": {"State": "associated"}}]
    sub = {**subnet(), "Ipv6CidrBlockAssociationSet": [
        {"Ipv6CidrBlock": "2600:1f18:1234:5601::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}
    write(tmp_path, {"Vpcs.json": {"Vpcs": [data]}, "Subnets.json": {"Subnets": [sub]}})
    loaded = load(str(tmp_path)).vpcs["vpc-1"]
    assert [str(c) for c in loaded.cidrs] == ["10.0.0.0/16", "100.64.0.0/16"]
    assert [str(c) for c in loaded.ipv6_cidrs] == ["2600:1f18:1234:5600::/56"]
    assert str(loaded.subnets["subnet-1"].ipv6_cidr) == "2600:1f18:1234:5601::/64"
    assert loaded.region == "eu-west-1"


def test_nacl_entries_and_group_rules_of_every_shape(tmp_path: Path) -> None:
    entries = [  # in the order AWS lists them (egress first, by number); vpckit keeps it, the engine sorts
        {"RuleNumber": 200, "Egress": False, "Protocol": "17", "PortRange": {"From": 53, "To": 53},
         "CidrBlock": "10.0.0.0/8", "RuleAction": "allow"},
        {"RuleNumber": 100, "Egress": False, "Protocol": "1", "IcmpTypeCode": {"Type": 8, "Code": -1},
         "CidrBlock": "0.0.0.0/0", "RuleAction": "deny"},
        {"RuleNumber": 101, "Egress": False, "Protocol": "58", "IcmpTypeCode": {"Type": -1, "Code": -1},
         "Ipv6CidrBlock": "::/0", "RuleAction": "allow"},
        {"RuleNumber": 32767, "Egress": False, "Protocol": "-1", "CidrBlock": "0.0.0.0/0", "RuleAction": "deny"},
        {"RuleNumber": 32768, "Egress": False, "Protocol": "-1", "Ipv6CidrBlock": "::/0", "RuleAction": "deny"},
    ]
    permissions = [
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/16"}], "Ipv6Ranges": [{"CidrIpv6": "2600::/56"}]},
        {"IpProtocol": "icmp", "FromPort": 3, "ToPort": 4, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "icmpv6", "FromPort": -1, "ToPort": -1, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        {"IpProtocol": "50", "PrefixListIds": [{"PrefixListId": "pl-1", "Description": "vpn peers"}]},
        {"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "UserIdGroupPairs": [{"GroupId": "sg-1"}]},
    ]
    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc()]},
        "NetworkAcls.json": {"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": False,
                                              "Associations": [], "Entries": entries}]},
        "SecurityGroups.json": {"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1",
                                                    "IpPermissions": permissions, "IpPermissionsEgress": []}]},
    })
    network = load(str(tmp_path)).vpcs["vpc-1"]
    acl = network.network_acls["acl-1"]
    assert [(r.rule, r.protocol, r.ports and r.ports.to_text(), r.icmp_type, r.icmp_code, str(r.cidr), r.action)
            for r in acl.ingress] == [
        (200, 17, "53", None, None, "10.0.0.0/8", "allow"), (100, 1, None, 8, None, "0.0.0.0/0", "deny"),
        (101, 58, None, None, None, "::/0", "allow")]  # 32767/32768 are the implicit deny (NACL-04)
    assert acl.egress == [] and network.default_network_acl == "default"  # no IsDefault NACL in the file
    rules = network.security_groups["sg-1"].ingress
    assert [(r.protocol, r.ports and r.ports.to_text(), r.icmp_type, r.icmp_code, str(r.source)) for r in rules] == [
        (-1, None, None, None, "10.0.0.0/16"), (-1, None, None, None, "2600::/56"), (1, None, 3, 4, "0.0.0.0/0"),
        (58, None, None, None, "::/0"), (50, None, None, None, "pl-1"), (6, "0-65535", None, None, "sg-1")]
    assert rules[4].description == "vpn peers" and network.default_security_group == "sg-1"


def test_deleted_nat_gateway_makes_its_route_a_blackhole(tmp_path: Path) -> None:  # RT-10
    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc()]}, "Subnets.json": {"Subnets": [subnet()]},
        "NatGateways.json": {"NatGateways": [{"NatGatewayId": "nat-1", "VpcId": "vpc-1", "SubnetId": "subnet-1",
                                              "State": "deleted", "NatGatewayAddresses": []}]},
        "RouteTables.json": routes({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1", "State": "active"},
                                   {"DestinationCidrBlock": "10.9.0.0/16", "NatGatewayId": "nat-gone"}),
    })
    design = load(str(tmp_path))
    nat = design.vpcs["vpc-1"].nat_gateways["nat-1"]
    route, missing = design.vpcs["vpc-1"].route_tables["rtb-1"].routes
    assert nat.state == "deleted"
    assert (route.target, route.state) == ("nat-1", "blackhole")
    assert (missing.target, missing.state) == ("nat-gone", "blackhole")  # NatGateways.json was read and lacks it
    assert any("nat-1 is deleted" in w for w in design.source.warnings)


def test_route_to_a_kind_the_snapshot_did_not_collect_is_kept(tmp_path: Path) -> None:
    write(tmp_path, {"Vpcs.json": {"Vpcs": [vpc()]},
                     "RouteTables.json": routes({"DestinationCidrBlock": "10.8.0.0/16", "TransitGatewayId": "tgw-1"},
                                                {"DestinationCidrBlock": "10.9.0.0/16", "TransitGatewayId": "tgw-1"})})
    design = load(str(tmp_path))
    assert [r.state for r in design.vpcs["vpc-1"].route_tables["rtb-1"].routes] == ["active", "active"]
    assert [w for w in design.source.warnings if "tgw-1" in w] == [
        f"{tmp_path}: routes name tgw-1, but the snapshot has no TransitGateways output to say what it is; "
        "they are kept as AWS lists them"]


def test_pending_peering_is_kept_with_its_state(tmp_path: Path) -> None:  # PCX-01
    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc(), vpc("vpc-2", "10.1.0.0/16")]},
        "VpcPeeringConnections.json": {"VpcPeeringConnections": [{
            "VpcPeeringConnectionId": "pcx-1", "Status": {"Code": "pending-acceptance"},
            "RequesterVpcInfo": {"VpcId": "vpc-1", "Region": "eu-west-1", "OwnerId": "111111111111"},
            "AccepterVpcInfo": {"VpcId": "vpc-2", "Region": "eu-central-1", "OwnerId": "222222222222"}}]},
        "RouteTables.json": routes({"DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-1",
                                    "State": "active"}),
    })
    design = load(str(tmp_path))
    assert design.peering_connections["pcx-1"].state == "pending-acceptance"
    assert design.vpcs["vpc-1"].route_tables["rtb-1"].routes[0].state == "blackhole"
    # The regions named by the peering's two sides (no subnets, no region folder).
    assert (design.vpcs["vpc-1"].region, design.vpcs["vpc-2"].region) == ("eu-west-1", "eu-central-1")


def test_stopped_instance_keeps_its_state_and_routes_to_it_drop(tmp_path: Path) -> None:
    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc()]}, "Subnets.json": {"Subnets": [subnet()]},
        "Reservations.json": {"Reservations": [{"Instances": [instance("i-1", "stopped")]}]},
        "RouteTables.json": routes({"DestinationCidrBlock": "0.0.0.0/0", "InstanceId": "i-1",
                                    "NetworkInterfaceId": "eni-1", "State": "active"}),
    })
    design = load(str(tmp_path))
    assert design.vpcs["vpc-1"].instances["i-1"].state == "stopped"
    route = design.vpcs["vpc-1"].route_tables["rtb-1"].routes[0]
    assert (route.target, route.state) == ("i-1", "blackhole")  # the instance's primary ENI → the instance


def test_cross_account_group_reference_keeps_the_account(tmp_path: Path) -> None:
    permission = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [
        {"GroupId": "sg-other", "UserId": "999999999999", "VpcId": "vpc-9"},
        {"GroupId": "sg-mine", "UserId": "111111111111"}]}
    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc()]},
        "SecurityGroups.json": {"SecurityGroups": [
            {"GroupId": "sg-mine", "GroupName": "db", "VpcId": "vpc-1", "OwnerId": "111111111111",
             "IpPermissions": [permission], "IpPermissionsEgress": []}]},
    })
    group = load(str(tmp_path)).vpcs["vpc-1"].security_groups["sg-mine"]
    assert [r.source for r in group.ingress] == ["999999999999/sg-other", "sg-mine"]
    assert group.egress == []  # an empty IpPermissionsEgress means no outbound rule, not AWS's default


def test_multiple_regions_from_account_and_region_folders(tmp_path: Path) -> None:
    write(tmp_path, {
        "111111111111/eu-west-1/Vpcs.json": {"Vpcs": [vpc()]},
        "111111111111/us-east-1/Vpcs.json": {"Vpcs": [vpc("vpc-2", "10.1.0.0/16")]},
        "111111111111/us-east-1/more/Vpcs.json": {"Vpcs": [vpc("vpc-3", "10.2.0.0/16")]},
        "111111111111/us-east-1/TransitGateways.json": {"TransitGateways": [
            {"TransitGatewayId": "tgw-1", "State": "available", "Options": {"AmazonSideAsn": 64512}}]},
    })
    design = load(str(tmp_path))
    assert {k: v.region for k, v in design.vpcs.items()} == {
        "vpc-1": "eu-west-1", "vpc-2": "us-east-1", "vpc-3": "us-east-1"}
    assert design.region == "us-east-1" and design.transit_gateways["tgw-1"].region == "us-east-1"
    assert design.vpcs["vpc-1"].account == "111111111111"


def test_prefix_lists_managed_and_aws(tmp_path: Path) -> None:
    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc()]},
        "PrefixLists.json": {"PrefixLists": [
            {"PrefixListId": "pl-s3", "PrefixListName": "com.amazonaws.eu-west-1.s3", "Cidrs": ["52.218.0.0/17"]}]},
        "ManagedPrefixLists.json": {"ManagedPrefixLists": [
            {"PrefixListId": "pl-0abc", "PrefixListName": "offices", "AddressFamily": "IPv4", "MaxEntries": 5,
             "State": "create-complete"}]},
        "entries-pl-0abc.json": {"Entries": [{"Cidr": "203.0.113.0/24"}, {"Cidr": "198.51.100.0/24"}]},
        "RouteTables.json": routes({"DestinationPrefixListId": "pl-0abc", "GatewayId": "igw-1"}),
        "InternetGateways.json": {"InternetGateways": [{"InternetGatewayId": "igw-1",
                                                        "Attachments": [{"VpcId": "vpc-1", "State": "available"}]}]},
        "VpcEndpoints.json": {"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "VpcEndpointType": "Gateway",
                                                "VpcId": "vpc-1", "ServiceName": "com.amazonaws.eu-west-1.s3",
                                                "RouteTableIds": ["rtb-1"], "State": "available"}]},
    })
    design = load(str(tmp_path))
    assert [str(c) for c in design.prefix_lists["pl-0abc"].cidrs] == ["203.0.113.0/24", "198.51.100.0/24"]
    assert design.prefix_lists["pl-0abc"].max_entries == 5
    assert design.prefix_lists["pl-s3"].tags["Name"] == "com.amazonaws.eu-west-1.s3"
    route = design.vpcs["vpc-1"].route_tables["rtb-1"].routes[0]
    assert (route.destination, route.target) == ("pl-0abc", "igw-1")
    endpoint = design.vpcs["vpc-1"].endpoints["vpce-1"]
    assert (endpoint.type, endpoint.route_tables, endpoint.prefix_list) == ("gateway", ["rtb-1"], "pl-s3")


def test_load_balancer_shapes_of_the_batfish_collector(tmp_path: Path) -> None:
    lb_arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/web/abc"
    tg_arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web-tg/def"
    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc()]}, "Subnets.json": {"Subnets": [subnet()]},
        "Reservations.json": {"Reservations": [{"Instances": [instance("i-1"), instance("i-2", ip="10.0.1.11")]}]},
        "NetworkInterfaces.json": {"NetworkInterfaces": [
            {"NetworkInterfaceId": "eni-lb", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.1.50",
             "Description": "ELB net/web/abc", "InterfaceType": "network_load_balancer", "Groups": []}]},
        "LoadBalancers.json": {"LoadBalancers": [
            {"LoadBalancerArn": lb_arn, "LoadBalancerName": "web", "Type": "network", "Scheme": "internal",
             "VpcId": "vpc-1", "State": {"Code": "active"},
             "AvailabilityZones": [{"ZoneName": "eu-west-1a", "SubnetId": "subnet-1"}]}]},
        "TargetGroups.json": {"TargetGroups": [
            {"TargetGroupArn": tg_arn, "TargetGroupName": "web-tg", "Protocol": "TCP", "Port": 80, "VpcId": "vpc-1",
             "HealthCheckPort": "traffic-port"}]},
        "LoadBalancerListeners.json": {"LoadBalancerListeners": [{"LoadBalancerArn": lb_arn, "Listeners": [
            {"Port": 443, "Protocol": "TCP", "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg_arn}]}]}]},
        "LoadBalancerTargetHealth.json": {"LoadBalancerTargetHealth": [{"TargetGroupArn": tg_arn,
                                                                        "TargetHealthDescriptions": [
            {"Target": {"Id": "i-1", "Port": 80}, "TargetHealth": {"State": "healthy"}},
            {"Target": {"Id": "i-2", "Port": 80}, "TargetHealth": {"State": "draining"}}]}]},
        "LoadBalancerAttributes.json": {"LoadBalancerAttributes": [{"LoadBalancerArn": lb_arn, "Attributes": []}]},
    })
    design = load(str(tmp_path))
    balancer = design.vpcs["vpc-1"].load_balancers["web"]
    assert (balancer.type, balancer.scheme, balancer.subnets) == ("network", "internal", ["subnet-1"])
    assert [str(ip) for ip in balancer.private_ips] == ["10.0.1.50"]
    assert [(lst.protocol, lst.port, lst.target_group) for lst in balancer.listeners] == [("TCP", 443, "web-tg")]
    assert design.vpcs["vpc-1"].target_groups["web-tg"].targets == ["i-1"]  # draining targets get nothing new
    assert "eni-lb" not in design.vpcs["vpc-1"].network_interfaces
    assert not file_warnings(design)


def test_transit_gateway_wrappers_and_vpn_attachment(tmp_path: Path) -> None:
    attachment = {"TransitGatewayAttachmentId": "tgw-attach-vpc", "TransitGatewayId": "tgw-1", "ResourceType": "vpc",
                  "ResourceId": "vpc-1", "State": "available"}
    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc()]}, "Subnets.json": {"Subnets": [subnet()]},
        "TransitGateways.json": {"TransitGateways": [{"TransitGatewayId": "tgw-1", "State": "available",
            "TransitGatewayArn": "arn:aws:ec2:eu-west-1:111111111111:transit-gateway/tgw-1",
            "Options": {"AmazonSideAsn": 64512, "AutoAcceptSharedAttachments": "enable"}}]},
        "TransitGatewayRouteTables.json": {"TransitGatewayRouteTables": [
            {"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1", "State": "available"}]},
        "TransitGatewayAttachments.json": {"TransitGatewayAttachments": [attachment, {
            "TransitGatewayAttachmentId": "tgw-attach-vpn", "TransitGatewayId": "tgw-1", "ResourceType": "vpn",
            "ResourceId": "vpn-1", "State": "available",
            "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1", "State": "associated"}}]},
        "TransitGatewayVpcAttachments.json": {"TransitGatewayVpcAttachments": [
            {"TransitGatewayAttachmentId": "tgw-attach-vpc", "TransitGatewayId": "tgw-1", "VpcId": "vpc-1",
             "SubnetIds": ["subnet-1"], "State": "available", "Options": {"ApplianceModeSupport": "enable"}}]},
        "TransitGatewayRouteTableAssociations.json": {"TransitGatewayRouteTableAssociations": [
            {"TransitGatewayRouteTableId": "tgw-rtb-1", "Associations": [
                {"TransitGatewayAttachmentId": "tgw-attach-vpc", "State": "associated"}]}]},
        "TransitGatewayPropagations.json": {"TransitGatewayPropagations": [
            {"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayRouteTablePropagations": [
                {"TransitGatewayAttachmentId": "tgw-attach-vpc", "State": "enabled"},
                {"TransitGatewayAttachmentId": "tgw-attach-vpn", "State": "disabled"}]}]},
        "TransitGatewayStaticRoutes.json": {"TransitGatewayStaticRoutes": [{"TransitGatewayRouteTableId": "tgw-rtb-1",
            "Routes": [
                {"DestinationCidrBlock": "172.16.0.0/12", "Type": "static", "State": "active",
                 "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-vpn"}]},
                {"DestinationCidrBlock": "192.168.66.0/24", "Type": "static", "State": "blackhole"},
                {"DestinationCidrBlock": "10.0.0.0/16", "Type": "propagated", "State": "active",
                 "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-vpc"}]}]}]},
        "VpnConnections.json": {"VpnConnections": [{"VpnConnectionId": "vpn-1", "TransitGatewayId": "tgw-1",
            "CustomerGatewayId": "cgw-1", "State": "available", "Options": {"StaticRoutesOnly": True},
            "VgwTelemetry": [{"OutsideIpAddress": "52.0.0.1", "Status": "DOWN"},
                             {"OutsideIpAddress": "52.0.0.2", "Status": "DOWN"}],
            "Routes": [{"DestinationCidrBlock": "172.16.0.0/12", "State": "available"}]}]},
        "CustomerGateways.json": {"CustomerGateways": [{"CustomerGatewayId": "cgw-1", "IpAddress": "198.51.100.7",
                                                        "Tags": [{"Key": "Name", "Value": "dc-1"}]}]},
    })
    design = load(str(tmp_path))
    tgw = design.transit_gateways["tgw-1"]
    assert (tgw.region, tgw.asn, tgw.auto_accept_shared_attachments) == ("eu-west-1", 64512, True)
    vpc_attachment, vpn_attachment = tgw.attachments["tgw-attach-vpc"], tgw.attachments["tgw-attach-vpn"]
    assert (vpc_attachment.vpc, vpc_attachment.subnets, vpc_attachment.route_table, vpc_attachment.propagate_to,
            vpc_attachment.appliance_mode) == ("vpc-1", ["subnet-1"], "tgw-rtb-1", ["tgw-rtb-1"], True)
    assert (vpn_attachment.type, vpn_attachment.propagate_to) == ("vpn", [])
    assert [str(c) for c in vpn_attachment.remote_cidrs] == ["172.16.0.0/12"]
    routes = [(str(r.destination), r.attachment, r.blackhole) for r in tgw.route_tables["tgw-rtb-1"].routes]
    assert routes == [("172.16.0.0/12", "tgw-attach-vpn", False), ("192.168.66.0/24", None, True)]
    on_premises = design.on_premises["vpn-1"]
    assert (on_premises.via, on_premises.id, on_premises.tags["Name"]) == ("tgw-attach-vpn", "cgw-1", "dc-1")
    assert on_premises.state == "down"  # every tunnel DOWN: the VPN carries nothing (BAD_STATE_VPN)


def test_managed_interfaces_go_to_their_owners(tmp_path: Path) -> None:
    def eni(eni_id: str, ip: str, description: str = "", kind: str = "interface", **extra: Any) -> dict:
        return {"NetworkInterfaceId": eni_id, "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": ip,
                "Description": description, "InterfaceType": kind, "Groups": extra.pop("groups", []),
                "AvailabilityZone": "eu-west-1a", **extra}

    write(tmp_path, {
        "Vpcs.json": {"Vpcs": [vpc()]}, "Subnets.json": {"Subnets": [subnet()]},
        "SecurityGroups.json": {"SecurityGroups": [{"GroupId": "sg-db", "GroupName": "db", "VpcId": "vpc-1",
                                                    "IpPermissions": [], "IpPermissionsEgress": []}]},
        "NetworkInterfaces.json": {"NetworkInterfaces": [
            eni("eni-nat", "10.0.1.5", "Interface for NAT Gateway nat-1", "nat_gateway", RequesterManaged=True),
            eni("eni-vpce", "10.0.1.6", "VPC Endpoint Interface vpce-1", "vpc_endpoint", RequesterManaged=True),
            eni("eni-rds", "10.0.1.7", "RDSNetworkInterface", RequesterId="amazon-rds", groups=[{"GroupId": "sg-db"}]),
            eni("eni-fn", "10.0.1.8", "AWS Lambda VPC ENI-orders-1234", "lambda", RequesterManaged=True),
            eni("eni-efs", "10.0.1.9", "EFS mount target for fs-12ab (fsmt-34cd)", "efs", RequesterManaged=True),
            eni("eni-appliance", "10.0.1.20", "firewall", SourceDestCheck=False, Status="available"),
        ]},
        "NatGateways.json": {"NatGateways": [{"NatGatewayId": "nat-1", "VpcId": "vpc-1", "SubnetId": "subnet-1",
                                              "State": "available", "ConnectivityType": "private",
                                              "NatGatewayAddresses": [{"PrivateIp": "10.0.1.5"}]}]},
        "VpcEndpoints.json": {"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "VpcEndpointType": "Interface",
                                                "VpcId": "vpc-1", "ServiceName": "com.amazonaws.eu-west-1.sqs",
                                                "SubnetIds": ["subnet-1"], "NetworkInterfaceIds": ["eni-vpce"],
                                                "Groups": [{"GroupId": "sg-db"}], "State": "available"}]},
        "RdsInstances.json": {"DBInstances": [{"DBInstanceIdentifier": "orders", "Engine": "postgres",
            "Endpoint": {"Port": 5432}, "AvailabilityZone": "eu-west-1a", "DBInstanceStatus": "available",
            "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-db", "Status": "active"}],
            "DBSubnetGroup": {"DBSubnetGroupName": "db", "VpcId": "vpc-1", "Subnets": [
                {"SubnetIdentifier": "subnet-1", "SubnetAvailabilityZone": {"Name": "eu-west-1a"}}]}}]},
        "RouteTables.json": routes({"DestinationCidrBlock": "0.0.0.0/0", "NetworkInterfaceId": "eni-appliance",
                                    "State": "active"}),
    })
    design = load(str(tmp_path))
    network = design.vpcs["vpc-1"]
    assert str(network.nat_gateways["nat-1"].private_ip) == "10.0.1.5"
    assert network.nat_gateways["nat-1"].connectivity == "private"
    assert [str(ip) for ip in network.endpoints["vpce-1"].private_ips] == ["10.0.1.6"]
    assert (str(network.rds_instances["orders"].private_ip), network.rds_instances["orders"].subnet) == (
        "10.0.1.7", "subnet-1")
    assert str(network.efs_mount_targets["fsmt-34cd"].private_ip) == "10.0.1.9"
    # No describe file for Lambda functions: their ENIs stay, typed, since they hold addresses.
    assert sorted(network.network_interfaces) == ["eni-appliance", "eni-fn"]
    assert network.network_interfaces["eni-fn"].interface_type == "lambda"
    appliance = network.network_interfaces["eni-appliance"]
    assert (appliance.source_dest_check, appliance.status, appliance.instance) == (False, "available", None)
    route = network.route_tables["rtb-1"].routes[0]
    assert (route.target, route.state) == ("eni-appliance", "active")


# --------------------------------------------------------------------------- bad input


def test_malformed_json_names_file_line_and_column(tmp_path: Path) -> None:
    write(tmp_path, {"Vpcs.json": '{\n "Vpcs": [\n  {"VpcId": "vpc-1",}\n ]\n}\n'})
    with pytest.raises(InputError) as caught:
        load(str(tmp_path))
    assert str(caught.value).startswith(f"{tmp_path / 'Vpcs.json'}:3:21: invalid JSON: Expecting property name")  # the "}" after the comma


def test_unknown_top_level_key_is_a_warning_and_skipped(tmp_path: Path) -> None:
    write(tmp_path, {"Vpcs.json": {"Vpcs": [vpc()]}, "Odd.json": {"Widgets": [{"WidgetId": "w-1"}]},
                     "Tags.json": {"Tags": []}})
    design = load(str(tmp_path))
    assert list(design.vpcs) == ["vpc-1"]
    assert file_warnings(design) == [f"{tmp_path / 'Odd.json'}:1:1: top-level key 'Widgets' is not an AWS "
                                     "describe output vpckit reads; skipped"]


def test_empty_directory_says_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no JSON files found; expected a directory of `aws ec2 describe-\\*` outputs"):
        load_aws(str(tmp_path))


def test_directory_without_a_describe_file(tmp_path: Path) -> None:
    write(tmp_path, {"hosts/srv.json": {"hostname": "srv-1"}})
    with pytest.raises(InputError, match="none of the 1 JSON file\\(s\\) is an AWS describe output"):
        load_aws(str(tmp_path))


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("Vpcs.json", "this is not json", "1:1: invalid JSON: Expecting value"),
    ("Vpcs.json", b"\xff\xfe\x00garbage", "not UTF-8 text"),
])
def test_a_file_that_is_not_json(tmp_path: Path, name: str, content: Any, problem: str) -> None:
    write(tmp_path, {"Subnets.json": {"Subnets": []}})
    (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError, match=problem):
        load(str(tmp_path), "aws")


def test_other_files_are_skipped_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {"Vpcs.json": {"Vpcs": [vpc()]}, "notes.txt": "collected on Monday"})
    design = load(str(tmp_path))
    assert file_warnings(design) == [f"{tmp_path / 'notes.txt'}: not a .json file; skipped"]
    assert design.source.warnings[-1] == (
        f"{tmp_path}: no Subnets, RouteTables, NetworkAcls, SecurityGroups output in the snapshot; AWS's defaults "
        "are assumed (a main route table with local routes only, a default NACL that allows all, a default "
        "security group)")


@pytest.mark.parametrize("arguments", [["validate"], ["validate", "--format", "json"]])
@pytest.mark.parametrize("snapshot", ["hybrid-cloud-aws", "pybatfish-hybrid-cloud"])
def test_validate_cli_on_the_batfish_networks(snapshot: str, arguments: list[str], capsys: pytest.CaptureFixture) -> None:
    status = main([*arguments, str(BATFISH / snapshot)])
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    assert "Traceback" not in captured.err + captured.out


def test_validate_cli_on_malformed_snapshot_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write(tmp_path, {"Subnets.json": {"Subnets": []}, "Vpcs.json": '{"Vpcs": [}'})
    assert main(["validate", str(tmp_path)]) == 2
    assert f"{tmp_path / 'Vpcs.json'}:1:11: invalid JSON" in capsys.readouterr().err
