"""`matrix`: every cell equals `ports` for its interfaces (which `reach` checks in its own tests); grouped
cells are unions with member counts; the CLI's formats and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpckit.errors import QueryError
from vpckit.flows import matrix, ports

from .cli_run import run as _run
from .test_ports_exact import INPUTS, ROOT, network

THREE_TIER = str(ROOT / "designs" / "three-tier.yaml")
SMALL = [p for p in INPUTS if "/designs/" in p or "/examples/" in p or "unit-rigs" in p]


def _key(row) -> tuple:
    return (row.family, row.protocol, row.low, row.high, row.status)


@pytest.mark.parametrize("path", SMALL, ids=lambda p: Path(p).name)
def test_every_interface_cell_equals_ports_for_its_pair(path: str) -> None:
    assert disagreements(network(path)) == []


def disagreements(net) -> list[str]:
    """Every interface cell whose flows differ from `ports` for that pair of interfaces."""
    answer = matrix(net, by="interface")
    names = {f"{i.vpc}/{i.name}": node for node, i in net.interfaces.items()}
    problems = []
    for source in answer.units:
        for destination in answer.units:
            if source == destination:
                continue
            try:
                expected = {_key(r) for r in ports(net, names[source], names[destination]).flows
                            if r.status != "closed"}
            except QueryError:  # a pair ports refuses (no family in common) reaches on nothing
                expected = set()
            cell = answer.cell(source, destination)
            got = {_key(r) for r in cell.flows} if cell else set()
            if got != expected:
                problems.append(f"{source} -> {destination}: matrix {sorted(got)} != ports {sorted(expected)}")
    return problems


def test_tiers_group_their_members_and_count_them() -> None:
    answer = matrix(THREE_TIER, by="tier")
    assert answer.units == ["prod/app", "prod/db", "prod/public"]
    assert {(c.source, c.destination): (c.summary(), c.status, c.reaching, c.pairs) for c in answer.cells} == {
        ("prod/app", "prod/db"): (["tcp 5432"], "all-members", 2, 2),
        ("prod/app", "prod/public"): (["tcp 443"], "all-members", 4, 4),
        ("prod/public", "prod/app"): (["tcp 8080"], "all-members", 4, 4),
    }
    whole = matrix(THREE_TIER, by="vpc").cell("prod", "prod")
    assert whole.status == "partial-members" and (whole.reaching, whole.pairs) == (10, 20)


def test_cli_formats(capsys) -> None:
    status, out, _ = _run(capsys, "matrix", THREE_TIER, "--by", "tier")
    assert status == 0 and out.splitlines()[0].split() == ["source", "\\", "destination", "prod/app", "prod/db",
                                                           "prod/public"]
    assert out.splitlines()[1].split() == ["prod/app", "·", "tcp", "5432", "tcp", "443"]
    _, out, _ = _run(capsys, "matrix", THREE_TIER, "--by", "tier", "-f", "csv")
    assert "prod/app,prod/db,4,tcp,5432,open,all-members,2,2" in out.splitlines()
    _, out, _ = _run(capsys, "matrix", THREE_TIER, "--by", "tier", "-f", "markdown")
    assert "| prod/app | · | tcp 5432 | tcp 443 |" in out
    _, first, _ = _run(capsys, "matrix", THREE_TIER, "-f", "json")
    _, second, _ = _run(capsys, "matrix", THREE_TIER, "-f", "json")
    assert first == second and json.loads(first)["by"] == "interface"


def test_cli_bad_input(capsys, tmp_path) -> None:
    flat = tmp_path / "flat.yaml"
    flat.write_text("vpcs:\n  v:\n    cidr: 10.0.0.0/16\n    subnets:\n      s: {az: us-east-1a, cidr: 10.0.1.0/24}\n"
                    "    instances:\n      a: {subnet: s}\n      b: {subnet: s}\n")
    for args, says in ((("--by", "tier"), "no subnet of this network declares a tier"),
                       (("--protocol", "bogus"), "--protocol: unknown protocol 'bogus'"),
                       (("-o", "/nonexistent/dir/m.png"), "/nonexistent/dir/m.png: cannot write")):
        status, _, err = _run(capsys, "matrix", str(flat), *args)
        assert status == 2 and says in err and len(err.strip().splitlines()) == 1, err


def test_the_heatmap_is_written_as_asked(capsys, tmp_path) -> None:
    import xml.etree.ElementTree as ElementTree

    for name, magic in (("m.png", b"\x89PNG"), ("m.svg", b"<?xml")):
        status, _, err = _run(capsys, "matrix", THREE_TIER, "--by", "tier", "-o", str(tmp_path / name))
        data = (tmp_path / name).read_bytes()
        assert status == 0 and data.startswith(magic), err
    root = ElementTree.fromstring((tmp_path / "m.svg").read_bytes())  # well-formed, with the units as labels
    text = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("title") or t.text)
    assert root.tag.endswith("svg") and text is not None


def test_the_readme_shows_real_output(capsys) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("vpckit matrix designs/hub-and-spoke.yaml --by tier\n```\n\n```text\n", 1)[1].split("```", 1)[0]
    _, out, _ = _run(capsys, "matrix", str(ROOT / "designs" / "hub-and-spoke.yaml"), "--by", "tier")
    assert out == shown


def test_jobs_give_the_same_answer(capsys) -> None:
    hub = str(ROOT / "designs" / "hub-and-spoke.yaml")
    outputs = {jobs: _run(capsys, "matrix", hub, "--jobs", jobs, "-f", "json")[1] for jobs in ("1", "4")}
    assert outputs["1"] == outputs["4"] and json.loads(outputs["1"])["cells"]


from hypothesis import given  # noqa: E402

from vpckit.model import Design  # noqa: E402
from vpckit.network import build_network  # noqa: E402

from .test_ports_generated import SETTINGS, networks  # noqa: E402


@SETTINGS
@given(networks())
def test_generated_networks_cells_equal_ports(design) -> None:
    assert disagreements(build_network(Design.model_validate(design))) == []


def test_a_heatmap_of_300_units_keeps_every_label_inside_the_picture() -> None:
    """300 rows: the labels get a font their rows can hold, VPC names mark the blocks, nothing is cut off."""
    from matplotlib.image import imread
    import io

    from vpckit.flows.matrix import MatrixAnswer, MatrixCell
    from vpckit.render.heatmap import _blocks, matrix_heatmap

    units = [f"vpc{v}/i{k:03d}" for v in range(3) for k in range(100)]
    cells = [MatrixCell(s, d, pairs=1, reaching=1) for s in units[::7] for d in units[::11] if s != d]
    answer = MatrixAnswer("interface", units=units, cells=cells, classes=3)
    assert answer.cell(units[7], units[11]).source == units[7] and answer.cell(units[1], units[2]) is None
    picture = imread(io.BytesIO(matrix_heatmap(answer, "m.png")))
    height, width = picture.shape[:2]
    assert width >= 3000 and height >= 3000  # about 10 pixels a row at 110 dpi
    assert _blocks(units) == [(0, 100, "vpc0"), (100, 200, "vpc1"), (200, 300, "vpc2")]
