"""``ports``: every protocol and port on which A can reach B, and what closes the rest.

The answer is the reach walk run over sets (DESIGN.md): one walk per protocol over its whole port
range (the walk carries port sets and each blocker states the ports it denies), one walk per ICMP
type/code *atom* (the pieces that the ICMP rules of the network cut the type/code space into), one
walk per other protocol a rule names and one for every other protocol. Nothing here decides
anything about AWS: it chooses which sets to walk and reads the walks' blockers back per port.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from os import PathLike
from typing import Iterable, Sequence

from ..errors import QueryError
from ..model import Design
from ..model.types import PortRange, parse_port_range, protocol_name
from ..network.addressing import INTERNET6_HOST, INTERNET_HOST
from ..network.build import Endpoint, Network
from ..network.inputs import as_network
from ..reach.answer import Answer, Blocker
from ..reach.engine import LISTENER_PROTOCOLS, address_families, candidate_answers
from ..reach.query import Query
from .rows import EndpointInfo, FlowRow, PortsAnswer
from .atoms import component_filters, network_cache
from .segments import Segment, choose, merge, pieces

__all__ = ["ports", "PROTOCOL_CHOICES"]

#: What ``protocols=`` accepts besides IP protocol numbers.
PROTOCOL_CHOICES = ("tcp", "udp", "icmp", "icmpv6", "other")
_NAMED = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}
#: Components whose presence on the forward path says what makes a flow possible.
_VIA_KINDS = ("igw", "eigw", "pcx", "tgw", "vgw", "lb", "vpce", "nat")
#: Protocols tried, in order, as the stand-in for "every protocol no rule names".
_OTHER_CANDIDATES = (47, 50, 132, 4, 41, *range(256))


@dataclass(frozen=True)
class _Plan:
    """One protocol row group to answer: which protocol, over which space, walked at which pieces."""

    family: int
    label: str
    protocol: int
    space: tuple[int, int] | None  # ports (tcp/udp) or ICMP type*256+code; None for protocols without either
    numbers: str | None = None


def ports(network: Network | Design | str | PathLike, source: str, destination: str, *, protocols: Iterable[str | int] | None = None,
          client_ports: str | PortRange | None = None) -> PortsAnswer:
    """Every protocol and port on which ``source`` can reach ``destination``, as rows covering the whole space.

    TCP and UDP over 0-65535, ICMP and ICMPv6 over every type/code, each other IP protocol a rule
    names, and one row for every other protocol; IPv4 and IPv6 wherever both ends have an address
    of that family. ``network`` may also be a :class:`~vpckit.model.Design` or the path of any input
    vpckit reads. Raises :class:`~vpckit.errors.QueryError` for an unknown end (with close names)
    or an unknown protocol.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}},
    ...     "security_groups": {"db": {"ingress": [{"protocol": "tcp", "ports": 5432, "source": "10.0.0.0/16"}]}},
    ...     "instances": {"app": {"subnet": "a"}, "db": {"subnet": "a", "security_groups": ["db"]}}}}}))
    >>> [(r.protocol, r.ports, r.status) for r in ports(net, "app", "db", protocols=["tcp"]).flows]
    [('tcp', '0-5431', 'closed'), ('tcp', '5432', 'open'), ('tcp', '5433-65535', 'closed')]
    """
    network = as_network(network)
    src, dst = network.resolve_endpoint(source), network.resolve_endpoint(destination)
    wanted = _protocols(protocols)
    client = _client_ports(client_ports)
    probe = Query(source, destination, 6, PortRange(low=0, high=65535), client_ports=client)
    families = address_families(network, probe)
    if not families:
        raise QueryError(f"{source} and {destination} have no address family in common (one is IPv4-only, the "
                         "other IPv6-only)")
    result = PortsAnswer(_info(network, src, source), _info(network, dst, destination),
                         client_ports=client.to_text() if client else None)
    if src.kind == "internet" or dst.kind == "internet":
        result.notes.append(f"'internet' stands for one outside host ({INTERNET_HOST}, {INTERNET6_HOST}); ask about "
                            "a particular host by its address")
    for plan in _plans(network, families, wanted):
        segments, walks = _answer_plan(network, plan, source, destination, client, dst, result.components)
        result.walks += walks
        for segment in merge(segments):
            for part in _icmp_parts(segment) if plan.protocol in (1, 58) and plan.space else (segment,):
                result.flows.append(_row(plan, part, result))
    return result


def _client_ports(value: str | PortRange | None) -> PortRange | None:
    if value is None:
        return None
    try:
        return parse_port_range(value)
    except (ValueError, TypeError) as error:
        raise QueryError(f"client ports {value!r}: {error} (e.g. 32768-60999)") from None


def _protocols(protocols: Iterable[str | int] | None) -> set[str | int] | None:
    if protocols is None:
        return None
    if isinstance(protocols, (str, int)):  # one protocol, or a comma-separated text ("tcp,udp")
        protocols = str(protocols).split(",")
    out: set[str | int] = set()
    for item in protocols:
        text = str(item).strip().lower()
        if text in PROTOCOL_CHOICES:
            out.add(text)
        elif text.isdigit() and 0 <= int(text) <= 255:
            number = int(text)
            out.add(next((name for name, n in _NAMED.items() if n == number), number))
        else:
            raise QueryError(f"unknown protocol {item!r}; expected one of {', '.join(PROTOCOL_CHOICES)} or an IP "
                             "protocol number 0-255")
    return out


def _memo(network: Network, key: object, compute):
    cache = network_cache(network)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _named_protocols(network: Network) -> set[int]:
    """Every IP protocol number that some NACL or security-group rule names."""
    return _memo(network, "named", lambda: _scan_protocols(network))


def _scan_protocols(network: Network) -> set[int]:
    named: set[int] = set()
    for nacl in network.nacls.values():
        named.update(entry.protocol for entry in (*nacl.ingress, *nacl.egress))
    for group in network.security_groups.values():
        named.update(rule.protocol for rule in (*group.ingress, *group.egress))
    named.discard(-1)
    return named


def _plans(network: Network, families: Sequence[int], wanted: set[str | int] | None) -> list[_Plan]:
    named = _named_protocols(network)
    plans: list[_Plan] = []
    for family in families:
        icmp = 1 if family == 4 else 58
        icmp_label = protocol_name(icmp)
        others = sorted(named - {6, 17, icmp})
        rest = next(n for n in _OTHER_CANDIDATES if n not in named and n not in (6, 17, 1, 58))
        candidates = [_Plan(family, "tcp", 6, (0, 65535)), _Plan(family, "udp", 17, (0, 65535)),
                      _Plan(family, icmp_label, icmp, (0, 65535))]
        candidates += [_Plan(family, protocol_name(n), n, None) for n in others]
        excluded = sorted({6, 17, icmp, *others})
        candidates.append(_Plan(family, "other", rest, None, numbers=f"every protocol except {_numbers(excluded)}"))
        unnamed = {w for w in wanted or () if isinstance(w, int) and w not in excluded}
        for plan in candidates:
            if wanted is None or plan.label in wanted or (plan.numbers is None and plan.protocol in wanted) or (
                    plan.label == "other" and ("other" in wanted or unnamed)):
                plans.append(plan)
    return plans


def _numbers(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


def _consulted(answers: list[Answer], components: set[str]) -> list[Answer]:
    """Note every component and setting the walks went through or were blocked by."""
    for answer in answers:
        for hop in (*answer.forward, *answer.return_path):
            components.add(hop.component)
        for blocker in (*answer.blockers, *answer.undetermined):
            components.add(blocker.component)
            components.update(blocker.setting.split(","))
    return answers


def _answer_plan(network: Network, plan: _Plan, source: str, destination: str, client: PortRange | None,
                 dst: Endpoint, components: set[str]) -> tuple[list[Segment], int]:
    """Walk the pieces of one protocol's space; the segments cover the whole space."""
    if plan.space is None:
        query = Query(source, destination, plan.protocol, client_ports=client)
        candidates = _consulted(list(candidate_answers(network, query, plan.family)), components)
        return choose([[Segment(0, 0, *_whole(a))] for a in candidates]), len(candidates)
    low, high = plan.space
    ported = plan.protocol in (6, 17)
    cuts = _acceptance_cuts(network, dst, plan.protocol) if ported else _icmp_cuts(network, plan.protocol)
    segments: list[Segment] = []
    walks = 0
    answered: list[tuple[int, int, Segment]] = []  # ICMP: the type/code cells an answer already holds for
    for lo, hi in pieces(low, high, cuts):
        known = next((found for c_lo, c_hi, found in answered if c_lo <= lo and hi <= c_hi), None)
        if known is not None:
            segments.append(replace(known, low=lo, high=hi))
            continue
        if ported:
            query = Query(source, destination, plan.protocol, PortRange(low=lo, high=hi), client_ports=client)
        else:
            icmp_type, icmp_code = divmod(lo, 256)
            query = Query(source, destination, plan.protocol, icmp_type=icmp_type, icmp_code=icmp_code,
                          client_ports=client)
        consulted: set[str] = set()
        candidates = _consulted(list(candidate_answers(network, query, plan.family)), consulted)
        components |= consulted
        walks += len(candidates)
        if ported:
            segments += choose([_port_segments(a, lo, hi) for a in candidates])
        else:
            (found,) = choose([[Segment(lo, hi, *_whole(a))] for a in candidates])
            segments.append(found)
            answered.append((*_icmp_cell(network, consulted, plan.protocol, lo), found))
    return segments, walks


def _icmp_cell(network: Network, consulted: set[str], protocol: int, value: int) -> tuple[int, int]:
    """The ICMP type/code keys around ``value`` that every filter the walks consulted treats alike.

    The walk decides by ICMP type and code only in NACL entries and group rules, and by whether the
    type is the echo request (the one that gets a reply): within the cell, the same walk.
    """
    rules = [rule for component in consulted for rule in component_filters(network, component)]
    cuts = {0} | _icmp_rule_cuts(rules, protocol)
    return max(c for c in cuts if c <= value), min((c for c in cuts if c > value), default=65536) - 1


def _acceptance_cuts(network: Network, dst: Endpoint, protocol: int) -> set[int]:
    """Ports where what answers at the destination changes: a load balancer's listeners, an endpoint's ports.

    Each listener leads to its own target group (a walk of its own), and a port nothing listens on is
    refused before any reply; walking them as separate pieces keeps every piece's answer uniform.
    """
    cuts: set[int] = set()
    for node in dst.interfaces or (dst.node,):
        iface = network.interfaces.get(node)
        if iface is None:
            continue
        if iface.owner_kind == "load_balancer":
            lb = network.load_balancers.get(f"lb:{iface.vpc}/{iface.owner}")
            for kind, port, _ in lb.listeners if lb else ():
                if protocol in LISTENER_PROTOCOLS.get(kind, ()):
                    cuts.update((port, port + 1))
        elif iface.owner_kind == "vpc_endpoint":
            for served in iface.ports:
                cuts.update((served.low, served.high + 1))
    return cuts


def _icmp_cuts(network: Network, protocol: int) -> set[int]:
    """Where ICMP rules (and the echo request, the one type that gets a reply) cut the type/code space."""
    return _memo(network, ("icmp", protocol), lambda: _scan_icmp(network, protocol))


def _scan_icmp(network: Network, protocol: int) -> set[int]:
    rules = [e for nacl in network.nacls.values() for e in (*nacl.ingress, *nacl.egress)]
    rules += [r for group in network.security_groups.values() for r in (*group.ingress, *group.egress)]
    return _icmp_rule_cuts(rules, protocol)


def _icmp_rule_cuts(rules: Iterable, protocol: int) -> set[int]:
    """Where the ICMP type/code space is cut by these rules, and by the echo request (the one type that gets a
    reply walk); keys are ``type * 256 + code``."""
    echo = 8 if protocol == 1 else 128
    cuts = {echo * 256, echo * 256 + 256}
    for rule in rules:
        if rule.protocol != protocol:
            continue
        icmp_type, icmp_code = rule.icmp
        if icmp_type in (None, -1) or not 0 <= icmp_type <= 255:
            continue
        if icmp_code in (None, -1) or not 0 <= icmp_code <= 255:
            cuts.update((icmp_type * 256, icmp_type * 256 + 256))
        else:
            cuts.update((icmp_type * 256 + icmp_code, icmp_type * 256 + icmp_code + 1))
    return cuts


def _blocker_key(blocker: Blocker) -> tuple[str, str, str, str]:
    return (blocker.code, blocker.component, blocker.setting, blocker.leg)


def _via(answer: Answer) -> tuple[str, ...]:
    """The gateways, peering, transit gateway and load balancer on the forward path (and the target behind it)."""
    seen: list[str] = []
    for hop in answer.forward:
        if hop.kind in _VIA_KINDS and hop.component not in seen:
            seen.append(hop.component)
    if any(hop.kind == "lb" for hop in answer.forward):
        target = next((hop.component for hop in reversed(answer.forward) if hop.decision == "deliver"), None)
        if target is not None and target not in seen:
            seen.append(target)
    return tuple(seen)


def _whole(answer: Answer) -> tuple:
    """The segment fields of an answer that holds for all of its piece."""
    status = {"reachable": "open", "unreachable": "closed"}.get(answer.verdict, answer.verdict)
    return _fields(status, answer, answer.blockers)


def _fields(status: str, answer: Answer, blockers: Sequence[Blocker]) -> tuple:
    failing = tuple((p.low, p.high) for p in answer.failing_client_ports) if status == "partial" else ()
    undetermined = tuple(answer.undetermined) if status == "undetermined" else ()
    via = _via(answer) if status != "closed" else ()
    key = (status, tuple(sorted(_blocker_key(b) for b in blockers)), failing,
           tuple(_blocker_key(u) for u in undetermined), via)
    return status, tuple(blockers), failing, undetermined, via, key


def _port_segments(answer: Answer, low: int, high: int) -> list[Segment]:
    """Per destination port, what a walk over ``low..high`` says: the forward blockers carry the ports they deny."""
    by_port = [b for b in answer.blockers if b.leg == "forward" and b.ports is not None]
    fixed = [b for b in answer.blockers if not (b.leg == "forward" and b.ports is not None)]
    hard = any(b.ports is None for b in answer.blockers)
    cuts = {edge for b in by_port for lo, hi in b.ports for edge in (lo, hi + 1)}
    out: list[Segment] = []
    for lo, hi in pieces(low, high, cuts):
        covering = [b for b in by_port if any(a <= lo and hi <= z for a, z in b.ports)]
        if hard or covering:
            blockers = [b for b in answer.blockers if b in fixed or b in covering]
            out.append(Segment(lo, hi, *_fields("closed", answer, blockers)))
        elif answer.undetermined:
            out.append(Segment(lo, hi, *_fields("undetermined", answer, ())))
        elif answer.failing_client_ports:
            partial_blockers = [b for b in fixed if b.leg == "return" or b.ports is not None]
            out.append(Segment(lo, hi, *_fields("partial", answer, partial_blockers)))
        else:
            out.append(Segment(lo, hi, *_fields("open", answer, ())))
    return out


def _info(network: Network, endpoint: Endpoint, text: str) -> EndpointInfo:
    addresses: list[str] = []
    if endpoint.kind in ("interface", "nat_gateway", "load_balancer"):
        for node in endpoint.interfaces or (endpoint.node,):
            iface = network.interfaces.get(node)
            if iface is None:
                continue
            addresses += [f"{a}/32" for a in (*iface.private_ips, *iface.public_ips)]
            addresses += [f"{a}/128" for a in iface.ipv6]
    elif endpoint.kind == "subnet":
        info = network.subnets.get(endpoint.node)
        if info is not None:
            addresses += [str(c) for c in (info.cidr, info.ipv6_cidr) if c is not None]
    elif endpoint.kind == "internet":
        addresses += ([] if endpoint.text == "internet6" else [f"{INTERNET_HOST}/32"]) + [f"{INTERNET6_HOST}/128"]
    elif endpoint.address is not None:
        addresses.append(f"{endpoint.address}/{32 if endpoint.address.version == 4 else 128}")
    return EndpointInfo(text, endpoint.kind, endpoint.node, tuple(dict.fromkeys(addresses)))


def _icmp_parts(segment: Segment) -> list[Segment]:
    """An ICMP segment split so that each part lies in one type or spans whole types (``3/4``, ``0-2/0-255``)."""
    edges = set()
    if segment.low % 256:
        edges.add(segment.low - segment.low % 256 + 256)
    if segment.high % 256 != 255:
        edges.add(segment.high - segment.high % 256)
    return [replace(segment, low=lo, high=hi) for lo, hi in pieces(segment.low, segment.high, edges)]


def _row(plan: _Plan, segment: Segment, answer: PortsAnswer) -> FlowRow:
    low, high = (segment.low, segment.high) if plan.space is not None else (0, 0)
    blockers = segment.blockers if segment.status in ("closed", "partial") else ()
    return FlowRow(plan.family, plan.label, low, high, segment.status, answer.source.of_family(plan.family),
                   answer.destination.of_family(plan.family), blockers, segment.failing_client_ports,
                   segment.undetermined, segment.via, plan.numbers)

