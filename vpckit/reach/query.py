"""Reachability questions: "can A reach B with this protocol and port?"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..errors import QueryError
from ..model import Expectation
from ..model.types import PortRange, parse_traffic, protocol_name

__all__ = ["Query", "parse_query", "ICMP_ECHO", "ICMP6_ECHO"]

ICMP_ECHO = (8, 0)
ICMP6_ECHO = (128, 0)
_KEYS = {"name", "from", "to", "protocol", "port", "icmp_type", "icmp_code", "client_ports", "expect", "source",
         "destination"}


@dataclass(frozen=True)
class Query:
    """A reachability question (the same keys as a design's ``expectations``).

    ``port`` is required for tcp and udp; ICMP defaults to echo request (8/0, ICMPv6 128/0).

    >>> q = parse_query({"from": "internet", "to": "web-1", "port": 443})
    >>> q.protocol, q.port.to_text(), q.to_dict()["protocol"]
    (6, '443', 'tcp')
    """

    source: str
    destination: str
    protocol: int = 6
    port: PortRange | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None
    client_ports: PortRange | None = None
    name: str | None = None
    expect: str | None = None

    @classmethod
    def from_expectation(cls, expectation: Expectation, checked: bool = True) -> "Query":
        """The query of a design expectation (validated like :func:`parse_query`).

        >>> Query.from_expectation(Expectation.model_validate({"from": "a", "to": "b", "protocol": "icmp"})).icmp
        (8, 0)
        """
        protocol, port = expectation.protocol, expectation.port
        if expectation.ports:  # the first of ``ports: [tcp/5432, ...]`` (one query per item: see queries_of)
            protocol, port = parse_traffic(expectation.ports[0])
        if expectation.source is None or expectation.destination is None or expectation.expect == "isolated":
            raise QueryError(f"expectation {expectation.label!r} is about sets of flows ({expectation.form}), "
                             "not one flow")
        query = cls(
            source=expectation.source, destination=expectation.destination, protocol=protocol,
            port=port, icmp_type=expectation.icmp_type, icmp_code=expectation.icmp_code,
            client_ports=expectation.client_ports, name=expectation.name, expect=expectation.expect,
        )
        return _checked(query) if checked else query

    @property
    def icmp(self) -> tuple[int, int] | None:
        """ICMP (type, code) for ICMP/ICMPv6 queries, else None."""
        if self.protocol not in (1, 58):
            return None
        default = ICMP_ECHO if self.protocol == 1 else ICMP6_ECHO
        return (self.icmp_type if self.icmp_type is not None else default[0],
                self.icmp_code if self.icmp_code is not None else default[1])

    def to_dict(self) -> dict[str, Any]:
        """The query as written in a queries file."""
        out: dict[str, Any] = {"from": self.source, "to": self.destination, "protocol": protocol_name(self.protocol)}
        if self.name:
            out = {"name": self.name, **out}
        if self.port is not None:
            out["port"] = self.port.low if self.port.low == self.port.high else self.port.to_text()
        if self.icmp is not None:
            out["icmp_type"], out["icmp_code"] = self.icmp
        if self.client_ports is not None:
            out["client_ports"] = self.client_ports.to_text()
        return out


#: How a query's keys are written in a query file; the command line passes its flag names instead.
KEY_LABELS: dict[str, str] = {"port": "port", "icmp_type": "icmp_type", "icmp_code": "icmp_code",
                              "protocol": "protocol", "client_ports": "client_ports", "from": "from", "to": "to"}

#: The ``vpckit reach`` flags for the same keys, so messages speak the user's terms.
FLAG_LABELS: dict[str, str] = {"port": "--port", "icmp_type": "--icmp-type", "icmp_code": "--icmp-code",
                               "protocol": "--protocol", "client_ports": "--client-ports", "from": "--from",
                               "to": "--to"}


def _checked(query: Query, labels: dict[str, str] = KEY_LABELS) -> Query:
    port, icmp_type, icmp_code = labels["port"], labels["icmp_type"], labels["icmp_code"]
    flags = port.startswith("--")
    if query.protocol in (6, 17) and query.port is None:
        example = f"{port} 443 or {port} 8000-8080" if flags else f"{port}: 443 or {port}: 8000-8080"
        raise QueryError(f"{protocol_name(query.protocol)} needs a port (e.g. {example})")
    if query.protocol in (1, 58) and query.port is not None:
        raise QueryError(f"{port} does not apply to {protocol_name(query.protocol)}: ICMP has no ports; "
                         f"give {icmp_type} and {icmp_code} instead (default: echo request)")
    if query.protocol not in (6, 17) and query.port is not None:
        query = Query(query.source, query.destination, query.protocol, None, query.icmp_type, query.icmp_code,
                      None, query.name, query.expect)
    for value, label in ((query.icmp_type, "icmp_type"), (query.icmp_code, "icmp_code")):
        if value is not None and not -1 <= value <= 255:
            raise QueryError(f"{labels[label]} {value} is out of range 0-255")
    return query


def parse_query(data: dict[str, Any], labels: dict[str, str] = KEY_LABELS) -> Query:
    """A :class:`Query` from a mapping with the keys of an expectation; :class:`QueryError` on bad input.

    >>> parse_query({"from": "a", "to": "b", "protocol": "icmp"}).icmp
    (8, 0)
    >>> parse_query({"from": "a", "to": "b", "protocol": "tcp"})
    Traceback (most recent call last):
    ...
    vpckit.errors.QueryError: tcp needs a port (e.g. port: 443 or port: 8000-8080)

    ``labels`` names the keys in messages (``FLAG_LABELS`` for the command line's flags):

    >>> parse_query({"from": "a", "to": "b", "port": "99999"}, FLAG_LABELS)
    Traceback (most recent call last):
    ...
    vpckit.errors.QueryError: --port 99999: port 99999 is outside 0-65535
    """
    if not isinstance(data, dict):
        raise QueryError(f"a query must be a mapping with from/to/protocol/port, got {type(data).__name__}")
    unknown = set(data) - _KEYS
    if unknown:
        import difflib

        known = sorted(_KEYS - {"source", "destination"})
        close = [match for key in sorted(unknown, key=str)
                 for match in difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)]
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise QueryError(f"unknown query key(s) {', '.join(sorted(map(str, unknown)))}{hint} (expected one of {', '.join(known)})")
    body = dict(data)
    if "source" in body:
        body.setdefault("from", body.pop("source"))
    if "destination" in body:
        body.setdefault("to", body.pop("destination"))
    if "from" not in body or "to" not in body:
        raise QueryError("a query needs 'from' and 'to'")
    for key in ("from", "to"):
        if not isinstance(body[key], str):
            body[key] = str(body[key])
    try:
        expectation = Expectation.model_validate(body)
    except ValidationError as error:
        problems = "; ".join(_problem(e, body, labels) for e in error.errors())
        raise QueryError(problems if labels is not KEY_LABELS else f"invalid query: {problems}") from None
    return _checked_from(expectation, labels)


def _problem(error: Any, body: dict[str, Any], labels: dict[str, str]) -> str:
    key = str(error["loc"][0]) if error["loc"] else ""
    message = error["msg"].removeprefix("Value error, ")
    if labels is KEY_LABELS or key not in labels:
        return f"{'.'.join(str(p) for p in error['loc']) or 'query'}: {message}"
    return f"{labels[key]} {body.get(key)}: {message}"


def _checked_from(expectation: Expectation, labels: dict[str, str]) -> Query:
    return _checked(Query.from_expectation(expectation, checked=False), labels)
