"""Solid on any input: mutated inputs of every reader, and the cases fuzzing found, kept as regressions.

Every run of the command line on a mutated input keeps the contract (tests/fuzzer.py :func:`verdict`):
exit 0, 1 or 2; no "internal error" and no traceback; on exit 2 each line names ``file:line:col``;
output encodes as UTF-8; an SVG is well-formed. ``VPCKIT_FUZZ_CASES`` raises the number of cases per
reader (``benchmarks/fuzz.py`` runs 10,000+ per reader and counts the outcomes).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzzer import FAILURES, Case, Seed, make_case, run_case, seeds, write_case

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "fuzz_cases"
SNAPSHOT = ROOT / "examples" / "snapshot"
EXAMPLES = int(os.environ.get("VPCKIT_FUZZ_CASES", "25"))
READERS = sorted(seeds())


@pytest.mark.parametrize("reader", READERS)
def test_mutated_inputs_keep_the_contract(reader: str, tmp_path: Path) -> None:
    pool = seeds()[reader]
    assert pool, f"no seed for {reader}"

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.integers(0, 2 ** 32 - 1))
    def check(number: int) -> None:
        rng = random.Random(number)
        case = write_case(make_case(rng, rng.choice(pool)), tmp_path / "case", rng)
        outcome = run_case(case)
        assert outcome.kind not in FAILURES, (case.seed.name, case.how, case.argv, outcome.detail)

    check()


# --------------------------------------------------------------------------- the cases fuzzing found


VALIDATE = ("validate", "{case}", "-f", "json")
#: the case file replaces the describe output of the same key in a copy of the bundled snapshot
VALIDATE_SNAPSHOT = ("validate", "{snapshot}", "-f", "json")


#: case file -> (command line, exit status, a fragment of what is said: on stderr for exit 2)
REGRESSIONS: dict[str, tuple[tuple[str, ...], int, str]] = {
    "control-character.yaml": (VALIDATE, 2, ":117:9: invalid YAML: character U+0007 is not allowed"),
    "lone-surrogate.json": (VALIDATE, 2, "\\ud83d is half of a UTF-16 surrogate pair"),
    "surrogate-pair-and-nel.json": (VALIDATE, 0, "\"findings\""),
    "deep-nesting.json": (VALIDATE, 2, "vpcs.prod.tags.deep: expected text, got list"),
    "deep-nesting.yaml": (VALIDATE, 2, "values nested more than 100 deep"),
    "not-utf8.yaml": (VALIDATE, 2, "not UTF-8 text (invalid start byte 0xff)"),
    "duplicate-key.json": (VALIDATE, 2, ":3:2: duplicate key 'name'"),
    "nan.json": (VALIDATE, 2, "NaN is not a JSON value"),
    "nat-gateway-without-subnet.yaml": (VALIDATE, 1, "REF001"),
    "snapshot-Vpcs-association-set-as-text.json": (
        VALIDATE_SNAPSHOT, 2, "Vpcs[0].CidrBlockAssociationSet: expected a list, got str"),
    "snapshot-SecurityGroups-port-as-text.json": (
        VALIDATE_SNAPSHOT, 2, "SecurityGroups[1].IpPermissions[0].FromPort: expected a whole number"),
    "unknown-tag.yaml": (VALIDATE, 2, "unknown-tag.yaml:2:13: invalid value: could not determine a constructor"),
    "snapshot-AvailabilityZones-zone-name-as-list.json": (
        VALIDATE_SNAPSHOT, 2, "AvailabilityZones[0].ZoneName: expected text, got a list"),
    "snapshot-Vpcs-null-in-a-list.json": (
        VALIDATE_SNAPSHOT, 2, "Vpcs[0].CidrBlockAssociationSet[0]: expected a mapping, got null"),
    "icmp-type-out-of-range.yaml": (VALIDATE, 2, "icmp_type: 70000 is outside 0-255 (or -1 for every type or code)"),
    "template-deep-nesting.json": (VALIDATE, 2, "values nested more than 100 deep"),
    "template-rule-number-fraction.yaml": (VALIDATE, 0, "RuleNumber: expected a whole number, got 100.9"),
    "public-pool-used-by-the-vpc.json": (VALIDATE, 2, "i: vpckit numbers public IPv4 addresses it is not given from"),
    "plan-port-as-text.json": (VALIDATE, 2, "aws_security_group.app.ingress[0].from_port: expected a number"),
    "plan-infinity.json": (VALIDATE, 2, "Infinity is not a JSON value"),
    "queries-unknown-key.yaml": (
        ("reach", str(ROOT / "designs" / "three-tier.yaml"), "--queries", "{case}", "-f", "json"), 2,
        "queries-unknown-key.yaml:2:3: unknown query key(s) protocl"),
    "queries-not-a-list.yaml": (
        ("reach", str(ROOT / "designs" / "three-tier.yaml"), "--queries", "{case}"), 2, "expected a list of queries"),
    "names-that-break-dot.json": (("diagram", "{case}", "-o", "{case}.svg"), 0, "svg diagram"),
    "expectations-bad-verdict.yaml": (
        ("validate", str(ROOT / "designs" / "three-tier.yaml"), "--expectations", "{case}"), 2,
        "expectations-bad-verdict.yaml:1:83: expectations.0.expect: expected 'reachable'"),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_found_case_keeps_the_contract(name: str, tmp_path: Path) -> None:
    argv, status, said = REGRESSIONS[name]
    case_file = tmp_path / name
    shutil.copy(CASES / name, case_file)
    snapshot = tmp_path / "snapshot"
    if "{snapshot}" in argv:
        shutil.copytree(SNAPSHOT, snapshot)
        file = name.split("-")[1] + ".json"
        shutil.copy(CASES / name, snapshot / "111111111111" / "us-east-1" / file)
    argv = tuple(part.replace("{case}", str(case_file)).replace("{snapshot}", str(snapshot)) for part in argv)
    case = Case(Seed("regression", name, case_file), name, b"", argv, case_file)
    outcome = run_case(case)
    assert outcome.kind not in FAILURES, outcome.detail
    assert outcome.status == status, outcome.output[-600:]
    assert said in outcome.output, outcome.output[-600:]


def test_every_found_case_is_in_the_table() -> None:
    assert sorted(p.name for p in CASES.iterdir()) == sorted(REGRESSIONS)


# --------------------------------------------------------------------------- pipes


def _vpckit(*args: str, stdin: bytes | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from vpckit.cli import run; run()", *args],
                          input=stdin, capture_output=True, timeout=timeout, cwd=ROOT)


def test_a_design_piped_on_stdin_is_read_once_and_whole() -> None:
    done = _vpckit("validate", "/dev/stdin", "-f", "json", stdin=(ROOT / "designs" / "three-tier.yaml").read_bytes())
    assert done.returncode in (0, 1), done.stderr.decode()
    assert b'"findings"' in done.stdout


def test_a_named_pipe_without_a_writer_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "design.yaml"
    os.mkfifo(fifo)
    done = _vpckit("validate", str(fifo), timeout=60)
    assert done.returncode == 2 and b"is a pipe with nothing written to it" in done.stderr, done.stderr
