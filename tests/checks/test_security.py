"""Security and hygiene rules, one table: a minimal design, the rule, and whether it must fire.

Each rule has at least one design that triggers it and one that must not, including the cases
peers get wrong: split ``0.0.0.0/1`` + ``128.0.0.0/1`` halves, a lower-numbered NACL deny, a
prefix list holding the world, protocol ``-1`` with ports. Checklist ids and scenario numbers are
from aws-semantics.md.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from vpckit.checks import RULES, load_rules
from vpckit.checks.registry import CheckContext
from vpckit.config import Config
from vpckit.model import Design

load_rules()

AZ_A, AZ_B = "us-east-1a", "us-east-1b"


def base(**vpc_extra: Any) -> dict:
    """One VPC with a public subnet (routed to an IGW) and an app subnet, plus ``vpc_extra``."""
    vpc = {
        "cidr": "10.0.0.0/16",
        "internet_gateway": "igw",
        "subnets": {
            "public-a": {"az": AZ_A, "cidr": "10.0.0.0/24", "route_table": "public", "tier": "public"},
            "app-a": {"az": AZ_A, "cidr": "10.0.10.0/24", "route_table": "private", "tier": "app"},
        },
        "route_tables": {"public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}, "private": {}},
    }
    for key, value in vpc_extra.items():
        if isinstance(value, dict) and isinstance(vpc.get(key), dict):
            vpc[key] = {**vpc[key], **value}
        else:
            vpc[key] = value
    return {"vpcs": {"prod": vpc}}


def group(*ingress: dict, egress: list | None = None, **extra: Any) -> dict:
    body = {"description": "test group", "ingress": [{"description": "r", **r} for r in ingress], **extra}
    if egress is not None:
        body["egress"] = egress
    return body


def sg_design(*ingress: dict, egress: list | None = None, used: bool = True, **top: Any) -> dict:
    """A group ``g`` with ``ingress`` rules, attached to an instance in the public subnet when ``used``."""
    instances = {"web-1": {"subnet": "public-a", "security_groups": ["g"]}} if used else {}
    return {**base(security_groups={"g": group(*ingress, egress=egress)}, instances=instances), **top}


def nacl_design(ingress: list, egress: list | None = None, associate: bool = True) -> dict:
    subnets = {"public-a": {"az": AZ_A, "cidr": "10.0.0.0/24", "route_table": "public", "tier": "public",
                            **({"nacl": "n"} if associate else {})}}
    egress = egress if egress is not None else [{"rule": 100, "protocol": "all", "cidr": "0.0.0.0/0"}]
    nacls = {"n": {"ingress": ingress, "egress": egress}}
    if not associate:  # the subnet falls back to the default NACL: make that one closed (NACL-06 shape)
        nacls["default"] = {"ingress": [], "egress": []}
    data = base(nacls=nacls)
    data["vpcs"]["prod"]["subnets"] = subnets  # no subnet left on the (allow-all) default NACL
    return data


def tcp(ports: Any, source: str) -> dict:
    return {"protocol": "tcp", "ports": ports, "source": source}


def entry(rule: int, cidr: str, protocol: str = "tcp", ports: Any = None, action: str = "allow", **extra: Any) -> dict:
    out = {"rule": rule, "protocol": protocol, "cidr": cidr, "action": action, **extra}
    if ports is not None:
        out["ports"] = ports
    return out


WORLD_PL = {"prefix_lists": {"everyone": {"id": "pl-0world", "cidrs": ["0.0.0.0/1", "128.0.0.0/1"]}}}
OFFICE_PL = {"prefix_lists": {"office": {"id": "pl-0office", "cidrs": ["203.0.113.0/24"]}}}
ALLOW_ALL_EGRESS = [{"rule": 100, "protocol": "all", "cidr": "0.0.0.0/0"}]
ICMP_PMTUD = {"rule": 90, "protocol": "icmp", "icmp_type": 3, "icmp_code": 4, "cidr": "0.0.0.0/0"}


def _two_vpcs(pcx_state: str = "active", routes_b: bool = True, wide: bool = False) -> dict:
    a = {"cidr": "10.0.0.0/16", "subnets": {"s": {"az": AZ_A, "cidr": "10.0.0.0/24", "route_table": "rt"}},
         "route_tables": {"rt": {"routes": [{"destination": "0.0.0.0/0" if wide else "10.1.0.0/16", "target": "pcx"}]}}}
    b = {"cidr": "10.1.0.0/16", "subnets": {"s": {"az": AZ_A, "cidr": "10.1.0.0/24", "route_table": "rt"}},
         "route_tables": {"rt": {"routes": [{"destination": "10.0.0.0/16", "target": "pcx"}] if routes_b else []}}}
    return {"vpcs": {"a": a, "b": b},
            "peering_connections": {"pcx": {"requester": "a", "accepter": "b", "state": pcx_state}}}


def _cross_vpc_ref(peered: bool) -> dict:
    a = {"cidr": "10.0.0.0/16", "security_groups": {"app": group({"protocol": "tcp", "ports": 443, "source": "b/db"})}}
    b = {"cidr": "10.1.0.0/16", "security_groups": {"db": group()}}
    out: dict = {"vpcs": {"a": a, "b": b}}
    if peered:
        out["peering_connections"] = {"pcx": {"requester": "a", "accepter": "b"}}
    return out


# (case id, rule, design, fires?)
CASES: list[tuple[str, str, dict, bool]] = [
    # ---- SG001 SSH from the world (SG-01/SG-02: coverage, not strings)
    ("sg001-literal-world", "SG001", sg_design(tcp(22, "0.0.0.0/0")), True),
    ("sg001-split-halves", "SG001", sg_design(tcp(22, "0.0.0.0/1"), tcp(22, "128.0.0.0/1")), True),
    ("sg001-ipv6-world", "SG001", sg_design(tcp(22, "::/0")), True),
    ("sg001-prefix-list-world", "SG001", sg_design(tcp(22, "pl-0world"), **WORLD_PL), True),
    ("sg001-protocol-all-ports-ignored", "SG001", sg_design({"protocol": "all", "ports": 80, "source": "0.0.0.0/0"}), True),
    ("sg001-public-slash8-is-wide", "SG001", sg_design(tcp(22, "11.0.0.0/8")), True),
    ("sg001-range-covering-22", "SG001", sg_design(tcp("20-25", "0.0.0.0/0")), True),
    ("sg001-office-cidr", "SG001", sg_design(tcp(22, "203.0.113.0/24")), False),
    ("sg001-private-slash8", "SG001", sg_design(tcp(22, "10.0.0.0/8")), False),
    ("sg001-prefix-list-office", "SG001", sg_design(tcp(22, "pl-0office"), **OFFICE_PL), False),
    ("sg001-world-https-only", "SG001", sg_design(tcp(443, "0.0.0.0/0")), False),
    ("sg001-group-reference", "SG001", sg_design(tcp(22, "default")), False),
    # ---- SG002 RDP
    ("sg002-world", "SG002", sg_design(tcp(3389, "0.0.0.0/0")), True),
    ("sg002-udp-world", "SG002", sg_design({"protocol": "udp", "ports": 3389, "source": "0.0.0.0/0"}), True),
    ("sg002-single-host", "SG002", sg_design(tcp(3389, "203.0.113.5/32")), False),
    # ---- SG003 only authorized ports public (EC2.18)
    ("sg003-8443-world", "SG003", sg_design(tcp(8443, "0.0.0.0/0")), True),
    ("sg003-443-world", "SG003", sg_design(tcp(443, "0.0.0.0/0"), tcp(443, "::/0")), False),
    ("sg003-plain-http-world-info", "SG003", sg_design(tcp(80, "::/0")), True),
    # ---- SG004 high-risk ports (EC2.19 profile by default)
    ("sg004-postgres-world", "SG004", sg_design(tcp(5432, "0.0.0.0/0")), True),
    ("sg004-postgres-split-prefix-list", "SG004", sg_design(tcp(5432, "pl-0world"), **WORLD_PL), True),
    ("sg004-postgres-vpc-only", "SG004", sg_design(tcp(5432, "10.0.0.0/16")), False),
    # ---- SG005 every port
    ("sg005-protocol-all", "SG005", sg_design({"protocol": "-1", "source": "0.0.0.0/0"}), True),
    ("sg005-two-halves-of-the-ports", "SG005", sg_design(tcp("0-32767", "0.0.0.0/0"), tcp("32768-65535", "0.0.0.0/0")), True),
    ("sg005-some-ports", "SG005", sg_design(tcp("0-1000", "0.0.0.0/0")), False),
    # ---- SG006 egress to the world on every port (SG-03 default rule)
    ("sg006-aws-default-egress", "SG006", sg_design(tcp(443, "10.0.0.0/16")), True),
    ("sg006-explicit-egress", "SG006",
     sg_design(tcp(443, "10.0.0.0/16"), egress=[{"protocol": "tcp", "ports": 443, "destination": "0.0.0.0/0",
                                                  "description": "https"}]), False),
    # ---- SG007 default group closed (SG-04)
    ("sg007-aws-default-rules", "SG007", base(), True),
    ("sg007-emptied", "SG007", base(security_groups={"default": {"ingress": [], "egress": []}}), False),
    # ---- SG008 descriptions
    ("sg008-no-group-description", "SG008", base(security_groups={"x": {"ingress": []}}), True),
    ("sg008-rule-without-description", "SG008",
     base(security_groups={"x": {"description": "d", "ingress": [tcp(443, "10.0.0.0/8")]}}), True),
    ("sg008-described", "SG008", sg_design(tcp(443, "10.0.0.0/8"), egress=[]), False),
    # ---- SG009 unused groups (a reference to an unpeered VPC's group is REF002's, see below)
    ("sg009-unused", "SG009", sg_design(tcp(443, "10.0.0.0/8"), used=False), True),
    ("sg009-used", "SG009", sg_design(tcp(443, "10.0.0.0/8")), False),
    # ---- SG010 too wide (admin from networks, long ranges)
    ("sg010-ssh-from-public-network", "SG010", sg_design(tcp(22, "203.0.113.0/24")), True),
    ("sg010-long-range", "SG010", sg_design(tcp("1000-2000", "10.0.0.0/16")), True),
    ("sg010-ssh-from-one-host", "SG010", sg_design(tcp(22, "203.0.113.5/32")), False),
    # ---- NACL001 SSH/RDP from the world, first match (NACL-03/04/09)
    ("nacl001-allow-ssh", "NACL001", nacl_design([entry(100, "0.0.0.0/0", ports=22)]), True),
    # AWS's untouched allow-all default NACL: one NACL003 at info, no per-port warnings (docs/validate.md)
    ("nacl001-default-nacl-in-use", "NACL001", base(), False),
    ("nacl003-default-nacl-in-use", "NACL003", base(), True),
    ("nacl001-edited-default-nacl", "NACL001",
     base(nacls={"default": {"ingress": [entry(100, "0.0.0.0/0", ports=22)], "egress": [entry(100, "0.0.0.0/0")]}}), True),
    ("nacl001-split-halves", "NACL001",
     nacl_design([entry(100, "0.0.0.0/1", ports=3389), entry(110, "128.0.0.0/1", ports=3389)]), True),
    ("nacl001-protocol-all-with-ports", "NACL001", nacl_design([entry(100, "0.0.0.0/0", protocol="-1", ports=80)]), True),
    ("nacl001-allow-after-lower-deny", "NACL001",
     nacl_design([entry(50, "0.0.0.0/0", ports=22, action="deny"), entry(60, "0.0.0.0/0", ports=3389, action="deny"),
                  entry(60 + 40, "0.0.0.0/0", ports="0-65535")]), False),
    ("nacl001-vpc-only", "NACL001", nacl_design([entry(100, "10.0.0.0/16", ports=22)]), False),
    ("nacl001-unassociated-custom", "NACL001", nacl_design([entry(100, "0.0.0.0/0", ports=22)], associate=False), True),
    ("nacl001-unused-default-nacl", "NACL001",
     base(subnets={"public-a": {"az": AZ_A, "cidr": "10.0.0.0/24", "route_table": "public", "nacl": "n"},
                   "app-a": {"az": AZ_A, "cidr": "10.0.10.0/24", "route_table": "private", "nacl": "n"}},
          nacls={"n": {"ingress": [entry(100, "10.0.0.0/16", ports=22)]}}), False),
    # ---- NACL002 FTP
    ("nacl002-ftp-world", "NACL002", nacl_design([entry(100, "0.0.0.0/0", ports="20-21")]), True),
    ("nacl002-ftp-denied-first", "NACL002",
     nacl_design([entry(10, "0.0.0.0/0", protocol="-1", ports=None, action="deny"),
                  entry(100, "0.0.0.0/0", ports="20-21")]), False),
    # ---- NACL003 every port
    ("nacl003-protocol-all", "NACL003", nacl_design([entry(100, "0.0.0.0/0", protocol="-1", ports=443)]), True),
    ("nacl003-tcp-all-ports", "NACL003", nacl_design([entry(100, "::/0", ports="0-65535")]), True),
    ("nacl003-internal-only", "NACL003", nacl_design([entry(100, "10.0.0.0/8", protocol="-1")]), False),
    ("nacl003-shadowed-by-deny-all", "NACL003",
     nacl_design([entry(10, "0.0.0.0/0", protocol="-1", action="deny"), entry(100, "0.0.0.0/0", protocol="-1")]), False),
    # ---- NACL005 shadowed entries (S13, S14)
    ("nacl005-allow-under-deny", "NACL005",
     nacl_design([entry(50, "0.0.0.0/0", ports=22, action="deny"), entry(100, "0.0.0.0/0", ports=22)]), True),
    ("nacl005-deny-under-allow-S14", "NACL005",
     nacl_design([entry(50, "0.0.0.0/0", ports=22), entry(100, "203.0.113.5/32", ports=22, action="deny")]), True),
    ("nacl005-deny-before-allow-S13", "NACL005",
     nacl_design([entry(50, "203.0.113.5/32", ports=22, action="deny"), entry(100, "0.0.0.0/0", ports=22)]), False),
    ("nacl005-disjoint-ports", "NACL005",
     nacl_design([entry(50, "0.0.0.0/0", ports=22, action="deny"), entry(100, "0.0.0.0/0", ports=443)]), False),
    # ---- NACL006 replies on ephemeral ports (NACL-07, §1.7)
    ("nacl006-no-return-rule", "NACL006",
     nacl_design([entry(100, "0.0.0.0/0", ports=443)], egress=[entry(100, "0.0.0.0/0", ports=443)]), True),
    ("nacl006-linux-range-only", "NACL006",
     nacl_design([entry(100, "0.0.0.0/0", ports=443)], egress=[entry(100, "0.0.0.0/0", ports="32768-65535")]), True),
    ("nacl006-egress-flow-without-ingress-replies", "NACL006",
     nacl_design([entry(100, "10.0.0.0/16", ports=22)],
                 egress=[entry(100, "0.0.0.0/0", ports=443), entry(110, "10.0.0.0/16", ports="1024-65535")]), True),
    ("nacl006-full-ephemeral", "NACL006",
     nacl_design([entry(100, "0.0.0.0/0", ports=443)], egress=[entry(100, "0.0.0.0/0", ports="1024-65535")]), False),
    # ---- NACL007 unused NACLs
    ("nacl007-unassociated", "NACL007", nacl_design([], associate=False), True),
    ("nacl007-associated", "NACL007", nacl_design([]), False),
    # ---- NACL010 PMTUD (NACL-13, S58)
    ("nacl010-no-icmp", "NACL010",
     nacl_design([entry(100, "0.0.0.0/0", ports=443), entry(110, "0.0.0.0/0", ports="1024-65535")],
                 egress=[entry(100, "0.0.0.0/0", ports="1024-65535")]), True),
    ("nacl010-icmp-3-4-both-ways", "NACL010",
     nacl_design([ICMP_PMTUD, entry(100, "0.0.0.0/0", ports=443)], egress=[ICMP_PMTUD, entry(100, "0.0.0.0/0", ports="1024-65535")]), False),
    ("nacl010-vpc-internal-only-S58", "NACL010",
     nacl_design([entry(100, "10.0.0.0/16", ports=443)], egress=[entry(100, "10.0.0.0/16", ports="1024-65535")]), True),
    ("nacl010-allow-all", "NACL010", nacl_design([entry(100, "0.0.0.0/0", protocol="-1")]), False),
    # ---- VPC006 explicit route-table association; main table not public
    ("vpc006-implicit-main", "VPC006", base(subnets={"x": {"az": AZ_A, "cidr": "10.0.20.0/24"}}), True),
    ("vpc006-main-routes-to-igw", "VPC006",
     base(route_tables={"main": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}}), True),
    ("vpc006-explicit", "VPC006", base(), False),
    # ---- VPC008 default VPC
    ("vpc008-default", "VPC008", base(is_default=True), True),
    ("vpc008-custom", "VPC008", base(), False),
    # ---- VPC009 flow logs
    ("vpc009-none", "VPC009", base(), True),
    ("vpc009-accept-only", "VPC009", base(flow_logs={"fl": {"traffic_type": "ACCEPT"}}), True),
    ("vpc009-all", "VPC009", base(flow_logs={"fl": {"destination_type": "s3", "destination": "arn:aws:s3:::logs"}}), False),
    # ---- RT001 tier vs routes (SUB-06)
    ("rt001-public-without-igw", "RT001",
     base(subnets={"public-b": {"az": AZ_B, "cidr": "10.0.1.0/24", "route_table": "private", "tier": "public"}}), True),
    ("rt001-db-with-igw", "RT001",
     base(subnets={"db-a": {"az": AZ_A, "cidr": "10.0.20.0/24", "route_table": "public", "tier": "db"}}), True),
    ("rt001-consistent", "RT001", base(), False),
    # ---- RT002 NAT gateway per AZ; NAT instances
    ("rt002-cross-az-nat", "RT002",
     base(subnets={"app-b": {"az": AZ_B, "cidr": "10.0.11.0/24", "route_table": "private"}},
          nat_gateways={"nat-a": {"subnet": "public-a"}},
          route_tables={"private": {"routes": [{"destination": "0.0.0.0/0", "target": "nat-a"}]}}), True),
    ("rt002-nat-instance", "RT002",
     base(instances={"nat-box": {"subnet": "public-a", "source_dest_check": False}},
          route_tables={"private": {"routes": [{"destination": "0.0.0.0/0", "target": "nat-box"}]}}), True),
    ("rt002-same-az", "RT002",
     base(nat_gateways={"nat-a": {"subnet": "public-a"}},
          route_tables={"private": {"routes": [{"destination": "0.0.0.0/0", "target": "nat-a"}]}}), False),
    # ---- RT003 blackholes and dead targets (RT-10)
    ("rt003-blackhole-state", "RT003",
     base(route_tables={"private": {"routes": [{"destination": "0.0.0.0/0", "target": "igw", "state": "blackhole"}]}}), True),
    ("rt003-failed-nat", "RT003",
     base(nat_gateways={"nat-a": {"subnet": "public-a", "state": "failed"}},
          route_tables={"private": {"routes": [{"destination": "0.0.0.0/0", "target": "nat-a"}]}}), True),
    ("rt003-inactive-peering", "RT003", _two_vpcs(pcx_state="deleted"), True),
    ("rt003-healthy", "RT003", _two_vpcs(), False),
    # ---- RT004 peering routes (PCX-03, PCX-05)
    ("rt004-default-route-over-peering", "RT004", _two_vpcs(wide=True), True),
    ("rt004-one-sided", "RT004", _two_vpcs(routes_b=False), True),
    ("rt004-both-sides", "RT004", _two_vpcs(), False),
    # ---- NET001 auto-assigned public IPs (SUB-08)
    ("net001-auto-ip", "NET001",
     base(subnets={"public-a": {"az": AZ_A, "cidr": "10.0.0.0/24", "route_table": "public", "auto_public_ip": True}}), True),
    ("net001-off", "NET001", base(), False),
    # ---- NET002 public IPs outside the public tier
    ("net002-app-tier-public-ip", "NET002", base(instances={"app-1": {"subnet": "app-a", "public_ip": True}}), True),
    ("net002-app-tier-elastic-ip", "NET002", base(instances={"app-1": {"subnet": "app-a", "elastic_ip": "198.51.100.7"}}), True),
    ("net002-public-tier", "NET002", base(instances={"web-1": {"subnet": "public-a", "public_ip": True}}), False),
    ("net002-private-address-only", "NET002", base(instances={"app-1": {"subnet": "app-a"}}), False),
    # ---- NET003 TGW auto-accept
    ("net003-auto-accept", "NET003", {**base(), "transit_gateways": {"tgw": {"auto_accept_shared_attachments": True}}}, True),
    ("net003-manual", "NET003", {**base(), "transit_gateways": {"tgw": {}}}, False),
    # ---- NET004 unattached EIPs
    ("net004-unattached", "NET004", {**base(), "elastic_ips": {"spare": {"address": "198.51.100.9"}}}, True),
    ("net004-on-an-instance", "NET004",
     {**base(instances={"web-1": {"subnet": "public-a", "elastic_ip": "198.51.100.9"}}),
      "elastic_ips": {"web": {"address": "198.51.100.9"}}}, False),
]


def run_rule(rule_id: str, data: dict, config: Config | None = None) -> list:
    design = Design.model_validate(copy.deepcopy(data))
    return list(RULES[rule_id].check(CheckContext(design, config=config)))


@pytest.mark.parametrize("rule_id, data, fires", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_table(rule_id: str, data: dict, fires: bool) -> None:
    findings = run_rule(rule_id, data)
    assert bool(findings) == fires, [f.message for f in findings]
    for finding in findings:
        assert finding.rule == rule_id and finding.message and finding.resource


def test_every_table_rule_has_both_cases() -> None:
    mine = {"VPC006", "VPC008", "VPC009", "RT001", "RT002", "RT003", "RT004", "NACL001", "NACL002", "NACL003",
            "NACL005", "NACL006", "NACL007", "NACL010", "NET001", "NET002", "NET003", "NET004",
            *(f"SG{n:03d}" for n in range(1, 11))}
    for rule_id in mine:
        outcomes = {fires for _, r, _, fires in CASES if r == rule_id}
        assert outcomes == {True, False}, rule_id
        rule = RULES[rule_id]
        assert rule.title and rule.rationale and rule.fix, rule_id


def test_lower_deny_really_closes_the_port() -> None:
    # NACL-03: checkov flags the allow at 100; the deny at 50 closes 22, so only 3389 is open.
    data = nacl_design([entry(50, "0.0.0.0/0", ports=22, action="deny"), entry(100, "0.0.0.0/0", ports="0-65535")])
    messages = [f.message for f in run_rule("NACL001", data)]
    assert len(messages) == 1 and "RDP" in messages[0] and "SSH" not in messages[0]


def test_shadowed_deny_is_named_with_its_shadow() -> None:
    data = nacl_design([entry(50, "0.0.0.0/0", ports=22), entry(100, "203.0.113.5/32", ports=22, action="deny")])
    (finding,) = run_rule("NACL005", data)
    assert "rule 100" in finding.message and "50 (allow)" in finding.message and finding.severity == "warning"
    assert finding.path[-2:] == ("ingress", 1)


def test_partial_return_range_names_missing_ports() -> None:
    data = nacl_design([entry(100, "0.0.0.0/0", ports=443)], egress=[entry(100, "0.0.0.0/0", ports="32768-65535")])
    (finding,) = run_rule("NACL006", data)
    assert "1024-32767" in finding.message


def test_split_halves_message_says_the_whole_internet() -> None:
    (finding,) = run_rule("SG001", sg_design(tcp(22, "0.0.0.0/1"), tcp(22, "128.0.0.0/1")))
    assert "0.0.0.0/0" in finding.message and finding.data["key"] == "tcp/22"


@pytest.mark.parametrize("settings, port, fires", [
    (Config(), 5432, True),
    (Config(high_risk_profile="cis", high_risk_ports=(22, 3389)), 5432, False),
    (Config(high_risk_profile="custom", high_risk_ports=(8081,)), 8081, True),
], ids=["ec2.19-default", "cis-profile", "custom-list"])
def test_high_risk_port_profiles(settings: Config, port: int, fires: bool) -> None:
    assert bool(run_rule("SG004", sg_design(tcp(port, "0.0.0.0/0")), settings)) == fires


@pytest.mark.parametrize("wide, fires", [(8, False), (12, True)])
def test_wide_prefix_is_configurable(wide: int, fires: bool) -> None:
    data = sg_design(tcp(22, "11.0.0.0/10"))
    assert bool(run_rule("SG001", data, Config(wide_prefix_ipv4=wide))) == fires


def test_authorized_ports_are_configurable() -> None:
    data = sg_design(tcp(8443, "0.0.0.0/0"))
    assert not run_rule("SG003", data, Config(authorized_ports=(443, 8443)))


@pytest.mark.parametrize("cidr, severity", [("0.0.0.0/0", "warning"), ("10.0.0.0/16", "info")])
def test_pmtud_severity_depends_on_leaving_the_vpc(cidr: str, severity: str) -> None:
    # NACL-13 / S58: inside the VPC the MTU is 9001 everywhere; outside it, PMTUD needs ICMP 3/4.
    data = nacl_design([entry(100, cidr, ports=443)], egress=[entry(100, cidr, ports="1024-65535")])
    assert {f.severity for f in run_rule("NACL010", data)} == {severity}


@pytest.mark.parametrize("peered", [True, False])
def test_cross_vpc_group_reference_is_ref002s_not_sg009s(peered: bool) -> None:
    # SG-05: a reference to a peer VPC's group matches only across an active same-Region peering. The
    # foundation rule REF002 (error) reports the one that cannot match; SG009 reports only unused groups
    # (here `app`, which no resource uses), never the reference, so it is not said twice.
    data = _cross_vpc_ref(peered=peered)
    assert [f.resource for f in run_rule("SG009", data)] == ["vpc a / security group app"]
    ref002 = [f for f in run_rule("REF002", data) if "b/db" in f.message]
    assert bool(ref002) is not peered


def test_exposure_context_from_the_reachability_engine() -> None:
    # A public instance whose group opens SSH: the finding says it is really reachable (public IP,
    # IGW route, default NACL both ways, group) — what peers cannot say.
    data = sg_design(tcp(22, "0.0.0.0/0"))
    data["vpcs"]["prod"]["instances"]["web-1"]["public_ip"] = True
    (finding,) = run_rule("SG001", data)
    assert finding.data.get("reachable_from_internet") == ["prod/web-1"], finding.message
    data["vpcs"]["prod"]["instances"]["web-1"]["public_ip"] = False
    (finding,) = run_rule("SG001", data)
    assert finding.data.get("reachable_from_internet") == [] and "Not reachable" in finding.message


def test_plain_http_is_info_and_follows_authorized_ports() -> None:
    data = sg_design(tcp(80, "0.0.0.0/0"))
    assert [f.severity for f in run_rule("SG003", data)] == ["info"]
    assert [f.severity for f in run_rule("SG003", data, Config(authorized_ports=(443,)))] == ["warning"]


def test_ports_of_disabled_rules_fall_back_to_sg003() -> None:
    data = sg_design(tcp(5432, "0.0.0.0/0"))
    assert not run_rule("SG003", data)  # SG004's
    assert run_rule("SG003", data, Config(disable=("SG004",)))


def test_groups_that_together_open_ssh_are_reported_on_their_users() -> None:
    # SG-01: the groups of an interface are unioned; each half alone is not the world, together they are.
    # Two public /9s are each narrower than the /8 that counts as "the world" by default; together they are one.
    strict = Config()
    data = base(security_groups={"a": group(tcp(22, "11.0.0.0/9")), "b": group(tcp(22, "11.128.0.0/9"))},
                instances={"jump": {"subnet": "public-a", "security_groups": ["a", "b"]}})
    (finding,) = run_rule("SG001", data, strict)
    assert "a + b together" in finding.message and finding.data["resources"] == ["jump"]
    data["vpcs"]["prod"]["instances"]["jump"]["security_groups"] = ["a"]
    assert not run_rule("SG001", data, strict)


@pytest.mark.parametrize(
    ("rule_id", "data", "severity"),
    [
        # AWS's own defaults are reported for the record (info); what the author wrote is a warning.
        ("NACL003", base(), "info"),
        ("NACL003", nacl_design([entry(100, "0.0.0.0/0", protocol="-1")]), "warning"),
        ("SG006", sg_design(tcp(443, "0.0.0.0/0")), "info"),  # lists no egress: AWS's default rule
        ("SG006", sg_design(tcp(443, "0.0.0.0/0"), egress=[{"protocol": "all", "destination": "0.0.0.0/0"}]), "warning"),
    ],
    ids=["nacl003-aws-default", "nacl003-written", "sg006-aws-default", "sg006-written"],
)
def test_aws_defaults_are_info_written_rules_warn(rule_id: str, data: dict, severity: str) -> None:
    assert [f.severity for f in run_rule(rule_id, data)] == [severity]


def _layered(ingress: list, group_rules: list | None) -> dict:
    """A NACL ``n`` on the public subnet, and (when ``group_rules`` is given) an instance there in a group with them."""
    data = nacl_design(ingress)
    if group_rules is not None:
        data["vpcs"]["prod"]["security_groups"] = {"g": group(*group_rules)}
        data["vpcs"]["prod"]["instances"] = {"jump": {"subnet": "public-a", "security_groups": ["g"]}}
    return data


@pytest.mark.parametrize("ingress, group_rules, severity, words", [
    # The README's own return rule: NAT and load-balancer replies need 1024-65535 from anywhere (NACL-03,
    # stateless); it admits 3389 only as far as the NACL goes when no group behind it opens 3389.
    ([entry(110, "0.0.0.0/0", ports="1024-65535")], None, "info", "nothing behind it does"),
    ([entry(110, "0.0.0.0/0", ports="1024-65535")], [tcp(443, "0.0.0.0/0")], "info", "nothing behind it does"),
    # A group that admits 3389 only from inside the VPC does not open it to that range (SG-01).
    ([entry(110, "0.0.0.0/0", ports="1024-65535")], [tcp(3389, "10.0.0.0/16")], "info", "nothing behind it does"),
    # Something behind it also admits the port from that range: both layers are open.
    ([entry(110, "0.0.0.0/0", ports="1024-65535")], [tcp(3389, "0.0.0.0/0")], "warning",
     "jump (security group g) behind it admits it from there too"),
    ([entry(100, "0.0.0.0/0", ports=22)], [tcp("0-65535", "0.0.0.0/1"), tcp(22, "128.0.0.0/1")], "warning",
     "jump (security group g)"),
])
def test_nacl001_weighs_what_is_behind_the_nacl(ingress: list, group_rules: list | None, severity: str,
                                                words: str) -> None:
    """NACL001: a NACL is one layer of two (NACL-03; SG-01/SG-02 decide the second)."""
    findings = run_rule("NACL001", _layered(ingress, group_rules))
    assert findings and {f.severity for f in findings} == {severity}
    assert all(words in f.message for f in findings), [f.message for f in findings]


def test_nacl001_pools_the_groups_of_an_interface() -> None:
    """SG-01: the rules of all groups on an interface are pooled — two halves of the internet in two groups open
    the port to all of it, though neither group alone does."""
    data = _layered([entry(110, "0.0.0.0/0", ports="1024-65535")], None)
    data["vpcs"]["prod"]["security_groups"] = {"low": group(tcp(3389, "0.0.0.0/1")), "high": group(tcp(3389, "128.0.0.0/1"))}
    data["vpcs"]["prod"]["instances"] = {"jump": {"subnet": "public-a", "security_groups": ["low", "high"]}}
    findings = run_rule("NACL001", data)
    assert [f.severity for f in findings] == ["warning"]
    assert "jump (security groups low, high) behind it admits it from there too" in findings[0].message
