"""Every flow Batfish's own tests and notebook expect for the corpus snapshots, answered by vpckit.

The snapshots are read by the AWS reader, the questions by the engine. For each flow, the
forward leg's outcome must match Batfish's disposition class (ACCEPTED / DELIVERED_TO_SUBNET /
EXITS_NETWORK succeed; DENIED_*, NO_ROUTE, NULL_ROUTED, NEIGHBOR_UNREACHABLE... fail; see
../shared/corpus/batfish-aws/README.md), except where Batfish is documented to deviate from AWS
(reference/batfish-aws-modeling.md): there AWS's documented behaviour is asserted and the case
says why. Batfish flows without a protocol are IP protocol 0, which only all-traffic rules match.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from vpckit.errors import QueryError
from vpckit.network import Network, build_network
from vpckit.reach import Answer, answer, parse_query
from vpckit.sources import load

ROOT = Path(__file__).resolve().parents[2]
BATFISH = ROOT.parent / "shared" / "corpus" / "batfish-aws"
UNIT_RIGS = json.loads((BATFISH / "expected" / "batfish-aws-unit-rigs.expected.json").read_text())
HYBRID = json.loads((BATFISH / "expected" / "pybatfish-hybrid-cloud.expected.json").read_text())
SUCCESS = set(UNIT_RIGS["dispositions_success"])
FAILURE = set(UNIT_RIGS["dispositions_failure"])


@lru_cache(maxsize=None)
def network(snapshot: str) -> Network:
    return build_network(load(str(BATFISH / snapshot)))


def forward_succeeds(result: Answer) -> bool:
    """The forward leg gets through: nothing blocks it (return-leg blockers do not count)."""
    return not any(b.leg == "forward" for b in result.blockers)


# --------------------------------------------------------------------------- the unit rigs

#: A Batfish flow that starts inside a VPC router (ingressNode vpc-…, no source address): a
#: vpckit question starts at an interface, an IP address or the internet, as Reachability
#: Analyzer's do, so it cannot be asked.
NOT_A_VPCKIT_QUESTION = {
    "test-subnet/testOutsideSubnetToInstance": "starts inside the VPC router (ingressNode vpc-…, no source address)",
}

#: Flows vpckit refuses with a QueryError that explains why, instead of answering:
#: - between two addresses outside every VPC of the snapshot: Batfish models the AWS backbone and
#:   the internet as nodes (NULL_ROUTED for an AWS address nobody holds, known from AWS's
#:   ip-ranges.json; EXITS_NETWORK for anything else); these say nothing about the VPCs;
#: - from an address no interface owns (Batfish starts the flow at the subnet to bypass the
#:   instance's anti-spoofing filter): in AWS nothing can send from it.
OUTSIDE_ONLY = {
    "test-public-subnet/testFromInternetToInvalidPublicIp": "outside the network; at least one end must be in the design",
    "test-public-subnet/testFromInternetToPrivateIp/2": "outside the network; at least one end must be in the design",
    "test-public-subnet/testToInternetInvalidPrivateIp": "nothing in the design has the address '10.0.0.92'",
}

#: Where the source of an on-premises flow is a VGW, vpckit starts at a host of the network
#: behind it (the site prefix of the rig's VPN connection).
ON_PREMISES_HOST = {"vgw-070087240d6fa2989": "19.168.0.1"}

#: Cases where AWS's documented behaviour differs from Batfish's model: (expected forward
#: success per AWS, the source of the difference). Empty: none of the rig flows depends on the
#: deviations listed in batfish-aws-modeling.md (NACL rule order, IPv6, routes to ENIs, ALBs).
#: Two flows of test-public-private-subnet (testToInternet/private-instance and
#: testFromPrivateToPublicSubnet/public-ip) need a remark all the same: the private subnet's
#: 0.0.0.0/0 route sends them to the VGW, whose VPN connection is static-only with the single
#: route 19.168.0.0/16 (VpnConnections.json). A VGW forwards only to the prefixes of its VPN
#: connections (static routes, or those learned by BGP), so 8.8.8.8 and 13.58.55.60 are dropped
#: there: Batfish's NO_ROUTE at the VGW is AWS's behaviour too, and it is asserted below.
AWS_DIFFERS: dict[str, tuple[bool, str]] = {
    # The snapshot's VgwTelemetry has both tunnels of vpn-05044757278685fd3 DOWN. AWS carries nothing over a
    # VPN whose tunnels are all down (Reachability Analyzer: BAD_STATE_VPN, aws-semantics §2 codes, VGW-01);
    # Batfish ignores the tunnel status and lets the flow exit the network.
    "test-public-private-subnet/testToSite/private-instance": (
        False, "every VPN tunnel is DOWN: AWS drops it (BAD_STATE_VPN); Batfish ignores tunnel status"),
}


@dataclass(frozen=True)
class Case:
    id: str
    snapshot: str
    query: dict[str, Any]
    batfish: str
    bidirectional_reverse: str | None = None


def _protocol(flow: dict[str, Any]) -> Any:
    protocol = flow.get("protocol", "ip0")
    if protocol == "ip0":
        return 0
    if "IP proto" in str(protocol):
        return int(str(protocol).rsplit(" ", 1)[1].rstrip(")"))
    return protocol


def _query(flow: dict[str, Any]) -> dict[str, Any]:
    start = flow["ingressNode"]
    if start == "internet":
        source = flow["srcIp"] if flow["srcIp"][0].isdigit() else "internet"
    elif start.startswith("subnet-"):
        source = flow["srcIp"]  # a flow Batfish injects at the subnet router with a chosen source
    else:
        source = ON_PREMISES_HOST.get(start, start)
    query: dict[str, Any] = {"from": source, "to": flow["dstIp"], "protocol": _protocol(flow)}
    if "dstPort" in flow:
        query["port"] = flow["dstPort"]
    if "srcPort" in flow:
        query["client_ports"] = str(flow["srcPort"])
    return query


def _unit_cases() -> tuple[list[Case], list[str]]:
    cases, skipped = [], []
    for rig in UNIT_RIGS["rigs"]:
        for case in rig["cases"]:
            name = f"{rig['rig']}/{case['name']}"
            if name in NOT_A_VPCKIT_QUESTION or name in OUTSIDE_ONLY:
                skipped.append(name)
                continue
            if case.get("bidirectional"):
                forward = case["forward"]["disposition_in"]
                disposition = "ACCEPTED" if set(forward) <= SUCCESS else forward[0]
                reverse = case["reverse"]["disposition"]
            else:
                dispositions = {t["disposition"] for t in case.get("traces", [])} or {case["disposition"]}
                assert len(dispositions) == 1, name  # every ECMP trace agrees
                disposition, reverse = dispositions.pop(), None
            cases.append(Case(name, f"unit-rigs/{rig['rig']}", _query(case["flow"]), disposition, reverse))
    return cases, skipped


UNIT_CASES, UNIT_SKIPPED = _unit_cases()


def test_every_unit_rig_flow_is_covered() -> None:
    total = sum(len(rig["cases"]) for rig in UNIT_RIGS["rigs"])
    assert len(UNIT_CASES) + len(UNIT_SKIPPED) == total == 34
    assert sorted(UNIT_SKIPPED) == sorted([*NOT_A_VPCKIT_QUESTION, *OUTSIDE_ONLY])


@pytest.mark.parametrize("name", sorted(OUTSIDE_ONLY))
def test_flows_vpckit_refuses_with_a_reason(name: str) -> None:
    rig, _, case_name = name.partition("/")
    case = next(c for r in UNIT_RIGS["rigs"] if r["rig"] == rig for c in r["cases"] if c["name"] == case_name)
    assert case["disposition"] in SUCCESS | FAILURE
    with pytest.raises(QueryError, match=OUTSIDE_ONLY[name]):
        answer(network(f"unit-rigs/{rig}"), parse_query(_query(case["flow"])))


@pytest.mark.parametrize("case", UNIT_CASES, ids=lambda c: c.id)
def test_unit_rig_flow(case: Case) -> None:
    assert case.batfish in SUCCESS | FAILURE
    expected, why = AWS_DIFFERS.get(case.id, (case.batfish in SUCCESS, "Batfish agrees with AWS"))
    result = answer(network(case.snapshot), parse_query(case.query))
    blockers = [(b.leg, b.code, b.component) for b in result.blockers]
    assert forward_succeeds(result) == expected, (case.query, case.batfish, why, blockers)
    if case.bidirectional_reverse is not None:
        # bidirectionalTraceroute: the reply, matched against the forward leg's sessions, arrives too.
        assert result.verdict == ("reachable" if case.bidirectional_reverse in SUCCESS else "unreachable"), blockers


# --------------------------------------------------------------------------- the hybrid-cloud notebook

HYBRID_SNAPSHOT = "pybatfish-hybrid-cloud"
HOSTS = HYBRID["hosts"]


def _hybrid_traceroutes() -> list[Case]:
    cases = []
    for case in HYBRID["cases"]:
        if case["question"] == "traceroute" and not case["needs_physical"]:
            cases.append(Case(case["name"], HYBRID_SNAPSHOT, _query(case["flow"]), case["disposition"]))
    return cases


def test_only_the_data_centre_questions_are_left_out() -> None:
    # The DC device configs (configs/*.cfg) were not copied, so srv-101 and exitgw do not exist.
    left_out = [c["name"] for c in HYBRID["cases"] if c["needs_physical"]]
    assert left_out == ["DC host to AWS private IP over IPsec/BGP", "DC host to AWS public IP via internet",
                        "instances reachable from DC host"]


@pytest.mark.parametrize("case", _hybrid_traceroutes(), ids=lambda c: c.id)
def test_hybrid_cloud_traceroute(case: Case) -> None:
    result = answer(network(case.snapshot), parse_query(case.query))
    assert forward_succeeds(result) == (case.batfish in SUCCESS), [(b.leg, b.code, b.message) for b in result.blockers]


#: Witness flows for the "any headers" reachability questions: the instances' groups allow only
#: tcp/22 (and tcp/3306 on east2_public), so these cover every rule that could admit a flow.
PROBES = [{"protocol": "tcp", "port": 22}, {"protocol": "tcp", "port": 3306}, {"protocol": "tcp", "port": 443},
          {"protocol": "icmp"}, {"protocol": "all"}]


def _reachability_cases() -> list[tuple[str, str, bool, list[dict[str, Any]]]]:
    cases = []
    for case in HYBRID["cases"]:
        if not case["question"].startswith("reachability(startLocation='internet'"):
            continue
        probes = PROBES if "dstPorts=!22" not in case["question"] else [p for p in PROBES if p.get("protocol") == "tcp"
                                                                            and p.get("port") != 22]
        for host in case.get("reachable", []):
            cases.append((case["name"], host, True, probes))
        for host in case.get("not_reachable", []):
            cases.append((case["name"], host, False, probes))
    return cases


@pytest.mark.parametrize(("question", "host", "reachable", "probes"), _reachability_cases(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_hybrid_cloud_reachable_from_the_internet(question: str, host: str, reachable: bool,
                                                   probes: list[dict[str, Any]]) -> None:
    answers = {json.dumps(p): answer(network(HYBRID_SNAPSHOT), parse_query({"from": "internet", "to": HOSTS[host], **p}))
               for p in probes}
    reached = {probe for probe, result in answers.items() if forward_succeeds(result)}
    assert bool(reached) == reachable, {p: [b.code for b in a.blockers] for p, a in answers.items()}


def test_hybrid_cloud_example_flow_and_the_rule_that_admits_it() -> None:
    # "why is 3306 open": the group launch-wizard-1's rule described "Connectivity test" admits it.
    case = next(c for c in HYBRID["cases"] if c["name"].startswith("instances reachable from internet with TCP"))
    example = case["example_flow"]
    result = answer(network(HYBRID_SNAPSHOT), parse_query(_query(example)))
    assert case["example_disposition"] in SUCCESS and result.verdict == "reachable"
    admitted = [h for h in result.forward if h.component == f"eni:vpc-0574d08f8d05917e4/{HOSTS['east2_public']}"
                and h.decision == "allow"]
    assert admitted and "3306" in (admitted[-1].rule or ""), [(h.component, h.decision, h.rule) for h in result.forward]
