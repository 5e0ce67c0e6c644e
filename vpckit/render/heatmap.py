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
_OPEN, _SOME, _NONE = PUBLIC_SUBNET, "#F2A900", "#F2F3F3"


def _group(unit: str) -> str:
    return unit.split("/", 1)[0] if "/" in unit else ""


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
            if cell is None:
                continue
            some = cell.status == "partial-members" or any(r.status != "open" for r in cell.flows)
            values[i][j] = 1 if some else 2
            summary = cell.summary()
            texts[i][j] = "\n".join(s.replace("tcp ", "") for s in summary[:2]) + ("\n…" if len(summary) > 2 else "")
    side = min(40.0, max(5.0, 0.45 * n + 3))
    font = 9 if n <= 12 else 7 if n <= 40 else max(2.0, 300 / n)
    figure, axes = plt.subplots(figsize=(side + 2, side))
    axes.imshow(values, cmap=ListedColormap([_NONE, _SOME, _OPEN]), vmin=0, vmax=2, aspect="equal")
    axes.set_xticks(range(n), labels=units, rotation=60, ha="right", fontsize=font)
    axes.set_yticks(range(n), labels=units, fontsize=font)
    axes.set_xlabel("destination")
    axes.set_ylabel("source")
    if n <= 40:
        for i in range(n):
            for j in range(n):
                if texts[i][j]:
                    axes.text(j, i, texts[i][j], ha="center", va="center", fontsize=max(4.0, font - 2))
    for k in range(1, n):  # separators between VPCs (units are vpc/…)
        if _group(units[k]) != _group(units[k - 1]):
            axes.axhline(k - 0.5, color=PRIVATE_SUBNET, linewidth=1.5)
            axes.axvline(k - 0.5, color=PRIVATE_SUBNET, linewidth=1.5)
    axes.set_title(f"who reaches whom, by {answer.by} ({answer.classes} interface classes, {answer.walks} walks)",
                   fontsize=10)
    axes.legend(handles=[Patch(color=_OPEN, label="reaches (every member pair)"),
                         Patch(color=_SOME, label="some member pairs, or partial"),
                         Patch(facecolor=_NONE, edgecolor="#999999", label="nothing")],
                loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=suffix, dpi=110, metadata={"Date": None} if suffix == "svg" else None)
    plt.close(figure)
    return buffer.getvalue()
