"""Mutated inputs for every reader, and the contract vpckit keeps on each of them.

The seeds are the bundled inputs of each reader (designs as YAML and JSON, the describe-* snapshot, the
Terraform plan, the query file) and the CloudFormation templates and plans of the shared corpus. A case
mutates one seed structurally (a key deleted, a value of the wrong type, a value nested a thousand deep,
a control character, a lone surrogate, a number out of range, a name with markup in it) or by bytes (a
byte flipped, a span deleted, NEL or NUL inserted, the text truncated), writes it beside a copy of the
rest of the seed, and runs the command line on it in this process.

The contract (:func:`verdict`): exit 0, 1 or 2; never "internal error", never a traceback; on exit 2
every line names ``file:line:col`` when the complaint is about the content of a file; output always
encodes as UTF-8; an SVG is well-formed XML; and it answers in seconds (a hang is cut by an alarm).

Used by ``tests/test_fuzz.py`` (bounded, in CI) and ``benchmarks/fuzz.py`` (10,000+ cases per reader).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
import re
import shutil
import signal
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

#: exit-2 lines that speak of the content of a file read: ``file:line:col: message``
POSITIONED = re.compile(r"^(vpckit: warning: .*|.+?:\d+:\d+: .+)$")


@dataclass(frozen=True)
class Seed:
    """One input to mutate: ``target`` (a file, or the file inside the copied folder ``folder``)."""

    reader: str
    name: str
    target: Path
    folder: Path | None = None
    #: the command line, with {input} for the mutated input (the folder for a snapshot)
    argv: tuple[str, ...] = ("validate", "{input}", "-f", "json")


def seeds() -> dict[str, list[Seed]]:
    """The seeds of every reader, by reader."""
    snapshot = ROOT / "examples" / "snapshot"
    out: dict[str, list[Seed]] = {
        "design-yaml": [Seed("design-yaml", p.name, p) for p in sorted((ROOT / "designs").glob("*.yaml"))]
        + [Seed("design-yaml", "network.yaml", ROOT / "examples" / "network.yaml")],
        "design-json": [Seed("design-json", p.stem + ".json", p) for p in sorted((ROOT / "designs").glob("*.yaml"))],
        "snapshot": [Seed("snapshot", p.name, p, snapshot) for p in sorted(snapshot.rglob("*.json"))],
        "terraform": [Seed("terraform", "plan.json", ROOT / "examples" / "plan.json")],
        "cloudformation": [],
        "queries": [Seed("queries", "queries.yaml", ROOT / "examples" / "queries.yaml",
                         argv=("reach", str(ROOT / "designs" / "three-tier.yaml"), "--queries", "{input}", "-f", "json")),
                    Seed("queries", "expectations.yaml", ROOT / "examples" / "queries.yaml",
                         argv=("validate", str(ROOT / "examples" / "network.yaml"), "--expectations", "{input}"))],
    }
    if CORPUS.exists():
        out["terraform"] += [Seed("terraform", p.name, p) for p in sorted((CORPUS / "terraform" / "plan-json").rglob("*.json"))]
        templates = sorted(p for p in (CORPUS / "cloudformation").rglob("*")
                           if p.suffix in (".yaml", ".yml", ".json", ".template"))
        out["cloudformation"] = [Seed("cloudformation", p.name, p) for p in templates]
        unit_rigs = CORPUS / "batfish-aws" / "unit-rigs"
        for rig in sorted(unit_rigs.iterdir()) if unit_rigs.exists() else ():
            out["snapshot"] += [Seed("snapshot", f"{rig.name}/{p.name}", p, rig) for p in sorted(rig.rglob("*.json"))]
    return out


# --------------------------------------------------------------------------- mutations

ODD_STRINGS = [
    "", " ", "\x01", "a\x07b", "\x00", "web\x85tier", "\u2028", "\ud83d", "x\udcff", "\\", "a\\b", '"', "'",
    "<b>html</b>", "{label}", "a\nb", "é", "🔥", "x" * 5000, "22,80", "-1", "65536", "0x10", "1e5",
    "10.0.0.0/33", "::/0", "0.0.0.0/0", "fd00::/8", "10.0.1.5/24", "app:1", "app.1", "*", "null", "true",
]
ODD_NUMBERS = [-1, 0, 1, 65535, 65536, 70000, 2 ** 31, 2 ** 64, -(2 ** 63), 100.9, 22.0, 1e308, float("inf"),
               float("-inf"), float("nan"), 256, 255, -2, 32767, 32766, 32768]


def value_paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.append((*prefix, key))
            found.extend(value_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.append((*prefix, index))
            found.extend(value_paths(value, (*prefix, index)))
    return found


def strings_of(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings_of(v)] + [k for k in data if isinstance(k, str)]
    if isinstance(data, list):
        return [s for v in data for s in strings_of(v)]
    return [data] if isinstance(data, str) else []


def _odd_value(rng: random.Random, data: Any) -> Any:
    choice = rng.randrange(9)
    if choice == 0:
        return rng.choice(ODD_STRINGS)
    if choice == 1:
        return rng.choice(ODD_NUMBERS)
    if choice == 2:
        return rng.choice([None, True, False, [], {}, [1, 2], {"a": 1}])
    if choice == 3:
        nested: Any = rng.choice([1, "x", {}])
        for _ in range(rng.choice([50, 150, 400, 900])):
            nested = [nested] if rng.random() < 0.7 else {"k": nested}
        return nested
    if choice == 4:
        strings = strings_of(data)
        return rng.choice(strings) if strings else "x"
    if choice == 5:
        return rng.choice(ODD_STRINGS) + rng.choice(strings_of(data) or ["x"])
    if choice == 6:
        return str(rng.choice(ODD_NUMBERS))
    if choice == 7:
        return [rng.choice(ODD_STRINGS), rng.choice(ODD_NUMBERS)]
    return {rng.choice(ODD_STRINGS) or "k": rng.choice(ODD_NUMBERS)}


def mutate_data(rng: random.Random, data: Any) -> tuple[Any, str]:
    """One to three structural mutations of parsed data; returns the data and what was done."""
    data = copy.deepcopy(data)
    done = []
    for _ in range(rng.randint(1, 3)):
        paths = value_paths(data)
        if not paths:
            break
        path = rng.choice(paths)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        op = rng.choice(["delete", "retype", "retype", "retype", "rename", "duplicate", "swap"])
        done.append(f"{op} {'/'.join(map(str, path))[:80]}")
        if op == "delete":
            del parent[path[-1]]
        elif op == "retype":
            parent[path[-1]] = _odd_value(rng, data)
        elif op == "rename" and isinstance(parent, dict):
            parent[rng.choice(ODD_STRINGS) or "k"] = parent.pop(path[-1])
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        elif op == "swap":
            strings = strings_of(data)
            parent[path[-1]] = rng.choice(strings) if strings else None
    return data, "; ".join(done)


BYTES = [b"\x00", b"\x01", b"\x07", b"\x85", b"\xc2\x85", b"\xff", b"\xc3", b"\xe2\x80\xa8", b"\xed\xa0\xbd",
         b"\t", b"\r", b"\n", b"{", b"[", b"]", b"}", b":", b",", b'"', b"'", b"&a", b"*a", b"!!python/name:x",
         b"\\ud83d", b"\\u0000", b"- ", b"? ", b"%YAML 1.1\n", b"---\n", b"...\n", b"1e999", b"-0", b"NaN"]


def mutate_bytes(rng: random.Random, raw: bytes) -> tuple[bytes, str]:
    """One to three byte-level mutations."""
    done = []
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(raw) + 1)
        op = rng.choice(["insert", "insert", "flip", "delete", "truncate", "line"])
        done.append(f"{op}@{at}")
        if op == "insert":
            raw = raw[:at] + rng.choice(BYTES) + raw[at:]
        elif op == "flip" and raw:
            at = min(at, len(raw) - 1)
            raw = raw[:at] + bytes([raw[at] ^ (1 << rng.randrange(8))]) + raw[at + 1:]
        elif op == "delete":
            raw = raw[:at] + raw[at + rng.randint(1, 40):]
        elif op == "truncate":
            raw = raw[:at]
        else:  # a line repeated (duplicate keys, duplicate entries)
            lines = raw.split(b"\n")
            index = rng.randrange(len(lines))
            lines.insert(index, lines[index])
            raw = b"\n".join(lines)
    return raw, ", ".join(done)


def _parse(seed: Seed, text: str) -> Any:
    return json.loads(text) if seed.target.suffix == ".json" else yaml.safe_load(text)


def _dump(rng: random.Random, seed: Seed, data: Any) -> bytes:
    as_json = seed.reader == "design-json" or seed.target.suffix == ".json"
    if as_json:
        text = json.dumps(data, indent=rng.choice([None, 1]), ensure_ascii=rng.random() < 0.5)
        return text.encode("utf-8", "surrogatepass")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=rng.random() < 0.5).encode("utf-8", "surrogatepass")


@dataclass
class Case:
    """A mutated input, ready to run."""

    seed: Seed
    how: str
    raw: bytes
    argv: tuple[str, ...] = ()
    path: Path | None = None


def make_case(rng: random.Random, seed: Seed) -> Case:
    """A case from ``seed``: a structural mutation (dumped back) or a byte mutation of its text."""
    text = seed.target.read_text(encoding="utf-8")
    if seed.reader == "design-json":
        text = json.dumps(yaml.safe_load(text), indent=1)
    if rng.random() < 0.6:
        try:
            data, how = mutate_data(rng, _parse(seed, text))
            return Case(seed, how, _dump(rng, seed, data))
        except (ValueError, TypeError, RecursionError, yaml.YAMLError) as error:
            return Case(seed, f"unserialisable mutation ({type(error).__name__}); bytes instead",
                        mutate_bytes(rng, text.encode("utf-8"))[0])
    raw, how = mutate_bytes(rng, text.encode("utf-8"))
    return Case(seed, "bytes: " + how, raw)


def write_case(case: Case, workdir: Path, rng: random.Random | None = None) -> Case:
    """Write the case's input under ``workdir`` (a snapshot's folder copied first) and fill in its argv."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    seed = case.seed
    if seed.folder is not None:
        copied = workdir / seed.folder.name
        shutil.copytree(seed.folder, copied)
        target = copied / seed.target.relative_to(seed.folder)
        given = copied
    else:
        name = seed.name if seed.reader != "design-json" else seed.name
        target = given = workdir / name
    target.write_bytes(case.raw)
    argv = [part.replace("{input}", str(given)) for part in seed.argv]
    if rng is not None and seed.argv[0] == "validate" and seed.reader != "queries":
        pick = rng.random()
        if pick < 0.15:
            argv = ["diagram", str(given), "-o", str(workdir / "out.dot")]
        elif pick < 0.2:
            argv = ["diagram", str(given), "-o", str(workdir / "out.svg")]
        elif pick < 0.35:
            argv = ["validate", str(given), "-f", rng.choice(["text", "sarif", "junit"])]
    case.argv, case.path = tuple(argv), target
    return case


# --------------------------------------------------------------------------- running


class Hang(BaseException):
    """Raised by the alarm: a case ran past its time (BaseException, so no catch-all in vpckit sees it)."""


@dataclass
class Outcome:
    status: int | None
    kind: str  # accepted | rejected | internal-error | unpositioned | traceback | encoding | bad-svg | hang | crash
    detail: str = ""
    seconds: float = 0.0
    output: str = field(default="", repr=False)


def run_case(case: Case, limit: int = 60) -> Outcome:
    """Run the case's command line in this process, output encoded strictly as UTF-8, with an alarm."""
    from vpckit.cli import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="strict", write_through=True)

    def alarm(*_: Any) -> None:
        raise Hang()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(limit)
    start = time.perf_counter()
    status: int | None = None
    failure = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(case.argv))
    except Hang:
        failure = Outcome(None, "hang", f"still running after {limit} s")
    except UnicodeEncodeError as error:
        failure = Outcome(None, "encoding", f"output does not encode as UTF-8: {error}")
    except BaseException as error:  # noqa: BLE001 - the harness reports whatever escaped
        failure = Outcome(None, "crash", f"{type(error).__name__}: {error}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - start
    text = out_bytes.getvalue().decode("utf-8", "replace") + err_bytes.getvalue().decode("utf-8", "replace")
    if failure is not None:
        failure.seconds, failure.output = seconds, text
        return failure
    return verdict(case, status, out_bytes.getvalue().decode("utf-8", "replace"),
                   err_bytes.getvalue().decode("utf-8", "replace"), seconds)


def verdict(case: Case, status: int | None, out: str, err: str, seconds: float) -> Outcome:
    """Whether one run kept the contract."""
    def outcome(kind: str, detail: str = "") -> Outcome:
        return Outcome(status, kind, detail, seconds, out + err)

    if "Traceback" in out + err:
        return outcome("traceback", err[-400:])
    if "internal error" in err:
        return outcome("internal-error", next(line for line in err.splitlines() if "internal error" in line)[:300])
    if status not in (0, 1, 2):
        return outcome("crash", f"exit status {status}")
    if status == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        if not lines:
            return outcome("unpositioned", "exit 2 with nothing said")
        bad = [line for line in lines if not POSITIONED.match(line)]
        if bad:
            return outcome("unpositioned", bad[0][:300])
        return outcome("rejected")
    if case.argv and case.argv[0] == "diagram" and str(case.argv[-1]).endswith(".svg"):
        svg = Path(case.argv[-1])
        try:
            ElementTree.parse(svg)
        except (ElementTree.ParseError, OSError) as error:
            return outcome("bad-svg", str(error))
    return outcome("accepted")


FAILURES = ("internal-error", "unpositioned", "traceback", "encoding", "bad-svg", "hang", "crash")


def fuzz(reader: str, count: int, seed: int, workdir: Path,
         report: Callable[[Case, Outcome], None] | None = None) -> dict[str, int]:
    """Run ``count`` cases of one reader; returns the count per outcome kind."""
    rng = random.Random(seed)
    pool = seeds()[reader]
    counts: dict[str, int] = {}
    for _ in range(count):
        case = write_case(make_case(rng, rng.choice(pool)), workdir, rng)
        result = run_case(case)
        counts[result.kind] = counts.get(result.kind, 0) + 1
        if report is not None:
            report(case, result)
    return counts
