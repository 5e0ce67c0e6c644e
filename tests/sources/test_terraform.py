"""The Terraform reader: every plan of the corpus, unknown values, modules, bad input.

Facts below were checked by hand against the plans under ../shared/corpus/terraform/plan-json/
(see README-iac.md there). The corpus has no plan with peering, transit gateways, endpoints or
NACL rules, so a small hand-written plan in the `terraform show -json` shape covers those.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import pytest

from vpckit.cli import main
from vpckit.errors import InputError
from vpckit.model import Design
from vpckit.sources import load
from vpckit.sources.terraform import _module_of, loads

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"  # the CORPUS of tests/conftest.py
PLANS = CORPUS / "terraform" / "plan-json"

TERRAGOAT = "checkov/tests/terraform/runner/resources/plan/tfplan.json"
FOR_EACH = "checkov/tests/common/runner_registry/plan_with_for_each_for_enrichment/tf_plan.json"
MODULE_VPC = "terraform-compliance/tests/functional/test_issue-158/plan.out.json"
INLINE_ROUTE = "terraform-compliance/tests/functional/test_issue-171/plan.out.json"
PULL_330 = "terraform-compliance/tests/functional/test_pull_330/plan.out.json"
SMALLEST = "terraform-compliance/tests/functional/test_issue-514/plan.out.json"
EXISTING = "terraform-compliance/tests/functional/test_issue-249/plan.out.json"
EDGE_PORTS = "terraform-compliance/tests/functional/test_issue_400/plan.out.json"
INGRESS_ANYWHERE = "regula/rego/tests/rules/tf/aws/security_group/inputs/ingress_anywhere_infra.json"
NESTED = "regula/rego/tests/lib/inputs/resource_view_06_tf_v1_0_infra.json"

MATERIALISED = {"main", "default"}


@lru_cache(maxsize=None)
def read(relative: str) -> Design:
    return load(str(PLANS / relative))


def counts(design: Design) -> dict[str, int]:
    """Resources read, per collection, without the AWS defaults the model materialises."""
    result: dict[str, int] = {"vpcs": len(design.vpcs)}
    for vpc in design.vpcs.values():
        for collection in ("subnets", "route_tables", "network_acls", "security_groups", "nat_gateways",
                           "internet_gateways", "egress_only_internet_gateways", "vpn_gateways", "instances",
                           "network_interfaces", "endpoints", "load_balancers", "db_subnet_groups", "rds_instances"):
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


def warned(design: Design, address: str, text: str = "") -> bool:
    return any(w.startswith(f"{address}:") and text in w for w in design.source.warnings)


Fact = Callable[[Design], Any]
M = "module.vpc.aws_vpc.this[0]"

CORPUS_CASES: list[tuple[str, dict[str, int], list[tuple[Fact, Any]]]] = [
    (TERRAGOAT, {
        "vpcs": 2, "subnets": 4, "route_tables": 1, "security_groups": 2, "internet_gateways": 1, "instances": 2,
        "network_interfaces": 1, "db_subnet_groups": 1, "rds_instances": 1,
    }, [
        # db_subnet_group_name is the group's known `name`; no port given: MySQL's 3306.
        (lambda d: d.vpcs["aws_vpc.web_vpc"].rds_instances["aws_db_instance.default"].model_dump(
            include={"engine", "port", "subnet_group", "publicly_accessible"}),
         {"engine": "mysql", "port": 3306, "subnet_group": "aws_db_subnet_group.default", "publicly_accessible": True}),
        (lambda d: d.vpcs["aws_vpc.web_vpc"].db_subnet_groups["aws_db_subnet_group.default"].subnets,
         ["aws_subnet.web_subnet", "aws_subnet.web_subnet2"]),
        (lambda d: (str(d.vpcs["aws_vpc.web_vpc"].subnets["aws_subnet.web_subnet2"].cidr),
                    d.vpcs["aws_vpc.web_vpc"].subnets["aws_subnet.web_subnet2"].az), ("172.16.11.0/24", "us-west-2b")),
        (lambda d: sorted(d.vpcs["aws_vpc.eks_vpc"].subnets), ["aws_subnet.eks_subnet1", "aws_subnet.eks_subnet2"]),
        # aws_route → route table and IGW, both known only after apply: linked through `references`.
        (lambda d: routes(d, "aws_vpc.web_vpc", "aws_route_table.web_rtb"), [("0.0.0.0/0", "aws_internet_gateway.web_igw")]),
        (lambda d: d.vpcs["aws_vpc.web_vpc"].subnets["aws_subnet.web_subnet"].route_table, "aws_route_table.web_rtb"),
        (lambda d: rules(d, "aws_vpc.web_vpc", "aws_security_group.default"),
         [{"protocol": "tcp", "ports": 3306, "source": "172.16.0.0/16"}]),  # aws_security_group_rule.ingress
        (lambda d: d.vpcs["aws_vpc.web_vpc"].instances["aws_instance.db_app"].model_dump(
            include={"subnet", "security_groups"}),
         {"subnet": "aws_subnet.web_subnet", "security_groups": ["aws_security_group.web-node"]}),
        (lambda d: str(d.vpcs["aws_vpc.web_vpc"].network_interfaces["aws_network_interface.web-eni"].private_ip),
         "172.16.10.100"),
        # aws_flow_log.vpcflowlogs: vpc_id known after apply, linked through `references` (aws_vpc.web_vpc).
        (lambda d: {n: [(k, f.traffic_type, f.destination_type) for k, f in v.flow_logs.items()]
                    for n, v in d.vpcs.items()},
         {"aws_vpc.web_vpc": [("aws_flow_log.vpcflowlogs", "ALL", "s3")], "aws_vpc.eks_vpc": []}),
    ]),
    (FOR_EACH, {"vpcs": 1, "subnets": 1, "security_groups": 3}, [
        (lambda d: (lambda s: (s.id, str(s.cidr), s.az))(d.vpcs["data.aws_vpc.sandbox"].subnets["data.aws_subnet.private"]),
         ("subnet-04c460d388900659b", "10.213.220.0/24", "us-east-1c")),
        # The VPC comes from a data source read during planning (prior_state).
        (lambda d: (str(d.vpcs["data.aws_vpc.sandbox"].cidr), d.vpcs["data.aws_vpc.sandbox"].id),
         ("10.213.220.0/22", "vpc-123456abc")),
        (lambda d: rules(d, "data.aws_vpc.sandbox", 'module.sg["bad_example"].aws_security_group.bad'),
         [{"protocol": "all", "description": "Allow all inbound traffic", "source": "0.0.0.0/0"}]),
        # Terraform removes AWS's default allow-all egress when no egress block is given.
        (lambda d: rules(d, "data.aws_vpc.sandbox", 'module.sg["terrible_example"].aws_security_group.bad', "egress"), []),
    ]),
    (MODULE_VPC, {
        "vpcs": 1, "subnets": 6, "route_tables": 4, "nat_gateways": 3, "internet_gateways": 1, "vpn_gateways": 1,
    }, [
        (lambda d: (str(d.vpcs[M].subnets["module.vpc.aws_subnet.private[1]"].cidr),
                    d.vpcs[M].subnets["module.vpc.aws_subnet.private[1]"].az), ("10.0.2.0/24", "eu-west-1b")),
        # ["aws_route_table.private", "count.index"]: matched by index.
        (lambda d: d.vpcs[M].subnets["module.vpc.aws_subnet.private[2]"].route_table, "module.vpc.aws_route_table.private[2]"),
        (lambda d: routes(d, M, "module.vpc.aws_route_table.private[1]"),
         [("0.0.0.0/0", "module.vpc.aws_nat_gateway.this[1]")]),
        (lambda d: routes(d, M, "module.vpc.aws_route_table.public[0]"),
         [("0.0.0.0/0", "module.vpc.aws_internet_gateway.this[0]")]),
        (lambda d: d.vpcs[M].nat_gateways["module.vpc.aws_nat_gateway.this[2]"].subnet, "module.vpc.aws_subnet.public[2]"),
        (lambda d: d.vpcs[M].subnets["module.vpc.aws_subnet.public[0]"].map_public_ip_on_launch, True),
        # vpc_id = local.vpc_id, which plans do not record: said so, with the VPC used.
        (lambda d: warned(d, "module.vpc.aws_subnet.public[0]", "local.vpc_id"), True),
        # The NATs' allocation_id = local.nat_gateway_ips (not in plans): which aws_eip.nat each uses is not
        # known, so none is recorded as an (unattached, NET004) elastic IP; said so.
        (lambda d: (d.elastic_ips, warned(d, "module.vpc.aws_eip.nat[1]", "not recorded as an elastic IP")), ({}, True)),
    ]),
    (INLINE_ROUTE, {"vpcs": 1, "subnets": 4, "route_tables": 1, "security_groups": 1, "internet_gateways": 1,
                    "load_balancers": 1}, [
        (lambda d: [(l.protocol, l.port) for l in d.vpcs["aws_vpc.test-vpc"].load_balancers["aws_lb.nlb-noncompliant"].listeners],
         [("TCP", 80), ("TCP", 53), ("UDP", 1443)]),
        (lambda d: d.vpcs["aws_vpc.test-vpc"].load_balancers["aws_lb.nlb-noncompliant"].type, "network"),
        (lambda d: str(d.vpcs["aws_vpc.test-vpc"].subnets["aws_subnet.test-subnet-pubA"].cidr), "10.0.0.0/24"),
        (lambda d: d.vpcs["aws_vpc.test-vpc"].subnets["aws_subnet.test-subnet-pubB"].route_table,
         "aws_route_table.test-pub-rtb"),
        (lambda d: rules(d, "aws_vpc.test-vpc", "aws_security_group.sg-loadBalancer-noncompliant"),
         [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"}, {"protocol": "tcp", "ports": 80, "source": "0.0.0.0/0"}]),
        # The inline route's gateway_id is unknown and this TF 0.12 plan records no reference for it: the
        # VPC's only gateway is the only thing it can name, linked with a warning that says so.
        (lambda d: (routes(d, "aws_vpc.test-vpc", "aws_route_table.test-pub-rtb"),
                    warned(d, "aws_route_table.test-pub-rtb", "the only internet gateway")),
         ([("0.0.0.0/0", "aws_internet_gateway.test-igw")], True)),
        (lambda d: (d.vpcs["aws_vpc.test-vpc"].subnets["aws_subnet.test-subnet-privA"].az,
                    warned(d, "aws_subnet.test-subnet-privA", "availability_zone")), ("(known after apply)", True)),
    ]),
    (PULL_330, {
        "vpcs": 1, "subnets": 1, "security_groups": 2, "nat_gateways": 1, "internet_gateways": 1, "vpn_gateways": 1,
    }, [
        (lambda d: str(d.vpcs["aws_vpc.pass"].subnets["aws_subnet.test"].cidr), "10.0.1.0/24"),
        (lambda d: rules(d, "aws_vpc.pass", "aws_security_group.allow_tls"),
         [{"protocol": "tcp", "ports": 443, "source": "10.0.0.0/8"}]),
        (lambda d: rules(d, "aws_vpc.pass", "aws_security_group.allow_all_egress", "egress"),
         [{"protocol": "tcp", "ports": 443, "destination": "0.0.0.0/0"}]),
        (lambda d: d.vpcs["aws_vpc.pass"].nat_gateways["aws_nat_gateway.gw"].subnet, "aws_subnet.test"),
        # security_group_id = "sg-123456", a group that is not in the plan.
        (lambda d: warned(d, "aws_security_group_rule.allow_all", "sg-123456 is not defined"), True),
    ]),
    (SMALLEST, {"vpcs": 1, "subnets": 2, "network_acls": 1}, [
        (lambda d: str(d.vpcs["module.vpc_module.aws_vpc.vpc"].cidr), "172.16.0.0/24"),
        (lambda d: str(d.vpcs["module.vpc_module.aws_vpc.vpc"].subnets["module.vpc_module.aws_subnet.vpc_subnet[0]"].cidr),
         "172.16.0.128/25"),
        # subnet_ids = aws_subnet.vpc_subnet (all instances); no rules: the NACL denies everything (NACL-06).
        (lambda d: {s.network_acl for s in d.vpcs["module.vpc_module.aws_vpc.vpc"].subnets.values()},
         {"module.vpc_module.aws_network_acl.vpc_subnet_acl"}),
        (lambda d: d.vpcs["module.vpc_module.aws_vpc.vpc"].network_acls["module.vpc_module.aws_network_acl.vpc_subnet_acl"]
         .model_dump(include={"ingress", "egress"}), {"ingress": [], "egress": []}),
    ]),
    (EXISTING, {"vpcs": 1, "security_groups": 3}, [
        (lambda d: str(d.vpcs["data.aws_vpc.default"].cidr), "10.107.56.0/21"),
        (lambda d: d.vpcs["data.aws_vpc.default"].security_groups["module.alb.aws_security_group.alb"].id,
         "sg-0facdb20f33578aa9"),
        # source_security_group_id sg-0facdb… is the ALB's group: linked by its AWS id; no duplicate of
        # the rule the state also lists inline.
        (lambda d: [r for r in rules(d, "data.aws_vpc.default", "module.myapp-asg.aws_security_group.sg_asg")
                    if r["ports"] == 4000], [{"protocol": "tcp", "ports": 4000, "source": "module.alb.aws_security_group.alb"}]),
        (lambda d: rules(d, "data.aws_vpc.default", "module.myapp-asg.aws_security_group.sg_asg", "egress"), []),
        # The ALB's subnets (subnet-13f44a58…) are not in the plan: not placed, and said so.
        (lambda d: warned(d, "module.alb.aws_alb.alb", "subnet-13f44a58 is not defined"), True),
    ]),
    (EDGE_PORTS, {"vpcs": 1, "security_groups": 3}, [
        # No vpc_id: the region's default VPC, whose CIDR AWS documents.
        (lambda d: str(d.vpcs["default-vpc"].cidr), "172.31.0.0/16"),
        # from_port 443 > to_port 22: reported and left out, the group still read.
        (lambda d: (rules(d, "default-vpc", "aws_security_group.example_group_22"),
                    warned(d, "aws_security_group.example_group_22", "443-22")), ([], True)),
        (lambda d: rules(d, "default-vpc", "aws_security_group.example_group_3389")[0]["ports"], "443-3389"),
    ]),
    (INGRESS_ANYWHERE, {"vpcs": 1, "security_groups": 5}, [
        (lambda d: rules(d, "default-vpc", "aws_security_group.invalid_include_80"),
         [{"protocol": "tcp", "ports": "79-81", "source": "0.0.0.0/0"}]),
        (lambda d: rules(d, "default-vpc", "aws_security_group.invalid_allow_all")[0]["ports"], "0-65535"),
        (lambda d: rules(d, "default-vpc", "aws_security_group.valid_exact_443")[0]["ports"], 443),
    ]),
    (NESTED, {"vpcs": 4, "security_groups": 3}, [
        # vpc_id = module.child1.grandchild_vpc → module.grandchild1's output → its aws_vpc.grandchild.
        (lambda d: sorted(d.vpcs["module.child1.module.grandchild1.aws_vpc.grandchild"].security_groups),
         ["aws_security_group.parent", "default", "module.child1.module.grandchild1.aws_security_group.grandchild",
          "module.child2.aws_security_group.child"]),
        (lambda d: sorted(d.vpcs), ["aws_vpc.parent", "module.child1.aws_vpc.child",
                                    "module.child1.module.grandchild1.aws_vpc.grandchild", "module.child2.aws_vpc.child"]),
        (lambda d: d.region, "us-east-2"),  # the provider's region
    ]),
]


@pytest.mark.parametrize("plan, expected, facts", CORPUS_CASES, ids=[Path(c[0]).parent.name or c[0] for c in CORPUS_CASES])
def test_corpus_plan_is_read(plan: str, expected: dict[str, int], facts: list[tuple[Fact, Any]]) -> None:
    design = read(plan)
    assert design.source.kind == "terraform"
    assert counts(design) == expected
    for fact, value in facts:
        assert fact(design) == value


def test_every_corpus_plan_has_a_case() -> None:
    plans = {str(p.relative_to(PLANS)) for p in PLANS.rglob("*.json")}
    assert plans == {case[0] for case in CORPUS_CASES}


@pytest.mark.parametrize("plan", [c[0] for c in CORPUS_CASES])
def test_validate_runs_on_corpus_plan(plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["validate", str(PLANS / plan)])
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    assert "Traceback" not in captured.err and "internal error" not in captured.err


@pytest.mark.parametrize("plan", [c[0] for c in CORPUS_CASES])
def test_import_round_trip(plan: str, tmp_path: Path) -> None:
    """`vpckit import` of a plan reads back to the same design (names, ids and tags kept)."""
    from vpckit.sources.writer import dump

    design = read(plan)
    path = tmp_path / "imported.yaml"
    path.write_text(dump(design))
    assert load(str(path)) == design


def test_positions_point_at_the_resource_address() -> None:
    design = read(MODULE_VPC)
    position = design.source.positions[("vpcs", M, "subnets", "module.vpc.aws_subnet.private[1]")]
    text = (PLANS / MODULE_VPC).read_text()
    line = text.splitlines()[position.line - 1]
    assert line[position.column - 1:].startswith('"address":"module.vpc.aws_subnet.private[1]"')


# --------------------------------------------------------------------------- a hand-written plan


def _split(address: str) -> tuple[str, str, str, int | str | None]:
    module = _module_of(address)
    rest = address[len(module):].lstrip(".")
    match = re.fullmatch(r'(data\.)?([^.]+)\.([^\[]+)(?:\[(.+)\])?', rest)
    assert match, address
    index: int | str | None = match.group(4)
    if index is not None:
        index = index.strip('"') if index.startswith('"') else int(index)
    return module, match.group(2), match.group(3), index


def make_plan(resources: list[tuple[str, dict[str, Any], list[str]]], config: dict[str, Any],
              region: str = "eu-west-1") -> str:
    """A `terraform show -json` plan: (address, known values, unknown attributes) + configuration."""
    modules: dict[str, list[dict[str, Any]]] = {}
    changes = []
    for address, values, unknown in resources:
        module, kind, name, index = _split(address)
        entry = {"address": address, "mode": "managed", "type": kind, "name": name, "values": values}
        if index is not None:
            entry["index"] = index
        modules.setdefault(module, []).append(entry)
        changes.append({"address": address, "mode": "managed", "type": kind, "name": name,
                        "change": {"actions": ["create"], "before": None, "after": values,
                                   "after_unknown": {k: True for k in unknown}}})
    children = [{"address": m, "resources": r} for m, r in modules.items() if m]
    plan = {
        "format_version": "1.2", "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": modules.get("", []), "child_modules": children}},
        "resource_changes": changes,
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": region}}}},
                          "root_module": config},
    }
    return json.dumps(plan, indent=2)


def ref(*references: str) -> dict[str, Any]:
    return {"references": list(references)}


def cfg(address: str, **expressions: Any) -> dict[str, Any]:
    kind, name = address.split(".")
    return {"address": address, "mode": "managed", "type": kind, "name": name, "expressions": expressions}


HUB = make_plan([
    ("aws_vpc.main", {"cidr_block": "10.0.0.0/16"}, ["id"]),
    ("aws_vpc_ipv4_cidr_block_association.extra", {"cidr_block": "10.1.0.0/16"}, ["id", "vpc_id"]),
    ("aws_subnet.app[0]", {"cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1a"}, ["id", "vpc_id"]),
    ("aws_subnet.app[1]", {"cidr_block": "10.0.2.0/24", "availability_zone": "eu-west-1b"}, ["id", "vpc_id"]),
    ("aws_internet_gateway.gw", {}, ["id", "vpc_id"]),
    ("aws_route_table.public", {"route": [{"cidr_block": "0.0.0.0/0", "gateway_id": None}]},
     ["id", "vpc_id"]),
    ("aws_route_table_association.app[0]", {}, ["id", "subnet_id", "route_table_id"]),
    ("aws_route_table_association.app[1]", {}, ["id", "subnet_id", "route_table_id"]),
    ("aws_route.to_nowhere", {"destination_cidr_block": "192.168.0.0/16"}, ["route_table_id", "gateway_id"]),
    ("aws_default_route_table.main", {"route": []}, ["id", "default_route_table_id"]),
    ("aws_network_acl.app", {"ingress": [], "egress": []}, ["id", "vpc_id", "subnet_ids"]),
    ("aws_network_acl_rule.deny_ssh", {"rule_number": 90, "egress": False, "protocol": "tcp", "rule_action": "deny",
                                       "cidr_block": "0.0.0.0/0", "from_port": 22, "to_port": 22}, ["network_acl_id"]),
    ("aws_network_acl_rule.allow_all", {"rule_number": 100, "egress": False, "protocol": "-1", "rule_action": "allow",
                                        "cidr_block": "0.0.0.0/0", "from_port": 0, "to_port": 0}, ["network_acl_id"]),
    ("aws_ec2_managed_prefix_list.office", {"address_family": "IPv4", "max_entries": 5, "name": "office",
                                            "entry": [{"cidr": "203.0.113.0/24"}]}, ["id"]),
    ("aws_security_group.lb", {"ingress": [], "egress": []}, ["id", "vpc_id"]),
    # A rule naming a group created in the same plan makes the whole ingress set unknown.
    ("aws_security_group.web", {"egress": []}, ["id", "vpc_id", "ingress"]),
    ("aws_security_group_rule.office", {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp"},
     ["security_group_id", "prefix_list_ids"]),
    ("aws_vpc_security_group_egress_rule.dns", {"ip_protocol": "udp", "from_port": 53, "to_port": 53,
                                                "cidr_ipv4": "10.0.0.2/32"}, ["security_group_id"]),
    ("aws_vpc_endpoint.s3", {"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway"},
     ["id", "vpc_id", "route_table_ids"]),
    ("aws_ec2_transit_gateway.tgw", {"amazon_side_asn": 64512, "default_route_table_association": "disable",
                                     "default_route_table_propagation": "disable"}, ["id"]),
    ("aws_ec2_transit_gateway_vpc_attachment.main", {"appliance_mode_support": "enable"},
     ["id", "vpc_id", "subnet_ids", "transit_gateway_id"]),
    ("aws_ec2_transit_gateway_route_table.spokes", {}, ["id", "transit_gateway_id"]),
    ("aws_ec2_transit_gateway_route_table_association.main", {}, ["transit_gateway_attachment_id",
                                                                   "transit_gateway_route_table_id"]),
    ("aws_ec2_transit_gateway_route_table_propagation.main", {}, ["transit_gateway_attachment_id",
                                                                  "transit_gateway_route_table_id"]),
    ("aws_ec2_transit_gateway_route.default", {"destination_cidr_block": "0.0.0.0/0", "blackhole": False},
     ["transit_gateway_attachment_id", "transit_gateway_route_table_id"]),
    ("aws_vpc_peering_connection.to_net", {"auto_accept": True}, ["id", "vpc_id", "peer_vpc_id"]),
    ("aws_instance.web[0]", {"private_ip": "10.0.1.10", "source_dest_check": False}, ["id", "subnet_id",
                                                                                       "vpc_security_group_ids"]),
    ("aws_eip.web", {"domain": "vpc"}, ["id", "public_ip", "instance"]),
    ("module.net.aws_vpc.this", {"cidr_block": "10.2.0.0/16"}, ["id"]),
    ('module.net.aws_subnet.private["a"]', {"cidr_block": "10.2.1.0/24", "availability_zone": "eu-west-1a"},
     ["id", "vpc_id"]),
    ('module.net.aws_subnet.private["b"]', {"cidr_block": "10.2.2.0/24", "availability_zone": "eu-west-1b"},
     ["id", "vpc_id"]),
    ('module.net.aws_nat_gateway.this["b"]', {"connectivity_type": "private"}, ["id", "subnet_id"]),
    ("module.net.aws_security_group.db", {"ingress": [], "egress": []}, ["id", "vpc_id"]),
], {
    "resources": [
        cfg("aws_vpc.main", cidr_block={"constant_value": "10.0.0.0/16"}),
        cfg("aws_vpc_ipv4_cidr_block_association.extra", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main")),
        cfg("aws_subnet.app", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main"), cidr_block=ref("count.index")),
        cfg("aws_internet_gateway.gw", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main")),
        {**cfg("aws_route_table.public", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main")),
         "expressions": {"vpc_id": ref("aws_vpc.main.id", "aws_vpc.main"),
                         "route": [{"cidr_block": {"constant_value": "0.0.0.0/0"},
                                    "gateway_id": ref("aws_internet_gateway.gw.id", "aws_internet_gateway.gw")}]}},
        cfg("aws_route_table_association.app", subnet_id=ref("aws_subnet.app", "count.index"),
            route_table_id=ref("aws_route_table.public.id", "aws_route_table.public")),
        cfg("aws_route.to_nowhere", route_table_id=ref("aws_route_table.public.id", "aws_route_table.public"),
            gateway_id=ref("var.gateway_id")),
        cfg("aws_default_route_table.main", default_route_table_id=ref("aws_vpc.main.default_route_table_id",
                                                                       "aws_vpc.main")),
        cfg("aws_network_acl.app", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main"),
            subnet_ids=ref("aws_subnet.app")),
        cfg("aws_network_acl_rule.deny_ssh", network_acl_id=ref("aws_network_acl.app.id", "aws_network_acl.app")),
        cfg("aws_network_acl_rule.allow_all", network_acl_id=ref("aws_network_acl.app.id", "aws_network_acl.app")),
        cfg("aws_ec2_managed_prefix_list.office"),
        cfg("aws_security_group.lb", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main")),
        {**cfg("aws_security_group.web"),
         "expressions": {"vpc_id": ref("aws_vpc.main.id", "aws_vpc.main"),
                         "ingress": [{"from_port": {"constant_value": 443}, "to_port": {"constant_value": 443},
                                      "protocol": {"constant_value": "tcp"},
                                      "security_groups": ref("aws_security_group.lb.id", "aws_security_group.lb")},
                                     {"from_port": {"constant_value": 8080}, "to_port": ref("var.port"),
                                      "protocol": {"constant_value": "tcp"}, "cidr_blocks": {"constant_value": ["10.0.0.0/8"]}}]}},
        cfg("aws_security_group_rule.office", security_group_id=ref("aws_security_group.web.id", "aws_security_group.web"),
            prefix_list_ids=ref("aws_ec2_managed_prefix_list.office.id", "aws_ec2_managed_prefix_list.office")),
        cfg("aws_vpc_security_group_egress_rule.dns",
            security_group_id=ref("aws_security_group.web.id", "aws_security_group.web")),
        cfg("aws_vpc_endpoint.s3", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main"),
            route_table_ids=ref("aws_route_table.public.id", "aws_route_table.public")),
        cfg("aws_ec2_transit_gateway.tgw"),
        cfg("aws_ec2_transit_gateway_vpc_attachment.main", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main"),
            subnet_ids=ref("aws_subnet.app"), transit_gateway_id=ref("aws_ec2_transit_gateway.tgw.id",
                                                                     "aws_ec2_transit_gateway.tgw")),
        cfg("aws_ec2_transit_gateway_route_table.spokes",
            transit_gateway_id=ref("aws_ec2_transit_gateway.tgw.id", "aws_ec2_transit_gateway.tgw")),
        *[cfg(f"aws_ec2_transit_gateway_route_table_{kind}.main",
              transit_gateway_attachment_id=ref("aws_ec2_transit_gateway_vpc_attachment.main.id",
                                                "aws_ec2_transit_gateway_vpc_attachment.main"),
              transit_gateway_route_table_id=ref("aws_ec2_transit_gateway_route_table.spokes.id",
                                                 "aws_ec2_transit_gateway_route_table.spokes"))
          for kind in ("association", "propagation")],
        cfg("aws_ec2_transit_gateway_route.default",
            transit_gateway_attachment_id=ref("aws_ec2_transit_gateway_vpc_attachment.main.id",
                                              "aws_ec2_transit_gateway_vpc_attachment.main"),
            transit_gateway_route_table_id=ref("aws_ec2_transit_gateway_route_table.spokes.id",
                                               "aws_ec2_transit_gateway_route_table.spokes")),
        cfg("aws_vpc_peering_connection.to_net", vpc_id=ref("aws_vpc.main.id", "aws_vpc.main"),
            peer_vpc_id=ref("module.net.vpc_id", "module.net")),
        cfg("aws_instance.web", subnet_id=ref("aws_subnet.app", "count.index"),
            vpc_security_group_ids=ref("aws_security_group.web.id", "aws_security_group.web")),
        cfg("aws_eip.web", instance=ref("aws_instance.web[0].id", "aws_instance.web[0]")),
    ],
    "module_calls": {"net": {"source": "./net", "expressions": {"cidr": {"constant_value": "10.2.0.0/16"}}, "module": {
        "outputs": {"vpc_id": {"expression": ref("aws_vpc.this.id", "aws_vpc.this")}},
        "resources": [
            cfg("aws_vpc.this", cidr_block=ref("var.cidr")),
            cfg("aws_subnet.private", vpc_id=ref("aws_vpc.this.id", "aws_vpc.this"), cidr_block=ref("each.value")),
            cfg("aws_nat_gateway.this", subnet_id=ref("aws_subnet.private", "each.key")),
            cfg("aws_security_group.db", vpc_id=ref("var.vpc_id")),
        ],
        "variables": {"cidr": {}, "vpc_id": {}},
    }}},
})


@pytest.fixture(scope="module")
def hub() -> Design:
    return loads(HUB, "hub.json")


HUB_FACTS: list[tuple[str, Fact, Any]] = [
    ("VPCs, module flattened", lambda d: sorted(d.vpcs), ["aws_vpc.main", "module.net.aws_vpc.this"]),
    ("secondary CIDR", lambda d: [str(c) for c in d.vpcs["aws_vpc.main"].secondary_cidrs], ["10.1.0.0/16"]),
    ("unknown vpc_id → referenced VPC", lambda d: sorted(d.vpcs["aws_vpc.main"].subnets),
     ["aws_subnet.app[0]", "aws_subnet.app[1]"]),
    ("inline route, unknown gateway_id", lambda d: routes(d, "aws_vpc.main", "aws_route_table.public"),
     [("0.0.0.0/0", "aws_internet_gateway.gw")]),
    ("association by count.index", lambda d: d.vpcs["aws_vpc.main"].subnets["aws_subnet.app[1]"].route_table,
     "aws_route_table.public"),
    ("default route table is the main one", lambda d: d.vpcs["aws_vpc.main"].main_route_table,
     "aws_default_route_table.main"),
    ("NACL rules and subnet_ids", lambda d: (
        sorted((r.rule, r.action, str(r.ports)) for r in d.vpcs["aws_vpc.main"].network_acls["aws_network_acl.app"].ingress),
        d.vpcs["aws_vpc.main"].subnets["aws_subnet.app[0]"].network_acl),
     ([(90, "deny", "22"), (100, "allow", "None")], "aws_network_acl.app")),
    ("inline rule → group by reference", lambda d: rules(d, "aws_vpc.main", "aws_security_group.web"), [
        {"protocol": "tcp", "ports": 443, "source": "aws_security_group.lb"},
        {"protocol": "tcp", "ports": 22, "source": "aws_ec2_managed_prefix_list.office"}]),
    ("egress rule resource", lambda d: rules(d, "aws_vpc.main", "aws_security_group.web", "egress"),
     [{"protocol": "udp", "ports": 53, "destination": "10.0.0.2/32"}]),
    ("prefix list", lambda d: [str(c) for c in d.prefix_lists["aws_ec2_managed_prefix_list.office"].cidrs],
     ["203.0.113.0/24"]),
    ("gateway endpoint", lambda d: d.vpcs["aws_vpc.main"].endpoints["aws_vpc_endpoint.s3"].model_dump(
        include={"type", "route_tables"}), {"type": "gateway", "route_tables": ["aws_route_table.public"]}),
    ("transit gateway", lambda d: d.transit_gateways["aws_ec2_transit_gateway.tgw"].attachments[
        "aws_ec2_transit_gateway_vpc_attachment.main"].model_dump(
        include={"vpc", "subnets", "route_table", "propagate_to", "appliance_mode"}),
     {"vpc": "aws_vpc.main", "subnets": ["aws_subnet.app[0]", "aws_subnet.app[1]"],
      "route_table": "aws_ec2_transit_gateway_route_table.spokes",
      "propagate_to": ["aws_ec2_transit_gateway_route_table.spokes"], "appliance_mode": True}),
    ("TGW route", lambda d: [(str(r.destination), r.attachment) for r in d.transit_gateways[
        "aws_ec2_transit_gateway.tgw"].route_tables["aws_ec2_transit_gateway_route_table.spokes"].routes],
     [("0.0.0.0/0", "aws_ec2_transit_gateway_vpc_attachment.main")]),
    ("peering through a module output", lambda d: d.peering_connections["aws_vpc_peering_connection.to_net"].model_dump(
        include={"requester", "accepter", "state"}),
     {"requester": "aws_vpc.main", "accepter": "module.net.aws_vpc.this", "state": "active"}),
    ("instance, EIP", lambda d: (lambda i: (i.subnet, i.security_groups, i.source_dest_check, i.public_ip))(
        d.vpcs["aws_vpc.main"].instances["aws_instance.web[0]"]),
     ("aws_subnet.app[0]", ["aws_security_group.web"], False, True)),
    ("for_each matched by each.key", lambda d: d.vpcs["module.net.aws_vpc.this"].nat_gateways[
        'module.net.aws_nat_gateway.this["b"]'].subnet, 'module.net.aws_subnet.private["b"]'),
    ("region from the provider", lambda d: d.region, "eu-west-1"),
]


@pytest.mark.parametrize("fact, expected", [f[1:] for f in HUB_FACTS], ids=[f[0] for f in HUB_FACTS])
def test_hand_written_plan(hub: Design, fact: Fact, expected: Any) -> None:
    assert fact(hub) == expected


def test_vpn_gateway_route_propagation() -> None:
    plan = make_plan([
        ("aws_vpc.v", {"cidr_block": "10.0.0.0/16"}, ["id"]),
        ("aws_vpn_gateway.vgw", {"amazon_side_asn": "64512"}, ["id", "vpc_id"]),
        ("aws_route_table.private", {"route": []}, ["id", "vpc_id"]),
        ("aws_vpn_gateway_route_propagation.private", {}, ["vpn_gateway_id", "route_table_id"]),
    ], {"resources": [
        cfg("aws_vpn_gateway.vgw", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")),
        cfg("aws_route_table.private", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")),
        cfg("aws_vpn_gateway_route_propagation.private", vpn_gateway_id=ref("aws_vpn_gateway.vgw.id", "aws_vpn_gateway.vgw"),
            route_table_id=ref("aws_route_table.private.id", "aws_route_table.private")),
    ]})
    vpc = loads(plan, "vpn.json").vpcs["aws_vpc.v"]
    assert vpc.route_tables["aws_route_table.private"].propagating_vpn_gateways == ["aws_vpn_gateway.vgw"]  # RT-14
    assert vpc.vpn_gateways["aws_vpn_gateway.vgw"].asn == 64512


def test_region_option_overrides_the_provider() -> None:
    assert loads(HUB, "hub.json", region="ap-south-1").region == "ap-south-1"


def test_unresolvable_values_are_warnings_naming_the_address(hub: Design) -> None:
    # The second inline rule's to_port comes from a variable: not read (never "all ports").
    assert warned(hub, "aws_security_group.web", "ports of an ingress rule are not known")
    # gateway_id = var.gateway_id of the root module: unknown, and nothing to follow. Not guessed.
    assert warned(hub, "aws_route.to_nowhere", "var.gateway_id")
    assert ("192.168.0.0/16", "aws_internet_gateway.gw") not in routes(hub, "aws_vpc.main", "aws_route_table.public")
    # vpc_id = var.vpc_id, but the module call gives no vpc_id: the group is not placed anywhere.
    assert warned(hub, "module.net.aws_security_group.db", "var.vpc_id")
    assert "module.net.aws_security_group.db" not in hub.vpcs["module.net.aws_vpc.this"].security_groups


def test_count_index_beyond_the_targets_wraps_like_element() -> None:
    # Two NAT gateways for three route tables: element(list, i) wraps around.
    plan = make_plan([
        ("aws_vpc.v", {"cidr_block": "10.0.0.0/16"}, ["id"]),
        ("aws_subnet.s", {"cidr_block": "10.0.0.0/24", "availability_zone": "eu-west-1a"}, ["vpc_id"]),
        ("aws_nat_gateway.n[0]", {}, ["id", "subnet_id"]),
        ("aws_nat_gateway.n[1]", {}, ["id", "subnet_id"]),
        *[(f"aws_route_table.r[{i}]", {"route": []}, ["id", "vpc_id"]) for i in range(3)],
        *[(f"aws_route.r[{i}]", {"destination_cidr_block": "0.0.0.0/0"}, ["route_table_id", "nat_gateway_id"])
          for i in range(3)],
    ], {"resources": [
        cfg("aws_subnet.s", vpc_id=ref("aws_vpc.v")), cfg("aws_nat_gateway.n", subnet_id=ref("aws_subnet.s")),
        cfg("aws_route_table.r", vpc_id=ref("aws_vpc.v")),
        cfg("aws_route.r", route_table_id=ref("aws_route_table.r", "count.index"),
            nat_gateway_id=ref("aws_nat_gateway.n", "var.single_nat_gateway", "count.index")),
    ]})
    design = loads(plan, "single-nat.json")
    assert routes(design, "aws_vpc.v", "aws_route_table.r[1]") == [("0.0.0.0/0", "aws_nat_gateway.n[1]")]
    assert routes(design, "aws_vpc.v", "aws_route_table.r[2]") == [("0.0.0.0/0", "aws_nat_gateway.n[0]")]
    assert warned(design, "aws_route.r[2]", "modulo 2") and not warned(design, "aws_route.r[1]")


def test_state_file_links_by_known_ids() -> None:
    state = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
        {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v",
         "values": {"id": "vpc-0a", "cidr_block": "10.0.0.0/16", "tags": {"Name": "prod"}}},
        {"address": "aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s",
         "values": {"id": "subnet-0b", "vpc_id": "vpc-0a", "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a"}},
        {"address": "aws_default_network_acl.d", "mode": "managed", "type": "aws_default_network_acl", "name": "d",
         "values": {"id": "acl-0c", "vpc_id": "vpc-0a", "subnet_ids": ["subnet-0b"], "egress": [], "ingress": [
             {"rule_no": 100, "action": "allow", "protocol": "6", "cidr_block": "10.0.0.0/8", "from_port": 443,
              "to_port": 443, "icmp_code": 0, "icmp_type": 0, "ipv6_cidr_block": ""}]}},
    ]}}}
    design = loads(json.dumps(state), "terraform.tfstate.json")
    vpc = design.vpcs["aws_vpc.v"]
    assert (vpc.id, vpc.tags, vpc.subnets["aws_subnet.s"].id) == ("vpc-0a", {"Name": "prod"}, "subnet-0b")
    assert vpc.default_network_acl == "aws_default_network_acl.d"
    assert vpc.subnets["aws_subnet.s"].network_acl == "aws_default_network_acl.d"
    assert [(r.rule, r.protocol, str(r.ports)) for r in vpc.network_acls["aws_default_network_acl.d"].ingress] == [
        (100, 6, "443")]


def test_empty_state_is_an_empty_design() -> None:
    design = loads('{"format_version": "1.0", "terraform_version": "1.9.5"}', "empty.json")
    assert design.vpcs == {} and design.source.warnings == ["empty.json: an empty state (no resources)"]


@pytest.mark.parametrize("text, message, where", [
    ('{"format_version": "1.2",\n "planned_values": {,}}', "invalid JSON", ":2:21"),
    ('{"format_version": "1.2"}', "not the output of `terraform show -json`", ":1:1"),
])
def test_bad_plan_is_exit_2_with_position(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          text: str, message: str, where: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text)
    with pytest.raises(InputError, match=re.escape(message)):
        load(str(path), "terraform")
    assert main(["validate", str(path), "--input-format", "terraform"]) == 2
    err = capsys.readouterr().err
    assert f"{path}{where}: " in err and message in err


@pytest.mark.parametrize("path", [
    ("planned_values", "root_module", "resources", 0, "values"),
    ("planned_values", "root_module", "child_modules"),
    ("resource_changes", 2, "change"),
    ("configuration", "root_module", "resources", 3, "expressions"),
    ("configuration", "root_module", "module_calls", "net", "module", "outputs"),
    ("configuration", "provider_config"),
])
@pytest.mark.parametrize("garbage", [None, 5, "x", [1, "a"], {"references": 5, "resources": "x"}])
def test_unexpected_shapes_never_crash(path: tuple, garbage: Any) -> None:
    plan = json.loads(HUB)
    node = plan
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = garbage
    try:
        design = loads(json.dumps(plan), "odd.json")
    except InputError:
        return
    assert isinstance(design, Design)


@pytest.mark.parametrize("path", sorted((CORPUS / "terraform" / "hcl").rglob("*.tf"))[:2]
                         + [CORPUS / "terraform" / "hcl" / "terraform-aws-vpc" / "examples" / "complete",
                            PLANS / "regula/rego/tests/rules/tf/aws/security_group/inputs/ingress_anywhere_infra.tf"],
                         ids=lambda p: p.name)
def test_terraform_configuration_says_how_to_get_a_plan(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cannot tell what kind of input this is" in err and "terraform show -json" in err


def test_reachability_on_a_read_plan(capsys: pytest.CaptureFixture[str]) -> None:
    """The module-expanded plan answers reachability end to end: private subnet → its AZ's NAT → IGW."""
    status = main(["reach", str(PLANS / MODULE_VPC), "--from", "module.vpc.aws_subnet.private[1]", "--to", "internet",
                   "--port", "443", "--format", "json"])
    answer = json.loads(capsys.readouterr().out)
    assert status == 0 and answer["verdict"] == "reachable"
    hops = [hop["component"] for hop in answer["forward"]]
    assert f"nat:{M}/module.vpc.aws_nat_gateway.this[1]" in hops and f"igw:{M}/module.vpc.aws_internet_gateway.this[0]" in hops


def test_primary_network_interface_is_read_as_part_of_its_instance() -> None:
    plan = make_plan([
        ("aws_vpc.v", {"cidr_block": "10.0.0.0/16"}, ["id"]),
        ("aws_subnet.s", {"cidr_block": "10.0.0.0/24", "availability_zone": "eu-west-1a"}, ["id", "vpc_id"]),
        ("aws_network_interface.eth0", {"private_ips": ["10.0.0.20", "10.0.0.21"], "source_dest_check": False},
         ["id", "subnet_id"]),
        ("aws_instance.fw", {"network_interface": [{"device_index": 0}]}, ["id", "subnet_id"]),
    ], {"resources": [
        cfg("aws_subnet.s", vpc_id=ref("aws_vpc.v")),
        cfg("aws_network_interface.eth0", subnet_id=ref("aws_subnet.s")),
        {**cfg("aws_instance.fw"), "expressions": {"network_interface": [
            {"device_index": {"constant_value": 0},
             "network_interface_id": ref("aws_network_interface.eth0.id", "aws_network_interface.eth0")}]}},
    ]})
    vpc = loads(plan, "firewall.json").vpcs["aws_vpc.v"]
    firewall = vpc.instances["aws_instance.fw"]
    assert (firewall.subnet, str(firewall.private_ip), [str(a) for a in firewall.secondary_private_ips]) == (
        "aws_subnet.s", "10.0.0.20", ["10.0.0.21"])
    assert firewall.source_dest_check is False and not vpc.network_interfaces  # ENI-01: one interface, not two


EDGES = make_plan([
    ("aws_vpc.a", {"cidr_block": "10.0.0.0/16"}, ["id"]),
    ("aws_vpc.b", {"cidr_block": "10.9.0.0/16"}, ["id"]),
    ("aws_vpc_ipv6_cidr_block_association.a", {"ipv6_cidr_block": "2600:1f18:2::/56"}, ["id", "vpc_id"]),
    ("aws_subnet.a", {"cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1a"}, ["id", "vpc_id"]),
    ("aws_internet_gateway.gw", {}, ["id"]),
    ("aws_internet_gateway_attachment.gw", {}, ["internet_gateway_id", "vpc_id"]),
    ("aws_egress_only_internet_gateway.eigw", {}, ["id", "vpc_id"]),
    ("aws_route_table.r", {"route": [{"ipv6_cidr_block": "::/0"}]}, ["id", "vpc_id"]),
    ("aws_main_route_table_association.a", {}, ["vpc_id", "route_table_id"]),
    ("aws_network_acl.n", {}, ["id", "vpc_id", "ingress", "egress"]),
    ("aws_network_acl_association.a", {}, ["network_acl_id", "subnet_id"]),
    ("aws_default_security_group.a", {}, ["id", "vpc_id", "ingress", "egress"]),
    ("aws_network_interface.eni", {"private_ips": ["10.0.1.50"]}, ["id", "subnet_id"]),
    ("aws_eip.e", {"domain": "vpc"}, ["id", "public_ip"]),
    ("aws_eip_association.e", {}, ["allocation_id", "network_interface_id"]),
    ("aws_ec2_managed_prefix_list.p", {"address_family": "IPv4", "max_entries": 2}, ["id", "entry"]),
    ("aws_ec2_managed_prefix_list_entry.p", {"cidr": "192.0.2.0/24"}, ["prefix_list_id"]),
    ("aws_vpc_endpoint.s3", {"service_name": "com.amazonaws.eu-west-1.s3"}, ["id", "vpc_id", "vpc_endpoint_type"]),
    ("aws_vpc_endpoint_route_table_association.s3", {}, ["vpc_endpoint_id", "route_table_id"]),
    ("aws_vpc_peering_connection.ab", {"auto_accept": False}, ["id", "vpc_id", "peer_vpc_id"]),
    ("aws_vpc_peering_connection_accepter.ab", {"auto_accept": True}, ["vpc_peering_connection_id"]),
], {"resources": [
    cfg("aws_vpc_ipv6_cidr_block_association.a", vpc_id=ref("aws_vpc.a.id", "aws_vpc.a")),
    cfg("aws_subnet.a", vpc_id=ref("aws_vpc.a.id", "aws_vpc.a")),
    cfg("aws_internet_gateway.gw"),
    cfg("aws_internet_gateway_attachment.gw", internet_gateway_id=ref("aws_internet_gateway.gw.id", "aws_internet_gateway.gw"),
        vpc_id=ref("aws_vpc.a.id", "aws_vpc.a")),
    cfg("aws_egress_only_internet_gateway.eigw", vpc_id=ref("aws_vpc.a.id", "aws_vpc.a")),
    {**cfg("aws_route_table.r"), "expressions": {
        "vpc_id": ref("aws_vpc.a.id", "aws_vpc.a"),
        "route": [{"ipv6_cidr_block": {"constant_value": "::/0"},
                   "egress_only_gateway_id": ref("aws_egress_only_internet_gateway.eigw.id",
                                                 "aws_egress_only_internet_gateway.eigw")}]}},
    cfg("aws_main_route_table_association.a", vpc_id=ref("aws_vpc.a.id", "aws_vpc.a"),
        route_table_id=ref("aws_route_table.r.id", "aws_route_table.r")),
    {**cfg("aws_network_acl.n"), "expressions": {
        "vpc_id": ref("aws_vpc.a.id", "aws_vpc.a"),
        "ingress": [{"rule_no": {"constant_value": 100}, "action": {"constant_value": "allow"},
                     "protocol": {"constant_value": "icmp"}, "cidr_block": {"constant_value": "10.0.0.0/8"},
                     "from_port": {"constant_value": 0}, "to_port": {"constant_value": 0},
                     "icmp_type": {"constant_value": 8}, "icmp_code": {"constant_value": -1}}]}},
    cfg("aws_network_acl_association.a", network_acl_id=ref("aws_network_acl.n.id", "aws_network_acl.n"),
        subnet_id=ref("aws_subnet.a.id", "aws_subnet.a")),
    {**cfg("aws_default_security_group.a"), "expressions": {
        "vpc_id": ref("aws_vpc.a.id", "aws_vpc.a"),
        "ingress": [{"protocol": {"constant_value": "-1"}, "from_port": {"constant_value": 0},
                     "to_port": {"constant_value": 0}, "self": {"constant_value": True}}]}},
    cfg("aws_network_interface.eni", subnet_id=ref("aws_subnet.a.id", "aws_subnet.a")),
    cfg("aws_eip_association.e", allocation_id=ref("aws_eip.e.id", "aws_eip.e"),
        network_interface_id=ref("aws_network_interface.eni.id", "aws_network_interface.eni")),
    cfg("aws_ec2_managed_prefix_list_entry.p", prefix_list_id=ref("aws_ec2_managed_prefix_list.p.id",
                                                                  "aws_ec2_managed_prefix_list.p")),
    cfg("aws_vpc_endpoint.s3", vpc_id=ref("aws_vpc.a.id", "aws_vpc.a")),
    cfg("aws_vpc_endpoint_route_table_association.s3", vpc_endpoint_id=ref("aws_vpc_endpoint.s3.id", "aws_vpc_endpoint.s3"),
        route_table_id=ref("aws_route_table.r.id", "aws_route_table.r")),
    cfg("aws_vpc_peering_connection.ab", vpc_id=ref("aws_vpc.a.id", "aws_vpc.a"), peer_vpc_id=ref("aws_vpc.b.id", "aws_vpc.b")),
    cfg("aws_vpc_peering_connection_accepter.ab",
        vpc_peering_connection_id=ref("aws_vpc_peering_connection.ab.id", "aws_vpc_peering_connection.ab")),
]})

EDGE_FACTS: list[tuple[str, Fact, Any]] = [
    ("IPv6 association", lambda d: [str(c) for c in d.vpcs["aws_vpc.a"].ipv6_cidrs], ["2600:1f18:2::/56"]),
    ("IGW attachment", lambda d: sorted(d.vpcs["aws_vpc.a"].internet_gateways), ["aws_internet_gateway.gw"]),
    ("inline IPv6 route from configuration", lambda d: routes(d, "aws_vpc.a", "aws_route_table.r"),
     [("::/0", "aws_egress_only_internet_gateway.eigw")]),
    ("main route table association", lambda d: d.vpcs["aws_vpc.a"].main_route_table, "aws_route_table.r"),
    ("NACL from configuration, ICMP type", lambda d: [
        (r.rule, r.protocol, r.icmp_type, r.icmp_code) for r in d.vpcs["aws_vpc.a"].network_acls["aws_network_acl.n"].ingress],
     [(100, 1, 8, None)]),
    ("NACL association", lambda d: d.vpcs["aws_vpc.a"].subnets["aws_subnet.a"].network_acl, "aws_network_acl.n"),
    ("default security group with self rule", lambda d: (
        d.vpcs["aws_vpc.a"].default_security_group, rules(d, "aws_vpc.a", "aws_default_security_group.a")),
     ("aws_default_security_group.a", [{"protocol": "all", "source": "aws_default_security_group.a"}])),
    ("EIP association gives the ENI a public address", lambda d: d.vpcs["aws_vpc.a"].network_interfaces[
        "aws_network_interface.eni"].public_ip, True),
    ("prefix list entry", lambda d: (lambda p: ([str(c) for c in p.cidrs], p.max_entries))(
        d.prefix_lists["aws_ec2_managed_prefix_list.p"]), (["192.0.2.0/24"], 2)),
    ("endpoint route table association", lambda d: d.vpcs["aws_vpc.a"].endpoints["aws_vpc_endpoint.s3"].model_dump(
        include={"type", "route_tables"}), {"type": "gateway", "route_tables": ["aws_route_table.r"]}),
    ("peering accepted by the accepter", lambda d: d.peering_connections["aws_vpc_peering_connection.ab"].model_dump(
        include={"requester", "accepter", "state"}), {"requester": "aws_vpc.a", "accepter": "aws_vpc.b", "state": "active"}),
]


@pytest.mark.parametrize("fact, expected", [f[1:] for f in EDGE_FACTS], ids=[f[0] for f in EDGE_FACTS])
def test_relationship_resources(fact: Fact, expected: Any) -> None:
    assert fact(loads(EDGES, "edges.json")) == expected


# --------------------------------------------------------------------------- fields the security rules read

SECURITY = make_plan([
    ("aws_vpc.logged", {"cidr_block": "10.0.0.0/16"}, ["id"]),
    ("aws_vpc.bare", {"cidr_block": "10.1.0.0/16"}, ["id"]),
    ("aws_vpc.subnet_logged", {"cidr_block": "10.2.0.0/16"}, ["id"]),
    ("aws_default_vpc.default", {}, ["id", "cidr_block"]),
    ("aws_subnet.a", {"cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1a"}, ["id", "vpc_id"]),
    ("aws_subnet.c", {"cidr_block": "10.2.1.0/24", "availability_zone": "eu-west-1a"}, ["id", "vpc_id"]),
    ("aws_flow_log.vpc", {"traffic_type": "ALL", "log_destination_type": "cloud-watch-logs"},
     ["id", "vpc_id", "log_destination"]),
    ("aws_flow_log.subnet", {"traffic_type": "REJECT", "log_destination_type": "s3"}, ["id", "subnet_id"]),
    ("aws_ec2_transit_gateway.open", {"auto_accept_shared_attachments": "enable"}, ["id"]),
    ("aws_ec2_transit_gateway.reviewed", {"auto_accept_shared_attachments": "disable"}, ["id"]),
    ("aws_instance.web", {}, ["id", "subnet_id"]),
    ("aws_nat_gateway.n", {}, ["id", "subnet_id", "allocation_id"]),
    ("aws_eip.spare", {"domain": "vpc"}, ["id", "public_ip"]),
    ("aws_eip.web", {"domain": "vpc"}, ["id", "public_ip", "instance"]),
    ("aws_eip.nat", {"domain": "vpc"}, ["id", "public_ip"]),
    ("aws_eip.later", {"domain": "vpc"}, ["id", "public_ip"]),
    ("aws_eip_association.later", {}, ["allocation_id", "instance_id"]),
], {"resources": [
    cfg("aws_subnet.a", vpc_id=ref("aws_vpc.logged.id", "aws_vpc.logged")),
    cfg("aws_subnet.c", vpc_id=ref("aws_vpc.subnet_logged.id", "aws_vpc.subnet_logged")),
    cfg("aws_flow_log.vpc", vpc_id=ref("aws_vpc.logged.id", "aws_vpc.logged"),
        traffic_type={"constant_value": "ALL"}),
    cfg("aws_flow_log.subnet", subnet_id=ref("aws_subnet.c.id", "aws_subnet.c")),
    cfg("aws_instance.web", subnet_id=ref("aws_subnet.a.id", "aws_subnet.a")),
    cfg("aws_nat_gateway.n", subnet_id=ref("aws_subnet.a.id", "aws_subnet.a"),
        allocation_id=ref("aws_eip.nat.id", "aws_eip.nat")),
    cfg("aws_eip.web", instance=ref("aws_instance.web.id", "aws_instance.web")),
    cfg("aws_eip_association.later", allocation_id=ref("aws_eip.later.id", "aws_eip.later"),
        instance_id=ref("aws_instance.web.id", "aws_instance.web")),
]})


@pytest.fixture(scope="module")
def secured() -> Design:
    return loads(SECURITY, "security.json")


def fired(design: Design, rule_id: str) -> list[str]:
    from vpckit.checks import RULES, load_rules
    from vpckit.checks.registry import CheckContext

    load_rules()
    return sorted(f.resource for f in RULES[rule_id].check(CheckContext(design)))


@pytest.mark.parametrize("rule_id, resources", [
    # aws_flow_log with vpc_id (known after apply, followed through its reference): a VPC flow log. A
    # subnet flow log covers one subnet, not the VPC (Security Hub EC2.6): the VPC still has none.
    ("VPC009", ["vpc aws_vpc.bare", "vpc aws_vpc.subnet_logged", "vpc aws_default_vpc.default"]),
    ("VPC008", ["vpc aws_default_vpc.default"]),  # aws_default_vpc is the Region's default VPC
    ("NET003", ["transit gateway aws_ec2_transit_gateway.open"]),  # "enable"; "disable" is AWS's default
    # aws_eip.web (instance), .nat (a NAT's allocation_id) and .later (aws_eip_association) are in use.
    ("NET004", ["elastic ip aws_eip.spare"]),
], ids=["VPC009", "VPC008", "NET003", "NET004"])
def test_security_rules_on_a_plan(secured: Design, rule_id: str, resources: list[str]) -> None:
    assert fired(secured, rule_id) == sorted(resources)


SECURITY_FACTS: list[tuple[str, Fact, Any]] = [
    ("VPC flow log", lambda d: d.vpcs["aws_vpc.logged"].flow_logs["aws_flow_log.vpc"].model_dump(
        include={"traffic_type", "destination_type"}), {"traffic_type": "ALL", "destination_type": "cloud-watch-logs"}),
    ("subnet flow log: said, not read", lambda d: (d.vpcs["aws_vpc.subnet_logged"].flow_logs,
                                                   warned(d, "aws_flow_log.subnet", "not a VPC flow log")), ({}, True)),
    ("default VPC", lambda d: (d.vpcs["aws_default_vpc.default"].is_default, str(d.vpcs["aws_default_vpc.default"].cidr),
                               d.vpcs["aws_vpc.logged"].is_default), (True, "172.31.0.0/16", False)),
    ("auto-accept", lambda d: {n: t.auto_accept_shared_attachments for n, t in d.transit_gateways.items()},
     {"aws_ec2_transit_gateway.open": True, "aws_ec2_transit_gateway.reviewed": False}),
    ("elastic IPs and their associations", lambda d: {
        n: e.model_dump(include={"instance", "nat_gateway", "vpc"}, exclude_none=True) for n, e in d.elastic_ips.items()},
     {"aws_eip.spare": {}, "aws_eip.web": {"instance": "aws_instance.web", "vpc": "aws_vpc.logged"},
      "aws_eip.nat": {"nat_gateway": "aws_nat_gateway.n", "vpc": "aws_vpc.logged"},
      "aws_eip.later": {"instance": "aws_instance.web", "vpc": "aws_vpc.logged"}}),
    ("implicit default VPC is the default VPC", lambda d: read(EDGE_PORTS).vpcs["default-vpc"].is_default, True),
]


@pytest.mark.parametrize("fact, expected", [f[1:] for f in SECURITY_FACTS], ids=[f[0] for f in SECURITY_FACTS])
def test_security_fields(secured: Design, fact: Fact, expected: Any) -> None:
    assert fact(secured) == expected


def test_state_eip_and_nat_by_known_ids() -> None:
    """A state links a NAT gateway's allocation_id to its aws_eip by AWS id; an associated EIP is not NET004."""
    state = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
        {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v",
         "values": {"id": "vpc-0a", "cidr_block": "10.0.0.0/16"}},
        {"address": "aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s",
         "values": {"id": "subnet-0b", "vpc_id": "vpc-0a", "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a"}},
        {"address": "aws_nat_gateway.n", "mode": "managed", "type": "aws_nat_gateway", "name": "n",
         "values": {"id": "nat-0c", "subnet_id": "subnet-0b", "allocation_id": "eipalloc-0d", "public_ip": "198.51.100.4"}},
        {"address": "aws_eip.nat", "mode": "managed", "type": "aws_eip", "name": "nat",
         "values": {"id": "eipalloc-0d", "public_ip": "198.51.100.4", "instance": "", "network_interface": "eni-0e"}},
        {"address": "aws_eip.spare", "mode": "managed", "type": "aws_eip", "name": "spare",
         "values": {"id": "eipalloc-0f", "public_ip": "198.51.100.5", "instance": "", "network_interface": ""}},
    ]}}}
    design = loads(json.dumps(state), "terraform.tfstate.json")
    assert design.elastic_ips["aws_eip.nat"].nat_gateway == "aws_nat_gateway.n"
    assert str(design.elastic_ips["aws_eip.spare"].address) == "198.51.100.5"
    assert fired(design, "NET004") == ["elastic ip aws_eip.spare"]


def _inline_route_plan(with_config: bool, nat_gateways: int = 0) -> str:
    """A route table whose inline routes name targets created in the same plan (ids unknown)."""
    resources = [
        ("aws_vpc.v", {"cidr_block": "10.0.0.0/16"}, ["id"]),
        ("aws_subnet.public", {"cidr_block": "10.0.0.0/24", "availability_zone": "eu-west-1a"}, ["id", "vpc_id"]),
        ("aws_internet_gateway.gw", {}, ["id", "vpc_id"]),
        *((f"aws_nat_gateway.n{i}", {"connectivity_type": "public"}, ["id", "subnet_id", "allocation_id"])
          for i in range(nat_gateways)),
        # planned order: the default route first; the configuration writes it second (a set has no order)
        ("aws_route_table.public", {"route": [
            {"cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "", "nat_gateway_id": ""},
            {"cidr_block": "10.9.0.0/16", "ipv6_cidr_block": "", "gateway_id": "", "vpc_peering_connection_id": "pcx-0abc"},
        ]}, ["id", "vpc_id"]),
    ]
    config = [
        cfg("aws_subnet.public", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")),
        cfg("aws_internet_gateway.gw", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")),
        *(cfg(f"aws_nat_gateway.n{i}", subnet_id=ref("aws_subnet.public.id", "aws_subnet.public"))
          for i in range(nat_gateways)),
    ]
    table = cfg("aws_route_table.public", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v"))
    if with_config:
        table["expressions"]["route"] = [
            {"cidr_block": {"constant_value": "10.9.0.0/16"}, "vpc_peering_connection_id": {"constant_value": "pcx-0abc"}},
            {"cidr_block": {"constant_value": "0.0.0.0/0"}, "gateway_id": ref("aws_internet_gateway.gw.id", "aws_internet_gateway.gw")},
        ]
    plan = json.loads(make_plan(resources, {"resources": [*config, table]}))
    for change in plan["resource_changes"]:
        if change["address"] == "aws_route_table.public":
            change["change"]["after_unknown"]["route"] = [{"gateway_id": True}, {}]
    return json.dumps(plan)


@pytest.mark.parametrize(
    ("with_config", "nat_gateways", "default_route", "warning"),
    [
        # TF >= 0.13 records the block's references: linked through them, matched on its constants
        (True, 0, ("0.0.0.0/0", "aws_internet_gateway.gw"), None),
        (True, 2, ("0.0.0.0/0", "aws_internet_gateway.gw"), None),
        # TF 0.12 plans omit nested blocks from the configuration: the one gateway of the VPC, said so
        (False, 0, ("0.0.0.0/0", "aws_internet_gateway.gw"), "linked to aws_internet_gateway.gw, the only"),
    ],
    ids=["configuration-references", "configuration-with-other-candidates", "sole-candidate"],
)
def test_inline_route_to_a_target_created_in_the_same_plan(with_config, nat_gateways, default_route, warning) -> None:
    design = loads(_inline_route_plan(with_config, nat_gateways), "inline.json")
    assert sorted(routes(design, "aws_vpc.v", "aws_route_table.public")) == sorted(
        [default_route, ("10.9.0.0/16", "pcx-0abc")])
    assert (warning is None) == (not warned(design, "aws_route_table.public", "linked to")), design.source.warnings
    if warning:
        assert warned(design, "aws_route_table.public", warning)


def test_inline_route_without_a_decidable_target_is_a_warning_not_a_guess() -> None:
    """Two candidates and no recorded reference: not read, and the warning says so."""
    plan = json.loads(_inline_route_plan(False, nat_gateways=0))
    for change in plan["resource_changes"]:
        if change["address"] == "aws_route_table.public":
            change["change"]["after_unknown"]["route"] = [{"nat_gateway_id": True}, {}]
    for module in [plan["planned_values"]["root_module"]]:
        module["resources"].append({"address": "aws_nat_gateway.a", "mode": "managed", "type": "aws_nat_gateway",
                                    "name": "a", "values": {"subnet_id": "subnet-1"}})
        module["resources"].append({"address": "aws_nat_gateway.b", "mode": "managed", "type": "aws_nat_gateway",
                                    "name": "b", "values": {"subnet_id": "subnet-1"}})
    design = loads(json.dumps(plan), "inline.json")
    assert routes(design, "aws_vpc.v", "aws_route_table.public") == [("10.9.0.0/16", "pcx-0abc")]
    assert warned(design, "aws_route_table.public", "the route to 0.0.0.0/0 has a target known only after apply")


def test_inline_route_plan_answers_like_the_state() -> None:
    """Reachable from the plan as it is from the state: the default route reaches the IGW (RT-01)."""
    from vpckit.network import build_network

    design = loads(_inline_route_plan(True), "inline.json")
    network = build_network(design)
    table = network.design.vpcs["aws_vpc.v"].route_tables["aws_route_table.public"]
    assert any(r.target == "aws_internet_gateway.gw" for r in table.routes)


@pytest.mark.parametrize("on", ["vgw", "tgw"])
def test_vpn_connections_and_their_routes_are_on_premises(on: str) -> None:
    """VGW-01 / TGW-01: what a VPN's static routes name is on premises, reached through its gateway."""
    gateway = ("aws_vpn_gateway.vgw", {}, ["id"]) if on == "vgw" else ("aws_ec2_transit_gateway.hub", {}, ["id"])
    key = "vpn_gateway_id" if on == "vgw" else "transit_gateway_id"
    plan = make_plan([
        ("aws_vpc.v", {"cidr_block": "10.0.0.0/16"}, ["id"]),
        gateway,
        ("aws_customer_gateway.dc", {"ip_address": "198.51.100.7", "bgp_asn": "65000", "type": "ipsec.1"}, ["id"]),
        ("aws_vpn_connection.dc", {"static_routes_only": True, "type": "ipsec.1"}, ["id", key, "customer_gateway_id"]),
        ("aws_vpn_connection_route.office", {"destination_cidr_block": "192.168.0.0/16"}, ["vpn_connection_id"]),
    ], {"resources": [
        cfg(gateway[0], vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")) if on == "vgw" else cfg(gateway[0]),
        cfg("aws_vpn_connection.dc", **{key: ref(f"{gateway[0]}.id", gateway[0]),
                                        "customer_gateway_id": ref("aws_customer_gateway.dc.id", "aws_customer_gateway.dc")}),
        cfg("aws_vpn_connection_route.office", vpn_connection_id=ref("aws_vpn_connection.dc.id", "aws_vpn_connection.dc")),
    ]})
    design = loads(plan, "vpn.json")
    onprem = design.on_premises["aws_vpn_connection.dc"]
    assert [str(c) for c in onprem.cidrs] == ["192.168.0.0/16"]
    if on == "vgw":
        assert onprem.via == "aws_vpn_gateway.vgw"
    else:
        attachment = design.transit_gateways["aws_ec2_transit_gateway.hub"].attachments["aws_vpn_connection.dc/attachment"]
        assert (onprem.via, attachment.type, [str(c) for c in attachment.remote_cidrs]) == (
            "aws_vpn_connection.dc/attachment", "vpn", ["192.168.0.0/16"])
    assert not any("resource types not read" in w and "aws_vpn" in w for w in design.source.warnings)


def test_a_vpn_in_a_state_with_every_tunnel_down_is_down() -> None:
    state = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
        {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v",
         "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}},
        {"address": "aws_vpn_gateway.vgw", "mode": "managed", "type": "aws_vpn_gateway", "name": "vgw",
         "values": {"id": "vgw-1", "vpc_id": "vpc-1"}},
        {"address": "aws_vpn_connection.dc", "mode": "managed", "type": "aws_vpn_connection", "name": "dc",
         "values": {"id": "vpn-1", "vpn_gateway_id": "vgw-1", "static_routes_only": True,
                    "routes": [{"destination_cidr_block": "172.16.0.0/12", "source": "Static", "state": "available"}],
                    "vgw_telemetry": [{"status": "DOWN"}, {"status": "DOWN"}]}},
    ]}}}
    onprem = loads(json.dumps(state), "state.json").on_premises["aws_vpn_connection.dc"]
    assert (onprem.state, [str(c) for c in onprem.cidrs], onprem.via) == ("down", ["172.16.0.0/12"], "aws_vpn_gateway.vgw")


def test_inline_route_attribute_references_name_the_target_among_several_candidates() -> None:
    """A VPC with an internet gateway and a VPN gateway: `route` written as an attribute records its references
    as a whole; the one gateway they name is the target (Terraform's JSON plan format, expression references)."""
    plan = json.loads(_inline_route_plan(False))
    plan["planned_values"]["root_module"]["resources"].append(
        {"address": "aws_vpn_gateway.vgw", "mode": "managed", "type": "aws_vpn_gateway", "name": "vgw", "values": {}})
    plan["resource_changes"].append(
        {"address": "aws_vpn_gateway.vgw", "mode": "managed", "type": "aws_vpn_gateway", "name": "vgw",
         "change": {"actions": ["create"], "before": None, "after": {}, "after_unknown": {"id": True, "vpc_id": True}}})
    configuration = plan["configuration"]["root_module"]["resources"]
    configuration.append(cfg("aws_vpn_gateway.vgw", vpc_id=ref("aws_vpc.v.id", "aws_vpc.v")))
    for resource in configuration:
        if resource["address"] == "aws_route_table.public":
            resource["expressions"]["route"] = ref("aws_internet_gateway.gw.id", "aws_internet_gateway.gw")
    design = loads(json.dumps(plan), "inline.json")
    assert sorted(routes(design, "aws_vpc.v", "aws_route_table.public")) == [
        ("0.0.0.0/0", "aws_internet_gateway.gw"), ("10.9.0.0/16", "pcx-0abc")]


def test_tgw_route_to_a_vpn_attachment_in_the_default_route_table() -> None:
    """`transit_gateway_attachment_id = aws_vpn_connection.X.transit_gateway_attachment_id` is the VPN's own
    attachment (not a blackhole), and `aws_ec2_transit_gateway.X.association_default_route_table_id` is the
    default route table (Terraform registry: aws_vpn_connection and aws_ec2_transit_gateway attributes)."""
    plan = make_plan([
        ("aws_ec2_transit_gateway.hub", {"default_route_table_association": "enable",
                                         "default_route_table_propagation": "enable"},
         ["id", "association_default_route_table_id"]),
        ("aws_customer_gateway.cgw", {"ip_address": "203.0.113.9", "bgp_asn": "65000", "type": "ipsec.1"}, ["id"]),
        ("aws_vpn_connection.site", {"static_routes_only": True, "type": "ipsec.1"},
         ["id", "transit_gateway_attachment_id", "routes"]),
        ("aws_ec2_transit_gateway_route.to_site", {"destination_cidr_block": "192.168.0.0/16"},
         ["transit_gateway_attachment_id", "transit_gateway_route_table_id"]),
    ], {"resources": [
        cfg("aws_vpn_connection.site", transit_gateway_id=ref("aws_ec2_transit_gateway.hub.id", "aws_ec2_transit_gateway.hub"),
            customer_gateway_id=ref("aws_customer_gateway.cgw.id", "aws_customer_gateway.cgw")),
        cfg("aws_ec2_transit_gateway_route.to_site",
            transit_gateway_attachment_id=ref("aws_vpn_connection.site.transit_gateway_attachment_id",
                                              "aws_vpn_connection.site"),
            transit_gateway_route_table_id=ref("aws_ec2_transit_gateway.hub.association_default_route_table_id",
                                               "aws_ec2_transit_gateway.hub")),
    ]})
    design = loads(plan, "tgw.json")
    hub = design.transit_gateways["aws_ec2_transit_gateway.hub"]
    table = hub.route_tables["aws_ec2_transit_gateway.hub-default-route-table"]
    assert [(str(r.destination), r.attachment, r.blackhole) for r in table.routes] == [
        ("192.168.0.0/16", "aws_vpn_connection.site/attachment", False)]
    assert not [w for w in design.source.warnings if "to_site" in w], design.source.warnings
