"""docs/semantics.md explains every semantics id vpckit cites, each with an AWS documentation source."""

from __future__ import annotations

import re
from pathlib import Path

from vpckit.checks import RULES, load_rules
from vpckit.checks.registry import semantics_link

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "semantics.md").read_text(encoding="utf-8")
ENTRIES = dict(re.findall(r"^### ([A-Z0-9-]+)\n(.*?)(?=^#{2,3} |\Z)", DOC, re.M | re.S))
CHECKLIST_ID = re.compile(r"\b((?:CIDR|SUB|RT|IGW|NAT|NACL|SG|PCX|TGW|VPCE|VGW|ENI|BPA|NFW)-\d\d)\b")
#: a blocker's semantics, the fourth argument of ``leg.block(code, component, setting, semantics, ...)``
BLOCK_SEMANTICS = re.compile(r'\.block\(\s*"[A-Z0-9_]+",\s*[^,]+,\s*[^,]+,\s*(?:"(?:forward|return)",\s*)?"([A-Za-z0-9-]+)"')


def _cited_in_code() -> set[str]:
    cited: set[str] = set()
    for source in (ROOT / "vpckit").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        cited |= set(CHECKLIST_ID.findall(text)) | set(BLOCK_SEMANTICS.findall(text))
    return cited


def test_every_id_the_code_cites_has_an_entry() -> None:
    load_rules()
    cited = _cited_in_code() | {s for r in RULES.values() for s in r.semantics}
    assert len(cited) > 80
    assert sorted(cited - set(ENTRIES)) == []


def test_every_entry_names_an_aws_source() -> None:
    for semantics_id, text in ENTRIES.items():
        assert "Source:" in text and "https://docs.aws.amazon.com/" in text, semantics_id


def test_the_links_the_rules_command_gives_point_at_entries() -> None:
    anchors = {f"docs/semantics.md#{entry.lower()}" for entry in ENTRIES}
    load_rules()
    for rule in RULES.values():
        for semantics_id in rule.semantics:
            assert semantics_link(semantics_id) in anchors, (rule.id, semantics_id)
