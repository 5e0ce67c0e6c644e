"""Foundation rules, one table: a minimal design → the findings one rule gives (rule id, key path).

Each design is written as YAML and read by the native reader, so paths are the keys as written
(``nacls``, ``nacl``, the ``internet_gateway`` shorthand) and every finding has a position.
Checklist ids are from aws-semantics.md.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from vpckit.checks import RULES, load_rules
from vpckit.checks.registry import CheckContext
from vpckit.sources.native import loads

load_rules()

AZ_A, AZ_B = "us-east-1a", "us-east-1b"


def subnet(cidr: str, az: str = AZ_A, **extra: Any) -> dict:
    return {"az": az, "cidr": cidr, **extra}


def vpc(cidr: str = "10.0.0.0/16", **extra: Any) -> dict:
    return {"cidr": cidr, **extra}


def design(**vpcs: dict) -> dict:
    return {"vpcs": vpcs}


def with_(data: dict, **top: Any) -> dict:
    return {**data, **top}


TWO_SUBNETS = {"a": subnet("10.0.0.0/24"), "b": subnet("10.0.1.0/24", AZ_B)}
IGW_TABLE = {"public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}}


def routes(*entries: tuple[str, str]) -> dict:
    return {"main": {"routes": [{"destination": d, "target": t} for d, t in entries]}}


def nacl(**directions: list) -> dict:
    return {"x": {k: [{"rule": n, "cidr": c} for n, c in v] for k, v in directions.items()}}


# (case id, rule, design, expected dotted key paths of the rule's findings)
CASES: list[tuple[str, str, dict, list[str]]] = [
    # ---- VPC001 CIDR size and family (CIDR-01, CIDR-09, SUB-01)
    ("vpc001-ok", "VPC001", design(p=vpc(secondary_cidrs=["10.1.0.0/28"], ipv6_cidrs=["2600:1f18:0:100::/56"],
                                         subnets={"a": subnet("10.0.0.0/28", ipv6_cidr="2600:1f18:0:100::/64")})), []),
    ("vpc001-primary-too-big", "VPC001", design(p=vpc("10.0.0.0/8")), ["vpcs.p.cidr"]),
    ("vpc001-secondary-too-small", "VPC001", design(p=vpc(secondary_cidrs=["10.1.0.0/16", "10.2.0.0/29"])),
     ["vpcs.p.secondary_cidrs.1"]),
    ("vpc001-primary-ipv6", "VPC001", design(p=vpc("2600:1f18::/56")), ["vpcs.p.cidr"]),
    ("vpc001-ipv6-vpc-not-56", "VPC001", design(p=vpc(ipv6_cidrs=["2600:1f18::/48"])), ["vpcs.p.ipv6_cidrs.0"]),
    ("vpc001-subnet-29", "VPC001", design(p=vpc(subnets={"a": subnet("10.0.0.0/29")})), ["vpcs.p.subnets.a.cidr"]),
    ("vpc001-subnet-ipv6-not-64", "VPC001", design(p=vpc(ipv6_cidrs=["2600:1f18:0:100::/56"], subnets={
        "a": subnet("10.0.0.0/24", ipv6_cidr="2600:1f18:0:100::/60")})), ["vpcs.p.subnets.a.ipv6_cidr"]),
    # ---- VPC002 subnet inside one VPC CIDR (SUB-01)
    ("vpc002-ok-secondary", "VPC002", design(p=vpc(secondary_cidrs=["10.1.0.0/16"],
                                                   subnets={"a": subnet("10.1.5.0/24")})), []),
    ("vpc002-outside", "VPC002", design(p=vpc(subnets={"app-a": subnet("10.1.0.0/24")})),
     ["vpcs.p.subnets.app-a.cidr"]),
    ("vpc002-straddles", "VPC002", design(p=vpc("10.0.0.0/24", secondary_cidrs=["10.0.1.0/24"],
                                                subnets={"a": subnet("10.0.0.0/23")})), ["vpcs.p.subnets.a.cidr"]),
    ("vpc002-ipv6-without-vpc-block", "VPC002", design(p=vpc(subnets={
        "a": subnet("10.0.0.0/24", ipv6_cidr="2600:1f18:0:100::/64")})), ["vpcs.p.subnets.a.ipv6_cidr"]),
    ("vpc002-ipv6-outside", "VPC002", design(p=vpc(ipv6_cidrs=["2600:1f18:0:100::/56"], subnets={
        "a": subnet("10.0.0.0/24", ipv6_cidr="2600:1f18:0:200::/64")})), ["vpcs.p.subnets.a.ipv6_cidr"]),
    # ---- VPC003 overlapping subnets (SUB-02, S54)
    ("vpc003-ok", "VPC003", design(p=vpc(subnets=TWO_SUBNETS)), []),
    ("vpc003-overlap", "VPC003", design(p=vpc(subnets={"a": subnet("10.0.2.0/24"), "b": subnet("10.0.2.128/25")})),
     ["vpcs.p.subnets.b.cidr"]),
    ("vpc003-same-cidr-other-vpc-ok", "VPC003", design(p=vpc(subnets={"a": subnet("10.0.2.0/24")}),
                                                       q=vpc(subnets={"a": subnet("10.0.2.0/24")})), []),
    # ---- VPC004 peered / TGW-attached overlap (PCX-02, CIDR-08, TGW-06, S25, S26, S44)
    ("vpc004-peering-ok", "VPC004", with_(design(a=vpc(), b=vpc("10.1.0.0/16")),
                                          peering_connections={"ab": {"requester": "a", "accepter": "b"}}), []),
    ("vpc004-peering-overlap", "VPC004", with_(design(a=vpc(), b=vpc("10.0.128.0/17")),
                                               peering_connections={"ab": {"requester": "a", "accepter": "b"}}),
     ["peering_connections.ab"]),
    ("vpc004-peering-secondary", "VPC004", with_(design(a=vpc(), b=vpc("10.1.0.0/16", secondary_cidrs=["10.0.5.0/24"])),
                                                 peering_connections={"ab": {"requester": "a", "accepter": "b"}}),
     ["peering_connections.ab"]),
    ("vpc004-deleted-peering-ok", "VPC004", with_(design(a=vpc(), b=vpc()), peering_connections={
        "ab": {"requester": "a", "accepter": "b", "state": "deleted"}}), []),
    ("vpc004-tgw-identical", "VPC004", with_(design(a=vpc(), b=vpc()), transit_gateways={"t": {"attachments": {
        "a": {"vpc": "a"}, "b": {"vpc": "b"}}}}), ["transit_gateways.t.attachments.b.vpc"]),
    ("vpc004-unrelated-ok", "VPC004", design(a=vpc(), b=vpc()), []),
    # ---- VPC005 capacity (SUB-04)
    ("vpc005-ok", "VPC005", design(p=vpc(subnets={"s": subnet("10.0.0.0/28")},
                                         instances={f"i{n}": {"subnet": "s"} for n in range(8)})), []),
    ("vpc005-few", "VPC005", design(p=vpc(subnets={"s": subnet("10.0.0.0/28")},
                                          instances={f"i{n}": {"subnet": "s"} for n in range(10)})),
     ["vpcs.p.subnets.s.cidr"]),
    ("vpc005-full", "VPC005", design(p=vpc(subnets={"s": subnet("10.0.0.0/28")}, network_interfaces={
        "e": {"subnet": "s", "secondary_private_ips": [f"10.0.0.{n}" for n in range(4, 15)]}})),
     ["vpcs.p.subnets.s.cidr"]),
    # ---- VPC007 single AZ (SUB-03)
    ("vpc007-ok", "VPC007", design(p=vpc(subnets={"app-a": subnet("10.0.0.0/24", tier="app"),
                                                  "app-b": subnet("10.0.1.0/24", AZ_B, tier="app")})), []),
    ("vpc007-tier-one-az", "VPC007", design(p=vpc(subnets={"x": subnet("10.0.0.0/24", tier="app"),
                                                           "y": subnet("10.0.1.0/24", tier="app")})),
     ["vpcs.p.subnets.x.tier"]),
    ("vpc007-name-prefix", "VPC007", design(p=vpc(subnets={"web-a": subnet("10.0.0.0/24"),
                                                           "web-b": subnet("10.0.1.0/24")})), ["vpcs.p.subnets.web-a"]),
    ("vpc007-lone-subnet-ok", "VPC007", design(p=vpc(subnets={"bastion": subnet("10.0.0.0/24"),
                                                              "mgmt-a": subnet("10.0.1.0/24")})), []),
    ("vpc007-alb", "VPC007", design(p=vpc(subnets={"a": subnet("10.0.0.0/24"), "b": subnet("10.0.1.0/24")},
                                          load_balancers={"lb": {"subnets": ["a", "b"]}})),
     ["vpcs.p.load_balancers.lb.subnets"]),
    ("vpc007-rds-group", "VPC007", design(p=vpc(subnets={"a": subnet("10.0.0.0/24")},
                                                db_subnet_groups={"g": {"subnets": ["a"]}})),
     ["vpcs.p.db_subnet_groups.g.subnets"]),
    ("vpc007-rds-group-ok", "VPC007", design(p=vpc(subnets=TWO_SUBNETS, db_subnet_groups={"g": {"subnets": ["a", "b"]}})),
     []),
    # AZs the Terraform/CloudFormation readers cannot know before deployment are not one AZ.
    ("vpc007-az-known-after-apply", "VPC007", design(p=vpc(subnets={
        "x": subnet("10.0.0.0/24", "(known after apply)", tier="app"),
        "y": subnet("10.0.1.0/24", "(known after apply)", tier="app")},
        db_subnet_groups={"g": {"subnets": ["x", "y"]}}, load_balancers={"lb": {"subnets": ["x", "y"]}})), []),
    ("vpc007-one-az-unknown", "VPC007", design(p=vpc(subnets={
        "x": subnet("10.0.0.0/24", tier="app"), "y": subnet("10.0.1.0/24", "(chosen at deployment)", tier="app")},
        db_subnet_groups={"g": {"subnets": ["x", "y"]}})), []),
    # ---- VPC010 overlapping blocks within a VPC (CIDR-05)
    ("vpc010-ok", "VPC010", design(p=vpc(secondary_cidrs=["10.1.0.0/16"])), []),
    ("vpc010-overlap", "VPC010", design(p=vpc(secondary_cidrs=["10.1.0.0/16", "10.0.0.0/17"])),
     ["vpcs.p.secondary_cidrs.1"]),
    # ---- VPC011 restricted associations (CIDR-07, S55)
    ("vpc011-ok", "VPC011", design(p=vpc(secondary_cidrs=["10.1.0.0/16", "100.64.0.0/16", "203.0.113.0/24"])), []),
    ("vpc011-rfc1918-mix", "VPC011", design(p=vpc(secondary_cidrs=["192.168.0.0/16"])), ["vpcs.p.secondary_cidrs.0"]),
    ("vpc011-172-31", "VPC011", design(p=vpc("172.20.0.0/16", secondary_cidrs=["172.31.0.0/16"])),
     ["vpcs.p.secondary_cidrs.0"]),
    ("vpc011-198-19", "VPC011", design(p=vpc("192.168.0.0/16", secondary_cidrs=["198.19.0.0/16"])),
     ["vpcs.p.secondary_cidrs.0"]),
    ("vpc011-public-then-rfc1918", "VPC011", design(p=vpc("100.64.0.0/16", secondary_cidrs=["10.0.0.0/16"])),
     ["vpcs.p.secondary_cidrs.0"]),
    ("vpc011-10-0-16", "VPC011", design(p=vpc("10.1.0.0/16", secondary_cidrs=["10.0.0.0/16"])),
     ["vpcs.p.secondary_cidrs.0"]),
    ("vpc011-link-local", "VPC011", design(p=vpc("169.254.0.0/16")), ["vpcs.p.cidr"]),
    # ---- VPC012 reserved / outside / duplicate addresses (SUB-04, SUB-05, S53)
    ("vpc012-ok", "VPC012", design(p=vpc(subnets=TWO_SUBNETS, instances={"i": {"subnet": "a", "private_ip": "10.0.0.4"}},
                                         nat_gateways={"n": {"subnet": "b", "private_ip": "10.0.1.254"}})), []),
    ("vpc012-reserved-3", "VPC012", design(p=vpc(subnets=TWO_SUBNETS, instances={
        "i": {"subnet": "a", "private_ip": "10.0.0.3"}})), ["vpcs.p.instances.i.private_ip"]),
    ("vpc012-broadcast-eni-secondary", "VPC012", design(p=vpc(subnets=TWO_SUBNETS, network_interfaces={
        "e": {"subnet": "a", "secondary_private_ips": ["10.0.0.255"]}})),
     ["vpcs.p.network_interfaces.e.secondary_private_ips.0"]),
    ("vpc012-outside", "VPC012", design(p=vpc(subnets=TWO_SUBNETS, efs_mount_targets={
        "m": {"subnet": "a", "private_ip": "10.0.1.10"}})), ["vpcs.p.efs_mount_targets.m.private_ip"]),
    ("vpc012-lb-second-subnet", "VPC012", design(p=vpc(subnets=TWO_SUBNETS, load_balancers={
        "lb": {"subnets": ["a", "b"], "private_ips": ["10.0.0.10", "10.0.0.11"]}})),
     ["vpcs.p.load_balancers.lb.private_ips.1"]),
    ("vpc012-rds-group-subnet", "VPC012", design(p=vpc(subnets=TWO_SUBNETS, db_subnet_groups={
        "g": {"subnets": ["a", "b"]}}, rds_instances={"db": {"subnet_group": "g", "private_ip": "10.0.0.1"}})),
     ["vpcs.p.rds_instances.db.private_ip"]),
    ("vpc012-endpoint", "VPC012", design(p=vpc(subnets=TWO_SUBNETS, endpoints={
        "e": {"service": "ssm", "subnets": ["a"], "private_ips": ["10.0.0.2"]}})),
     ["vpcs.p.endpoints.e.private_ips.0"]),
    ("vpc012-duplicate", "VPC012", design(p=vpc(subnets=TWO_SUBNETS, instances={
        "i": {"subnet": "a", "private_ip": "10.0.0.9"}, "j": {"subnet": "a", "private_ip": "10.0.0.9"}})),
     ["vpcs.p.instances.j.private_ip"]),
    ("vpc012-ipv6-reserved", "VPC012", design(p=vpc(ipv6_cidrs=["2600:1f18:0:100::/56"], subnets={
        "a": subnet("10.0.0.0/24", ipv6_cidr="2600:1f18:0:100::/64")}, instances={
        "i": {"subnet": "a", "ipv6_addresses": ["2600:1f18:0:100::1"]}})), ["vpcs.p.instances.i.ipv6_addresses.0"]),
    # ---- VPC013 Docker range (CIDR-04)
    ("vpc013-ok", "VPC013", design(p=vpc("172.18.0.0/16")), []),
    ("vpc013-docker", "VPC013", design(p=vpc("172.16.0.0/16", secondary_cidrs=["172.17.0.0/24"])),
     ["vpcs.p.secondary_cidrs.0"]),
    # ---- REF001 references resolve (SUB-07, RT-09, SG-07, SG-08)
    ("ref001-ok", "REF001", design(p=vpc(internet_gateway="igw", subnets={"a": subnet("10.0.0.0/24", route_table="public",
                                                                                      nacl="default")},
                                         route_tables=IGW_TABLE, nat_gateways={"n": {"subnet": "a"}},
                                         instances={"i": {"subnet": "a", "security_groups": ["default"]}})), []),
    ("ref001-route-table", "REF001", design(p=vpc(subnets={"a": subnet("10.0.0.0/24", route_table="pub")})),
     ["vpcs.p.subnets.a.route_table"]),
    ("ref001-nacl-alias", "REF001", design(p=vpc(subnets={"a": subnet("10.0.0.0/24", nacl="app")})),
     ["vpcs.p.subnets.a.nacl"]),
    ("ref001-route-target", "REF001", design(p=vpc(route_tables=routes(("0.0.0.0/0", "igw-typo")))),
     ["vpcs.p.route_tables.main.routes.0.target"]),
    ("ref001-blackhole-state-ok", "REF001", design(p=vpc(route_tables={"main": {"routes": [
        {"destination": "0.0.0.0/0", "target": "nat-deleted", "state": "blackhole"}]}})), []),
    ("ref001-prefix-list-destination", "REF001", design(p=vpc(internet_gateway="igw",
                                                              route_tables=routes(("pl-missing", "igw")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    ("ref001-instance-group", "REF001", design(p=vpc(instances={"i": {"subnet": "a", "security_groups": ["web"]}})),
     ["vpcs.p.instances.i.security_groups.0", "vpcs.p.instances.i.subnet"]),
    ("ref001-stale-sg-rule", "REF001", design(p=vpc(security_groups={"web": {"ingress": [
        {"protocol": "tcp", "ports": 22, "source": "bastion"}]}})),
     ["vpcs.p.security_groups.web.ingress.0.source"]),
    ("ref001-sg-rule-prefix-list-ok", "REF001", with_(design(p=vpc(security_groups={"web": {"egress": [
        {"protocol": "tcp", "ports": 443, "destination": "s3"}]}})), prefix_lists={"s3": {"cidrs": ["52.216.0.0/15"]}}),
     []),
    ("ref001-lambda-endpoint-lb-subnets", "REF001", design(p=vpc(
        lambda_functions={"f": {"subnets": ["x"]}}, endpoints={"e": {"service": "s3", "type": "gateway",
                                                                     "route_tables": ["nope"]}},
        load_balancers={"lb": {"subnets": ["y"], "listeners": [{"port": 443, "target_group": "tg"}]}})),
     ["vpcs.p.endpoints.e.route_tables.0", "vpcs.p.lambda_functions.f.subnets.0",
      "vpcs.p.load_balancers.lb.listeners.0.target_group", "vpcs.p.load_balancers.lb.subnets.0"]),
    ("ref001-target-group-target", "REF001", design(p=vpc(target_groups={"tg": {"port": 80, "targets": [
        "web-1", "10.0.0.10"]}})), ["vpcs.p.target_groups.tg.targets.0"]),
    ("ref001-rds", "REF001", design(p=vpc(rds_instances={"db": {"subnet_group": "g"}})),
     ["vpcs.p.rds_instances.db.subnet_group"]),
    ("ref001-peering-vpc", "REF001", with_(design(a=vpc()), peering_connections={"ab": {"requester": "a",
                                                                                       "accepter": "b"}}),
     ["peering_connections.ab.accepter"]),
    ("ref001-tgw", "REF001", with_(design(a=vpc(subnets={"s": subnet("10.0.0.0/28")})), transit_gateways={"t": {
        "route_tables": {"rt": {"routes": [{"destination": "0.0.0.0/0", "attachment": "nope"}]}},
        "attachments": {"a": {"vpc": "a", "subnets": ["s", "missing"], "route_table": "rt", "propagate_to": ["x"]},
                        "z": {"vpc": "zz"}}}}),
     ["transit_gateways.t.attachments.a.propagate_to.0", "transit_gateways.t.attachments.a.subnets.1",
      "transit_gateways.t.attachments.z.vpc", "transit_gateways.t.route_tables.rt.routes.0.attachment"]),
    # ---- REF002 wrong VPC (SG-05, SG-11, NACL-01)
    ("ref002-ok-peered-group", "REF002", with_(design(a=vpc(security_groups={"web": {"ingress": [
        {"protocol": "tcp", "ports": 443, "source": "b/lb"}]}}), b=vpc("10.1.0.0/16", security_groups={"lb": {}})),
        peering_connections={"ab": {"requester": "a", "accepter": "b"}}), []),
    ("ref002-unpeered-group", "REF002", design(a=vpc(security_groups={"web": {"ingress": [
        {"protocol": "tcp", "ports": 443, "source": "b/lb"}]}}), b=vpc("10.1.0.0/16", security_groups={"lb": {}})),
     ["vpcs.a.security_groups.web.ingress.0.source"]),
    ("ref002-inter-region-peering", "REF002", with_(design(a=vpc(security_groups={"web": {"egress": [
        {"protocol": "tcp", "ports": 443, "destination": "b/lb"}]}}), b=vpc("10.1.0.0/16", region="eu-west-1",
                                                                         security_groups={"lb": {}})),
        peering_connections={"ab": {"requester": "a", "accepter": "b"}}),
     ["vpcs.a.security_groups.web.egress.0.destination"]),
    ("ref002-pending-peering", "REF002", with_(design(a=vpc(security_groups={"web": {"ingress": [
        {"protocol": "tcp", "ports": 443, "source": "b/lb"}]}}), b=vpc("10.1.0.0/16", security_groups={"lb": {}})),
        peering_connections={"ab": {"requester": "a", "accepter": "b", "state": "pending-acceptance"}}),
     ["vpcs.a.security_groups.web.ingress.0.source"]),
    ("ref002-tgw-referencing-ok", "REF002", with_(design(a=vpc(security_groups={"web": {"ingress": [
        {"protocol": "tcp", "ports": 443, "source": "b/lb"}]}}), b=vpc("10.1.0.0/16", security_groups={"lb": {}})),
        transit_gateways={"t": {"attachments": {"a": {"vpc": "a", "security_group_referencing": True},
                                                "b": {"vpc": "b", "security_group_referencing": True}}}}), []),
    ("ref002-interface-group-other-vpc", "REF002", design(a=vpc(subnets={"s": subnet("10.0.0.0/24")}, instances={
        "i": {"subnet": "s", "security_groups": ["b/lb"]}}), b=vpc("10.1.0.0/16", security_groups={"lb": {}})),
     ["vpcs.a.instances.i.security_groups.0"]),
    ("ref002-nacl-other-vpc", "REF002", design(a=vpc(subnets={"s": subnet("10.0.0.0/24", nacl="theirs")}),
                                               b=vpc("10.1.0.0/16", nacls={"theirs": {}})),
     ["vpcs.a.subnets.s.nacl"]),
    ("ref002-subnet-other-vpc", "REF002", design(a=vpc(nat_gateways={"n": {"subnet": "s"}}),
                                                 b=vpc("10.1.0.0/16", subnets={"s": subnet("10.1.0.0/24")})),
     ["vpcs.a.nat_gateways.n.subnet"]),
    ("ref002-tgw-subnet-other-vpc", "REF002", with_(design(a=vpc(), b=vpc("10.1.0.0/16", subnets={
        "s": subnet("10.1.0.0/24")})), transit_gateways={"t": {"attachments": {"a": {"vpc": "a", "subnets": ["s"]}}}}),
     ["transit_gateways.t.attachments.a.subnets.0"]),
    ("ref002-rds-subnet-not-in-group", "REF002", design(p=vpc(subnets={**TWO_SUBNETS, "c": subnet("10.0.2.0/24")},
                                                              db_subnet_groups={"g": {"subnets": ["a", "b"]}},
                                                              rds_instances={"db": {"subnet_group": "g", "subnet": "c"}})),
     ["vpcs.p.rds_instances.db.subnet"]),
    # ---- IGW001 one gateway per VPC (IGW-01)
    ("igw001-ok", "IGW001", design(p=vpc(internet_gateway="igw", egress_only_internet_gateway="eigw")), []),
    ("igw001-two-igws", "IGW001", design(p=vpc(internet_gateways={"a": {}, "b": {}})),
     ["vpcs.p.internet_gateways.b"]),
    ("igw001-two-eigws", "IGW001", design(p=vpc(egress_only_internet_gateways={"a": {}, "b": {}})),
     ["vpcs.p.egress_only_internet_gateways.b"]),
    ("igw001-shared-id", "IGW001", design(p=vpc(internet_gateways={"g": {"id": "igw-1"}}),
                                          q=vpc(internet_gateways={"g": {"id": "igw-1"}})),
     ["vpcs.q.internet_gateways.g"]),
    # ---- RT005 public NAT gateway reaches an IGW (NAT-01, S50, S07)
    ("rt005-ok", "RT005", design(p=vpc(internet_gateway="igw", subnets={"a": subnet("10.0.0.0/24", route_table="public")},
                                       route_tables=IGW_TABLE, nat_gateways={"n": {"subnet": "a"}})), []),
    ("rt005-private-nat-ok", "RT005", design(p=vpc(subnets={"a": subnet("10.0.0.0/24")},
                                                   nat_gateways={"n": {"subnet": "a", "connectivity": "private"}})), []),
    ("rt005-no-igw", "RT005", design(p=vpc(subnets={"a": subnet("10.0.0.0/24")}, nat_gateways={"n": {"subnet": "a"}})),
     ["vpcs.p.nat_gateways.n"]),
    ("rt005-private-subnet", "RT005", design(p=vpc(internet_gateway="igw", subnets={"a": subnet("10.0.0.0/24")},
                                                   nat_gateways={"n": {"subnet": "a"}})),
     ["vpcs.p.nat_gateways.n.subnet"]),
    # ---- RT006 target outside the VPC (RT-09, S05)
    ("rt006-ok", "RT006", with_(design(a=vpc(route_tables=routes(("10.1.0.0/16", "ab"), ("10.2.0.0/16", "t"))),
                                b=vpc("10.1.0.0/16"), c=vpc("10.2.0.0/16")),
                                peering_connections={"ab": {"requester": "a", "accepter": "b"}},
                                transit_gateways={"t": {"attachments": {"a": {"vpc": "a"}, "c": {"vpc": "c"}}}}), []),
    ("rt006-other-vpc-igw", "RT006", design(a=vpc(route_tables=routes(("0.0.0.0/0", "igw-b"))),
                                            b=vpc("10.1.0.0/16", internet_gateway="igw-b")),
     ["vpcs.a.route_tables.main.routes.0.target"]),
    ("rt006-foreign-peering", "RT006", with_(design(a=vpc(route_tables=routes(("10.1.0.0/16", "bc"))),
                                                    b=vpc("10.1.0.0/16"), c=vpc("10.2.0.0/16")),
                                             peering_connections={"bc": {"requester": "b", "accepter": "c"}}),
     ["vpcs.a.route_tables.main.routes.0.target"]),
    ("rt006-unattached-tgw", "RT006", with_(design(a=vpc(route_tables=routes(("10.1.0.0/16", "t"))),
                                                   b=vpc("10.1.0.0/16")),
                                            transit_gateways={"t": {"attachments": {"b": {"vpc": "b"}}}}),
     ["vpcs.a.route_tables.main.routes.0.target"]),
    # ---- RT007 routes inside the local route (RT-04, RT-03, S33)
    ("rt007-ok-subnet-to-eni", "RT007", design(p=vpc(subnets={"q": subnet("10.0.2.0/24")},
                                                     network_interfaces={"fw": {"subnet": "q"}},
                                                     route_tables=routes(("10.0.2.0/24", "fw"), ("10.0.0.0/16", "fw"),
                                                                         ("10.0.0.0/8", "fw")))), []),
    ("rt007-partial-subnet", "RT007", design(p=vpc(subnets={"q": subnet("10.0.2.0/24")},
                                                   network_interfaces={"fw": {"subnet": "q"}},
                                                   route_tables=routes(("10.0.2.0/25", "fw")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    ("rt007-subnet-to-igw", "RT007", design(p=vpc(internet_gateway="igw", subnets={"q": subnet("10.0.2.0/24")},
                                                  route_tables=routes(("10.0.2.0/24", "igw")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    ("rt007-vpc-cidr-to-igw", "RT007", design(p=vpc(internet_gateway="igw", route_tables=routes(("10.0.0.0/16", "igw")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    ("rt007-local-elsewhere", "RT007", design(p=vpc(route_tables=routes(("10.9.0.0/16", "local")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    # ---- RT008 reserved destinations (RT-05, S37)
    ("rt008-ok-larger", "RT008", design(p=vpc(internet_gateway="igw", route_tables=routes(("169.254.0.0/16", "igw")))),
     []),
    ("rt008-imds", "RT008", design(p=vpc(internet_gateway="igw", route_tables=routes(("169.254.169.254/32", "igw")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    ("rt008-ipv6", "RT008", design(p=vpc(ipv6_cidrs=["2600:1f18:0:100::/56"], egress_only_internet_gateway="e",
                                         route_tables=routes(("fd00:ec2::/64", "e")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    # ---- RT009 ambiguous prefix-list routes (RT-07(3), S32)
    ("rt009-ok-same-target", "RT009", with_(design(p=vpc(internet_gateway="igw", route_tables=routes(
        ("a", "igw"), ("b", "igw")))), prefix_lists={"a": {"cidrs": ["192.0.2.0/24"]}, "b": {"cidrs": ["192.0.2.0/25"]}}),
     []),
    ("rt009-ok-disjoint", "RT009", with_(design(p=vpc(internet_gateway="igw", vpn_gateway="vgw", route_tables=routes(
        ("a", "igw"), ("b", "vgw")))), prefix_lists={"a": {"cidrs": ["192.0.2.0/25"]},
                                                     "b": {"cidrs": ["192.0.2.128/25"]}}), []),
    ("rt009-ambiguous", "RT009", with_(design(p=vpc(internet_gateway="igw", vpn_gateway="vgw", route_tables=routes(
        ("a", "igw"), ("b", "vgw")))), prefix_lists={"a": {"cidrs": ["192.0.2.0/24"]},
                                                     "b": {"cidrs": ["192.0.2.128/25"]}}),
     ["vpcs.p.route_tables.main.routes.1.destination"]),
    # ---- RT010 target family (IGW-07, NAT-06)
    ("rt010-ok", "RT010", design(p=vpc(ipv6_cidrs=["2600:1f18:0:100::/56"], egress_only_internet_gateway="e",
                                       subnets={"a": subnet("10.0.0.0/24")}, nat_gateways={"n": {"subnet": "a"}},
                                       route_tables=routes(("::/0", "e"), ("0.0.0.0/0", "n"), ("64:ff9b::/96", "n")))),
     []),
    ("rt010-ipv4-to-eigw", "RT010", design(p=vpc(egress_only_internet_gateway="e",
                                                 route_tables=routes(("0.0.0.0/0", "e")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    ("rt010-ipv6-to-nat", "RT010", design(p=vpc(subnets={"a": subnet("10.0.0.0/24")}, nat_gateways={"n": {"subnet": "a"}},
                                                route_tables=routes(("::/0", "n")))),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    ("rt010-ipv6-prefix-list-to-nat", "RT010", with_(design(p=vpc(subnets={"a": subnet("10.0.0.0/24")},
                                                                  nat_gateways={"n": {"subnet": "a"}},
                                                                  route_tables=routes(("v6", "n")))),
                                                     prefix_lists={"v6": {"cidrs": ["2001:db8::/32"],
                                                                          "address_family": "IPv6"}}),
     ["vpcs.p.route_tables.main.routes.0.destination"]),
    # ---- NACL004 duplicate rule numbers (NACL-04)
    ("nacl004-ok-directions-separate", "NACL004", design(p=vpc(nacls=nacl(ingress=[(100, "0.0.0.0/0")],
                                                                          egress=[(100, "0.0.0.0/0")]))), []),
    ("nacl004-duplicate", "NACL004", design(p=vpc(nacls=nacl(ingress=[(100, "0.0.0.0/0"), (100, "10.0.0.0/8")]))),
     ["vpcs.p.nacls.x.ingress.1.rule"]),
    # ---- NACL008 rule numbers 1-32766 (NACL-04)
    ("nacl008-ok", "NACL008", design(p=vpc(nacls=nacl(egress=[(1, "0.0.0.0/0"), (32766, "::/0")]))), []),
    ("nacl008-zero-and-high", "NACL008", design(p=vpc(nacls=nacl(egress=[(0, "0.0.0.0/0"), (32767, "::/0")]))),
     ["vpcs.p.nacls.x.egress.0.rule", "vpcs.p.nacls.x.egress.1.rule"]),
    # ---- NACL009 NACL quota (NACL-14, S56)
    ("nacl009-ok-19-plus-ipv6", "NACL009", design(p=vpc(nacls=nacl(
        ingress=[(n, "10.0.0.0/16") for n in range(1, 20)] + [(n, "::/0") for n in range(100, 119)]))), []),
    ("nacl009-20-ipv4", "NACL009", design(p=vpc(nacls=nacl(ingress=[(n, "10.0.0.0/16") for n in range(1, 21)]))),
     ["vpcs.p.nacls.x.ingress"]),
    # ---- SG011 SG quotas (SG-12, S57)
    ("sg011-ok", "SG011", design(p=vpc(security_groups={f"g{n}": {} for n in range(5)}, instances={
        "i": {"subnet": "a", "security_groups": [f"g{n}" for n in range(5)]}})), []),
    ("sg011-six-groups-lambda", "SG011", design(p=vpc(security_groups={f"g{n}": {} for n in range(6)}, lambda_functions={
        "f": {"subnets": ["a"], "security_groups": [f"g{n}" for n in range(6)]}})),
     ["vpcs.p.lambda_functions.f.security_groups"]),
    ("sg011-61-rules", "SG011", design(p=vpc(security_groups={"big": {"ingress": [
        {"protocol": "tcp", "ports": n, "source": "10.0.0.0/8"} for n in range(1, 62)]}})),
     ["vpcs.p.security_groups.big.ingress"]),
    ("sg011-60-each-family-ok", "SG011", design(p=vpc(security_groups={"big": {"ingress": [
        {"protocol": "tcp", "ports": n, "source": c} for n in range(1, 61) for c in ("10.0.0.0/8", "::/0")]}})), []),
]


def _paths(rule_id: str, data: dict) -> list[str]:
    design = loads(yaml.safe_dump(data, sort_keys=False), "case.yaml")
    findings = list(RULES[rule_id].check(CheckContext(design)))
    for finding in findings:
        assert finding.rule == rule_id
        assert finding.message and finding.resource
        assert finding.position is not None and finding.position.line is not None
    return sorted(".".join(str(p) for p in f.path) for f in findings)


@pytest.mark.parametrize("rule_id, data, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(rule_id: str, data: dict, expected: list[str]) -> None:
    assert _paths(rule_id, data) == sorted(expected)


def test_every_foundation_rule_has_positive_and_negative_cases() -> None:
    foundation = {"VPC001", "VPC002", "VPC003", "VPC004", "VPC005", "VPC007", "VPC010", "VPC011", "VPC012", "VPC013",
                  "REF001", "REF002", "IGW001", "RT005", "RT006", "RT007", "RT008", "RT009", "RT010", "NACL004",
                  "NACL008", "NACL009", "SG011"}
    positive = {rule for _, rule, _, expected in CASES if expected}
    negative = {rule for _, rule, _, expected in CASES if not expected}
    assert foundation <= set(RULES)
    assert foundation == positive == negative
    for rule_id in foundation:
        assert RULES[rule_id].semantics, rule_id


def test_finding_position_is_the_offending_key() -> None:
    text = "vpcs:\n  prod:\n    cidr: 10.0.0.0/16\n    subnets:\n      app-a: {az: x, cidr: 10.1.0.0/24}\n"
    design = loads(text, "d.yaml")
    [finding] = RULES["VPC002"].check(CheckContext(design))
    assert str(finding.position) == "d.yaml:5:28"
    assert finding.message == "subnet app-a 10.1.0.0/24 is outside VPC prod's CIDRs 10.0.0.0/16 (SUB-01)"


def test_severity_overrides() -> None:
    """Over-full subnets and single-AZ ALBs / DB subnet groups are errors; a crowded subnet and an NLB warn."""
    full = design(p=vpc(subnets={"s": subnet("10.0.0.0/28")}, network_interfaces={
        "e": {"subnet": "s", "secondary_private_ips": [f"10.0.0.{n}" for n in range(4, 15)]}}))
    crowded = design(p=vpc(subnets={"s": subnet("10.0.0.0/28")}, instances={f"i{n}": {"subnet": "s"} for n in range(10)}))
    nlb = design(p=vpc(subnets=TWO_SUBNETS, load_balancers={"n": {"type": "network", "subnets": ["a"]}}))
    alb = design(p=vpc(subnets=TWO_SUBNETS, load_balancers={"n": {"type": "application", "subnets": ["a"]}}))

    def severities(rule_id: str, data: dict) -> list[str]:
        design_ = loads(yaml.safe_dump(data), "case.yaml")
        return [f.severity for f in RULES[rule_id].check(CheckContext(design_))]

    assert severities("VPC005", full) == ["error"]
    assert severities("VPC005", crowded) == ["warning"]
    assert severities("VPC007", nlb) == ["warning"]
    assert severities("VPC007", alb) == ["error"]


def test_ipv6_prefix_policy_from_the_config() -> None:
    """CIDR-09: IPAM/BYOIPv6 allow other prefix lengths; a validation config may say which."""
    from types import SimpleNamespace

    data = design(p=vpc(ipv6_cidrs=["2600:1f18::/48"], subnets={
        "a": subnet("10.0.0.0/24", ipv6_cidr="2600:1f18::/60")}))
    parsed = loads(yaml.safe_dump(data), "case.yaml")
    assert len(list(RULES["VPC001"].check(CheckContext(parsed)))) == 2
    policy = SimpleNamespace(ipv6_vpc_prefixes=(48, 56), ipv6_subnet_prefixes=(60, 64))
    assert list(RULES["VPC001"].check(CheckContext(parsed, config=policy))) == []
