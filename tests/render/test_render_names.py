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
