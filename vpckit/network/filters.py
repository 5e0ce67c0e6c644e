"""Compiled packet filters: network ACLs (stateless, first match) and security groups (union).

Both are evaluated over a *set of ports* at once (a list of disjoint ``(low, high)``
intervals), so that a return leg can say exactly which client ports a NACL lets through
and which it does not ("partial").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from netaddr import IPNetwork

from ..model.types import protocol_name
from .addressing import IpKey

__all__ = [
    "Ports",
    "ALL_PORTS",
    "subtract",
    "intersect",
    "union",
    "ports_text",
    "NaclEntry",
    "CompiledNacl",
    "NaclPiece",
    "SgRule",
    "CompiledSecurityGroup",
    "protocol_matches",
    "rule_text",
]

Ports = list[tuple[int, int]]
"""A set of ports as sorted, disjoint inclusive intervals."""

ALL_PORTS: Ports = [(0, 65535)]
_PORTED = (6, 17)
_ICMP = (1, 58)


def intersect(a: Ports, low: int, high: int) -> Ports:
    """The part of ``a`` inside ``low..high``.

    >>> intersect([(0, 100), (200, 300)], 50, 250)
    [(50, 100), (200, 250)]
    """
    out = []
    for lo, hi in a:
        lo2, hi2 = max(lo, low), min(hi, high)
        if lo2 <= hi2:
            out.append((lo2, hi2))
    return out


def subtract(a: Ports, b: Ports) -> Ports:
    """``a`` minus ``b``.

    >>> subtract([(1024, 65535)], [(32768, 65535)])
    [(1024, 32767)]
    """
    out = list(a)
    for blo, bhi in b:
        nxt = []
        for lo, hi in out:
            if bhi < lo or blo > hi:
                nxt.append((lo, hi))
                continue
            if lo < blo:
                nxt.append((lo, blo - 1))
            if hi > bhi:
                nxt.append((bhi + 1, hi))
        out = nxt
    return out


def union(a: Ports, b: Ports) -> Ports:
    """Union of two port sets, merged.

    >>> union([(1, 5)], [(6, 9), (20, 30)])
    [(1, 9), (20, 30)]
    """
    merged: Ports = []
    for lo, hi in sorted([*a, *b]):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def ports_text(ports: Ports) -> str:
    """``"1024-32767, 61000"``.

    >>> ports_text([(1024, 32767), (61000, 61000)])
    '1024-32767, 61000'
    """
    return ", ".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in ports)


def protocol_matches(
    rule_protocol: int, rule_low: int | None, rule_high: int | None, rule_icmp: tuple[int | None, int | None],
    protocol: int, icmp: tuple[int, int] | None, ignore_ports_for_other: bool = True,
) -> bool:
    """Does a rule's protocol (and ICMP type/code) match a packet's? Ports are checked separately.

    ``-1`` in a rule matches every protocol (NACL-09, SG-02); a packet of protocol ``-1`` (the
    question "all traffic") is matched only by ``-1`` rules.

    >>> protocol_matches(-1, None, None, (None, None), 6, None)
    True
    >>> protocol_matches(1, None, None, (3, 4), 1, (8, 0))
    False
    """
    if rule_protocol == -1:
        return True
    if protocol == -1 or rule_protocol != protocol:
        return False
    if protocol in _ICMP and icmp is not None:
        rule_type, rule_code = rule_icmp
        if rule_type not in (None, -1) and rule_type != icmp[0]:
            return False
        if rule_code not in (None, -1) and rule_code != icmp[1]:
            return False
    return True


def _rule_ports(protocol: int, low: int | None, high: int | None) -> tuple[int, int] | None:
    """The port interval a rule restricts to, or None when ports do not apply (NACL-09, SG-02)."""
    if protocol not in _PORTED:
        return None
    if low is None:
        return (0, 65535)
    return (low, high if high is not None else low)


def rule_text(protocol: int, low: int | None, high: int | None, icmp: tuple[int | None, int | None]) -> str:
    """Short text of a rule's traffic: ``tcp 443``, ``all``, ``icmp 8/0``.

    >>> rule_text(6, 1024, 65535, (None, None)), rule_text(-1, None, None, (None, None)), rule_text(1, None, None, (8, -1))
    ('tcp 1024-65535', 'all traffic', 'icmp 8/all')
    """
    if protocol == -1:
        return "all traffic"
    name = protocol_name(protocol)
    if protocol in _PORTED:
        if low is None or (low, high) == (0, 65535):
            return f"{name} all ports"
        return f"{name} {low}" if low == high else f"{name} {low}-{high}"
    if protocol in _ICMP:
        t, c = icmp
        if t in (None, -1):
            return f"{name} all types"
        return f"{name} {t}/{'all' if c in (None, -1) else c}"
    return name


# --------------------------------------------------------------------------- NACLs


@dataclass(frozen=True)
class NaclEntry:
    """A compiled NACL entry (one direction)."""

    rule: int
    protocol: int
    low: int | None
    high: int | None
    icmp: tuple[int | None, int | None]
    version: int
    first: int
    last: int
    cidr: str
    action: str

    def text(self, direction: str) -> str:
        """``rule 100 allow tcp 443 from 0.0.0.0/0``."""
        return _entry_text(self, direction)


@lru_cache(maxsize=65536)
def _entry_text(entry: NaclEntry, direction: str) -> str:
    # the walk shows the deciding entries of every NACL it passes; an entry's text never changes
    word = "from" if direction == "ingress" else "to"
    return f"rule {entry.rule} {entry.action} {rule_text(entry.protocol, entry.low, entry.high, entry.icmp)} {word} {entry.cidr}"


@dataclass(frozen=True)
class NaclPiece:
    """The decision for one part of the ports: ``entry`` None means the implicit ``*`` deny."""

    ports: Ports | None
    action: str
    entry: NaclEntry | None


@dataclass
class CompiledNacl:
    """A NACL with both directions sorted by rule number (NACL-03, NACL-04).

    >>> from vpckit.model import NetworkAcl
    >>> nacl = CompiledNacl.compile("nacl:p/app", NetworkAcl.model_validate({"ingress": [
    ...     {"rule": 200, "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"},
    ...     {"rule": 100, "protocol": "tcp", "ports": "22", "cidr": "0.0.0.0/0", "action": "deny"}]}))
    >>> [(p.ports, p.action) for p in nacl.evaluate("ingress", 6, (4, 1), [(0, 65535)], None)]
    [([(22, 22)], 'deny'), ([(1024, 65535)], 'allow'), ([(0, 21), (23, 1023)], 'deny')]
    """

    setting: str
    ingress: list[NaclEntry] = field(default_factory=list)
    egress: list[NaclEntry] = field(default_factory=list)

    @classmethod
    def compile(cls, setting: str, nacl) -> "CompiledNacl":
        """Compile a model :class:`~vpckit.model.NetworkAcl`."""

        def entries(rules) -> list[NaclEntry]:
            out = []
            for r in sorted(rules, key=lambda r: r.rule):
                net: IPNetwork = r.cidr
                out.append(NaclEntry(
                    rule=r.rule, protocol=r.protocol,
                    low=r.ports.low if r.ports else None, high=r.ports.high if r.ports else None,
                    icmp=(r.icmp_type, r.icmp_code), version=net.version, first=int(net.first), last=int(net.last),
                    cidr=str(net.cidr), action=r.action,
                ))
            return out

        return cls(setting, entries(nacl.ingress), entries(nacl.egress))

    def evaluate(
        self, direction: str, protocol: int, peer: IpKey, ports: Ports | None, icmp: tuple[int, int] | None
    ) -> list[NaclPiece]:
        """First match by rule number for a packet whose peer address is ``peer``.

        ``peer`` is the source for ``ingress`` and the destination for ``egress``. With a port
        set, the answer is split by port: each piece says which rule decided those ports.
        IPv4 and IPv6 entries never match the other family (NACL-10).
        """
        version, value = peer
        remaining = list(ports) if ports is not None else None
        pieces: list[NaclPiece] = []
        for entry in self.ingress if direction == "ingress" else self.egress:
            if entry.version != version or not entry.first <= value <= entry.last:
                continue
            if not protocol_matches(entry.protocol, entry.low, entry.high, entry.icmp, protocol, icmp):
                continue
            span = _rule_ports(entry.protocol, entry.low, entry.high) if protocol in _PORTED else None
            if remaining is None or span is None:
                pieces.append(NaclPiece(remaining, entry.action, entry))
                return pieces
            taken = intersect(remaining, *span)
            if not taken:
                continue
            pieces.append(NaclPiece(taken, entry.action, entry))
            remaining = subtract(remaining, taken)
            if not remaining:
                return pieces
        pieces.append(NaclPiece(remaining, "deny", None))
        return pieces


# --------------------------------------------------------------------------- security groups


@dataclass(frozen=True)
class SgRule:
    """A compiled security-group rule; the peer is CIDRs or the member addresses of a group.

    ``peer_kind`` is ``cidr`` (``ranges`` holds ``(version, first, last)``), ``group``
    (``members`` holds the member addresses; ``identity`` True) or ``none`` (a reference
    that resolves to nothing, SG-07/SG-08: matches no traffic).
    """

    protocol: int
    low: int | None
    high: int | None
    icmp: tuple[int | None, int | None]
    peer_kind: str
    peer: str
    ranges: tuple[tuple[int, int, int], ...] = ()
    members: frozenset = frozenset()
    note: str = ""

    def matches_peer(self, peer: IpKey, identity: bool) -> bool:
        """Does the rule's peer cover ``peer``? Group peers need the sender's identity (SG-06).

        >>> rule = SgRule(6, 22, 22, (None, None), "group", "group admin", members=frozenset({(4, 7)}))
        >>> rule.matches_peer((4, 7), identity=True), rule.matches_peer((4, 7), identity=False)
        (True, False)
        """
        if self.peer_kind == "cidr":
            version, value = peer
            return any(v == version and lo <= value <= hi for v, lo, hi in self.ranges)
        if self.peer_kind == "group":
            return identity and peer in self.members
        return False

    def text(self, direction: str) -> str:
        """``allow tcp 443 from 0.0.0.0/0``."""
        word = "from" if direction == "ingress" else "to"
        return f"allow {rule_text(self.protocol, self.low, self.high, self.icmp)} {word} {self.peer}"


@dataclass
class CompiledSecurityGroup:
    """A security group's rules, compiled; ``setting`` is ``sg:<vpc>/<name>``."""

    setting: str
    name: str
    ingress: list[SgRule] = field(default_factory=list)
    egress: list[SgRule] = field(default_factory=list)

    def allowed(
        self, direction: str, protocol: int, peer: IpKey, ports: Ports | None, icmp: tuple[int, int] | None,
        identity: bool,
    ) -> tuple[Ports | None, list[SgRule], bool]:
        """Ports this group allows for the packet, the rules that allow them, and whether all of it is allowed.

        >>> from netaddr import IPNetwork
        >>> rule = SgRule(6, 443, 443, (None, None), "cidr", "0.0.0.0/0", ((4, 0, 2**32 - 1),))
        >>> group = CompiledSecurityGroup("sg:p/web", "web", ingress=[rule])
        >>> group.allowed("ingress", 6, (4, 5), [(443, 443)], None, True)[0]
        [(443, 443)]
        """
        allowed: Ports = []
        matched: list[SgRule] = []
        everything = False
        for rule in self.ingress if direction == "ingress" else self.egress:
            if not protocol_matches(rule.protocol, rule.low, rule.high, rule.icmp, protocol, icmp):
                continue
            if not rule.matches_peer(peer, identity):
                continue
            span = _rule_ports(rule.protocol, rule.low, rule.high) if protocol in _PORTED else None
            if ports is None or span is None:
                matched.append(rule)
                everything = True
                continue
            taken = intersect(ports, *span)
            if taken:
                matched.append(rule)
                allowed = union(allowed, taken)
        if everything:
            return ports, matched, True
        return allowed, matched, ports is not None and not subtract(ports, allowed)
