"""``vpckit ports`` answers as a compact table (people) or JSON (programs)."""

from __future__ import annotations

import io
from typing import Any

from ..flows.rows import STATUSES, FlowRow, PortsAnswer, ports_label

__all__ = ["ports_text", "ports_dict", "closed_by"]

_STATUS_STYLE = {"open": "bold green", "partial": "bold yellow", "undetermined": "bold magenta", "closed": "red"}
_PROTOCOL_ORDER = {"tcp": 0, "udp": 1, "icmp": 2, "icmpv6": 3}
#: Short words for the codes a table cell names most (the full code is in --verbose and JSON).
_SHORT = {"ELBV2_LISTENER_PORT_RESTRICTION": "listeners", "VPCE_SERVICE_PORT_RESTRICTION": "endpoint ports",
          "NO_POSSIBLE_DESTINATION": "nothing answers", "NO_ROUTE_TO_DESTINATION": "no route",
          "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS": "no public IP", "BAD_STATE_ROUTE": "blackhole route",
          "ASYMMETRIC_RETURN": "asymmetric return"}
_FILTERS = {"SUBNET_ACL_RESTRICTION": "NACL", "ENI_SG_RULES_MISMATCH": "SG", "SG_HAS_NO_RULES": "SG",
            "SG_REFERENCES_NOT_PRESERVED": "SG"}


def ports_dict(answer: PortsAnswer) -> dict[str, Any]:
    """The JSON document of one answer: ``{"source", "destination", "flows": [rows], ...}``.

    >>> from vpckit.flows import EndpointInfo, PortsAnswer
    >>> sorted(ports_dict(PortsAnswer(EndpointInfo("a", "interface", "eni:p/a"), EndpointInfo("b", "interface", "eni:p/b"))))
    ['destination', 'flows', 'source', 'walks']
    """
    return answer.to_dict()


def _name(setting: str) -> str:
    return ",".join(part.split(":", 1)[-1].split("/", 1)[-1] for part in setting.split(","))


def closed_by(row: FlowRow) -> str:
    """The settings that close (or, for a partial row, cut the replies of) a row, in a few words.

    >>> from vpckit.flows import EndpointInfo, FlowRow
    >>> from vpckit.reach import Blocker
    >>> end = EndpointInfo("a", "interface", "eni:p/a")
    >>> b = Blocker("SUBNET_ACL_RESTRICTION", "subnet:p/a", "nacl:p/app", "return", "NACL-07", "m", "f")
    >>> closed_by(FlowRow(4, "tcp", 22, 22, "closed", end, end, (b,)))
    'NACL app (return)'
    """
    parts: list[str] = []
    for blocker in row.blockers:
        kind = _FILTERS.get(blocker.code)
        if kind:
            text = f"{kind} {_name(blocker.setting)}"
        elif blocker.code in _SHORT:
            text = f"{_SHORT[blocker.code]} ({_name(blocker.setting or blocker.component)})"
        else:
            text = f"{blocker.code} ({_name(blocker.component)})"
        if blocker.leg == "return":
            text += " (return)"
        if text not in parts:
            parts.append(text)
    if row.status == "partial":
        return (f"replies to client ports {', '.join(ports_label(lo, hi) for lo, hi in row.failing_client_ports)} "
                f"dropped by {', '.join(parts)}")
    if row.status == "undetermined":
        return "decided by " + ", ".join(_name(u.component) for u in row.undetermined)
    return ", ".join(parts)


def _order(row: FlowRow) -> tuple:
    return (STATUSES.index(row.status), row.family, _PROTOCOL_ORDER.get(row.protocol, 9), row.protocol, row.low)


def ports_text(answer: PortsAnswer, width: int = 160, verbose: bool = False) -> str:
    """The answer as a table (protocol, ports, status, closed by), open rows first.

    ``verbose`` adds each blocker's message and fix once, with the rows it closes.

    >>> from vpckit.flows import EndpointInfo, FlowRow, PortsAnswer
    >>> end = EndpointInfo("a", "interface", "eni:p/a", ("10.0.0.5/32",))
    >>> print(ports_text(PortsAnswer(end, end, [FlowRow(4, "tcp", 443, 443, "open", end, end)])).splitlines()[0])
    a (10.0.0.5/32) -> a (10.0.0.5/32): open tcp 443
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=max(width, 40), color_system=None, highlight=False, soft_wrap=False)
    rows = sorted(answer.flows, key=_order)
    reached = [r for r in rows if r.status in ("open", "partial")]
    both = len({r.family for r in rows}) > 1
    summary = "; ".join(f"{r.protocol} {r.ports}" + (" over IPv6" if both and r.family == 6 else "")
                        + (" (partial)" if r.status == "partial" else "") for r in reached) or "nothing"
    console.print(f"{_end(answer.source)} -> {_end(answer.destination)}: open {summary}", markup=False)
    families = {r.family for r in rows}
    table = Table(box=None, pad_edge=False, show_edge=False)
    columns = (["ip"] if len(families) > 1 else []) + ["protocol", "ports", "status", "closed by"]
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column != "closed by")
    for row in rows:
        cells = ([f"v{row.family}"] if len(families) > 1 else []) + [
            row.protocol if row.numbers is None else "other", row.ports,
            Text(row.status, style=_STATUS_STYLE[row.status]), closed_by(row)]
        table.add_row(*cells)
    console.print(table)
    others = next((r.numbers for r in rows if r.numbers), None)
    if others:
        console.print(f"other: {others}", markup=False)
    if verbose:
        _blockers(console, rows)
    for note in answer.notes:
        console.print(f"note: {note}", markup=False)
    console.print(f"{len(rows)} rows from {answer.walks} walks", markup=False)
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())


def _end(info) -> str:
    return f"{info.name} ({', '.join(info.addresses)})" if info.addresses else info.name


def _grouped(labels: list[str]) -> str:
    """``['tcp 22', 'tcp 80', 'udp 0-65535']`` -> ``'tcp 22, 80; udp 0-65535'``."""
    groups: dict[str, list[str]] = {}
    for label in labels:
        protocol, _, ports = label.rpartition(" ")
        if ports not in groups.setdefault(protocol, []):
            groups[protocol].append(ports)
    return "; ".join(f"{protocol} {', '.join(ports)}" for protocol, ports in groups.items())


def _blockers(console, rows: list[FlowRow]) -> None:
    seen: dict[tuple, list[str]] = {}
    found: dict[tuple, Any] = {}
    for row in rows:
        for blocker in (*row.blockers, *row.undetermined):
            # one entry per setting and protocol; the message is that of the first range it closes
            key = (blocker.code, blocker.component, blocker.setting, blocker.leg, row.family, row.protocol)
            found.setdefault(key, blocker)
            seen.setdefault(key, []).append(f"{'' if row.family == 4 else 'IPv6 '}{row.protocol} {row.ports}")
    if not found:
        return
    console.print("blockers:")
    for key, blocker in found.items():
        console.print(f"  [{blocker.code}] ({blocker.leg}, {blocker.semantics or '-'}) closes {_grouped(seen[key])}: "
                      f"{blocker.message}", markup=False)
        console.print(f"      fix: {blocker.fix}", markup=False)
