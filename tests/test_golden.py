"""Nothing in the output changes when the code gets faster: validate's findings (rules, paths,
positions, messages) on every bundled and corpus input, and the bundled reach answers, equal those
written in tests/golden/answers.json before the speed work (scripts/golden.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import golden  # noqa: E402


def test_every_answer_is_as_written_before() -> None:
    recorded = json.loads(golden.TARGET.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(golden.answers(), sort_keys=True))
    differing = [key for key in sorted(set(recorded) | set(now)) if recorded.get(key) != now.get(key)]
    assert differing == []
