"""The Batfish snapshot hybrid-cloud-aws renders, nested as Batfish's own topology says.

Batfish's ``expected/topology-example-aws.ref`` nests CLOUD > REGION > VNET (VPC) > SUBNET >
node. vpckit adds the availability zone between VPC and subnet (as AWS's diagrams do) and
draws internet/VPN gateways on the VPC's edge, where Batfish lists them at region level: both
stay inside the region, which is what is compared.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from vpckit.render import cluster_id, diagram_source, draw, dot_id
from vpckit.sources import load

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "batfish-aws"
SNAPSHOT = CORPUS / "hybrid-cloud-aws"
TOPOLOGY = CORPUS / "expected" / "topology-example-aws.ref"


def _batfish_parents() -> tuple[dict[str, str], dict[str, str]]:
    """(child → parent aggregate id, aggregate id → type) from Batfish's topology."""
    topology = json.loads(TOPOLOGY.read_text())
    parent, kind = {}, {}
    for aggregate in topology["aggregates"]:
        kind[aggregate["id"]] = aggregate["type"]
        for child in aggregate["contents"]:
            parent[child] = aggregate["id"]
    return parent, kind


@pytest.fixture(scope="module")
def design() -> Any:
    return load(str(SNAPSHOT))


@pytest.fixture
def dot(design: Any, parse_dot: Any) -> Any:
    return parse_dot(diagram_source(design))


def _vpc_named(design: Any, aws_id: str) -> str:
    name = design.find_vpc(aws_id)
    assert name is not None, aws_id
    return name


def _subnet_named(design: Any, aws_id: str) -> tuple[str, str]:
    for vpc_name, vpc in design.iter_vpcs():
        for subnet_name, subnet in vpc.subnets.items():
            if aws_id in (subnet.id, subnet_name):
                return vpc_name, subnet_name
    raise AssertionError(f"subnet {aws_id} not in the design")


def test_vpcs_and_subnets_are_the_ones_batfish_sees(design: Any, dot: Any) -> None:
    parent, kind = _batfish_parents()
    batfish_vpcs = {a[len("aggregate-"):] for a, t in kind.items() if t == "VNET"}
    batfish_subnets = {a[len("aggregate-"):] for a, t in kind.items() if t == "SUBNET"}
    ours_vpcs = {design.vpcs[c[len("cluster_vpc."):]].id for c in dot.cluster_attrs if c.startswith("cluster_vpc.")}
    ours_subnets = set()
    for cluster in dot.cluster_attrs:
        if cluster.startswith("cluster_subnet."):
            vpc_name, _, subnet_name = cluster[len("cluster_subnet."):].partition("/")
            ours_subnets.add(design.vpcs[vpc_name].subnets[subnet_name].id)
    assert ours_vpcs == batfish_vpcs
    assert ours_subnets == batfish_subnets


def test_nesting_matches_batfish_cloud_region_vpc_subnet(design: Any, dot: Any) -> None:
    parent, kind = _batfish_parents()
    for aggregate, aggregate_kind in sorted(kind.items()):
        if aggregate_kind != "SUBNET":
            continue
        vnet = parent[aggregate]
        region = parent[vnet]
        assert kind[vnet] == "VNET" and kind[region] == "REGION" and kind[parent[region]] == "CLOUD"
        vpc_name, subnet_name = _subnet_named(design, aggregate[len("aggregate-"):])
        assert vpc_name == _vpc_named(design, vnet[len("aggregate-"):])
        chain = dot.ancestors(cluster_id("subnet", f"{vpc_name}/{subnet_name}"))
        az = design.vpcs[vpc_name].subnets[subnet_name].az
        assert chain == [
            cluster_id("subnet", f"{vpc_name}/{subnet_name}"),
            cluster_id("az", f"{vpc_name}/{az}"),  # the level vpckit adds, as AWS draws it
            cluster_id("vpc", vpc_name),
            cluster_id("region", region[len("aggregate-"):]),
            "cluster_cloud",
        ]
    for aggregate, aggregate_kind in kind.items():
        if aggregate_kind == "VNET":  # VPCs without subnets too (vpc-815775e7)
            vpc_name = _vpc_named(design, aggregate[len("aggregate-"):])
            region = parent[aggregate][len("aggregate-"):]
            assert dot.ancestors(cluster_id("vpc", vpc_name))[1:] == [cluster_id("region", region), "cluster_cloud"]


def test_nodes_sit_where_batfish_puts_them(design: Any, dot: Any) -> None:
    parent, kind = _batfish_parents()
    checked = 0
    for child, aggregate in sorted(parent.items()):
        if not child.startswith("node-"):
            continue
        name = child[len("node-"):]
        where = aggregate[len("aggregate-"):]
        if kind[aggregate] == "SUBNET" and name != where:
            vpc_name, subnet_name = _subnet_named(design, where)
            box = cluster_id("subnet", f"{vpc_name}/{subnet_name}")
            inside = [n for n, c in dot.node_cluster.items() if c == box]
            if "es-domain" in name:  # Batfish: one node per Elasticsearch domain interface
                assert any("es-domain" in n for n in inside), (child, inside)
            else:  # the RDS instance
                assert dot_id(f"eni:{vpc_name}/{name}") in inside, (child, inside)
            checked += 1
        elif kind[aggregate] == "REGION" and name.startswith(("igw-", "vgw-")):
            node = next(n for n, attrs in dot.node_attrs.items() if attrs.get("id", "").endswith(f"/{name}"))
            assert cluster_id("region", where) in dot.ancestors(dot.node_cluster[node])
            checked += 1
    assert checked == 7  # test-rds, two ES interfaces, three internet gateways, one VPN gateway


def test_snapshot_renders_to_svg(design: Any, tmp_path: Path) -> None:
    out = tmp_path / "hybrid.svg"
    assert draw(design, out) == "svg"
    text = html.unescape(out.read_text())
    assert text.lstrip().startswith("<?xml")
    # The SVG keeps the network's node ids, so a page can find a subnet or an interface.
    assert 'id="subnet:vpc-b390fad5/subnet-1641fa70"' in text and 'id="eni:vpc-b390fad5/test-rds"' in text
