"""Compiled route tables: longest-prefix match over CIDR and prefix-list routes (RT-04..RT-10).

A table keeps, per address family, one dict per prefix length (network integer → routes),
so a lookup is at most 33 (IPv4) dict probes. On equal prefixes the route priority of
RT-07 decides: static CIDR route, then static prefix-list route, then propagated route.
Blackhole routes (RT-10) stay in the table and still win the match: they shadow less
specific routes, and the walk reports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from netaddr import IPNetwork

from .addressing import IpKey

__all__ = ["CompiledRoute", "CompiledRouteTable", "LookupResult"]

_MASKS = {
    4: [((1 << 32) - 1) ^ ((1 << (32 - n)) - 1) for n in range(33)],
    6: [((1 << 128) - 1) ^ ((1 << (128 - n)) - 1) for n in range(129)],
}


@dataclass(frozen=True)
class CompiledRoute:
    """One route of a compiled table.

    ``target_kind`` is ``local``, ``internet_gateway``, ``egress_only_internet_gateway``,
    ``vpn_gateway``, ``nat_gateway``, ``network_interface`` (instances resolve to their primary
    ENI), ``vpc_endpoint``, ``transit_gateway``, ``peering_connection``, ``attachment`` (TGW
    tables), or ``blackhole``. ``target`` is the graph node id of the target. ``active`` is
    False for routes in blackhole state (deleted target, RT-10); ``reason`` says why.
    """

    destination: str
    network: IPNetwork
    target_kind: str
    target: str
    target_name: str
    origin: str = "static"
    prefix_list: str | None = None
    active: bool = True
    reason: str = ""

    @property
    def priority(self) -> int:
        """Lower wins on equal prefixes: static CIDR, static prefix list, propagated (RT-07, TGW-05)."""
        if self.origin == "propagated":
            return 2
        return 1 if self.prefix_list else 0

    def text(self) -> str:
        """``0.0.0.0/0 -> nat-a`` (with the prefix list and state when they matter)."""
        return _route_text(self)


@lru_cache(maxsize=65536)
def _route_text(route: CompiledRoute) -> str:
    # every hop through a route table shows its route; the text of a route never changes
    via = f" (prefix list {route.prefix_list})" if route.prefix_list else ""
    state = "" if route.active else " [blackhole]"
    origin = " (propagated)" if route.origin == "propagated" else ""
    return f"{route.network.cidr}{via} -> {route.target_name}{origin}{state}"


@dataclass(frozen=True)
class LookupResult:
    """The route that decides, and the routes it beat (for explanations)."""

    route: CompiledRoute
    shadowed: tuple[CompiledRoute, ...] = ()
    ambiguous: bool = False


@dataclass
class CompiledRouteTable:
    """A route table ready for longest-prefix-match lookups.

    >>> from netaddr import IPNetwork
    >>> table = CompiledRouteTable("rtb:p/private")
    >>> table.add(CompiledRoute("10.0.0.0/16", IPNetwork("10.0.0.0/16"), "local", "router:p", "local"))
    >>> table.add(CompiledRoute("0.0.0.0/0", IPNetwork("0.0.0.0/0"), "nat_gateway", "nat:p/a", "nat-a"))
    >>> table.lookup((4, 0x0A000105)).route.target_name, table.lookup((4, 0x08080808)).route.target_name
    ('local', 'nat-a')
    """

    setting: str
    routes: list[CompiledRoute] = field(default_factory=list)
    _index: dict[int, dict[int, dict[int, list[CompiledRoute]]]] = field(default_factory=lambda: {4: {}, 6: {}})
    _lengths: dict[int, list[int]] = field(default_factory=lambda: {4: [], 6: []})

    def add(self, route: CompiledRoute) -> None:
        """Add a route (kept sorted by priority within its prefix)."""
        self.routes.append(route)
        net = route.network
        by_length = self._index[net.version].setdefault(net.prefixlen, {})
        bucket = by_length.setdefault(int(net.first), [])
        bucket.append(route)
        bucket.sort(key=lambda r: (r.priority, r.target_name))
        if net.prefixlen not in self._lengths[net.version]:
            self._lengths[net.version] = sorted([*self._lengths[net.version], net.prefixlen], reverse=True)

    def lookup(self, destination: IpKey) -> LookupResult | None:
        """The longest-prefix match for ``destination``; None when no route matches.

        >>> from netaddr import IPNetwork
        >>> table = CompiledRouteTable("rtb:p/t")
        >>> table.add(CompiledRoute("10.1.0.0/16", IPNetwork("10.1.0.0/16"), "vpn_gateway", "vgw:p/v", "v", "propagated"))
        >>> table.add(CompiledRoute("10.1.0.0/16", IPNetwork("10.1.0.0/16"), "transit_gateway", "tgw:t", "t"))
        >>> table.lookup((4, 0x0A010203)).route.target_name  # RT-07: static beats propagated
        't'
        """
        version, value = destination
        masks = _MASKS[version]
        index = self._index[version]
        for length in self._lengths[version]:
            bucket = index[length].get(value & masks[length])
            if bucket:
                best = bucket[0]
                ambiguous = (
                    len(bucket) > 1
                    and bucket[1].priority == best.priority
                    and bucket[1].target != best.target
                )
                return LookupResult(best, tuple(bucket[1:]), ambiguous)
        return None

    def less_specific(self, destination: IpKey, than: CompiledRoute) -> list[CompiledRoute]:
        """Routes that also match ``destination`` but lost to ``than`` on prefix length."""
        version, value = destination
        out = []
        for length in self._lengths[version]:
            if length >= than.network.prefixlen:
                continue
            bucket = self._index[version][length].get(value & _MASKS[version][length])
            if bucket:
                out.extend(bucket)
        return out
