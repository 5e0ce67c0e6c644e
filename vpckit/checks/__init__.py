"""Validation rules. Each module holds one family of rules; importing it registers them.

>>> from vpckit.checks import RULES, load_rules
>>> load_rules(); len(RULES) > 0
True
"""

from __future__ import annotations

import importlib
import pkgutil

from .registry import RULES, SEVERITY_ORDER, CheckContext, Finding, Rule, rule, run_checks

__all__ = ["RULES", "SEVERITY_ORDER", "CheckContext", "Finding", "Rule", "rule", "run_checks", "load_rules"]


def load_rules() -> None:
    """Import every rule module of this package (idempotent)."""
    for module in pkgutil.iter_modules(__path__):
        if module.name != "registry" and not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
