"""Readable forms of answers: a rich table of hops and the blockers with their fixes, or JSON."""

from __future__ import annotations

import io
import json
from typing import Any, Iterable, Iterator

from .answer import Answer

__all__ = ["answer_text", "answers_json", "answer_json"]

_VERDICT_STYLE = {"reachable": "bold green", "partial": "bold yellow", "undetermined": "bold magenta",
                  "unreachable": "bold red"}
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
    return "".join(answers_json_chunks(items))


def answers_json_chunks(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The text of :func:`answers_json`, one piece per answer as it comes: a batch streams out as it is answered.

    >>> "".join(answers_json_chunks([{"a": 1}, {"b": 2}])) == json.dumps([{"a": 1}, {"b": 2}], indent=2)
    True
    """
    first = True
    for item in items:
        text = json.dumps(item, indent=2).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + text
        first = False
    yield "[]" if first else "\n]"


#: Below this width the hops are listed as paragraphs rather than a table.
_TABLE_WIDTH = 120


def _hop_detail(hop: Any) -> str:
    if hop.rule:
        return f"{hop.detail}: {hop.rule}" if hop.detail else hop.rule
    return hop.detail or ""


def _wrap(text: str, width: int, indent: str) -> str:
    """``text`` folded at ``width`` with a hanging ``indent``; words (ids, codes) are kept whole when they fit."""
    import textwrap

    return "\n".join(textwrap.wrap(text, max(width, 40), subsequent_indent=indent, break_long_words=True,
                                   break_on_hyphens=False, drop_whitespace=True)) or text


def _component(answer: Answer, component: str) -> str:
    """A component's id, with its Name tag when it has one (``eni:vpc-1/i-0abc (web-1)``)."""
    name = answer.names.get(component)
    return f"{component} ({name})" if name else component


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
    console = Console(file=buffer, width=max(width, 40), color_system=None, highlight=False, soft_wrap=True)
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
        head.append(f"  [expected {q.expect}{' - MISMATCH' if answer.disagrees else ''}]")
    console.print(head)
    if answer.failing_client_ports:
        console.print(f"failing client ports: {', '.join(p.to_text() for p in answer.failing_client_ports)}")
    hops = [*answer.forward, *answer.return_path]
    if hops and width >= _TABLE_WIDTH:
        table = Table(box=None, pad_edge=False, show_edge=False)
        for column in ("#", "leg", "component", "decision", "rule / detail", "code"):
            # ids and codes are never folded; the free text takes what is left
            table.add_column(column, overflow="fold", no_wrap=column in ("#", "leg", "component", "decision", "code"))
        for number, hop in enumerate(hops, 1):
            table.add_row(str(number), hop.direction, _component(answer, hop.component),
                          Text(hop.decision, style=_DECISION_STYLE.get(hop.decision, "")), _hop_detail(hop),
                          hop.code or "")
        console.print(table)
    elif hops:  # a narrow terminal: one wrapped paragraph per hop instead of a table that would cut ids
        for number, hop in enumerate(hops, 1):
            code = f" [{hop.code}]" if hop.code else ""
            detail = _hop_detail(hop)
            text = f"{number}. {hop.direction} {_component(answer, hop.component)}: {hop.decision}{code}" + (f" - {detail}" if detail else "")
            console.print(_wrap(text, width, "   "), markup=False)
    if answer.blockers:
        console.print("blockers:")
        for blocker in answer.blockers:
            console.print(_wrap(f"  [{blocker.code}] ({blocker.leg}, {blocker.semantics or '-'}) {blocker.message}",
                                width, "      "), markup=False)
            console.print(_wrap(f"      fix: {blocker.fix}", width, "           "), markup=False)
    if answer.undetermined:
        console.print("undetermined (cannot be decided offline):")
        for item in answer.undetermined:
            console.print(_wrap(f"  [{item.code}] ({item.leg}, {item.semantics}) {item.message}", width, "      "),
                          markup=False)
            console.print(_wrap(f"      check: {item.fix}", width, "             "), markup=False)
    for note in answer.notes:
        console.print(_wrap(f"note: {note}", width, "      "), markup=False)
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())
