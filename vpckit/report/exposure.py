"""``vpckit exposure`` answers as a table (people), Markdown (reviews) or JSON (programs)."""

from __future__ import annotations

import io
from typing import Any

from ..flows.exposure import ExposureAnswer
from ..flows.rows import FlowRow

__all__ = ["exposure_text", "exposure_markdown", "exposure_dict"]

_COLUMNS = ("source", "destination", "protocol", "ports", "status", "via")


def exposure_dict(answer: ExposureAnswer) -> dict[str, Any]:
    """The JSON document: ``{"question", "flows": [rows], "atoms", "classes", "pairs", "walks", "notes"}``.

    >>> exposure_dict(ExposureAnswer("what internet reaches"))["flows"]
    []
    """
    return answer.to_dict()


def _addresses(addresses: tuple[str, ...], limit: int = 3) -> str:
    shown = ", ".join(addresses[:limit])
    return shown + (f" +{len(addresses) - limit} more" if len(addresses) > limit else "")


def _end(info, internet_all: bool) -> str:
    if info.name == "internet":
        return "internet" if internet_all else f"internet: {_addresses(info.addresses)}"
    if info.kind in ("internet", "onprem") or not info.addresses:
        return f"{info.name}" + (f": {_addresses(info.addresses)}" if info.addresses else "")
    return f"{info.name} at {_addresses(info.addresses, 2)}"


def _via(row: FlowRow) -> str:
    return ", ".join(part.split(":", 1)[-1].split("/", 1)[-1] for part in row.via)


def _status(row: FlowRow) -> str:
    if row.status == "partial":
        return "partial (client ports " + ", ".join(f"{lo}-{hi}" if lo != hi else str(lo)
                                                    for lo, hi in row.failing_client_ports) + " fail)"
    return row.status


def _cells(answer: ExposureAnswer) -> list[list[str]]:
    widest: dict[int, int] = {}
    for row in answer.flows:  # the internet ends that cover every internet atom are just "internet"
        for end in (row.source, row.destination):
            if end.name == "internet":
                widest[row.family] = max(widest.get(row.family, 0), len(end.addresses))
    out = []
    for row in answer.flows:
        complete = {side: end.name == "internet" and len(end.addresses) == widest.get(row.family)
                    for side, end in (("source", row.source), ("destination", row.destination))}
        protocol = row.protocol if row.numbers is None else "other"
        out.append([_end(row.source, complete["source"]), _end(row.destination, complete["destination"]),
                    protocol + (" (IPv6)" if row.family == 6 else ""), row.ports, _status(row), _via(row)])
    return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(answer: ExposureAnswer) -> str:
    return (f"{answer.question}: {_count(len(answer.flows), 'flow')}, {_count(len(answer.destinations()), 'destination')}, "
            f"{_count(len(answer.sources()), 'source')} ({answer.atoms} address atoms, {answer.classes} interface classes, "
            f"{answer.pairs} pairs, {answer.walks} walks)")


def exposure_text(answer: ExposureAnswer, width: int = 160) -> str:
    """A table, one row per flow (source, destination, protocol, ports, status, via), then a summary.

    >>> print(exposure_text(ExposureAnswer("what internet reaches")))
    what internet reaches: nothing gets through
    what internet reaches: 0 flows, 0 destinations, 0 sources (0 address atoms, 0 interface classes, 0 pairs, 0 walks)
    """
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=max(width, 40), color_system=None, highlight=False, soft_wrap=False)
    if not answer.flows:
        console.print(f"{answer.question}: nothing gets through", markup=False)
    else:
        table = Table(box=None, pad_edge=False, show_edge=False)
        for column in _COLUMNS:
            table.add_column(column, overflow="fold", no_wrap=column in ("protocol", "ports"))
        for cells in _cells(answer):
            table.add_row(*cells)
        console.print(table)
    for note in answer.notes:
        console.print(f"note: {note}", markup=False)
    console.print(_summary(answer), markup=False)
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())


def exposure_markdown(answer: ExposureAnswer) -> str:
    """A Markdown table for a review or a pull-request comment.

    >>> exposure_markdown(ExposureAnswer("what internet reaches")).splitlines()[0]
    '**what internet reaches**: nothing gets through'
    """
    lines = [f"**{answer.question}**: " + (f"{len(answer.flows)} flows to {len(answer.destinations())} destinations"
                                           if answer.flows else "nothing gets through"), ""]
    if answer.flows:
        lines.append("| " + " | ".join(_COLUMNS) + " |")
        lines.append("|" + "---|" * len(_COLUMNS))
        for cells in _cells(answer):
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    lines.append(f"_{answer.atoms} address atoms, {answer.classes} interface classes, {answer.pairs} pairs, "
                 f"{answer.walks} walks_")
    return "\n".join(lines)
