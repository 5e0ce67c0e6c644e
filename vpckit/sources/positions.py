"""YAML/JSON loading that remembers where every key and value was written."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import yaml

from ..errors import InputError
from ..model.design import Path, Position

__all__ = ["load_with_positions", "load_yaml", "parse_json", "check_depth", "read_text", "unreadable", "decode", "text_position", "check_aliases",
           "check_escapes", "yaml_error", "MAX_ALIAS_NODES", "MAX_DEPTH"]

#: How many nodes YAML aliases may add beyond those written in the file. A design that shares a
#: rule list through an anchor adds hundreds; a "billion laughs" file (``&a [*a, *a, ...]`` nested)
#: would add billions and hang every reader that walks the data.
MAX_ALIAS_NODES = 100_000


def read_text(path: str) -> str:
    """Read a text file, turning OS errors into :class:`InputError`.

    A pipe (``/dev/stdin``, ``<(…)``) is read once and remembered, so that detecting the format and
    reading it see the same text; a named pipe that nobody writes to is refused instead of waited on.

    >>> read_text("/nonexistent/design.yaml")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: /nonexistent/design.yaml: file not found
    """
    import os
    import stat

    if os.path.isdir(path):
        raise InputError("is a directory, expected a design file", Position(path))
    if path in _PIPED:
        return _PIPED[path]
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
            raw = _read_pipe(path)
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except FileNotFoundError:
        raise InputError("file not found", Position(path)) from None
    except OSError as error:
        raise unreadable(error, path) from None
    text = decode(raw, path)
    if not stat.S_ISREG(mode):
        _PIPED[path] = text
    return text


def unreadable(error: OSError, path: str, what: str = "file") -> InputError:
    """The error for a ``what`` (file or folder) this process may not read: the path alone, no line to point at.

    >>> str(unreadable(PermissionError(13, "Permission denied", "/srv/a"), "/srv", "folder"))
    '/srv/a: cannot read this folder: permission denied'
    """
    return InputError(f"cannot read this {what}: {(error.strerror or str(error)).lower()}", Position(error.filename or path))


#: The text of each pipe read so far (a pipe can be read only once).
_PIPED: dict[str, str] = {}


def _read_pipe(path: str) -> bytes:
    """All of a pipe, without blocking forever on a named pipe that has no writer."""
    import os

    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        try:
            first = os.read(descriptor, 1 << 16)
        except BlockingIOError:  # a writer is there and has not written yet: wait for it
            first = None
        if first == b"":
            raise InputError("is a pipe with nothing written to it (no writer, or an empty one); give a file, or "
                             "write the input into the pipe", Position(path, 1, 1))
        os.set_blocking(descriptor, True)
        chunks = [first] if first else []
        while True:
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(descriptor)


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text of ``raw`` (a BOM dropped); bytes that are not UTF-8 are an :class:`InputError` at their line
    and column.

    >>> decode(b"a: 1\\nb: \\xff\\n", "d.yaml")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: d.yaml:2:4: not UTF-8 text (invalid start byte 0xff); save the file as UTF-8
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start
        line = raw.count(b"\n", 0, offset) + 1
        start = raw.rfind(b"\n", 0, offset) + 1
        column = len(raw[start:offset].decode("utf-8", "replace")) + 1
        raise InputError(f"not UTF-8 text ({error.reason} 0x{raw[offset]:02x}); save the file as UTF-8",
                         Position(file, line, column)) from None


def text_position(text: str, file: str, offset: int) -> Position:
    """The line and column of character ``offset`` of ``text``.

    >>> str(text_position("a\\nbc", "f", 4))
    'f:2:3'
    """
    line = text.count("\n", 0, offset) + 1
    return Position(file, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


#: How deep values may nest. Designs, plans, templates and snapshots nest a few dozen levels at most;
#: deeper is refused where it is written, rather than exhausting the readers' stacks.
MAX_DEPTH = 100

_SURROGATE = re.compile(r"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_PAIR = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def check_escapes(text: str, file: str, pairs: bool) -> None:
    """Refuse a ``\\uD800``-``\\uDFFF`` escape that makes no character: any of them in YAML (which has no
    surrogate pairs), a lone one in JSON (``pairs`` True, where ``\\ud83d\\udd25`` is one character).

    >>> check_escapes('{"a": "\\\\ud83d\\\\udd25"}', "d.json", pairs=True)
    >>> check_escapes('{"a": "x\\\\ud83d"}', "d.json", pairs=True)
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: d.json:1:9: \\ud83d is half of a UTF-16 surrogate pair, not a character; write the character itself
    """
    for match in _SURROGATE.finditer(text):
        start = match.end() - 6
        if pairs and (_PAIR.match(text, start) or _PAIR.match(text, start - 6)):
            continue
        escape = text[start:match.end()]
        why = ("half of a UTF-16 surrogate pair, not a character" if pairs else
               "a UTF-16 surrogate, which YAML does not combine into a character")
        raise InputError(f"{escape} is {why}; write the character itself", text_position(text, file, start))


def _json_depth(text: str, file: str) -> None:
    """Refuse JSON nested deeper than :data:`MAX_DEPTH` at the bracket that goes too deep (the error path only)."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"values nested more than {MAX_DEPTH} deep; a network input is never this deep",
                                 text_position(text, file, match.start()))
        elif token in "]}":
            depth -= 1


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

    def size(current: yaml.Node, depth: int = 1) -> int:
        nonlocal unique
        key = id(current)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise InputError(f"values nested more than {MAX_DEPTH} deep; a network input is never this deep",
                             _mark(current, file))
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
            total += size(child, depth + 1)
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
    raise _Constant(name)  # NaN and Infinity are not JSON


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
        """Every position at once (``items``, ``len``): each path of the document located in the text."""
        if self._source is not None:
            found = {(): self._locate(())}
            stack: list[tuple] = [()]
            while stack:
                path = stack.pop()
                member = self._offsets(path) if path else (0, _skip_space(self._source[0], 0))
                if member is None:
                    continue
                for key in _index_json(self._source[0], member[1]):
                    child = (*path, key)
                    found[child] = self._locate(child)
                    stack.append(child)
            self._source = None
            super().update({path: position for path, position in found.items() if position is not None})

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


def _index_json(text: str, offset: int, keep_all: bool = False) -> Any:
    """The members of the JSON object or array at ``offset``: key (or index) -> (where the positioned reader
    places it, where its value starts). A member holding an object or array is placed at its key, one
    holding a scalar at the value, an array item at the item (as :func:`_build` does). With ``keep_all``,
    every member in order as ``(key, (where the key starts, where its value starts))``, repeated keys too."""
    from json.decoder import scanstring

    out: dict = {}
    every: list = []
    opening = text[offset] if offset < len(text) else ""
    if opening not in "{[":
        return every if keep_all else out
    closing = "}" if opening == "{" else "]"
    position = _skip_space(text, offset + 1)
    index = 0
    while position < len(text) and text[position] != closing:
        at = start = position
        if opening == "{":
            key, position = scanstring(text, position + 1)
            position = _skip_space(text, position)
            position = _skip_space(text, position + 1)  # past the colon
            if text[position] not in "{[":
                at = position
        else:
            key, index = index, index + 1
        if keep_all:
            every.append((key, (start, position)))
        else:
            out.setdefault(key, (at, position))
        _, position = _DECODER.raw_decode(text, position)
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip_space(text, position + 1)
    return every if keep_all else out


def yaml_error(error: yaml.YAMLError, text: str, file: str) -> InputError:
    """A YAML error as an :class:`InputError` at its line and column.

    >>> print(yaml_error(yaml.reader.ReaderError("<s>", 3, 1, "unicode", "special characters are not allowed"),
    ...                  "a:\\n\\x01", "d.yaml"))
    d.yaml:2:1: invalid YAML: character U+0001 is not allowed in YAML text (a control character; write it as an escape in a double-quoted string, or remove it)
    """
    if isinstance(error, yaml.reader.ReaderError):
        offset = error.position if isinstance(error.position, int) else 0
        return InputError(f"invalid YAML: character U+{error.character:04X} is not allowed in YAML text (a control "
                          "character; write it as an escape in a double-quoted string, or remove it)",
                          text_position(text, file, min(offset, len(text))))
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "malformed YAML"
        if mark is not None:
            return InputError(f"invalid YAML: {what}", Position(file, mark.line + 1, mark.column + 1))
        return InputError(f"invalid YAML: {what}", Position(file, 1, 1))
    return InputError(f"invalid YAML: {error}", Position(file, 1, 1))


class _Constant(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _json_constant(text: str, file: str, name: str) -> InputError:
    """NaN or Infinity, which are not JSON, at the place of the first one written as a value."""
    match = re.search(r"(?<=[\[:,\s])-?(?:NaN|Infinity)\b", text)
    position = text_position(text, file, match.start()) if match else Position(file, 1, 1)
    return InputError(f"{name} is not a JSON value; write a number", position)


def _json_duplicate(text: str, file: str) -> InputError:
    """The second of two equal keys of one JSON object, where it is written."""
    stack = [_skip_space(text, 0)]
    while stack:
        offset = stack.pop()
        if offset >= len(text) or text[offset] not in "{[":
            continue
        seen: set = set()
        for key, (at, value) in _index_json(text, offset, keep_all=True):
            if text[offset] == "{" and key in seen:
                return InputError(f"duplicate key {key!r} (the later value would silently win)",
                                  text_position(text, file, at))
            seen.add(key)
            stack.append(value)
    return InputError("duplicate key", Position(file, 1, 1))


def parse_json(text: str, file: str) -> Any:
    """JSON text as plain data, at C speed; what JSON parsers disagree on or AWS never writes is refused where it
    is written: a key twice in one object, NaN and Infinity, half a surrogate pair, nesting deeper than the
    parser can follow (the first bracket beyond :data:`MAX_DEPTH` is named).

    >>> parse_json('{"a": 1, "a": 2}', "d.json")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: d.json:1:10: duplicate key 'a' (the later value would silently win)
    >>> parse_json('{"port": Infinity}', "p.json")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: p.json:1:10: Infinity is not a JSON value; write a number
    """
    check_escapes(text, file, pairs=True)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except (_Duplicate, _Constant, RecursionError) as problem:
        try:  # a malformed document says so first, wherever the other problem is
            json.loads(text, parse_constant=lambda name: None)
        except json.JSONDecodeError as error:
            raise InputError(f"invalid JSON: {error.msg}", Position(file, error.lineno, error.colno)) from None
        except RecursionError:
            pass
        if isinstance(problem, _Duplicate):
            raise _json_duplicate(text, file) from None
        if isinstance(problem, _Constant):
            raise _json_constant(text, file, problem.name) from None
        _json_depth(text, file)
        raise
    except json.JSONDecodeError as error:
        raise InputError(f"invalid JSON: {error.msg}", Position(file, error.lineno, error.colno)) from None
    return data


def check_depth(data: Any, text: str, file: str) -> None:
    """Refuse parsed JSON nested deeper than :data:`MAX_DEPTH`, at the first bracket beyond it (for readers that
    walk values recursively; the walk here is iterative, so any depth is safe to measure).

    >>> check_depth([[[1]]], "[[[1]]]", "t.json")
    >>> deep = "[" * 150 + "]" * 150
    >>> check_depth(json.loads(deep), deep, "t.json")
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: t.json:1:101: values nested more than 100 deep; a network input is never this deep
    """
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if children and depth > MAX_DEPTH:
            _json_depth(text, file)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def load_with_positions(text: str, file: str, *, lazy: bool = True) -> tuple[Any, dict[Path, Position]]:
    """Parse YAML (or JSON) text into plain data plus a map of key paths to positions.

    Duplicate keys are errors, since the later one would silently win.

    >>> data, pos = load_with_positions("a:\\n  b: 1\\n", "d.yaml")
    >>> data, str(pos[("a", "b")])
    ({'a': {'b': 1}}, 'd.yaml:2:6')
    """
    if file.endswith(".json"):
        # JSON is read by the JSON parser, always: YAML 1.1 reads some valid JSON differently or not at all.
        data = parse_json(text, file)
        positions = LazyPositions(text, file)
        if not lazy:
            positions._fill()
        return data, positions
    check_escapes(text, file, pairs=False)
    return load_yaml(text, file)


def load_yaml(text: str, file: str) -> tuple[Any, dict[Path, Position]]:
    """YAML text as plain data and the position of every path (what :func:`load_with_positions` does for YAML).

    >>> load_yaml("a: [1, {b: 2}]", "d.yaml")[0]
    {'a': [1, {'b': 2}]}
    """
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
            except yaml.YAMLError as error:  # a tag no constructor knows (`!protocol:`), a bad timestamp...
                raise yaml_error(error, text, file) from None
            finally:
                fast.dispose()
    try:
        loader = _Loader(text)  # refuses characters YAML does not allow before reading anything
    except yaml.YAMLError as error:
        raise yaml_error(error, text, file) from None
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as error:
        raise yaml_error(error, text, file) from None
    finally:
        loader.dispose()
    positions = {(): Position(file, 1, 1)}
    if node is None:
        return None, positions
    check_aliases(node, file)
    try:
        return _build(node, (), positions, loader, file), positions
    except yaml.YAMLError as error:
        raise yaml_error(error, text, file) from None


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
