"""`vpckit import` and the native writer: whatever is imported reads back as an equal Design."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpckit.cli import main
from vpckit.model import Design
from vpckit.sources import load
from vpckit.sources.native import loads
from vpckit.sources.writer import dump, to_data

ROOT = Path(__file__).resolve().parents[2]
DESIGNS = sorted((ROOT / "designs").glob("*.y*ml"))
CORPUS = ROOT.parent / "shared" / "corpus"


def _round_trip(design: Design) -> Design:
    return loads(dump(design), "<imported>")


# --------------------------------------------------------------------------- the bundled designs


@pytest.mark.parametrize("path", DESIGNS, ids=[p.name for p in DESIGNS])
def test_every_bundled_design_survives_import(path: Path, tmp_path: Path) -> None:
    original = load(str(path))
    out = tmp_path / "design.yaml"
    assert main(["import", str(path), "-o", str(out)]) == 0
    imported = load(str(out))
    assert imported == original
    # Writing the imported design again gives the same text: the output is stable.
    assert dump(imported) == dump(original)


def test_the_bundled_designs_are_found() -> None:
    assert any(p.name == "three-tier.yaml" for p in DESIGNS)


# --------------------------------------------------------------------------- what is kept, what is left out


def test_aws_ids_and_name_tags_are_kept() -> None:
    design = Design.model_validate({
        "vpcs": {"prod": {
            "cidr": "10.0.0.0/16", "id": "vpc-0abc", "tags": {"Name": "Production", "Team": "net"},
            "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "id": "subnet-01", "tags": {"Name": "public-a"}}},
        }},
    })
    data = to_data(design)
    vpc = data["vpcs"]["prod"]
    assert (vpc["id"], vpc["tags"]) == ("vpc-0abc", {"Name": "Production", "Team": "net"})
    assert (vpc["subnets"]["a"]["id"], vpc["subnets"]["a"]["tags"]) == ("subnet-01", {"Name": "public-a"})
    assert _round_trip(design) == design


def test_defaults_the_reader_recreates_are_left_out() -> None:
    # SG-04 / NACL-05 / RT-03: the default group, default NACL and main table come back by themselves.
    design = Design.model_validate({"vpcs": {"prod": {"cidr": "10.0.0.0/16", "ipv6_cidrs": ["2600:1f18::/56"]}}})
    assert to_data(design)["vpcs"]["prod"] == {"cidr": "10.0.0.0/16", "ipv6_cidrs": ["2600:1f18::/56"]}
    assert _round_trip(design) == design


def test_changed_defaults_are_written() -> None:
    # A main table with routes, a default NACL with a deny, a default group without its self-reference:
    # none equals what the reader would re-create, so each is written out.
    design = Design.model_validate({"vpcs": {"prod": {
        "cidr": "10.0.0.0/16",
        "route_tables": {"main": {"id": "rtb-1", "routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}},
        "nacls": {"default": {"ingress": [{"rule": 100, "protocol": "tcp", "ports": 22, "cidr": "0.0.0.0/0", "action": "deny"}]}},
        "security_groups": {"default": {"ingress": []}, "web": {"egress": []}},
        "internet_gateway": "igw",
    }}})
    vpc = to_data(design)["vpcs"]["prod"]
    assert set(vpc["route_tables"]) == {"main"} and set(vpc["nacls"]) == {"default"}
    assert set(vpc["security_groups"]) == {"default", "web"}
    assert vpc["security_groups"]["web"] == {"egress": []}  # SG-03: "no egress" differs from the default
    assert _round_trip(design) == design


def test_public_ip_true_is_written_as_a_boolean() -> None:
    design = Design.model_validate({"vpcs": {"p": {
        "cidr": "10.0.0.0/16", "subnets": {"s": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}},
        "instances": {"a": {"subnet": "s", "public_ip": True}, "b": {"subnet": "s", "public_ip": "54.1.2.3"}},
    }}})
    instances = yaml.safe_load(dump(design))["vpcs"]["p"]["instances"]
    assert instances["a"]["public_ip"] is True and instances["b"]["public_ip"] == "54.1.2.3"
    assert _round_trip(design) == design


def test_import_to_stdout_and_a_bad_source(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["import", str(DESIGNS[0])]) == 0
    assert loads(capsys.readouterr().out) == load(str(DESIGNS[0]))
    bad = tmp_path / "bad.yaml"
    bad.write_text("vpcs: {prod: {cidr: 10.0.0.0/33}}\n")
    assert main(["import", str(bad), "-o", str(tmp_path / "out.yaml")]) == 2
    assert f"{bad}:1:21:" in capsys.readouterr().err
    assert not (tmp_path / "out.yaml").exists()


# --------------------------------------------------------------------------- the AWS snapshots of the corpus
# (the Terraform plans and CloudFormation templates have the same round trip in their readers' tests)

CORPUS_INPUTS = sorted([*CORPUS.glob("batfish-aws/*/aws_configs"), *CORPUS.glob("batfish-aws/unit-rigs/*/aws_configs")])


def test_the_corpus_inputs_are_found() -> None:
    assert len(CORPUS_INPUTS) == 8  # 6 unit rigs and 2 hybrid-cloud networks (batfish-aws/README.md)


@pytest.mark.parametrize("source", CORPUS_INPUTS, ids=[str(p.relative_to(CORPUS)) for p in CORPUS_INPUTS])
def test_every_corpus_input_imports_and_reads_back_equal(source: Path, tmp_path: Path) -> None:
    original = load(str(source))
    out = tmp_path / "imported.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert out.read_text().startswith(f"# Imported by vpckit from {source}\n")
    assert load(str(out)) == original


def test_a_snapshot_import_keeps_aws_ids_and_name_tags(tmp_path: Path) -> None:
    source = CORPUS / "batfish-aws" / "hybrid-cloud-aws"
    out = tmp_path / "hybrid.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    imported = load(str(out))
    assert len(imported.vpcs) == 4  # 4 VPCs in us-west-2 (corpus README)
    # Vpcs.json: vpc-b390fad5 is tagged "Arista Demo", vpc-925131f4 "Demo-Test2"
    names = {vpc.id: vpc.tags.get("Name") for vpc in imported.vpcs.values()}
    assert names["vpc-b390fad5"] == "Arista Demo" and names["vpc-925131f4"] == "Demo-Test2"
    assert imported.find_vpc("Arista Demo") == imported.find_vpc("vpc-b390fad5") is not None


# --------------------------------------------------------------------------- any design: a property

_TRICKY = ["yes", "no", "on", "null", "true", "1e3", "0x1F", "~", "a: b", "#hash", " padded ", "Ünïcode", "'q'", "-dash"]
names = st.one_of(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), st.sampled_from(_TRICKY))
texts = st.one_of(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=15), st.sampled_from(_TRICKY))
tags = st.dictionaries(st.sampled_from(["Name", "Team", "Env", "Tier"]), texts, max_size=2)
aws_ids = st.none() | st.from_regex(r"[a-z]{3}-[0-9a-f]{8}", fullmatch=True)
azs = st.sampled_from(["us-east-1a", "us-east-1b", "eu-west-1c"])
ports = st.one_of(st.integers(0, 65535), st.tuples(st.integers(0, 65535), st.integers(0, 65535)).map(
    lambda t: f"{min(t)}-{max(t)}"))


def _cidr(prefix: int, version: int = 4):
    bits = 32 if version == 4 else 128
    return st.integers(0, 2**bits - 1).map(
        lambda n: str(ipaddress.ip_network((n >> (bits - prefix) << (bits - prefix), prefix))))


cidrs = st.integers(8, 32).flatmap(_cidr) | st.integers(32, 128).flatmap(lambda p: _cidr(p, 6))


@st.composite
def _filter_rule(draw) -> dict:
    protocol = draw(st.sampled_from(["tcp", "udp", "icmp", "all", "50", "icmpv6"]))
    rule: dict = {"protocol": protocol}
    if protocol in ("tcp", "udp") and draw(st.booleans()):
        rule["ports"] = draw(ports)
    if protocol in ("icmp", "icmpv6") and draw(st.booleans()):
        rule["icmp_type"], rule["icmp_code"] = draw(st.integers(-1, 255)), draw(st.integers(-1, 16))
    return rule


@st.composite
def _vpc(draw, index: int) -> dict:
    subnet_names = draw(st.lists(names, max_size=4, unique=True))
    table_names = draw(st.lists(names, max_size=3, unique=True))
    nacl_names = draw(st.lists(names, max_size=2, unique=True))
    group_names = draw(st.lists(names, max_size=3, unique=True))
    gateways = draw(st.lists(names, max_size=1))
    nats = draw(st.lists(names, max_size=2, unique=True)) if subnet_names else []
    targets = gateways + nats + ["blackhole", "pcx-0123abcd", "tgw-1"]
    ipv6 = draw(st.booleans())
    vpc: dict = {
        "cidr": f"10.{index}.0.0/16",
        "id": draw(aws_ids), "tags": draw(tags), "description": draw(st.none() | texts),
        "secondary_cidrs": draw(st.lists(st.just(f"100.{64 + index}.0.0/16"), max_size=1)),
        "ipv6_cidrs": [f"2600:1f18:{index}::/56"] if ipv6 else [],
        "internet_gateways": {g: {"id": draw(aws_ids)} if draw(st.booleans()) else {} for g in gateways},
        "subnets": {
            name: {
                "az": draw(azs), "cidr": f"10.{index}.{i}.0/24", "id": draw(aws_ids), "tags": draw(tags),
                "route_table": draw(st.none() | st.sampled_from(table_names or ["main"])),
                "nacl": draw(st.none() | st.sampled_from(nacl_names or ["default"])),
                "auto_public_ip": draw(st.booleans()), "tier": draw(st.none() | st.sampled_from(["public", "app", "db"])),
            }
            for i, name in enumerate(subnet_names)
        },
        "route_tables": {
            name: {"id": draw(aws_ids), "routes": [
                {"destination": draw(cidrs | st.just("pl-0abc1234")), "target": draw(st.sampled_from(targets)),
                 "origin": draw(st.sampled_from(["static", "propagated"])),
                 "state": draw(st.sampled_from(["active", "blackhole"]))}
                for _ in range(draw(st.integers(0, 3)))
            ]}
            for name in table_names + (["main"] if draw(st.booleans()) else [])
        },
        "nacls": {
            name: {direction: [
                {**draw(_filter_rule()), "rule": number, "cidr": draw(cidrs), "action": draw(st.sampled_from(["allow", "deny"]))}
                for number in draw(st.lists(st.integers(1, 32766), max_size=3, unique=True))
            ] for direction in ("ingress", "egress")}
            for name in nacl_names + (["default"] if draw(st.booleans()) else [])
        },
        "security_groups": {
            name: {
                "description": draw(st.none() | texts), "tags": draw(tags),
                "ingress": [{**draw(_filter_rule()), "source": draw(cidrs | st.sampled_from(group_names or ["sg-0abc1234"])),
                             "description": draw(st.none() | texts)} for _ in range(draw(st.integers(0, 2)))],
                **({"egress": [{**draw(_filter_rule()), "destination": draw(cidrs | st.sampled_from(group_names or ["sg-0abc1234"]))}
                               for _ in range(draw(st.integers(0, 2)))]} if draw(st.booleans()) else {}),
            }
            for name in group_names + (["default"] if draw(st.booleans()) else [])
        },
        "nat_gateways": {n: {"subnet": draw(st.sampled_from(subnet_names)), "connectivity": draw(st.sampled_from(["public", "private"])),
                             "private_ip": draw(st.none() | st.just(f"10.{index}.0.5"))} for n in nats},
        "instances": {
            name: {
                "subnet": draw(st.sampled_from(subnet_names)),
                "private_ip": draw(st.none() | st.integers(4, 250).map(lambda n, i=index: f"10.{i}.0.{n}")),
                "public_ip": draw(st.none() | st.booleans() | st.just("54.0.0.1")),
                "security_groups": draw(st.lists(st.sampled_from(group_names), max_size=2)) if group_names else [],
                "source_dest_check": draw(st.booleans()),
                "state": draw(st.sampled_from(["running", "stopped"])), "os": draw(st.sampled_from(["linux", "windows"])),
            }
            for name in (draw(st.lists(names, max_size=3, unique=True)) if subnet_names else [])
        },
    }
    return vpc


@st.composite
def designs(draw) -> Design:
    vpc_names = draw(st.lists(names, min_size=0, max_size=3, unique=True))
    data = {
        "name": draw(names), "region": draw(st.sampled_from(["us-east-1", "eu-west-1"])),
        "description": draw(st.none() | texts),
        "vpcs": {name: draw(_vpc(i)) for i, name in enumerate(vpc_names)},
        "peering_connections": {
            "pcx": {"requester": vpc_names[0], "accepter": vpc_names[1], "id": draw(aws_ids)}
        } if len(vpc_names) > 1 else {},
        "prefix_lists": {name: {"entries": draw(st.lists(cidrs, max_size=2)), "max_entries": draw(st.none() | st.integers(1, 100))}
                         for name in draw(st.lists(names, max_size=1))},
        "expectations": [
            {"from": draw(names), "to": draw(st.sampled_from(["internet", "10.0.0.5"])), "protocol": draw(st.sampled_from(["tcp", "udp"])),
             "port": draw(st.none() | ports), "expect": draw(st.none() | st.sampled_from(["reachable", "unreachable"]))}
            for _ in range(draw(st.integers(0, 2)))
        ],
    }
    return Design.model_validate(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(designs())
def test_any_design_reads_back_equal(design: Design) -> None:
    text = dump(design)
    assert _round_trip(design) == design
    assert dump(loads(text)) == text  # and is written again identically
