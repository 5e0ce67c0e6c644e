"""`vpckit snapshot` against a moto server on 127.0.0.1 (real HTTP), read back by the AWS reader.

The networks are built with boto3 in moto, snapshotted through the real command, read with
``vpckit.sources.load`` and compared with what was created. moto's known gaps are avoided
rather than relied on: a new NACL in moto lacks the implicit deny entries (32767) and the
default security group lacks its self-reference, so the comparisons look only at what the
test itself created.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

import vpckit.collect.snapshot as live
from vpckit.cli import main
from vpckit.collect import CALLS, MANIFEST, Manifest, required_actions
from vpckit.collect.snapshot import Collector
from vpckit.model import Design
from vpckit.network.resolve import find_in, route_target, security_group
from vpckit.sources import load

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "iam" / "vpckit-snapshot-policy.json"
REGION = "us-east-1"
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


# --------------------------------------------------------------------------- the moto server


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Fake credentials in the environment and an empty moto account; yields the endpoint URL."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ROLE_ARN",
                 "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                 "AWS_CONTAINER_CREDENTIALS_FULL_URI"):  # no real credential source may leak in
        monkeypatch.delenv(name, raising=False)
    for name, value in FAKE_ENV.items():
        monkeypatch.setenv(name, value)
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")).read()
    yield moto_url


def _client(url: str, service: str, region: str = REGION) -> Any:
    return boto3.client(service, endpoint_url=url, region_name=region)


def _snapshot(url: str, out: Path, *args: str) -> int:
    return main(["snapshot", "-o", str(out), "--endpoint-url", url, *args])


def _manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / MANIFEST).read_text())


def _tagged(kind: str, name: str) -> dict[str, Any]:
    return {"TagSpecifications": [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]}


# --------------------------------------------------------------------------- the network built in moto


def build_network(url: str, app_instances: int = 12) -> dict[str, Any]:
    """Two peered VPCs: public and app tiers, IGW, NAT, NACL, SGs with group references, instances."""
    ec2 = _client(url, "ec2")
    made: dict[str, Any] = {"subnets": {}, "routes": {}, "associations": {}, "instances": {}}
    prod = ec2.create_vpc(CidrBlock="10.0.0.0/16", **_tagged("vpc", "prod"))["Vpc"]["VpcId"]
    shared = ec2.create_vpc(CidrBlock="10.1.0.0/16", **_tagged("vpc", "shared"))["Vpc"]["VpcId"]
    made["vpcs"] = {prod: "10.0.0.0/16", shared: "10.1.0.0/16"}

    def subnet(vpc: str, cidr: str, az: str, name: str) -> str:
        subnet_id = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az,
                                      **_tagged("subnet", name))["Subnet"]["SubnetId"]
        made["subnets"][subnet_id] = (vpc, cidr, az)
        return subnet_id

    public_a = subnet(prod, "10.0.0.0/24", "us-east-1a", "public-a")
    public_b = subnet(prod, "10.0.1.0/24", "us-east-1b", "public-b")
    app_a = subnet(prod, "10.0.10.0/24", "us-east-1a", "app-a")
    app_b = subnet(prod, "10.0.11.0/24", "us-east-1b", "app-b")
    shared_a = subnet(shared, "10.1.0.0/24", "us-east-1a", "shared-a")

    igw = ec2.create_internet_gateway(**_tagged("internet-gateway", "igw"))["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=prod)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public_a, AllocationId=allocation,
                                 **_tagged("natgateway", "nat-a"))["NatGateway"]["NatGatewayId"]
    pcx = ec2.create_vpc_peering_connection(VpcId=prod, PeerVpcId=shared)["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    made.update(igw=igw, nat=nat, pcx=pcx, prod=prod, shared=shared)

    def table(vpc: str, name: str, routes: list[tuple[str, str, str]], subnets: list[str]) -> str:
        table_id = ec2.create_route_table(VpcId=vpc, **_tagged("route-table", name))["RouteTable"]["RouteTableId"]
        for destination, kind, target in routes:
            ec2.create_route(RouteTableId=table_id, DestinationCidrBlock=destination, **{kind: target})
        for subnet_id in subnets:
            ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)
            made["associations"][subnet_id] = table_id
        made["routes"][table_id] = {(d, t) for d, _, t in routes}
        return table_id

    table(prod, "public", [("0.0.0.0/0", "GatewayId", igw)], [public_a, public_b])
    table(prod, "private", [("0.0.0.0/0", "NatGatewayId", nat), ("10.1.0.0/16", "VpcPeeringConnectionId", pcx)],
          [app_a, app_b])
    table(shared, "to-prod", [("10.0.0.0/16", "VpcPeeringConnectionId", pcx)], [shared_a])

    # NACL-02..04: numbered entries, first match; only the entries created here are compared.
    nacl = ec2.create_network_acl(VpcId=prod, **_tagged("network-acl", "app"))["NetworkAcl"]["NetworkAclId"]
    entries = [
        (False, 100, "6", "allow", "10.0.0.0/16", (8080, 8080)),
        (False, 110, "6", "allow", "0.0.0.0/0", (1024, 65535)),
        (False, 120, "17", "deny", "192.0.2.0/24", (53, 53)),
        (True, 100, "-1", "allow", "0.0.0.0/0", None),
    ]
    for egress, number, protocol, action, cidr, ports in entries:
        extra = {"PortRange": {"From": ports[0], "To": ports[1]}} if ports else {}
        ec2.create_network_acl_entry(NetworkAclId=nacl, RuleNumber=number, Protocol=protocol, RuleAction=action,
                                     Egress=egress, CidrBlock=cidr, **extra)
    for subnet_id in (app_a, app_b):
        current = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}])
        association = next(a["NetworkAclAssociationId"] for a in current["NetworkAcls"][0]["Associations"]
                           if a["SubnetId"] == subnet_id)
        ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=nacl)
    made.update(nacl=nacl, nacl_entries=entries, nacl_subnets={app_a, app_b})

    # SG-02: rules naming other groups.
    def group(name: str) -> str:
        return ec2.create_security_group(VpcId=prod, GroupName=name, Description=f"{name} tier")["GroupId"]

    web, app, db = group("web"), group("app"), group("db")
    ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_ingress(GroupId=app, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": web}]}])
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": app}]}])
    ec2.revoke_security_group_egress(GroupId=db, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    made["groups"] = {
        web: {"ingress": {("tcp", 443, "0.0.0.0/0")}, "egress": {("all", None, "0.0.0.0/0")}},
        app: {"ingress": {("tcp", 8080, web)}, "egress": {("all", None, "0.0.0.0/0")}},
        db: {"ingress": {("tcp", 5432, app)}, "egress": set()},
    }

    def instance(subnet_id: str, address: str, groups: list[str]) -> None:
        reservation = ec2.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                        SubnetId=subnet_id, PrivateIpAddress=address, SecurityGroupIds=groups)
        made["instances"][reservation["Instances"][0]["InstanceId"]] = (subnet_id, address, set(groups))

    instance(public_a, "10.0.0.10", [web])
    for index in range(app_instances):  # more than one page of describe_instances at --page-size 5
        instance(app_a if index % 2 == 0 else app_b, f"10.0.{10 + index % 2}.{20 + index}", [app])
    return made


# --------------------------------------------------------------------------- comparing the design with moto


def _vpc_name(design: Design, vpc_id: str) -> str:
    name = design.find_vpc(vpc_id)
    assert name is not None, f"{vpc_id} is not in the snapshot's design"
    return name


def _ref_id(ref: Any) -> str | None:
    return getattr(ref.resource, "id", None) if ref is not None else None


def _rule_key(rule: Any, peer: str, design: Design, vpc: str) -> tuple[Any, ...]:
    protocol = {6: "tcp", 17: "udp", -1: "all"}.get(rule.protocol, rule.protocol)
    port = rule.ports.low if rule.ports is not None and rule.ports.low == rule.ports.high else None
    group = security_group(design, vpc, peer)
    return (protocol, port, _ref_id(group) or peer)


def assert_design_matches(design: Design, made: dict[str, Any]) -> None:
    # VPCs and their CIDRs
    for vpc_id, cidr in made["vpcs"].items():
        assert str(design.vpcs[_vpc_name(design, vpc_id)].cidr) == cidr
    # Subnets: CIDR, AZ, VPC, and the route table each is associated with
    for subnet_id, (vpc_id, cidr, az) in made["subnets"].items():
        vpc = _vpc_name(design, vpc_id)
        name = find_in(design.vpcs[vpc].subnets, subnet_id)
        assert name is not None, subnet_id
        subnet = design.vpcs[vpc].subnets[name]
        assert (str(subnet.cidr), subnet.az) == (cidr, az)
        if subnet_id in made["associations"]:
            table = find_in(design.vpcs[vpc].route_tables, subnet.route_table or "")
            assert design.vpcs[vpc].route_tables[table].id == made["associations"][subnet_id]
        # SUB-05: each subnet has exactly one NACL, the VPC's default one unless replaced
        network_acl = find_in(design.vpcs[vpc].network_acls, subnet.network_acl or design.vpcs[vpc].default_network_acl)
        if subnet_id in made["nacl_subnets"]:
            assert design.vpcs[vpc].network_acls[network_acl].id == made["nacl"]
        else:
            assert network_acl == find_in(design.vpcs[vpc].network_acls, design.vpcs[vpc].default_network_acl)
    # Routes: destination and target, resolved to the AWS id of what they name (RT-09)
    for table_id, routes in made["routes"].items():
        found = [(vpc, t) for vpc, v in design.vpcs.items() for t in v.route_tables.values() if t.id == table_id]
        assert len(found) == 1, table_id
        vpc, table = found[0]
        got = {(str(r.destination), _ref_id(route_target(design, vpc, r.target))) for r in table.routes}
        assert got == routes
        assert all(r.state == "active" for r in table.routes)
    # The NACL's entries as created (moto's missing 32767 deny is not looked at: NACL-06 is implicit)
    prod = _vpc_name(design, made["prod"])
    nacl = design.vpcs[prod].network_acls[find_in(design.vpcs[prod].network_acls, made["nacl"])]
    got_entries = {
        (direction == "egress", r.rule, str(r.protocol), r.action, str(r.cidr),
         (r.ports.low, r.ports.high) if r.ports is not None and r.protocol in (6, 17) else None)
        for direction in ("ingress", "egress") for r in getattr(nacl, direction) if r.rule < 32767
    }
    assert got_entries == set(made["nacl_entries"])
    # Security groups: rules with CIDRs and group references (SG-02, SG-03 for the revoked egress)
    for group_id, rules in made["groups"].items():
        group = design.vpcs[prod].security_groups[find_in(design.vpcs[prod].security_groups, group_id)]
        assert {_rule_key(r, str(r.source), design, prod) for r in group.ingress} == rules["ingress"]
        assert {_rule_key(r, str(r.destination), design, prod) for r in group.egress} == rules["egress"]
    # Instances: subnet, private address, groups
    instances = {i.id: (vpc, i) for vpc, v in design.vpcs.items() for i in v.instances.values()}
    assert set(instances) == set(made["instances"])
    for instance_id, (subnet_id, address, groups) in made["instances"].items():
        vpc, instance = instances[instance_id]
        assert design.vpcs[vpc].subnets[find_in(design.vpcs[vpc].subnets, instance.subnet)].id == subnet_id
        assert str(instance.private_ip) == address
        assert {_ref_id(security_group(design, vpc, g)) for g in instance.security_groups} == groups
    # The gateways and the peering connection
    assert [g.id for g in design.vpcs[prod].internet_gateways.values()] == [made["igw"]]
    assert [n.id for n in design.vpcs[prod].nat_gateways.values()] == [made["nat"]]
    peering = [p for p in design.peering_connections.values() if p.id == made["pcx"]]
    assert len(peering) == 1 and peering[0].state == "active"
    assert {design.find_vpc(peering[0].requester), design.find_vpc(peering[0].accepter)} == {
        _vpc_name(design, made["prod"]), _vpc_name(design, made["shared"])}


# --------------------------------------------------------------------------- the round trip


def test_snapshot_round_trip(aws: str, tmp_path: Path) -> None:
    made = build_network(aws)
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION, "--page-size", "5") == 0
    manifest = _manifest(out)
    assert manifest["complete"] is True and manifest["failed"] == [] and manifest["account"] == "123456789012"
    assert manifest["regions_collected"] == [REGION]
    # One file per call under <account>/<region>/, each {key: [...]}
    folder = out / "123456789012" / REGION
    vpcs = json.loads((folder / "Vpcs.json").read_text())
    assert set(vpcs) == {"Vpcs"} and {v["VpcId"] for v in vpcs["Vpcs"]} >= set(made["vpcs"])
    # Pagination: 13 instances at 5 per page is 3 requests, and every instance arrives.
    instances = next(c for c in manifest["calls"] if c["action"] == "ec2:DescribeInstances")
    assert (instances["items"], instances["requests"]) == (13, 3)
    design = load(str(out))
    assert design.source.kind == "aws"
    assert_design_matches(design, made)


def _as_real_aws(folder: Path) -> None:
    """Rewrite moto's output into the shapes real AWS returns where moto is known to differ.

    Real AWS lists the implicit deny of every NACL as entries 32767 (NACL-04) and gives the
    default security group an all-traffic rule from itself (SG-04); moto omits both.
    """
    acls_file, groups_file = folder / "NetworkAcls.json", folder / "SecurityGroups.json"
    acls = json.loads(acls_file.read_text())
    for acl in acls["NetworkAcls"]:
        for egress in (False, True):
            if not any(e["RuleNumber"] == 32767 and e["Egress"] == egress for e in acl["Entries"]):
                acl["Entries"].append({"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny",
                                       "Egress": egress, "CidrBlock": "0.0.0.0/0"})
    acls_file.write_text(json.dumps(acls))
    groups = json.loads(groups_file.read_text())
    for group in groups["SecurityGroups"]:
        if group["GroupName"] == "default" and not group["IpPermissions"]:
            group["IpPermissions"] = [{"IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                                       "UserIdGroupPairs": [{"GroupId": group["GroupId"], "UserId": group["OwnerId"]}]}]
    groups_file.write_text(json.dumps(groups))


def test_real_aws_shapes_read_the_same(aws: str, tmp_path: Path) -> None:
    """The round trip does not lean on moto's gaps: with real AWS's shapes the design is the same."""
    made = build_network(aws, app_instances=1)
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION) == 0
    as_moto = load(str(out))
    _as_real_aws(out / "123456789012" / REGION)
    as_aws = load(str(out))
    assert_design_matches(as_aws, made)
    prod = _vpc_name(as_aws, made["prod"])
    # NACL-04: the 32767 entries are the implicit deny, not rules of their own
    assert as_aws.vpcs[prod].network_acls == as_moto.vpcs[prod].network_acls
    # SG-04: the default group admits its own members, and the reference resolves to itself
    default = as_aws.vpcs[prod].security_groups[as_aws.vpcs[prod].default_security_group]
    [rule] = default.ingress
    assert rule.protocol == -1 and security_group(as_aws, prod, str(rule.source)).resource is default


def test_snapshot_writes_every_call_of_the_table_and_nothing_else(aws: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The IAM policy lists exactly what the command calls: every call is observed on the wire."""
    build_network(aws, app_instances=1)
    ec2, elbv2 = _client(aws, "ec2"), _client(aws, "elbv2")
    ec2.create_transit_gateway(Description="hub")  # a TGW route table: the per-table calls are made
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["prod"]}])["Vpcs"][0]["VpcId"]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]][:2]
    elbv2.create_load_balancer(Name="web", Subnets=subnets)
    elbv2.create_target_group(Name="app", Protocol="HTTP", Port=8080, VpcId=vpc)

    called: list[str] = []
    real_open = live.open_session

    def recording_session(profile: str | None = None, region: str | None = None) -> Any:
        session = real_open(profile, region)
        session.events.register("before-call.*.*", lambda model, **_: called.append(
            f"{model.service_model.endpoint_prefix}:{model.name}"))
        return session

    monkeypatch.setattr(live, "open_session", recording_session)
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION) == 0
    assert sorted(set(called)) == required_actions()
    folder = out / "123456789012" / REGION
    assert sorted(p.stem for p in folder.glob("*.json")) == sorted({c.key for c in CALLS})
    for call in CALLS:
        data = json.loads((folder / f"{call.key}.json").read_text())
        assert list(data) == [call.key] and isinstance(data[call.key], list)
    prefix_lists = json.loads((folder / "PrefixLists.json").read_text())["PrefixLists"]
    assert prefix_lists and all("Cidrs" in p and "Entries" in p for p in prefix_lists)
    # What the per-item calls read arrives in the design too
    design = load(str(out))
    prod = _vpc_name(design, vpc)
    [balancer] = design.vpcs[prod].load_balancers.values()
    assert {design.vpcs[prod].subnets[find_in(design.vpcs[prod].subnets, s)].id for s in balancer.subnets} == set(subnets)
    assert [g.port for g in design.vpcs[prod].target_groups.values()] == [8080]
    s3 = next(p for p in design.prefix_lists.values() if p.tags.get("Name") == f"com.amazonaws.{REGION}.s3")
    assert s3.cidrs and s3.id.startswith("pl-")
    [gateway] = design.transit_gateways.values()
    assert len(gateway.route_tables) == 1


def test_iam_policy_allows_exactly_the_calls_in_the_table() -> None:
    policy = json.loads(POLICY.read_text())
    assert policy["Version"] == "2012-10-17"
    [statement] = policy["Statement"]
    assert (statement["Effect"], statement["Resource"]) == ("Allow", "*")
    assert statement["Action"] == required_actions()  # sorted, no duplicates, nothing missing or extra
    # Read-only: every action only describes, gets, searches or says who the caller is.
    assert all(a.split(":")[1].startswith(("Describe", "Get", "Search")) for a in statement["Action"])


def test_several_regions_and_the_account_folder(aws: str, tmp_path: Path) -> None:
    _client(aws, "ec2", "eu-west-1").create_vpc(CidrBlock="172.16.0.0/16")
    _client(aws, "ec2").create_vpc(CidrBlock="10.9.0.0/16")
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "-r", REGION, "-r", "eu-west-1") == 0
    manifest = _manifest(out)
    assert manifest["regions_collected"] == [REGION, "eu-west-1"]
    assert {c["region"] for c in manifest["calls"]} >= {REGION, "eu-west-1"}
    design = load(str(out))
    regions = {str(vpc.cidr): design.vpc_region(name) for name, vpc in design.vpcs.items()}
    assert regions["172.16.0.0/16"] == "eu-west-1" and regions["10.9.0.0/16"] == REGION


# --------------------------------------------------------------------------- failures: never a partial snapshot presented as complete


def _inject(monkeypatch: pytest.MonkeyPatch, event: str, code: str, times: int | None = None) -> list[str]:
    """Make every call matching ``event`` answer with AWS error ``code`` (``times`` times, or always)."""
    seen: list[str] = []
    real_open = live.open_session

    def handler(model: Any, context: Any, **_: Any) -> Any:
        if times is not None and len(seen) >= times:
            return None
        seen.append(model.name)
        body = {"Error": {"Code": code, "Message": f"simulated {code}"}, "ResponseMetadata": {"HTTPStatusCode": 400}}
        return AWSResponse("https://example.invalid", 400, {}, None), body

    def session_with_errors(profile: str | None = None, region: str | None = None) -> Any:
        session = real_open(profile, region)
        session.events.register(event, handler)
        return session

    monkeypatch.setattr(live, "open_session", session_with_errors)
    monkeypatch.setattr(live, "_sleep", lambda seconds: None)
    return seen


@pytest.mark.parametrize(
    ("event", "code", "action", "kind", "message"),
    [
        ("before-call.ec2.DescribeSubnets", "RequestLimitExceeded", "ec2:DescribeSubnets", "throttled", "throttled by AWS"),
        ("before-call.elastic-load-balancing-v2.DescribeLoadBalancers", "AccessDenied",
         "elasticloadbalancing:DescribeLoadBalancers", "access-denied", "iam/vpckit-snapshot-policy.json"),
    ],
)
def test_a_failing_call_makes_the_snapshot_incomplete(aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], event: str, code: str,
                                                      action: str, kind: str, message: str) -> None:
    seen = _inject(monkeypatch, event, code)
    build_network(aws, app_instances=1)
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION, "--max-attempts", "3") == 2
    err = capsys.readouterr().err
    assert f"{action} in {REGION} failed" in err and message in err and "INCOMPLETE" in err
    assert "Traceback" not in err
    manifest = _manifest(out)
    assert manifest["complete"] is False
    assert [(f["region"], f["action"], f["kind"], f["code"]) for f in manifest["failed"]] == [(REGION, action, kind, code)]
    # Throttling is retried (3 attempts in all); a denied call is not retried.
    assert len(seen) == (3 if kind == "throttled" else 1)
    # Everything else was still collected, and the failed call's file is absent rather than empty.
    folder = out / "123456789012" / REGION
    assert (folder / "Vpcs.json").exists() and not (folder / f"{next(c.key for c in CALLS if c.action == action)}.json").exists()
    assert any(c["action"] == "ec2:DescribeVpcs" for c in manifest["calls"])


def test_throttling_then_success_is_retried_with_backoff(aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _inject(monkeypatch, "before-call.ec2.DescribeRouteTables", "Throttling", times=2)
    delays: list[float] = []
    monkeypatch.setattr(live, "_sleep", delays.append)
    build_network(aws, app_instances=1)
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION) == 0
    assert seen == ["DescribeRouteTables", "DescribeRouteTables"] and len(delays) == 2
    assert _manifest(out)["complete"] is True
    assert json.loads((out / "123456789012" / REGION / "RouteTables.json").read_text())["RouteTables"]


def test_expired_credentials_stop_the_snapshot(aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    _inject(monkeypatch, "before-call.ec2.DescribeVpcs", "ExpiredToken")
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION) == 2
    err = capsys.readouterr().err
    assert f"ec2:DescribeVpcs in {REGION} failed: the AWS credentials were rejected (ExpiredToken" in err
    manifest = _manifest(out)
    assert manifest["complete"] is False
    assert [(f["action"], f["kind"]) for f in manifest["failed"]] == [("ec2:DescribeVpcs", "credentials")]
    # Nothing after the rejected call was attempted (every other call would fail the same way),
    # and the manifest lists each call not made; what was read before is kept.
    assert [c["action"] for c in manifest["calls"]] == ["sts:GetCallerIdentity", "ec2:DescribeRegions",
                                                        "ec2:DescribeAvailabilityZones"]
    assert len(manifest["not_attempted"]) == len(CALLS) - 2 and manifest["regions_collected"] == []
    assert (out / "123456789012" / REGION / "AvailabilityZones.json").exists()


def test_missing_credentials(aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION) == 2
    err = capsys.readouterr().err
    assert f"sts:GetCallerIdentity in {REGION} failed: no AWS credentials found" in err
    manifest = _manifest(out)
    assert manifest["account"] is None and manifest["complete"] is False
    assert manifest["failed"][0]["kind"] == "credentials"


def test_a_region_that_does_not_exist(aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", "us-nowhere-1", "--region", REGION) == 2
    err = capsys.readouterr().err
    assert "ec2:DescribeRegions in us-nowhere-1 failed: region 'us-nowhere-1' does not exist" in err
    manifest = _manifest(out)
    assert manifest["regions_collected"] == [REGION]  # the region that exists is still collected
    assert [(f["region"], f["code"]) for f in manifest["failed"]] == [("us-nowhere-1", "InvalidRegion")]


def test_an_endpoint_that_cannot_be_reached(aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    out = tmp_path / "snap"
    assert main(["snapshot", "-o", str(out), "--endpoint-url", closed, "--region", REGION, "--max-attempts", "1"]) == 2
    err = capsys.readouterr().err
    assert f"sts:GetCallerIdentity in {REGION} failed: cannot connect to AWS" in err
    assert _manifest(out)["failed"][0]["kind"] == "connection"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "not a region"], "not a region name: not a region"),
        (["--region", REGION, "--profile", "vpckit-no-such-profile"], "AWS profile 'vpckit-no-such-profile' is not configured"),
    ],
)
def test_bad_arguments_are_refused_before_any_call(aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   args: list[str], message: str) -> None:
    out = tmp_path / "snap"
    assert _snapshot(aws, out, *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (out / MANIFEST).exists()


def test_an_existing_snapshot_is_never_overwritten(aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "old.json").write_text("{}")
    assert _snapshot(aws, tmp_path, "--region", REGION) == 2
    assert "not empty" in capsys.readouterr().err


# --------------------------------------------------------------------------- the retry loop, with botocore's Stubber


def _stubbed_collector(responses: Callable[[Stubber], None]) -> tuple[Collector, list[float]]:
    session = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name=REGION)
    delays: list[float] = []
    collector = Collector(session, Manifest(started="now"), max_attempts=4, sleep=delays.append)
    client = collector.client("ec2", REGION)
    stubber = Stubber(client)
    responses(stubber)
    stubber.activate()
    return collector, delays


def test_stubbed_throttling_backs_off_then_succeeds() -> None:
    def responses(stubber: Stubber) -> None:
        stubber.add_client_error("describe_vpcs", "Throttling", "Rate exceeded", 400)
        stubber.add_client_error("describe_vpcs", "ThrottlingException", "Rate exceeded", 400)
        stubber.add_response("describe_vpcs", {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]})

    collector, delays = _stubbed_collector(responses)
    vpcs = next(c for c in CALLS if c.key == "Vpcs")
    items, requests, _ = collector.run(vpcs, REGION)
    assert [v["VpcId"] for v in items] == ["vpc-1"] and requests == 1
    assert len(delays) == 2 and all(0 <= d <= 20 for d in delays)
    assert collector.manifest.failed == []


@pytest.mark.parametrize(("code", "kind"), [("ExpiredToken", "credentials"), ("RequestExpired", "credentials"),
                                            ("UnauthorizedOperation", "access-denied"),
                                            ("InvalidParameterValue", "error")])
def test_stubbed_errors_are_recorded_with_their_kind(code: str, kind: str) -> None:
    collector, delays = _stubbed_collector(lambda s: s.add_client_error("describe_vpcs", code, "no", 400))
    vpcs = next(c for c in CALLS if c.key == "Vpcs")
    try:
        assert collector.run(vpcs, REGION) is None
    except live._Abort:
        assert kind == "credentials"
    [failure] = collector.manifest.failed
    assert (failure.region, failure.action, failure.kind, failure.code) == (REGION, "ec2:DescribeVpcs", kind, code)
    assert delays == []  # only throttling is retried


_REGIONS = {"Regions": [{"RegionName": "us-east-1", "OptInStatus": "opt-in-not-required"},
                        {"RegionName": "eu-west-1", "OptInStatus": "opt-in-not-required"},
                        {"RegionName": "af-south-1", "OptInStatus": "opted-in"},
                        {"RegionName": "ap-east-1", "OptInStatus": "not-opted-in"}]}


@pytest.mark.parametrize(
    ("wanted", "usable", "failures"),
    [
        (["all"], ["af-south-1", "eu-west-1", "us-east-1"], []),  # every region enabled for the account
        (["eu-west-1", "eu-west-1"], ["eu-west-1"], []),
        (["ap-east-1", "us-east-1"], ["us-east-1"], [("ap-east-1", "RegionNotEnabled")]),
        (["xx-nowhere-1"], [], [("xx-nowhere-1", "InvalidRegion")]),
    ],
)
def test_stubbed_regions_are_checked_against_describe_regions(wanted: list[str], usable: list[str],
                                                               failures: list[tuple[str, str]]) -> None:
    collector, _ = _stubbed_collector(lambda s: s.add_response("describe_regions", _REGIONS, {"AllRegions": True}))
    assert collector.regions(wanted, REGION) == usable
    assert [(f.region, f.code) for f in collector.manifest.failed] == failures


def test_an_interrupted_snapshot_is_not_complete(aws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(self: Collector, region: str, folder: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Collector, "collect_region", interrupt)
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION) == 130
    manifest = _manifest(out)
    assert manifest["complete"] is False and manifest["failed"][0]["kind"] == "interrupted"


def test_vpn_secrets_never_reach_the_disk(aws: str, tmp_path: Path) -> None:
    """DescribeVpnConnections returns the customer gateway configuration (with the tunnels' pre-shared
    keys, AWS Site-to-Site VPN user guide, "Download the configuration file"): the snapshot keeps the
    connection and removes the secrets."""
    from vpckit.collect.secrets import REDACTED

    ec2 = _client(aws, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=vpc, VpnGatewayId=vgw)
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="203.0.113.7", BgpAsn=65000)
    vpn = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"],
                                    VpnGatewayId=vgw, Options={"StaticRoutesOnly": True})["VpnConnection"]
    assert ec2.describe_vpn_connections()["VpnConnections"][0].get("CustomerGatewayConfiguration")
    out = tmp_path / "snap"
    assert _snapshot(aws, out, "--region", REGION) == 0
    written = json.loads(next(out.rglob("VpnConnections.json")).read_text())["VpnConnections"]
    mine = next(v for v in written if v["VpnConnectionId"] == vpn["VpnConnectionId"])
    assert mine["CustomerGatewayConfiguration"] == REDACTED
    for path in out.rglob("*.json"):
        assert "<vpn_connection" not in path.read_text(), path
