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
member of the same groups among those the walk consulted. Nothing here decides anything about AWS:
the first test is the engine's, the second reads back what the walk consulted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..network.addressing import Interface, IpKey
from ..network.build import Network
from .atoms import address_atoms, component_filters, network_cache
from .rows import PortsAnswer

__all__ = ["SharedAnswers"]


def _keys(iface: Interface) -> tuple[IpKey, ...]:
    return tuple((a.version, int(a)) for a in (*iface.private_ips, *iface.public_ips, *iface.ipv6))


@dataclass
class SharedAnswers:
    """The ``ports`` answers toward one destination, reusable by source classes that it cannot tell apart.

    ``destination`` holds the interfaces the destination answers at (its addresses are what a
    sender's egress rules are tested against). ``reused`` counts answers given without a walk.

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
        return None

    def store(self, source: str, answer: PortsAnswer) -> None:
        """Keep ``source``'s answer for the classes that will be like it."""
        if not self._toward or source not in self.network.interfaces:
            return
        iface = self.network.interfaces[source]
        rules = self._referenced(iface, answer.components)
        self._buckets.setdefault(self._bucket(iface), []).append((rules, _membership(rules, _keys(iface)), answer))

    def _bucket(self, iface: Interface) -> tuple:
        atoms = address_atoms(self.network, with_interfaces=False)
        return (
            iface.subnet, bool(iface.security_groups), self._egress(iface), iface.owner_kind, iface.node
            if iface.owner_kind in ("load_balancer", "vpc_endpoint", "nat_gateway", "transit_gateway") else None,
            len(iface.private_ips), len(iface.public_ips), len(iface.ipv6),
            tuple(atoms[v].index(value) for v, value in _keys(iface)),
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


def _membership(rules: tuple, keys: tuple[IpKey, ...]) -> tuple[bool, ...]:
    return tuple(any(k in rule.members for k in keys) for rule in rules)
