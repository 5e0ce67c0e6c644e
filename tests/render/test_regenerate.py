"""diagrams/ holds a fresh diagram (DOT + SVG) for every design; the regenerate command keeps it so.

The DOT file is compared, not the SVG: vpckit writes DOT byte-identically for the same design,
while SVG bytes depend on the Graphviz version that laid it out (2.43 on Debian 12, 16.x in
graphviz-pure), so an SVG comparison would fail on a machine with another Graphviz.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vpckit.render.regenerate import designs_in, main, regenerate, status

ROOT = Path(__file__).resolve().parents[2]
DESIGNS, DIAGRAMS = ROOT / "designs", ROOT / "diagrams"
FIX = "run `python -m vpckit.render.regenerate` from the repository root"


@pytest.mark.parametrize("design", designs_in(DESIGNS), ids=lambda p: p.stem)
def test_checked_in_diagram_is_fresh(design: Path) -> None:
    (entry,) = [s for s in status(DESIGNS, DIAGRAMS) if s.design == design]
    assert entry.dot.is_file() and entry.svg.is_file(), f"{entry.dot} or {entry.svg} is missing; {FIX}"
    assert entry.fresh, f"{entry.dot} no longer matches {design.name}; {FIX}"
    assert entry.svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_no_diagram_without_a_design() -> None:
    stems = {p.stem for p in designs_in(DESIGNS)}
    orphans = sorted(p.name for p in DIAGRAMS.iterdir() if p.stem not in stems)
    assert not orphans, f"diagrams without a design: {orphans}; delete them"


def test_a_changed_design_makes_its_diagram_stale(tmp_path: Path) -> None:
    designs, diagrams = tmp_path / "designs", tmp_path / "diagrams"
    designs.mkdir()
    shutil.copy(DESIGNS / "three-tier.yaml", designs / "three-tier.yaml")
    written = regenerate(designs, diagrams)
    assert sorted(p.name for p in written) == ["three-tier.dot", "three-tier.svg"]
    assert main(["--designs", str(designs), "--diagrams", str(diagrams), "--check"]) == 0
    text = (designs / "three-tier.yaml").read_text().replace("10.0.21.0/24", "10.0.22.0/24")
    (designs / "three-tier.yaml").write_text(text)
    assert [s.fresh for s in status(designs, diagrams)] == [False]
    assert main(["--designs", str(designs), "--diagrams", str(diagrams), "--check"]) == 1
    assert main(["--designs", str(designs), "--diagrams", str(diagrams)]) == 0
    assert "10.0.22.0/24" in (diagrams / "three-tier.dot").read_text()
    assert [s.fresh for s in status(designs, diagrams)] == [True]
