"""The scenarios of aws-semantics.md §4.2 asked through `ports`: the row holding each scenario's port
gives the scenario's documented verdict, with its blocker (each scenario names its AWS source)."""

from __future__ import annotations

import pytest

from vpckit.flows import ports
from vpckit.model import Design
from vpckit.network import build_network

from ..reach.test_scenarios import SCENARIOS, apply

STATUS = {"reachable": "open", "unreachable": "closed", "partial": "partial", "undetermined": "undetermined"}
# "all traffic" is one question to reach; ports answers it protocol by protocol, so those scenarios are
# asked through reach alone.
ASKED = [s for s in SCENARIOS if s.query is not None and s.verdict is not None and s.query.get("protocol") != "all"]


def _family(query: dict) -> int:
    ends = f"{query['from']} {query['to']}"
    return 6 if ":" in ends or "internet6" in ends or query.get("protocol") == "icmpv6" else 4


def _point(query: dict) -> tuple[str, int]:
    protocol = str(query.get("protocol", "tcp"))
    if protocol in ("tcp", "udp"):
        return protocol, int(str(query["port"]).split("-")[0])
    if protocol in ("icmp", "icmpv6"):
        echo = 8 if protocol == "icmp" else 128
        return protocol, query.get("icmp_type", echo) * 256 + query.get("icmp_code", 0)
    return protocol, 0


@pytest.mark.parametrize("scenario", ASKED, ids=[s.id for s in ASKED])
def test_scenario_through_ports(scenario) -> None:
    query = scenario.query
    network = build_network(Design.model_validate(apply(*scenario.changes)))
    protocol, point = _point(query)
    result = ports(network, query["from"], query["to"], protocols=[protocol], client_ports=query.get("client_ports"))
    rows = [r for r in result.flows if r.family == _family(query) and r.low <= point <= r.high]
    assert len(rows) == 1, f"{scenario.id}: {len(rows)} rows hold {protocol} {point}"
    row = rows[0]
    explain = f"{scenario.id} ({scenario.semantics}): {row.status} {row.protocol} {row.ports}, " \
              f"blockers {[b.code for b in row.blockers]}"
    assert row.status == STATUS[scenario.verdict], explain
    if scenario.codes and row.status == "closed":
        assert {b.code for b in row.blockers} & scenario.codes, explain
