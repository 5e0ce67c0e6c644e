"""--path: a reachability answer drawn on the diagram (forward, return, blocking components)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vpckit.cli import main
from vpckit.errors import QueryError
from vpckit.render import diagram_source, dot_id, path_answer
from vpckit.render import style
from vpckit.render.path import parse_path, stand_in
from vpckit.sources import load

DESIGNS = Path(__file__).resolve().parents[2] / "designs"


@pytest.fixture(scope="module")
def three_tier() -> Any:
    return load(str(DESIGNS / "three-tier.yaml"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("internet -> web : tcp/443", {"from": "internet", "to": "web", "protocol": "tcp", "port": "443"}),
        ("app-1->orders-db:tcp/5432", {"from": "app-1", "to": "orders-db", "protocol": "tcp", "port": "5432"}),
        ("a -> b : udp/1024-2048", {"from": "a", "to": "b", "protocol": "udp", "port": "1024-2048"}),
        ("a -> 10.0.0.5 : ICMP", {"from": "a", "to": "10.0.0.5", "protocol": "icmp"}),
    ],
)
def test_path_text_becomes_query_keys(text: str, expected: dict[str, str]) -> None:
    assert parse_path(text) == expected


@pytest.mark.parametrize("text", ["", "a to b", "-> b : tcp/1", "a -> : tcp/1"])
def test_malformed_path_text_is_a_query_error(text: str) -> None:
    with pytest.raises(QueryError, match="expected \"FROM -> TO : PROTO/PORT\""):
        parse_path(text)


def _overlay(dot: Any, kind: str) -> list[tuple[str, str, dict[str, str]]]:
    colour = style.FORWARD_PATH if kind == "forward" else style.RETURN_PATH
    return [e for e in dot.edges if e[2].get("color") == colour and e[2].get("constraint") == "false"]


@pytest.mark.parametrize(
    ("query", "blocked", "stops_early"),
    [
        # No public address behind the internet gateway: the walk stops at the IGW.
        ("internet -> orders-db : tcp/5432", {"igw:prod/igw-prod"}, True),
        # Both NACLs (NACL-07, stateless) and both security groups deny: all four are marked.
        ("app-1 -> orders-db : tcp/22",
         {"eni:prod/app-1", "subnet:prod/app-a", "subnet:prod/db-a", "eni:prod/orders-db"}, False),
    ],
)
def test_blocked_query_marks_every_blocking_component(three_tier: Any, parse_dot: Any, query: str,
                                                      blocked: set[str], stops_early: bool) -> None:
    network, answer = path_answer(three_tier, query)
    assert answer.verdict == "unreachable"
    assert {b.component for b in answer.blockers} == blocked
    dot = parse_dot(diagram_source(three_tier, network=network, answer=answer))
    for blocker in answer.blockers:
        attrs = dot.node_attrs[dot_id(blocker.component)]
        assert attrs["color"] == style.BLOCKED and attrs["penwidth"] == style.BLOCKER["penwidth"]
        # The reason is written inside the blocking component's own box, under what it is, so it
        # sits beside it and inside the picture whatever the layout.
        label = attrs["label"].replace("\\n", "\n").split("\n")
        assert f"BLOCKED {blocker.code} ({blocker.leg})" in label and "xlabel" not in attrs
        assert label.index(f"BLOCKED {blocker.code} ({blocker.leg})") > 0
        assert blocker.message.split()[0] in attrs["label"]
    unmarked = {n for n, a in dot.node_attrs.items() if "BLOCKED" in a.get("label", "")} - {dot_id(c) for c in blocked}
    unmarked.discard("legend:path")
    assert not unmarked
    # Where the packet was heading but never arrived, when the walk stopped before it.
    not_reached = [b for _, b, a in dot.edges if a.get("label") == "not reached"]
    assert not_reached == ([dot_id("eni:prod/orders-db")] if stops_early else [])
    assert f"path {query}: unreachable" in dot.cluster_attrs[""]["label"].replace("\\n", "\n")


def test_reachable_query_draws_forward_and_return_paths(three_tier: Any, parse_dot: Any) -> None:
    network, answer = path_answer(three_tier, "internet -> web : tcp/443")
    assert answer.verdict == "reachable" and not answer.blockers
    dot = parse_dot(diagram_source(three_tier, network=network, answer=answer))
    forward, back = _overlay(dot, "forward"), _overlay(dot, "return")
    assert forward[0][:2] == ("internet", dot_id("igw:prod/igw-prod"))
    assert [e[2]["label"] for e in forward] == [str(i + 1) for i in range(len(forward))]
    assert forward[-1][1] == dot_id("eni:prod/app-1")  # the load balancer forwards to its target
    assert back[-1][1] == "internet" and all(e[2]["style"] == "dashed" for e in back)
    assert [e[2]["label"] for e in back] == [f"r{i + 1}" for i in range(len(back))]
    # Route tables are not drawn: the path goes straight from one drawn component to the next.
    assert all(not a.startswith("rtb") and not b.startswith("rtb") for a, b, _ in forward + back)
    assert diagram_source(three_tier, network=network, answer=answer) == \
        diagram_source(three_tier, network=network, answer=answer)


@pytest.mark.parametrize(
    ("design_file", "query", "view", "holder"),
    [
        ("three-tier", "app-1 -> orders-db : tcp/22", "subnets", "subnet.prod/db-a"),
        ("three-tier", "app-1 -> orders-db : tcp/22", "vpcs", "vpc.prod"),
        # A VPC with a router drawn (it peers): the interface's subnet still wins over the router.
        ("broken", "app-3 -> db-1 : tcp/5432", "subnets", "subnet.prod/db-a"),
    ],
)
def test_other_views_mark_the_box_that_holds_the_blocker(parse_dot: Any, design_file: str, query: str,
                                                         view: str, holder: str) -> None:
    design = load(str(DESIGNS / f"{design_file}.yaml"))
    network, answer = path_answer(design, query)
    dot = parse_dot(diagram_source(design, view, network=network, answer=answer))
    assert "BLOCKED ENI_SG_RULES_MISMATCH" in dot.node_attrs[holder]["label"]
    assert not any("BLOCKED" in attrs.get("label", "") for name, attrs in dot.node_attrs.items()
                   if name.startswith("router."))


@pytest.mark.parametrize(
    ("component", "drawn", "view", "shown"),
    [
        ("eni:prod/app-1", {"eni:prod/app-1"}, "detailed", "eni:prod/app-1"),
        ("tgw-attach:core/att-a", {"tgw:core"}, "detailed", "tgw:core"),
        ("lb:prod/web", {"eni:prod/web@public-b", "eni:prod/web@public-a"}, "detailed", "eni:prod/web@public-a"),
        ("router:prod", {"vpc:prod"}, "vpcs", "vpc:prod"),
        ("rtb:prod/public", {"vpc:prod", "subnet:prod/a"}, "detailed", None),
    ],
)
def test_stand_in_for_components_a_view_does_not_draw(component: str, drawn: set[str], view: str,
                                                       shown: str | None) -> None:
    assert stand_in(component, drawn, view) == shown


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("internet -> nope : tcp/1", "unknown endpoint 'nope'"),
        ("internet to web", "expected \"FROM -> TO : PROTO/PORT\""),
        # messages in the --path syntax, not in query-file keys
        ("internet -> web-1 : 443", "'443' after ':' is read as PROTO/PORT; for a port write \"internet -> web-1 : tcp/443\""),
        ("internet -> web-1", "tcp needs a port; write \"internet -> web-1 : tcp/443\""),
        ("app-1 -> app-2 : icmp/8", "ICMP has no ports; write \"app-1 -> app-2 : icmp\""),
        ("internet -> web-1 : tcp/99999", "--path 'internet -> web-1 : tcp/99999': port: port 99999 is outside 0-65535"),
    ],
)
def test_cli_bad_path_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, message: str) -> None:
    status = main(["diagram", str(DESIGNS / "three-tier.yaml"), "-o", str(tmp_path / "d.dot"), "--path", path])
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "d.dot").exists()


def test_cli_draws_a_path(tmp_path: Path) -> None:
    out = tmp_path / "d.dot"
    assert main(["diagram", str(DESIGNS / "three-tier.yaml"), "-o", str(out),
                 "--path", "internet -> orders-db : tcp/5432"]) == 0
    assert "BLOCKED IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" in out.read_text()
