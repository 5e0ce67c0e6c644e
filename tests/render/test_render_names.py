"""Names are drawn as written, whatever they hold, and two resources are never drawn as one."""

from __future__ import annotations

import re
from pathlib import Path

from vpckit.render import diagram_source
from vpckit.sources import load

NAMES = Path(__file__).resolve().parents[1] / "fuzz_cases" / "names-that-break-dot.json"


def test_every_subnet_is_its_own_box_and_names_read_as_written() -> None:
    source = diagram_source(load(str(NAMES)))
    clusters = re.findall(r'subgraph "?(cluster_subnet[^"{]*)"? \{', source)
    assert len(clusters) == len(set(clusters)) == 4  # app:1 and app.1 apart, <b>x</b> and bel"q too
    assert 'label="app:1 (private subnet)"' in source and 'label="app.1 (private subnet)"' in source
    assert "we\\\\b" in source  # a backslash in a name is a backslash, not a DOT escape
    assert "<b>x</b> (private subnet)" in source and "label=<" not in source.split("legend")[0]  # not markup
    assert "\x07" not in source and "\u2407" in source  # a control character is drawn as its picture


def test_snapshot_resources_are_labelled_by_their_name_tags_with_the_id_beneath() -> None:
    snapshot = Path(__file__).resolve().parents[2] / "examples" / "snapshot"
    source = diagram_source(load(str(snapshot)))
    assert 'label="web-1\\ni-0abc0000000000001\\nEC2 instance' in source
    assert "VPC shop (vpc-0a1b2c3d4e5f60001)" in source
    assert "public-a (subnet-0aaa0000000000001) (public subnet)" in source


def test_the_security_groups_view_draws_groups_around_members_and_inbound_rules_as_edges() -> None:
    design = load(str(Path(__file__).resolve().parents[2] / "designs" / "three-tier.yaml"))
    source = diagram_source(design, "security-groups")
    assert 'internet -> "sg.prod/alb" [label="tcp 443"' in source
    assert '"sg.prod/alb" -> "sg.prod/app" [label="tcp 8080"' in source
    assert '"sg.prod/app" -> "sg.prod/db" [label="tcp 5432"' in source
    app = source.split('subgraph "cluster_sg.prod/app" {')[1].split("}")[0]
    assert '"eni.prod/app-1"' in app and '"eni.prod/app-2"' in app
    assert "cluster_sg.prod/default" not in source  # unused and without rules
    assert "security group, around the interfaces that use it" in source  # the legend says what is drawn


def test_a_network_too_large_for_a_page_is_summarised_by_default(tmp_path, capsys) -> None:
    """From SUMMARY_FROM subnets the default view counts each AZ's subnets by tier, and says how to see them all."""
    import json
    import sys

    from vpckit.cli import main

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from render_bench import one_vpc

    design = tmp_path / "big.json"
    design.write_text(json.dumps(one_vpc(150)))
    assert main(["diagram", str(design), "-o", str(tmp_path / "big.dot")]) == 0
    err = capsys.readouterr().err
    assert "150 subnets are more than a page shows: drawing the summary view" in err and "--view detailed" in err
    source = (tmp_path / "big.dot").read_text()
    assert source.count("49 private subnets (default route)") == 3 and source.count("1 public subnet\\n") == 3
    assert "0.0.0.0/0 (49 subnets)" in source
    assert "the default route of a tier&#x27;s subnets, with how many take it" in source  # in the legend
    assert main(["diagram", str(design), "-o", str(tmp_path / "all.dot"), "--view", "detailed"]) == 0
    assert (tmp_path / "all.dot").read_text().count("subgraph \"cluster_subnet.") == 150


def test_attachment_subnets_carry_their_attachment_and_databases_their_subnet_group() -> None:
    from vpckit.model import Design

    hub = diagram_source(load(str(Path(__file__).resolve().parents[2] / "designs" / "hub-and-spoke.yaml")))
    assert "route table to-hub, NACL default\\ntransit gateway attachment hub/dev" in hub
    design = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
        "db-a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}, "db-b": {"az": "us-east-1b", "cidr": "10.0.2.0/24"}},
        "db_subnet_groups": {"orders": {"subnets": ["db-a", "db-b"]}},
        "rds_instances": {"orders-db": {"engine": "postgres", "subnet_group": "orders", "multi_az": True}}}}})
    source = diagram_source(design)
    assert "multi-AZ (standby in another AZ)\\nDB subnet group orders: db-a, db-b" in source


def test_a_path_title_keeps_the_design_title_on_its_own_lines() -> None:
    from vpckit.render import path_answer

    design = load(str(Path(__file__).resolve().parents[2] / "designs" / "hub-and-spoke.yaml"))
    network, answer = path_answer(design, "dev-app-1 -> prod-app-1 : tcp/22")
    source = diagram_source(design, network=network, answer=answer)
    title = re.findall(r'^\tlabel="([^"]*)"', source, re.M)[-1]  # the overlay's, written after the graph's own
    assert title.startswith("hub-and-spoke\\nTransit gateway hub") and "\\\\n" not in title
    assert title.endswith("\\npath dev-app-1 -> prod-app-1 : tcp/22: unreachable")


def test_a_vpc_router_is_drawn_saying_what_it_sends_over_its_peerings() -> None:
    source = diagram_source(load(str(Path(__file__).resolve().parents[2] / "designs" / "peered-vpcs.yaml")))
    assert 'label="VPC router\\n10.20.0.0/16 via app-data"' in source
    assert 'label="VPC router\\n10.10.0.0/16 via app-data"' in source
    assert "shape=circle" not in source


def test_ipv6_blocks_and_addresses_are_drawn_where_the_design_has_them() -> None:
    source = diagram_source(load(str(Path(__file__).resolve().parents[2] / "designs" / "dual-stack.yaml")))
    assert 'label="web-1\\nEC2 instance\\n10.30.0.10\\n2600:1f14:4a1:b200::10\\npublic IP"' in source
    assert "10.30.0.0/24, public\\n2600:1f14:4a1:b200::/64\\n" in source
    assert "::/0" in source  # the IPv6 default route to the egress-only gateway, as a labelled edge
