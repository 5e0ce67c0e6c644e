"""``exposure``: everything the internet (or any source) can reach, and everyone who can reach B.

Built on :func:`~vpckit.flows.ports`: sources and destinations are address atoms (for outside
hosts) and interface classes (for the network's own interfaces), one ``ports`` question per
(source, destination) pair of representatives; rows that get through are kept, and atoms with the
same answer merge back into the fewest CIDRs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from netaddr import AddrFormatError, IPAddress, IPNetwork, IPSet

from ..errors import QueryError
from ..model.types import looks_like_address
from ..network.addressing import is_internet_address
from ..network.build import Endpoint, Network
from .atoms import (SPECIAL_RANGES, AddressAtoms, InterfaceClass, address_atoms, cidrs_of, interface_classes, signature,
                    network_cache)
from .ports import as_network, ports
from .rows import EndpointInfo, FlowRow
from .sharing import SharedAnswers

__all__ = ["exposure", "ExposureAnswer"]

#: Interfaces that start no connection (NAT-03, VPCE-04, TGW-01). A load balancer's interfaces do: to its targets.
_NEVER_SOURCES = ("nat_gateway", "vpc_endpoint", "transit_gateway")
#: Interfaces that are no destination of their own (NAT-03, TGW-01) or answer as their load balancer.
_NEVER_DESTINATIONS = ("nat_gateway", "transit_gateway", "load_balancer")
Progress = Callable[[int, int], None]


@dataclass
class ExposureAnswer:
    """Every flow that gets through, as rows whose ``source``/``destination`` carry the addresses concerned.

    ``atoms`` and ``classes`` count the address atoms and interface classes the question was asked
    over; ``walks`` the reach walks it cost.
    """

    question: str
    flows: list[FlowRow] = field(default_factory=list)
    atoms: int = 0
    classes: int = 0
    walks: int = 0
    pairs: int = 0
    #: pairs answered by the walks of a source class that the destination cannot tell apart from theirs
    shared: int = 0
    notes: list[str] = field(default_factory=list)

    def destinations(self) -> list[str]:
        """The destinations reached, by name, in order of first appearance."""
        return list(dict.fromkeys(row.destination.name for row in self.flows))

    def sources(self) -> list[str]:
        """The sources that reach, by name, in order of first appearance."""
        return list(dict.fromkeys(row.source.name for row in self.flows))

    def to_dict(self) -> dict[str, Any]:
        """``{"question", "flows": [rows], "atoms", "classes", "walks", ...}``."""
        return {"question": self.question, "flows": [row.to_dict() for row in self.flows], "atoms": self.atoms,
                "classes": self.classes, "pairs": self.pairs, "shared": self.shared, "walks": self.walks, "notes": list(self.notes)}


@dataclass(frozen=True)
class _End:
    """One side of the pairs asked: a representative to ask with, and what it stands for."""

    text: str  # what ports() is asked with
    group: str  # rows of ends in one group merge (atoms of "internet" merge into CIDRs)
    info: EndpointInfo
    family: int | None = None
    interval: tuple[int, int] | None = None  # an atom's addresses
    nodes: tuple[str, ...] = ()  # the interfaces a class end stands for


def exposure(network: Network | Any, *, sources: str | None = None, to: str | None = None,
             progress: Progress | None = None) -> ExposureAnswer:
    """What ``sources`` can reach (default: the internet), or who can reach ``to``.

    - no arguments: every destination reachable from the internet (IPv4 and IPv6), with its ports,
      the fewest source CIDRs that reach it, the addresses it is reached at and ``via``;
    - ``to=B``: every source that reaches B (interface classes, outside addresses as CIDRs);
    - ``sources=X`` (``internet``, ``internet6``, ``on-prem``, a CIDR or a name): everything X reaches.

    ``progress(done, total)`` is called as pairs are answered (the library never prints).

    >>> import vpckit
    >>> answer = exposure("designs/three-tier.yaml")
    >>> [(r.destination.name, r.protocol, r.ports, r.source.name) for r in answer.flows]
    [('prod/web', 'tcp', '443', 'internet')]
    """
    network = as_network(network)
    if to is not None:
        destination = _named(network, to, "--to")
        dst_ends = [destination]
        src_ends = _source_ends(network, sources) if sources is not None else _everyone(network, exclude=to)
        question = f"who reaches {to}" + (f" from {sources}" if sources is not None else "")
    else:
        src_ends = _source_ends(network, sources or "internet")
        dst_ends = _destinations(network, sources or "internet", src_ends)
        question = f"what {sources or 'internet'} reaches"
    result = ExposureAnswer(question)
    result.atoms = sum(len(a) for a in address_atoms(network, with_interfaces=False).values())
    result.classes = len(interface_classes(network))
    merged: dict[tuple, list] = {}
    cells: dict[tuple, list] = {}
    shares: dict[str, SharedAnswers] = {}
    total = len(src_ends) * len(dst_ends)
    for src in src_ends:
        for dst in dst_ends:
            if src.group == dst.group or (src.family and dst.family and src.family != dst.family):
                continue
            result.pairs += 1
            try:
                answer = _ask(network, src, dst, cells, shares, result)
            except QueryError:
                continue  # no common address family, or nothing sends from there
            for row in answer.flows:
                if row.status == "closed":
                    continue
                key = (src.group, dst.group, row.family, row.protocol, row.low, row.high, row.status,
                       row.failing_client_ports, row.via, row.numbers)
                entry = merged.setdefault(key, [src, dst, row, [], []])
                entry[3].append(src.interval)
                entry[4].append(dst.interval)
            if progress is not None:
                progress(result.pairs, total)
    for src, dst, row, src_atoms, dst_atoms in merged.values():
        result.flows.append(_row(network, src, dst, row, src_atoms, dst_atoms))
    if any("internet" in (row.source.name, row.destination.name) for row in result.flows):
        result.notes.append("the internet is every address outside the network's VPCs and on-premises ranges that "
                            "an internet gateway carries (not RFC 1918 or RFC 6598, IGW-05), in no special range (loopback, "
                            "link-local, multicast, 0.0.0.0/8, unique-local IPv6) and not one of the network's own public "
                            "addresses")
    return result


def _ask(network: Network, src: _End, dst: _End, cells: dict[tuple, list], shares: dict[str, SharedAnswers],
         result: ExposureAnswer):
    """``ports`` for a pair of ends; an outside atom that an answer's walks cannot tell apart reuses it.

    An outside atom takes the answer of one asked before when the CIDRs that the components its walks
    consulted decide by hold both alike (:func:`~vpckit.flows.atoms.signature`): one walk answers for
    every atom of that signature, wherever they lie. The property tests check that atoms answer like
    their representatives.
    """
    outside, other = (src, dst) if src.interval is not None else (dst, src) if dst.interval is not None else (None, None)
    if outside is None:
        shared = shares.get(dst.group) if src.nodes else None
        if shared is None and src.nodes and dst.group.startswith("end:"):
            shared = shares[dst.group] = SharedAnswers(network, _destination_interfaces(network, dst))
        answer = shared.lookup(src.text) if shared is not None else None
        if answer is None:
            answer = ports(network, src.text, dst.text)
            result.walks += answer.walks
            if shared is not None:
                shared.store(src.text, answer)
        else:
            result.shared += 1
        return answer
    known = cells.setdefault((other.group, outside.group, outside.family, outside is src), [])
    low, high = outside.interval
    for components, held, answer in known:
        if held is not None and signature(network, components, outside.family, low, high) == held:
            return answer
    answer = ports(network, src.text, dst.text)
    result.walks += answer.walks
    known.append((answer.components, signature(network, answer.components, outside.family, low, high), answer))
    return answer


# --------------------------------------------------------------------------- the ends


def _named(network: Network, text: str, flag: str) -> _End:
    endpoint = network.resolve_endpoint(text)  # QueryError with close names when it names nothing
    if endpoint.kind in ("internet", "onprem"):
        raise QueryError(f"{flag} {text}: give a resource of the network (a name, id or address it owns)")
    return _End(text, f"end:{endpoint.node}", _info(network, endpoint, text))


def _info(network: Network, endpoint: Endpoint, text: str) -> EndpointInfo:
    nodes = endpoint.interfaces or (endpoint.node,)
    addresses = []
    for node in nodes:
        iface = network.interfaces.get(node)
        if iface is not None:
            addresses += _cidrs(iface)
    return EndpointInfo(text, endpoint.kind, endpoint.node, tuple(dict.fromkeys(addresses)))


def _cidrs(iface, public: bool = True) -> list[str]:
    """An interface's addresses as /32 and /128 CIDRs (its public ones too unless ``public`` is False)."""
    return [f"{a}/{32 if a.version == 4 else 128}" for a in (
        *iface.private_ips, *(iface.public_ips if public else ()), *iface.ipv6)]


def _atom_ends(network: Network, family: int, kind: str, within: IPNetwork | None = None) -> list[_End]:
    """Representatives of the atoms of one family whose addresses are outside hosts of ``kind``."""
    atoms: AddressAtoms = address_atoms(network, with_interfaces=False)[family]
    ends = []
    intervals = atoms.within(int(within.first), int(within.last)) if within is not None else atoms.intervals()
    for low, high in intervals:
        found = _outside_representative(network, family, low, high, kind)
        if found is None:
            continue
        text, endpoint = found
        group = "internet" if kind == "internet" else f"onprem:{endpoint.node}" if kind == "onprem" else "cidr"
        name = {"internet": "internet", "onprem": endpoint.node.split(":", 1)[-1]}.get(kind, str(within))
        ends.append(_End(text, group, EndpointInfo(name, endpoint.kind, endpoint.node), family, (low, high)))
    return ends


def _outside_representative(network: Network, family: int, low: int, high: int,
                            kind: str) -> tuple[str, Endpoint] | None:
    """An address of the atom that the engine takes for an outside host of ``kind`` (never one someone owns)."""
    for value in dict.fromkeys((low, low + 1, (low + high) // 2, high)):
        if not low <= value <= high:
            continue
        address = IPAddress(value, family)
        endpoint = network.resolve_endpoint(str(address))
        if endpoint.kind not in ("internet", "onprem"):
            continue  # an address the network owns (or inside a VPC): not an outside host; try another
        if kind == "internet" and (endpoint.kind != "internet" or not _on_the_internet(address)):
            return None
        if kind == "onprem" and endpoint.kind != "onprem":
            return None
        return str(address), endpoint
    return None


def _on_the_internet(address: IPAddress) -> bool:
    """An address a host on the internet can have: an internet gateway carries it (IGW-05), not a special range."""
    return is_internet_address(address) and not any(address in net for net in SPECIAL_RANGES)


def _class_ends(network: Network, classes: list[InterfaceClass], role: str, exclude: set[str]) -> list[_End]:
    ends = []
    never = _NEVER_SOURCES if role == "source" else _NEVER_DESTINATIONS
    for klass in classes:
        members = [m for m in klass.members if m not in exclude]
        if not members:
            continue
        first = network.interfaces[members[0]]
        if first.owner_kind in never:
            continue
        names = tuple(network.interfaces[m].name for m in members)
        addresses = tuple(c for m in members for c in _cidrs(network.interfaces[m]))
        info = EndpointInfo(names[0] if len(names) == 1 else f"{names[0]} (+{len(names) - 1})", "interface",
                            members[0], addresses, names if len(names) > 1 else ())
        ends.append(_End(members[0], f"class:{members[0]}", info, nodes=tuple(members)))
    return ends


def _load_balancer_ends(network: Network, family: int | None) -> list[_End]:
    ends = []
    for lb in sorted(network.load_balancers.values(), key=lambda lb: lb.node):
        ifaces = [network.interfaces[n] for n in lb.interfaces if n in network.interfaces]
        if family == 4 and not any(i.public_ips for i in ifaces):
            continue
        if family == 6 and not any(i.ipv6 for i in ifaces):
            continue
        text = f"{lb.vpc}/{lb.name}"
        addresses = tuple(c for i in ifaces for c in _cidrs(i))
        ends.append(_End(text, f"lb:{lb.node}", EndpointInfo(text, "load_balancer", lb.node, addresses)))
    return ends


def _source_ends(network: Network, sources: str) -> list[_End]:
    text = sources.strip()
    lowered = text.lower()
    if lowered in ("internet", "0.0.0.0/0"):
        return _atom_ends(network, 4, "internet") + _atom_ends(network, 6, "internet")
    if lowered in ("internet6", "::/0"):
        return _atom_ends(network, 6, "internet")
    if lowered in ("on-prem", "onprem", "on-premises"):
        ends = [end for family in (4, 6) for end in _atom_ends(network, family, "onprem")]
        if not ends:
            raise QueryError("--from on-prem: the input has no on-premises networks (VPN or Direct Connect routes, "
                             "customer gateways' ranges)")
        return ends
    if "/" in text and looks_like_address(text.split("/", 1)[0]):
        return _cidr_ends(network, text)
    return [_named(network, text, "--from")]


def _cidr_ends(network: Network, text: str) -> list[_End]:
    try:
        cidr = IPNetwork(text)
    except (AddrFormatError, ValueError):
        raise QueryError(f"--from {text!r}: not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32)") from None
    if cidr.ip != cidr.network:
        raise QueryError(f"--from {text}: host bits set; did you mean {cidr.cidr}?")
    ends = _atom_ends(network, cidr.version, "any", cidr)
    inside = {node for node, iface in network.interfaces.items()
              if any(a in cidr for a in (*iface.private_ips, *iface.ipv6))}
    ends += _class_ends(network, interface_classes(network), "source", set(network.interfaces) - inside)
    if not ends:
        raise QueryError(f"--from {text}: nothing in or behind {text} can send (no outside host, no interface)")
    return ends


def _outside_ends(network: Network) -> list[_End]:
    """Every internet and on-premises atom of both families, as ends."""
    return [end for family in (4, 6) for kind in ("internet", "onprem") for end in _atom_ends(network, family, kind)]


def _everyone(network: Network, exclude: str) -> list[_End]:
    own = set(network.resolve_endpoint(exclude).interfaces)
    ends = _outside_ends(network)
    return ends + _class_ends(network, interface_classes(network), "source", own)


def _destinations(network: Network, sources: str, src_ends: list[_End]) -> list[_End]:
    classes = interface_classes(network)
    lowered = sources.strip().lower()
    if lowered in ("internet", "internet6", "0.0.0.0/0", "::/0"):
        # From the internet a destination is addressed at a public IPv4 address (IGW-03) or its IPv6 address.
        family = 6 if lowered in ("internet6", "::/0") else None
        chosen = [k for k in classes if (family != 6 and network.interfaces[k.representative].public_ips)
                  or network.interfaces[k.representative].ipv6]
        return _class_ends(network, chosen, "destination", set()) + _load_balancer_ends(network, None)
    own = {member for end in src_ends if end.interval is None for member in _members(network, end)}
    ends = _class_ends(network, classes, "destination", own) + _load_balancer_ends(network, None)
    if own:  # interfaces of the network reach out too: to the internet and on premises
        ends += _outside_ends(network)
    return ends


# --------------------------------------------------------------------------- the rows


def _row(network: Network, src: _End, dst: _End, row: FlowRow, src_atoms: list, dst_atoms: list) -> FlowRow:
    source = src.info
    if src.interval is not None:
        source = EndpointInfo(source.name, source.kind, source.node, _outside_cidrs(network, row.family, src_atoms))
    else:
        source = source.of_family(row.family)
    destination = dst.info
    if dst.interval is not None:
        destination = EndpointInfo(destination.name, destination.kind, destination.node,
                                   _outside_cidrs(network, row.family, dst_atoms))
    elif src.group == "internet" and row.family == 4:
        # reached at its public addresses (IGW-03)
        public = _public_addresses(network, dst)
        destination = EndpointInfo(destination.name, destination.kind, destination.node, public, destination.members)
    else:  # from inside, on premises or a peer: at its private (or IPv6) addresses
        private = tuple(c for n in sorted(_members(network, dst)) if n in network.interfaces
                        for c in _cidrs(network.interfaces[n], public=False))
        destination = EndpointInfo(destination.name, destination.kind, destination.node, private or
                                   destination.addresses, destination.members).of_family(row.family)
    return FlowRow(row.family, row.protocol, row.low, row.high, row.status, source, destination, row.blockers,
                   row.failing_client_ports, row.undetermined, row.via, row.numbers)


def _outside_cidrs(network: Network, family: int, atoms: list) -> tuple[str, ...]:
    """The fewest CIDRs of some outside atoms, without the network's own public addresses (not outside hosts)."""
    cache = network_cache(network)
    key = ("outside-cidrs", family, tuple(sorted(set(atoms))))
    if key not in cache:
        if ("owned-addresses", family) not in cache:
            cache[("owned-addresses", family)] = sorted(
                {int(a) for iface in network.interfaces.values() for a in iface.public_ips if a.version == family}
                | {value for version, value in network.account_addresses if version == family})
        owned = cache[("owned-addresses", family)]
        holes = [v for v in owned if any(lo <= v <= hi for lo, hi in key[2])]
        cidrs = cidrs_of(family, key[2])
        cache[key] = tuple(cidrs) if not holes else tuple(
            str(c) for c in (IPSet(cidrs) - IPSet(IPAddress(v, family) for v in holes)).iter_cidrs())
    return cache[key]


def _public_addresses(network: Network, end: _End) -> tuple[str, ...]:
    nodes = sorted({end.info.node, *_members(network, end)} & set(network.interfaces))
    return tuple(f"{a}/32" for n in nodes for a in network.interfaces[n].public_ips)


def _destination_interfaces(network: Network, end: _End) -> tuple[str, ...]:
    """The interfaces a named destination answers at (a load balancer's own), none for other kinds."""
    endpoint = network.resolve_endpoint(end.text)
    return tuple(endpoint.interfaces) if endpoint.kind in ("interface", "load_balancer") else ()


def _members(network: Network, end: _End) -> set[str]:
    if end.group.startswith("lb:"):
        lb = network.load_balancers[end.info.node]
        return set(lb.interfaces)
    if end.nodes:
        return set(end.nodes)
    if end.group.startswith("end:"):
        return set(network.resolve_endpoint(end.text).interfaces) or {end.info.node}
    return {end.info.node}
