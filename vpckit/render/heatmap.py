"""The reachability matrix as a picture for a design review: a heatmap (matplotlib).

Rows are sources and columns destinations, grouped by VPC (separators between VPCs), coloured
by what gets through (every member pair, only some of them, nothing), with the main ports written
in each cell while they fit, and a legend.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RenderError
from ..flows.matrix import MatrixAnswer
from .style import PUBLIC_SUBNET, PRIVATE_SUBNET

__all__ = ["matrix_heatmap", "HEATMAP_FORMATS"]

HEATMAP_FORMATS = ("svg", "png", "pdf")
#: Cell colours: every member pair reaches / only some do, or a flow is partial / nothing.
_OPEN, _SOME, _NONE = PUBLIC_SUBNET, "#F2A900", "#E3E6E6"
#: An interface and itself (``--by interface``): not a pair, not "nothing".
_SELF = "#FFFFFF"


def _group(unit: str) -> str:
    return unit.split("/", 1)[0] if "/" in unit else ""


def _blocks(units: list[str]) -> list[tuple[int, int, str]]:
    """Runs of units of one VPC: ``(first index, index past the last, VPC)``.

    >>> _blocks(["a/x", "a/y", "b/z"])
    [(0, 2, 'a'), (2, 3, 'b')]
    """
    out: list[tuple[int, int, str]] = []
    for k, unit in enumerate(units):
        if out and out[-1][2] == _group(unit):
            out[-1] = (out[-1][0], k + 1, out[-1][2])
        else:
            out.append((k, k + 1, _group(unit)))
    return out


def matrix_heatmap(answer: MatrixAnswer, path: str | Path) -> bytes:
    """Draw ``answer`` and return the file's bytes (``svg``, ``png`` or ``pdf`` by the suffix of ``path``).

    The caller writes them (atomically); nothing is written here.

    >>> from vpckit.flows import matrix
    >>> matrix_heatmap(matrix("designs/three-tier.yaml", by="tier"), "m.svg")[:5]
    b'<?xml'
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in HEATMAP_FORMATS:
        raise RenderError(f"{path}: the matrix picture is written as {', '.join(HEATMAP_FORMATS)}")
    units = answer.units
    n = max(1, len(units))
    values = [[0] * n for _ in range(n)]
    texts = [[""] * n for _ in range(n)]
    for i, source in enumerate(units):
        for j, destination in enumerate(units):
            cell = answer.cell(source, destination)
            if source == destination and answer.by == "interface":
                values[i][j] = 3  # an interface and itself: never a pair
                texts[i][j] = "–"
                continue
            if cell is None:
                continue
            some = cell.status == "partial-members" or any(r.status != "open" for r in cell.flows)
            values[i][j] = 1 if some else 2
            summary = cell.summary()
            texts[i][j] = "\n".join(s.replace("tcp ", "") for s in summary[:2]) + ("\n…" if len(summary) > 2 else "")
    side = min(40.0, max(5.0, 0.45 * n + 3))
    # a label as tall as most of its row (72 points to the inch), never above 9 points
    font = min(9.0, 0.75 * 72 * (side - 3) / n)
    big = max(10.0, side / 2.5)  # title, VPC names and legend: read from afar on a large picture
    figure, axes = plt.subplots(figsize=(side + 2, side))
    axes.imshow(values, cmap=ListedColormap([_NONE, _SOME, _OPEN, _SELF]), vmin=0, vmax=3, aspect="equal")
    axes.set_xticks(range(n), labels=units, rotation=60, ha="right", fontsize=font)
    axes.set_yticks(range(n), labels=units, fontsize=font)
    if n <= 40:
        for i in range(n):
            for j in range(n):
                if texts[i][j]:
                    axes.text(j, i, texts[i][j], ha="center", va="center", fontsize=max(4.0, font - 2))
    blocks = _blocks(units)
    for start, _end, _name in blocks[1:]:  # separators between VPCs (units are vpc/…)
        axes.axhline(start - 0.5, color=PRIVATE_SUBNET, linewidth=1.5)
        axes.axvline(start - 0.5, color=PRIVATE_SUBNET, linewidth=1.5)
    if len(blocks) > 1 and n > 12:
        # many rows: the VPC of each block, once, above the columns and right of the rows
        for start, end, name in blocks:
            middle = (start + end - 1) / 2
            axes.text(middle, -0.01 * n - 0.6, name, ha="center", va="bottom", fontsize=big * 0.8,
                      color=PRIVATE_SUBNET, clip_on=False)
            axes.text(n - 0.5 + 0.01 * n, middle, name, ha="left", va="center", fontsize=big * 0.8,
                      color=PRIVATE_SUBNET, clip_on=False, rotation=-90)
    axes.set_title(f"who reaches whom, by {answer.by} ({answer.classes} interface classes, {answer.walks} walks)",
                   fontsize=big, pad=big * 3.5 if len(blocks) > 1 and n > 12 else 6)
    axes.set_xlabel("destination", fontsize=big * 0.8)
    axes.set_ylabel("source", fontsize=big * 0.8)
    axes.legend(handles=[Patch(color=_OPEN, label="reaches (every member pair)"),
                         Patch(color=_SOME, label="some member pairs, or partial"),
                         Patch(facecolor=_NONE, edgecolor="#999999", label="nothing"),
                         *([Patch(facecolor=_SELF, edgecolor="#999999", label="itself (not a pair)")]
                           if answer.by == "interface" else [])],
                loc="upper left", bbox_to_anchor=(1.01 + (0.03 if len(blocks) > 1 and n > 12 else 0), 1.0),
                fontsize=max(8.0, big * 0.7), frameon=False)
    buffer = io.BytesIO()
    # "tight": the picture grows to hold every label, legend and VPC name instead of cutting them
    figure.savefig(buffer, format=suffix, dpi=110, metadata={"Date": None} if suffix == "svg" else None,
                   bbox_inches="tight", pad_inches=0.3)
    plt.close(figure)
    return buffer.getvalue()
