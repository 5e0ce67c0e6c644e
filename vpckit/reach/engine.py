"""Answering a query: resolve both ends, walk forward and back, decide the verdict."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator

from ..errors import QueryError
from ..model.types import PortRange, looks_like_address, protocol_name
from ..network.addressing import INTERNET6_HOST, Interface, ip_key
from ..network.build import Endpoint, Network
from ..network.filters import Ports, ports_text, subtract, union
from .answer import Answer, Blocker, Hop
from .query import Query
from .walk import Arrival, Leg, Packet

__all__ = ["answer", "candidate_answers", "best_answer", "address_families", "default_client_ports"]

_EPHEMERAL = {"linux": (32768, 60999), "windows": (49152, 65535)}
_WIDE = (1024, 65535)
#: AWS addresses that answer without NACL or SG filtering (NACL-12), with the ports they answer on.
_AWS_SERVICES = {
    "169.254.169.254": ("the instance metadata service", {6: [(80, 80)]}),
    "169.254.169.253": ("the Amazon DNS resolver", {6: [(53, 53)], 17: [(53, 53)]}),
    "169.254.169.123": ("the Amazon Time Sync Service", {17: [(123, 123)]}),
}
_MAX_CANDIDATES = 16


def default_client_ports(network: Network, endpoint: Endpoint, iface: Interface | None = None) -> tuple[int, int]:
    """The client's ephemeral source ports by who the client is (aws-semantics §1.7).

    Linux 32768-60999, Windows 49152-65535; NAT gateways, load balancers, Lambda and
    anything outside AWS 1024-65535.

    >>> from vpckit.network.build import Endpoint
    >>> default_client_ports(None, Endpoint("internet", "internet", "internet"))
    (1024, 65535)
    """
    if iface is None:
        return _WIDE
    if iface.owner_kind in ("nat_gateway", "load_balancer", "lambda"):
        return _WIDE
    return _EPHEMERAL.get(iface.os or "linux", _WIDE)


def reach(network: "Network | Any", query: "Query | dict[str, Any] | None" = None, **keys: Any) -> Answer:
    """Can ``query``'s source reach its destination? ``network`` is a built network, a design or the path of
    an input; ``query`` a :class:`Query`, a mapping with the keys of an expectation (``from``, ``to``,
    ``protocol``, ``port``, ``icmp_type``...), or those keys given as keyword arguments (``from_`` for
    ``from``).

    >>> result = reach("designs/three-tier.yaml", {"from": "internet", "to": "orders-db", "port": 5432})
    >>> result.verdict, [b.code for b in result.blockers]
    ('unreachable', ['IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS'])
    >>> reach("designs/three-tier.yaml", from_="app-1", to="orders-db", port=5432).verdict
    'reachable'
    """
    from ..network.inputs import as_network
    from .query import parse_query

    if "from_" in keys:
        keys["from"] = keys.pop("from_")
    if query is None:
        query = parse_query(keys)
    elif keys:
        raise QueryError("reach(): give the query as a Query, a mapping or keyword arguments, not two of them")
    elif isinstance(query, dict):
        query = parse_query(query)
    elif not isinstance(query, Query):
        raise QueryError(f"reach() expected a Query or a mapping with from/to/protocol/port, got {type(query).__name__}")
    return answer(as_network(network, "reach()"), query)


def answer(network: Network, query: Query, family: int | None = None) -> Answer:
    """Answer a reachability query on a built network.

    Raises :class:`~vpckit.errors.QueryError` when an endpoint is unknown or the question
    makes no sense (e.g. both ends outside the network). ``family`` (4 or 6) asks over that
    address family; by default it follows the query (ICMPv6, an IPv6 address, ``internet6``).

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> from vpckit.reach import parse_query
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}, "b": {"az": "us-east-1b", "cidr": "10.0.2.0/24"}},
    ...     "instances": {"x": {"subnet": "a"}, "y": {"subnet": "b"}}}}}))
    >>> answer(net, parse_query({"from": "x", "to": "y", "port": 22})).verdict
    'reachable'
    """
    results: list[Answer] = []
    for result in candidate_answers(network, query, family):
        if result.verdict == "reachable":
            return _named(network, result)
        results.append(result)
    return _named(network, best_answer(results))


def _named(network: Network, result: Answer) -> Answer:
    """The answer with the Name tags of the components it names (what people call them, beside the ids)."""
    names = network.display_names
    if names:
        parts = {c for hop in (*result.forward, *result.return_path) for c in (hop.component,)}
        parts |= {part for blocker in result.blockers for part in (blocker.component, *blocker.setting.split(","))}
        result.names = {part: names[part] for part in sorted(parts) if part in names}
    return result


def best_answer(results: list[Answer]) -> Answer:
    """The answer given when several interfaces could be an end: the first with the best verdict.

    >>> from vpckit.reach import parse_query
    >>> q = parse_query({"from": "a", "to": "b", "port": 22})
    >>> best_answer([Answer(q, "unreachable"), Answer(q, "partial"), Answer(q, "partial")]).verdict
    'partial'
    """
    return min(results, key=lambda r: _VERDICT_RANK.get(r.verdict, 9))


def candidate_answers(network: Network, query: Query, family: int | None = None) -> Iterator[Answer]:
    """The answer for each pair of interfaces that could be the two ends, in the order :func:`answer` tries them.

    An endpoint with several interfaces (a load balancer in several subnets, an instance with two
    ENIs) is tried interface by interface; :func:`answer` stops at the first ``reachable`` one.
    """
    source = network.resolve_endpoint(query.source)
    destination = network.resolve_endpoint(query.destination)
    if family is None:
        family = 6 if (query.protocol == 58 or any(
            e.address is not None and e.address.version == 6 and e.text not in ("internet",)
            for e in (source, destination))) else 4
    if source.kind in ("internet", "onprem") and destination.kind in ("internet", "onprem"):
        raise QueryError(f"both {query.source!r} and {query.destination!r} are outside the network; "
                         "at least one end must be in the design")
    if source.kind in ("unowned", "aws_service", "unheld"):
        raise QueryError(f"nothing in the design has the address {query.source!r}, so nothing sends from it")
    unheld = None
    if destination.kind == "unheld":
        # An address of the account that no live resource holds: the packet goes where the internet would take it.
        unheld = network.account_addresses[ip_key(destination.address)]
        destination = Endpoint("internet", "internet", destination.text, destination.address)
    sources = _interfaces_of(network, source)
    targets = _interfaces_of(network, destination)
    count = 0
    for src_iface in sources[:_MAX_CANDIDATES]:
        for dst_iface in targets[:_MAX_CANDIDATES]:
            yield _answer_pair(network, query, source, destination, src_iface, dst_iface, family, unheld)
            count += 1
            if count >= _MAX_CANDIDATES:
                break


def address_families(network: Network, query: Query) -> list[int]:
    """The IP versions (4, 6) in which both ends of the query have an address.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> from vpckit.reach import parse_query
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}}, "instances": {"x": {"subnet": "a"}}}}}))
    >>> address_families(net, parse_query({"from": "internet", "to": "x", "port": 22}))
    [4]
    """
    ends = [_families_of(network, network.resolve_endpoint(text)) for text in (query.source, query.destination)]
    return [f for f in (4, 6) if all(f in end for end in ends)]


def _families_of(network: Network, endpoint: Endpoint) -> set[int]:
    if endpoint.kind == "internet" and not looks_like_address(endpoint.text):
        return {6} if endpoint.text == "internet6" else {4, 6}
    if endpoint.kind in ("subnet", "interface", "nat_gateway", "load_balancer"):
        found: set[int] = set()
        for iface in _interfaces_of(network, endpoint):
            if iface is None:
                continue
            if iface.private_ips or iface.public_ips:
                found.add(4)
            if iface.ipv6:
                found.add(6)
        if looks_like_address(endpoint.text) and endpoint.address is not None:
            found &= {endpoint.address.version}
        return found
    return {endpoint.address.version} if endpoint.address is not None else set()


#: Which answer to give when several interfaces could be the end: the best verdict wins.
_VERDICT_RANK = {"reachable": 0, "partial": 1, "undetermined": 2, "unreachable": 3}


def _interfaces_of(network: Network, endpoint: Endpoint) -> list[Interface | None]:
    """The interfaces that can be an end (a subnet's stand-in host); ``[None]`` for an outside end."""
    if endpoint.kind == "subnet":
        return [network.subnet_host(endpoint.node)]
    if endpoint.kind in ("interface", "nat_gateway", "load_balancer"):
        return [network.interfaces[n] for n in (endpoint.interfaces or (endpoint.node,)) if n in network.interfaces] or [None]
    return [None]


def _address(iface: Interface, family: int, public: bool, text_address) -> tuple[int, int] | None:
    if text_address is not None and iface.node and (
        text_address in iface.private_ips or text_address in iface.public_ips or text_address in iface.ipv6):
        return ip_key(text_address)
    if family == 6:
        return ip_key(iface.ipv6[0]) if iface.ipv6 else None
    if public and iface.public_ips:
        return ip_key(iface.public_ips[0])
    return ip_key(iface.primary_ip) if iface.primary_ip is not None else None


def _answer_pair(network: Network, query: Query, source: Endpoint, destination: Endpoint,
                 src_iface: Interface | None, dst_iface: Interface | None, family: int,
                 unheld: tuple[str, bool] | None = None, preserved: tuple | None = None) -> Answer:
    result = Answer(query, "unreachable", source=src_iface.node if src_iface else source.node,
                    destination=dst_iface.node if dst_iface else destination.node)
    forward = Leg(network, "forward")
    hosts = {}
    for endpoint, iface in ((source, src_iface), (destination, dst_iface)):
        if endpoint.kind == "subnet" and iface is not None:
            hosts[ip_key(iface.primary_ip)] = iface
            result.notes.append(f"subnet {iface.owner} stands for {iface.name} at {iface.primary_ip} without security "
                                "groups: only routes and NACLs are checked for it")
    forward.hosts = hosts
    # ---- addresses
    given_src = source.address if looks_like_address(source.text) else None
    given_dst = destination.address if looks_like_address(destination.text) else None
    if src_iface is not None:
        src_key = _address(src_iface, family, False, given_src)
        if src_key is None:
            raise QueryError(f"{query.source} has no IPv{family} address")
    else:
        address = source.address
        if family == 6 and address is not None and address.version == 4:
            address = INTERNET6_HOST
        src_key = ip_key(address)
    if dst_iface is not None:
        # Only an internet host uses the public address (it exists only at the internet gateway, IGW-03);
        # from on premises (VPN, Direct Connect) or a peer the path carries the private one.
        dst_key = _address(dst_iface, family, source.kind == "internet", given_dst)
        if dst_key is None:
            raise QueryError(f"{query.destination} has no IPv{family} address")
    else:
        dst_key = ip_key(destination.address)
    ports: Ports | None = [(query.port.low, query.port.high)] if query.port is not None else None
    if query.protocol not in (6, 17):
        ports = None
    client = query.client_ports
    if client is not None:
        client_ports = (client.low, client.high)
    else:
        client_ports = default_client_ports(network, source, src_iface)
    sports: Ports | None = [client_ports] if ports is not None else None
    if preserved is not None:  # a network load balancer hands the target the client's address and ports
        src_key, sports = preserved[0], (preserved[1] if ports is not None else None)
    packet = Packet(query.protocol, src_key, dst_key, ports, sports, query.icmp, identity=preserved is None)

    # ---- special destinations
    if destination.kind == "aws_service":
        return _aws_service(network, query, result, source, src_iface, destination, packet)

    # ---- forward leg
    if src_iface is not None:
        if src_iface.owner_kind == "vpc_endpoint":
            forward.block("VPCE_INTRA_VPC_TRAFFIC", src_iface.node, src_iface.node, "VPCE-04",
                          f"interface endpoint {src_iface.owner} only answers connections; it cannot start one",
                          "start the connection from a client towards the endpoint instead")
            return _finish(result, forward, None)
        if src_iface.owner_kind == "nat_gateway":
            forward.block("NO_PATH", src_iface.node, src_iface.node, "NAT-03",
                          f"NAT gateway {src_iface.owner} only translates connections of others; it starts none",
                          "start the connection from an instance behind the NAT gateway")
            return _finish(result, forward, None)
        if src_iface.owner_kind == "transit_gateway":
            raise QueryError(f"{query.source} is a transit gateway attachment interface; it starts no connections")
        forward.from_interface(src_iface, packet)
    elif source.kind == "gateway_endpoint":
        forward.block("VPCE_INTRA_VPC_TRAFFIC", source.node, source.node, "VPCE-04",
                      "a gateway endpoint's service does not start connections into the VPC",
                      "start the connection from inside the VPC")
        return _finish(result, forward, None)
    elif source.kind == "internet":
        vpc = _destination_vpc(network, destination, dst_iface, dst_key)
        forward.hop("internet", "forward", None, None, f"from {source.text} ({source.address if family == 4 else INTERNET6_HOST})")
        if vpc is None:
            raise QueryError(f"{query.destination!r} is not in any VPC of the design")
        if family == 4 and network.public_owner(dst_key) is not None:
            vpc = network.interfaces[network.public_owner(dst_key)].vpc
        forward.igw_in(vpc, packet)
    elif source.kind == "onprem":
        _from_onprem(network, forward, source, destination, dst_iface, packet)

    # ---- what answers at the destination
    if unheld is not None and forward.arrival is not None and forward.arrival.kind == "internet":
        _unheld_address(forward, destination, *unheld)
        return _finish(result, forward, None)
    accepted = _accept(network, query, forward, destination, dst_iface)
    if forward.arrival is None or not accepted:
        return _finish(result, forward, None)

    # ---- return leg
    if preserved is not None and src_iface is not None:
        return _finish(result, forward, _preserved_reply(network, forward, src_iface, query))
    back = Leg(network, "return", translations=forward.translations, matched=forward.matched, hosts=hosts,
               tgw_azs=forward.tgw_azs)
    reply_icmp = None
    if query.icmp is not None:
        kind, code = query.icmp
        if (query.protocol, kind) not in ((1, 8), (58, 128)):
            result.notes.append("only echo requests get a reply; the return leg is not checked for other ICMP types")
            return _finish(result, forward, None)
        reply_icmp = (0 if query.protocol == 1 else 129, code)
    arrived = forward.arrival.packet
    reply = Packet(query.protocol, arrived.dst, arrived.src, arrived.sports, arrived.ports, reply_icmp,
                   identity=False, az=None)
    _start_reply(network, back, forward, reply)
    _check_return_arrival(network, back, source, src_iface, packet)
    _check_redirection(back, forward)

    # ---- load balancer targets
    target_hops: tuple[list[Hop], list[Hop]] | None = None
    if dst_iface is not None and dst_iface.owner_kind == "load_balancer":
        target_hops = _load_balancer_targets(network, query, forward, dst_iface)
    return _finish(result, forward, back, target_hops)


def _unheld_address(leg: Leg, destination: Endpoint, what: str, released: bool) -> None:
    """The packet reached the internet towards an address of the account that no live resource holds."""
    address = str(destination.address)
    if released:
        leg.undetermined.append(Blocker(
            "RELEASED_ADDRESS", f"eip:{address}", f"eip:{address}", "forward", "EIP",
            f"{address} was {what}, released to AWS when that resource was deleted; whoever holds it now is not "
            "in the input", "ask about the resource that holds the address now, or drop the stale reference to it"))
        return
    leg.block("NO_POSSIBLE_DESTINATION", f"eip:{address}", f"eip:{address}", "EIP",
              f"{address} is {what}, allocated to the account but associated with nothing, so nothing answers at it",
              "associate the elastic IP with the resource that should answer, or use that resource's address")


def _destination_vpc(network: Network, destination: Endpoint, dst_iface: Interface | None, dst_key) -> str | None:
    if dst_iface is not None:
        return dst_iface.vpc
    if destination.vpc:
        return destination.vpc
    return network.vpc_containing(dst_key)


def _from_onprem(network: Network, leg: Leg, source: Endpoint, destination: Endpoint, dst_iface, packet: Packet) -> None:
    vpc = _destination_vpc(network, destination, dst_iface, packet.dst)
    info = network.onprem.get(source.node)
    if info is not None and info.state == "down":
        leg.hop(source.node, "drop", None, "BAD_STATE_VPN", f"the VPN to {info.name} is down")
        leg.block("BAD_STATE_VPN", source.node, source.node, "VGW-01",
                  f"every tunnel of the VPN connection to {info.name} is DOWN, so nothing from {source.text} reaches AWS",
                  "bring a tunnel up (check the customer gateway and its IKE/BGP configuration)")
        return
    leg.hop(source.node, "forward", None, None, f"from {source.text}")
    via = info.via if info else None
    for tgw in network.transit_gateways.values():
        for att in tgw.attachments.values():
            if att.type in ("vpn", "direct-connect-gateway") and (
                (via and via in (att.name, att.node)) or any(
                    c.version == packet.src[0] and int(c.first) <= packet.src[1] <= int(c.last) for c in att.remote_cidrs)):
                leg.hop(att.node, "forward", None, None, f"into transit gateway {tgw.name}")
                leg.tgw_route(tgw.node, att.name, replace(packet, entered_via="vpn"))
                return
    if vpc is not None:
        design_vpc = network.design.vpcs[vpc]
        for vgw in network.vpcs[vpc].vpn_gateways:
            name = vgw.split("/", 1)[1]
            model = design_vpc.vpn_gateways[name]
            if (via and via in (name, model.id)) or any(packet.src[1] in range(int(c.first), int(c.last) + 1)
                                                        for c in model.remote_cidrs if c.version == packet.src[0]) or not via:
                leg.vgw_in(vpc, vgw, packet)
                return
    leg.block("NO_PATH", source.node, source.node, "VGW-01",
              f"no VPN gateway or transit gateway VPN attachment leads from {source.text} to VPC {vpc}",
              "attach a VPN gateway to the VPC (or a VPN attachment to its transit gateway)")


def _accept(network: Network, query: Query, leg: Leg, destination: Endpoint, dst_iface: Interface | None) -> bool:
    """Does the thing that received the packet answer it (NAT-03, listeners, endpoint ports)?"""
    arrival = leg.arrival
    if arrival is None:
        return False
    if arrival.kind != "interface":
        return True
    iface = network.interfaces.get(arrival.node) or _host(leg, arrival.node)
    by_address = looks_like_address(destination.text) and arrival.packet.dst in iface.own_keys()
    if dst_iface is not None and iface.node != dst_iface.node and not by_address:
        leg.block("WRONG_DESTINATION", iface.node, iface.node, "PCX-06",
                  f"the packet is delivered to {iface.name}, not to {dst_iface.name} (overlapping addresses or a more "
                  "specific route lead elsewhere)", "use distinct address ranges or a more specific route")
        return False
    if iface.owner_kind == "nat_gateway":
        leg.block("NAT_GATEWAY_NOT_A_DESTINATION", iface.node, iface.node, "NAT-03",
                  f"NAT gateway {iface.owner} accepts no connections and answers no ping; it only translates "
                  "connections started behind it", "connect to the instances behind the NAT gateway some other way")
        return False
    if iface.owner_kind == "transit_gateway":
        leg.block("NO_POSSIBLE_DESTINATION", iface.node, iface.node, "TGW-01",
                  f"{iface.name} is a transit gateway attachment interface; it answers nothing",
                  "address a resource behind the transit gateway")
        return False
    if iface.owner_kind == "vpc_endpoint":
        served = [(p.low, p.high) for p in iface.ports]
        wanted = _query_ports(query)
        refused = subtract(wanted, served) if query.protocol == 6 and wanted is not None else None
        if refused is None or refused:
            # Only the refused ports are blocked: each blocker states exactly the ports it concerns.
            accepted_some = refused is not None and refused != wanted
            leg.block("VPCE_SERVICE_PORT_RESTRICTION", iface.node, iface.node, "VPCE-04",
                      f"interface endpoint {iface.owner} answers only tcp {ports_text(served)}, not "
                      f"{protocol_name(query.protocol)} {ports_text(refused) if refused else ''}".rstrip(),
                      f"connect to tcp {ports_text(served)}", refused if accepted_some else None)
            return accepted_some
    if iface.owner_kind == "load_balancer":
        lb = network.load_balancers[f"lb:{iface.vpc}/{iface.owner}"]
        listeners = _listeners(lb, query)
        wanted = _query_ports(query) or []
        unheard = subtract(wanted, [(port, port) for _, port, _ in listeners])
        if unheard:
            leg.block("ELBV2_LISTENER_PORT_RESTRICTION", iface.node, lb.node, "ELB",
                      f"load balancer {lb.name} has no {protocol_name(query.protocol)} listener on "
                      f"{ports_text(unheard) if unheard else 'that port'} (listeners: "
                      f"{', '.join(f'{p} {n}' for p, n, _ in lb.listeners) or 'none'})",
                      f"add a listener on {ports_text(unheard) if unheard else 'the port'} or connect to a "
                      "listener's port", unheard if listeners else None)
            return bool(listeners)
    return True


def _query_ports(query: Query) -> Ports | None:
    """The destination ports a tcp/udp query asks about, else None."""
    if query.port is None or query.protocol not in (6, 17):
        return None
    return [(query.port.low, query.port.high)]


#: The IP protocols each load-balancer listener protocol carries.
LISTENER_PROTOCOLS = {"HTTP": (6,), "HTTPS": (6,), "TCP": (6,), "TLS": (6,), "UDP": (17,), "TCP_UDP": (6, 17)}


def _listeners(lb, query: Query) -> list[tuple[str, int, str | None]]:
    """The load balancer's listeners for the query's protocol on the query's ports, by port."""
    if query.port is None:
        return []
    return sorted((listener for listener in lb.listeners
                   if query.protocol in LISTENER_PROTOCOLS[listener[0]]
                   and query.port.low <= listener[1] <= query.port.high), key=lambda listener: listener[1])


def _start_reply(network: Network, back: Leg, forward: Leg, reply: Packet) -> None:
    arrival = forward.arrival
    if arrival.kind == "interface":
        back.from_interface(network.interfaces.get(arrival.node) or _host(forward, arrival.node), reply)
    elif arrival.kind == "internet":
        back.hop("internet", "forward", None, None, "the outside host replies")
        if reply.dst[0] == 4:
            owner = network.public_owner(reply.dst)
        else:
            owner = network.private_owner(reply.dst)
        if owner is None:
            back.block("NO_PATH", "internet", "internet", "IGW-04",
                       "the reply is addressed to an address nothing on the internet can route back",
                       "use a public address for traffic to the internet")
            return
        vpc = network.interfaces[owner].vpc
        eigw = network.vpcs[vpc].egress_only_gateway
        if reply.dst[0] == 6 and eigw is not None and eigw in forward.used_gateways:
            # The connection left through the egress-only gateway, which lets its replies back in (IGW-07);
            # no internet gateway is needed, and one that exists does not carry them.
            back.eigw_in(vpc, eigw, reply)
        else:
            back.igw_in(vpc, reply)
    elif arrival.kind == "onprem":
        via = arrival.via or ""
        back.hop(arrival.node, "forward", None, None, "the on-premises host replies")
        if via.startswith("vgw:"):
            back.vgw_in(via[4:].split("/", 1)[0], via, reply)
        elif via.startswith("tgw-attach:"):
            tgw_name, att = via[len("tgw-attach:"):].split("/", 1)
            back.tgw_route(f"tgw:{tgw_name}", att, reply)
    elif arrival.kind == "service":
        info = network.gateway_endpoints[arrival.node]
        back.hop(arrival.node, "forward", None, None, f"{info.service} replies through gateway endpoint {info.name}")
        back.deliver_local(info.vpc, replace(reply, entered_via="service"), None)


def _preserved_reply(network: Network, forward: Leg, lb_iface: Interface, query: Query) -> Leg:
    """The target's reply to a client whose address the network load balancer preserved.

    It is addressed to the client, but the load balancer carries it back (the flow is its own): the
    target subnet's outbound NACL and the load balancer subnet's inbound NACL see it.
    """
    back = Leg(network, "return", matched=forward.matched)
    arrived = forward.arrival.packet
    target = network.interfaces.get(forward.arrival.node)
    reply = Packet(query.protocol, arrived.dst, arrived.src, arrived.sports, arrived.ports, None, identity=False)
    back.hop(forward.arrival.node, "forward", None, None, "the target replies to the client's own address")
    if target is not None and target.subnet != lb_iface.subnet:
        reply = back.nacl(network.subnets[target.subnet], "egress", reply)
        back.nacl(network.subnets[lb_iface.subnet], "ingress", reply)
    back.hop(lb_iface.node, "deliver", None, None, "the network load balancer carries the reply back to the client")
    back.arrival = Arrival("interface", lb_iface.node, reply)
    return back


def _check_redirection(back: Leg, forward: Leg) -> None:
    """A request that a gateway route table sent through an appliance must come back through it (RT-11).

    When the reply leaves by the destination subnet's own routes without passing the appliance, the
    flow is asymmetric through a middlebox: a stateful appliance (a firewall, Network Firewall, a GWLB
    appliance) drops the reply; whether this one keeps state is not in the input.
    """
    if back.arrival is None:
        return
    passed = {hop.component for hop in back.hops}
    other = [node for node in back.appliances if node not in forward.appliances]
    missed = [node for node in forward.appliances if node not in passed and node not in forward.redirected]
    if missed and other:
        # e.g. a transit gateway without appliance mode keeps each direction in its source's AZ: the reply goes
        # through another AZ's appliance, which has no state for the flow
        tgw = [att for att in forward.tgw_azs if not _appliance_mode(back.network, att)]
        forward.undetermined.append(Blocker(
            "ASYMMETRIC_APPLIANCE_PATH", missed[0], missed[0], "return", "TGW-08",
            f"the request goes through appliance {missed[0]} but the reply through {other[0]}: a stateful appliance "
            "drops a reply it did not see the request of",
            (f"enable appliance mode on the transit gateway attachment of the inspection VPC ({tgw[0]}), so that both "
             "directions of a flow use one appliance" if tgw else
             f"route the reply back through {missed[0]}")))
    for node in forward.redirected:
        if node in passed:
            continue
        forward.undetermined.append(Blocker(
            "INGRESS_RTB_TRAFFIC_REDIRECTION", node, node, "return", "RT-11",
            f"a gateway route table sends the request through {node}, but the reply leaves by the destination "
            "subnet's own routes without passing it: asymmetric routing through a middlebox, which a stateful "
            "appliance drops", f"route the destination subnet's replies (0.0.0.0/0, ::/0) to {node} as well"))


def _appliance_mode(network: Network, attachment: str) -> bool:
    return any(att.appliance_mode for tgw in network.transit_gateways.values() for att in tgw.attachments.values()
               if att.node == attachment)


def _check_return_arrival(network: Network, back: Leg, source: Endpoint, src_iface: Interface | None,
                          original: Packet) -> None:
    arrival = back.arrival
    if arrival is None:
        return
    if src_iface is not None:
        received = network.interfaces.get(arrival.node) or _host(back, arrival.node)
        if arrival.kind != "interface" or arrival.packet.dst not in received.own_keys() or (
                arrival.node != src_iface.node):
            where = arrival.node
            back.block("ASYMMETRIC_RETURN", where, where, "PCX-06",
                       f"the reply is delivered to {where}, not to the client {src_iface.name}",
                       "make the reply's route lead back to the client (overlapping CIDRs or asymmetric routes)")
        return
    if arrival.kind in ("internet", "onprem") and arrival.packet.src != original.dst and source.kind == "internet":
        back.block("ASYMMETRIC_RETURN", arrival.node, arrival.node, "IGW-03",
                   "the reply reaches the client from a different public address than it connected to, so the "
                   "client drops it", "route replies back through the same gateway the request came in by")


def _load_balancer_targets(network: Network, query: Query, forward: Leg, node_iface: Interface):
    """The flow continues from the load balancer to its targets: a leg per listener that must itself be reachable.

    A listener whose targets cannot be reached blocks exactly its own port; the hops shown are those
    of the first listener that reaches its targets (else of the first listener).
    """
    lb = network.load_balancers[f"lb:{node_iface.vpc}/{node_iface.owner}"]
    shown: tuple[list[Hop], list[Hop]] | None = None
    for listener in _listeners(lb, query):
        hops, reached = _listener_targets(network, forward, lb, node_iface, listener)
        if hops is not None and (shown is None or reached):
            shown = hops
            if reached:
                break
    return shown


def _listener_targets(network: Network, forward: Leg, lb, node_iface: Interface,
                      listener: tuple[str, int, str | None]) -> tuple[tuple[list[Hop], list[Hop]] | None, bool]:
    """Follow one listener to its target group's targets; block the listener's port when none is reached."""
    protocol, port, group_name = listener
    own = [(port, port)]
    if group_name is None or group_name not in lb.target_groups:
        forward.block("ELBV2_LISTENER_HAS_NO_TG", lb.node, lb.node, "ELB",
                      f"listener {protocol} {port} of load balancer {lb.name} forwards to no target group",
                      "give the listener a target group with targets", own)
        return None, False
    tg_protocol, tg_port, targets = lb.target_groups[group_name]
    if not targets:
        forward.block("NO_POSSIBLE_DESTINATION", lb.node, f"tg:{lb.vpc}/{group_name}", "ELB",
                      f"target group {group_name} (listener {protocol} {port}) of load balancer {lb.name} has no "
                      "targets", "register targets in the target group", own)
        return None, False
    proto = 17 if tg_protocol == "UDP" else 6
    handoff = Hop(lb.node, "lb", "forward", "forward", f"listener {protocol} {port} -> target group "
                  f"{group_name} ({tg_protocol} {tg_port})", None, f"load balancer {lb.name} opens a connection to a target")
    client = (forward.arrival.packet.src, forward.arrival.packet.sports) if forward.arrival is not None else None
    sub_results: list[Answer] = []
    zones = enabled_zones(network, lb)
    for target in targets:
        text = target if "/" in target or _is_address(target) else f"{lb.vpc}/{target}"
        try:
            network.resolve_endpoint(text)
        except QueryError:
            text = target
        sub_query = Query(source=node_iface.node, destination=text, protocol=proto,
                          port=PortRange(low=tg_port, high=tg_port), client_ports=PortRange(low=1024, high=65535))
        outside = target_outside_zones(network, text, zones)
        if outside is not None:
            # "If you register targets in an Availability Zone but do not enable the Availability Zone, these
            # registered targets do not receive traffic from the load balancer" (ELB user guide).
            skipped = Answer(sub_query, "unreachable")
            skipped.blockers.append(Blocker(
                "ELB_INSTALLED_AZ_RESTRICTION", lb.node, f"tg:{lb.vpc}/{group_name}", "forward", "ELB",
                f"target {target} is in {outside}, an Availability Zone load balancer {lb.name} does not enable "
                f"({', '.join(sorted(zones))}), so it receives no traffic (Target.NotInUse)",
                f"enable {outside} on load balancer {lb.name} (a subnet there), or register targets in "
                f"{', '.join(sorted(zones))}"))
            sub_results.append(skipped)
            continue
        try:
            preserved = client if _preserves_client_ip(lb, group_name, target, tg_protocol) else None
            if preserved is not None:
                forward.notes.append(
                    f"network load balancer {lb.name} preserves the client's address for target {target} "
                    "(ELBV2_SOURCE_ADDRESS_PRESERVATION): its groups and NACLs see the client, not the load balancer")
                hairpin = _hairpin(network, lb, sub_query, text, preserved[0])
                if hairpin is not None:
                    sub_results.append(hairpin)
                    continue
            elif lb.type == "network":
                forward.notes.append(f"network load balancer {lb.name} does not preserve client addresses for target "
                                     f"{target}: its groups and NACLs see the load balancer's addresses")
            sub = _answer_one_source(network, sub_query, node_iface, preserved)
        except QueryError as error:
            forward.block("UNKNOWN_DESTINATION", lb.node, f"tg:{lb.vpc}/{group_name}", "ELB",
                          f"target {target} of target group {group_name}: {error}", "register an existing target", own)
            continue
        if sub.verdict == "reachable":
            forward.notes.extend(sub.notes)
            return ([handoff, *(_relabel(h, "forward") for h in sub.forward)],
                    [_relabel(h, "return") for h in sub.return_path]), True
        sub_results.append(sub)
    if not sub_results:
        return None, False
    first = sub_results[0]
    if all(s.verdict == "partial" for s in sub_results):
        # The targets answer, but the replies to some of the load balancer's own ports are dropped.
        forward.target_client_ports = union(forward.target_client_ports,
                                            [(p.low, p.high) for p in first.failing_client_ports])
        for blocker in first.blockers:
            forward.blockers.append(replace(blocker, message=f"load balancer {lb.name} -> target: {blocker.message}"))
    else:
        for sub in sub_results:
            for blocker in sub.blockers:
                # The listener's port is what this blocker closes for the client of the load balancer.
                forward.block(blocker.code, blocker.component, blocker.setting, blocker.semantics,
                              f"load balancer {lb.name} -> target (listener {protocol} {port}): {blocker.message}",
                              blocker.fix, own)
            forward.undetermined.extend(sub.undetermined)
    return ([handoff, *(_relabel(h, "forward") for h in first.forward)],
            [_relabel(h, "return") for h in first.return_path]), False


def enabled_zones(network: Network, lb) -> set[str]:
    """The Availability Zones a load balancer enables: those of its subnets (its interfaces)."""
    return {network.interfaces[n].az for n in lb.interfaces if n in network.interfaces and network.interfaces[n].az}


def target_outside_zones(network: Network, target: str, zones: set[str]) -> str | None:
    """The AZ of a registered target when the load balancer does not enable it, else None (also when unknown)."""
    try:
        endpoint = network.resolve_endpoint(target)
    except QueryError:
        return None
    found = sorted({network.interfaces[n].az for n in endpoint.interfaces if n in network.interfaces} - {""})
    if zones and found and not set(found) & zones:
        return found[0]
    return None


def _host(leg: Leg, node: str) -> Interface:
    return next(h for h in leg.hosts.values() if h.node == node)


def _relabel(hop: Hop, direction: str) -> Hop:
    return replace(hop, direction=direction)


def _is_address(text: str) -> bool:
    return looks_like_address(text)


def _preserves_client_ip(lb, group: str, target: str, protocol: str) -> bool:
    """Does a network load balancer hand this target the client's own address (ELB target group attributes)?

    The attribute when written; else AWS's default: on for instance targets, and for IP targets only
    over UDP and TCP_UDP.
    """
    if lb.type != "network":
        return False
    written = lb.preserve_client_ip.get(group)
    if written is not None:
        return written
    return not _is_address(target) or protocol in ("UDP", "TCP_UDP")


def _hairpin(network: Network, lb, query: Query, target: str, client_key) -> Answer | None:
    """A target that reaches itself through its network load balancer with its own address preserved times out."""
    try:
        endpoint = network.resolve_endpoint(target)
    except QueryError:
        return None
    if not any(client_key in network.interfaces[n].own_keys() for n in endpoint.interfaces if n in network.interfaces):
        return None
    result = Answer(query, "unreachable")
    result.blockers.append(Blocker(
        "NLB_HAIRPIN_WITH_CLIENT_IP_PRESERVATION", lb.node, lb.node, "forward", "ELB",
        f"target {target} connects to itself through network load balancer {lb.name}, which preserves the client's "
        "address: the target receives a packet from its own address and the connection times out (no NAT loopback)",
        "connect to the target directly, register it by IP address over TCP, or turn client IP preservation off"))
    return result


def _answer_one_source(network: Network, query: Query, src_iface: Interface,
                       preserved: tuple | None = None) -> Answer:
    destination = network.resolve_endpoint(query.destination)
    source = Endpoint("interface", src_iface.node, src_iface.node, src_iface.primary_ip, src_iface.vpc, (src_iface.node,))
    results = []
    for dst_iface in _interfaces_of(network, destination):
        result = _answer_pair(network, query, source, destination, src_iface, dst_iface, 4, preserved=preserved)
        if result.verdict == "reachable":
            return result
        results.append(result)
    return best_answer(results)


def _aws_service(network: Network, query: Query, result: Answer, source: Endpoint, src_iface: Interface | None,
                 destination: Endpoint, packet: Packet) -> Answer:
    """The VPC's DNS resolver and the 169.254.169.x services answer without NACL or SG filtering (NACL-12)."""
    leg = Leg(network, "forward")
    address = str(destination.address)
    if destination.vpc is not None:
        label, served = f"the Amazon DNS resolver of VPC {destination.vpc}", {6: [(53, 53)], 17: [(53, 53)]}
    else:
        label, served = _AWS_SERVICES[address]
    if src_iface is None:
        leg.block("NO_PATH", source.node, destination.node, "NACL-12",
                  f"{label} ({address}) answers only interfaces inside the VPC", "query it from an instance in the VPC")
        return _finish(result, leg, None)
    if destination.vpc is not None and src_iface.vpc != destination.vpc:
        leg.block("NO_PATH", src_iface.node, destination.node, "PCX-09",
                  f"{label} ({address}) answers only interfaces of VPC {destination.vpc}, not {src_iface.name} "
                  f"in VPC {src_iface.vpc}", f"use the DNS resolver of VPC {src_iface.vpc} (its base address + 2)")
        return _finish(result, leg, None)
    leg.hop(src_iface.node, "forward", None, None, f"leaves {src_iface.name}")
    ports = served.get(query.protocol)
    wanted = packet.ports
    refused = subtract(wanted, ports) if ports is not None and wanted is not None else None
    if refused is None or refused:
        # Only the ports it does not serve are refused (each blocker states exactly the ports it concerns).
        some = refused is not None and refused != wanted
        leg.block("NO_POSSIBLE_DESTINATION", destination.node, destination.node, "NACL-12",
                  f"{label} ({address}) answers only " + ", ".join(
                      f"{protocol_name(p)} {ports_text(r)}" for p, r in served.items())
                  + (f", not {protocol_name(query.protocol)} {ports_text(refused)}" if refused else ""),
                  "query it on the port it serves", refused if some else None)
        if not some:
            return _finish(result, leg, None)
    leg.hop(destination.node, "deliver", None, None,
            f"{label} ({address}) answers; NACLs and security groups do not filter it (NACL-12, SG-13)")
    result.notes.append("traffic to AWS's own DNS, metadata and time addresses is never filtered by NACLs or "
                        "security groups (NACL-12)")
    leg.arrival = Arrival("service", destination.node, packet)
    back = Leg(network, "return")
    back.hop(destination.node, "forward", None, None, "reply")
    back.hop(src_iface.node, "deliver", None, None, f"reply reaches {src_iface.name}")
    back.arrival = Arrival("interface", src_iface.node, packet)
    return _finish(result, leg, back)


def _finish(result: Answer, forward: Leg, back: Leg | None,
            target_hops: tuple[list[Hop], list[Hop]] | None = None) -> Answer:
    result.forward = list(forward.hops)
    result.blockers = list(forward.blockers)
    notes = list(result.notes) + list(forward.notes)
    if back is not None:
        result.return_path = list(back.hops)
        result.blockers.extend(back.blockers)
        notes.extend(back.notes)
    if target_hops is not None:
        result.forward.extend(target_hops[0])
        result.return_path = list(target_hops[1]) + result.return_path
    undetermined = list(forward.undetermined) + list(back.undetermined if back is not None else [])
    stopped = forward.stopped_undetermined or (back is not None and back.stopped_undetermined)
    reached = forward.arrival is not None and (back is None or back.arrival is not None)
    hard = forward.hard or (back is not None and back.hard) or (not reached and not stopped)
    asked = _query_ports(result.query)
    if asked is not None and forward.partial_ports and not subtract(asked, forward.partial_ports):
        hard = True  # every port asked for is denied by one blocker or another
    if forward.arrival is not None and back is None and not forward.hard and not forward.blockers:
        hard = False  # one-way questions (e.g. ICMP other than echo) end at the destination
    if not result.blockers and hard:
        result.blockers.append(Blocker("NO_PATH", result.destination or "", "", "forward", "",
                                       "no path leads from the source to the destination",
                                       "check the routes between them"))
    partial = list(forward.partial_ports) + list(back.partial_ports if back is not None else []) + list(
        forward.target_client_ports)
    seen_components: set[tuple[str, str]] = set()
    result.undetermined = [u for u in undetermined if not ((u.code, u.component) in seen_components
                                                           or seen_components.add((u.code, u.component)))]
    if hard:
        result.verdict = "unreachable"
    elif result.undetermined:
        # Everything vpckit can check lets the flow through; an appliance it cannot see decides (VPCE-06).
        result.verdict = "undetermined"
    elif partial:
        result.verdict = "partial"
        client = union(back.partial_ports if back is not None else [], forward.target_client_ports)
        result.failing_client_ports = [PortRange(low=lo, high=hi) for lo, hi in client]
        result.failing_ports = [PortRange(low=lo, high=hi) for lo, hi in forward.partial_ports]
        if forward.partial_ports:
            notes.append(f"only part of the requested ports get through; blocked: {ports_text(forward.partial_ports)}")
    else:
        result.verdict = "reachable"
    result.notes = list(dict.fromkeys(notes))
    return result
