"""The native reader on bad input: one clear `file:line:col:` message on stderr, exit 2, no traceback.

Mistakes in a well-formed design are findings (exit 1, tested in tests/checks); these are inputs
that are not a design at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vpckit.cli import main
from vpckit.errors import InputError
from vpckit.sources.native import load, loads

DESIGNS = Path(__file__).resolve().parents[2] / "designs"

POSITIONED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")

VPC = "vpcs:\n  prod:\n    cidr: 10.0.0.0/16\n"

# (case id, file name, content (bytes or text; None: do not create), expected line:col, message fragment)
BAD: list[tuple[str, str, str | bytes | None, str, str]] = [
    ("unclosed-flow-mapping", "d.yaml", "vpcs: {prod: {cidr: 10.0.0.0/16\n", "2:1", "invalid YAML: expected ',' or '}'"),
    ("tab-indentation", "d.yaml", "vpcs:\n\tprod: {}\n", "2:1", "invalid YAML: found character '\\t'"),
    ("bad-indentation", "d.yaml", "vpcs:\n  prod:\n    cidr: 10.0.0.0/16\n   subnets: {}\n", "4:4", "invalid YAML"),
    ("vpcs-is-a-list", "d.yaml", "vpcs: [a, b]\n", "1:1", "vpcs: expected a mapping, got list"),
    ("cidr-is-a-number", "d.yaml", "vpcs:\n  prod:\n    cidr: 42\n", "3:11", "vpcs.prod.cidr: expected a CIDR"),
    ("bool-is-text", "d.yaml", VPC + "    subnets:\n      a: {az: x, cidr: 10.0.0.0/24, auto_public_ip: perhaps}\n",
     "5:53", "vpcs.prod.subnets.a.auto_public_ip: expected true or false, got str 'perhaps'"),
    ("number-is-text", "d.yaml", VPC + "    nacls:\n      x: {ingress: [{rule: first, cidr: 10.0.0.0/8}]}\n",
     "5:28", "vpcs.prod.nacls.x.ingress.0.rule: expected a whole number, got str 'first'"),
    ("literal", "d.yaml", VPC + "    nat_gateways:\n      n: {subnet: a, connectivity: maybe}\n", "5:36",
     "expected 'public' or 'private', got str 'maybe'"),
    ("union-reports-once", "d.yaml", VPC + "    instances:\n      i: {subnet: a, public_ip: banana}\n", "5:33",
     "vpcs.prod.instances.i.public_ip: 'banana' is not a valid IP address"),
    ("unknown-key-did-you-mean", "d.yaml", VPC + "    subnets:\n      a: {az: x, cidr: 10.0.0.0/24, route_tabel: t}\n",
     "5:50", "unknown key 'route_tabel' in vpcs.prod.subnets.a; did you mean 'route_table'?"),
    ("unknown-top-level-key", "d.yaml", VPC + "expectation: []\n", "4:1",
     "unknown key 'expectation' in the top level; did you mean 'expectations'?"),
    ("missing-required-key", "d.yaml", VPC + "    subnets:\n      a: {cidr: 10.0.0.0/24}\n", "5:7",
     "vpcs.prod.subnets.a: missing required key 'az'"),
    ("unparseable-cidr", "d.yaml", "vpcs:\n  prod:\n    cidr: 10.0.0.0/33\n", "3:11", "'10.0.0.0/33' is not a valid CIDR"),
    ("cidr-is-a-word", "d.yaml", "vpcs:\n  prod:\n    cidr: banana\n", "3:11", "'banana' is not a valid CIDR"),
    ("host-bits", "d.yaml", "vpcs:\n  prod:\n    cidr: 10.0.1.5/24\n", "3:11",
     "'10.0.1.5/24' has host bits set (aws-semantics CIDR-02); did you mean 10.0.1.0/24?"),
    ("bad-port", "d.yaml", "vpcs: {}\nexpectations:\n  - {from: a, to: b, port: 99999}\n", "3:28",
     "expectations.0.port: port 99999 is outside 0-65535"),
    ("bad-protocol", "d.yaml", "vpcs: {}\nexpectations:\n  - {from: a, to: b, protocol: tcpp}\n", "3:32",
     "unknown protocol 'tcpp'"),
    ("duplicate-key", "d.yaml", VPC + "  prod:\n    cidr: 10.1.0.0/16\n", "4:3", "duplicate key 'prod'"),
    ("empty-file", "d.yaml", "", "1:1", "the file is empty"),
    ("only-a-comment", "d.yaml", "# nothing yet\n", "1:1", "the file is empty"),
    ("not-utf8", "d.yaml", b"vpcs: {}\n\xff\xfe\n", "2:1", "not UTF-8 text"),  # at the first bad byte
    ("json-syntax-error", "d.json", '{"vpcs": {"prod": {"cidr": "10.0.0.0/16",}}}', "1:42",
     "invalid JSON: Expecting property name enclosed in double quotes"),
    ("json-unknown-key", "d.json", '{\n  "vpcs": {\n    "prod": {"cidr": "10.0.0.0/16", "subnet": {}}\n  }\n}', "3:37",
     "unknown key 'subnet' in vpcs.prod; did you mean 'subnets'?"),
]
# A file that does not exist has no line to point at: tests/sources/test_unreadable.py expects the path alone.


def _write(tmp_path: Path, name: str, content: str | bytes | None) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    return str(path)


def _one_message(status: int, out: str, err: str, file: str) -> re.Match:
    assert status == 2, out + err
    assert "Traceback" not in out + err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    match = POSITIONED.match(lines[0])
    assert match, err
    assert match["file"] == file
    return match


@pytest.mark.parametrize("name, content, position, fragment", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_gives_one_positioned_message(name: str, content: str | bytes | None, position: str, fragment: str,
                                                tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _write(tmp_path, name, content)
    status = main(["validate", path])
    out, err = capsys.readouterr()
    match = _one_message(status, out, err, path)
    assert f"{match['line']}:{match['col']}" == position, err
    assert fragment in match["message"], err


@pytest.mark.parametrize("forced", [False, True], ids=["detected", "input-format-native"])
def test_directory(forced: bool, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.yaml").write_text(VPC, encoding="utf-8")
    status = main(["validate", str(tmp_path), *(["--input-format", "native"] if forced else [])])
    out, err = capsys.readouterr()
    # A folder has no line to point at: the message names the path alone.
    assert status == 2 and out == "" and len(err.splitlines()) == 1, err
    assert err.startswith(f"{tmp_path}: ") and ("directory" in err or "cannot tell" in err), err


@pytest.mark.parametrize("name, content, position, fragment", [c[1:] for c in BAD if c[2] is not None and
                                                               not isinstance(c[2], bytes)],
                         ids=[c[0] for c in BAD if c[2] is not None and not isinstance(c[2], bytes)])
def test_reader_raises_input_error_with_position(name: str, content: str, position: str, fragment: str) -> None:
    with pytest.raises(InputError) as raised:
        loads(content, name)
    error = raised.value
    assert error.position is not None and f"{error.position.line}:{error.position.column}" == position
    assert fragment in error.message


def test_missing_file_from_the_reader() -> None:
    with pytest.raises(InputError) as raised:
        load("/nonexistent/design.yaml")
    assert str(raised.value) == "/nonexistent/design.yaml: file not found"  # no line to point at


def test_json_and_yaml_read_alike(tmp_path: Path) -> None:
    import json

    import yaml

    data = yaml.safe_load((DESIGNS / "three-tier.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "three-tier.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert load(str(path)) == load(str(DESIGNS / "three-tier.yaml"))


def test_well_formed_mistakes_are_findings_not_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A dangling reference and an overlap are findings (exit 1), all reported in one run."""
    path = _write(tmp_path, "d.yaml", VPC + "    subnets:\n      a: {az: x, cidr: 10.1.0.0/24, route_table: nope}\n"
                                            "      b: {az: y, cidr: 10.1.0.0/25}\n")
    status = main(["validate", path])
    out, err = capsys.readouterr()
    assert status == 1 and err == ""
    rules = {line.split()[2] for line in out.splitlines()[:-1]}
    assert {"VPC002", "VPC003", "REF001"} <= rules
