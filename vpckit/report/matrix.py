"""``vpckit matrix`` answers as a grid (people), CSV and Markdown (spreadsheets, reviews) or JSON (programs)."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..flows.matrix import MatrixAnswer

__all__ = ["matrix_text", "matrix_csv", "matrix_markdown", "matrix_dict"]

_NONE = "·"


def matrix_dict(answer: MatrixAnswer) -> dict[str, Any]:
    """The JSON document of a matrix.

    >>> matrix_dict(MatrixAnswer("vpc"))["cells"]
    []
    """
    return answer.to_dict()


def _cell_text(answer: MatrixAnswer, source: str, destination: str, limit: int) -> str:
    cell = answer.cell(source, destination)
    if cell is None:
        return _NONE
    text = ", ".join(cell.summary())
    if len(text) > limit:
        text = text[: max(1, limit - 1)].rstrip(", ") + "…"
    if cell.status == "partial-members":
        text += f" [{cell.reaching}/{cell.pairs}]"
    return text


def _summary(answer: MatrixAnswer) -> str:
    flows = sum(len(c.flows) for c in answer.cells)
    return (f"by {answer.by}: {len(answer.units)} units, {len(answer.cells)} reaching cells, {flows} flows "
            f"({answer.classes} interface classes, {answer.class_pairs} class pairs, {answer.walks} walks)")


def matrix_text(answer: MatrixAnswer, width: int = 160) -> str:
    """A grid: sources down, destinations across, each cell the open ports (``·``: nothing), then a summary.

    ``[r/n]`` marks a cell where only ``r`` of its ``n`` interface pairs reach.

    >>> print(matrix_text(MatrixAnswer("vpc", units=["a"])))
    source \\ destination  a
    a                     ·
    by vpc: 1 units, 0 reaching cells, 0 flows (0 interface classes, 0 class pairs, 0 walks)
    """
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=max(width, 40), color_system=None, highlight=False, soft_wrap=False)
    limit = max(8, (width - 24) // max(1, len(answer.units)) - 2)
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("source \\ destination", no_wrap=True)
    for unit in answer.units:
        table.add_column(unit, overflow="fold")
    for source in answer.units:
        table.add_row(source, *(_cell_text(answer, source, d, limit) for d in answer.units))
    console.print(table)
    for note in answer.notes:
        console.print(f"note: {note}", markup=False)
    console.print(_summary(answer), markup=False)
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())


def matrix_csv(answer: MatrixAnswer) -> str:
    """One line per flow: source, destination, ip_version, protocol, ports, status, members, reaching_pairs, pairs.

    >>> matrix_csv(MatrixAnswer("vpc")).splitlines()[0]
    'source,destination,ip_version,protocol,ports,status,members,reaching_pairs,pairs'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "destination", "ip_version", "protocol", "ports", "status", "members",
                     "reaching_pairs", "pairs"])
    for cell in answer.cells:
        for row in cell.flows:
            writer.writerow([cell.source, cell.destination, row.family, row.protocol, row.ports, row.status,
                             cell.status, cell.reaching, cell.pairs])
    return buffer.getvalue().rstrip("\n")


def matrix_markdown(answer: MatrixAnswer) -> str:
    """The grid as a Markdown table, for a review.

    >>> matrix_markdown(MatrixAnswer("vpc", units=["a"])).splitlines()[3]
    '|---|---|'
    """
    lines = [f"**reachability by {answer.by}**", "", "| source \\ destination | " + " | ".join(answer.units) + " |",
             "|---|" + "---|" * len(answer.units)]
    for source in answer.units:
        lines.append(f"| {source} | " + " | ".join(_cell_text(answer, source, d, 60).replace("|", "\\|")
                                                   for d in answer.units) + " |")
    lines += ["", f"_{_summary(answer)}_"]
    return "\n".join(lines)
