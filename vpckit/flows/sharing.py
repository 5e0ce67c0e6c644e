"""Answers shared by source classes that one destination cannot tell apart.

Interface classes are global: two interfaces of one subnet with different security groups are
different classes, because *some* question tells them apart. Toward one destination fewer things
matter. The walk reads a sender's groups only

- on its way out, where only the egress rules whose peer covers the destination's addresses can
  match (``SgRule.matches_peer``, the engine's own test), and
- where a rule further on references a group (SG-06): only the membership of the sender's
  addresses in the groups that the *consulted* components reference.

So a walk from one class answers for another class of the same subnet, kind, addresses' atoms and
OS when the egress rules that match the destination are the same (by content) and the sender is a
member of the same groups among those the walk consulted.

A sender of *another* subnet gets the answer too when that subnet is alike (same VPC, AZ, route
table, NACL) and holds nothing the walk went through, and when its addresses lie in the cells of
the sender's addresses: the ranges around them that every consulted component and every VPC,
on-premises and special range treat alike (:func:`~vpckit.flows.atoms.cell`). Only answers whose
rows are plainly open or closed travel so: a partial row names the sender's own subnet's NACL.

Nothing here decides anything about AWS: the tests are the engine's, and the rest reads back what
the walk consulted. The property tests ask every class its own question and compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..network.addressing import Interface, IpKey
from ..network.build import Network
from .atoms import address_atoms, cell, component_filters, network_cache
from .rows import PortsAnswer

__all__ = ["SharedAnswers"]


def _keys(iface: Interface) -> tuple[IpKey, ...]:
    return tuple((a.version, int(a)) for a in (*iface.private_ips, *iface.public_ips, *iface.ipv6))


@dataclass
class SharedAnswers:
    """The ``ports`` answers toward one destination, reusable by source classes that it cannot tell apart.

    ``destination`` holds the interfaces the destination answers at (its addresses are what a
    sender's egress rules are tested against). ``reused`` counts answers given without a walk.
    A reused answer's rows that get through hold for the new sender; its closed rows' blockers name
    the first sender's settings, so callers keep only the rows that get through.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> from vpckit.flows import ports
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}},
    ...     "security_groups": {"x": {}, "y": {}},
    ...     "instances": {"s1": {"subnet": "a", "security_groups": ["x"]},
    ...                   "s2": {"subnet": "a", "security_groups": ["y"]}, "d": {"subnet": "a"}}}}}))
    >>> shared = SharedAnswers(net, ("eni:p/d",))
    >>> shared.store("eni:p/s1", ports(net, "s1", "d"))
    >>> shared.lookup("eni:p/s2") is not None, shared.reused
    (True, 1)
    """

    network: Network
    destination: tuple[str, ...]
    reused: int = 0
    _buckets: dict[tuple, list[tuple[tuple, tuple[bool, ...], PortsAnswer]]] = field(default_factory=dict)
    _across: dict[tuple, list["_Entry"]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._toward = tuple(k for node in self.destination if node in self.network.interfaces
                             for k in _keys(self.network.interfaces[node]))

    def lookup(self, source: str) -> PortsAnswer | None:
        """The answer of an earlier source that the walk toward the destination cannot tell from ``source``."""
        if not self._toward or source not in self.network.interfaces:
            return None
        iface = self.network.interfaces[source]
        keys = _keys(iface)
        for rules, membership, answer in self._buckets.get(self._bucket(iface), ()):
            if _membership(rules, keys) == membership:
                self.reused += 1
                return answer
        for entry in self._across.get(self._common(iface), ()):
            if iface.subnet not in entry.subnets and all(
                    low <= value <= high for (_, value), (low, high) in zip(keys, entry.cells)) and (
                    _membership(entry.rules, keys) == entry.membership):
                self.reused += 1
                return entry.answer
        return None

    def store(self, source: str, answer: PortsAnswer) -> None:
        """Keep ``source``'s answer for the classes that will be like it."""
        if not self._toward or source not in self.network.interfaces:
            return
        iface = self.network.interfaces[source]
        rules = self._referenced(iface, answer.components)
        keys = _keys(iface)
        self._buckets.setdefault(self._bucket(iface), []).append((rules, _membership(rules, keys), answer))
        if self._portable(iface, answer):
            components = sorted(answer.components)
            cells = tuple(cell(self.network, components, family, value, subnets=False) for family, value in keys)
            self._across.setdefault(self._common(iface), []).append(
                _Entry(rules, _membership(rules, keys), answer, cells, self._subnets_of(components)))

    def _portable(self, iface: Interface, answer: PortsAnswer) -> bool:
        """Whether the answer can serve senders of other subnets like the sender's (see :meth:`_common`).

        Only when every row that gets through is plainly open: a partial or undetermined row names
        settings of the sender's own subnet (the NACL the reply meets), which another subnet does not share.
        """
        if iface.subnet not in self.network.subnets or any(row.status not in ("open", "closed") for row in answer.flows):
            return False
        # Something the walk went through in the sender's own subnet (a NAT gateway, an appliance) is met
        # there without the subnet's NACL; from another subnet, through it.
        return not any(self.network.interfaces[c].subnet == iface.subnet for c in answer.components
                       if c != iface.node and c in self.network.interfaces)

    def _subnets_of(self, components: list[str]) -> frozenset[str]:
        """The subnets holding what the walks went through: a sender there meets them differently (no NACL
        between a sender and a NAT gateway of its own subnet)."""
        out = set()
        for component in components:
            if component in self.network.subnets:
                out.add(component)
            iface = self.network.interfaces.get(component)
            if iface is not None:
                out.add(iface.subnet)
        return frozenset(out)

    def _bucket(self, iface: Interface) -> tuple:
        atoms = address_atoms(self.network, with_interfaces=False)
        return (iface.subnet, tuple(atoms[v].index(value) for v, value in _keys(iface)), *self._common(iface))

    def _common(self, iface: Interface) -> tuple:
        """What a sender shares with another that the destination cannot tell apart, its subnet and atoms aside:
        the subnet's VPC, AZ, route table, NACL and IPv6 range (not which one), the destination inside it
        or not, and everything of the sender's own the walk reads."""
        subnet = self.network.subnets.get(iface.subnet)
        inside = subnet is not None and any(
            (subnet.cidr if v == 4 else subnet.ipv6_cidr) is not None and
            int((subnet.cidr if v == 4 else subnet.ipv6_cidr).first) <= value <= int(
                (subnet.cidr if v == 4 else subnet.ipv6_cidr).last) for v, value in self._toward)
        where = (subnet.vpc, subnet.az, subnet.route_table, subnet.nacl, subnet.ipv6_cidr is not None, inside) \
            if subnet is not None else (iface.subnet,)
        return (
            where, bool(iface.security_groups), self._egress(iface), iface.owner_kind, iface.node
            if iface.owner_kind in ("load_balancer", "vpc_endpoint", "nat_gateway", "transit_gateway") else None,
            len(iface.private_ips), len(iface.public_ips), len(iface.ipv6),
            iface.os, iface.usable, iface.state, iface.source_dest_check, tuple((p.low, p.high) for p in iface.ports),
            self._owned(iface),
        )

    def _owned(self, iface: Interface) -> tuple:
        """Whether the network delivers each of the interface's addresses to it (an address held twice goes to
        one holder only), and which of them the destination holds too."""
        network, node = self.network, iface.node
        return tuple((network.private_owner(k) == node, network.public_owner(k) == node,
                      network.private_owner_in(iface.vpc, k) == node, k in self._toward) for k in _keys(iface))

    def _egress(self, iface: Interface) -> frozenset:
        """The egress rules of the interface's groups that can match the destination, by content."""
        cache = network_cache(self.network).setdefault(("egress-toward", self._toward), {})
        groups = tuple(sorted(iface.security_groups))
        if groups not in cache:
            found: set[Any] = set()
            for setting in groups:
                group = self.network.security_groups.get(setting)
                for rule in group.egress if group is not None else ():
                    matches = tuple((rule.matches_peer(k, True), rule.matches_peer(k, False)) for k in self._toward)
                    if any(any(m) for m in matches):
                        found.add((rule.protocol, rule.low, rule.high, rule.icmp, matches))
            cache[groups] = frozenset(found)
        return cache[groups]

    def _referenced(self, iface: Interface, components: set[str]) -> tuple:
        """The group-referencing rules of what the walks consulted, except the sender's own groups.

        The sender's own rules are only read on its way out (egress toward the destination, in the
        bucket); a component that also holds them (the destination in the same group) brings them in.
        """
        own = {iface.node, *iface.security_groups}
        rules: dict[int, Any] = {}
        for component in sorted(components):
            parts = set(component.split(","))
            if component in own or parts <= own:
                continue
            for rule in component_filters(self.network, component):
                if getattr(rule, "peer_kind", None) == "group":
                    rules.setdefault(id(rule), rule)
        return tuple(rules.values())


@dataclass(frozen=True)
class _Entry:
    """An answer kept for senders of other subnets: the cells their addresses must fall in, the subnets
    they must not be in."""

    rules: tuple
    membership: tuple[bool, ...]
    answer: PortsAnswer
    cells: tuple[tuple[int, int], ...]
    subnets: frozenset[str]


def _membership(rules: tuple, keys: tuple[IpKey, ...]) -> tuple[bool, ...]:
    return tuple(any(k in rule.members for k in keys) for rule in rules)
