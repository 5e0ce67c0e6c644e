"""YAML/JSON loading that remembers where every key and value was written."""

from __future__ import annotations

import itertools
import json
from typing import Any

import yaml

from ..errors import InputError
from ..model.design import Path, Position

__all__ = ["load_with_positions", "read_text", "check_aliases", "MAX_ALIAS_NODES"]

#: How many nodes YAML aliases may add beyond those written in the file. A design that shares a
#: rule list through an anchor adds hundreds; a "billion laughs" file (``&a [*a, *a, ...]`` nested)
#: would add billions and hang every reader that walks the data.
MAX_ALIAS_NODES = 100_000


def read_text(path: str) -> str:
    """Read a text file, turning OS errors into :class:`InputError`.

    >>> read_text("/nonexistent/design.yaml")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: /nonexistent/design.yaml: file not found
    """
    import os

    if os.path.isdir(path):
        raise InputError("is a directory, expected a design file", Position(path))
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError("file not found", Position(path)) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason} at byte {error.start})", Position(path)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", Position(path)) from None


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps every YAML timestamp as text (AZ names and dates stay strings)."""


# Keep `2024-01-01` and `yes`/`no`-like scalars literal where YAML 1.1 would convert them.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_CLoader: type | None = None
if getattr(yaml, "CSafeLoader", None) is not None:

    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """libyaml's loader with the same scalar rules as :class:`_Loader`."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def check_aliases(node: yaml.Node | None, file: str, limit: int = MAX_ALIAS_NODES) -> None:
    """Raise :class:`InputError` when aliases expand ``node`` beyond ``limit`` extra nodes, or recurse.

    Sizes are counted once per distinct node, so the check is linear in the file, not in the
    expansion.

    >>> check_aliases(yaml.SafeLoader("[&x [1, 2], *x]").get_single_node(), "d.yaml")
    >>> levels = "".join(f"&{n} [*{p}, *{p}, *{p}, *{p}], " for p, n in zip("abcdefghij", "bcdefghijk"))
    >>> check_aliases(yaml.SafeLoader("[&a [x, x], " + levels + "]").get_single_node(), "d.yaml")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: d.yaml:...: YAML aliases expand this document to more than 100000 extra nodes (a 'billion laughs' file?); write the values out, or share fewer
    """
    if node is None:
        return
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    unique = 0

    def size(current: yaml.Node) -> int:
        nonlocal unique
        key = id(current)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise InputError("a YAML alias refers to a node that contains it (a recursive structure)", _mark(current, file))
        in_progress.add(key)
        unique += 1
        total = 1
        if isinstance(current, yaml.MappingNode):
            children = [child for pair in current.value for child in pair]
        elif isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        else:
            children = []
        for child in children:
            total += size(child)
            if total - unique > limit:
                raise InputError(
                    f"YAML aliases expand this document to more than {limit} extra nodes (a 'billion laughs' "
                    "file?); write the values out, or share fewer",
                    _mark(child, file),
                )
        in_progress.discard(key)
        sizes[key] = total
        return total

    size(node)


class _Duplicate(Exception):
    """A JSON object with a key twice: the positioned reader reports it."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Duplicate
    return out


def _refuse_constant(name: str) -> Any:
    raise _Duplicate  # NaN and Infinity are not JSON: the positioned reader reads them as YAML does


class LazyPositions(dict):
    """The positions of a JSON document, found only when one is asked for.

    Most runs never need one (a reach query, a diagram, a design without findings); the JSON itself
    is parsed at C speed. A position asked for is found in the text by indexing only the objects on
    its path (each indexed once, its members skipped by the C decoder); asking for them all (``items``,
    ``len``) runs the positioned reader.

    >>> positions = LazyPositions('{"a": {"b": [1, {"c": 2}]}}', "d.json")
    >>> str(positions[("a", "b", 1, "c")]), str(positions[("a", "b")]), ("a", "x") in positions
    ('d.json:1:23', 'd.json:1:8', False)
    """

    def __init__(self, text: str, file: str) -> None:
        super().__init__()
        self._source: tuple[str, str] | None = (text, file)
        self._members: dict[int, dict] = {}  # offset of an object or array -> its members' value offsets
        self._lines: list[int] | None = None
        self._found: dict[tuple, Position | None] = {}
        self._members_at: dict[tuple, tuple[int, int] | None] = {}

    def _fill(self) -> None:
        if self._source is not None:
            text, file = self._source
            self._source = None
            super().update(load_with_positions(text, file, lazy=False)[1])

    def _locate(self, path) -> Position | None:
        """The position of the value at ``path``, or None when the document has nothing there."""
        if self._source is None:
            return super().get(path)
        if path == ():
            return Position(self._source[1], 1, 1)
        found = self._found.get(path, False)
        if found is False:
            member = self._offsets(path) if isinstance(path, tuple) else None
            found = self._found[path] = None if member is None else self._position(*self._source, member[0])
        return found

    def _offsets(self, path: tuple) -> tuple[int, int] | None:
        """(where the reader places it, where its value starts) for ``path``; each prefix indexed once."""
        if path in self._members_at:
            return self._members_at[path]
        text = self._source[0]
        if len(path) == 1:
            parent: int | None = _skip_space(text, 0)
        else:
            above = self._offsets(path[:-1])
            parent = above[1] if above is not None else None
        member = None
        if parent is not None:
            if parent not in self._members:
                self._members[parent] = _index_json(text, parent)
            member = self._members[parent].get(path[-1])
        self._members_at[path] = member
        return member

    def __contains__(self, key) -> bool:
        if self._source is None:
            return super().__contains__(key)
        return key == () or (isinstance(key, tuple) and self._offsets(key) is not None)

    def _position(self, text: str, file: str, offset: int) -> Position:
        from bisect import bisect_right

        if self._lines is None:
            # Offsets of the newlines, from the lines' lengths (split and len run at C speed).
            self._lines = list(itertools.accumulate((len(line) + 1 for line in text.split("\n")[:-1]),
                                                    initial=-1))[1:]
        line = bisect_right(self._lines, offset - 1)
        start = self._lines[line - 1] + 1 if line else 0
        return Position(file, line + 1, offset - start + 1)

    def __getitem__(self, key):
        found = self._locate(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key, default=None):
        found = self._locate(key)
        return default if found is None else found

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __eq__(self, other) -> bool:
        self._fill()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def keys(self):
        self._fill()
        return super().keys()

    def items(self):
        self._fill()
        return super().items()

    def values(self):
        self._fill()
        return super().values()

    def __setitem__(self, key, value) -> None:
        self._fill()
        super().__setitem__(key, value)

    def setdefault(self, key, default=None):
        self._fill()
        return super().setdefault(key, default)

    def update(self, *args, **kwargs) -> None:
        self._fill()
        super().update(*args, **kwargs)

    def copy(self) -> dict:
        self._fill()
        return dict(super().items())


_DECODER = json.JSONDecoder()


def _skip_space(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t\r\n":
        offset += 1
    return offset


def _index_json(text: str, offset: int) -> dict:
    """The members of the JSON object or array at ``offset``: key (or index) -> (where the positioned reader
    places it, where its value starts). A member holding an object or array is placed at its key, one
    holding a scalar at the value, an array item at the item (as :func:`_build` does)."""
    from json.decoder import scanstring

    out: dict = {}
    opening = text[offset] if offset < len(text) else ""
    if opening not in "{[":
        return out
    closing = "}" if opening == "{" else "]"
    position = _skip_space(text, offset + 1)
    index = 0
    while position < len(text) and text[position] != closing:
        at = position
        if opening == "{":
            key, position = scanstring(text, position + 1)
            position = _skip_space(text, position)
            position = _skip_space(text, position + 1)  # past the colon
            if text[position] not in "{[":
                at = position
        else:
            key, index = index, index + 1
        out.setdefault(key, (at, position))
        _, position = _DECODER.raw_decode(text, position)
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
    return out


def load_with_positions(text: str, file: str, *, lazy: bool = True) -> tuple[Any, dict[Path, Position]]:
    """Parse YAML (or JSON) text into plain data plus a map of key paths to positions.

    Duplicate keys are errors, since the later one would silently win.

    >>> data, pos = load_with_positions("a:\\n  b: 1\\n", "d.yaml")
    >>> data, str(pos[("a", "b")])
    ({'a': {'b': 1}}, 'd.yaml:2:6')
    """
    if file.endswith(".json"):
        try:
            floats: list[str] = []
            data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant,
                              parse_float=lambda number: floats.append(number) or float(number))
        except json.JSONDecodeError as error:
            raise InputError(f"invalid JSON: {error.msg}", Position(file, error.lineno, error.colno)) from None
        except (_Duplicate, RecursionError):
            pass  # the positioned reader below says where (or refuses the nesting)
        else:
            # A float the YAML 1.1 rules read as text (``1e5``) would make the two readers disagree:
            # such a file is read by the positioned reader, as YAML.
            if lazy and not floats:
                return data, LazyPositions(text, file)
    if _CLoader is not None:
        # libyaml composes about five times faster; a malformed file is re-read by the pure
        # loader below, whose messages and marks are the ones users see.
        fast = _CLoader(text)
        try:
            node = fast.get_single_node()
        except yaml.YAMLError:
            pass
        else:
            positions: dict[Path, Position] = {(): Position(file, 1, 1)}
            try:
                check_aliases(node, file)
                return (None if node is None else _build(node, (), positions, fast, file)), positions
            finally:
                fast.dispose()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "malformed YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError(f"invalid YAML: {what}", Position(file, line, column)) from None
    except yaml.YAMLError as error:
        raise InputError(f"invalid YAML: {error}", Position(file)) from None
    finally:
        loader.dispose()
    positions = {(): Position(file, 1, 1)}
    if node is None:
        return None, positions
    check_aliases(node, file)
    return _build(node, (), positions, loader, file), positions


def _mark(node: yaml.Node, file: str) -> Position:
    return Position(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, path: Path, positions: dict[Path, Position], loader: Any, file: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise InputError(f"a mapping key must be a plain value, got {key!r}", _mark(key_node, file))
            if isinstance(key, (int, float, bool)):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                raise InputError(f"duplicate key {key!r}", _mark(key_node, file))
            child = (*path, key)
            scalar = isinstance(value_node, yaml.ScalarNode)
            positions[child] = _mark(value_node if scalar else key_node, file)
            result[key] = _build(value_node, child, positions, loader, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            positions[(*path, index)] = _mark(item, file)
            items.append(_build(item, (*path, index), positions, loader, file))
        return items
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as error:
        raise InputError(f"invalid value: {error.problem}", _mark(node, file)) from None
