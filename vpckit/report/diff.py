"""``vpckit diff`` output: text, JSON, Markdown for a pull-request comment, GitHub annotations, SARIF.

Pure functions of a :class:`~vpckit.flows.diff.DiffAnswer`; the CLI writes them.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..flows.diff import Cause, DiffAnswer, DiffRow
from .github import _relative, escape_data, escape_property
from .sarif import SARIF_SCHEMA_URI, _uri

__all__ = ["diff_dict", "diff_text", "diff_markdown", "diff_github", "diff_sarif"]

_SHOWN_ADDRESSES = 3


def diff_dict(answer: DiffAnswer) -> dict[str, Any]:
    """The JSON document: ``{"old", "new", "flows": [rows with change, before, after, causes], ...}``."""
    return answer.to_dict()


def _end(info) -> str:
    if info.kind in ("internet", "onprem") and info.addresses:
        shown = ", ".join(info.addresses[:_SHOWN_ADDRESSES])
        more = f" (+{len(info.addresses) - _SHOWN_ADDRESSES})" if len(info.addresses) > _SHOWN_ADDRESSES else ""
        return f"{info.name} {shown}{more}"
    return info.name


def _flow(row: DiffRow) -> str:
    flow = row.row
    ip = " (IPv6)" if flow.family == 6 else ""
    return f"{_end(flow.source)} -> {_end(flow.destination)} {flow.protocol} {flow.ports}{ip}"


def _cause(cause: Cause) -> str:
    return f"{cause.place}: {cause.setting} ({cause.code}, {cause.side})"


def _summary(answer: DiffAnswer) -> str:
    opened, closed = len(answer.opened()), len(answer.closed())
    return (f"{opened} flow{'s' if opened != 1 else ''} opened, {closed} closed between {answer.old} and {answer.new} "
            f"({answer.classes} interface classes, {answer.atoms} outside atoms, {answer.pairs} pairs, "
            f"{answer.walks} walks)")


def diff_text(answer: DiffAnswer) -> str:
    """One block per change: the flow, before -> after, and the settings that made the difference.

    >>> diff_text(DiffAnswer("a.yaml", "b.yaml")).splitlines()[0]
    'no change: 0 flows opened, 0 closed between a.yaml and b.yaml (0 interface classes, 0 outside atoms, 0 pairs, 0 walks)'
    """
    if not answer.rows:
        return f"no change: {_summary(answer)}\n"
    lines = []
    for row in answer.rows:
        lines.append(f"{row.change.upper():7} {_flow(row)}  [{row.before} -> {row.after}]")
        for cause in row.causes:
            lines.append(f"        {_cause(cause)}: {cause.message}")
    lines.append(_summary(answer))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def diff_markdown(answer: DiffAnswer) -> str:
    """A pull-request comment: a summary line, then a table of opened and one of closed flows.

    >>> diff_markdown(DiffAnswer("a.yaml", "b.yaml")).splitlines()[0]
    '**vpckit diff**: no flow opened or closed.'
    """
    if not answer.rows:
        return "**vpckit diff**: no flow opened or closed.\n"
    opened, closed = answer.opened(), answer.closed()
    internet = sum(1 for r in opened if r.row.source.kind == "internet")
    head = f"**vpckit diff**: {len(opened)} flow{'s' if len(opened) != 1 else ''} opened"
    head += f" ({internet} from the internet)" if internet else ""
    head += f", {len(closed)} closed."
    lines = [head, ""]
    for title, rows in (("Opened", opened), ("Closed", closed)):
        if not rows:
            continue
        lines += [f"#### {title}", "", "| from | to | protocol | ports | before → after | because of |",
                  "|---|---|---|---|---|---|"]
        for row in rows:
            flow = row.row
            because = "<br>".join(f"`{_cell(c.setting)}` ({c.code}, {c.side}) at `{_cell(c.place)}`" for c in row.causes)
            lines.append(f"| {_cell(_end(flow.source))} | {_cell(_end(flow.destination))} | {flow.protocol}"
                         f"{' (IPv6)' if flow.family == 6 else ''} | {flow.ports} | {row.before} → {row.after} | "
                         f"{because or '—'} |")
        lines.append("")
    lines.append(f"<sub>{_cell(_summary(answer))}</sub>")
    return "\n".join(lines) + "\n"


def _location(place: str) -> tuple[str, int | None, int | None]:
    parts = place.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return parts[0], int(parts[1]), int(parts[2])
    return place, None, None


def diff_github(answer: DiffAnswer) -> str:
    """GitHub Actions annotations at the settings that changed a flow (``warning`` opened, ``notice`` closed).

    >>> diff_github(DiffAnswer("a.yaml", "b.yaml"))
    '::notice title=vpckit diff::no flow opened or closed\\n'
    """
    lines = []
    for row in answer.rows:
        command = "warning" if row.change == "opened" else "notice"
        message = f"{row.change}: {_flow(row)} [{row.before} -> {row.after}]"
        places = [c for c in row.causes if c.side == "new"] or list(row.causes)
        if not places:
            lines.append(f"::{command} title={escape_property('vpckit diff')}::{escape_data(message)}")
            continue
        cause = places[0]
        file, line, column = _location(cause.place)
        where = f"file={escape_property(_relative(file))}" + (f",line={line},col={column}" if line else "")
        said = ("before: " if cause.side == "old" else "") + cause.message
        lines.append(f"::{command} {where},title={escape_property(f'vpckit diff: {row.change}')}::"
                     f"{escape_data(message + '; ' + said)}")
    if not answer.rows:
        lines.append(f"::notice title={escape_property('vpckit diff')}::no flow opened or closed")
    return "\n".join(lines) + "\n"


def diff_sarif(answer: DiffAnswer) -> str:
    """SARIF 2.1.0: one result per change, located at the setting that made it (``DIFF-OPENED``, ``DIFF-CLOSED``).

    >>> json.loads(diff_sarif(DiffAnswer("a.yaml", "b.yaml")))["runs"][0]["results"]
    []
    """
    rules = [{"id": "DIFF-OPENED", "name": "FlowOpened", "shortDescription": {"text": "A change opens a flow"},
              "defaultConfiguration": {"level": "warning"}},
             {"id": "DIFF-CLOSED", "name": "FlowClosed", "shortDescription": {"text": "A change closes a flow"},
              "defaultConfiguration": {"level": "note"}}]
    results = []
    for row in answer.rows:
        locations = []
        for cause in row.causes:
            file, line, column = _location(cause.place)
            region = {"startLine": line, "startColumn": column or 1} if line else None
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file)}}
            if region:
                physical["region"] = region
            locations.append({"physicalLocation": physical,
                              "logicalLocations": [{"fullyQualifiedName": cause.setting, "kind": "resource"}]})
        results.append({
            "ruleId": "DIFF-OPENED" if row.change == "opened" else "DIFF-CLOSED",
            "level": "warning" if row.change == "opened" else "note",
            "message": {"text": f"{row.change}: {_flow(row)} [{row.before} -> {row.after}]"
                                + "".join(f"; {c.message}" for c in row.causes)},
            "locations": locations[:1] or [{"physicalLocation": {"artifactLocation": {"uri": _uri(answer.new)}}}],
            "relatedLocations": [dict(loc, id=i) for i, loc in enumerate(locations[1:], 1)],
        })
    document = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0",
                "runs": [{"tool": {"driver": {"name": "vpckit", "version": __version__, "rules": rules}},
                          "results": results}]}
    return json.dumps(document, indent=2) + "\n"
