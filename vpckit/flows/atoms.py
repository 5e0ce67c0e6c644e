"""Address atoms and interface classes: the pieces the walk cannot tell apart (DESIGN.md).

*Atoms*: every CIDR the network names (routes, NACL and security-group rules, prefix lists, VPC
and subnet CIDRs, on-premises and VPN ranges, gateway-endpoint prefixes, the interfaces' own
addresses) cuts the IPv4 and the IPv6 space; the pieces between cuts are atoms, kept as sorted
integer intervals. Every component decides the same for every address of an atom, so one walk
from a representative address answers for all of it.

*Classes*: interfaces that the walk cannot tell apart — same subnet, groups, kind, public-address
status, rule atoms of their addresses, membership in every group a rule references — form one
class; a question costs one walk per class, not per interface.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator
from weakref import WeakKeyDictionary

from netaddr import IPAddress, IPNetwork, IPRange, cidr_merge

from ..network.addressing import RFC1918, RFC6598, Interface, IpKey
from ..network.build import Network

__all__ = ["AddressAtoms", "InterfaceClass", "address_atoms", "interface_classes", "cidrs_of", "cell",
           "component_filters", "network_cache", "SPECIAL_RANGES"]

_TOP = {4: 2**32 - 1, 6: 2**128 - 1}
#: Ranges that are never on the internet (IGW-05) or never anyone's host; cutting at them keeps every
#: atom either wholly "internet" or wholly not.
SPECIAL_RANGES = (*RFC1918, RFC6598, IPNetwork("0.0.0.0/8"), IPNetwork("127.0.0.0/8"), IPNetwork("169.254.0.0/16"),
                  IPNetwork("224.0.0.0/3"), IPNetwork("fc00::/7"), IPNetwork("fe80::/10"), IPNetwork("::/128"),
                  IPNetwork("::1/128"), IPNetwork("ff00::/8"))
#: Owner kinds of which each interface is its own class (what they do depends on the resource).
_SINGULAR = ("load_balancer", "vpc_endpoint", "nat_gateway", "transit_gateway")


@dataclass(frozen=True)
class AddressAtoms:
    """The atoms of one address family: ``starts[i]`` is the first address of atom ``i``.

    >>> atoms = AddressAtoms(4, (0, 10, 20))
    >>> atoms.interval(1), atoms.index(15), len(atoms)
    ((10, 19), 1, 3)
    """

    family: int
    starts: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, value: int) -> int:
        """The atom holding the address ``value``."""
        return bisect_right(self.starts, value) - 1

    def interval(self, index: int) -> tuple[int, int]:
        """Atom ``index`` as an inclusive integer interval."""
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else _TOP[self.family]
        return self.starts[index], end

    def intervals(self) -> Iterator[tuple[int, int]]:
        """Every atom, in order."""
        return (self.interval(i) for i in range(len(self.starts)))

    def within(self, low: int, high: int) -> list[tuple[int, int]]:
        """The atoms of ``low..high`` (the first and last clipped to it)."""
        out = []
        for i in range(self.index(low), self.index(high) + 1):
            lo, hi = self.interval(i)
            out.append((max(lo, low), min(hi, high)))
        return out


def _cut(cuts: dict[int, set[int]], version: int, first: int, last: int) -> None:
    cuts[version].add(first)
    if last < _TOP[version]:
        cuts[version].add(last + 1)


def _rule_ranges(network: Network) -> Iterator[tuple[int, int, int]]:
    """(version, first, last) of every CIDR a rule, route or range of the network names."""
    def of(net: IPNetwork) -> tuple[int, int, int]:
        return net.version, int(net.first), int(net.last)

    for table in network.route_tables.values():
        for route in table.routes:
            yield of(route.network)
    for nacl in network.nacls.values():
        for entry in (*nacl.ingress, *nacl.egress):
            yield entry.version, entry.first, entry.last
    for group in network.security_groups.values():
        for rule in (*group.ingress, *group.egress):
            yield from rule.ranges  # a group reference's members are interfaces: classes carry membership
    for nets in (*network.prefix_lists.values(), *network.vpn_prefixes.values()):
        yield from (of(n) for n in nets)
    yield from _global_ranges(network)


_MEMO: "WeakKeyDictionary[Network, dict]" = WeakKeyDictionary()


def network_cache(network: Network) -> dict:
    """What the set questions learn once per built network (a network is not changed after it is built)."""
    return _MEMO.setdefault(network, {})


def address_atoms(network: Network, *, with_interfaces: bool = True) -> dict[int, AddressAtoms]:
    """The atoms of the IPv4 and IPv6 space that the network's CIDRs induce (computed once per network).

    ``with_interfaces`` also cuts at every interface address (public and elastic ones included), so
    that an address someone owns is an atom of its own; without, only rules, routes and ranges cut.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}}))
    >>> atoms = address_atoms(net)[4]
    >>> atoms.interval(atoms.index(int(IPAddress("10.0.3.4"))))[0] == int(IPAddress("10.0.0.0"))
    True
    """
    cache = network_cache(network)
    key = ("atoms", with_interfaces)
    if key not in cache:
        cuts: dict[int, set[int]] = {4: {0}, 6: {0}}
        for version, first, last in _rule_ranges(network):
            _cut(cuts, version, first, last)
        if with_interfaces:
            for iface in network.interfaces.values():
                for address in (*iface.private_ips, *iface.public_ips, *iface.ipv6):
                    _cut(cuts, address.version, int(address), int(address))
        cache[key] = {v: AddressAtoms(v, tuple(sorted(c))) for v, c in cuts.items()}
    return cache[key]


def cidrs_of(family: int, intervals: Iterable[tuple[int, int]]) -> list[str]:
    """The fewest CIDRs covering integer intervals of one family.

    >>> cidrs_of(4, [(int(IPAddress("10.0.0.0")), int(IPAddress("10.0.0.255"))),
    ...              (int(IPAddress("10.0.1.0")), int(IPAddress("10.0.1.255")))])
    ['10.0.0.0/23']
    """
    return list(_cidrs(family, tuple(intervals)))


@lru_cache(maxsize=4096)
def _cidrs(family: int, intervals: tuple[tuple[int, int], ...]) -> tuple[str, ...]:
    nets: list[IPNetwork] = []
    for low, high in intervals:
        nets += IPRange(IPAddress(low, family), IPAddress(high, family)).cidrs()
    return tuple(str(n) for n in cidr_merge(nets))


@dataclass(frozen=True)
class InterfaceClass:
    """Interfaces the walk cannot tell apart; ``members`` are graph node ids, the first stands for all.

    >>> InterfaceClass(("k",), ("eni:p/a", "eni:p/b")).representative
    'eni:p/a'
    """

    key: tuple
    members: tuple[str, ...]

    @property
    def representative(self) -> str:
        """The member whose walks answer for the class."""
        return self.members[0]


def _referenced_groups(network: Network) -> dict[IpKey, frozenset[str]]:
    """Address -> the group references (rule peers) whose members include it."""
    out: dict[IpKey, set[str]] = {}
    for group in network.security_groups.values():
        for rule in (*group.ingress, *group.egress):
            if rule.peer_kind == "group":
                for member in rule.members:
                    out.setdefault(member, set()).add(rule.peer)
    return {k: frozenset(v) for k, v in out.items()}


def _class_key(network: Network, iface: Interface, atoms: dict[int, AddressAtoms],
               referenced: dict[IpKey, frozenset[str]]) -> tuple:
    addresses = (*iface.private_ips, *iface.public_ips, *iface.ipv6)
    keys = [(a.version, int(a)) for a in addresses]
    return (
        iface.subnet, tuple(sorted(iface.security_groups)), iface.owner_kind,
        iface.node if iface.owner_kind in _SINGULAR else None,
        len(iface.private_ips), len(iface.public_ips), len(iface.ipv6),
        tuple(atoms[v].index(value) for v, value in keys),
        frozenset().union(*(referenced.get(k, frozenset()) for k in keys)),
        iface.os, iface.usable, iface.state, iface.source_dest_check, tuple((p.low, p.high) for p in iface.ports),
    )


def interface_classes(network: Network) -> list[InterfaceClass]:
    """Every interface of the network in its class, classes in the order of their first member's id.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}},
    ...     "instances": {"x": {"subnet": "a"}, "y": {"subnet": "a"}}}}}))
    >>> [c.members for c in interface_classes(net)]
    [('eni:p/x', 'eni:p/y')]
    """
    cache = network_cache(network)
    if "classes" not in cache:
        atoms = address_atoms(network, with_interfaces=False)
        referenced = _referenced_groups(network)
        groups: dict[tuple, list[str]] = {}
        for node in sorted(network.interfaces):
            groups.setdefault(_class_key(network, network.interfaces[node], atoms, referenced), []).append(node)
        cache["classes"] = [InterfaceClass(key, tuple(members)) for key, members in groups.items()]
    return cache["classes"]


def _global_ranges(network: Network, subnets: bool = True) -> Iterator[tuple[int, int, int]]:
    """Ranges the walk consults for any address, whatever path it takes (VPCs, subnets, on premises...)."""
    def of(net: IPNetwork) -> tuple[int, int, int]:
        return net.version, int(net.first), int(net.last)

    for vpc in network.vpcs.values():
        yield from (of(n) for n in (*vpc.cidrs, *vpc.ipv6_cidrs))
    for subnet in network.subnets.values() if subnets else ():
        yield from (of(n) for n in (subnet.cidr, subnet.ipv6_cidr) if n is not None)
    for info in network.onprem.values():
        yield from (of(n) for n in info.cidrs)
    for endpoint in network.gateway_endpoints.values():
        yield from (of(n) for n in endpoint.cidrs)
    for net in SPECIAL_RANGES:
        yield of(net)


def _component_ranges(network: Network, component: str) -> Iterator[tuple[int, int, int]]:
    """The CIDRs by which one component or setting decides (NACL entries, group rules, routes, VPN prefixes)."""
    subnet = network.subnets.get(component)
    if subnet is not None:
        yield from _component_ranges(network, subnet.nacl)
        yield from _component_ranges(network, subnet.route_table)
    iface = network.interfaces.get(component)
    if iface is not None:
        for group in iface.security_groups:
            yield from _component_ranges(network, group)
    nacl = network.nacls.get(component)
    if nacl is not None:
        yield from ((e.version, e.first, e.last) for e in (*nacl.ingress, *nacl.egress))
    group = network.security_groups.get(component)
    if group is not None:
        for rule in (*group.ingress, *group.egress):
            yield from rule.ranges  # a group reference's members are the network's own interfaces, never outside hosts
    table = network.route_tables.get(component)
    if table is not None:
        yield from ((r.network.version, int(r.network.first), int(r.network.last)) for r in table.routes)
    for net in network.vpn_prefixes.get(component, ()):
        yield net.version, int(net.first), int(net.last)


def signature(network: Network, components: Iterable[str], family: int, low: int,
              high: int) -> frozenset[tuple[int, int]] | None:
    """Which CIDRs that ``components`` decide by hold all of ``low..high`` (None when one of them cuts the range).

    Every decision of a walk that consulted only ``components`` depends on an address through these CIDRs
    alone (first match, longest prefix and union are all functions of which CIDRs hold it), so two ranges
    of outside addresses with the same signature get the same answer — even when CIDRs of the components
    lie between them, where :func:`cell` would stop.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}}))
    >>> signature(net, [], 4, 1, 2) == signature(net, [], 4, 3_000_000_000, 3_000_000_001) == frozenset()
    True
    """
    seen = network_cache(network).setdefault("component-ranges", {})
    held = set()
    for component in components:
        if component not in seen:
            seen[component] = tuple(_component_ranges(network, component))
        for version, first, last in seen[component]:
            if version != family or last < low or high < first:
                continue
            if not (first <= low and high <= last):
                return None
            held.add((first, last))
    return frozenset(held)


def component_filters(network: Network, component: str) -> Iterator:
    """The NACL entries and security-group rules by which one component or setting decides.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}}}}}))
    >>> len(list(component_filters(net, "subnet:p/a")))  # the default NACL: allow all, both ways
    2
    """
    subnet = network.subnets.get(component)
    iface = network.interfaces.get(component)
    for setting in (subnet.nacl if subnet else "", *(iface.security_groups if iface else ()), *component.split(",")):
        nacl = network.nacls.get(setting)
        if nacl is not None:
            yield from (*nacl.ingress, *nacl.egress)
        group = network.security_groups.get(setting)
        if group is not None:
            yield from (*group.ingress, *group.egress)


def cell(network: Network, components: Iterable[str], family: int, value: int,
         *, network_ranges: bool = True, subnets: bool = True) -> tuple[int, int]:
    """The addresses around ``value`` that every one of ``components`` (and the network's own ranges) treats alike.

    A walk that consulted only ``components`` gives the same answer for every address of the cell that
    nobody in the network owns: each decision it made depends on the address only through these CIDRs.
    Without ``network_ranges`` the VPC, subnet, on-premises and special ranges do not cut the cell: for
    callers that use it only for addresses of one kind (all on the internet, or all of one on-premises
    network), for which those ranges decide alike anyway. Without ``subnets`` only the subnets' CIDRs do
    not cut it: for callers that compare senders in different subnets which the walk treats alike.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}}))
    >>> [str(IPAddress(v)) for v in cell(net, [], 4, int(IPAddress("8.8.8.8")))]
    ['1.0.0.0', '9.255.255.255']
    """
    cache = network_cache(network)
    if not network_ranges:
        ranges: set[tuple[int, int, int]] = set()
    elif subnets:
        ranges = set(cache.setdefault("global-ranges", set(_global_ranges(network))))
    else:
        ranges = set(cache.setdefault("global-ranges-but-subnets", set(_global_ranges(network, subnets=False))))
    seen = cache.setdefault("component-ranges", {})
    for component in components:
        if component not in seen:
            seen[component] = tuple(_component_ranges(network, component))
        ranges.update(seen[component])
    low, high = 0, _TOP[family]
    for version, first, last in ranges:
        if version != family:
            continue
        if first <= value <= last:
            low, high = max(low, first), min(high, last)
        elif last < value:
            low = max(low, last + 1)
        else:
            high = min(high, first - 1)
    return low, high
