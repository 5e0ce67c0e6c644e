"""The laid-out diagram, read back from the renderer's plain output: where boxes actually land."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from vpckit.render import cluster_id, diagram_source, dot_id
from vpckit.render.output import _which
from vpckit.sources import load

DESIGNS = Path(__file__).resolve().parents[2] / "designs"
#: Both renderers, always: a test of one that is not installed is a skip that says so (a failure under CI).
RENDERERS = ["dot", "graphviz-pure"]


def _x_positions(source: str, program: str, axis: int = 2) -> dict[str, float]:
    """Node name -> x (``axis`` 3: y) of its centre, from ``-Tplain`` (``node NAME X Y W H ...``)."""
    plain = subprocess.run([_which(program), "-Tplain"], input=source, capture_output=True, text=True, check=True)
    found = {}
    for line in plain.stdout.splitlines():
        parts = line.split()
        if parts[:1] == ["node"]:
            found[parts[1].strip('"')] = float(parts[axis])
    return found


def test_a_renderer_is_installed() -> None:
    """graphviz-pure is a runtime dependency, so the layout tests below always run with it."""
    assert _which("graphviz-pure")


@pytest.mark.parametrize("program", RENDERERS)
@pytest.mark.parametrize("view", ["detailed", "subnets"])
@pytest.mark.parametrize("path", sorted(DESIGNS.glob("*.yaml")), ids=lambda p: p.stem)
def test_availability_zones_run_left_to_right_in_name_order(path: Path, view: str, program: str,
                                                             parse_dot: Any, require: Any) -> None:
    """AWS draws a VPC's AZs side by side, a before b before c; so does every vpckit diagram."""
    require(program)
    design = load(str(path))
    source = diagram_source(design, view)
    x = _x_positions(source, program)
    dot = parse_dot(source)
    for vpc_name, vpc in design.iter_vpcs():
        zones = sorted({subnet.az for subnet in vpc.subnets.values()})
        if len(zones) < 2:
            continue
        left_edge = {}
        for az in zones:
            box = cluster_id("az", f"{vpc_name}/{az}")
            nodes = [name for name, cluster in dot.node_cluster.items()
                     if cluster is not None and box in dot.ancestors(cluster) and name in x]
            left_edge[az] = min(x[name] for name in nodes)
        assert sorted(zones, key=left_edge.get) == zones, (vpc_name, left_edge)


@pytest.mark.parametrize("program", RENDERERS)
def test_hub_and_spoke_lays_out(program: str, require: Any) -> None:
    """Every drawn node gets a position (the legend's HTML table included)."""
    require(program)
    source = diagram_source(load(str(DESIGNS / "hub-and-spoke.yaml")))
    x = _x_positions(source, program)
    assert {"legend", dot_id("tgw:hub"), dot_id("tgw-attach:hub/prod")} <= set(x)


@pytest.mark.parametrize("program", RENDERERS)
@pytest.mark.parametrize("path", sorted(DESIGNS.glob("*.yaml")), ids=lambda p: p.stem)
def test_subnets_of_one_tier_share_a_row(path: Path, program: str, require: Any) -> None:
    """In an AZ, public subnets sit on one row, private subnets with a default route on the next, isolated ones
    below (AZs of up to six subnets): the picture reads as AWS's reference diagrams do."""
    from vpckit.render.diagram import _gather, network_of, subnet_tier

    require(program)
    design = load(str(path))
    y = _x_positions(diagram_source(design, "detailed"), program, axis=3)
    facts = _gather(design, network_of(design))
    rows: dict[tuple[str, str, int], set[float]] = {}
    for node, subnet in facts.subnets.items():
        rows.setdefault((subnet.vpc, subnet.az, subnet_tier(facts, subnet)), set()).add(y[dot_id(node)])
    assert rows and all(len(ys) == 1 for ys in rows.values()), rows
