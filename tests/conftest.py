"""Shared fixtures: paths to the bundled designs and to the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESIGNS = ROOT / "designs"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def designs_dir() -> Path:
    return DESIGNS


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.exists():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS
