"""Readers: one module per input format, each ``load(path) -> Design``, and detection.

>>> from vpckit.sources import FORMATS
>>> "native" in FORMATS
True
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import InputError
from ..model import Design, Position

__all__ = ["FORMATS", "InputFormat", "detect", "load"]


@dataclass(frozen=True)
class InputFormat:
    """An input format: its name, how to recognise a path, and the module that reads it."""

    name: str
    module: str
    summary: str
    recognises: Callable[[str, Any], bool]


def _parsed(path: str) -> Any:
    """The parsed top of a JSON/YAML file, or None when it is not one (used only for detection)."""
    from .positions import read_text

    try:
        text = read_text(path)  # a pipe is read once here, and the reader gets the same text
    except InputError:
        return None
    if path.endswith(".json"):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            return None
    from .positions import _Loader, check_aliases  # YAML with CloudFormation's short tags kept as plain data
    import yaml

    class _Tolerant(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc] - libyaml is ~10x faster
        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers

    _Tolerant.add_multi_constructor("!", lambda loader, suffix, node: None)
    loader = _Tolerant(text)
    try:
        node = loader.get_single_node()
        check_aliases(node, path)  # an alias bomb is reported here, before anything walks the data
        return None if node is None else loader.construct_document(node)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _is_native(path: str, data: Any) -> bool:
    from .native import looks_native

    return not os.path.isdir(path) and looks_native(data)


FORMATS: dict[str, InputFormat] = {
    "native": InputFormat("native", "vpckit.sources.native", "vpckit design (YAML or JSON)", _is_native),
}


def register(fmt: InputFormat) -> None:
    """Add an input format (readers register themselves here)."""
    FORMATS[fmt.name] = fmt


def detect(path: str) -> str:
    """The name of the format of ``path``; an :class:`InputError` naming the formats when none fits.

    >>> detect("/nonexistent")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: /nonexistent: no such file or directory
    """
    # A file that does not exist or cannot be read has no line to point at: the error names the path alone.
    if not os.path.exists(path):
        raise InputError("no such file or directory", Position(path))
    _check_readable(path)
    data = None if os.path.isdir(path) else _parsed(path)
    for fmt in FORMATS.values():
        if fmt.recognises(path, data):
            return fmt.name
    if not os.path.isdir(path) and _native_explains(path, data):
        # Let the native reader explain a malformed YAML/JSON file, or a design with a typo, precisely.
        return "native"
    names = ", ".join(f"{f.name} ({f.summary})" for f in FORMATS.values())
    hint = ""
    if path.endswith(".tf") or (os.path.isdir(path) and any(n.endswith(".tf") for n in os.listdir(path))):
        hint = (" Terraform configuration (.tf) is read through its plan: "
                "terraform plan -out plan.bin && terraform show -json plan.bin > plan.json.")
    raise InputError(f"cannot tell what kind of input this is; vpckit reads: {names}. "
                     f"Use --input-format to choose one.{hint}",
                     Position(path) if os.path.isdir(path) else Position(path, 1, 1))  # a folder has no line


def _check_readable(path: str) -> None:
    """An :class:`InputError` naming the path when this process may not read it (a folder it may not list,
    a file it may not open); pipes are left to the readers, which read them once."""
    import stat

    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            os.listdir(path)
        elif stat.S_ISREG(mode):
            with open(path, "rb"):
                pass
    except OSError as error:
        from .positions import unreadable

        raise unreadable(error, path, "folder" if os.path.isdir(path) else "file") from None


def _native_explains(path: str, data: Any) -> bool:
    """True for a YAML/JSON file that did not parse, or a mapping that uses native keys (a design with a typo)."""
    from .native import NATIVE_KEYS

    if isinstance(data, dict):
        import difflib

        return any(key in NATIVE_KEYS or difflib.get_close_matches(str(key), NATIVE_KEYS, n=1, cutoff=0.8)
                   for key in data)
    return data is None and path.endswith((".yaml", ".yml", ".json"))


def _accepted(function: Callable[..., Any], options: dict[str, Any]) -> dict[str, Any]:
    """The options a reader's ``load`` takes (``parameters`` means nothing to the native reader)."""
    import inspect

    accepted = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted.values()):
        return options
    return {k: v for k, v in options.items() if k in accepted and v is not None}


def load(path: str, input_format: str | None = None, **options: Any) -> Design:
    """Read any supported input into a :class:`Design`.

    >>> load("designs/three-tier.yaml").name
    'three-tier'
    """
    name = input_format or detect(path)
    if input_format and os.path.exists(path):
        _check_readable(path)
    if name not in FORMATS:
        raise InputError(f"unknown input format {name!r}; expected one of: {', '.join(FORMATS)}")
    module = importlib.import_module(FORMATS[name].module)
    return module.load(path, **_accepted(module.load, options))


def _register_optional() -> None:
    """Register the readers that exist in this installation."""
    for module_name in ("aws", "terraform", "cloudformation"):
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as error:
            if error.name == f"{__name__}.{module_name}":
                continue
            raise
        fmt = getattr(module, "FORMAT", None)
        if fmt is not None:
            register(fmt)


_register_optional()
