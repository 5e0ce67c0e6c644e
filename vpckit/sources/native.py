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
    vpckit.errors.InputError: /nonexistent.yaml: file not found
    """
    # A file that cannot be read has no line to point at: its error names the path alone.
    return loads(read_text(path), path)


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
        problems = [_problem(item, source, data) for item in error.errors()]
        problems.sort(key=lambda p: (p.position.line or 0, p.position.column or 0) if p.position else (0, 0))
        # One message per place: the branches of a union (e.g. `public_ip: true | address`) each
        # report the same bad value; the first says what was expected.
        unique = list({str(p.position): p for p in reversed(problems)}.values())[::-1]
        raise InputError(unique[0].message, unique[0].position, more=unique[1:]) from None
    return design.with_source(source)


def _in_data(loc: tuple, data: Any, keep_last: bool) -> Path:
    """The parts of a pydantic location that are keys of the data.

    pydantic inserts the names of union branches (``bool``, ``function-before[...]``) into
    locations; they are not keys of the file, and a design may well name a VPC ``int``, so
    the location is walked against the data rather than filtered by name.

    >>> _in_data(("vpcs", "p", "public_ip", "bool"), {"vpcs": {"p": {"public_ip": "x"}}}, False)
    ('vpcs', 'p', 'public_ip')
    """
    result: list = []
    current = data
    for index, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif keep_last and index == len(loc) - 1:
            pass  # the missing key itself
        else:
            continue
        result.append(part)
    return tuple(result)


_EXPECTED = {
    "bool_parsing": "expected true or false", "bool_type": "expected true or false",
    "int_parsing": "expected a whole number", "int_type": "expected a whole number",
    "int_from_float": "expected a whole number", "float_parsing": "expected a number",
    "float_type": "expected a number", "string_type": "expected text", "literal_error": None,
}


def _problem(item: Any, source: SourceMap, data: Any = None) -> InputError:
    kind = item["type"]
    loc: Path = _in_data(tuple(item["loc"]), data, keep_last=kind == "missing")
    where = ".".join(str(p) for p in loc) or "(top level)"
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
    elif kind in _EXPECTED:
        expected = _EXPECTED[kind] or message.replace("Input should be", "expected")
        message = f"{expected}, got {_describe(item.get('input'))}"
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
