"""The native design format: YAML, or the same structure as JSON.

Every problem is reported as ``file:line:col: message``; unknown keys are errors, with the
closest known key suggested, because a typo must never be silently ignored.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError
from ..model import Design, Path, Position, SourceMap
from .positions import load_with_positions, read_text

__all__ = ["load", "loads", "looks_native"]

NATIVE_KEYS = set(Design.model_fields)


def looks_native(data: Any) -> bool:
    """True when parsed data has the shape of a native design (a mapping with ``vpcs`` and known keys).

    >>> looks_native({"name": "x", "vpcs": {}}), looks_native({"Resources": {}})
    (True, False)
    """
    return isinstance(data, dict) and "vpcs" in data and set(data) <= NATIVE_KEYS


def load(path: str) -> Design:
    """Read a native design file.

    >>> load("/nonexistent.yaml")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: /nonexistent.yaml:1:1: file not found
    """
    try:
        text = read_text(path)
    except InputError as error:  # a file-level problem: report it at 1:1, like every other input error
        raise InputError(error.message, Position(path, 1, 1)) from None
    return loads(text, path)


def loads(text: str, file: str = "<string>") -> Design:
    """Read a native design from text; ``file`` names it in messages.

    >>> loads("vpcs: {prod: {cidr: 10.0.0.0/16}}").vpcs["prod"].cidr
    IPNetwork('10.0.0.0/16')
    >>> loads("vpcs: {prod: {cidr: 10.0.0.0/33}}", "d.yaml")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: d.yaml:1:21: vpcs.prod.cidr: '10.0.0.0/33' is not a valid CIDR (expected e.g. 10.0.0.0/16 or 2600:1f18::/56)
    """
    data, positions = load_with_positions(text, file)
    source = SourceMap(file=file, positions=positions, kind="native")
    return from_data(data, source)


def from_data(data: Any, source: SourceMap) -> Design:
    """Validate parsed data into a :class:`Design`, mapping schema errors to positions."""
    if data is None:
        raise InputError("the file is empty; expected a design with at least `vpcs:`", source.locate(()))
    if not isinstance(data, dict):
        raise InputError(
            f"expected a mapping with `vpcs:` at the top level, got a {type(data).__name__}", source.locate(())
        )
    try:
        design = Design.model_validate(data)
    except ValidationError as error:
        problems = [_problem(item, source) for item in error.errors()]
        problems.sort(key=lambda p: (p.position.line or 0, p.position.column or 0) if p.position else (0, 0))
        raise InputError(problems[0].message, problems[0].position, more=problems[1:]) from None
    return design.with_source(source)


def _problem(item: Any, source: SourceMap) -> InputError:
    loc: Path = tuple(item["loc"])
    # pydantic adds the validator's name to the location of union branches; drop those parts.
    loc = tuple(part for part in loc if not (isinstance(part, str) and ("[" in part or part.startswith("function-"))))
    where = ".".join(str(p) for p in loc) or "(top level)"
    kind = item["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _known_keys(loc[:-1])
        hint = ""
        close = difflib.get_close_matches(str(key), allowed, n=1)
        if close:
            hint = f"; did you mean {close[0]!r}?"
        expected = f" (expected one of: {', '.join(sorted(allowed))})" if allowed else ""
        parent = ".".join(str(p) for p in loc[:-1]) or "the top level"
        return InputError(f"unknown key {key!r} in {parent}{hint}{expected}", source.locate(loc))
    message = item["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind == "missing":
        message = f"missing required key {loc[-1]!r}"
        return InputError(f"{'.'.join(str(p) for p in loc[:-1]) or 'top level'}: {message}", source.locate(loc[:-1]))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"expected a mapping, got {_describe(item.get('input'))}"
    elif kind == "list_type":
        message = f"expected a list, got {_describe(item.get('input'))}"
    return InputError(f"{where}: {message}", source.locate(loc))


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return f"{type(value).__name__} {value!r}"[:80]


def _known_keys(loc: Path) -> list[str]:
    """The keys allowed at ``loc`` (walking the model's type annotations)."""
    current: Any = Design
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    model = _model_of(current)
    if model is None:
        return []
    keys = []
    for name, field in model.model_fields.items():
        keys.append(field.alias or name)
    if model.__name__ == "Vpc":
        keys += ["internet_gateway", "egress_only_internet_gateway", "vpn_gateway"]
    return keys


def _model_of(annotation: Any) -> type[BaseModel] | None:
    annotation = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _strip(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin is dict:
        return typing.get_args(annotation)[1]
    if origin is list:
        return typing.get_args(annotation)[0]
    model = _model_of(annotation)
    if model is None:
        return None
    for name, field in model.model_fields.items():
        if part in (name, field.alias):
            return field.annotation
    return None
