"""Readable forms of answers: a rich table of hops and the blockers with their fixes, or JSON."""

from __future__ import annotations

import io
import json
from typing import Any, Iterable

from .answer import Answer

__all__ = ["answer_text", "answers_json", "answer_json"]

_VERDICT_STYLE = {"reachable": "bold green", "partial": "bold yellow", "unreachable": "bold red"}
_DECISION_STYLE = {"deny": "red", "drop": "red", "allow": "green", "deliver": "bold green", "translate": "cyan"}


def answer_json(answer: Answer) -> dict[str, Any]:
    """The JSON contract of one answer (see DESIGN.md).

    >>> from vpckit.reach import Answer, parse_query
    >>> answer_json(Answer(parse_query({"from": "a", "to": "b", "port": 22}), "partial"))["verdict"]
    'partial'
    """
    return answer.to_dict()


def answers_json(items: Iterable[dict[str, Any]]) -> str:
    """A JSON array of answers (or ``{"query": ..., "error": ...}`` entries), indented.

    >>> answers_json([{"query": {"from": "a"}, "error": "unknown endpoint"}])
    '[\\n  {\\n    "query": {\\n      "from": "a"\\n    },\\n    "error": "unknown endpoint"\\n  }\\n]'
    """
    return json.dumps(list(items), indent=2)


def answer_text(answer: Answer, width: int = 160) -> str:
    """The answer as text: the verdict, a table of forward and return hops, then the blockers.

    >>> from vpckit.reach import Answer, parse_query
    >>> print(answer_text(Answer(parse_query({"from": "a", "to": "b", "port": 22}), "reachable")).splitlines()[0])
    a -> b  tcp 22: reachable
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False, soft_wrap=False)
    q = answer.query
    what = q.to_dict()
    traffic = what["protocol"]
    if "port" in what:
        traffic += f" {what['port']}"
    elif "icmp_type" in what:
        traffic += f" {what['icmp_type']}/{what['icmp_code']}"
    head = Text(f"{q.source} -> {q.destination}  {traffic}: ")
    head.append(answer.verdict, style=_VERDICT_STYLE.get(answer.verdict, ""))
    if q.name:
        head.append(f"  ({q.name})")
    if q.expect is not None:
        head.append(f"  [expected {q.expect}{'' if q.expect == answer.verdict else ' - MISMATCH'}]")
    console.print(head)
    if answer.failing_client_ports:
        console.print(f"failing client ports: {', '.join(p.to_text() for p in answer.failing_client_ports)}")
    hops = [*answer.forward, *answer.return_path]
    if hops:
        table = Table(box=None, pad_edge=False, show_edge=False)
        for column in ("#", "leg", "component", "decision", "rule / detail", "code"):
            table.add_column(column, overflow="fold")
        for number, hop in enumerate(hops, 1):
            detail = hop.detail
            if hop.rule:
                detail = f"{detail}: {hop.rule}" if detail else hop.rule
            table.add_row(str(number), hop.direction, hop.component,
                          Text(hop.decision, style=_DECISION_STYLE.get(hop.decision, "")), detail, hop.code or "")
        console.print(table)
    if answer.blockers:
        console.print("blockers:")
        for blocker in answer.blockers:
            console.print(f"  [{blocker.code}] ({blocker.leg}, {blocker.semantics or '-'}) {blocker.message}",
                          markup=False)
            console.print(f"      fix: {blocker.fix}", markup=False)
    for note in answer.notes:
        console.print(f"note: {note}", markup=False)
    return buffer.getvalue().rstrip("\n")
