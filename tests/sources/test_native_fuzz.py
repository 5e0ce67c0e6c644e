"""Mutated designs never crash the reader or the CLI.

Hypothesis takes the bundled designs and mutates them — deletes keys, changes the type of values,
inserts unknown keys, corrupts CIDRs, swaps references, truncates the text — and checks the
contract of the native reader and of `vpckit validate`:

* the reader returns a Design or raises InputError with a position (file, line, column);
* the CLI exits 0, 1 or 2, never prints a traceback, and on exit 2 every line it prints reads
  `file:line:col: message`.

The examples are derandomised so the suite is repeatable; set VPCKIT_FUZZ_EXAMPLES to explore more
(e.g. `VPCKIT_FUZZ_EXAMPLES=2000 VPCKIT_FUZZ_RANDOM=1 python -m pytest tests/sources/test_native_fuzz.py`).
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from vpckit.cli import main
from vpckit.errors import InputError
from vpckit.model import Design
from vpckit.sources.native import loads

from ..fuzzer import value_paths, strings_of

DESIGNS = Path(__file__).resolve().parents[2] / "designs"
SEEDS = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(DESIGNS.glob("*.yaml"))}
POSITIONED = re.compile(r"^.+?:\d+:\d+: .+$")

EXAMPLES = int(os.environ.get("VPCKIT_FUZZ_EXAMPLES", "160"))
_COMMON = dict(deadline=None, derandomize=not os.environ.get("VPCKIT_FUZZ_RANDOM"),
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.function_scoped_fixture])
FUZZ = settings(max_examples=EXAMPLES, **_COMMON)
# A CLI run builds the network and answers the expectations: fewer examples, and no shrinking (a
# whole design does not shrink usefully, and shrinking it through the CLI takes minutes).
FUZZ_CLI = settings(max_examples=max(EXAMPLES // 4, 1), phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    **_COMMON)

Node = tuple[Any, ...]


def _parent(data: Any, path: Node) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-70000, 70000), st.floats(allow_nan=True), st.text(max_size=12),
    # st.builds gives a fresh container per draw (st.just would share one that later mutations fill).
    st.builds(list), st.builds(dict), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
CIDR_CORRUPTIONS = ["{}/33", "{}/-1", "{}/", "300.1.2.3/16", "{}x", "10.0.1.5/24", "::/129", "{}/0", "{}/32",
                    "1.2.3", "2600:1f18::/56", "fd00:ec2::/32", "", " ", "0.0.0.0/0", "10.0.0.0/8"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    """A seed design with one to four mutations."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = copy.deepcopy(SEEDS[name])
    for _ in range(draw(st.integers(1, 4))):
        paths = value_paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        op = draw(st.sampled_from(["delete", "retype", "unknown-key", "cidr", "swap-reference"]))
        if op == "delete":
            del parent[path[-1]]
        elif op == "retype":
            parent[path[-1]] = draw(ODD_VALUES)
        elif op == "unknown-key":
            target = parent[path[-1]] if isinstance(parent[path[-1]], dict) else parent
            if isinstance(target, dict):
                target[draw(st.sampled_from(["subnet", "cidrs", "rout_table", "ingres", "x", "targets", "az"]))] = \
                    draw(ODD_VALUES)
        elif op == "cidr":
            value = parent[path[-1]]
            base = value.split("/")[0] if isinstance(value, str) else "10.0.0.0"
            parent[path[-1]] = draw(st.sampled_from(CIDR_CORRUPTIONS)).format(base)
        else:  # swap-reference: a name from elsewhere in the design
            strings = strings_of(data)
            if strings:
                parent[path[-1]] = draw(st.sampled_from(strings))
    return name, data


@st.composite
def design_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, text) of a mutated design, as YAML or JSON, sometimes truncated."""
    name, data = draw(mutated())
    as_json = draw(st.booleans())
    try:
        text = json.dumps(data, indent=1) if as_json else yaml.safe_dump(data, sort_keys=False)
    except (TypeError, ValueError):  # e.g. NaN in JSON stays valid JSON for json.dumps; keep YAML then
        as_json, text = False, yaml.safe_dump(data, sort_keys=False)
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return name.replace(".yaml", ".json" if as_json else ".yaml"), text


@FUZZ
@given(design_texts())
def test_reader_returns_a_design_or_a_positioned_error(case: tuple[str, str]) -> None:
    file, text = case
    try:
        design = loads(text, file)
    except InputError as error:
        assert error.position is not None and error.position.file == file
        assert error.position.line is not None and error.position.column is not None, str(error)
        for more in error.more:
            assert more.position is not None and more.position.line is not None, str(error)
    else:
        assert isinstance(design, Design)


@FUZZ_CLI
@given(case=design_texts())
def test_cli_exit_status_and_no_traceback(case: tuple[str, str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture) -> None:
    file, text = case
    path = tmp_path / file
    path.write_text(text, encoding="utf-8")
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert status in (0, 1, 2), out + err
    assert "Traceback" not in out + err
    assert "internal error" not in err, err
    if status == 2:
        lines = err.splitlines()
        assert lines, out
        for line in lines:
            assert POSITIONED.match(line), err
