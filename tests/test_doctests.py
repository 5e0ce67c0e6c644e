"""Every docstring example in the package runs (they are part of the documentation)."""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil

import pytest

import vpckit

MODULES = ["vpckit", *sorted(
    m.name for m in pkgutil.walk_packages(vpckit.__path__, "vpckit.") if not m.name.endswith("__main__")
)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(os.path.dirname(os.path.dirname(vpckit.__file__)))
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
