"""Write (or check) what vpckit answers on every bundled input and corpus input: validate's findings,
and the reach answers of the bundled query file, as one JSON document.

Speed work must not change a single answer: the document in tests/golden/answers.json was written
before it, and tests/test_golden.py compares.

    python scripts/golden.py            # rewrite tests/golden/answers.json
    python scripts/golden.py --check    # exit 1 when an answer differs
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
TARGET = ROOT / "tests" / "golden" / "answers.json"


def inputs() -> list[Path]:
    """Every bundled design and example, and every corpus input vpckit reads."""
    found = sorted((ROOT / "designs").glob("*.yaml")) + [ROOT / "examples" / "network.yaml",
                                                          ROOT / "examples" / "three-tier-change.yaml",
                                                          ROOT / "examples" / "plan.json", ROOT / "examples" / "snapshot"]
    batfish = CORPUS / "batfish-aws"
    found += sorted(p for p in (batfish / "unit-rigs").iterdir() if p.is_dir()) + [batfish / "hybrid-cloud-aws"]
    found += sorted(p for p in (CORPUS / "terraform" / "plan-json").rglob("*.json"))
    found += sorted(p for p in (CORPUS / "cloudformation").rglob("*") if p.suffix in (".yaml", ".yml", ".json", ".template"))
    return found


def _relative(text: str) -> str:
    """Paths as written from the repository (``designs/…``) or beside it (``shared/corpus/…``), wherever it is cloned."""
    return text.replace(str(ROOT) + "/", "").replace(str(ROOT.parent) + "/", "")


def answers() -> dict:
    """``{input: {"findings": [...]} or {"error": message}}``, inputs as :func:`_relative` writes them."""
    from vpckit.checks import load_rules, run_checks
    from vpckit.errors import VpckitError
    from vpckit.sources import load

    load_rules()
    out: dict = {}
    for path in inputs():
        key = _relative(str(path))
        try:
            design = load(str(path))
            findings = run_checks(design)
        except VpckitError as error:
            out[key] = {"error": _relative(str(error))}
            continue
        out[key] = {"findings": [
            {"rule": f.rule, "severity": f.severity, "path": [str(p) for p in f.path],
             "position": _relative(str(f.position)) if f.position else None,
             "message": _relative(f.message)} for f in findings]}
    from vpckit.network import build_network
    from vpckit.reach import answer, parse_query
    import yaml

    network = build_network(load(str(ROOT / "designs" / "three-tier.yaml")))
    queries = yaml.safe_load((ROOT / "examples" / "queries.yaml").read_text(encoding="utf-8"))
    queries = queries.get("queries", queries) if isinstance(queries, dict) else queries
    out["examples/queries.yaml"] = [answer(network, parse_query(q)).to_dict() for q in queries]
    return out


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    text = json.dumps(answers(), indent=1, sort_keys=True) + "\n"
    if "--check" in argv:
        return 0 if TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
