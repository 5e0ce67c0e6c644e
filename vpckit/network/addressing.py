"""Addresses: who owns which IP, and how addresses a design leaves out are chosen.

Internally addresses are kept as ``(version, integer)`` pairs: hashing and comparing
integers is what keeps a reachability query well under a millisecond.

Allocation rules (deterministic, so two runs on one design give the same answer):

* a private IPv4 address left out of the design is the first free address of the subnet
  after the reserved ones (base, +1 router, +2 DNS, +3 future; the last address is the
  broadcast address, SUB-04); interfaces are served in the order of their node ids;
* a public IPv4 address that the design asks for without giving it (``public_ip: true``, a
  subnet with ``map_public_ip_on_launch``, a public NAT gateway without an elastic IP, an
  internet-facing load balancer) comes from ``198.18.0.0/15``, the RFC 2544 benchmarking
  block: it is not RFC 1918 nor RFC 6598 space, so the internet gateway treats it as a
  public address (IGW-05), and it cannot be confused with a real AWS address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator

from netaddr import IPAddress, IPNetwork

from ..model.types import PortRange

__all__ = [
    "Interface",
    "IpKey",
    "ip_key",
    "key_address",
    "PUBLIC_POOL",
    "INTERNET_HOST",
    "INTERNET6_HOST",
    "RFC1918",
    "RFC6598",
    "is_internet_address",
    "first_free_addresses",
    "PublicAllocator",
]

IpKey = tuple[int, int]
"""An address as ``(version, integer)``: cheap to hash and compare."""

#: Where public IPv4 addresses that the design does not spell out come from (RFC 2544 block).
PUBLIC_POOL = IPNetwork("198.18.0.0/15")
#: The address that stands for "a host on the internet" (TEST-NET-2, RFC 5737).
INTERNET_HOST = IPAddress("198.51.100.100")
#: The address that stands for "a host on the IPv6 internet" (documentation prefix, RFC 3849).
INTERNET6_HOST = IPAddress("2001:db8:ffff::100")
RFC1918 = (IPNetwork("10.0.0.0/8"), IPNetwork("172.16.0.0/12"), IPNetwork("192.168.0.0/16"))
RFC6598 = IPNetwork("100.64.0.0/10")
_NOT_INTERNET6 = (IPNetwork("fc00::/7"), IPNetwork("fe80::/10"), IPNetwork("::1/128"))


def ip_key(address: IPAddress | str) -> IpKey:
    """The ``(version, integer)`` key of an address.

    >>> ip_key("10.0.0.1")
    (4, 167772161)
    """
    address = IPAddress(address) if not isinstance(address, IPAddress) else address
    return (address.version, int(address))


def key_address(key: IpKey) -> IPAddress:
    """Back from a key to a netaddr address.

    >>> str(key_address((4, 167772161)))
    '10.0.0.1'
    """
    return IPAddress(key[1], key[0])


def is_internet_address(address: IPAddress | str) -> bool:
    """True for addresses an internet gateway carries: not RFC 1918, not RFC 6598 (IGW-05).

    >>> is_internet_address("8.8.8.8"), is_internet_address("10.1.2.3"), is_internet_address("100.64.0.1")
    (True, False, False)
    """
    address = IPAddress(address) if not isinstance(address, IPAddress) else address
    return _internet_key(address.version, int(address))


@lru_cache(maxsize=65536)
def _internet_key(version: int, value: int) -> bool:
    nets = (*RFC1918, RFC6598) if version == 4 else _NOT_INTERNET6
    return not any(int(net.first) <= value <= int(net.last) for net in nets)


@dataclass
class Interface:
    """The addressing and filtering of one network interface (ENI) of the network.

    ``owner_kind`` says what the interface belongs to (``instance``, ``network_interface``,
    ``nat_gateway``, ``load_balancer``, ``vpc_endpoint``, ``rds``, ``lambda``, ``efs``,
    ``transit_gateway``) and ``owner`` its design name. ``usable`` is False for interfaces of
    resources in states that do not forward (stopped instances, deleted NAT gateways...),
    with ``state`` saying which.

    >>> Interface("eni:p/a", "a", "p", "s", [IPAddress("10.0.0.4")]).primary_ip
    IPAddress('10.0.0.4')
    """

    node: str
    name: str
    vpc: str
    subnet: str
    private_ips: list[IPAddress] = field(default_factory=list)
    public_ips: list[IPAddress] = field(default_factory=list)
    ipv6: list[IPAddress] = field(default_factory=list)
    security_groups: list[str] = field(default_factory=list)
    source_dest_check: bool = True
    owner_kind: str = "instance"
    owner: str = ""
    state: str = "available"
    usable: bool = True
    os: str | None = None
    az: str = ""
    ports: list[PortRange] = field(default_factory=list)
    public_map: dict[IpKey, IpKey] = field(default_factory=dict)

    @property
    def primary_ip(self) -> IPAddress | None:
        """The primary private IPv4 address (None when the interface has none)."""
        return self.private_ips[0] if self.private_ips else None

    def own_keys(self) -> set[IpKey]:
        """Every private and IPv6 address of the interface as keys."""
        return {ip_key(a) for a in (*self.private_ips, *self.ipv6)}


def first_free_addresses(cidr: IPNetwork, used: set[int], count: int) -> Iterator[int]:
    """The first ``count`` free host addresses of a subnet after the reserved ones (SUB-04).

    >>> [str(IPAddress(a)) for a in first_free_addresses(IPNetwork("10.0.1.0/24"), {167772420}, 2)]
    ['10.0.1.5', '10.0.1.6']
    """
    first, last = int(cidr.first) + 4, int(cidr.last) - 1
    found = 0
    candidate = first
    while found < count and candidate <= last:
        if candidate not in used:
            used.add(candidate)
            found += 1
            yield candidate
        candidate += 1


class PublicAllocator:
    """Hands out public IPv4 addresses from :data:`PUBLIC_POOL`, skipping taken ones.

    >>> allocator = PublicAllocator(taken=[IPAddress("198.18.0.1")], avoid=[])
    >>> str(allocator.next()), str(allocator.next())
    ('198.18.0.2', '198.18.0.3')
    """

    def __init__(self, taken: Iterable[IPAddress], avoid: Iterable[IPNetwork]):
        self._taken = {int(a) for a in taken if a.version == 4}
        self._avoid = [n for n in avoid if n.version == 4]
        self._next = int(PUBLIC_POOL.first) + 1

    def next(self) -> IPAddress:
        """The next free address of the pool."""
        while self._next < int(PUBLIC_POOL.last):
            candidate = self._next
            self._next += 1
            if candidate in self._taken:
                continue
            inside = next((net for net in self._avoid if net.first <= candidate <= net.last), None)
            if inside is not None:
                self._next = max(self._next, int(inside.last) + 1)  # past the whole network at once
                continue
            self._taken.add(candidate)
            return IPAddress(candidate, 4)
        raise ValueError(f"vpckit numbers public IPv4 addresses it is not given from {PUBLIC_POOL}, and none is left "
                         "(the design's VPCs or its own addresses use them); give the address explicitly")
