"""JSON designs are parsed at C speed and their positions found only when a message needs one:
the same data and the same positions as the positioned reader, duplicates and non-JSON constants
still refused at their place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpckit.errors import InputError
from vpckit.sources.native import loads
from vpckit.sources.positions import LazyPositions, load_with_positions, load_yaml

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


def test_json_is_read_as_json_whatever_yaml_would_make_of_it() -> None:
    """JSON is never handed to the YAML reader: floats stay numbers, NEL and surrogate pairs are characters."""
    data, positions = load_with_positions('{"a": 1e5, "b": 1.5, "c": "x\u0085y", "d": "\\ud83d\\udd25"}', "d.json")
    assert isinstance(positions, LazyPositions)
    assert data == {"a": 100000.0, "b": 1.5, "c": "x\u0085y", "d": "\U0001f525"}


def _json_inputs() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    corpus = root.parent / "shared" / "corpus"
    return sorted([root / "examples" / "plan.json", *(root / "examples" / "snapshot").rglob("*.json"),
                   *corpus.rglob("*.json")])


def test_every_position_found_in_the_text_is_the_positioned_readers() -> None:
    """On every JSON input at hand, each path's position found by indexing only its path equals the eager one."""
    checked, wrong = 0, []
    for path in _json_inputs():
        text = path.read_text(encoding="utf-8")
        try:
            eager = load_yaml(text, str(path))[1]
        except InputError:
            continue
        lazy = LazyPositions(text, str(path))
        every = LazyPositions(text, str(path))
        every._fill()
        if dict(every.items()) != eager:
            wrong.append((str(path), "all at once"))
        for key, position in eager.items():
            checked += 1
            if lazy.get(key) != position:
                wrong.append((str(path), key))
    assert checked > 10_000 and wrong == []
