"""The packet walk of aws-semantics §1.15: forward leg, return leg, every blocker.

One :class:`_Leg` follows one packet through the network. The forward leg starts at the
client; the return leg starts at whatever answered, with source and destination swapped,
the client's (possibly translated) ports as destination ports, and no security-group checks
(connection tracking, SG-10). Translations made on the way out (NAT gateway SNAT, the
internet gateway's 1:1 NAT) are undone on the way back, and a reply that reaches a NAT
gateway or egress-only gateway that did not carry the request is an asymmetric return.

The walk does not stop at the first block when it can go on: a denying NACL or security
group is recorded and the packet continues as if allowed, so that every blocking setting on
the path is reported (the "blocked path" idea of Reachability Analyzer). It stops where there
is nowhere to go (no route, a blackhole, a gateway that cannot carry the packet).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable

from ..model.types import protocol_name
from ..network.addressing import RFC6598, Interface, IpKey, is_internet_address, key_address
from ..network.build import Network, SubnetInfo
from ..network.filters import Ports, ports_text, subtract, union
from ..network.routes import CompiledRoute
from .answer import Blocker, Hop

__all__ = ["Packet", "Translation", "Arrival", "Leg"]

_MAX_STEPS = 40
#: Interfaces AWS manages and never gives a public address, so a fix cannot be "give it one".
_MANAGED = {"lambda": "Lambda function", "efs": "EFS mount target", "vpc_endpoint": "VPC endpoint",
            "transit_gateway": "transit gateway attachment"}


@dataclass(frozen=True)
class Packet:
    """A packet header (addresses as keys) plus what the walk knows about its journey.

    ``ports`` are destination ports (None for protocols without ports), ``sports`` source
    ports. ``identity`` is False once the sender's security-group membership can no longer
    be recognised (NAT, middlebox, internet, TGW without SG referencing; SG-05/SG-06).
    ``entered_via`` says how the packet came into the VPC it is in (``peering``, ``vpn``,
    ``tgw``, ``internet``, ``service``) — NAT gateways and gateway endpoints care (NAT-05, VPCE-02).
    """

    protocol: int
    src: IpKey
    dst: IpKey
    ports: Ports | None
    sports: Ports | None
    icmp: tuple[int, int] | None
    identity: bool = True
    entered_via: str | None = None
    az: str | None = None


@dataclass(frozen=True)
class Translation:
    """A source translation made on the forward leg, undone on the return leg."""

    kind: str
    node: str
    before_src: IpKey
    before_sports: Ports | None
    after_src: IpKey
    after_sports: Ports | None


@dataclass
class Arrival:
    """Where a leg ended: an interface, the internet, an on-premises network, an AWS service."""

    kind: str
    node: str
    packet: Packet
    via: str | None = None


@lru_cache(maxsize=65536)
def _addr(key: IpKey) -> str:
    return str(key_address(key))


def _short(setting: str) -> str:
    return setting.split(":", 1)[1].split("/", 1)[-1] if ":" in setting else setting


def _traffic(packet: Packet, ports: Ports | None = None) -> str:
    ports = packet.ports if ports is None else ports
    if packet.protocol == -1:
        return "all traffic"
    name = protocol_name(packet.protocol)
    if ports is not None and packet.protocol in (6, 17):
        return f"{name} {ports_text(ports)}"
    if packet.icmp is not None:
        return f"{name} {packet.icmp[0]}/{packet.icmp[1]}"
    return name


@dataclass
class Leg:
    """One direction of a flow being walked through the network.

    Start it with :meth:`from_interface` (or :meth:`igw_in`, :meth:`vgw_in`, :meth:`tgw_route` for
    packets coming from outside); it records ``hops`` and ``blockers`` and ends with ``arrival``
    set when the packet arrived somewhere.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "x", "cidr": "10.0.1.0/24"}, "b": {"az": "x", "cidr": "10.0.2.0/24"}},
    ...     "instances": {"x": {"subnet": "a"}, "y": {"subnet": "b"}}}}}))
    >>> leg = Leg(net, "forward")
    >>> leg.from_interface(net.interfaces["eni:p/x"], Packet(6, (4, 0x0A000104), (4, 0x0A000204), [(22, 22)],
    ...                    [(32768, 60999)], None))
    >>> leg.arrival.node, [b.code for b in leg.blockers]
    ('eni:p/y', [])
    """

    network: Network
    direction: str
    translations: list[Translation] = field(default_factory=list)
    hops: list[Hop] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    arrival: Arrival | None = None
    used_gateways: list[str] = field(default_factory=list)
    partial_ports: Ports = field(default_factory=list)
    hard: bool = False
    matched: dict[tuple[str, str], object] = field(default_factory=dict)
    hosts: dict[IpKey, Interface] = field(default_factory=dict)
    target_client_ports: Ports = field(default_factory=list)
    #: what decides the flow but cannot be known offline (an appliance behind a GWLB endpoint)
    undetermined: list[Blocker] = field(default_factory=list)
    #: the walk could not go on past something undetermined (where the appliance sends it is unknown)
    stopped_undetermined: bool = False
    #: appliances (ENIs, inspection endpoints) a gateway route table sent the packet to (RT-11)
    redirected: list[str] = field(default_factory=list)
    #: every appliance (middlebox ENI, inspection endpoint) the packet went through, in order
    appliances: list[str] = field(default_factory=list)
    #: the AZ each transit gateway VPC attachment delivered the forward packet in (appliance mode, TGW-08)
    tgw_azs: dict[str, str] = field(default_factory=dict)
    _steps: int = 0

    # ------------------------------------------------------------------ recording

    def hop(self, component: str, decision: str, rule: str | None = None, code: str | None = None,
            detail: str = "") -> None:
        """Record a hop."""
        kind = component.split(":", 1)[0] if ":" in component else component
        self.hops.append(Hop(component, kind, self.direction, decision, rule, code, detail))

    def block(self, code: str, component: str, setting: str, semantics: str, message: str, fix: str,
              ports: Ports | None = None) -> None:
        """Record a blocker; ``ports`` when only those ports are denied (a partial block)."""
        if ports is None:
            self.hard = True
        else:
            self.partial_ports = union(self.partial_ports, ports)
        self.blockers.append(Blocker(code, component, setting, self.direction, semantics, message, fix,
                                     tuple(ports) if ports is not None else None))

    def _tick(self) -> bool:
        self._steps += 1
        if self._steps > _MAX_STEPS:
            self.block("ROUTING_LOOP", self.hops[-1].component if self.hops else "", "", "RT-04",
                       "the packet loops between route tables and never arrives",
                       "fix the routes so that they lead to the destination instead of back to where the packet came from")
            return False
        return True

    # ------------------------------------------------------------------ filters

    def nacl(self, subnet: SubnetInfo, direction: str, packet: Packet) -> Packet:
        """Check the subnet's NACL (``ingress`` or ``egress``); returns the packet with the allowed ports."""
        nacl = self.network.nacls.get(subnet.nacl)
        if nacl is None:
            return packet
        peer = packet.src if direction == "ingress" else packet.dst
        pieces, allowed, denied, rules = _nacl_decision(nacl, direction, packet, peer)
        if self.direction == "forward" and allowed and allowed[0].entry is not None:
            self.matched.setdefault((subnet.node, direction), allowed[0].entry)
        word = "inbound" if direction == "ingress" else "outbound"
        if not denied:
            self.hop(subnet.node, "allow", rules, None,
                     f"NACL {_short(subnet.nacl)} ({word})")
            return packet
        denied_ports: Ports | None = None
        if packet.ports is not None:
            denied_ports = []
            for p in denied:
                denied_ports = union(denied_ports, p.ports or [])
        partial = bool(allowed) and packet.ports is not None
        self.hop(subnet.node, "allow" if partial else "deny", rules,
                 "SUBNET_ACL_RESTRICTION", f"NACL {_short(subnet.nacl)} ({word})")
        self.block(
            "SUBNET_ACL_RESTRICTION", subnet.node, subnet.nacl, "NACL-07" if self.direction == "return" else "NACL-03",
            self._nacl_message(subnet, direction, packet, denied, allowed, denied_ports),
            self._nacl_fix(subnet, direction, packet, denied, denied_ports),
            denied_ports if partial else None,
        )
        if partial and self.direction == "return":
            return replace(packet, ports=subtract(packet.ports or [], denied_ports or []))
        # On the forward leg the packet goes on with every port, so that each later blocker states exactly
        # the ports it denies too (a range closed by a NACL and a group names both).
        return packet

    def _nacl_message(self, subnet, direction, packet, denied, allowed, denied_ports) -> str:
        name = _short(subnet.nacl)
        word = "inbound" if direction == "ingress" else "outbound"
        peer = _addr(packet.src if direction == "ingress" else packet.dst)
        side = "from" if direction == "ingress" else "to"
        what = _traffic(packet, denied_ports)
        by = ", ".join(f"rule {p.entry.rule} (deny)" for p in denied if p.entry) or ""
        implicit = any(p.entry is None for p in denied)
        reason = []
        if by:
            reason.append(f"denied by {by}")
        if implicit:
            reason.append("not allowed by any rule, so the implicit deny (*) drops it")
        subject = "the reply" if self.direction == "return" else "the traffic"
        client = " to the client's ports" if self.direction == "return" and packet.ports is not None else ""
        head = f"NACL {name} of subnet {subnet.name}: {word} {what} {side} {peer} ({subject}{client}) is " + " and ".join(reason)
        opposite = "egress" if direction == "ingress" else "ingress"
        request = self.matched.get((subnet.node, opposite)) if self.direction == "return" else None
        if request is not None:
            other = "outbound" if opposite == "egress" else "inbound"
            head = (f"NACL {name} {request.text(opposite)} lets the request {other}, but the reply ({word} "
                    f"{what} {side} {peer}) is " + " and ".join(reason))
        if allowed and denied_ports:
            ok = [p for p in allowed if p.ports]
            head += f"; only {ports_text([r for p in ok for r in p.ports])} get through"
        return head

    def _nacl_fix(self, subnet, direction, packet, denied, denied_ports) -> str:
        word = "inbound" if direction == "ingress" else "outbound"
        peer = packet.src if direction == "ingress" else packet.dst
        cidr = self._peer_cidr(peer)
        side = "from" if direction == "ingress" else "to"
        explicit = [p.entry.rule for p in denied if p.entry]
        lead = f"remove or renumber rule {', '.join(map(str, explicit))}, or " if explicit else ""
        return f"{lead}add an {word} allow rule to NACL {_short(subnet.nacl)} for {_traffic(packet, denied_ports)} {side} {cidr}"

    def _peer_cidr(self, key: IpKey) -> str:
        subnet = self.network.subnet_holding(key)
        if subnet is not None:
            return str(subnet.cidr if key[0] == 4 else subnet.ipv6_cidr)
        if key[0] == 4 and is_internet_address(key_address(key)):
            # the narrowest change that works first; the whole internet only as the wider option
            return f"{_addr(key)}/32 (or 0.0.0.0/0 for every internet host)"
        return f"{_addr(key)}/{32 if key[0] == 4 else 128}"

    def security_groups(self, iface: Interface, direction: str, packet: Packet) -> Packet:
        """Check an interface's groups (union, SG-01); skipped on the return leg (tracked, SG-10)."""
        if self.direction == "return" or not iface.security_groups:
            return packet
        peer = packet.src if direction == "ingress" else packet.dst
        allowed: Ports | None = [] if packet.ports is not None else None
        everything = False
        matched = []
        reference_rules = []
        total_rules = 0
        for setting in iface.security_groups:
            group = self.network.security_groups.get(setting)
            if group is None:
                continue
            rules = group.ingress if direction == "ingress" else group.egress
            total_rules += len(rules)
            got, texts, full = _group_decision(group, direction, packet, peer)
            matched.extend(texts)
            if full:
                everything = True
            elif got:
                allowed = union(allowed or [], got)
            if not packet.identity:
                for r in rules:
                    if r.peer_kind == "group" and peer in r.members:
                        reference_rules.append((group.name, r))
        word = "inbound" if direction == "ingress" else "outbound"
        names = ", ".join(_short(s) for s in iface.security_groups)
        if everything or (packet.ports is not None and allowed and not subtract(packet.ports, allowed)):
            self.hop(iface.node, "allow", "; ".join(matched) or None, None, f"security groups {names} ({word})")
            return packet
        denied = subtract(packet.ports, allowed or []) if packet.ports is not None else None
        partial = packet.ports is not None and bool(allowed)
        peer_text = _addr(peer)
        side = "from" if direction == "ingress" else "to"
        if reference_rules:
            code, semantics = "SG_REFERENCES_NOT_PRESERVED", "SG-06"
            group_name, rule = reference_rules[0]
            message = (f"security group {group_name} on {iface.name} allows {word} {_traffic(packet)} only {side} "
                       f"{rule.peer}, but the packet comes through a NAT, middlebox, the internet or a transit gateway, "
                       f"which does not preserve the sender's group membership")
            fix = f"allow {_traffic(packet)} {side} {self._peer_cidr(peer)} by CIDR in security group {group_name}"
        else:
            code = "SG_HAS_NO_RULES" if total_rules == 0 else "ENI_SG_RULES_MISMATCH"
            semantics = "SG-03" if total_rules == 0 else "SG-01"
            what = _traffic(packet, denied)
            message = (f"no rule of security group{'s' if len(iface.security_groups) > 1 else ''} {names} on "
                       f"{iface.name} allows {word} {what} {side} {peer_text}")
            if total_rules == 0:
                message += f" (the group{'s have' if len(iface.security_groups) > 1 else ' has'} no {word} rules)"
            stale = self._stale_note(iface, direction)
            if stale:
                message += f"; {stale}"
            first = _short(iface.security_groups[0])
            fix = f"add an {word} rule to security group {first} allowing {what} {side} {self._peer_cidr(peer)}"
        self.hop(iface.node, "allow" if partial else "deny", "; ".join(matched) or None, code,
                 f"security groups {names} ({word})")
        self.block(code, iface.node, iface.security_groups[0] if len(iface.security_groups) == 1 else
                   ",".join(iface.security_groups), semantics, message, fix, denied if partial else None)
        self.notes.append("Security groups are stateful: removing a rule does not cut connections already tracked "
                          "(SG-10); this answer is about new connections.")
        # Like the NACLs: the packet goes on with every port, each blocker names exactly the ports it denies.
        return packet

    def _stale_note(self, iface: Interface, direction: str) -> str:
        for setting in iface.security_groups:
            group = self.network.security_groups.get(setting)
            for r in (group.ingress if direction == "ingress" else group.egress) if group else ():
                if r.peer_kind == "none":
                    return r.note
        return ""

    # ------------------------------------------------------------------ starting points

    def from_interface(self, iface: Interface, packet: Packet) -> None:
        """The packet leaves an interface (its own traffic, or a reply)."""
        if self.direction == "forward" and not iface.usable:
            self.block("BAD_STATE", iface.node, iface.node, "ENI-02",
                       f"{iface.owner_kind.replace('_', ' ')} {iface.owner} is {iface.state}, so it sends nothing",
                       f"start {iface.owner} (or use a resource that is running)")
        packet = self.security_groups(iface, "egress", packet)
        self.hop(iface.node, "forward", None, None, f"leaves {iface.name} ({_addr(packet.src)})")
        self.route_from(self.network.subnets[iface.subnet], replace(packet, az=iface.az), iface)

    # ------------------------------------------------------------------ routing

    def route_from(self, subnet: SubnetInfo, packet: Packet, sender: Interface | None) -> None:
        """Route a packet that leaves ``sender`` in ``subnet`` (RT-04..RT-10, RT-06)."""
        if not self._tick():
            return
        if self._in_subnet(subnet, packet.dst):
            self.hop(subnet.node, "forward", None, None,
                     f"same subnet {subnet.name}: delivered directly, no route table or NACL (RT-06, NACL-08)")
            self.arrive(subnet, packet)
            return
        table = self.network.route_tables.get(subnet.route_table)
        found = table.lookup(packet.dst) if table else None
        if found is None:
            self.hop(subnet.route_table, "drop", None, "NO_ROUTE_TO_DESTINATION",
                     f"no route for {_addr(packet.dst)}")
            self.block("NO_ROUTE_TO_DESTINATION", subnet.node, subnet.route_table, "RT-04",
                       f"route table {_short(subnet.route_table)} of subnet {subnet.name} has no route to "
                       f"{_addr(packet.dst)}" + (" for the reply" if self.direction == "return" else ""),
                       f"add a route for {self._peer_cidr(packet.dst)} to route table {_short(subnet.route_table)}")
            return
        route = found.route
        if found.ambiguous:
            self.notes.append(f"route table {_short(subnet.route_table)} has two equally preferred routes for "
                              f"{route.network.cidr}; AWS picks one (RT-07), vpckit used {route.target_name}")
        detail = f"route table {_short(subnet.route_table)} of subnet {subnet.name}"
        if not route.active:
            self.hop(subnet.route_table, "drop", route.text(), "BAD_STATE_ROUTE", detail)
            self.block("BAD_STATE_ROUTE", subnet.node, subnet.route_table, "RT-10",
                       f"route {route.text()} in route table {_short(subnet.route_table)} is a blackhole: {route.reason}; "
                       "it still matches and drops the traffic instead of falling through to a less specific route",
                       f"point the route for {route.network.cidr} at a working target or delete it")
            return
        self.hop(subnet.route_table, "forward", route.text(), None, detail)
        if sender is not None and route.target == sender.node:
            self.block("NO_ROUTE_TO_DESTINATION", subnet.node, subnet.route_table, "NAT-01",
                       f"route table {_short(subnet.route_table)} sends the traffic from {sender.name} back to "
                       f"{sender.name} itself", f"give subnet {subnet.name} a route for {route.network.cidr} to the next "
                       "hop (an internet gateway for a public NAT gateway)")
            return
        next_subnet = self._next_subnet(route, packet, subnet)
        # Traffic to a transit gateway is checked by the NACLs even when the attachment's
        # interface is in the same subnet (AWS's "Network ACLs for transit gateways").
        if next_subnet is None or next_subnet != subnet.node or route.target_kind == "transit_gateway":
            packet = self.nacl(subnet, "egress", packet)
        self._dispatch(route, subnet, packet, sender)

    def _in_subnet(self, subnet: SubnetInfo, key: IpKey) -> bool:
        version, value = key
        cidr = subnet.cidr if version == 4 else subnet.ipv6_cidr
        return cidr is not None and int(cidr.first) <= value <= int(cidr.last)

    def _next_subnet(self, route: CompiledRoute, packet: Packet, subnet: SubnetInfo) -> str | None:
        kind = route.target_kind
        if kind == "local":
            found = self.network.subnet_of(subnet.vpc, packet.dst)
            return found.node if found else None
        if kind in ("network_interface", "nat_gateway"):
            iface = self.network.interfaces.get(route.target)
            return iface.subnet if iface else None
        if kind == "transit_gateway":
            tgw = self.network.transit_gateways.get(route.target)
            for att in tgw.attachments.values() if tgw else ():
                if att.vpc == subnet.vpc and subnet.az in att.azs:
                    return att.azs[subnet.az]
        return None

    def _dispatch(self, route: CompiledRoute, subnet: SubnetInfo, packet: Packet, sender: Interface | None) -> None:
        kind = route.target_kind
        if kind == "local":
            self.deliver_local(subnet.vpc, packet, subnet.node)
        elif kind == "internet_gateway":
            self.igw_out(subnet.vpc, route.target, packet)
        elif kind == "egress_only_internet_gateway":
            self.eigw_out(subnet.vpc, route.target, packet)
        elif kind == "nat_gateway":
            self.nat(self.network.interfaces[route.target], packet, subnet.node)
        elif kind == "network_interface":
            self.middlebox(self.network.interfaces[route.target], packet, subnet.node)
        elif kind == "peering_connection":
            self.peering(route.target, subnet.vpc, packet)
        elif kind == "transit_gateway":
            self.tgw_from_vpc(route.target, subnet, packet)
        elif kind == "vpn_gateway":
            self.vgw_out(subnet.vpc, route.target, packet)
        elif kind == "vpc_endpoint" and route.target in self.network.inspection_endpoints:
            self.inspection_endpoint(route.target, subnet, packet)
        elif kind == "vpc_endpoint":
            self.gateway_endpoint(route.target, subnet, packet)
        else:
            self.block("UNSUPPORTED_COMPONENT", subnet.node, subnet.route_table, "RT-09",
                       f"vpckit does not model route targets of kind {kind}", "check this path by other means")

    # ------------------------------------------------------------------ arriving

    def deliver_local(self, vpc: str, packet: Packet, from_subnet: str | None) -> None:
        """The VPC router delivers to the subnet that holds the destination (the local route)."""
        subnet = self.network.subnet_of(vpc, packet.dst)
        if subnet is None:
            self.hop(f"router:{vpc}", "drop", None, "NO_POSSIBLE_DESTINATION", f"no subnet of {vpc} holds {_addr(packet.dst)}")
            self.block("NO_POSSIBLE_DESTINATION", f"router:{vpc}", f"vpc:{vpc}", "SUB-01",
                       f"{_addr(packet.dst)} is inside VPC {vpc} but in none of its subnets, so nothing can answer",
                       "send the traffic to an address of a resource in one of the VPC's subnets")
            return
        if subnet.node != from_subnet:
            packet = self.nacl(subnet, "ingress", packet)
        self.arrive(subnet, packet)

    def arrive(self, subnet: SubnetInfo, packet: Packet) -> None:
        """The packet is in the destination subnet: hand it to the interface that owns the address."""
        owner = self.network.private_owner_in(subnet.vpc, packet.dst)
        if owner is None and packet.dst in self.hosts and self.hosts[packet.dst].subnet == subnet.node:
            self.arrive_interface(self.hosts[packet.dst], packet)
            return
        if owner is None:
            self.hop(subnet.node, "drop", None, "NO_POSSIBLE_DESTINATION", f"nothing owns {_addr(packet.dst)}")
            self.block("NO_POSSIBLE_DESTINATION", subnet.node, subnet.node, "SUB-04",
                       f"no interface in subnet {subnet.name} has the address {_addr(packet.dst)}, so nothing answers",
                       f"check the address, or give a resource in subnet {subnet.name} the address {_addr(packet.dst)}")
            return
        self.arrive_interface(self.network.interfaces[owner], packet)

    def arrive_interface(self, iface: Interface, packet: Packet) -> None:
        """An interface receives a packet addressed to one of its own addresses."""
        if self.direction == "return":
            translation = next((t for t in self.translations if t.node == iface.node and t.after_src == packet.dst), None)
            if translation is not None:
                self.hop(iface.node, "translate", None, None,
                         f"{iface.name} undoes its translation: {_addr(packet.dst)} -> {_addr(translation.before_src)}")
                restored = replace(packet, dst=translation.before_src, ports=translation.before_sports)
                self.route_from(self.network.subnets[iface.subnet], restored, iface)
                return
            self.hop(iface.node, "deliver", None, None, f"reply reaches {iface.name}")
            self.arrival = Arrival("interface", iface.node, packet)
            return
        if not iface.usable:
            self.block("BAD_STATE", iface.node, iface.node, "ENI-02",
                       f"{iface.owner_kind.replace('_', ' ')} {iface.owner} is {iface.state}, so it receives nothing",
                       f"start {iface.owner} (or send the traffic to a resource that is running)")
        packet = self.security_groups(iface, "ingress", packet)
        self.hop(iface.node, "deliver", None, None, f"arrives at {iface.name} ({_addr(packet.dst)})")
        self.arrival = Arrival("interface", iface.node, packet)

    # ------------------------------------------------------------------ middleboxes and NAT

    def middlebox(self, iface: Interface, packet: Packet, from_subnet: str) -> None:
        """A route to an ENI or instance: the appliance must forward (RT-12, ENI-01, SG-06)."""
        subnet = self.network.subnets[iface.subnet]
        if iface.subnet != from_subnet:
            packet = self.nacl(subnet, "ingress", packet)
        packet = self.security_groups(iface, "ingress", packet)
        if iface.source_dest_check:
            self.block("ENI_SOURCE_DEST_CHECK_RESTRICTION", iface.node, iface.node, "ENI-01",
                       f"{iface.name} receives traffic for {_addr(packet.dst)}, which is not its own address, but its "
                       "source/destination check is enabled, so it drops the packet",
                       f"disable the source/destination check on {iface.name} (routers, firewalls and NAT instances need it off)")
        self.appliances.append(iface.node)
        self.hop(iface.node, "forward", None, None,
                 f"appliance {iface.name} forwards; security-group references no longer match (SG-06)")
        self.notes.append(f"the path goes through appliance {iface.name}; the reply must come back through it too "
                          "(asymmetric routing through stateful appliances fails, RT-11)")
        packet = replace(packet, identity=False)
        packet = self.security_groups(iface, "egress", packet)
        self.route_from(subnet, packet, iface)

    def nat(self, iface: Interface, packet: Packet, from_subnet: str) -> None:
        """The NAT gateway pipeline: NACL in, SNAT to 1024-65535, route and NACL out (NAT-01..06)."""
        subnet = self.network.subnets[iface.subnet]
        if iface.subnet != from_subnet:
            packet = self.nacl(subnet, "ingress", packet)
        if self.direction == "return":
            self.hop(iface.node, "drop", None, "ASYMMETRIC_RETURN", "the reply is routed into a NAT gateway")
            self.block("ASYMMETRIC_RETURN", iface.node, self._last_route_table(), "NAT-03",
                       f"the reply is routed to NAT gateway {iface.name}, which did not carry the request: it would "
                       "translate the reply's source address, and the client drops a reply from an address it did not "
                       "talk to", "route the replies back the way the request came (e.g. a public instance needs its "
                       "subnet's default route to point at the internet gateway, not at a NAT gateway)")
            return
        if packet.entered_via in ("peering", "vpn"):
            self.block("NGW_REQUIRES_SOURCE_IN_VPC", iface.node, iface.node, "NAT-05",
                       f"NAT gateway {iface.name} only serves traffic from its own VPC (or through a transit gateway); "
                       f"traffic that came over {'a peering connection' if packet.entered_via == 'peering' else 'a VPN'} "
                       "cannot use it", "give the other VPC its own NAT gateway, or connect through a transit gateway")
        if packet.protocol not in (1, 6, 17):
            self.block("PROTOCOL_RESTRICTION", iface.node, iface.node, "NAT-06",
                       f"NAT gateway {iface.name} translates only TCP, UDP and ICMP, not {protocol_name(packet.protocol)}",
                       "use an instance with its own public address for this protocol")
            return
        nat_ip = iface.primary_ip
        if nat_ip is None:
            return
        new_sports = [(1024, 65535)] if packet.sports is not None else None
        after = (4, int(nat_ip))
        self.translations.append(Translation("nat", iface.node, packet.src, packet.sports, after, new_sports))
        self.hop(iface.node, "translate", None, "NGW_SOURCE_ADDRESS_REASSIGN",
                 f"source {_addr(packet.src)} -> {nat_ip}, source ports -> 1024-65535 (NAT-04)")
        packet = replace(packet, src=after, sports=new_sports, identity=False, entered_via=None)
        self.route_from(subnet, packet, iface)

    def _last_route_table(self) -> str:
        for hop in reversed(self.hops):
            if hop.kind in ("rtb", "tgw-rtb"):
                return hop.component
        return ""

    # ------------------------------------------------------------------ gateways

    def igw_out(self, vpc: str, igw: str, packet: Packet) -> None:
        """Leave through the internet gateway: 1:1 NAT of the source, private destinations dropped (IGW-04/05)."""
        dst = key_address(packet.dst)
        if packet.dst[0] == 4 and not is_internet_address(dst):
            rfc6598 = dst in RFC6598
            code = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS" if rfc6598 else "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
            self.hop(igw, "drop", None, code, f"{dst} is a private address")
            self.block(code, igw, self._last_route_table(), "IGW-05",
                       f"internet gateway {_short(igw)} drops traffic to {dst}: {'RFC 6598' if rfc6598 else 'RFC 1918'} "
                       "addresses are not on the internet",
                       f"route {dst} to the gateway or peering that really leads there, not to the internet gateway")
            return
        owner = self.network.private_owner_in(vpc, packet.src)
        iface = self.network.interfaces.get(owner) if owner else None
        if packet.src[0] == 4:
            public = None
            if iface is not None:
                public = next((p for p, priv in iface.public_map.items() if priv == packet.src), None)
            if public is None:
                who = iface.name if iface else _addr(packet.src)
                private_nat = iface is not None and iface.owner_kind == "nat_gateway"
                self.hop(igw, "drop", None, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", f"{who} has no public address")
                self.block(
                    "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", igw, owner or igw, "NAT-02" if private_nat else "IGW-04",
                    (f"private NAT gateway {who} is routed to internet gateway {_short(igw)}, which drops its traffic: "
                     "a private NAT gateway has no public address" if private_nat else
                     f"internet gateway {_short(igw)} only carries traffic from addresses paired with a public IPv4 "
                     f"address, and {who} ({_addr(packet.src)}) has none"),
                    ("use a public NAT gateway for internet access" if private_nat else
                     f"route the internet traffic of {who}'s subnet through a NAT gateway: AWS never gives a "
                     f"{_MANAGED[iface.owner_kind]} interface a public address" if iface is not None and
                     iface.owner_kind in _MANAGED else
                     f"give {who} a public IP or an elastic IP, or route its internet traffic through a NAT gateway"),
                )
                return
            self.hop(igw, "translate", None, None, f"source {_addr(packet.src)} -> {_addr(public)} (IGW-03)")
            packet = replace(packet, src=public)
        elif iface is None:
            self.block("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", igw, igw, "IGW-04",
                       f"{_addr(packet.src)} is not an IPv6 address of an interface of VPC {vpc}",
                       "send IPv6 internet traffic from an interface's own IPv6 address")
            return
        else:
            self.hop(igw, "forward", None, None, "IPv6: no translation")
        self.used_gateways.append(igw)
        self.on_internet(packet)

    def eigw_out(self, vpc: str, eigw: str, packet: Packet) -> None:
        """Leave through an egress-only internet gateway: IPv6, outbound-initiated only (IGW-07)."""
        if packet.dst[0] != 6:
            self.hop(eigw, "drop", None, "PROTOCOL_RESTRICTION", "IPv4 packet")
            self.block("PROTOCOL_RESTRICTION", eigw, self._last_route_table(), "IGW-07",
                       f"egress-only internet gateway {_short(eigw)} carries only IPv6",
                       "route IPv4 internet traffic to a NAT gateway or an internet gateway")
            return
        if self.direction == "return":
            self.hop(eigw, "drop", None, "ASYMMETRIC_RETURN", "reply to a connection started from the internet")
            self.block("ASYMMETRIC_RETURN", eigw, self._last_route_table(), "IGW-07",
                       f"the reply leaves through egress-only gateway {_short(eigw)}, which only carries connections "
                       "started from inside the VPC; nothing on the internet can start a connection this way",
                       "route ::/0 to the internet gateway for instances that must accept IPv6 connections")
            return
        self.hop(eigw, "forward", None, None, "egress-only gateway (IPv6 out)")
        self.used_gateways.append(eigw)
        self.on_internet(packet)

    def eigw_in(self, vpc: str, eigw: str, packet: Packet) -> None:
        """The reply to an IPv6 connection started inside comes back in through the egress-only gateway (IGW-07)."""
        self.hop(eigw, "forward", None, None, "egress-only gateway: the reply to a connection started inside")
        self.deliver_local(vpc, replace(packet, entered_via="internet", identity=False), None)

    def on_internet(self, packet: Packet) -> None:
        """On the internet: either an outside host, or (hairpin) an address of the network itself (IGW-06)."""
        if packet.dst[0] == 4:
            owner = self.network.public_owner(packet.dst)
        else:
            owner = self.network.private_owner(packet.dst)
        if owner is not None:
            iface = self.network.interfaces[owner]
            self.hop("internet", "forward", None, None,
                     f"{_addr(packet.dst)} is a public address of {iface.name}: the packet comes back in through "
                     "its VPC's internet gateway (IGW-06)")
            self.notes.append("the path leaves through an internet gateway and comes back in (NAT reflection); "
                              "Reachability Analyzer does not model this (IGW_NAT_REFLECTION), vpckit does, and the "
                              "receiver sees the sender's public address, so group references do not match (SG-06)")
            self.igw_in(iface.vpc, replace(packet, identity=False))
            return
        self.hop("internet", "deliver", None, None, f"reaches {_addr(packet.dst)} on the internet")
        self.arrival = Arrival("internet", "internet", packet)

    def igw_in(self, vpc_name: str, packet: Packet) -> None:
        """Come in from the internet: the IGW maps the public address to the private one (IGW-03/04/05)."""
        vpc = self.network.vpcs[vpc_name]
        igw = vpc.internet_gateway
        if igw is None:
            self.hop(f"vpc:{vpc_name}", "drop", None, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "no internet gateway")
            self.block("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", f"vpc:{vpc_name}", f"vpc:{vpc_name}", "IGW-02",
                       f"VPC {vpc_name} has no internet gateway, so nothing on the internet can reach it"
                       + (" (an egress-only gateway only carries connections started inside, IGW-07)"
                          if vpc.egress_only_gateway else ""),
                       f"attach an internet gateway to VPC {vpc_name}")
            return
        if packet.dst[0] == 4:
            if not is_internet_address(key_address(packet.src)):
                self.block("IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS", igw, igw, "IGW-05",
                           f"internet gateway {_short(igw)} drops traffic from the private address {_addr(packet.src)}",
                           "private addresses cannot come from the internet; connect that network over VPN, peering "
                           "or a transit gateway")
            owner = self.network.public_owner(packet.dst)
            iface = self.network.interfaces.get(owner) if owner else None
            if iface is None or iface.vpc != vpc_name:
                target = self.network.private_owner_in(vpc_name, packet.dst)
                name = self.network.interfaces[target].name if target else _addr(packet.dst)
                kind = self.network.interfaces[target].owner_kind if target else None
                self.hop(igw, "drop", None, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", f"{_addr(packet.dst)} is not public")
                self.block("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", igw, target or igw, "IGW-04",
                           f"{name} has no public IPv4 address, so nothing on the internet can address it through "
                           f"internet gateway {_short(igw)}",
                           f"nothing on the internet can connect to a {_MANAGED[kind]} interface (AWS gives it no "
                           "public address); put an internet-facing load balancer or API in front of it"
                           if kind in _MANAGED else
                           f"give {name} a public or elastic IP (and a route to the internet gateway), or put it "
                           "behind an internet-facing load balancer")
                return
            private = iface.public_map[packet.dst]
            self.hop(igw, "translate", None, None, f"destination {_addr(packet.dst)} -> {_addr(private)} (IGW-03)")
            packet = replace(packet, dst=private, entered_via="internet", identity=False)
        else:
            owner = self.network.private_owner_in(vpc_name, packet.dst)
            if owner is None:
                self.hop(igw, "drop", None, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "unknown IPv6 address")
                self.block("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", igw, igw, "IGW-04",
                           f"no interface of VPC {vpc_name} has the IPv6 address {_addr(packet.dst)}",
                           "give the interface an IPv6 address from its subnet's IPv6 block")
                return
            self.hop(igw, "forward", None, None, "IPv6: no translation")
            packet = replace(packet, entered_via="internet", identity=False)
        edge = vpc.edge_tables.get(igw)
        if edge is not None and self._edge_route(vpc_name, igw, edge, packet):
            return
        self.deliver_local(vpc_name, packet, None)

    def _edge_route(self, vpc: str, gateway: str, setting: str, packet: Packet) -> bool:
        """Apply an edge-associated (gateway) route table (RT-11); True when it took the packet elsewhere."""
        table = self.network.route_tables.get(setting)
        found = table.lookup(packet.dst) if table else None
        if found is None or found.route.target_kind == "local":
            return False
        route = found.route
        self.hop(setting, "forward" if route.active else "drop", route.text(), None, "gateway route table (RT-11)")
        if not route.active:
            self.block("BAD_STATE_ROUTE", gateway, setting, "RT-10", f"route {route.text()} is a blackhole: {route.reason}",
                       "point the route at a working appliance")
            return True
        if route.target_kind == "vpc_endpoint" and route.target in self.network.inspection_endpoints:
            # Ingress routing to a Gateway Load Balancer or Network Firewall endpoint: the packet goes there
            # first (its subnet's NACL, then the appliance), never straight to the destination.
            self.redirected.append(route.target)
            self.inspection_endpoint(route.target, None, packet)
            return True
        if route.target_kind == "network_interface":
            iface = self.network.interfaces[route.target]
            self.redirected.append(iface.node)
            if gateway.startswith("igw:") and packet.dst[0] == 4 and not iface.public_ips:
                self.block("INGRESS_RTB_NO_PUBLIC_IP", iface.node, setting, "RT-11",
                           f"gateway route table {_short(setting)} sends internet traffic to {iface.name}, which has no "
                           "public IP address", f"give {iface.name} a public or elastic IP address")
            self.middlebox(iface, packet, "")
            return True
        return False

    def vgw_out(self, vpc: str, vgw: str, packet: Packet) -> None:
        """Leave through a VPN gateway to an on-premises network (VGW-02)."""
        if not self.network.vpcs[vpc].contains(packet.src):
            self.hop(vgw, "drop", None, "VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS", "source outside the VPC")
            self.block("VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS", vgw, vgw, "VGW-03",
                       f"VPN gateway {_short(vgw)} only carries traffic from addresses of VPC {vpc}, not from "
                       f"{_addr(packet.src)} (no edge-to-edge routing)", "connect that network to the VPN directly")
            return
        prefixes = self.network.vpn_prefixes.get(vgw, [])
        version, value = packet.dst
        if not prefixes:
            # Nothing in the input says what the VPN connections route (no static routes, no remote CIDRs,
            # BGP not recorded): the route table's route to the VGW is the only word on it.
            self.notes.append(f"the input does not say which networks the VPN connections of {_short(vgw)} reach; "
                              f"vpckit assumed they include {_addr(packet.dst)}, as the route to {_short(vgw)} implies")
        elif not any(c.version == version and int(c.first) <= value <= int(c.last) for c in prefixes):
            known = ", ".join(str(c) for c in prefixes) or "none"
            self.hop(vgw, "drop", None, "NO_ROUTE_TO_DESTINATION", f"no VPN route for {_addr(packet.dst)}")
            self.block("NO_ROUTE_TO_DESTINATION", vgw, vgw, "VGW-01",
                       f"VPN gateway {_short(vgw)} forwards only to the networks of its VPN connections ({known}); "
                       f"{_addr(packet.dst)} is not one of them, so it drops the traffic",
                       f"add {self._peer_cidr(packet.dst)} to the VPN connection's routes (static or BGP), or route "
                       "this destination elsewhere")
            return
        down = self._down_onprem(packet.dst)
        if down is not None:
            self.hop(vgw, "drop", None, "BAD_STATE_VPN", f"the VPN to {down.name} is down")
            self.block("BAD_STATE_VPN", vgw, down.node, "VGW-01",
                       f"every tunnel of the VPN connection to {down.name} is DOWN, so {_short(vgw)} cannot deliver "
                       f"to {_addr(packet.dst)}", "bring a tunnel up (check the customer gateway and its IKE/BGP "
                       "configuration)")
            return
        self.hop(vgw, "forward", None, None, "to the on-premises network over VPN")
        self.used_gateways.append(vgw)
        self.outside(packet, vgw)

    def _down_onprem(self, key: IpKey):
        """The on-premises network holding ``key`` when its VPN is down, else None."""
        version, value = key
        for info in self.network.onprem.values():
            if info.state == "down" and any(c.version == version and int(c.first) <= value <= int(c.last)
                                            for c in info.cidrs):
                return info
        return None

    def vgw_in(self, vpc: str, vgw: str, packet: Packet) -> None:
        """Come in from the VPN: the destination must be a private address of the VPC (VGW-02)."""
        if not self.network.vpcs[vpc].contains(packet.dst):
            self.block("VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", vgw, vgw, "VGW-03",
                       f"{_addr(packet.dst)} is not an address of VPC {vpc}; a VPN gateway delivers only to the VPC's "
                       "own addresses", "send the traffic to a private address of the VPC")
            return
        self.hop(vgw, "forward", None, None, "from the on-premises network")
        packet = replace(packet, entered_via="vpn", identity=False)
        edge = self.network.vpcs[vpc].edge_tables.get(vgw)
        if edge is not None and self._edge_route(vpc, vgw, edge, packet):
            return
        self.deliver_local(vpc, packet, None)

    def outside(self, packet: Packet, via: str) -> None:
        """The packet left AWS towards an on-premises network."""
        node = "onprem"
        for info in self.network.onprem.values():
            if any(int(c.first) <= packet.dst[1] <= int(c.last) and c.version == packet.dst[0] for c in info.cidrs):
                node = info.node
                break
        self.hop(node, "deliver", None, None, f"reaches {_addr(packet.dst)} outside AWS")
        self.arrival = Arrival("onprem", node, packet, via)

    def peering(self, pcx_node: str, vpc: str, packet: Packet) -> None:
        """Cross a peering connection: both addresses must be in the two VPCs' CIDRs (PCX-03/04)."""
        info = self.network.peerings[pcx_node]
        other = info.other(vpc)
        if other is None:
            return
        if not self.network.vpcs[vpc].contains(packet.src) or not self.network.vpcs[other].contains(packet.dst):
            outside = packet.dst if not self.network.vpcs[other].contains(packet.dst) else packet.src
            self.hop(pcx_node, "drop", None, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", f"{_addr(outside)} is outside the peered VPCs")
            self.block("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", pcx_node, self._last_route_table(), "PCX-04",
                       f"peering {info.name} carries only traffic between addresses of VPC {vpc} and VPC {other}; "
                       f"{_addr(outside)} is outside them (peering is not transitive and gives no access to the peer's "
                       "gateways, NAT, VPN or endpoints)",
                       "peer the two VPCs directly, use a transit gateway, or give this VPC its own gateway or endpoint")
            return
        self.hop(pcx_node, "forward", None, None, f"peering {info.name}: {vpc} -> {other}")
        self.used_gateways.append(pcx_node)
        packet = replace(packet, entered_via="peering", identity=packet.identity and info.same_region)
        self.deliver_local(other, packet, None)

    def inspection_endpoint(self, node: str, subnet: SubnetInfo | None, packet: Packet) -> None:
        """A Gateway Load Balancer / Network Firewall endpoint (VPCE-06): the appliance behind it decides.

        The appliance's own rules are not in the input, so the flow is at best ``undetermined``; the walk
        goes on from the endpoint's subnet (where inspected traffic comes back, routed by that subnet's
        route table) so that every setting vpckit *can* check is still checked.
        """
        info = self.network.inspection_endpoints[node]
        if info.state != "available":
            self.hop(node, "drop", None, "BAD_STATE_VPC_ENDPOINT", f"{info.label()} is {info.state}")
            self.block("BAD_STATE_VPC_ENDPOINT", node, node, "RT-10",
                       f"{info.label()} is {info.state}, so it forwards nothing",
                       "wait until the endpoint is available, or route around it")
            return
        if not any(u.component == node for u in self.undetermined):
            self.undetermined.append(Blocker(
                "PATH_THROUGH_GWLB_NOT_CHECKED", node, node, self.direction, "VPCE-06",
                f"{info.label()} hands the traffic to an inspection appliance whose rules are not in the input; "
                "whether it lets the flow through cannot be decided offline",
                "check the appliance's (or Network Firewall policy's) rules for this flow"))
        self.appliances.append(node)
        self.hop(node, "forward", None, "PATH_THROUGH_GWLB_NOT_CHECKED",
                 f"{info.label()}: inspected by an appliance vpckit cannot see")
        self.used_gateways.append(node)
        endpoint_subnet = self.network.subnets.get(info.subnet) if info.subnet else None
        if endpoint_subnet is None:
            self.stopped_undetermined = True
            self.notes.append(f"the path after {info.label()} is unknown: the input does not say which subnet it "
                              "is in, so vpckit stops there")
            return
        if subnet is None or endpoint_subnet.node != subnet.node:
            packet = self.nacl(endpoint_subnet, "ingress", packet)
        self.route_from(endpoint_subnet, packet, None)

    def gateway_endpoint(self, node: str, subnet: SubnetInfo, packet: Packet) -> None:
        """A gateway endpoint: the AWS service answers TCP and ICMP from the VPC itself (VPCE-01..03)."""
        info = self.network.gateway_endpoints.get(node)
        if info is None:
            self.block("UNSUPPORTED_COMPONENT", node, subnet.route_table, "VPCE-06",
                       f"vpckit does not follow packets through {node} (Gateway Load Balancer endpoints)",
                       "check this path by other means")
            return
        if packet.protocol not in (6, 1):
            self.hop(node, "drop", None, "VPCE_GATEWAY_PROTOCOL_RESTRICTION", "only TCP and ICMP")
            self.block("VPCE_GATEWAY_PROTOCOL_RESTRICTION", node, node, "VPCE-03",
                       f"gateway endpoint {info.name} ({info.service}) accepts only TCP and ICMP, not "
                       f"{protocol_name(packet.protocol)}", "use TCP (the service's HTTPS API)")
            return
        if packet.entered_via in ("peering", "vpn", "tgw"):
            self.block("VPCE_GATEWAY_REQUIRES_SOURCE_IN_VPC", node, node, "VPCE-02",
                       f"gateway endpoint {info.name} serves only its own VPC; traffic that came over "
                       f"{packet.entered_via} cannot use it", "use an interface endpoint, which is reachable from "
                       "other networks, or a gateway endpoint in the source's VPC")
            return
        self.hop(node, "deliver", None, None, f"gateway endpoint {info.name} to {info.service}")
        self.used_gateways.append(node)
        self.arrival = Arrival("service", node, packet)

    # ------------------------------------------------------------------ transit gateways

    def tgw_from_vpc(self, tgw_node: str, subnet: SubnetInfo, packet: Packet) -> None:
        """Into a transit gateway from a VPC subnet (TGW-02 AZ rule).

        NACLs as AWS documents them for transit gateways: traffic towards the gateway is checked
        by the sender subnet's outbound rules and the attachment subnet's inbound rules (both, even
        when they are the same subnet); traffic from the gateway by the attachment subnet's
        outbound rules and the receiving subnet's inbound rules, and not at all when the receiver
        is in the attachment's subnet.
        """
        tgw = self.network.transit_gateways[tgw_node]
        attachments = [a for a in tgw.attachments.values() if a.vpc == subnet.vpc]
        attachment = next((a for a in attachments if a.state == "available"), attachments[0] if attachments else None)
        if attachment is None:
            return
        if subnet.az not in attachment.azs:
            self.hop(attachment.node, "drop", None, "TGW_ROUTE_AZ_RESTRICTION", f"no attachment subnet in {subnet.az}")
            self.block("TGW_ROUTE_AZ_RESTRICTION", subnet.node, attachment.node, "TGW-02",
                       f"transit gateway attachment {attachment.name} has no subnet in {subnet.az}, so traffic from "
                       f"subnet {subnet.name} ({subnet.az}) cannot reach transit gateway {tgw.name}",
                       f"add a subnet in {subnet.az} to attachment {attachment.name}")
            return
        eni_subnet = self.network.subnets[attachment.azs[subnet.az]]
        packet = self.nacl(eni_subnet, "ingress", packet)  # also in the same subnet (tgw-nacls)
        self.hop(attachment.node, "forward", None, None, f"into transit gateway {tgw.name}")
        self.used_gateways.append(tgw_node)
        self.tgw_route(tgw_node, attachment.name, packet)

    def tgw_route(self, tgw_node: str, attachment_name: str, packet: Packet) -> None:
        """Look up the attachment's associated TGW route table and leave by the chosen attachment (TGW-03..06)."""
        if not self._tick():
            return
        tgw = self.network.transit_gateways[tgw_node]
        att = tgw.attachments[attachment_name]
        if att.state != "available":
            self.block("BAD_STATE_ATTACHMENT", att.node, att.node, "TGW-03",
                       f"transit gateway attachment {att.name} is {att.state}", "wait for it to become available or recreate it")
            return
        if att.route_table is None:
            self.hop(att.node, "drop", None, "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", "no associated route table")
            self.block("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", att.node, att.node, "TGW-03",
                       f"transit gateway attachment {att.name} is not associated with a route table, so the transit "
                       "gateway has no routes for traffic from it", f"associate {att.name} with a route table of {tgw.name}")
            return
        table = self.network.route_tables.get(att.route_table)
        found = table.lookup(packet.dst) if table else None
        if found is None:
            self.hop(att.route_table, "drop", None, "TGW_RTB_CANNOT_ROUTE", f"no route for {_addr(packet.dst)}")
            self.block("TGW_RTB_CANNOT_ROUTE", att.route_table, att.route_table, "TGW-03",
                       f"transit gateway route table {_short(att.route_table)} (associated with {att.name}) has no route "
                       f"to {_addr(packet.dst)}" + (" for the reply" if self.direction == "return" else ""),
                       f"propagate the destination's attachment into {_short(att.route_table)} or add a static route")
            return
        route = found.route
        if not route.active:
            self.hop(att.route_table, "drop", route.text(), "TGW_RTB_BAD_STATE_ROUTE", "blackhole")
            self.block("TGW_RTB_BAD_STATE_ROUTE", att.route_table, att.route_table, "TGW-04",
                       f"transit gateway route table {_short(att.route_table)} drops {_addr(packet.dst)}: route "
                       f"{route.text()} is a blackhole ({route.reason})",
                       f"remove the blackhole route for {route.network.cidr} or point it at an attachment")
            return
        self.hop(att.route_table, "forward", route.text(), None, f"transit gateway {tgw.name}")
        out = next(a for a in tgw.attachments.values() if a.node == route.target)
        if not (att.security_group_referencing and out.security_group_referencing):
            packet = replace(packet, identity=False)
        if out.type == "vpc" and out.vpc:
            if not out.azs:
                self.block("BAD_STATE_ATTACHMENT", out.node, out.node, "TGW-02",
                           f"attachment {out.name} has no subnets", "add a subnet per AZ to the attachment")
                return
            az = packet.az if packet.az in out.azs else sorted(out.azs)[0]
            if self.direction == "return" and out.appliance_mode and out.node in self.tgw_azs:
                az = self.tgw_azs[out.node]  # appliance mode: the reply takes the request's AZ (one appliance)
            elif self.direction == "forward":
                self.tgw_azs.setdefault(out.node, az)
            subnet = self.network.subnets[out.azs[az]]
            eni = self.network.interfaces.get(out.interfaces.get(az, ""))
            self.hop(out.node, "forward", None, None, f"out of transit gateway {tgw.name} into VPC {out.vpc} ({az})")
            self.route_from(subnet, replace(packet, entered_via="tgw", az=az), eni)
        elif out.type in ("vpn", "direct-connect-gateway"):
            down = self._down_onprem(packet.dst) if out.type == "vpn" else None
            if down is not None:  # as at a VPN gateway: a VPN whose tunnels are all DOWN carries nothing (VGW-01)
                self.hop(out.node, "drop", None, "BAD_STATE_VPN", f"the VPN to {down.name} is down")
                self.block("BAD_STATE_VPN", out.node, down.node, "VGW-01",
                           f"every tunnel of the VPN connection to {down.name} is DOWN, so transit gateway {tgw.name} "
                           f"cannot deliver to {_addr(packet.dst)} over attachment {out.name}",
                           "bring a tunnel up (check the customer gateway and its IKE/BGP configuration)")
                return
            self.hop(out.node, "forward", None, None, f"out of transit gateway {tgw.name} over {out.type}")
            self.outside(packet, out.node)
        elif out.type == "peering":
            self._tgw_peering(tgw, out, packet)
        else:
            # Connect attachments carry GRE tunnels and BGP to appliances whose routes are not in the input.
            self.hop(out.node, "forward", None, "PATH_THROUGH_TGW_CONNECT_NOT_CHECKED",
                     f"out of transit gateway {tgw.name} over {out.type} attachment {out.name}")
            self._undetermined(out.node, "PATH_THROUGH_TGW_CONNECT_NOT_CHECKED", "TGW-01",
                               f"transit gateway {tgw.name} sends the traffic over {out.type} attachment {out.name}, to "
                               "an appliance whose tunnels and BGP routes are not in the input",
                               "check the appliance behind the Connect attachment for this flow")

    def _tgw_peering(self, tgw, out, packet: Packet) -> None:
        """Over a peering attachment into the peer transit gateway's route table for it (static routes only)."""
        peer = self.network.transit_gateways.get(out.peer or "")
        mine = tgw.node
        back = next((a for a in peer.attachments.values() if a.type == "peering" and (a.peer == mine or a.name == out.name)),
                    None) if peer else None
        if peer is None or back is None:
            self.hop(out.node, "forward", None, "PATH_THROUGH_TGW_PEERING_NOT_CHECKED",
                     f"over peering attachment {out.name} to a transit gateway not in the input")
            self._undetermined(out.node, "PATH_THROUGH_TGW_PEERING_NOT_CHECKED", "TGW-01",
                               f"peering attachment {out.name} of transit gateway {tgw.name} leads to a transit gateway "
                               "whose route tables are not in the input", "add the peer transit gateway to the input")
            return
        self.hop(out.node, "forward", None, None, f"over peering attachment {out.name} to transit gateway {peer.name}")
        self.used_gateways.append(peer.node)
        self.tgw_route(peer.node, back.name, replace(packet, identity=False, az=None))

    def _undetermined(self, node: str, code: str, semantics: str, message: str, fix: str) -> None:
        """The path goes on where vpckit cannot follow: the answer is undetermined, never silently reachable."""
        self.undetermined.append(Blocker(code, node, node, self.direction, semantics, message, fix))
        self.stopped_undetermined = True


# A set question walks the same NACL and groups with the same packet for many pairs (every source of one
# subnet, every destination behind one gateway): their decisions, and the text of the rules that made them,
# are kept on the compiled NACL or group, per packet. Bounded, so a long batch does not grow without end.
_DECISIONS_KEPT = 50_000


def _remembered(owner: Any, key: tuple, decide: Callable[[], Any]) -> Any:
    """``decide()`` for ``key``, kept on the compiled ``owner`` (a NACL or group) and reused while it is there."""
    memo = owner.__dict__.setdefault("_decisions", {})
    found = memo.get(key)
    if found is None:
        if len(memo) >= _DECISIONS_KEPT:
            memo.clear()
        found = memo[key] = decide()
    return found


def _packet_key(direction: str, packet: Packet, peer: IpKey) -> tuple:
    return direction, packet.protocol, peer, None if packet.ports is None else tuple(packet.ports), packet.icmp


def _nacl_decision(nacl, direction: str, packet: Packet, peer: IpKey) -> tuple[list, list, list, str]:
    """``(pieces, allowed, denied, rules text)`` of a NACL direction for a packet (first match, NACL-03)."""
    def decide() -> tuple[list, list, list, str]:
        pieces = nacl.evaluate(direction, packet.protocol, peer, packet.ports, packet.icmp)
        rules = "; ".join(
            (p.entry.text(direction) if p.entry else "* deny (implicit)")
            + (f" [ports {ports_text(p.ports)}]" if p.ports is not None and len(pieces) > 1 else "")
            for p in pieces
        )
        return pieces, [p for p in pieces if p.action == "allow"], [p for p in pieces if p.action == "deny"], rules

    return _remembered(nacl, _packet_key(direction, packet, peer), decide)


def _group_decision(group, direction: str, packet: Packet, peer: IpKey) -> tuple[Ports | None, list[str], bool]:
    """``(ports allowed, texts of the rules that allow them, all allowed)`` of one group for a packet (SG-01)."""
    def decide() -> tuple[Ports | None, list[str], bool]:
        got, rules, full = group.allowed(direction, packet.protocol, peer, packet.ports, packet.icmp, packet.identity)
        return got, [f"{group.name}: {r.text(direction)}" for r in rules], full

    return _remembered(group, (*_packet_key(direction, packet, peer), packet.identity), decide)
