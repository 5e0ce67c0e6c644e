"""JSON designs are parsed at C speed and their positions found only when a message needs one:
the same data and the same positions as the positioned reader, duplicates and non-JSON constants
still refused at their place."""

from __future__ import annotations

import json

import pytest

from vpckit.errors import InputError
from vpckit.sources.native import loads
from vpckit.sources.positions import LazyPositions, load_with_positions

TEXT = json.dumps({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}}}}},
                  indent=1)


def test_the_lazy_positions_equal_the_positioned_readers() -> None:
    data, positions = load_with_positions(TEXT, "d.json")
    eager_data, eager = load_with_positions(TEXT, "d.json", lazy=False)
    assert isinstance(positions, LazyPositions) and data == eager_data
    assert dict(positions.items()) == eager and str(positions[("vpcs", "p", "subnets", "a")]) == "d.json:6:5"


@pytest.mark.parametrize("text, says", [
    ('{"vpcs": {}, "vpcs": {}}', "duplicate key 'vpcs'"),
    ('{"vpcs": {"p": {"cidr": "10.0.0.0/33"}}}', "d.json:1:25: vpcs.p.cidr"),
])
def test_errors_keep_their_places(text: str, says: str) -> None:
    with pytest.raises(InputError) as raised:
        loads(text, "d.json")
    assert says in str(raised.value) and str(raised.value).startswith("d.json:1:")


def test_floats_are_read_as_the_yaml_reader_reads_them() -> None:
    data, positions = load_with_positions('{"a": 1e5, "b": 1.5}', "d.json")
    assert not isinstance(positions, LazyPositions) and data == load_with_positions('{"a": 1e5, "b": 1.5}', "d.json",
                                                                                    lazy=False)[0]
