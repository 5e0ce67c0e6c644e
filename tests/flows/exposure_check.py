"""The exactness check of `exposure`: atoms, classes and rows agree with `reach` on sampled flows."""

from __future__ import annotations

import random

from netaddr import IPAddress, IPNetwork

from vpckit.errors import QueryError
from vpckit.flows import ports
from vpckit.flows.atoms import address_atoms, interface_classes
from vpckit.flows.exposure import ExposureAnswer
from vpckit.model.types import PortRange, looks_like_address
from vpckit.network.build import Network
from vpckit.reach.engine import answer
from vpckit.reach.query import Query

_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}


def _signature(result) -> list[tuple]:
    return [(r.family, r.protocol, r.low, r.high, r.status, r.failing_client_ports) for r in result.flows]


def _random_in(rng: random.Random, cidrs: tuple[str, ...]) -> str:
    net = IPNetwork(rng.choice(cidrs))
    return str(IPAddress(rng.randint(int(net.first), int(net.last)), net.version))


def _query(row, source: str, destination: str, rng: random.Random) -> Query:
    number = _NUMBERS.get(row.protocol)
    if row.space == "ports":
        port = rng.randint(row.low, row.high)
        return Query(source, destination, number, PortRange(low=port, high=port))
    if row.space == "icmp":
        point = rng.randint(row.low, row.high)
        return Query(source, destination, number, icmp_type=point // 256, icmp_code=point % 256)
    if number is None and row.protocol.isdigit():
        number = int(row.protocol)
    if number is None:  # the "other" row: a protocol it stands for (not one of those it excepts)
        number = next(n for n in (47, 50, 132, 4, 41, *range(256)) if n not in row.excepted_protocols)
    return Query(source, destination, number)


def _text(end, rng: random.Random) -> str:
    if end.kind in ("internet", "onprem"):
        return _random_in(rng, end.addresses)
    return end.node if end.kind == "interface" else end.name


def atom_disagreements(network: Network, destination: str, rng: random.Random, samples: int = 3) -> list[str]:
    """Random outside addresses of an atom ask `ports` like the atom's representative does."""
    problems = []
    for family, atoms in address_atoms(network, with_interfaces=False).items():
        for low, high in list(atoms.intervals())[:: max(1, len(atoms) // 12)]:
            addresses = sorted({low, high, *(rng.randint(low, high) for _ in range(samples))})
            answers = {}
            for value in addresses:
                text = str(IPAddress(value, family))
                if network.resolve_endpoint(text).kind not in ("internet", "onprem"):
                    continue
                try:
                    answers[text] = _signature(ports(network, text, destination))
                except QueryError:
                    continue
            if len({tuple(a) for a in answers.values()}) > 1:
                problems.append(f"atom {IPAddress(low, family)}-{IPAddress(high, family)} -> {destination}: "
                                f"addresses answer differently: {sorted(answers)}")
    return problems


def class_disagreements(network: Network, other: str, rng: random.Random) -> list[str]:
    """Every member of a class answers like its representative, as a source and as a destination."""
    problems = []
    for klass in interface_classes(network):
        if len(klass.members) < 2:
            continue
        member = rng.choice(klass.members[1:])
        for make in (lambda n: (n, other), lambda n: (other, n)):
            try:
                first = _signature(ports(network, *make(klass.representative)))
                second = _signature(ports(network, *make(member)))
            except QueryError:
                continue
            if first != second:
                problems.append(f"class of {klass.representative}: {member} answers differently with {other}")
    return problems


def row_disagreements(network: Network, result: ExposureAnswer, rng: random.Random, per_row: int = 2) -> list[str]:
    """A flow drawn inside each row (source address, destination, port) is not unreachable in `reach`."""
    problems = []
    for row in result.flows:
        for _ in range(per_row):
            query = _query(row, _text(row.source, rng), _text(row.destination, rng), rng)
            verdict = answer(network, query, row.family).verdict
            wanted = {"open": "reachable", "partial": "partial", "undetermined": "undetermined"}[row.status]
            if verdict != wanted:
                problems.append(f"{query.to_dict()}: exposure says {row.status}, reach says {verdict}")
    return problems


def outside_disagreements(network: Network, result: ExposureAnswer, sources: list[str], destinations: list[str],
                          rng: random.Random, count: int = 30) -> list[str]:
    """Flows drawn outside every row are unreachable in `reach`."""
    problems = []
    if not sources or not destinations:
        return problems
    for _ in range(count):
        source, destination = rng.choice(sources), rng.choice(destinations)
        if set(network.resolve_endpoint(source).interfaces) & set(network.resolve_endpoint(destination).interfaces):
            continue  # an interface to itself is no question of exposure
        port = rng.choice([22, 80, 443, 3389, 5432, 8080, rng.randint(0, 65535)])
        protocol = rng.choice([6, 17])
        family = 6 if any(looks_like_address(t) and ":" in t for t in (source, destination)) else 4
        try:
            verdict = answer(network, Query(source, destination, protocol, PortRange(low=port, high=port)),
                             family).verdict
        except QueryError:
            continue
        covered = any(row.family == family and _covers(network, row, source, destination, protocol, port)
                      for row in result.flows)
        if not covered and verdict != "unreachable":
            problems.append(f"{source} -> {destination} {protocol}/{port}: not in the answer, reach says {verdict}")
        if covered and verdict == "unreachable":
            problems.append(f"{source} -> {destination} {protocol}/{port}: in the answer, reach says unreachable")
    return problems


def _covers(network: Network, row, source: str, destination: str, protocol: int, port: int) -> bool:
    if _NUMBERS.get(row.protocol) != protocol or not row.low <= port <= row.high:
        return False
    return _holds(network, row.source, source) and _holds(network, row.destination, destination)


def _holds(network: Network, end, text: str) -> bool:
    endpoint = network.resolve_endpoint(text)
    if end.kind in ("internet", "onprem"):
        return endpoint.kind in ("internet", "onprem") and any(
            endpoint.address in IPNetwork(c) for c in end.addresses)
    nodes = set(endpoint.interfaces)
    if end.kind == "load_balancer":
        return end.node == endpoint.node or nodes & set(network.load_balancers[end.node].interfaces) != set()
    names = set(end.members) or {end.name}
    return end.node in nodes or any(network.interfaces[n].name in names for n in nodes)


def shared_disagreements(network: Network, result: ExposureAnswer, destination: str) -> list[str]:
    """Every source class in ``exposure --to`` has exactly the rows its own `ports` walk gives (the rows of a
    class answered by another class's walks, SharedAnswers, included)."""
    problems = []
    got: dict[str, list[tuple]] = {}
    for row in result.flows:
        if row.source.kind == "interface":
            got.setdefault(row.source.node, []).append(_row_key(row))
    for klass in interface_classes(network):
        source = klass.representative
        if source in network.resolve_endpoint(destination).interfaces or \
                network.interfaces[source].owner_kind in ("nat_gateway", "vpc_endpoint", "transit_gateway"):
            continue
        try:
            own = [_row_key(r) for r in ports(network, source, destination).flows if r.status != "closed"]
        except QueryError:
            continue
        if sorted(own) != sorted(got.get(source, [])):
            problems.append(f"{source} -> {destination}: exposure rows {sorted(got.get(source, []))} but ports "
                            f"says {sorted(own)}")
    return problems


def _row_key(row) -> tuple:
    return (row.family, row.protocol, row.low, row.high, row.status, row.failing_client_ports, row.via,
            tuple(sorted(b.code for b in row.undetermined)))
