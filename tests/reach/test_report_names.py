"""An answer names components as people do: by their Name tag, beside the id (snapshots key resources by id)."""

from __future__ import annotations

from pathlib import Path

from vpckit.network import build_network
from vpckit.reach import answer, parse_query
from vpckit.reach.report import answer_text
from vpckit.sources import load

SNAPSHOT = Path(__file__).resolve().parents[2] / "examples" / "snapshot"


def test_hops_and_json_carry_the_name_tags() -> None:
    network = build_network(load(str(SNAPSHOT)))
    result = answer(network, parse_query({"from": "internet", "to": "web-1", "protocol": "tcp", "port": 443}))
    assert result.names["eni:vpc-0a1b2c3d4e5f60001/i-0abc0000000000001"] == "web-1"
    assert result.names["subnet:vpc-0a1b2c3d4e5f60001/subnet-0aaa0000000000001"] == "public-a"
    assert result.to_dict()["names"] == result.names
    text = answer_text(result)
    assert "eni:vpc-0a1b2c3d4e5f60001/i-0abc0000000000001 (web-1)" in text
    assert "igw:vpc-0a1b2c3d4e5f60001/igw-0bbb0000000000001 (shop-igw)" in text


def test_a_design_without_name_tags_answers_as_before() -> None:
    design = Path(__file__).resolve().parents[2] / "designs" / "three-tier.yaml"
    result = answer(build_network(load(str(design))), parse_query({"from": "internet", "to": "web", "port": 443}))
    assert result.names == {} and "names" not in result.to_dict()
