"""What a NACL or a security group actually admits, computed on address and port coverage.

Peers compare strings (``cidr == "0.0.0.0/0"``); these helpers compute sets instead:

- addresses are netaddr ``IPSet`` s, so ``0.0.0.0/1`` + ``128.0.0.0/1`` is the whole IPv4
  space and a managed prefix list is its entries;
- ports (and ICMP type/code, folded into one number ``type * 256 + code``) are cut into
  elementary intervals at every rule boundary, so each interval is decided by the same rules;
- a NACL is evaluated first match by rule number with the implicit ``*`` deny (NACL-03/04),
  protocol ``-1`` and protocols other than TCP/UDP/ICMP ignore ports (NACL-09), and IPv4 and
  IPv6 entries never match each other's traffic (NACL-10);
- a security group is the union of its rules (SG-01).

Everything here is pure and works on model objects; the rule modules phrase the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from netaddr import IPNetwork, IPSet

from ..model import Design, NaclRule, NetworkAcl, SecurityGroupRule
from ..network.resolve import prefix_list

__all__ = [
    "TCP", "UDP", "ICMP", "ICMPV6", "ALL", "OTHER", "UNIVERSE", "PRIVATE",
    "Slice", "NaclVerdict", "evaluate_nacl", "rule_key_range", "peer_addresses",
    "security_group_slices", "open_to_world", "world_label", "intervals_text", "merge_intervals",
]

TCP, UDP, ICMP, ICMPV6, ALL = 6, 17, 1, 58, -1
#: Stands for "any protocol no rule names"; protocol -1 rules match it.
OTHER = 256
KEY_MAX = 65535

#: Protocols always given their own slices, so that protocol -1 entries show up under each of them.
_ALWAYS = {TCP, UDP, ICMP, OTHER}

UNIVERSE = {4: IPSet(["0.0.0.0/0"]), 6: IPSet(["::/0"])}

#: Address space that is not "the internet": RFC 1918, shared (100.64/10), loopback, link-local,
#: multicast/reserved, IPv6 ULA/link-local/multicast. Open-to-the-world is measured outside these.
PRIVATE = IPSet([
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.168.0.0/16", "224.0.0.0/3", "fc00::/7", "fe80::/10", "ff00::/8", "::/128", "::1/128",
])


def _has_ports(protocol: int) -> bool:
    return protocol in (TCP, UDP, ICMP, ICMPV6)


def rule_key_range(protocol: int, ports, icmp_type: int | None, icmp_code: int | None) -> tuple[int, int]:
    """The range of "keys" (port, or ICMP ``type*256+code``) an entry of ``protocol`` matches.

    >>> from vpckit.model import PortRange
    >>> rule_key_range(6, PortRange(low=22, high=22), None, None)
    (22, 22)
    >>> rule_key_range(1, None, 3, 4), rule_key_range(1, None, 3, -1), rule_key_range(1, None, -1, None)
    ((772, 772), (768, 1023), (0, 65535))
    >>> rule_key_range(50, PortRange(low=80, high=80), None, None)  # ports ignored (NACL-09, SG-02)
    (0, 65535)
    """
    if protocol in (TCP, UDP):
        return (ports.low, ports.high) if ports is not None else (0, KEY_MAX)
    if protocol in (ICMP, ICMPV6):
        if icmp_type is None or icmp_type == -1:
            return (0, KEY_MAX)
        if icmp_code is None or icmp_code == -1:
            return (icmp_type * 256, icmp_type * 256 + 255)
        return (icmp_type * 256 + icmp_code, icmp_type * 256 + icmp_code)
    return (0, KEY_MAX)


def _entry_protocols(entry_protocol: int, protocols: Iterable[int]) -> list[int]:
    return sorted(protocols) if entry_protocol == ALL else [entry_protocol]


def _cut(boundaries: set[int]) -> list[tuple[int, int]]:
    """Elementary intervals of 0..65535 cut just before each boundary."""
    points = sorted({0, *(b for b in boundaries if 0 < b <= KEY_MAX)})
    return [(low, (points[i + 1] - 1) if i + 1 < len(points) else KEY_MAX) for i, low in enumerate(points)]


@dataclass
class Slice:
    """A protocol and key interval decided identically for every key in it.

    ``admitted`` are the addresses (sources for ingress, destinations for egress) allowed.
    """

    protocol: int
    low: int
    high: int
    admitted: IPSet
    decided_by: list[tuple[int, str, IPSet]] = field(default_factory=list)

    def ports_text(self) -> str:
        """``tcp/22``, ``tcp/1024-65535``, ``icmp 3/4``, ``all``.

        >>> Slice(6, 22, 22, IPSet()).ports_text(), Slice(1, 772, 772, IPSet()).ports_text()
        ('tcp/22', 'icmp 3/4')
        """
        from ..model import protocol_name

        name = protocol_name(self.protocol) if self.protocol != OTHER else "other protocols"
        if self.protocol in (TCP, UDP):
            return f"{name}/{self.low}" if self.low == self.high else f"{name}/{self.low}-{self.high}"
        if self.protocol in (ICMP, ICMPV6) and (self.low, self.high) != (0, KEY_MAX):
            low_type, low_code = divmod(self.low, 256)
            high_type, high_code = divmod(self.high, 256)
            if low_type == high_type and (low_code, high_code) == (0, 255):
                return f"{name} type {low_type}"
            if self.low == self.high:
                return f"{name} {low_type}/{low_code}"
            return f"{name} {low_type}/{low_code}-{high_type}/{high_code}"
        return name


@dataclass
class NaclVerdict:
    """The evaluation of one direction of a NACL for one address family."""

    slices: list[Slice]
    #: rule number → the addresses it decides somewhere (empty: the entry never decides anything)
    effective: dict[int, IPSet]

    def admitted(self, protocol: int, key: int) -> IPSet:
        """Addresses admitted for ``protocol`` and port/ICMP key ``key``.

        >>> from vpckit.model import NetworkAcl
        >>> acl = NetworkAcl.model_validate({"ingress": [{"rule": 100, "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0"}]})
        >>> evaluate_nacl(acl.ingress, 4).admitted(6, 22).size == 2 ** 32
        True
        """
        protocol = protocol if any(s.protocol == protocol for s in self.slices) else OTHER
        for part in self.slices:
            if part.protocol == protocol and part.low <= key <= part.high:
                return part.admitted
        return IPSet()

    def admitted_over(self, protocol: int, low: int, high: int) -> list[Slice]:
        """The slices of ``protocol`` overlapping ``low..high`` (clipped to it)."""
        protocol = protocol if any(s.protocol == protocol for s in self.slices) else OTHER
        out = []
        for part in self.slices:
            if part.protocol == protocol and part.low <= high and low <= part.high:
                out.append(Slice(protocol, max(low, part.low), min(high, part.high), part.admitted, part.decided_by))
        return out


def evaluate_nacl(entries: Sequence[NaclRule], family: int) -> NaclVerdict:
    """First-match evaluation of one NACL direction for IPv4 (4) or IPv6 (6) traffic.

    Each elementary (protocol, port interval) walks the entries in rule-number order; an entry
    decides the addresses still undecided that its CIDR covers; whatever is left hits the
    implicit deny (NACL-03, NACL-04).

    >>> from vpckit.model import NetworkAcl
    >>> acl = NetworkAcl.model_validate({"ingress": [
    ...     {"rule": 50, "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0", "action": "deny"},
    ...     {"rule": 100, "protocol": "tcp", "ports": "0-65535", "cidr": "0.0.0.0/0"}]})
    >>> verdict = evaluate_nacl(acl.ingress, 4)
    >>> verdict.admitted(6, 22).size, verdict.admitted(6, 443).size == 2 ** 32
    (0, True)
    """
    ordered = sorted((e for e in entries if e.cidr.version == family), key=lambda e: e.rule)
    protocols = {e.protocol for e in ordered if e.protocol != ALL} | _ALWAYS
    slices: list[Slice] = []
    effective: dict[int, IPSet] = {e.rule: IPSet() for e in ordered}
    # An entry's CIDR as a set, made once: a NACL is cut into many slices, each walking the entries.
    covers = {e.rule: IPSet([e.cidr]) for e in ordered}
    for protocol in sorted(protocols):
        relevant = [e for e in ordered if e.protocol in (ALL, protocol)]
        boundaries: set[int] = set()
        ranges = {}
        for entry in relevant:
            if entry.protocol == ALL or not _has_ports(protocol):
                ranges[entry.rule] = (0, KEY_MAX)
            elif protocol == ICMPV6 and family == 4:
                ranges[entry.rule] = (0, KEY_MAX)  # NACL-09: ICMPv6 with an IPv4 CIDR matches all types
            else:
                ranges[entry.rule] = rule_key_range(protocol, entry.ports, entry.icmp_type, entry.icmp_code)
            boundaries |= {ranges[entry.rule][0], ranges[entry.rule][1] + 1}
        for low, high in (_cut(boundaries) if _has_ports(protocol) else [(0, KEY_MAX)]):
            undecided = IPSet(UNIVERSE[family])
            admitted = IPSet()
            decided_by = []
            for entry in relevant:
                entry_low, entry_high = ranges[entry.rule]
                if not (entry_low <= low and high <= entry_high):
                    continue
                if entry.cidr.prefixlen == 0:
                    decided, undecided = undecided, IPSet()  # the whole family: no set arithmetic needed
                else:
                    decided = undecided & covers[entry.rule]
                    if not decided:
                        continue
                    undecided = undecided - decided
                effective[entry.rule] |= decided
                decided_by.append((entry.rule, entry.action, decided))
                if entry.action == "allow":
                    admitted |= decided
                if not undecided:
                    break
            slices.append(Slice(protocol, low, high, admitted, decided_by))
    return NaclVerdict(slices, effective)


def peer_addresses(design: Design, peer) -> IPSet | None:
    """The addresses a rule peer stands for: a CIDR, or a prefix list's entries; None for a group.

    >>> d = Design.model_validate({"vpcs": {}, "prefix_lists": {"anyone": {"id": "pl-1", "cidrs": ["0.0.0.0/1", "128.0.0.0/1"]}}})
    >>> peer_addresses(d, "pl-1").size == 2 ** 32
    True
    >>> peer_addresses(d, "web") is None
    True
    """
    if isinstance(peer, IPNetwork):
        return IPSet([peer])
    found = prefix_list(design, str(peer))
    if found is None:
        return None
    return IPSet(found.resource.cidrs)


def security_group_slices(design: Design, rules: Sequence[SecurityGroupRule], peer_field: str) -> list[Slice]:
    """The union of a group's rules per elementary (protocol, port interval) (SG-01, SG-02).

    ``peer_field`` is ``source`` for ingress rules, ``destination`` for egress rules. Rules
    whose peer is another group contribute no addresses (they admit members, not the world).

    >>> from vpckit.model import SecurityGroup
    >>> group = SecurityGroup.model_validate({"ingress": [
    ...     {"protocol": "tcp", "ports": 22, "source": "0.0.0.0/1"},
    ...     {"protocol": "tcp", "ports": "0-1000", "source": "128.0.0.0/1"}]})
    >>> [(s.ports_text(), s.admitted.size == 2 ** 32) for s in security_group_slices(Design(), group.ingress, "source") if s.admitted]
    [('tcp/0-21', False), ('tcp/22', True), ('tcp/23-1000', False)]
    """
    resolved = []
    for rule_ in rules:
        addresses = peer_addresses(design, getattr(rule_, peer_field))
        if addresses:
            resolved.append((rule_, addresses))
    protocols = {r.protocol for r, _ in resolved if r.protocol != ALL} | _ALWAYS
    slices = []
    for protocol in sorted(protocols):
        relevant = []
        boundaries: set[int] = set()
        for rule_, addresses in resolved:
            if rule_.protocol not in (ALL, protocol):
                continue
            if rule_.protocol == ALL or not _has_ports(protocol):
                span = (0, KEY_MAX)
            else:
                span = rule_key_range(protocol, rule_.ports, rule_.icmp_type, rule_.icmp_code)
            relevant.append((span, addresses))
            boundaries |= {span[0], span[1] + 1}
        # One sweep over the cut points: a rule is active from its first port to its last, so each slice
        # unions only the rules active there (linear in the rules, where testing every rule per slice was not).
        starts: dict[int, list[int]] = {}
        ends: dict[int, list[int]] = {}
        for index, ((span_low, span_high), _) in enumerate(relevant):
            starts.setdefault(span_low, []).append(index)
            ends.setdefault(span_high + 1, []).append(index)
        active: set[int] = set()
        unions: dict[frozenset, IPSet] = {}
        for low, high in (_cut(boundaries) if _has_ports(protocol) else [(0, KEY_MAX)]):
            active.difference_update(ends.get(low, ()))
            active.update(starts.get(low, ()))
            key = frozenset(active)
            if key not in unions:
                admitted = IPSet()
                for index in sorted(key):
                    admitted |= relevant[index][1]
                unions[key] = admitted
            slices.append(Slice(protocol, low, high, unions[key]))
    return slices


def open_to_world(addresses: IPSet, wide_prefix_ipv4: int = 8, wide_prefix_ipv6: int = 32) -> bool:
    """True when ``addresses`` hold as many public addresses as a /``wide_prefix`` block or more.

    The whole space, ``0.0.0.0/1`` + ``128.0.0.0/1``, and "all but one host" are all open to
    the world; ``10.0.0.0/8`` (private) and ``203.0.113.0/24`` are not.

    >>> open_to_world(IPSet(["0.0.0.0/1", "128.0.0.0/1"])), open_to_world(IPSet(["::/0"]))
    (True, True)
    >>> open_to_world(IPSet(["10.0.0.0/8"])), open_to_world(IPSet(["203.0.113.0/24"])), open_to_world(IPSet(["11.0.0.0/8"]))
    (False, False, True)
    """
    # |addresses| - |addresses & PRIVATE|: netaddr intersects far faster than it subtracts.
    private = addresses & PRIVATE
    v4, v6 = (sum(n.size for n in addresses.iter_cidrs() if n.version == family)
              - sum(n.size for n in private.iter_cidrs() if n.version == family) for family in (4, 6))
    return v4 >= 2 ** (32 - wide_prefix_ipv4) or v6 >= 2 ** (128 - wide_prefix_ipv6)


def world_label(addresses: IPSet) -> str:
    """A short description of a wide address set for messages.

    >>> world_label(IPSet(["0.0.0.0/1", "128.0.0.0/1"])), world_label(IPSet(["0.0.0.0/0"]) - IPSet(["203.0.113.5/32"]))
    ('0.0.0.0/0', '0.0.0.0/0 except 203.0.113.5/32')
    """
    parts = []
    for family, everything in ((4, "0.0.0.0/0"), (6, "::/0")):
        cidrs = [n for n in addresses.iter_cidrs() if n.version == family]
        if not cidrs:
            continue
        size = sum(n.size for n in cidrs)
        full = IPNetwork(everything).size
        if size == full:
            parts.append(everything)
        elif size > full // 2:
            rest = list((IPSet([everything]) - addresses).iter_cidrs())
            if len(rest) <= 3:
                parts.append(f"{everything} except {', '.join(str(n) for n in rest)}")
            else:
                parts.append(f"all IPv{family} but {full - size} address(es)")
        else:
            shown = ", ".join(str(n) for n in cidrs[:3])
            parts.append(shown + (f" (+{len(cidrs) - 3} more)" if len(cidrs) > 3 else ""))
    return " and ".join(parts) or "nothing"


def merge_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge touching or overlapping intervals.

    >>> merge_intervals([(22, 22), (23, 30), (80, 80)])
    [(22, 30), (80, 80)]
    """
    merged: list[tuple[int, int]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def intervals_text(intervals: Iterable[tuple[int, int]]) -> str:
    """``22, 80-90``.

    >>> intervals_text([(22, 22), (80, 90)])
    '22, 80-90'
    """
    return ", ".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in merge_intervals(intervals))


def nacl_families(acl: NetworkAcl) -> list[int]:
    """The address families a NACL has entries for (IPv4 always: the implicit deny exists for it).

    >>> from vpckit.model import NetworkAcl
    >>> nacl_families(NetworkAcl.model_validate({"ingress": [{"rule": 1, "cidr": "::/0"}]}))
    [4, 6]
    """
    families = {4}
    for entry in [*acl.ingress, *acl.egress]:
        families.add(entry.cidr.version)
    return sorted(families)
