"""docs/design-format.md is the generated reference of the native format: it must be current.

Regenerate with `python scripts/design_reference.py` after changing a model.
"""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = runpy.run_path(str(ROOT / "scripts" / "design_reference.py"))


def test_reference_is_current() -> None:
    written = (ROOT / "docs" / "design-format.md").read_text(encoding="utf-8")
    assert written == SCRIPT["render"](), "docs/design-format.md is stale: run python scripts/design_reference.py"


def test_every_field_of_every_model_is_described() -> None:
    from vpckit.model import Design

    missing = [f"{model.__name__}.{name}" for model in SCRIPT["_models"](Design)
               for name, field in model.model_fields.items() if not SCRIPT["_describe"](model, name, field)]
    assert missing == []


def test_readme_links_the_reference() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/design-format.md" in readme
    assert "## The design format" in readme and "## Commands" in readme


def test_readme_example_is_a_valid_design(tmp_path: Path) -> None:
    from vpckit.checks import run_checks
    from vpckit.sources.native import load

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## The design format", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "web.yaml"
    path.write_text(example, encoding="utf-8")
    design = load(str(path))
    assert [f for f in run_checks(design) if f.severity == "error"] == []
