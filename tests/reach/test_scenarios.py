"""The 64 scenarios of aws-semantics.md §4.2, as one table.

Conventions of §4.2: VPC-A 10.0.0.0/16; public subnet P 10.0.1.0/24 (rt-pub: local, 0/0→igw);
private subnet Q 10.0.2.0/24 (rt-priv: local, 0/0→nat in P); db subnet D 10.0.3.0/24 (rt-db:
local only); instances web (P, EIP), app (Q), db (D). Each row names the scenario, the checklist
entries it exercises, a change to that base design, the question, and the expected answer: a
verdict and the code that must be among the blockers, or — where AWS rejects the configuration
itself — the validation finding.

Decisions where the catalogue leaves a choice:
- S29: an IP endpoint is not resolved up front; the packet goes where the routes send it, and the
  interface owning the address in the VPC it reaches answers (two peers may use the same CIDR).
- S63: hairpinning through the IGW is modelled (IGW-06 allows either choice; AWS forwards it).
- S61a: the design has no IGW, so only the egress-only gateway could carry IPv6.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

from vpckit.checks import run_checks
from vpckit.model import Design
from vpckit.network import build_network
from vpckit.reach import answer, parse_query

INTERNET_HOST = "203.0.113.10"
S3_PREFIX = "52.216.0.0/15"
S3_HOST = "52.216.10.20"


def base() -> dict[str, Any]:
    """The §4.2 base design."""
    return {
        "name": "s42",
        "region": "us-east-1",
        "vpcs": {
            "a": {
                "cidr": "10.0.0.0/16",
                "internet_gateway": "igw",
                "subnets": {
                    "P": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "route_table": "rt-pub"},
                    "Q": {"az": "us-east-1a", "cidr": "10.0.2.0/24", "route_table": "rt-priv"},
                    "D": {"az": "us-east-1a", "cidr": "10.0.3.0/24", "route_table": "rt-db"},
                },
                "nat_gateways": {"nat": {"subnet": "P", "private_ip": "10.0.1.100", "elastic_ip": "198.51.100.100"}},
                "route_tables": {
                    "rt-pub": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]},
                    "rt-priv": {"routes": [{"destination": "0.0.0.0/0", "target": "nat"}]},
                    "rt-db": {},
                },
                "security_groups": {
                    "web": {"ingress": [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"}]},
                    "app": {"ingress": [{"protocol": "tcp", "ports": 8080, "source": "web"}]},
                    "db": {"ingress": [{"protocol": "tcp", "ports": 5432, "source": "app"}]},
                },
                "instances": {
                    "web": {"subnet": "P", "private_ip": "10.0.1.10", "elastic_ip": "198.51.100.10",
                            "security_groups": ["web"]},
                    "app": {"subnet": "Q", "private_ip": "10.0.2.10", "security_groups": ["app"]},
                    "db": {"subnet": "D", "private_ip": "10.0.3.10", "security_groups": ["db"]},
                },
            }
        },
    }


Change = Callable[[dict[str, Any]], None]


def vpc(design: dict[str, Any], name: str = "a") -> dict[str, Any]:
    return design["vpcs"][name]


def apply(*changes: Change) -> dict[str, Any]:
    design = base()
    for change in changes:
        change(design)
    return design


# --------------------------------------------------------------------------- building blocks


def set_(path: str, value: Any) -> Change:
    """Set a value at a dotted path inside the design (`vpcs.a.instances.web.elastic_ip`)."""

    def change(design: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = design
        for part in parents:
            node = node.setdefault(part, {})
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)

    return change


DELETE = object()


def add_route(table: str, destination: str, target: str, vpc_name: str = "a", **extra: Any) -> Change:
    def change(design: dict[str, Any]) -> None:
        vpc(design, vpc_name)["route_tables"].setdefault(table, {}).setdefault("routes", []).append(
            {"destination": destination, "target": target, **extra}
        )

    return change


def allow_ingress(group: str, protocol: str, ports: Any, source: str, vpc_name: str = "a") -> Change:
    def change(design: dict[str, Any]) -> None:
        rules = vpc(design, vpc_name)["security_groups"][group].setdefault("ingress", [])
        rule: dict[str, Any] = {"protocol": protocol, "source": source}
        if ports is not None:
            rule["ports"] = ports
        rules.append(rule)

    return change


def nacl(name: str, subnets: list[str], ingress: list[dict], egress: list[dict], vpc_name: str = "a") -> Change:
    def change(design: dict[str, Any]) -> None:
        vpc(design, vpc_name).setdefault("nacls", {})[name] = {"ingress": ingress, "egress": egress}
        for subnet in subnets:
            vpc(design, vpc_name)["subnets"][subnet]["nacl"] = name

    return change


def firewall(subnet: str = "P", ip: str = "10.0.1.50", source_dest_check: bool = False, **extra: Any) -> Change:
    """A middlebox instance whose group allows everything from the VPC (RT-12)."""

    def change(design: dict[str, Any]) -> None:
        v = vpc(design)
        v["security_groups"]["fw"] = {"ingress": [{"protocol": "all", "source": "10.0.0.0/16"}]}
        v["instances"]["fw"] = {"subnet": subnet, "private_ip": ip, "security_groups": ["fw"],
                                "source_dest_check": source_dest_check, **extra}

    return change


def second_vpc(name: str, cidr: str, subnet_cidr: str, host_ip: str, region: str | None = None,
               az: str = "us-east-1a") -> Change:
    """A peer VPC with one subnet, one host allowing everything from 10.0.0.0/8."""

    def change(design: dict[str, Any]) -> None:
        body: dict[str, Any] = {
            "cidr": cidr,
            "subnets": {"S": {"az": az, "cidr": subnet_cidr, "route_table": "rt"}},
            "route_tables": {"rt": {}},
            "security_groups": {"host": {"ingress": [{"protocol": "all", "source": "10.0.0.0/8"}]}},
            "instances": {f"{name}-host": {"subnet": "S", "private_ip": host_ip, "security_groups": ["host"]}},
        }
        if region:
            body["region"] = region
        design["vpcs"][name] = body

    return change


def peer(name: str, requester: str, accepter: str, state: str = "active") -> Change:
    def change(design: dict[str, Any]) -> None:
        design.setdefault("peering_connections", {})[name] = {"requester": requester, "accepter": accepter,
                                                             "state": state}

    return change


def app_allows_from_vpc(design: dict[str, Any]) -> None:
    vpc(design)["security_groups"]["app"]["ingress"].append(
        {"protocol": "tcp", "ports": 8080, "source": "10.0.0.0/16"})


def s3_gateway_endpoint(table: str = "rt-priv") -> Change:
    def change(design: dict[str, Any]) -> None:
        design.setdefault("prefix_lists", {})["s3"] = {"id": "pl-63a5400a", "cidrs": [S3_PREFIX]}
        vpc(design)["endpoints"] = {"s3": {"service": "com.amazonaws.us-east-1.s3", "type": "gateway",
                                           "route_tables": [table], "prefix_list": "s3"}}

    return change


def tgw_hub(
    spoke_subnet_azs: tuple[str, ...] = ("us-east-1a",),
    associate: bool = True,
    propagate_spoke: bool = True,
    spoke_route: bool = True,
) -> Change:
    """VPC a (10.0.0.0/16) and spoke VPC s (10.2.0.0/16) on transit gateway `hub`."""

    def change(design: dict[str, Any]) -> None:
        v = vpc(design)
        v["subnets"]["Q2"] = {"az": "us-east-1b", "cidr": "10.0.12.0/24", "route_table": "rt-priv"}
        v["instances"]["app-b"] = {"subnet": "Q2", "private_ip": "10.0.12.10", "security_groups": ["app"]}
        v["route_tables"]["rt-priv"]["routes"].append({"destination": "10.2.0.0/16", "target": "hub"})
        v["route_tables"]["rt-db"].setdefault("routes", []).append({"destination": "10.2.0.0/16", "target": "hub"})
        subnets: dict[str, Any] = {
            f"s-{az[-1]}": {"az": az, "cidr": f"10.2.{i}.0/24", "route_table": "rt"}
            for i, az in enumerate(("us-east-1a", "us-east-1b"), start=1)
        }
        design["vpcs"]["s"] = {
            "cidr": "10.2.0.0/16",
            "subnets": subnets,
            "route_tables": {"rt": {"routes": [{"destination": "10.0.0.0/16", "target": "hub"}] if spoke_route else []}},
            "security_groups": {"host": {"ingress": [{"protocol": "all", "source": "10.0.0.0/8"}]}},
            "instances": {"s-host": {"subnet": "s-a", "private_ip": "10.2.1.10", "security_groups": ["host"]}},
        }
        a_subnets = {"us-east-1a": "Q", "us-east-1b": "Q2"}
        design["transit_gateways"] = {
            "hub": {
                "attachments": {
                    "att-a": {"vpc": "a", "subnets": [a_subnets[az] for az in spoke_subnet_azs],
                              "route_table": "main" if associate else None, "propagate_to": ["main"]},
                    "att-s": {"vpc": "s", "subnets": ["s-a", "s-b"], "route_table": "main",
                              "propagate_to": ["main"] if propagate_spoke else []},
                },
                "route_tables": {"main": {}},
            }
        }
        # db may talk to the spoke too
        v["security_groups"]["db"]["ingress"].append({"protocol": "all", "source": "10.2.0.0/16"})
        v["security_groups"]["app"]["ingress"].append({"protocol": "all", "source": "10.2.0.0/16"})

    return change


# --------------------------------------------------------------------------- the table


@dataclass
class Scenario:
    id: str
    semantics: str
    changes: tuple[Change, ...]
    query: dict[str, Any] | None = None
    verdict: str | None = None
    codes: frozenset[str] = frozenset()  # one of these must be a blocker's code
    leg: str | None = None  # the leg the blocker is on, when it matters
    finding: str | frozenset[str] | None = None  # a validation rule id that must be reported
    through: str | None = None  # a graph node the forward path must pass
    not_through: str | None = None
    check: Callable[[Any], None] | None = None
    params: dict[str, Any] = field(default_factory=dict)


def S(id: str, semantics: str, *changes: Change, **expected: Any) -> Scenario:
    codes = expected.pop("codes", ())
    if isinstance(codes, str):
        codes = (codes,)
    return Scenario(id, semantics, changes, codes=frozenset(codes), **expected)


def q(source: str, destination: str, protocol: str | int = "tcp", port: Any = None, **extra: Any) -> dict[str, Any]:
    query: dict[str, Any] = {"from": source, "to": destination, "protocol": protocol}
    if port is not None:
        query["port"] = port
    query.update(extra)
    return query


def _partial_ports(result: Any) -> None:
    # S12(c): the NAT gateway answers from ports 1024-65535 (NAT-04) but the NACL admits only 32768-65535.
    failing = [(r.low, r.high) for r in result.failing_client_ports]
    assert failing == [(1024, 32767)]


def _tracked_note(result: Any) -> None:
    assert any("track" in note.lower() for note in result.notes)


DEFAULT_NACL_RETURN_ONLY_HIGH = nacl(
    "high-return",
    ["P"],
    ingress=[
        {"rule": 100, "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
        {"rule": 110, "protocol": "tcp", "ports": "32768-65535", "cidr": "0.0.0.0/0"},
    ],
    egress=[
        {"rule": 100, "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
        {"rule": 110, "protocol": "tcp", "ports": "32768-65535", "cidr": "0.0.0.0/0"},
    ],
)

# A subnet of its own for a middlebox, routed by the main table (local routes only), so that the
# firewall's own forwarding does not hit the redirect it serves.
FIREWALL_SUBNET = set_("vpcs.a.subnets.F", {"az": "us-east-1a", "cidr": "10.0.4.0/24"})

SSH_NACL = [
    {"rule": 100, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow"},
]

SCENARIOS: list[Scenario] = [
    # S01 baseline three tiers
    S("S01a", "IGW-02", query=q("internet", "web", port=443), verdict="reachable"),
    S("S01b", "SG-05", query=q("web", "app", port=8080), verdict="reachable"),
    S("S01c", "SG-05", query=q("app", "db", port=5432), verdict="reachable"),
    S("S02", "IGW-04", query=q("internet", "db", port=5432), verdict="unreachable",
      codes="IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"),
    S("S03a", "IGW-04", set_("vpcs.a.instances.web.elastic_ip", DELETE), query=q("internet", "web", port=443),
      verdict="unreachable", codes="IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"),
    S("S03b", "IGW-04", set_("vpcs.a.instances.web.elastic_ip", DELETE), query=q("web", INTERNET_HOST, port=443),
      verdict="unreachable", codes="IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"),
    S("S04", "IGW-02", set_("vpcs.a.route_tables.rt-pub.routes", []), query=q("internet", "web", port=443),
      verdict="unreachable", codes="NO_ROUTE_TO_DESTINATION", leg="return"),
    S("S05", "IGW-01",
      second_vpc("b", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10"), set_("vpcs.b.internet_gateway", "igw-b"),
      set_("vpcs.a.route_tables.rt-pub.routes", [{"destination": "0.0.0.0/0", "target": "igw-b"}]),
      query=q("web", INTERNET_HOST, port=443), verdict="unreachable", finding="RT006"),
    S("S06", "IGW-04",
      set_("vpcs.a.instances.bastion", {"subnet": "Q", "private_ip": "10.0.2.20", "elastic_ip": "198.51.100.20",
                                        "security_groups": ["ssh"]}),
      set_("vpcs.a.security_groups.ssh", {"ingress": [{"protocol": "tcp", "ports": 22, "source": "0.0.0.0/0"}]}),
      query=q("internet", "bastion", port=22), verdict="unreachable", codes="ASYMMETRIC_RETURN", leg="return"),
    S("S07", "NAT-01", set_("vpcs.a.nat_gateways.nat.subnet", "Q"), set_("vpcs.a.nat_gateways.nat.private_ip", "10.0.2.100"),
      query=q("app", INTERNET_HOST, port=443), verdict="unreachable",
      codes={"NO_ROUTE_TO_DESTINATION", "CANNOT_ROUTE"}, finding="RT005"),
    S("S08", "RT-10", set_("vpcs.a.nat_gateways.nat.state", "deleted"), query=q("app", INTERNET_HOST, port=443),
      verdict="unreachable", codes="BAD_STATE_ROUTE"),
    S("S09", "SG-03", set_("vpcs.a.security_groups.app.egress", []), query=q("app", "db", port=5432),
      verdict="unreachable", codes={"SG_HAS_NO_RULES", "ENI_SG_RULES_MISMATCH"}, leg="forward"),
    S("S10", "SG-06", firewall(), add_route("rt-priv", "10.0.3.0/24", "fw"), query=q("app", "db", port=5432),
      verdict="unreachable", codes="SG_REFERENCES_NOT_PRESERVED", through="eni:a/fw"),
    S("S11", "NACL-07",
      nacl("db-only-in", ["D"], ingress=[{"rule": 100, "protocol": "tcp", "ports": 5432, "cidr": "10.0.0.0/16"}],
           egress=[]),
      query=q("app", "db", port=5432), verdict="unreachable", codes="SUBNET_ACL_RESTRICTION", leg="return"),
    S("S12a", "NACL-07", DEFAULT_NACL_RETURN_ONLY_HIGH,
      query=q(INTERNET_HOST, "web", port=443, client_ports="49152-65535"), verdict="reachable"),
    S("S12b", "NACL-07", DEFAULT_NACL_RETURN_ONLY_HIGH,
      query=q(INTERNET_HOST, "web", port=443, client_ports="32768-60999"), verdict="reachable"),
    S("S12c", "NAT-04", DEFAULT_NACL_RETURN_ONLY_HIGH, query=q("app", INTERNET_HOST, port=443), verdict="partial",
      codes="SUBNET_ACL_RESTRICTION", leg="return", check=_partial_ports),
    S("S13a", "NACL-03",
      allow_ingress("web", "tcp", 22, "0.0.0.0/0"),
      nacl("ssh", ["P"], ingress=[
          {"rule": 50, "protocol": "tcp", "ports": 22, "cidr": "203.0.113.5/32", "action": "deny"},
          {"rule": 100, "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0", "action": "allow"}],
           egress=SSH_NACL),
      query=q("203.0.113.5", "web", port=22), verdict="unreachable", codes="SUBNET_ACL_RESTRICTION", leg="forward"),
    S("S13b", "NACL-03",
      allow_ingress("web", "tcp", 22, "0.0.0.0/0"),
      nacl("ssh", ["P"], ingress=[
          {"rule": 50, "protocol": "tcp", "ports": 22, "cidr": "203.0.113.5/32", "action": "deny"},
          {"rule": 100, "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0", "action": "allow"}],
           egress=SSH_NACL),
      query=q("198.51.100.1", "web", port=22), verdict="reachable"),
    S("S14", "NACL-03",
      allow_ingress("web", "tcp", 22, "0.0.0.0/0"),
      nacl("ssh", ["P"], ingress=[
          {"rule": 100, "protocol": "tcp", "ports": 22, "cidr": "203.0.113.5/32", "action": "deny"},
          {"rule": 50, "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0", "action": "allow"}],
           egress=SSH_NACL),
      query=q("203.0.113.5", "web", port=22), verdict="reachable"),
    S("S15", "NACL-08",
      set_("vpcs.a.instances.app2", {"subnet": "Q", "private_ip": "10.0.2.11", "security_groups": ["app"]}),
      app_allows_from_vpc, nacl("deny-all", ["Q"], ingress=[], egress=[]),
      query=q("app2", "app", port=8080), verdict="reachable"),
    S("S16", "RT-06", firewall(), add_route("rt-pub", "10.0.1.0/24", "fw"),
      set_("vpcs.a.instances.web2", {"subnet": "P", "private_ip": "10.0.1.11", "security_groups": ["web"]}),
      query=q("web2", "web", port=443), verdict="reachable", not_through="eni:a/fw"),
    S("S17", "NACL-06", nacl("empty", ["Q"], ingress=[], egress=[]), query=q("web", "app", port=8080),
      verdict="unreachable", codes="SUBNET_ACL_RESTRICTION", leg="forward"),
    S("S18", "SG-04",
      set_("vpcs.a.instances.x", {"subnet": "P", "private_ip": "10.0.1.30"}),
      set_("vpcs.a.instances.y", {"subnet": "D", "private_ip": "10.0.3.30"}),
      query=q("x", "y", port=80), verdict="reachable"),
    S("S19", "NACL-09",
      allow_ingress("db", "tcp", 22, "app"),
      nacl("all-80", ["D"], ingress=[{"rule": 100, "protocol": "all", "ports": 80, "cidr": "0.0.0.0/0"}],
           egress=[{"rule": 100, "protocol": "all", "ports": 80, "cidr": "0.0.0.0/0"}]),
      query=q("app", "db", port=22), verdict="reachable"),
    S("S20", "SG-02", allow_ingress("db", "50", "1-2", "app"), query=q("app", "db", protocol=50),
      verdict="reachable"),
    S("S21", "PCX-05",
      second_vpc("b", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10"), peer("pcx-ab", "a", "b"),
      add_route("rt-priv", "10.1.0.0/16", "pcx-ab"),
      query=q("app", "b-host", port=443), verdict="unreachable", codes="NO_ROUTE_TO_DESTINATION", leg="return"),
    S("S22", "PCX-03",
      second_vpc("b", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10"),
      second_vpc("c", "10.3.0.0/16", "10.3.1.0/24", "10.3.1.10"),
      peer("pcx-ab", "a", "b"), peer("pcx-ac", "a", "c"),
      add_route("rt", "10.3.0.0/16", "pcx-ab", vpc_name="b"), add_route("rt", "10.0.0.0/16", "pcx-ab", vpc_name="b"),
      add_route("rt", "10.0.0.0/16", "pcx-ac", vpc_name="c"), add_route("rt", "10.1.0.0/16", "pcx-ac", vpc_name="c"),
      add_route("rt-priv", "10.1.0.0/16", "pcx-ab"), add_route("rt-priv", "10.3.0.0/16", "pcx-ac"),
      query=q("b-host", "c-host", port=443), verdict="unreachable", codes="PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"),
    S("S23", "PCX-04",
      second_vpc("b", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10"), peer("pcx-ab", "a", "b"),
      add_route("rt", "0.0.0.0/0", "pcx-ab", vpc_name="b"),
      query=q("b-host", INTERNET_HOST, port=443), verdict="unreachable",
      codes={"PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "NGW_REQUIRES_SOURCE_IN_VPC"}),
    S("S24", "VPCE-02",
      s3_gateway_endpoint(),
      second_vpc("b", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10"), peer("pcx-ab", "a", "b"),
      add_route("rt", S3_PREFIX, "pcx-ab", vpc_name="b"),
      query=q("b-host", S3_HOST, port=443), verdict="unreachable", codes="PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"),
    S("S25", "PCX-02",
      second_vpc("b", "10.0.128.0/17", "10.0.129.0/24", "10.0.129.10"), peer("pcx-ab", "a", "b"), finding="VPC004"),
    S("S26", "CIDR-08",
      second_vpc("b", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10"), peer("pcx-ab", "a", "b"),
      set_("vpcs.b.secondary_cidrs", ["10.0.0.0/16"]), finding="VPC004"),
    S("S27", "SG-05",
      second_vpc("b", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10", region="us-west-2", az="us-west-2a"),
      peer("pcx-ab", "a", "b"),
      add_route("rt", "10.0.0.0/16", "pcx-ab", vpc_name="b"), add_route("rt-priv", "10.1.0.0/16", "pcx-ab"),
      set_("vpcs.a.security_groups.app.ingress", [{"protocol": "tcp", "ports": 8080, "source": "b/host"}]),
      query=q("b-host", "app", port=8080), verdict="unreachable",
      codes={"ENI_SG_RULES_MISMATCH", "SG_REFERENCING_SUPPORT", "UNKNOWN_PEERED_SGS"}, finding="REF002"),
    S("S28", "SG-08",
      second_vpc("b", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.10"), peer("pcx-ab", "a", "b"),
      add_route("rt", "10.0.0.0/16", "pcx-ab", vpc_name="b"), add_route("rt-priv", "10.1.0.0/16", "pcx-ab"),
      set_("vpcs.a.security_groups.app.ingress", [{"protocol": "tcp", "ports": 8080, "source": "b/deleted-group"}]),
      query=q("b-host", "app", port=8080), verdict="unreachable",
      codes={"ENI_SG_RULES_MISMATCH", "UNKNOWN_PEERED_SGS"}, finding="REF001"),
    S("S29", "PCX-05",
      second_vpc("b", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.5"),
      second_vpc("c", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.5"),
      peer("pcx-ab", "a", "b"), peer("pcx-ac", "a", "c"),
      add_route("rt-priv", "10.1.0.0/16", "pcx-ac"), add_route("rt-priv", "10.1.2.5/32", "pcx-ab"),
      add_route("rt", "10.0.0.0/16", "pcx-ab", vpc_name="b"), add_route("rt", "10.0.0.0/16", "pcx-ac", vpc_name="c"),
      query=q("app", "10.1.2.5", port=443), verdict="reachable", through="pcx:pcx-ab", not_through="pcx:pcx-ac"),
    S("S30a", "RT-07",
      set_("vpcs.a.vpn_gateway", "vgw"),
      add_route("rt-pub", "198.51.100.0/24", "igw"),
      add_route("rt-pub", "198.51.100.0/24", "vgw", origin="propagated"),
      query=q("web", "198.51.100.9", port=443), verdict="reachable", through="igw:a/igw", not_through="vgw:a/vgw"),
    S("S30b", "IGW-05",
      set_("vpcs.a.vpn_gateway", "vgw"),
      add_route("rt-pub", "172.31.0.0/24", "igw"),
      add_route("rt-pub", "172.31.0.0/24", "vgw", origin="propagated"),
      query=q("web", "172.31.0.9", port=443), verdict="unreachable",
      codes="IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"),
    S("S31", "VPCE-01", s3_gateway_endpoint(), query=q("app", S3_HOST, port=443), verdict="reachable",
      through="vpce:a/s3", not_through="nat:a/nat"),
    S("S32", "RT-07",
      set_("prefix_lists", {"pl-one": {"cidrs": ["192.0.2.0/24"]}, "pl-two": {"cidrs": ["192.0.2.0/24", "198.51.100.0/24"]}}),
      firewall(),
      add_route("rt-priv", "pl-one", "igw"), add_route("rt-priv", "pl-two", "fw"), finding="RT009"),
    S("S33", "RT-04", firewall(), add_route("rt-pub", "10.0.2.0/25", "fw"), finding="RT007"),
    S("S34", "ENI-01", FIREWALL_SUBNET, firewall(subnet="F", ip="10.0.4.10", source_dest_check=True),
      app_allows_from_vpc, add_route("rt-pub", "10.0.2.0/24", "fw"),
      query=q("web", "app", port=8080), verdict="unreachable", codes="ENI_SOURCE_DEST_CHECK_RESTRICTION"),
    S("S35", "SG-06", FIREWALL_SUBNET, firewall(subnet="F", ip="10.0.4.10"), add_route("rt-pub", "10.0.2.0/24", "fw"),
      query=q("web", "app", port=8080), verdict="unreachable", codes="SG_REFERENCES_NOT_PRESERVED",
      through="eni:a/fw"),
    S("S36", "RT-11",
      set_("vpcs.a.subnets.F", {"az": "us-east-1a", "cidr": "10.0.4.0/24", "route_table": "rt-pub"}),
      firewall(subnet="F", ip="10.0.4.10"),
      set_("vpcs.a.route_tables.rt-edge", {"edge_associations": ["igw"],
                                           "routes": [{"destination": "10.0.1.0/24", "target": "fw"}]}),
      query=q("internet", "web", port=443), verdict="unreachable", codes="INGRESS_RTB_NO_PUBLIC_IP"),
    S("S37", "RT-05", add_route("rt-priv", "169.254.169.254/32", "nat"), finding="RT008"),
    S("S38", "NACL-12", nacl("deny-all", ["Q"], ingress=[], egress=[]), query=q("app", "10.0.0.2", "udp", 53),
      verdict="reachable"),
    S("S39", "TGW-02", tgw_hub(spoke_subnet_azs=("us-east-1a",)), query=q("app-b", "s-host", port=443),
      verdict="unreachable", codes="TGW_ROUTE_AZ_RESTRICTION"),
    S("S39-ok", "TGW-02", tgw_hub(spoke_subnet_azs=("us-east-1a",)), query=q("app", "s-host", port=443),
      verdict="reachable", through="tgw-rtb:hub/main"),
    S("S40", "TGW-03", tgw_hub(associate=False), query=q("app", "s-host", port=443), verdict="unreachable",
      codes="TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"),
    # Forward s → a works (a propagates), the reply a → s finds no route in the TGW table.
    S("S41", "TGW-03", tgw_hub(propagate_spoke=False), query=q("s-host", "app", port=8080), verdict="unreachable",
      codes={"TGW_RTB_CANNOT_ROUTE", "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT", "NO_ROUTE_TO_DESTINATION"}, leg="return"),
    S("S42", "TGW-07", tgw_hub(spoke_route=False), query=q("app", "s-host", port=443), verdict="unreachable",
      codes="NO_ROUTE_TO_DESTINATION", leg="return"),
    S("S43", "TGW-04", tgw_hub(),
      set_("transit_gateways.hub.route_tables.main.routes", [{"destination": "10.2.0.0/16", "blackhole": True}]),
      query=q("app", "s-host", port=443), verdict="unreachable", codes="TGW_RTB_BAD_STATE_ROUTE"),
    S("S44", "TGW-06", tgw_hub(), set_("vpcs.s.cidr", "10.0.0.0/16"), finding="VPC004"),
]


def _centralised_egress(design: dict[str, Any]) -> None:
    # Spoke s has no NAT or IGW; its default route goes to the TGW, and the TGW sends 0/0 to VPC a,
    # whose TGW-attachment subnet Q routes 0/0 to the NAT gateway (NAT-05: TGW sources are allowed).
    tgw_hub()(design)
    design["vpcs"]["s"]["route_tables"]["rt"]["routes"].append({"destination": "0.0.0.0/0", "target": "hub"})
    design["transit_gateways"]["hub"]["route_tables"]["main"]["routes"] = [
        {"destination": "0.0.0.0/0", "attachment": "att-a"}]
    design["vpcs"]["a"]["route_tables"]["rt-pub"]["routes"].append({"destination": "10.2.0.0/16", "target": "hub"})


def _interface_endpoint(allow_app: bool) -> Change:
    def change(design: dict[str, Any]) -> None:
        v = vpc(design)
        v["security_groups"]["vpce"] = {
            "ingress": [{"protocol": "tcp", "ports": 443, "source": "10.0.2.0/24" if allow_app else "10.0.9.0/24"}]}
        v["endpoints"] = {"sqs": {"service": "com.amazonaws.us-east-1.sqs", "type": "interface", "subnets": ["D"],
                                  "security_groups": ["vpce"], "private_ips": ["10.0.3.50"]}}
        v["security_groups"]["app"]["ingress"].append({"protocol": "all", "source": "10.0.0.0/16"})

    return change


def _dual_stack(design: dict[str, Any]) -> None:
    v = vpc(design)
    v["ipv6_cidrs"] = ["2600:1f18:aaaa:100::/56"]
    v["subnets"]["P"]["ipv6_cidr"] = "2600:1f18:aaaa:101::/64"
    v["subnets"]["Q"]["ipv6_cidr"] = "2600:1f18:aaaa:102::/64"
    v["instances"]["web"]["ipv6_addresses"] = ["2600:1f18:aaaa:101::10"]
    v["instances"]["app"]["ipv6_addresses"] = ["2600:1f18:aaaa:102::10"]
    v["security_groups"]["web"]["ingress"].append({"protocol": "tcp", "ports": 443, "source": "::/0"})
    v["security_groups"]["app"]["ingress"].append({"protocol": "tcp", "ports": 443, "source": "::/0"})
    v["security_groups"]["app"]["egress"] = [{"protocol": "all", "destination": "0.0.0.0/0"},
                                             {"protocol": "all", "destination": "::/0"}]


INTERNET6_HOST = "2a00:1450:4001::10"


def _alb_pair(design: dict[str, Any]) -> None:
    v = vpc(design)
    v["subnets"]["P2"] = {"az": "us-east-1b", "cidr": "10.0.11.0/24", "route_table": "rt-pub"}
    v["subnets"]["Q2"] = {"az": "us-east-1b", "cidr": "10.0.12.0/24", "route_table": "rt-priv"}
    v["security_groups"]["alb"] = {"ingress": [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"}]}
    v["security_groups"]["web-a"] = {"ingress": [{"protocol": "tcp", "ports": 8080, "source": "alb"}]}
    v["security_groups"]["web-b"] = {"ingress": [{"protocol": "tcp", "ports": 8080, "source": "10.9.0.0/16"}]}
    v["instances"]["web-a"] = {"subnet": "Q", "private_ip": "10.0.2.40", "security_groups": ["web-a"]}
    v["instances"]["web-b"] = {"subnet": "Q2", "private_ip": "10.0.12.40", "security_groups": ["web-b"]}
    v["target_groups"] = {"tg": {"protocol": "HTTP", "port": 8080, "targets": ["web-a", "web-b"]}}
    v["load_balancers"] = {"alb": {"type": "application", "subnets": ["P", "P2"], "security_groups": ["alb"],
                                   "listeners": [{"protocol": "HTTPS", "port": 443, "target_group": "tg"}]}}


SCENARIOS += [
    S("S45", "NAT-05", _centralised_egress, query=q("s-host", INTERNET_HOST, port=443), verdict="reachable",
      through="nat:a/nat"),
    S("S46", "VPCE-04", _interface_endpoint(allow_app=False), query=q("app", "10.0.3.50", port=443),
      verdict="unreachable", codes="ENI_SG_RULES_MISMATCH"),
    S("S46-ok", "VPCE-04", _interface_endpoint(allow_app=True), query=q("app", "10.0.3.50", port=443),
      verdict="reachable"),
    S("S47", "VPCE-04", _interface_endpoint(allow_app=True), query=q("10.0.3.50", "app", port=8080),
      verdict="unreachable", codes="VPCE_INTRA_VPC_TRAFFIC"),
    S("S48", "VPCE-03", s3_gateway_endpoint(), query=q("app", S3_HOST, "udp", 443), verdict="unreachable",
      codes="VPCE_GATEWAY_PROTOCOL_RESTRICTION"),
    S("S49", "IGW-05", add_route("rt-pub", "10.50.0.0/16", "igw"), query=q("web", "10.50.0.9", port=443),
      verdict="unreachable", codes="IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"),
    S("S50", "NAT-01", set_("vpcs.a.internet_gateway", None),
      set_("vpcs.a.route_tables.rt-pub.routes", []), finding="RT005"),
    S("S51", "NAT-02", set_("vpcs.a.nat_gateways.nat.connectivity", "private"),
      set_("vpcs.a.nat_gateways.nat.elastic_ip", DELETE),
      query=q("app", INTERNET_HOST, port=443), verdict="unreachable"),
    S("S52", "CIDR-01", set_("vpcs.a.subnets.Q.cidr", "10.0.2.0/29"), set_("vpcs.a.instances.app.private_ip", "10.0.2.4"),
      finding=frozenset({"VPC001", "VPC002"})),
    S("S53a", "SUB-04", set_("vpcs.a.instances.app.private_ip", "10.0.2.3"), finding="VPC012"),
    S("S53b", "SUB-04", set_("vpcs.a.instances.app.private_ip", "10.0.2.255"), finding="VPC012"),
    S("S54", "SUB-02", set_("vpcs.a.subnets.Q2", {"az": "us-east-1b", "cidr": "10.0.2.128/25"}), finding="VPC003"),
    S("S55", "CIDR-07", set_("vpcs.a.secondary_cidrs", ["192.168.0.0/16"]), finding="VPC011"),
    S("S56", "NACL-14",
      nacl("big", ["D"], ingress=[{"rule": 10 * (i + 1), "protocol": "tcp", "ports": 1000 + i, "cidr": "10.0.0.0/16"}
                                  for i in range(20)], egress=SSH_NACL), finding="NACL009"),
    S("S57a", "SG-12",
      lambda d: vpc(d)["security_groups"].update({f"g{i}": {} for i in range(6)}),
      set_("vpcs.a.instances.app.security_groups", [f"g{i}" for i in range(6)]), finding="SG011"),
    S("S57b", "SG-12",
      set_("vpcs.a.security_groups.app.ingress",
           [{"protocol": "tcp", "ports": 1000 + i, "source": "10.0.0.0/16"} for i in range(61)]), finding="SG011"),
    S("S58", "NACL-13",
      nacl("tight", ["Q"], ingress=[{"rule": 100, "protocol": "tcp", "ports": 8080, "cidr": "10.0.0.0/16"}],
           egress=[{"rule": 100, "protocol": "tcp", "ports": "1024-65535", "cidr": "10.0.0.0/16"}]),
      finding="NACL010"),
    S("S59a", "SG-05", _alb_pair, query=q("alb", "web-a", port=8080), verdict="reachable"),
    S("S59b", "SG-01", _alb_pair, query=q("alb", "web-b", port=8080), verdict="unreachable",
      codes="ENI_SG_RULES_MISMATCH"),
    S("S60", "CIDR-10", _dual_stack, query=q(INTERNET6_HOST, "2600:1f18:aaaa:101::10", port=443),
      verdict="unreachable", codes="NO_ROUTE_TO_DESTINATION", leg="return"),
    S("S60-ok", "CIDR-10", _dual_stack, add_route("rt-pub", "::/0", "igw"),
      query=q(INTERNET6_HOST, "2600:1f18:aaaa:101::10", port=443), verdict="reachable"),
    # Without an internet gateway, nothing on the internet can open a connection over IPv6 (IGW-07).
    S("S61a", "IGW-07", _dual_stack, set_("vpcs.a.egress_only_internet_gateway", "eigw"),
      set_("vpcs.a.internet_gateway", None), set_("vpcs.a.route_tables.rt-pub.routes", []),
      set_("vpcs.a.nat_gateways", {}), set_("vpcs.a.route_tables.rt-priv.routes", []),
      add_route("rt-priv", "::/0", "eigw"),
      query=q(INTERNET6_HOST, "2600:1f18:aaaa:102::10", port=443), verdict="unreachable"),
    S("S61b", "IGW-07", _dual_stack, set_("vpcs.a.egress_only_internet_gateway", "eigw"),
      add_route("rt-priv", "::/0", "eigw"),
      query=q("app", INTERNET6_HOST, port=443), verdict="reachable", through="eigw:a/eigw"),
    S("S62", "NACL-10", _dual_stack, add_route("rt-pub", "::/0", "igw"),
      nacl("v4-only", ["P"], ingress=[{"rule": 100, "protocol": "all", "cidr": "0.0.0.0/0"}],
           egress=[{"rule": 100, "protocol": "all", "cidr": "0.0.0.0/0"}]),
      query=q(INTERNET6_HOST, "2600:1f18:aaaa:101::10", port=443), verdict="unreachable",
      codes="SUBNET_ACL_RESTRICTION", leg="forward"),
    # Hairpin (IGW-06): Reachability Analyzer declines to analyse it; vpckit models what AWS does. The
    # packet leaves through the IGW and comes back in with the sender's public address as its source,
    # so a CIDR rule admits it and a group reference does not (SG-06).
    S("S63a", "IGW-06",
      set_("vpcs.a.instances.web2", {"subnet": "P", "private_ip": "10.0.1.11", "elastic_ip": "198.51.100.11",
                                     "security_groups": ["web"]}),
      query=q("web", "198.51.100.11", port=443), verdict="reachable", through="igw:a/igw"),
    S("S63b", "SG-06",
      set_("vpcs.a.security_groups.web2", {"ingress": [{"protocol": "tcp", "ports": 443, "source": "web"}]}),
      set_("vpcs.a.instances.web2", {"subnet": "P", "private_ip": "10.0.1.11", "elastic_ip": "198.51.100.11",
                                     "security_groups": ["web2"]}),
      query=q("web", "198.51.100.11", port=443), verdict="unreachable",
      codes={"SG_REFERENCES_NOT_PRESERVED", "ENI_SG_RULES_MISMATCH"}),
    S("S64", "SG-10", query=q("internet", "web", port=22), verdict="unreachable", codes="ENI_SG_RULES_MISMATCH",
      check=_tracked_note),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(scenario: Scenario) -> None:
    design = Design.model_validate(apply(*scenario.changes))
    if scenario.finding is not None:
        wanted = scenario.finding if isinstance(scenario.finding, frozenset) else frozenset({scenario.finding})
        found = {f.rule for f in run_checks(design)}
        assert wanted & found, f"{scenario.id} ({scenario.semantics}): expected one of {sorted(wanted)}, got {sorted(found)}"
    if scenario.query is None:
        return
    result = answer(build_network(design), parse_query(scenario.query))
    blockers = [(b.code, b.leg) for b in result.blockers]
    explain = f"{scenario.id} ({scenario.semantics}): {result.verdict}, blockers {blockers}"
    assert result.verdict == scenario.verdict, explain
    if scenario.verdict == "reachable":
        assert not result.blockers, explain
    if scenario.codes:
        matching = [b for b in result.blockers if b.code in scenario.codes]
        assert matching, explain
        if scenario.leg:
            assert any(b.leg == scenario.leg for b in matching), explain
        assert all(b.message and b.fix for b in matching), explain
    forward = [hop.component for hop in result.forward]
    if scenario.through:
        assert scenario.through in forward, f"{explain}; forward {forward}"
    if scenario.not_through:
        assert scenario.not_through not in forward, f"{explain}; forward {forward}"
    if scenario.check:
        scenario.check(result)


def test_every_scenario_of_the_catalogue_is_covered() -> None:
    covered = {s.id[:3] for s in SCENARIOS}
    assert covered == {f"S{n:02d}" for n in range(1, 65)}
