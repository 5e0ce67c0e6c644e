"""Query and expectation files: the lists given to ``--queries`` and ``--expectations``.

Each entry keeps its place in the file, so that a bad one is reported as ``file:line:col: message``
in the file's own terms, like every other input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..model import Design, Expectation, Position, SourceMap
from .positions import load_with_positions, read_text

__all__ = ["QueryEntry", "read_query_entries", "read_expectations"]


@dataclass(frozen=True)
class QueryEntry:
    """One entry of a query file and where it is written."""

    value: Any
    position: Position


def _entries(path: str, keys: str) -> tuple[list, dict, tuple]:
    text = read_text(path)
    data, positions = load_with_positions(text, path)
    prefix: tuple = ()
    if isinstance(data, dict) and ("queries" in data or "expectations" in data):
        prefix = ("queries",) if "queries" in data else ("expectations",)
        data = data[prefix[0]]
    if not isinstance(data, list):
        got = "nothing" if data is None else f"a {'mapping' if isinstance(data, dict) else type(data).__name__}"
        raise InputError(f"expected a list of queries (each with {keys}), or a mapping with a `queries:` list; "
                         f"got {got}", positions.get(prefix) or Position(path, 1, 1))
    return data, positions, prefix


def read_query_entries(path: str, keys: str = "from, to") -> list[QueryEntry]:
    """The entries of a query file (a YAML/JSON list, or a mapping with a ``queries`` list), each with its place.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("- {from: web, to: db, port: 5432}\\n")
    >>> [(e.value["to"], e.position.line) for e in read_query_entries(f.name)]
    [('db', 1)]
    >>> os.unlink(f.name)
    """
    data, positions, prefix = _entries(path, keys)
    return [QueryEntry(item, positions.get((*prefix, index)) or Position(path, 1, 1)) for index, item in enumerate(data)]


class _Renamed(dict):
    """Positions of a query file seen as the ``expectations`` of a design (the file's own paths underneath)."""

    def __init__(self, positions: dict, prefix: tuple) -> None:
        super().__init__()
        self._positions, self._prefix = positions, prefix

    def _file_path(self, path: tuple) -> tuple:
        return (*self._prefix, *path[1:]) if path[:1] == ("expectations",) else path

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self._file_path(path) in self._positions

    def __getitem__(self, path: tuple) -> Position:
        return self._positions[self._file_path(path)]

    def get(self, path: tuple, default: Any = None) -> Any:
        return self._positions.get(self._file_path(path), default)


def read_expectations(path: str) -> list[Expectation]:
    """The expectations of an ``--expectations`` file, validated as a design's ``expectations`` are, each problem
    at its place in the file.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
    ...     _ = f.write("- {from: web, to: db, port: 5432, expect: maybe}\\n")
    >>> read_expectations(f.name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: ...:1:43: expectations.0.expect: expected ...
    >>> os.unlink(f.name)
    """
    from .native import from_data

    data, positions, prefix = _entries(path, "from, to, expect")
    source = SourceMap(file=path, positions=_Renamed(positions, prefix), kind="native")  # type: ignore[arg-type]
    design: Design = from_data({"expectations": data}, source)
    return list(design.expectations)
