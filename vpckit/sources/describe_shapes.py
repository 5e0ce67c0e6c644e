"""The shape of each AWS describe output a snapshot holds, as AWS's own service models define it.

A snapshot file is what an API call returned (``describe-vpcs``: ``{"Vpcs": [Vpc, ...]}``). Before the
snapshot reader uses an item, its values are checked against the output shape botocore ships for
that call (the one :mod:`vpckit.collect.calls` makes): a mapping where AWS returns a structure, a list
where it returns a list, text, a whole number, true/false. What AWS never returns is refused at its
place in the file instead of surfacing later as a Python error. Members the model does not know are
left alone (newer APIs add them), and enumerations are not enforced (AWS adds values too).
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import Any

__all__ = ["item_shape", "shape_problem", "describe_value"]


@lru_cache(maxsize=None)
def item_shape(key: str) -> Any:
    """botocore's shape of one item of the describe list ``key`` (``Vpcs`` → ``Vpc``), None when no plain
    describe call of :data:`~vpckit.collect.calls.CALLS` writes that key.

    >>> item_shape("Vpcs").name, item_shape("NoSuchKey") is None
    ('Vpc', True)
    """
    from ..collect.calls import CALLS, _botocore, api_name

    for call in CALLS:
        if call.key != key or call.merge is not None:
            continue
        model = _botocore().get_service_model(call.service).operation_model(api_name(call.service, call.operation))
        member = model.output_shape.members.get(call.result_key)
        if member is None or member.type_name != "list":
            return None
        if call.each is not None:
            # One response per item of the parent call, tagged with its id: {id_field: ..., result: [...]}.
            return SimpleNamespace(type_name="structure", name=f"{model.output_shape.name} (per {call.id_field})",
                                   members={call.result_key: member, call.id_field: _TEXT_SHAPE})
        return member.member
    return None


_TEXT_SHAPE = SimpleNamespace(type_name="string", name="String")


_EXPECTED = {
    "structure": ("a mapping", dict), "map": ("a mapping", dict), "list": ("a list", list),
    "string": ("text", str), "blob": ("text", str), "boolean": ("true or false", bool),
    "integer": ("a whole number", int), "long": ("a whole number", int),
    "float": ("a number", (int, float)), "double": ("a number", (int, float)),
    "timestamp": ("a time", (str, int, float)),
}


def shape_problem(value: Any, shape: Any) -> tuple[tuple, str] | None:
    """The first value (in document order) that does not have the type ``shape`` gives it: ``(path, message)``.
    A member written ``null`` is taken as absent (whether it is required is the reader's to say).

    >>> shape_problem({"VpcId": "vpc-1", "CidrBlockAssociationSet": "10.0.0.0/16"}, item_shape("Vpcs"))
    (('CidrBlockAssociationSet',), "expected a list, got str '10.0.0.0/16'")
    >>> shape_problem({"VpcId": "vpc-1", "IsDefault": False}, item_shape("Vpcs")) is None
    True
    """
    stack: list[tuple[Any, Any, tuple]] = [(value, shape, ())]
    while stack:
        current, at, path = stack.pop()
        what, kind = _EXPECTED.get(at.type_name, (None, object))
        if not isinstance(current, kind) or (isinstance(current, bool) and kind in (int, (int, float))):
            return path, f"expected {what}, got {describe_value(current)}"
        children: list[tuple[Any, Any, tuple]] = []
        if at.type_name == "structure":
            children = [(current[name], member, (*path, name)) for name, member in at.members.items()
                        if name in current and current[name] is not None]
            children.sort(key=lambda child: list(current).index(child[2][-1]))
        elif at.type_name == "list":  # an item of a list is never "absent": null is a value of the wrong type
            children = [(item, at.member, (*path, index)) for index, item in enumerate(current)]
        elif at.type_name == "map":
            children = [(item, at.value, (*path, name)) for name, item in current.items()]
        stack.extend(reversed(children))
    return None


def describe_value(value: Any) -> str:
    """How a value of the wrong type is named in a message.

    >>> describe_value([1]), describe_value(None), describe_value("22,80")
    ('a list', 'null', "str '22,80'")
    """
    kind = {dict: "a mapping", list: "a list", type(None): "null"}.get(type(value))
    if kind is not None:
        return kind
    return f"{type(value).__name__} {value!r}"[:60]
