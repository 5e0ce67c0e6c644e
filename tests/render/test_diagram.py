"""The DOT of every bundled design, checked structurally: nesting, labels, edges, stability."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vpckit.model import Design
from vpckit.network import resolve
from vpckit.render import build, cluster_id, diagram_source, dot_id, subnet_facts
from vpckit.render import style
from vpckit.sources import load

DESIGNS = Path(__file__).resolve().parents[2] / "designs"
DESIGN_FILES = sorted(p for p in DESIGNS.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def _cluster_of(dot: Any, network_id: str) -> str | None:
    return dot.node_cluster[dot_id(network_id)]


def _is_public(design: Design, vpc_name: str, subnet_name: str) -> bool:
    """SUB-06, written out independently of the renderer: a route to an internet gateway."""
    vpc = design.vpcs[vpc_name]
    table = vpc.route_tables.get(vpc.subnets[subnet_name].route_table or vpc.main_route_table)
    return any(
        (ref := resolve.route_target(design, vpc_name, route.target)) is not None
        and ref.kind == "internet_gateway" and route.state == "active"
        for route in (table.routes if table else [])
    )


def _placements(design: Design) -> list[tuple[str, str, str]]:
    """(network node id, vpc, subnet) of the resources whose subnet the design states directly."""
    found = []
    for vpc_name, vpc in design.iter_vpcs():
        def subnet(ref: str | None) -> str | None:
            hit = resolve.find_in_vpc(design, vpc_name, "subnets", ref) if ref else None
            return hit.name if hit else None

        for name, instance in vpc.instances.items():
            if subnet(instance.subnet):
                found.append((f"eni:{vpc_name}/{name}", vpc_name, subnet(instance.subnet)))
        for name, nat in vpc.nat_gateways.items():
            if subnet(nat.subnet):
                found.append((f"nat:{vpc_name}/{name}", vpc_name, subnet(nat.subnet)))
        for name, rds in vpc.rds_instances.items():
            if rds.subnet and subnet(rds.subnet):
                found.append((f"eni:{vpc_name}/{name}", vpc_name, subnet(rds.subnet)))
    return found


@pytest.fixture(params=DESIGN_FILES, ids=lambda p: p.stem)
def design(request: pytest.FixtureRequest) -> Design:
    return load(str(request.param))


def test_clusters_nest_cloud_region_vpc_az_subnet(design: Design, parse_dot: Any) -> None:
    dot = parse_dot(diagram_source(design))
    assert dot.cluster_parent["cluster_cloud"] is None
    for vpc_name, vpc in design.iter_vpcs():
        region = cluster_id("region", design.vpc_region(vpc_name))
        vpc_box = cluster_id("vpc", vpc_name)
        assert dot.ancestors(vpc_box) == [vpc_box, region, "cluster_cloud"]
        for subnet_name, subnet in vpc.subnets.items():
            subnet_box = cluster_id("subnet", f"{vpc_name}/{subnet_name}")
            az_box = cluster_id("az", f"{vpc_name}/{subnet.az}")
            assert dot.ancestors(subnet_box) == [subnet_box, az_box, vpc_box, region, "cluster_cloud"]
            assert dot.cluster_attrs[az_box]["label"] == subnet.az
            assert dot.cluster_attrs[az_box]["style"] == "dashed"


def test_vpc_and_region_boxes_carry_their_labels(design: Design, parse_dot: Any) -> None:
    dot = parse_dot(diagram_source(design))
    for vpc_name, vpc in design.iter_vpcs():
        attrs = dot.cluster_attrs[cluster_id("vpc", vpc_name)]
        assert vpc_name in attrs["label"] and str(vpc.cidr) in attrs["label"]
        region = dot.cluster_attrs[cluster_id("region", design.vpc_region(vpc_name))]
        assert region["style"] == "dashed" and design.vpc_region(vpc_name) in region["label"]


def test_subnets_show_cidr_free_addresses_and_public_colour(design: Design, parse_dot: Any) -> None:
    """SUB-06 (public derived from routes) and SUB-04 (five reserved addresses)."""
    dot = parse_dot(diagram_source(design))
    facts = subnet_facts(design)
    for vpc_name, vpc in design.iter_vpcs():
        for subnet_name, subnet in vpc.subnets.items():
            node_id = f"subnet:{vpc_name}/{subnet_name}"
            box = cluster_id("subnet", f"{vpc_name}/{subnet_name}")
            assert _cluster_of(dot, node_id) == box
            label = dot.node_attrs[dot_id(node_id)]["label"]
            assert str(subnet.cidr) in label
            count = facts[node_id].free_addresses
            assert f"{count} free address{'' if count == 1 else 'es'}" in label
            assert facts[node_id].free_addresses <= subnet.cidr.size - 5
            public = _is_public(design, vpc_name, subnet_name)
            assert facts[node_id].public is public
            expected = style.PUBLIC_SUBNET if public else style.PRIVATE_SUBNET
            assert dot.cluster_attrs[box]["color"] == expected
            assert ("public subnet" if public else "private subnet") in dot.cluster_attrs[box]["label"]


def test_resources_sit_in_their_subnet(design: Design, parse_dot: Any) -> None:
    dot = parse_dot(diagram_source(design))
    for node_id, vpc_name, subnet_name in _placements(design):
        assert _cluster_of(dot, node_id) == cluster_id("subnet", f"{vpc_name}/{subnet_name}"), node_id


def test_gateways_sit_on_the_vpc_edge_and_reach_the_internet(design: Design, parse_dot: Any) -> None:
    dot = parse_dot(diagram_source(design))
    edges = dot.visible_edges()
    for vpc_name, vpc in design.iter_vpcs():
        for name in vpc.internet_gateways:
            node = f"igw:{vpc_name}/{name}"
            assert _cluster_of(dot, node) == cluster_id("vpc", vpc_name)
            assert ("internet", dot_id(node)) in edges
        for name in vpc.vpn_gateways:
            assert _cluster_of(dot, f"vgw:{vpc_name}/{name}") == cluster_id("vpc", vpc_name)
        for name, endpoint in vpc.endpoints.items():
            if endpoint.type == "gateway":
                assert _cluster_of(dot, f"vpce:{vpc_name}/{name}") == cluster_id("vpc", vpc_name)
    assert dot.node_cluster["internet"] is None


def test_one_edge_per_subnet_default_route(design: Design, parse_dot: Any) -> None:
    """Default routes are drawn once per subnet (target above, subnet below), never per route."""
    dot = parse_dot(diagram_source(design))
    for vpc_name, vpc in design.iter_vpcs():
        for subnet_name in vpc.subnets:
            node = dot_id(f"subnet:{vpc_name}/{subnet_name}")
            into = [e for e in dot.edges if e[1] == node and e[2].get("style") not in ("invis", "dotted")]
            assert len(into) <= 1
            table = vpc.route_tables.get(vpc.subnets[subnet_name].route_table or vpc.main_route_table)
            defaults = [r for r in (table.routes if table else []) if str(r.destination) in ("0.0.0.0/0", "::/0")]
            assert bool(into) == bool(defaults), subnet_name
            for _, _, attrs in into:
                assert attrs["dir"] == "back" and str(defaults[0].destination) in attrs["label"]


def test_other_routes_are_dotted_edges_labelled_with_their_destinations(design: Design, parse_dot: Any) -> None:
    """Routes besides the local and the default one show where they lead (one edge per subnet and target)."""
    dot = parse_dot(diagram_source(design))
    for vpc_name, vpc in design.iter_vpcs():
        for subnet_name, subnet in vpc.subnets.items():
            node = dot_id(f"subnet:{vpc_name}/{subnet_name}")
            labels = " ".join(e[2].get("label", "") for e in dot.edges if e[1] == node and e[2].get("style") == "dotted")
            table = vpc.route_tables.get(subnet.route_table or vpc.main_route_table)
            routes = [r for r in (table.routes if table else []) if r.target != "local" and r.state != "blackhole"]
            defaults = [r for r in routes if str(r.destination) in ("0.0.0.0/0", "::/0")]
            others = [r for r in routes if not defaults or str(r.destination) != str(defaults[0].destination)]
            for route in others[:3]:
                if str(route.destination) not in labels:
                    assert f"+{len(others) - 3}" in labels or _undrawn(dot, route, vpc_name), (subnet_name, route)


def _undrawn(dot: Any, route: Any, vpc_name: str) -> bool:
    """A route whose target is no node of its own VPC (missing, unknown, or another VPC's, which AWS refuses)."""
    return not any(name.partition(".")[2].startswith(f"{vpc_name}/") and str(route.target) in name
                   for name in dot.node_cluster)


def test_connections_between_vpcs_are_labelled_edges(design: Design, parse_dot: Any) -> None:
    dot = parse_dot(diagram_source(design))
    labelled = {(a, b): attrs.get("label") or attrs.get("xlabel", "") for a, b, attrs in dot.edges}
    for name, pcx in design.peering_connections.items():
        ends = [design.find_vpc(pcx.requester), design.find_vpc(pcx.accepter)]
        if None in ends:
            continue
        # Each VPC's router meets the peering's own node, which carries its name and sits in the
        # region of both ends (or in the AWS Cloud box between regions): nothing outside the cloud.
        for end in ends:
            assert (dot_id(f"router:{end}"), dot_id(f"pcx:{name}")) in labelled
            assert _cluster_of(dot, f"router:{end}") == cluster_id("vpc", end)
        assert name in dot.node_attrs[dot_id(f"pcx:{name}")]["label"]
        regions = {design.vpc_region(end) for end in ends}
        expected = cluster_id("region", regions.pop()) if len(regions) == 1 else "cluster_cloud"
        assert _cluster_of(dot, f"pcx:{name}") == expected
    for tgw_name, tgw in design.transit_gateways.items():
        region = cluster_id("region", tgw.region or design.region)
        assert _cluster_of(dot, f"tgw:{tgw_name}") == region
        for att_name, attachment in tgw.attachments.items():
            vpc = design.find_vpc(attachment.vpc) if attachment.vpc else None
            if attachment.type == "vpc" and vpc:
                # The attachment is drawn inside the VPC it attaches, joined to its hub.
                node = f"tgw-attach:{tgw_name}/{att_name}"
                assert _cluster_of(dot, node) == cluster_id("vpc", vpc)
                assert att_name in dot.node_attrs[dot_id(node)]["label"]
                assert (dot_id(node), dot_id(f"tgw:{tgw_name}")) in labelled


def test_route_edges_stay_inside_their_vpc(design: Design, parse_dot: Any) -> None:
    """A subnet's default route starts at a node inside the subnet's own VPC (a gateway, a NAT
    gateway, the VPC's TGW attachment or its router), so the edge and its label are drawn there."""
    dot = parse_dot(diagram_source(design))
    routes = [(a, b, attrs) for a, b, attrs in dot.edges if attrs.get("lhead", "").startswith("cluster_subnet.")]
    assert bool(routes) == any(vpc.subnets and vpc.route_tables for _, vpc in design.iter_vpcs())
    for tail, head, attrs in routes:
        vpc_name = attrs["lhead"][len("cluster_subnet."):].partition("/")[0]
        assert cluster_id("vpc", vpc_name) in dot.ancestors(dot.node_cluster[tail]), (tail, head)


def _load_balancer_targets(design: Design, vpc_name: str, name: str) -> dict[str, str]:
    """Instance targets of a load balancer, written out from the design: node id -> 'PROTOCOL port'."""
    vpc = design.vpcs[vpc_name]
    found: dict[str, str] = {}
    for listener in vpc.load_balancers[name].listeners:
        group = vpc.target_groups.get(listener.target_group or "")
        for target in group.targets if group else []:
            if target in vpc.instances:
                found[f"eni:{vpc_name}/{target}"] = f"{group.protocol} {group.port}"
    return found


def test_one_node_per_load_balancer_with_an_edge_to_each_target(design: Design, parse_dot: Any) -> None:
    dot = parse_dot(diagram_source(design))
    labelled = {(a, b): attrs.get("label", "") for a, b, attrs in dot.edges}
    ids = {attrs.get("id", "") for attrs in dot.node_attrs.values()}
    for vpc_name, vpc in design.iter_vpcs():
        for name, lb in vpc.load_balancers.items():
            node = f"lb:{vpc_name}/{name}"
            assert _cluster_of(dot, node) == cluster_id("vpc", vpc_name)
            label = dot.node_attrs[dot_id(node)]["label"]
            assert name in label and lb.scheme in label
            assert not any(i.startswith(f"eni:{vpc_name}/{name}@") for i in ids)  # no node per interface
            for target, ports in _load_balancer_targets(design, vpc_name, name).items():
                assert ports in labelled[(dot_id(node), dot_id(target))]


def test_legend_explains_exactly_what_is_drawn(design: Design, parse_dot: Any) -> None:
    dot = parse_dot(diagram_source(design))
    legend = dot.node_attrs["legend"]["label"]
    assert dot.node_cluster["legend"] is None  # outside the AWS Cloud box
    drawn_kinds = {attrs.get("id", "").partition(":")[0] for attrs in dot.node_attrs.values()}
    edge_colours = {attrs.get("color") for _, _, attrs in dot.edges if attrs.get("style") != "invis"}
    texts = dict(style.LEGEND)
    for kind in ("tgw-attachment", "router", "blackhole"):
        assert (texts[kind] in legend) == (kind.replace("tgw-attachment", "tgw-attach") in drawn_kinds), kind
    has_public = any(_is_public(design, v, s) for v, vpc in design.iter_vpcs() for s in vpc.subnets)
    assert (texts["public"] in legend) == has_public
    assert (texts["edge:peering"] in legend) == (style.EDGES["peering"]["color"] in edge_colours
                                                and bool(design.peering_connections))
    assert texts["edge:forward"] not in legend  # a path is listed only when one is drawn


def test_dot_is_byte_identical_and_independent_of_file_order(design: Design) -> None:
    first, second = diagram_source(design), diagram_source(design)
    assert first == second

    def reverse(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reverse(v) for k, v in reversed(list(value.items()))}
        if isinstance(value, list):
            return [reverse(v) for v in value]
        return value

    shuffled = Design.model_validate(reverse(design.model_dump(mode="json", by_alias=True, exclude_none=True)))
    assert diagram_source(shuffled) == first


@pytest.mark.parametrize("view", ["detailed", "subnets", "vpcs"])
def test_views_draw_what_they_promise(design: Design, view: str, parse_dot: Any) -> None:
    dot = parse_dot(diagram_source(design, view))
    ids = {attrs.get("id", "") for attrs in dot.node_attrs.values()}
    subnets = {f"subnet:{v}/{s}" for v, vpc in design.iter_vpcs() for s in vpc.subnets}
    if view == "vpcs":
        assert {i for i in ids if i.startswith("vpc:")} == {f"vpc:{v}" for v in design.vpcs}
        assert not any(c.startswith("cluster_vpc.") for c in dot.cluster_attrs)
        assert not ids & subnets
    elif view == "subnets":
        assert subnets <= ids
        assert not any(i.startswith(("eni:", "nat:")) for i in ids)
        assert not any(c.startswith("cluster_subnet.") for c in dot.cluster_attrs)
        for node in subnets:
            vpc, _, name = node[len("subnet:"):].partition("/")
            az = design.vpcs[vpc].subnets[name].az
            assert _cluster_of(dot, node) == cluster_id("az", f"{vpc}/{az}")
    else:
        assert subnets <= ids


def test_three_tier_draws_its_known_shape(parse_dot: Any) -> None:
    design = load(str(DESIGNS / "three-tier.yaml"))
    dot = parse_dot(diagram_source(design))
    edges = dot.visible_edges()
    # Private subnet -> NAT gateway of its AZ; public subnets -> the internet gateway.
    assert (dot_id("nat:prod/nat-a"), dot_id("subnet:prod/app-a")) in edges
    assert (dot_id("nat:prod/nat-b"), dot_id("subnet:prod/app-b")) in edges
    assert (dot_id("igw:prod/igw-prod"), dot_id("subnet:prod/public-a")) in edges
    assert ("internet", dot_id("igw:prod/igw-prod")) in edges
    # The isolated database tier has no default route, so no edge.
    assert not any(b == dot_id("subnet:prod/db-a") for _, b in edges)
    assert _cluster_of(dot, "nat:prod/nat-a") == "cluster_subnet.prod/public-a"
    assert _cluster_of(dot, "lb:prod/web") == "cluster_vpc.prod"
    assert "in public-a, public-b" in dot.node_attrs[dot_id("lb:prod/web")]["label"]
    assert edges >= {(dot_id("lb:prod/web"), dot_id("eni:prod/app-1")), (dot_id("lb:prod/web"), dot_id("eni:prod/app-2"))}
    assert _cluster_of(dot, "eni:prod/orders-db") == "cluster_subnet.prod/db-a"
    assert dot.node_attrs[dot_id("eni:prod/app-1")]["label"] == "app-1\\nEC2 instance\\n10.0.10.10"
    assert "RDS postgres :5432" in dot.node_attrs[dot_id("eni:prod/orders-db")]["label"]
    # SUB-04: a /24 has 251 usable addresses; public-a holds nat-a and one ALB interface.
    assert "249 free addresses" in dot.node_attrs[dot_id("subnet:prod/public-a")]["label"]
    subnets_view = parse_dot(diagram_source(design, "subnets"))
    assert any(a == dot_id("subnet:prod/public-a") and b == dot_id("subnet:prod/app-a")
               and attrs.get("label") == "0.0.0.0/0 via nat-a" for a, b, attrs in subnets_view.edges)


def test_unknown_view_is_refused() -> None:
    from vpckit.errors import RenderError

    with pytest.raises(RenderError, match="unknown view 'tiny'"):
        build(Design(), "tiny")


def test_connections_of_a_hand_built_organisation(parse_dot: Any) -> None:
    """Peering (PCX), a transit gateway with a VPC and a VPN attachment, a VPN gateway, blackholes."""
    design = Design.model_validate({
        "name": "org",
        "vpcs": {
            "a": {"cidr": "10.0.0.0/16", "vpn_gateway": {"name": "vgw-a", "remote_cidrs": ["192.168.0.0/16"]},
                  "subnets": {"s": {"az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "rt"}},
                  "route_tables": {"rt": {"routes": [{"destination": "0.0.0.0/0", "target": "core"},
                                                     {"destination": "10.1.0.0/16", "target": "a-b"}]}}},
            "b": {"cidr": "10.1.0.0/16",
                  "subnets": {"s": {"az": "us-east-1a", "cidr": "10.1.0.0/24", "route_table": "rt"}},
                  "route_tables": {"rt": {"routes": [{"destination": "0.0.0.0/0", "target": "nat-gone"}]}}},
        },
        "peering_connections": {"a-b": {"requester": "a", "accepter": "b"}},
        "transit_gateways": {"core": {"attachments": {
            "att-a": {"vpc": "a", "subnets": ["s"], "route_table": "spokes"},
            "vpn-dc": {"type": "vpn", "remote_cidrs": ["172.16.0.0/12"]}}}},
        "on_premises": {"dc": {"cidrs": ["172.16.0.0/12"], "via": "vpn-dc"},
                        "office": {"cidrs": ["192.168.0.0/16"], "via": "vgw-a"}},
    })
    dot = parse_dot(diagram_source(design))
    labelled = {(a, b): attrs.get("label") or attrs.get("xlabel", "") for a, b, attrs in dot.edges}
    assert {("router.a", "pcx.a-b"), ("router.b", "pcx.a-b")} <= set(labelled)
    assert dot.node_attrs["pcx.a-b"]["label"] == "a-b\\npeering connection"
    assert dot.node_cluster["pcx.a-b"] == "cluster_region.us-east-1"
    assert ("router.a", "tgw.core") not in labelled  # a VPC meets its hub at its attachment
    assert dot.node_cluster["tgw-attach.core/att-a"] == "cluster_vpc.a"
    # The hub has no route table "spokes": the attachment's label says so.
    assert dot.node_attrs["tgw-attach.core/att-a"]["label"] == "att-a\\nattachment to core\\nTGW route table spokes (missing)"
    assert ("tgw-attach.core/att-a", "tgw.core") in labelled
    assert labelled[("tgw.core", "onprem.dc")] == "vpn-dc"
    assert labelled[("vgw.a/vgw-a", "onprem.office")] == "VPN"
    assert dot.node_cluster["onprem.dc"] == "cluster_onprem"
    assert labelled[("tgw-attach.core/att-a", "subnet.a/s")] == "0.0.0.0/0 to core"
    # A default route to a NAT gateway that does not exist is drawn as a blackhole marker.
    assert "target not found" in dot.node_attrs["blackhole.b/s"]["label"]
    assert ("blackhole.b/s", "subnet.b/s") in labelled
    vpcs = parse_dot(diagram_source(design, "vpcs"))
    vpc_edges = {(a, b): attrs.get("label", "") for a, b, attrs in vpcs.edges}
    assert {("vpc.a", "pcx.a-b"), ("vpc.b", "pcx.a-b")} <= set(vpc_edges)
    assert vpc_edges[("vpc.a", "tgw.core")] == "att-a\\nRT spokes (missing)"
    assert vpc_edges[("vpc.a", "onprem.office")] == "VPN"


def test_subnet_naming_a_missing_route_table_or_nacl_says_so(parse_dot: Any) -> None:
    design = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
        "a": {"az": "us-east-1a", "cidr": "10.0.0.0/28", "route_table": "privat", "nacl": "gone"},
        "b": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}}}}})
    dot = parse_dot(diagram_source(design))
    assert "route table privat (missing), NACL gone (missing)" in dot.node_attrs["subnet.p/a"]["label"]
    assert "route table main, NACL default" in dot.node_attrs["subnet.p/b"]["label"]
    assert "11 free addresses" in dot.node_attrs["subnet.p/a"]["label"]  # SUB-04: a /28 has 11


def test_routes_are_drawn_as_the_network_resolved_them(parse_dot: Any) -> None:
    """The diagram reads the built network's route tables: a route to a NAT gateway that is not
    available carries nothing (RT-10) and is drawn as a blackhole, as AWS's console shows it,
    while the route to an available one is drawn to it."""
    design = Design.model_validate({"vpcs": {"p": {
        "cidr": "10.0.0.0/16", "internet_gateway": "igw",
        "subnets": {"pub": {"az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "public"},
                    "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "route_table": "to-gone"},
                    "b": {"az": "us-east-1a", "cidr": "10.0.2.0/24", "route_table": "to-live"}},
        "nat_gateways": {"gone": {"subnet": "pub", "state": "deleted"}, "live": {"subnet": "pub"}},
        "route_tables": {"public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]},
                         "to-gone": {"routes": [{"destination": "0.0.0.0/0", "target": "gone"}]},
                         "to-live": {"routes": [{"destination": "0.0.0.0/0", "target": "live"}]}}}}})
    dot = parse_dot(diagram_source(design))
    edges = {(a, b) for a, b, attrs in dot.edges if attrs.get("style") != "invis"}
    assert ("nat.p/live", "subnet.p/b") in edges
    assert ("nat.p/gone", "subnet.p/a") not in edges and ("blackhole.p/a", "subnet.p/a") in edges
    assert dot.node_attrs["blackhole.p/a"]["label"] == "a: 0.0.0.0/0 -> gone\\nblackhole"
