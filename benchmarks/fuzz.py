"""Fuzz every reader with many mutated inputs and count the outcomes (tests/fuzzer.py does the work).

    python benchmarks/fuzz.py --count 10000                 # every reader, 10,000 cases each
    python benchmarks/fuzz.py --reader snapshot --count 500 --keep /tmp/failures

Prints one line per reader: the cases, the count per outcome (accepted, rejected with a position, and
each kind of broken contract), the slowest case, and the cases per second. With --keep, every case that
broke the contract is written there (input, command line, what was seen) to be turned into a regression
input under tests/. Not run in CI: the bounded version is tests/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzzer import FAILURES, fuzz, seeds  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reader", action="append", help="one of: " + ", ".join(seeds()))
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the failing cases here")
    args = parser.parse_args(argv)
    readers = args.reader or list(seeds())
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for reader in readers:
            slowest = [0.0, ""]
            kept = [0]

            def report(case, outcome, reader=reader, slowest=slowest, kept=kept) -> None:
                if outcome.seconds > slowest[0]:
                    slowest[:] = [outcome.seconds, f"{case.seed.name}: {case.how[:60]}"]
                if outcome.kind in FAILURES and args.keep is not None:
                    kept[0] += 1
                    place = args.keep / f"{reader}-{kept[0]:04d}"
                    place.mkdir(parents=True, exist_ok=True)
                    (place / ("input" + case.seed.target.suffix)).write_bytes(case.raw)
                    (place / "case.json").write_text(json.dumps({
                        "reader": reader, "seed": str(case.seed.target), "how": case.how, "argv": list(case.argv),
                        "kind": outcome.kind, "detail": outcome.detail}, indent=1, ensure_ascii=True))

            start = time.perf_counter()
            counts = fuzz(reader, args.count, args.seed, Path(folder) / "case", report)
            elapsed = time.perf_counter() - start
            failed += sum(counts.get(kind, 0) for kind in FAILURES)
            shown = ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]))
            print(f"{reader}: {args.count} cases: {shown}; slowest {slowest[0]:.1f} s ({slowest[1]}); "
                  f"{args.count / elapsed:.0f} cases/s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
