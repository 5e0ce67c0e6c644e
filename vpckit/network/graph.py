"""The component graph of a network: what is attached to what, and where routes lead.

Node ids are stable strings (``vpc:prod``, ``subnet:prod/app-a``, ``router:prod``,
``igw:prod/igw``, ``nat:prod/nat-a``, ``eni:prod/app-1``, ``pcx:prod-shared``, ``tgw:core``,
``tgw-rtb:core/spokes``, ``tgw-attach:core/prod``, ``lb:prod/web``, ``vpce:prod/s3``,
``onprem:dc``, ``internet``). Every node has ``kind``, ``name``, ``vpc`` and ``label``
attributes; subnets also ``az``, ``cidr``, ``public`` (derived from routes, SUB-06) and
``free_addresses``. Edges carry a ``relation`` (``contains``, ``attached``, ``route``,
``association``, ``propagation``, ``member``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import Network

__all__ = ["build_graph"]


def _add(network: "Network", node: str, kind: str, name: str, vpc: str | None, label: str, **attrs) -> None:
    network.graph.add_node(node, kind=kind, name=name, vpc=vpc, label=label, **attrs)


def build_graph(network: "Network") -> None:
    """Fill ``network.graph`` from the network's indexes.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "internet_gateway": "igw",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "route_table": "pub"}},
    ...     "route_tables": {"pub": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}}}}}))
    >>> net.graph.nodes["subnet:p/a"]["public"], net.graph.nodes["subnet:p/a"]["free_addresses"]
    (True, 251)
    """
    graph = network.graph
    used_per_subnet: dict[str, int] = {}
    for iface in network.interfaces.values():
        used_per_subnet[iface.subnet] = used_per_subnet.get(iface.subnet, 0) + sum(
            1 for a in iface.private_ips if a.version == 4)
    for name, vpc in network.vpcs.items():
        _add(network, f"vpc:{name}", "vpc", name, name, f"VPC {name}", cidrs=[str(c) for c in vpc.cidrs])
        _add(network, f"router:{name}", "router", name, name, f"router of {name}")
        graph.add_edge(f"vpc:{name}", f"router:{name}", relation="contains")
        if vpc.internet_gateway:
            _add(network, vpc.internet_gateway, "igw", vpc.internet_gateway.split("/", 1)[1], name,
                 f"internet gateway {vpc.internet_gateway.split('/', 1)[1]}")
            graph.add_edge(vpc.internet_gateway, f"router:{name}", relation="attached")
            _ensure_internet(network)
            graph.add_edge(vpc.internet_gateway, "internet", relation="attached")
        if vpc.egress_only_gateway:
            short = vpc.egress_only_gateway.split("/", 1)[1]
            _add(network, vpc.egress_only_gateway, "eigw", short, name, f"egress-only gateway {short}")
            graph.add_edge(vpc.egress_only_gateway, f"router:{name}", relation="attached")
            _ensure_internet(network)
            graph.add_edge(vpc.egress_only_gateway, "internet", relation="attached")
        for vgw in vpc.vpn_gateways:
            short = vgw.split("/", 1)[1]
            _add(network, vgw, "vgw", short, name, f"VPN gateway {short}")
            graph.add_edge(vgw, f"router:{name}", relation="attached")
    for node, subnet in network.subnets.items():
        table = network.route_tables.get(subnet.route_table)
        public = bool(table and any(r.target_kind == "internet_gateway" and r.active for r in table.routes))
        size = subnet.cidr.size - 5
        _add(network, node, "subnet", subnet.name, subnet.vpc, f"subnet {subnet.name} ({subnet.cidr})", az=subnet.az,
             cidr=str(subnet.cidr), public=public, free_addresses=max(0, size - used_per_subnet.get(node, 0)),
             route_table=subnet.route_table, nacl=subnet.nacl)
        graph.add_edge(f"vpc:{subnet.vpc}", node, relation="contains")
        graph.add_edge(node, f"router:{subnet.vpc}", relation="attached")
        graph.add_edge(f"router:{subnet.vpc}", node, relation="attached")
    for node, iface in network.interfaces.items():
        kind = "nat" if iface.owner_kind == "nat_gateway" else "eni"
        _add(network, node, kind, iface.name, iface.vpc, f"{iface.owner_kind.replace('_', ' ')} {iface.name}",
             owner_kind=iface.owner_kind, owner=iface.owner, subnet=iface.subnet,
             private_ips=[str(a) for a in iface.private_ips], public_ips=[str(a) for a in iface.public_ips])
        graph.add_edge(node, iface.subnet, relation="attached")
        graph.add_edge(iface.subnet, node, relation="attached")
    for node, lb in network.load_balancers.items():
        _add(network, node, "lb", lb.name, lb.vpc, f"load balancer {lb.name}", type=lb.type, scheme=lb.scheme)
        for eni in lb.interfaces:
            if eni in graph:
                graph.add_edge(node, eni, relation="member")
    for node, gw in network.gateway_endpoints.items():
        _add(network, node, "vpce", gw.name, gw.vpc, f"gateway endpoint {gw.name}", service=gw.service)
        graph.add_edge(node, f"router:{gw.vpc}", relation="attached")
    for node, pcx in network.peerings.items():
        _add(network, node, "pcx", pcx.name, None, f"peering {pcx.name}", state=pcx.state)
        for side in (pcx.requester, pcx.accepter):
            if side:
                graph.add_edge(node, f"router:{side}", relation="attached")
                graph.add_edge(f"router:{side}", node, relation="attached")
    for node, tgw in network.transit_gateways.items():
        _add(network, node, "tgw", tgw.name, None, f"transit gateway {tgw.name}")
        for rname in tgw.route_tables:
            rnode = f"tgw-rtb:{tgw.name}/{rname}"
            _add(network, rnode, "tgw-rtb", rname, None, f"TGW route table {rname}")
            graph.add_edge(node, rnode, relation="contains")
        for att in tgw.attachments.values():
            _add(network, att.node, "tgw-attach", att.name, att.vpc, f"TGW attachment {att.name}", state=att.state,
                 type=att.type)
            graph.add_edge(node, att.node, relation="attached")
            graph.add_edge(att.node, node, relation="attached")
            if att.route_table:
                graph.add_edge(att.node, att.route_table, relation="association")
            for eni in att.interfaces.values():
                if eni in graph:
                    graph.add_edge(att.node, eni, relation="member")
            if att.vpc:
                graph.add_edge(att.node, f"router:{att.vpc}", relation="attached")
        for rname, table in tgw.route_tables.items():
            for route in table.routes:
                if route.target_kind == "attachment":
                    graph.add_edge(f"tgw-rtb:{tgw.name}/{rname}", route.target, relation=(
                        "propagation" if route.origin == "propagated" else "route"), destination=str(route.network))
    for node, op in network.onprem.items():
        _add(network, node, "onprem", op.name, None, f"on-premises {op.name}", cidrs=[str(c) for c in op.cidrs])
    for setting, table in network.route_tables.items():
        if not setting.startswith("rtb:"):
            continue
        vpc = setting[4:].split("/", 1)[0]
        for route in table.routes:
            if route.target_kind in ("local", "blackhole") or route.target not in graph:
                continue
            graph.add_edge(f"router:{vpc}", route.target, relation="route", destination=str(route.network),
                           route_table=setting, active=route.active)
    for node, op in network.onprem.items():
        for vpc in network.vpcs.values():
            for vgw in vpc.vpn_gateways:
                if op.via and vgw.endswith("/" + op.via):
                    graph.add_edge(vgw, node, relation="attached")


def _ensure_internet(network: "Network") -> None:
    if "internet" not in network.graph:
        _add(network, "internet", "internet", "internet", None, "the internet")
