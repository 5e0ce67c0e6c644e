"""The exactness check of the set questions: every row agrees with `reach` asked one point at a time.

For each row of a ``ports`` answer, single-point reach questions at the row's edges and inside it
(lo, hi and the middle; lo-1 and hi+1 are the neighbouring rows' edges, checked with those rows)
must give the row's status, its blockers (by code, component, setting and leg) and, for partial
rows, its failing client ports.
"""

from __future__ import annotations

from vpckit.flows import PortsAnswer, ports
from vpckit.flows.ports import _named_protocols
from vpckit.model.types import PortRange, parse_port_range
from vpckit.network.build import Network
from vpckit.reach.engine import answer
from vpckit.reach.query import Query

STATUS = {"reachable": "open", "unreachable": "closed", "partial": "partial", "undetermined": "undetermined"}
_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}


def _key(blocker) -> tuple[str, str, str, str]:
    return (blocker.code, blocker.component, blocker.setting, blocker.leg)


def _points(row) -> list[int]:
    return sorted({row.low, row.high, (row.low + row.high) // 2})


def disagreements(network: Network, source: str, destination: str, client_ports: str | None = None,
                  result: PortsAnswer | None = None) -> list[str]:
    """Every point where ``ports`` and ``reach`` disagree, as readable lines (empty when exact)."""
    result = result or ports(network, source, destination, client_ports=client_ports)
    client = parse_port_range(client_ports) if client_ports else None
    named = _named_protocols(network)
    problems = []
    for row in result.flows:
        if row.space == "ports":
            queries = [Query(source, destination, _NUMBERS[row.protocol], PortRange(low=p, high=p), client_ports=client)
                       for p in _points(row)]
        elif row.space == "icmp":
            queries = [Query(source, destination, _NUMBERS[row.protocol], icmp_type=p // 256, icmp_code=p % 256,
                             client_ports=client) for p in _points(row)]
        elif row.protocol == "other":
            numbers = [n for n in (47, 99, 200, 253) if n not in named and n not in (1, 6, 17, 58)][:2]
            queries = [Query(source, destination, n, client_ports=client) for n in numbers]
        else:
            number = int(row.protocol) if row.protocol.isdigit() else _NUMBERS.get(row.protocol)
            queries = [Query(source, destination, number, client_ports=client)]
        for query in queries:
            single = answer(network, query, row.family)
            where = f"{source} -> {destination} IPv{row.family} {row.protocol} {row.ports} at {query.to_dict()}"
            if STATUS[single.verdict] != row.status:
                problems.append(f"{where}: ports says {row.status}, reach says {single.verdict}")
                continue
            if row.status in ("closed", "partial"):
                want = {_key(b) for b in single.blockers}
                got = {_key(b) for b in row.blockers}
                if want != got:
                    problems.append(f"{where}: blockers {sorted(got)} != reach's {sorted(want)}")
            if row.status == "partial":
                want_ports = [(p.low, p.high) for p in single.failing_client_ports]
                if list(row.failing_client_ports) != want_ports:
                    problems.append(f"{where}: failing client ports {row.failing_client_ports} != {want_ports}")
    return problems


def covers_the_space(result: PortsAnswer) -> list[str]:
    """Rows of each (IP version, protocol) tile its space exactly once, in order."""
    problems = []
    spaces: dict[tuple[int, str], list] = {}
    for row in result.flows:
        spaces.setdefault((row.family, row.protocol), []).append(row)
    for (family, protocol), rows in spaces.items():
        if rows[0].space is not None:
            expected = 0
            for row in rows:
                if row.low != expected:
                    problems.append(f"IPv{family} {protocol}: row {row.ports} starts at {row.low}, expected {expected}")
                expected = row.high + 1
            if expected != 65536:
                problems.append(f"IPv{family} {protocol}: rows end at {expected - 1}, not 65535")
        elif len(rows) != 1:
            problems.append(f"IPv{family} {protocol}: {len(rows)} rows for a protocol without ports")
    return problems
