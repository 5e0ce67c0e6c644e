"""The JSON output of validate against its documented JSON Schema (docs/validate-json.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from vpckit.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_json_output_matches_its_documented_schema(design_file: Path, tmp_path: Path) -> None:
    schema = json.loads((ROOT / "docs" / "validate-json.schema.json").read_text(encoding="utf-8"))
    out = tmp_path / "report.json"
    assert main(["validate", str(design_file), "--format", "json", "-o", str(out)]) == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["summary"]["suppressed"] == sum(1 for f in document["findings"] if f["suppressed"])
