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


@pytest.fixture
def require():
    """``require(program)``: the path of an installed program, else a skip that says why — and, under CI
    (which installs Graphviz and chromium), a failure, so that the test count never shrinks silently."""
    import os

    from vpckit.render.output import _which

    def need(program: str) -> str:
        found = _which(program)
        if found:
            return found
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed; CI must install it (.ci/run does)")
        pytest.skip(f"{program} is not installed here (CI installs it and runs this test)")
    return need
