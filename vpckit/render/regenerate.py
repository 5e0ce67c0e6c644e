"""Regenerate ``diagrams/``: a DOT source and a rendered SVG for every design in ``designs/``.

Run from the repository root::

    python -m vpckit.render.regenerate            # rewrite diagrams/*.dot and diagrams/*.svg
    python -m vpckit.render.regenerate --check    # exit 1 if any diagram is stale or missing

The DOT file is the reviewed artefact: vpckit writes it byte-identically for the same design,
so a diagram changes in git only when the network does, and the staleness test compares it.
The SVG beside it is for people; its bytes depend on the Graphviz version that drew it, so it
is regenerated with the DOT but never compared.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import VpckitError
from . import diagram_source
from .output import find_renderer, write

DESIGN_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Status:
    """One design's diagram: its files and whether the checked-in DOT matches the design."""

    design: Path
    dot: Path
    svg: Path
    fresh: bool


def designs_in(folder: Path) -> list[Path]:
    """The design files of ``folder``, sorted by name.

    >>> [p.name for p in designs_in(Path("designs"))][:1]
    ['broken.yaml']
    """
    return sorted(p for p in folder.iterdir() if p.suffix in DESIGN_SUFFIXES and p.is_file())


def expected_source(design_file: Path) -> str:
    """The DOT text a design's checked-in diagram must hold (detailed view).

    >>> expected_source(Path("designs/three-tier.yaml")).startswith('digraph "three-tier" {')
    True
    """
    from ..sources import load

    return diagram_source(load(str(design_file)))


def status(designs: Path, diagrams: Path) -> list[Status]:
    """For every design: is ``diagrams/<name>.dot`` present and identical to what vpckit draws now?

    >>> all(s.fresh for s in status(Path("designs"), Path("diagrams")))
    True
    """
    result = []
    for design_file in designs_in(designs):
        dot = diagrams / f"{design_file.stem}.dot"
        svg = diagrams / f"{design_file.stem}.svg"
        fresh = dot.is_file() and svg.is_file() and dot.read_text(encoding="utf-8") == expected_source(design_file)
        result.append(Status(design_file, dot, svg, fresh))
    return result


def regenerate(designs: Path, diagrams: Path, renderer: str = "dot") -> list[Path]:
    """Write ``<name>.dot`` and ``<name>.svg`` for every design, the SVGs drawn by one named ``renderer`` (so that
    contributors regenerating them get the same bytes); return the files written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in regenerate(Path(folder), Path(folder) / "out")]
    []
    """
    diagrams.mkdir(parents=True, exist_ok=True)
    written = []
    program = find_renderer("svg", prefer=renderer) if designs_in(designs) else None
    for design_file in designs_in(designs):
        source = expected_source(design_file)
        dot = diagrams / f"{design_file.stem}.dot"
        dot.write_text(source, encoding="utf-8")
        svg = diagrams / f"{design_file.stem}.svg"
        write(source, svg, program)
        written += [dot, svg]
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line of ``python -m vpckit.render.regenerate``; returns the exit status.

    >>> main(["--check"])
    0
    """
    parser = argparse.ArgumentParser(prog="python -m vpckit.render.regenerate", description=__doc__.splitlines()[0])
    parser.add_argument("--designs", type=Path, default=Path("designs"), help="folder of designs (default: designs)")
    parser.add_argument("--diagrams", type=Path, default=Path("diagrams"), help="output folder (default: diagrams)")
    parser.add_argument("--check", action="store_true", help="only report stale diagrams (exit 1 if any)")
    parser.add_argument("--renderer", choices=("dot", "pure"), default="dot",
                        help="the program that draws the SVGs (default: dot, Graphviz)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = [s for s in status(args.designs, args.diagrams) if not s.fresh]
            for s in stale:
                print(f"{s.dot}: stale or missing; run python -m vpckit.render.regenerate", file=sys.stderr)
            return 1 if stale else 0
        for path in regenerate(args.designs, args.diagrams, args.renderer):
            print(path)
    except VpckitError as error:
        print(f"vpckit: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
