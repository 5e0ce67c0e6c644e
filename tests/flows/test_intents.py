"""Intents (REACH002), read like the spec: each form, once holding and once broken, with the offending
flows and the rules that let them through; selectors; bad intents are exit-2 input errors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from vpckit.checks import load_rules, run_checks
from vpckit.errors import InputError
from vpckit.flows.intents import check_intent
from vpckit.flows.selectors import select
from vpckit.model import Design, Expectation
from vpckit.network import build_network
from vpckit.sources.native import loads

from .cli_run import run as _run

ROOT = Path(__file__).resolve().parents[2]

DESIGN = {"vpcs": {"p": {
    "cidr": "10.0.0.0/16", "internet_gateway": "igw",
    "subnets": {
        "pub": {"az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "public", "tier": "web"},
        "dev": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "tier": "dev"},
        "prod": {"az": "us-east-1a", "cidr": "10.0.2.0/24", "tier": "prod"},
        "db": {"az": "us-east-1a", "cidr": "10.0.3.0/24", "tier": "db"},
    },
    "route_tables": {"public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}},
    "security_groups": {
        "web": {"ingress": [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"}]},
        "dev": {"ingress": [{"protocol": "tcp", "ports": 22, "source": "10.0.0.0/16"}]},
        "prod": {"ingress": [{"protocol": "tcp", "ports": 8080, "source": "10.0.2.0/24"}]},
        "db": {"ingress": [{"protocol": "tcp", "ports": 5432, "source": "prod"}]},
    },
    "instances": {
        "web-1": {"subnet": "pub", "security_groups": ["web"], "public_ip": True},
        "dev-1": {"subnet": "dev", "security_groups": ["dev"], "tags": {"Env": "dev"}},
        "prod-1": {"subnet": "prod", "security_groups": ["prod"]},
        "prod-2": {"subnet": "prod", "security_groups": ["prod"]},
        "db-1": {"subnet": "db", "security_groups": ["db"]},
    },
}}}


def _with(change: dict | None = None) -> Design:
    design = copy.deepcopy(DESIGN)
    for group, rule in (change or {}).items():
        design["vpcs"]["p"]["security_groups"][group]["ingress"].append(rule)
    return Design.model_validate(design)


OPEN_DEV_TO_PROD = {"prod": {"protocol": "tcp", "ports": 8080, "source": "10.0.1.0/24"}}
OPEN_DEV_TO_DB = {"db": {"protocol": "tcp", "ports": 5432, "source": "dev"}}
OPEN_SSH_TO_WEB = {"web": {"protocol": "tcp", "ports": 22, "source": "0.0.0.0/0"}}

SCENARIOS = [
    # (intent, change to the design, holds, what the finding says: parts in order, " … " between them)
    ({"from": "tier:dev", "to": "tier:prod", "expect": "isolated"}, None, True, ""),
    ({"from": "tier:dev", "to": "tier:prod", "expect": "isolated"}, OPEN_DEV_TO_PROD, False,
     "1 flow breaks it: dev-1 -> prod-1 (+1) tcp 8080 (open); let through by"),
    ({"from": "tag:Env=dev", "to": "vpc:p", "expect": "isolated", "ports": "tcp/5432"}, None, True, ""),
    ({"from": "tag:Env=dev", "to": "vpc:p", "expect": "isolated", "ports": "tcp/5432"}, OPEN_DEV_TO_DB, False,
     "1 flow breaks it: dev-1 -> db-1 tcp 5432 (open); let through by"),
    ({"to": "db-1", "only_from": ["tier:prod"], "ports": "tcp/5432"}, None, True, ""),
    ({"to": "db-1", "only_from": ["tier:prod"], "ports": "tcp/5432"}, OPEN_DEV_TO_DB, False,
     "dev-1 -> db-1 tcp 5432 (open); let through by … eni:p/db-1: db: allow tcp 5432 from group dev"),
    ({"to": "db-1", "only_from": ["sg:prod"], "ports": "tcp/6000"}, None, False, "prod-1 (+1) -> db-1 tcp 5432 (open)"),
    ({"from": "internet", "exposes": ["web-1:tcp/443"]}, None, True, ""),
    ({"from": "internet", "exposes": ["web-1:tcp/443"]}, OPEN_SSH_TO_WEB, False, "-> web-1 tcp 22 (open)"),
    ({"from": "internet", "exposes": ["web-1:tcp/443", "web-1:tcp/80"]}, None, False, "not exposed: web-1:tcp/80"),
    ({"from": "internet", "exposes": []}, None, False, "-> web-1 tcp 443 (open)"),
]


@pytest.mark.parametrize("intent, change, holds, says", SCENARIOS,
                         ids=[f"{i}-{'holds' if s[2] else 'broken'}" for i, s in enumerate(SCENARIOS)])
def test_intents(intent: dict, change: dict | None, holds: bool, says: str) -> None:
    network = build_network(_with(change))
    result = check_intent(network, Expectation.model_validate(intent))
    assert result.holds is holds, result.message()
    if not holds:
        assert all(part in result.message() for part in says.split(" … ")), result.message()
        assert result.to_dict()["count"] == len(result.offences)


@pytest.mark.parametrize("selector, nodes", [
    ("tier:prod", {"eni:p/prod-1", "eni:p/prod-2"}), ("vpc:p", {"eni:p/web-1", "eni:p/dev-1", "eni:p/prod-1",
                                                             "eni:p/prod-2", "eni:p/db-1"}),
    ("subnet:dev", {"eni:p/dev-1"}), ("subnet:p/db", {"eni:p/db-1"}), ("sg:prod", {"eni:p/prod-1", "eni:p/prod-2"}),
    ("tag:Env=dev", {"eni:p/dev-1"}), ("10.0.2.0/24", {"eni:p/prod-1", "eni:p/prod-2"}), ("db-1", {"eni:p/db-1"}),
])
def test_selectors(selector: str, nodes: set[str]) -> None:
    assert set(select(build_network(_with()), selector).interfaces) == nodes


@pytest.mark.parametrize("bad, says", [
    ({"from": "tier:dve", "to": "tier:prod", "expect": "isolated"}, "expectations.0.from: selector 'tier:dve' matches "
                                                                      "no interface; did you mean tier:dev"),
    ({"to": "db-2", "only_from": ["tier:prod"]}, "expectations.0.to: unknown endpoint 'db-2'"),
    ({"from": "internet", "exposes": ["web-9:tcp/443"]}, "expectations.0.exposes: unknown endpoint 'web-9'"),
])
def test_a_selector_that_selects_nothing_is_bad_input(bad: dict, says: str) -> None:
    load_rules()
    text = yaml.safe_dump({**DESIGN, "expectations": [bad]}, sort_keys=False)
    design = loads(text, "d.yaml")
    with pytest.raises(InputError) as raised:
        run_checks(design)
    assert says in str(raised.value) and str(raised.value).startswith("d.yaml:")


@pytest.mark.parametrize("bad, says", [
    ({"to": "db-1", "onlyfrom": ["tier:prod"]}, "unknown key 'onlyfrom' in expectations.0; did you mean 'only_from'?"),
    ({"to": "db-1", "expect": "reachable"}, "`from` is missing"),
    ({"from": "internet", "to": "db-1", "exposes": []}, "give `from` and `exposes` only"),
    ({"from": "a", "to": "b", "ports": "tcp/99999"}, "outside 0-65535"),
    ({"from": "a", "to": "b", "ports": "icmp/8"}, "only tcp and udp have ports"),
    ({"from": "internet", "exposes": ["web-1"]}, "expected NAME:PROTOCOL/PORTS"),
])
def test_a_malformed_intent_is_refused_at_its_place(bad: dict, says: str) -> None:
    text = yaml.safe_dump({**DESIGN, "expectations": [bad]}, sort_keys=False)
    with pytest.raises(InputError) as raised:
        loads(text, "d.yaml")
    assert says in str(raised.value) and str(raised.value).startswith("d.yaml:")


def test_the_bundled_change_breaks_the_three_tier_intent(capsys) -> None:
    status, out, _ = _run(capsys, "validate", str(ROOT / "examples" / "three-tier-change.yaml"), "-f", "json")
    import json

    findings = [f for f in json.loads(out)["findings"] if f["rule"] == "REACH002"]
    assert status == 1 and len(findings) == 1
    assert "-> prod/web tcp 80 (open)" in findings[0]["message"]
    assert findings[0]["data"]["intent"]["flows"][0]["ports"] == "80"


@pytest.mark.parametrize("name", ["three-tier", "hub-and-spoke", "peered-vpcs", "dual-stack"])
def test_the_bundled_designs_state_intents_that_hold(capsys, name: str) -> None:
    path = ROOT / "designs" / f"{name}.yaml"
    design = loads(path.read_text(encoding="utf-8"), str(path))
    assert any(e.form != "flow" for e in design.expectations)
    load_rules()
    assert [f for f in run_checks(design) if f.rule in ("REACH001", "REACH002")] == []
